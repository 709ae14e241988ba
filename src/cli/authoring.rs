//! `new` and `proof`: starting a case, and the copy reviewers sign off.

use super::write_page;
use crate::scenario::catalogue::{self, Origin};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes the proof copy of a case.
pub(super) fn proof(scenario: &str, out: Option<PathBuf>, scenarios: Option<&Path>) -> ExitCode {
    let origin = match catalogue::resolve(scenario, scenarios) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (name, text) = match &origin {
        Origin::File(p) => match crate::storage::read_regular(p, crate::scenario::SCENARIO_MAX_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
        {
            Ok(t) => (p.display().to_string(), t),
            Err(e) => {
                eprintln!("error: {}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        Origin::Builtin(n) => (
            n.to_string(),
            catalogue::BUILTIN.iter().find(|(b, _)| b == n).map_or(String::new(), |(_, t)| (*t).to_string()),
        ),
    };
    let model = match crate::scenario::load_model(&name, &text) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{}", e.render(std::io::stderr().is_terminal()));
            eprintln!("error: the case has problems; mend them (see above) before making a proof copy");
            return ExitCode::from(1);
        }
    };
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{}-proof.html", model.meta.id)));
    write_page(&path, &crate::proof::html(&model))
}

/// Writes a new case from the template, never over an existing file.
pub(super) fn new_case(id: &str, title: &str, out: Option<PathBuf>) -> ExitCode {
    if !crate::scenario::is_case_id(id) {
        eprintln!("error: `{}`: a case id is 1 to 64 lower-case letters, digits and hyphens", crate::echo::echo(id));
        return ExitCode::from(2);
    }
    if title.chars().count() > 120 || title.chars().any(char::is_control) {
        eprintln!("error: --title: at most 120 characters, and no control characters");
        return ExitCode::from(2);
    }
    let path = out.unwrap_or_else(|| PathBuf::from("scenarios").join(format!("{id}.ron")));
    let text = crate::scenario::new_case(id, title);
    let written =
        path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()
        });
    match written {
        Ok(()) => {
            println!("wrote {}: it validates and plays as it stands", path.display());
            println!("next: second-look validate {}   (after each change)", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}
