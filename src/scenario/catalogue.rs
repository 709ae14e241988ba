//! Finding scenarios: a folder of `.ron` files, or the ones built into the binary.
//!
//! The built-in copies let the game run from a single executable on a
//! locked-down lab PC; a folder (`--scenarios DIR`, or `./scenarios` when it
//! exists) lets authors see their edits without rebuilding.

use super::{LoadError, Loaded, load_file, load_str};
use std::path::{Path, PathBuf};

/// Compiles in every built-in scenario and its exemplary script from one list
/// of ids, in course order, so that adding a case is one line.
macro_rules! builtin {
    ($($id:literal),* $(,)?) => {
        /// (file name, text) of every built-in scenario, compiled in from `scenarios/`.
        pub const BUILTIN: &[(&str, &str)] =
            &[$((concat!("scenarios/", $id, ".ron"), include_str!(concat!("../../scenarios/", $id, ".ron")))),*];

        /// The experienced practitioner's path through each built-in scenario: the
        /// exemplary script its tests play, shown beside the trainee's in the debrief.
        pub const BUILTIN_PATHS: &[(&str, &str)] =
            &[$(($id, include_str!(concat!("../../tests/scripts/", $id, ".exemplary.txt")))),*];
    };
}

builtin!(
    "marks-explained-away",
    "neglect-tidy-front-room",
    "bruise-on-a-baby",
    "staying-with-a-family-friend",
    "the-family-keeps-ringing",
    "hungry-at-school",
    "calls-to-the-flat",
    "seen-only-at-the-door",
    "found-far-from-home",
    "nobody-wants-to-visit",
);

/// The experienced practitioner's path for a scenario: `scripts/<id>.exemplary.txt`
/// beside the scenario files when there is such a folder (an author's own),
/// else the built-in one (compiled in from `tests/scripts/`).
pub fn expert_path(id: &str, dir: Option<&Path>) -> Option<String> {
    let folder = match dir {
        Some(d) => Some(d.to_path_buf()),
        None if Path::new("scenarios").is_dir() => Some(PathBuf::from("scenarios")),
        None => None,
    };
    if let Some(folder) = folder
        && let Ok(text) = super::read_script(&folder.join("scripts").join(format!("{id}.exemplary.txt")))
    {
        return Some(text);
    }
    BUILTIN_PATHS.iter().find(|(i, _)| *i == id).map(|(_, t)| (*t).to_string())
}

/// The built-in scripts of a case, by name: the exemplary (the one the
/// debrief shows) and the credulous, where they are found (`DIR/scripts/`,
/// then `tests/scripts/`, then, for the exemplary, the one built in).
pub fn built_in_scripts(id: &str, scenarios: Option<&Path>) -> Vec<(&'static str, String)> {
    let credulous = [
        scenarios.map(|d| d.join("scripts").join(format!("{id}.credulous.txt"))),
        Some(PathBuf::from("tests/scripts").join(format!("{id}.credulous.txt"))),
    ];
    [
        ("exemplary", expert_path(id, scenarios)),
        ("credulous", credulous.into_iter().flatten().find_map(|p| super::read_script(&p).ok())),
    ]
    .into_iter()
    .filter_map(|(name, text)| Some((name, text?)))
    .collect()
}

/// Where a scenario comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// Built into the binary, under this name.
    Builtin(&'static str),
}

impl Origin {
    /// Loads the scenario.
    pub fn load(&self) -> Result<Loaded, LoadError> {
        match self {
            Origin::File(path) => load_file(path),
            Origin::Builtin(name) => {
                let text = BUILTIN.iter().find(|(n, _)| n == name).map_or("", |(_, t)| t);
                load_str(name, text)
            }
        }
    }

    /// A label for messages.
    pub fn label(&self) -> String {
        match self {
            Origin::File(path) => path.display().to_string(),
            Origin::Builtin(name) => format!("{name} (built in)"),
        }
    }
}

/// The scenario files in a folder: the built-in cases first, in the course's
/// order (the first case first), then any others by name.
pub fn in_folder(dir: &Path) -> std::io::Result<Vec<Origin>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    let course_order = |p: &PathBuf| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        BUILTIN.iter().position(|(b, _)| b.ends_with(&format!("/{name}"))).unwrap_or(usize::MAX)
    };
    files.sort_by_key(|p| (course_order(p), p.clone()));
    Ok(files.into_iter().map(Origin::File).collect())
}

/// The scenarios on offer: those in `dir` if given, else `./scenarios` if it
/// exists, else the built-in ones.
pub fn discover(dir: Option<&Path>) -> std::io::Result<Vec<Origin>> {
    match dir {
        Some(dir) => in_folder(dir),
        None if Path::new("scenarios").is_dir() => in_folder(Path::new("scenarios")),
        None => Ok(BUILTIN.iter().map(|(name, _)| Origin::Builtin(name)).collect()),
    }
}

/// Finds a scenario by path, or by id among those on offer.
pub fn resolve(arg: &str, dir: Option<&Path>) -> Result<Origin, String> {
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(Origin::File(path.to_path_buf()));
    }
    let origins = discover(dir).map_err(|e| format!("cannot list scenarios: {e}"))?;
    let mut ids = Vec::new();
    let mut found: Vec<Origin> = Vec::new();
    for origin in origins {
        if let Ok((s, _)) = origin.load() {
            if s.meta.id == arg {
                found.push(origin);
            } else {
                ids.push(s.meta.id);
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no scenario file or id `{}`; scenarios on offer: {}",
            crate::echo::echo(arg),
            if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
        )),
        _ => Err(format!(
            "two or more files have the scenario id `{arg}` ({}): give the file's path, or change one id",
            found.iter().map(Origin::label).collect::<Vec<_>>().join(", ")
        )),
    }
}
