//! Playthrough scripts and session records.
//!
//! A *script* is what an author or a test writes: one action id per line.
//! A *record* is what a played case leaves behind: a JSON Lines file with a
//! header (scenario, version, seed), one line per action with its in-game and
//! wall-clock time, and a closing line with the ending and score. Because a
//! session is determined by (scenario, seed, actions), a record replays to the
//! exact state, and its score is always recomputed, never trusted.

use crate::scenario::Scenario;
use crate::scoring::{Criterion, Score};
use crate::sim::{ReplayError, Session};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The record format version.
pub const RECORD_FORMAT: u32 = 1;

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
    mut each: impl FnMut(&Session, usize),
) -> Result<Session, ScriptError> {
    let mut session = Session::new(scenario, seed);
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

/// The first line of a record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always `second-look-session`.
    pub record: String,
    /// [`RECORD_FORMAT`].
    pub format: u32,
    /// A random id for this session.
    pub session: uuid::Uuid,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's content version.
    pub scenario_version: String,
    /// The seed.
    pub seed: u64,
    /// When the session started (RFC 3339, UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub started: time::OffsetDateTime,
}

/// An action line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionLine {
    /// 0-based action number.
    pub n: usize,
    /// The action's id.
    pub action: String,
    /// In-game minutes when it was taken.
    pub game_minutes: u32,
    /// The same, in words.
    pub game_time: String,
    /// Wall-clock time (RFC 3339, UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub wall: time::OffsetDateTime,
}

/// The closing line, written when the case ends. Informational only: readers
/// recompute the score from the actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndLine {
    /// The ending's id.
    pub ending: String,
    /// Overall score.
    pub overall: f64,
    /// Followed up on inconsistencies.
    pub inconsistencies: f64,
    /// Checked carers.
    pub carers: f64,
    /// Escalated in time.
    pub escalations: f64,
    /// Wall-clock time.
    #[serde(with = "time::serde::rfc3339")]
    pub wall: time::OffsetDateTime,
}

/// Writes a record as a case is played: each line is appended and flushed at once.
pub struct RecordWriter {
    path: PathBuf,
    file: std::fs::File,
    written: usize,
}

impl RecordWriter {
    /// Creates the record file and writes its header. Refuses to overwrite.
    pub fn create(path: &Path, session: &Session) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut w = RecordWriter { path: path.to_path_buf(), file, written: 0 };
        let s = session.scenario();
        w.line(&Header {
            record: "second-look-session".into(),
            format: RECORD_FORMAT,
            session: uuid::Uuid::new_v4(),
            scenario: s.meta.id.clone(),
            scenario_version: s.meta.version.clone(),
            seed: session.seed(),
            started: time::OffsetDateTime::now_utc(),
        })?;
        Ok(w)
    }

    /// Where the record is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends every action taken since the last call, then the end line if the case is over.
    pub fn sync(&mut self, session: &Session) -> std::io::Result<()> {
        let s = session.scenario();
        for (n, a) in session.actions().iter().enumerate().skip(self.written) {
            let at = session
                .journal()
                .iter()
                .find_map(|e| match e {
                    crate::sim::Entry::Took { n: m, at, .. } if *m == n => Some(*at),
                    _ => None,
                })
                .unwrap_or(session.now());
            self.line(&ActionLine {
                n,
                action: s.action(*a).id.clone(),
                game_minutes: at.0,
                game_time: s.calendar.describe(at),
                wall: time::OffsetDateTime::now_utc(),
            })?;
            self.written = n + 1;
        }
        if let Some(ending) = session.ending() {
            let score = Score::of(session.rules(), session.state(), None);
            self.line(&EndLine {
                ending: ending.id.clone(),
                overall: round1(score.overall),
                inconsistencies: round1(score.criterion(Criterion::Inconsistencies).score),
                carers: round1(score.criterion(Criterion::Carers).score),
                escalations: round1(score.criterion(Criterion::Escalations).score),
                wall: time::OffsetDateTime::now_utc(),
            })?;
        }
        Ok(())
    }

    fn line(&mut self, value: &impl Serialize) -> std::io::Result<()> {
        let mut text = serde_json::to_string(value).map_err(std::io::Error::other)?;
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

/// A record read back: its header and the action ids in order.
#[derive(Clone, Debug)]
pub struct Record {
    /// The header.
    pub header: Header,
    /// The actions.
    pub actions: Vec<ActionLine>,
    /// The end line, if the case was finished.
    pub end: Option<EndLine>,
}

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not what a record holds.
    #[error("{path}:{line}: {message}")]
    Bad {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The record's actions do not replay on this scenario.
    #[error("{path}: does not replay: {source}")]
    Replay {
        /// The file.
        path: String,
        /// Why.
        source: Box<ReplayError>,
    },
}

/// Reads a record file.
pub fn read_record(path: &Path) -> Result<Record, RecordError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| RecordError::Io { path: name.clone(), source })?;
    let bad = |line: usize, message: String| RecordError::Bad { path: name.clone(), line, message };
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        bad(line, "not valid UTF-8: the record is damaged".into())
    })?;
    let mut lines = text.lines().enumerate();
    let header: Header = match lines.next() {
        Some((_, l)) => serde_json::from_str(l).map_err(|e| bad(1, format!("not a Second Look record header: {e}")))?,
        None => return Err(bad(1, "the record is empty".into())),
    };
    if header.record != "second-look-session" {
        return Err(bad(1, "not a Second Look session record".into()));
    }
    if header.format != RECORD_FORMAT {
        return Err(bad(
            1,
            format!("record format {} is not supported (this build reads {RECORD_FORMAT})", header.format),
        ));
    }
    let mut actions = Vec::new();
    let mut end = None;
    for (i, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        if end.is_some() {
            return Err(bad(i + 1, "a line follows the end of the case".into()));
        }
        if l.contains("\"ending\"") {
            end = Some(serde_json::from_str(l).map_err(|e| bad(i + 1, format!("damaged end line: {e}")))?);
        } else {
            let a: ActionLine = serde_json::from_str(l).map_err(|e| bad(i + 1, format!("damaged action line: {e}")))?;
            if a.n != actions.len() {
                return Err(bad(i + 1, format!("action {} out of order (expected {})", a.n, actions.len())));
            }
            actions.push(a);
        }
    }
    Ok(Record { header, actions, end })
}

impl Record {
    /// Replays the record on its scenario.
    pub fn replay(&self, scenario: Arc<Scenario>, path: &Path) -> Result<Session, RecordError> {
        let ids: Vec<&str> = self.actions.iter().map(|a| a.action.as_str()).collect();
        Session::replay(scenario, self.header.seed, &ids)
            .map_err(|source| RecordError::Replay { path: path.display().to_string(), source: Box::new(source) })
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
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
