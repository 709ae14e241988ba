//! Playthrough scripts: what an author or a test writes, one action id per
//! line, `#` for comments.

use crate::scenario::Scenario;
use crate::sim::Session;
use std::sync::Arc;

/// One action in a script, with the line it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStep {
    /// 1-based line number.
    pub line: usize,
    /// The action id.
    pub id: String,
}

/// Parses a script: one action id per line; `#` starts a comment.
pub fn parse_script(text: &str) -> Vec<ScriptStep> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let id = line.split('#').next().unwrap_or("").trim();
            (!id.is_empty()).then(|| ScriptStep { line: i + 1, id: id.to_string() })
        })
        .collect()
}

/// A script step that could not be played.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ScriptError {
    /// The script file.
    pub file: String,
    /// The line.
    pub line: usize,
    /// What went wrong, with what was offered instead.
    pub message: String,
}

/// Plays a script from the start; on failure says which line and what was offered.
pub fn play_script(
    scenario: Arc<Scenario>,
    seed: u64,
    file: &str,
    steps: &[ScriptStep],
    each: impl FnMut(&Session, usize),
) -> Result<Session, ScriptError> {
    continue_script(Session::new(scenario, seed), file, steps, each)
}

/// Plays script steps on from a session already under way. `each` is called
/// after every step with the session and the journal length before it.
pub fn continue_script(
    mut session: Session,
    file: &str,
    steps: &[ScriptStep],
    mut each: impl FnMut(&Session, usize),
) -> Result<Session, ScriptError> {
    for step in steps {
        let before = session.journal().len();
        if let Err(e) = session.take_id(&step.id) {
            let offered: Vec<String> =
                session.available().iter().map(|a| session.scenario().action(*a).id.clone()).collect();
            let mut message = format!(
                "{e} (scene `{}`, {})",
                session.scene().id,
                session.scenario().calendar.describe(session.now())
            );
            if let crate::sim::ActionError::Unknown(id) = &e {
                let all: Vec<&str> = session.scenario().actions.iter().map(|a| a.id.as_str()).collect();
                message.push_str(&format!("; {}", crate::scenario::suggest(id, &all)));
            } else if offered.is_empty() {
                message.push_str("; nothing is offered: the case is over");
            } else {
                message.push_str(&format!("; offered here: {}", offered.join(", ")));
            }
            return Err(ScriptError { file: file.to_string(), line: step.line, message });
        }
        each(&session, before);
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_skip_comments_and_blank_lines_and_keep_line_numbers() {
        let steps = parse_script("# exemplary\n\nopen_file   # first\n  call_nursery\n#done\n");
        assert_eq!(
            steps,
            vec![ScriptStep { line: 3, id: "open_file".into() }, ScriptStep { line: 4, id: "call_nursery".into() }]
        );
    }
}
