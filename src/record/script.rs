//! Playthrough scripts: what an author or a test writes, one action id per
//! line, `#` for comments.
//!
//! A line may end with `? switch=option` (or `? switch!=option`): the step is
//! taken only in that version of the case, so one script can walk the
//! concern version and the benign one (`ask_for_the_report ? story=concern`).

use crate::scenario::Scenario;
use crate::sim::{Session, Variation};
use std::sync::Arc;

/// One action in a script, with the line it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStep {
    /// 1-based line number.
    pub line: usize,
    /// The action id.
    pub id: String,
    /// Taken only when this switch has (or, with `false`, has not) this option.
    pub only_if: Option<(String, String, bool)>,
}

impl ScriptStep {
    /// Whether the step is taken in this version of the case. A condition
    /// naming a switch or option the scenario does not have never holds.
    pub fn applies(&self, s: &Scenario, v: &Variation) -> bool {
        let Some((switch, option, equal)) = &self.only_if else { return true };
        let known = s.switches.iter().any(|w| w.id == *switch && w.options.contains(option));
        known && (v.option(s, switch) == Some(option.as_str())) == *equal
    }
}

/// Parses a script: one action id per line; `#` starts a comment; `? s=o`
/// or `? s!=o` after the id limits the step to a version of the case.
pub fn parse_script(text: &str) -> Vec<ScriptStep> {
    // Any line ending a text editor writes (LF, CRLF, or a lone CR), and no
    // byte-order mark glued to the first id.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n").replace('\r', "\n");
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let body = line.split('#').next().unwrap_or("");
            let (id, condition) = match body.split_once('?') {
                Some((id, c)) => (id.trim(), Some(c.trim())),
                None => (body.trim(), None),
            };
            let only_if = condition.and_then(|c| {
                let (switch, option, equal) = match c.split_once("!=") {
                    Some((s, o)) => (s, o, false),
                    None => {
                        let (s, o) = c.split_once('=')?;
                        (s, o, true)
                    }
                };
                Some((switch.trim().to_string(), option.trim().to_string(), equal))
            });
            (!id.is_empty()).then(|| ScriptStep { line: i + 1, id: id.to_string(), only_if })
        })
        .collect()
}

/// The ids of the steps taken in one version of the case.
pub fn steps_for(steps: &[ScriptStep], s: &Scenario, v: &Variation) -> Vec<String> {
    steps.iter().filter(|st| st.applies(s, v)).map(|st| st.id.clone()).collect()
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
        if !step.applies(session.scenario(), session.variation()) {
            continue;
        }
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
            vec![
                ScriptStep { line: 3, id: "open_file".into(), only_if: None },
                ScriptStep { line: 4, id: "call_nursery".into(), only_if: None }
            ]
        );
    }

    #[test]
    fn a_step_can_be_limited_to_one_version_of_the_case() {
        let steps = parse_script("ask ? story=benign  # only then\nclose ? story != benign\n");
        assert_eq!(steps[0].only_if, Some(("story".into(), "benign".into(), true)));
        assert_eq!(steps[1].id, "close");
        assert_eq!(steps[1].only_if, Some(("story".into(), "benign".into(), false)));
        // The README example has no switches: a condition on one never holds.
        let s = crate::scenario::example::scenario();
        let v = Variation::roll(&s, 1);
        assert!(!steps[0].applies(&s, &v) && !steps[1].applies(&s, &v));
    }
}
