//! Problems found in a scenario file, with where they are and a hint.
//!
//! Every problem carries a stable code (`E104`), the file, line and column, a
//! message and, where we can give one, a hint. [`render`] prints them the way a
//! compiler does, with the offending line underlined.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use std::fmt;
use std::ops::Range;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The case can still be played, but something is probably wrong.
    Warning,
    /// The file cannot be played.
    Error,
}

/// One problem in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, listed in `scenarios/README.md`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file's path as given.
    pub file: String,
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
    /// 1-based line (0 when the position is unknown).
    pub line: usize,
    /// 1-based column, in characters (0 when unknown).
    pub column: usize,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a byte range of `source`.
    pub fn error(code: &'static str, file: &str, source: &str, span: Option<Range<usize>>, message: String) -> Self {
        let (line, column) = span.as_ref().map_or((0, 0), |s| line_col(source, s.start));
        Diagnostic { severity: Severity::Error, code, message, file: file.to_string(), span, line, column, hint: None }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Turns an error into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this stops the file from being played.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line, `file:line:col: error[E104]: message (hint: ...)`, for logs and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {kind}[{}]: {}", self.file, self.line, self.column, self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters).
pub fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, text) in source.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return offset + text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
        }
        offset += text.len();
    }
    source.len()
}

/// Renders diagnostics for a terminal, with the source line underlined.
pub fn render(diagnostics: &[Diagnostic], source: &str, colour: bool) -> String {
    let mut buffer = if colour { term::termcolor::Buffer::ansi() } else { term::termcolor::Buffer::no_color() };
    let config = term::Config::default();
    let mut fallback = String::new();
    // One index of the file's lines for every diagnostic (building it per
    // diagnostic made ten thousand of them take minutes).
    let name = diagnostics.first().map_or("", |d| d.file.as_str());
    // The source lines shown under a diagnostic never carry a control
    // character to the terminal: each is shown as `?` (one byte for one, so
    // every span still points at the same place; C1 controls, two bytes,
    // become `¿`, two bytes).
    let shown: String = source
        .chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c,
            c if c.is_control() && c.len_utf8() == 1 => '?',
            c if c.is_control() => '¿',
            c => c,
        })
        .collect();
    let source = shown.as_str();
    let file = SimpleFile::new(name, source);
    for d in diagnostics.iter().take(RENDER_MAX) {
        let base = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        // A line too long to show (ten thousand ids on one line, a hostile
        // file) is named, not printed: the one-line form says where.
        if let Some(span) = &d.span {
            let at = span.start.min(source.len());
            let from = source[..at].rfind('\n').map_or(0, |i| i + 1);
            let to = source[at..].find('\n').map_or(source.len(), |i| at + i);
            if to - from > LINE_SHOWN_MAX {
                fallback.push_str(&format!("{d}\n"));
                continue;
            }
        }
        let mut diag = base.with_code(d.code).with_message(&d.message);
        let mut notes = Vec::new();
        match &d.span {
            Some(span) => {
                let start = span.start.min(source.len());
                let end = span.end.clamp(start, source.len());
                diag = diag.with_labels(vec![cs::Label::primary((), start..end)]);
            }
            None => notes.push(format!("in {}", d.file)),
        }
        if let Some(hint) = &d.hint {
            notes.push(format!("hint: {hint}"));
        }
        diag = diag.with_notes(notes);
        if term::emit_to_write_style(&mut buffer, &config, &file, &diag).is_err() {
            // Only a span outside the file can fail; the one-line form still says where.
            fallback.push_str(&format!("{d}\n"));
        }
    }
    let mut text = String::from_utf8_lossy(&buffer.into_inner()).into_owned();
    text.push_str(&fallback);
    if diagnostics.len() > RENDER_MAX {
        let rest = &diagnostics[RENDER_MAX..];
        let errors = rest.iter().filter(|d| d.is_error()).count();
        text.push_str(&format!(
            "… and {} more ({errors} error(s), {} warning(s)), not shown: mend these first\n",
            rest.len(),
            rest.len() - errors
        ));
    }
    text
}

/// The longest source line shown under a diagnostic.
pub const LINE_SHOWN_MAX: usize = 400;

/// The most diagnostics shown in full for one file; the rest are counted.
pub const RENDER_MAX: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "ab\ncé d\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(src, 3 + "cé ".len()), (2, 4));
        assert_eq!(offset_of(src, 2, 4), 3 + "cé ".len());
        assert_eq!(line_col(src, 999), (3, 1));
    }

    #[test]
    fn one_line_form_names_file_line_column_and_hint() {
        let d =
            Diagnostic::error("E104", "x.ron", "a\nbc", Some(3..4), "unknown fact `q`".into()).with_hint("declare it");
        assert_eq!(d.to_string(), "x.ron:2:2: error[E104]: unknown fact `q` (hint: declare it)");
        let text = render(&[d], "a\nbc", false);
        assert!(text.contains("x.ron:2:2"), "{text}");
        assert!(text.contains("hint: declare it"), "{text}");
    }
}
