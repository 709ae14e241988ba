//! Reading a scenario file: bytes, then RON syntax, then the format version.

use super::diagnostic::{Diagnostic, offset_of};
use super::model::{FORMAT_VERSION, ScenarioFile};
use super::spans::SpanIndex;
use super::{Scenario, compile};
use ron::extensions::Extensions;
use std::path::Path;

/// Why a file could not be loaded: every problem found, warnings included.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in {file}", diagnostics.len())]
pub struct LoadError {
    /// The file as named.
    pub file: String,
    /// The file's text, for rendering (empty if it could not be read).
    pub text: String,
    /// Every problem, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The problems rendered for a terminal.
    pub fn render(&self, colour: bool) -> String {
        super::diagnostic::render(&self.diagnostics, &self.text, colour)
    }
}

/// A loaded scenario and the warnings its file produced.
pub type Loaded = (Scenario, Vec<Diagnostic>);

/// The largest scenario file read: the longest shipped case is about 150 KB.
pub const SCENARIO_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The largest script read (a line per action).
pub const SCRIPT_MAX_BYTES: u64 = 1024 * 1024;

/// Reads a script: a regular file of at most [`SCRIPT_MAX_BYTES`], as UTF-8
/// text; an invalid byte is named by its line.
pub fn read_script(path: &Path) -> Result<String, String> {
    let bytes = crate::storage::read_regular(path, SCRIPT_MAX_BYTES).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        format!("{}:{line}: not UTF-8 text (save the script as UTF-8)", path.display())
    })
}

/// Reads and compiles a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let bytes = crate::storage::read_regular(path, SCENARIO_MAX_BYTES).map_err(|e| LoadError {
        file: file.clone(),
        text: String::new(),
        diagnostics: vec![
            Diagnostic::error("E003", &file, "", None, format!("cannot read the file: {e}"))
                .with_hint("check the path; scenario files end in .ron"),
        ],
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let source = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::error(
                "E003",
                &file,
                &source,
                Some(good..good + 1),
                "the file is not valid UTF-8 text".into(),
            )
            .with_hint("save the file as UTF-8 (most editors have this under 'Save with encoding')");
            return Err(LoadError { file, text: source, diagnostics: vec![d] });
        }
    };
    load_str(&file, &text)
}

/// Compiles scenario text; `file` is only used in messages.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, LoadError> {
    // A byte-order mark (some Windows editors add one) is not part of the text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail = |diagnostics| LoadError { file: file.to_string(), text: text.to_string(), diagnostics };
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);

    // Look at the version first, so that a file in another format gets one
    // clear message instead of a cascade of field errors.
    #[derive(serde::Deserialize)]
    #[serde(rename = "Scenario")]
    struct Probe {
        format: Option<u32>,
    }
    if let Ok(Probe { format: Some(found) }) = options.from_str::<Probe>(text)
        && found != FORMAT_VERSION
    {
        let span = SpanIndex::build(text).find(&super::spans::Path::root().f("format"));
        return Err(fail(vec![
            Diagnostic::error(
                "E002",
                file,
                text,
                span,
                format!("scenario format {found} is not supported; this build reads format {FORMAT_VERSION}"),
            )
            .with_hint(if (OLDEST_MIGRATABLE..FORMAT_VERSION).contains(&found) {
                format!("run `second-look migrate {file}`; scenarios/README.md, 'Format versions', says what changed")
            } else if found < FORMAT_VERSION {
                format!("formats run from {OLDEST_MIGRATABLE} to {FORMAT_VERSION}; if the file was written for this build, set `format: {FORMAT_VERSION}`")
            } else {
                "this file is newer than this build of Second Look: update Second Look".to_string()
            }),
        ]));
    }

    let parsed: ScenarioFile = match options.from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => return Err(fail(vec![syntax_error(file, text, &e)])),
    };
    let index = SpanIndex::build(text);
    compile(&parsed, file, text, &index).map_err(fail)
}

/// A scenario's text as its author wrote it (the model, with ids and
/// conditions as written), once it has compiled cleanly: for documents that
/// show the case as written, such as the proof copy.
pub fn load_model(file: &str, text: &str) -> Result<ScenarioFile, LoadError> {
    load_str(file, text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options.from_str(text).map_err(|e| LoadError {
        file: file.to_string(),
        text: text.to_string(),
        diagnostics: vec![syntax_error(file, text, &e)],
    })
}

/// The oldest format `migrate` can bring up to date.
pub const OLDEST_MIGRATABLE: u32 = 1;

/// Migrations from each older format to the next. Format 1 to 2 only added
/// optional fields (`met_by`, `room`, `at`, `supervision`), and 2 to 3 only
/// optional fields too (`kind`, `met_when`, `arises`, `refused_by`,
/// `consequence_of`, `penalties`, `preventable_by`, `harm`, `asserts`), so
/// each changes the number alone: a migrated case scores as it did, and
/// `validate` then says where the new constructs are wanted.
fn migrate_text(text: &str, from: u32) -> Result<String, String> {
    let span =
        SpanIndex::build(text).find(&super::spans::Path::root().f("format")).ok_or("the file has no `format` field")?;
    match from {
        1 | 2 => Ok(format!("{}{}{}", &text[..span.start], from + 1, &text[span.end..])),
        _ => Err(format!("format {from} cannot be migrated by this build")),
    }
}

/// Migrates a scenario file in place to the current format; returns the
/// format it was, or `None` if it was already current. The file is written
/// atomically and only once the migrated text loads cleanly.
pub fn migrate_file(path: &Path) -> Result<Option<u32>, String> {
    // What is replaced must be this file, writable, and the only name it has:
    // an atomic replace would turn a link into a copy and split hard links.
    let link = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if link.file_type().is_symlink() {
        let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
        return Err(format!("it is a symbolic link (to {target}): migrate the file it points to"));
    }
    if link.permissions().readonly() {
        return Err("it is read-only: it was left as it is; make it writable to migrate it".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if link.nlink() > 1 {
            return Err(format!("it has {} hard links: it was left as it is; migrate a copy", link.nlink()));
        }
    }
    let bytes = crate::storage::read_regular(path, SCENARIO_MAX_BYTES).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "the file is not valid UTF-8 text".to_string())?;
    #[derive(serde::Deserialize)]
    #[serde(rename = "Scenario")]
    struct Probe {
        format: u32,
    }
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let found = options.from_str::<Probe>(&text).map_err(|e| format!("cannot read its format: {e}"))?.format;
    if found == FORMAT_VERSION {
        return Ok(None);
    }
    if found > FORMAT_VERSION {
        return Err(format!("format {found} is newer than this build reads ({FORMAT_VERSION})"));
    }
    let mut migrated = text;
    for from in found..FORMAT_VERSION {
        migrated = migrate_text(&migrated, from)?;
    }
    if let Err(e) = load_str(&path.display().to_string(), &migrated) {
        return Err(format!("after migrating, the file has problems; it was left as it was:\n{}", e.render(false)));
    }
    crate::storage::replace_keeping_permissions(path, migrated.as_bytes(), link.permissions())
        .map_err(|e| e.to_string())?;
    Ok(Some(found))
}

fn syntax_error(file: &str, text: &str, e: &ron::error::SpannedError) -> Diagnostic {
    use ron::Error as E;
    let start = offset_of(text, e.span.start.line, e.span.start.col);
    let end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
    let span = if end > start { start..end } else { start..(start + 1).min(text.len()) };
    let hint = match &e.code {
        E::Eof | E::ExpectedArrayEnd | E::ExpectedStructLikeEnd | E::ExpectedMapEnd => {
            Some("a bracket or parenthesis is not closed; check the lines above".to_string())
        }
        E::ExpectedComma => Some("separate fields and list items with commas".to_string()),
        E::ExpectedStringEnd => Some("a string is missing its closing quote".to_string()),
        E::MissingStructField { field, .. } => {
            Some(format!("add `{field}: ...`; scenarios/README.md lists every field"))
        }
        E::NoSuchStructField { expected, found, .. } => Some(suggest(found, expected)),
        E::NoSuchEnumVariant { expected, found, .. } => Some(suggest(found, expected)),
        E::UnclosedBlockComment => Some("a /* comment */ is not closed".to_string()),
        _ => None,
    };
    let message = format!("syntax: {}", e.code);
    let d = Diagnostic::error("E001", file, text, Some(span), message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// "did you mean `x`?" or the list of what is allowed.
pub(crate) fn suggest(found: &str, expected: &[&str]) -> String {
    let best = expected
        .iter()
        .map(|e| (strsim::jaro_winkler(found, e), *e))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, e)) => format!("did you mean `{e}`?"),
        None if expected.is_empty() => "nothing is allowed here".to_string(),
        None => format!("expected one of: {}", expected.join(", ")),
    }
}
