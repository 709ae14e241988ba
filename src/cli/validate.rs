//! `validate` and `migrate`: checking scenario files and bringing old ones up to date.

use crate::scenario::Diagnostic;
use crate::scenario::catalogue::{self, Origin};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Checks scenario files and prints every problem; exit 1 on errors (or warnings, if denied).
pub(super) fn validate(paths: &[PathBuf], dir: Option<&Path>, deny_warnings: bool) -> ExitCode {
    let mut origins = Vec::new();
    if paths.is_empty() {
        match catalogue::discover(dir) {
            Ok(o) => origins = o,
            Err(e) => {
                eprintln!("error: cannot list scenarios: {e}");
                return ExitCode::from(2);
            }
        }
    }
    for p in paths {
        if p.is_dir() {
            match catalogue::in_folder(p) {
                Ok(o) => origins.extend(o),
                Err(e) => eprintln!("error: {}: {e}", p.display()),
            }
        } else {
            origins.push(Origin::File(p.clone()));
        }
    }
    let colour = std::io::stderr().is_terminal();
    let (mut errors, mut warnings) = (0, 0);
    // Two files with one scenario id: `play ID` could not know which is meant.
    let mut seen_ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for origin in &origins {
        let (diagnostics, text, summary): (Vec<Diagnostic>, String, Option<String>) = match origin.load() {
            Ok((s, _)) if seen_ids.contains_key(&s.meta.id) => {
                errors += 1;
                eprintln!(
                    "error: {}: the scenario id `{}` is already used by {}; each case needs its own id",
                    origin.label(),
                    s.meta.id,
                    seen_ids[&s.meta.id]
                );
                (Vec::new(), String::new(), None)
            }
            Ok((s, w)) => {
                seen_ids.insert(s.meta.id.clone(), origin.label());
                let summary = format!(
                    "{} scenes, {} choices and hotspots, {} facts, {} people, {} rubric items",
                    s.scenes.len(),
                    s.actions.len(),
                    s.facts.len(),
                    s.people.len(),
                    s.rubric.inconsistencies.len() + s.rubric.carers.len() + s.rubric.escalations.len()
                );
                let text = match origin {
                    Origin::File(p) => std::fs::read_to_string(p).unwrap_or_default(),
                    Origin::Builtin(name) => catalogue::BUILTIN
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or(String::new(), |(_, t)| (*t).to_string()),
                };
                (w, text, Some(summary))
            }
            Err(e) => (e.diagnostics.clone(), e.text.clone(), None),
        };
        errors += diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += diagnostics.iter().filter(|d| !d.is_error()).count();
        if !diagnostics.is_empty() {
            eprint!("{}", crate::scenario::diagnostic::render(&diagnostics, &text, colour));
        }
        match summary {
            Some(summary) => println!("ok    {} ({summary})", origin.label()),
            None => println!("FAIL  {}", origin.label()),
        }
    }
    println!("{} file(s): {errors} error(s), {warnings} warning(s)", origins.len());
    if errors > 0 || (deny_warnings && warnings > 0) || origins.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Brings scenario files up to the current format, each written atomically.
pub(super) fn migrate(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in files {
        match crate::scenario::migrate_file(path) {
            Ok(Some(from)) => {
                println!("migrated {} from format {from} to {}", path.display(), crate::scenario::model::FORMAT_VERSION)
            }
            Ok(None) => println!("{} is already format {}", path.display(), crate::scenario::model::FORMAT_VERSION),
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
