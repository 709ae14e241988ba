//! Session records: what a played case leaves behind.
//!
//! A record is a JSON Lines file, one line per thing that happened, written
//! as the case is played and flushed to disk at every action:
//!
//! ```text
//! {"type":"header","record":"second-look-session","format":1,"session":"…","scenario":"…","seed":7,…}
//! {"type":"action","n":0,"action":"read_referral","game_minutes":540,"game_time":"Day 1, Wednesday 09:00","wall":"…"}
//! {"type":"reflection","scene":"strategy","game_minutes":600,"text":"…","wall":"…"}
//! {"type":"end","ending":"protected_in_time","overall":100.0,…}
//! ```
//!
//! Because a session is determined by (scenario, seed, actions), a record
//! replays to the exact state. Scores are always recomputed from the actions;
//! the end line's score is only a convenience, and a record whose end line
//! disagrees with the replay is reported as edited. Killing the process loses
//! at most the line being written; a record whose last line is cut off is
//! reported as truncated, with the intact part kept for resuming, and a
//! damaged record is never written to again.

mod script;

pub use script::{ScriptError, ScriptStep, continue_script, parse_script, play_script, steps_for};

use crate::scenario::Scenario;
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, ReplayError, Session};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::OffsetDateTime;

/// The record format version this build reads and writes.
pub const RECORD_FORMAT: u32 = 1;

/// The `record` field of every header.
pub const RECORD_KIND: &str = "second-look-session";

/// Assessment (feedback only in the debrief) or practice (feedback after each settling choice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// No feedback until the debrief; the default for facilitated and CPD sessions.
    #[default]
    Assessment,
    /// A short feedback card after each choice that settles a rubric item.
    Practice,
}

/// The first line of a record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`RECORD_KIND`].
    pub record: String,
    /// [`RECORD_FORMAT`].
    pub format: u32,
    /// A random id for this session (also the xAPI registration).
    pub session: uuid::Uuid,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's content version.
    pub scenario_version: String,
    /// The seed.
    pub seed: u64,
    /// When the session started.
    #[serde(with = "time::serde::rfc3339")]
    pub started: OffsetDateTime,
    /// Assessment or practice.
    #[serde(default)]
    pub mode: Mode,
    /// A pseudonym for this computer's trainee (never their name).
    #[serde(default)]
    pub pseudonym: String,
    /// The version of Second Look that wrote it.
    #[serde(default)]
    pub app_version: String,
}

/// An action the trainee took.
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
    /// Wall-clock time.
    #[serde(with = "time::serde::rfc3339")]
    pub wall: OffsetDateTime,
}

/// A written reflection (at a discussion pause).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReflectionLine {
    /// The scene whose question it answers.
    pub scene: String,
    /// How many actions had been taken when it was written.
    pub after_actions: usize,
    /// In-game minutes.
    pub game_minutes: u32,
    /// What the trainee wrote.
    pub text: String,
    /// Wall-clock time.
    #[serde(with = "time::serde::rfc3339")]
    pub wall: OffsetDateTime,
}

/// The closing line, written when the case ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndLine {
    /// The ending's id.
    pub ending: String,
    /// Overall score (recomputed on reading; a mismatch means the file was edited).
    pub overall: f64,
    /// Followed up on inconsistencies.
    pub inconsistencies: f64,
    /// Checked carers.
    pub carers: f64,
    /// Escalated in time.
    pub escalations: f64,
    /// Wall-clock time.
    #[serde(with = "time::serde::rfc3339")]
    pub wall: OffsetDateTime,
}

/// The trainee came back to an unfinished case (the program had been closed,
/// or stopped): what xAPI calls suspended, then resumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumedLine {
    /// How many actions had been taken before the break.
    pub after_actions: usize,
    /// Wall-clock time of coming back.
    #[serde(with = "time::serde::rfc3339")]
    pub wall: OffsetDateTime,
}

/// One line of a record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    /// The header.
    Header(Header),
    /// An action.
    Action(ActionLine),
    /// A reflection.
    Reflection(ReflectionLine),
    /// The end.
    End(EndLine),
    /// Coming back to the case after a break.
    Resumed(ResumedLine),
}

/// A record read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The header.
    pub header: Header,
    /// The actions, in order.
    pub actions: Vec<ActionLine>,
    /// Reflections, in order.
    pub reflections: Vec<ReflectionLine>,
    /// The end line, if the case was finished.
    pub end: Option<EndLine>,
    /// Lines of types this build does not know (from a newer version), skipped.
    pub skipped: Vec<String>,
    /// Each time the case was taken up again after a break.
    pub resumed: Vec<ResumedLine>,
}

impl Record {
    /// The action ids, in order.
    pub fn action_ids(&self) -> Vec<&str> {
        self.actions.iter().map(|a| a.action.as_str()).collect()
    }

    /// Replays the record on its scenario; the end line's score must match the replay.
    pub fn replay(&self, scenario: Arc<Scenario>, path: &Path) -> Result<Session, RecordError> {
        let name = path.display().to_string();
        if scenario.meta.id != self.header.scenario {
            return Err(RecordError::WrongScenario {
                path: name,
                recorded: self.header.scenario.clone(),
                given: scenario.meta.id.clone(),
            });
        }
        let session = Session::replay(scenario, self.header.seed, &self.action_ids())
            .map_err(|source| RecordError::Replay { path: name.clone(), source: Box::new(source) })?;
        if let Some(end) = &self.end {
            let score = Score::of(session.rules(), session.state(), None);
            let ending = session.ending().map(|e| e.id.as_str()).unwrap_or("(the case had not ended)");
            let recomputed = end_scores(&score);
            let recorded = [end.overall, end.inconsistencies, end.carers, end.escalations];
            if ending != end.ending || recomputed.iter().zip(recorded).any(|(a, b)| (a - b).abs() > 0.05) {
                return Err(RecordError::Edited {
                    path: name,
                    message: format!(
                        "the end line says `{}` with {:.1} overall, but replaying the actions gives `{ending}` with {:.1}",
                        end.ending, end.overall, recomputed[0]
                    ),
                });
            }
        }
        Ok(session)
    }
}

fn end_scores(score: &Score) -> [f64; 4] {
    [
        round1(score.overall),
        round1(score.criterion(Criterion::Inconsistencies).score),
        round1(score.criterion(Criterion::Carers).score),
        round1(score.criterion(Criterion::Escalations).score),
    ]
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Why a record could not be read or replayed.
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
    Damaged {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The last line was cut off (the program stopped while writing it).
    #[error(
        "{path}:{line}: the last line is cut off (the program stopped while writing it); the {} action(s) before it are intact",
        intact.actions.len()
    )]
    Truncated {
        /// The file.
        path: String,
        /// 1-based line of the cut-off line.
        line: usize,
        /// Everything before it.
        intact: Box<Record>,
    },
    /// The record is for another scenario than the one given.
    #[error("{path}: recorded on scenario `{recorded}`, not `{given}`")]
    WrongScenario {
        /// The file.
        path: String,
        /// The scenario in the record.
        recorded: String,
        /// The scenario given.
        given: String,
    },
    /// The actions do not replay on this scenario.
    #[error("{path}: does not replay: {source}")]
    Replay {
        /// The file.
        path: String,
        /// Why.
        source: Box<ReplayError>,
    },
    /// The end line does not match what the actions give.
    #[error("{path}: edited or damaged: {message}")]
    Edited {
        /// The file.
        path: String,
        /// What disagrees.
        message: String,
    },
}

/// The largest record read, in bytes: a long case is a few hundred actions
/// of about 200 bytes each; this allows for a hundred thousand.
pub const RECORD_MAX_BYTES: u64 = 32 * 1024 * 1024;

use crate::echo::echo;
use crate::storage::read_regular;

/// Reads a record. Any damage is an error; a cut-off last line is
/// [`RecordError::Truncated`], which carries the intact part.
pub fn read_record(path: &Path) -> Result<Record, RecordError> {
    let name = path.display().to_string();
    let bytes =
        read_regular(path, RECORD_MAX_BYTES).map_err(|source| RecordError::Io { path: name.clone(), source })?;
    parse_record(&name, &bytes)
}

/// The line types this build reads; a newer version's other lines are skipped.
const KNOWN_LINES: [&str; 5] = ["header", "action", "reflection", "end", "resumed"];

/// Parses the bytes of a record file; `name` is used in messages.
///
/// Accepted as written by any editor or copy: a UTF-8 byte-order mark, blank
/// lines, and lines of a type a newer version added (skipped, and listed in
/// [`Record::skipped`]). A last line cut off, even inside a character, is
/// [`RecordError::Truncated`] with everything before it intact.
pub fn parse_record(name: &str, bytes: &[u8]) -> Result<Record, RecordError> {
    let damaged = |line: usize, message: String| RecordError::Damaged { path: name.to_string(), line, message };
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.valid_up_to();
            let line = bytes[..good].iter().filter(|b| **b == b'\n').count() + 1;
            // Bad bytes only after the last newline: the last line was cut
            // off mid-character (or is otherwise unfinished), not damaged.
            if !bytes[good..].contains(&b'\n') {
                let end = bytes[..good].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let intact = std::str::from_utf8(&bytes[..end]).unwrap_or_default();
                let mut cut = intact.to_string();
                cut.push('\u{1}');
                return match parse_record(name, cut.as_bytes()) {
                    Err(RecordError::Truncated { intact, .. }) => {
                        Err(RecordError::Truncated { path: name.to_string(), line, intact })
                    }
                    Err(other) => Err(other),
                    Ok(_) => Err(damaged(line, "not valid UTF-8 text: the file is damaged".into())),
                };
            }
            return Err(damaged(line, "not valid UTF-8 text: the file is damaged".into()));
        }
    };
    if text.trim().is_empty() {
        return Err(damaged(1, "the record is empty".into()));
    }
    // Trailing blank lines (an editor's, a copy's) are not a cut-off line.
    let body = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    let complete = text.len() > body.len() && text[body.len()..].contains('\n');
    let lines: Vec<&str> = body.lines().collect();
    let mut record: Option<Record> = None;
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        // Every write ends with a newline, so a last line without one was
        // cut off, whether or not it happens to parse.
        if number == lines.len() && !complete {
            return match record {
                Some(intact) => {
                    Err(RecordError::Truncated { path: name.to_string(), line: number, intact: Box::new(intact) })
                }
                None => Err(damaged(number, "the header is cut off: nothing can be recovered".into())),
            };
        }
        if raw.trim().is_empty() {
            continue;
        }
        // One parse for a line this build knows; a second look only at a line it does not.
        let line: Line = match serde_json::from_str(raw) {
            Ok(line) => line,
            Err(e) => {
                #[derive(Deserialize)]
                struct Kind {
                    #[serde(rename = "type")]
                    kind: String,
                }
                match serde_json::from_str::<Kind>(raw) {
                    Ok(Kind { kind }) if !KNOWN_LINES.contains(&kind.as_str()) && record.is_some() => {
                        if let Some(r) = record.as_mut() {
                            r.skipped
                                .push(format!("line {number}: a `{}` line from a newer version, skipped", echo(&kind)));
                        }
                        continue;
                    }
                    _ => return Err(damaged(number, format!("not a record line: {e}"))),
                }
            }
        };
        match (line, record.as_mut()) {
            (Line::Header(h), None) => {
                if h.record != RECORD_KIND {
                    return Err(damaged(number, format!("not a Second Look session record (`{}`)", echo(&h.record))));
                }
                if h.format != RECORD_FORMAT {
                    return Err(damaged(
                        number,
                        format!("record format {} is not supported; this build reads format {RECORD_FORMAT}", h.format),
                    ));
                }
                record = Some(Record {
                    header: h,
                    actions: Vec::new(),
                    reflections: Vec::new(),
                    end: None,
                    skipped: Vec::new(),
                    resumed: Vec::new(),
                });
            }
            (_, None) => return Err(damaged(number, "the record does not start with a header".into())),
            (Line::Header(_), Some(_)) => return Err(damaged(number, "a second header".into())),
            (_, Some(r)) if r.end.is_some() => return Err(damaged(number, "a line after the end of the case".into())),
            (Line::Action(a), Some(r)) => {
                if a.n != r.actions.len() {
                    return Err(damaged(number, format!("action {} out of order (expected {})", a.n, r.actions.len())));
                }
                r.actions.push(a);
            }
            (Line::Reflection(x), Some(r)) => r.reflections.push(x),
            (Line::Resumed(x), Some(r)) => r.resumed.push(x),
            (Line::End(e), Some(r)) => r.end = Some(e),
        }
    }
    let record = record.ok_or_else(|| damaged(1, "no header".into()))?;
    // Every time must exist in UTC, where the debrief, the CPD record and
    // xAPI put it (9999-12-31T23:59:59-23:59 does not).
    let in_utc = |t: &OffsetDateTime| t.checked_to_offset(time::UtcOffset::UTC).is_some();
    let times = std::iter::once(&record.header.started)
        .chain(record.actions.iter().map(|a| &a.wall))
        .chain(record.reflections.iter().map(|r| &r.wall))
        .chain(record.resumed.iter().map(|r| &r.wall))
        .chain(record.end.iter().map(|e| &e.wall));
    if let Some(bad) = times.into_iter().find(|t| !in_utc(t)) {
        return Err(damaged(
            1,
            format!("a time out of range ({bad}): times must fall between the years 1 and 9999 in UTC"),
        ));
    }
    Ok(record)
}

/// A whole record for a session played elsewhere (generated test data, a
/// bulk export), as one text, with every action stamped with the same wall time.
pub fn record_text(session: &Session, mode: Mode, pseudonym: &str, started: OffsetDateTime) -> String {
    let s = session.scenario();
    let mut lines = vec![Line::Header(Header {
        record: RECORD_KIND.into(),
        format: RECORD_FORMAT,
        session: uuid::Uuid::new_v4(),
        scenario: s.meta.id.clone(),
        scenario_version: s.meta.version.clone(),
        seed: session.seed(),
        started,
        mode,
        pseudonym: pseudonym.to_string(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
    })];
    for e in session.journal() {
        if let Entry::Took { n, action, at } = e {
            lines.push(Line::Action(ActionLine {
                n: *n,
                action: s.action(*action).id.clone(),
                game_minutes: at.0,
                game_time: s.calendar.describe(*at),
                wall: started,
            }));
        }
    }
    if let Some(ending) = session.ending() {
        let [overall, inconsistencies, carers, escalations] =
            end_scores(&Score::of(session.rules(), session.state(), None));
        lines.push(Line::End(EndLine {
            ending: ending.id.clone(),
            overall,
            inconsistencies,
            carers,
            escalations,
            wall: started,
        }));
    }
    lines.iter().filter_map(|l| serde_json::to_string(l).ok()).map(|l| l + "\n").collect()
}

/// Appends a record as a case is played. Every line is written whole and
/// flushed to disk before the call returns.
#[derive(Debug)]
pub struct RecordWriter {
    path: PathBuf,
    file: std::fs::File,
    written: usize,
    ended: bool,
}

impl RecordWriter {
    /// Starts a new record at `path` (which must not exist) for a session.
    pub fn create(path: &Path, session: &Session, mode: Mode, pseudonym: &str) -> std::io::Result<Self> {
        if session.started_at().is_some() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a case opened part-way through (an author's test) has no record",
            ));
        }
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut w = RecordWriter { path: path.to_path_buf(), file, written: 0, ended: false };
        let s = session.scenario();
        w.line(&Line::Header(Header {
            record: RECORD_KIND.into(),
            format: RECORD_FORMAT,
            session: uuid::Uuid::new_v4(),
            scenario: s.meta.id.clone(),
            scenario_version: s.meta.version.clone(),
            seed: session.seed(),
            started: OffsetDateTime::now_utc(),
            mode,
            pseudonym: pseudonym.to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
        }))?;
        w.sync(session)?;
        Ok(w)
    }

    /// Starts a new record at `path` that carries on `from` (whose actions
    /// `session` has replayed): its header, actions and reflections exactly
    /// as they were, with their original times, so a resumed session's
    /// statements are the same statements (an LRS sees a re-send, not a
    /// conflict). Written in one go with one flush; if that fails, the new
    /// file is removed, not left half-made.
    pub fn create_continuing(path: &Path, from: &Record, session: &Session) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut w = RecordWriter { path: path.to_path_buf(), file, written: 0, ended: false };
        let mut lines = vec![Line::Header(from.header.clone())];
        let mut reflections = from.reflections.iter().peekable();
        let mut resumed = from.resumed.iter().peekable();
        for (n, a) in from.actions.iter().enumerate().take(session.actions().len()) {
            while let Some(r) = resumed.next_if(|r| r.after_actions <= n) {
                lines.push(Line::Resumed(r.clone()));
            }
            while let Some(r) = reflections.next_if(|r| r.after_actions <= n) {
                lines.push(Line::Reflection(r.clone()));
            }
            lines.push(Line::Action(a.clone()));
        }
        lines.extend(resumed.map(|r| Line::Resumed(r.clone())));
        lines.extend(reflections.map(|r| Line::Reflection(r.clone())));
        let copied = (|| -> std::io::Result<()> {
            let mut text = String::new();
            for line in &lines {
                text.push_str(&serde_json::to_string(line).map_err(std::io::Error::other)?);
                text.push('\n');
            }
            w.file.write_all(text.as_bytes())?;
            w.file.sync_data()?;
            w.written = from.actions.len().min(session.actions().len());
            w.sync(session)
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        Ok(w)
    }

    /// Starts a new record in `dir`, named by time, scenario and session id.
    pub fn create_in(dir: &Path, session: &Session, mode: Mode, pseudonym: &str) -> std::io::Result<Self> {
        let stamp = OffsetDateTime::now_utc();
        let name = format!(
            "{:04}-{:02}-{:02}T{:02}-{:02}-{:02}Z_{}_{}.jsonl",
            stamp.year(),
            u8::from(stamp.month()),
            stamp.day(),
            stamp.hour(),
            stamp.minute(),
            stamp.second(),
            session.scenario().meta.id,
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self::create(&dir.join(name), session, mode, pseudonym)
    }

    /// Continues an intact, unfinished record whose actions `session` has replayed.
    pub fn append_to(path: &Path, session: &Session) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().append(true).open(path)?;
        Ok(RecordWriter { path: path.to_path_buf(), file, written: session.actions().len(), ended: session.is_over() })
    }

    /// Where the record is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends every action taken since the last call, then the end line if
    /// the case is over.
    pub fn sync(&mut self, session: &Session) -> std::io::Result<()> {
        // A record replays from the start: a session that did not begin
        // there, or that has fewer actions than the record already holds (a
        // different run), cannot continue it.
        if session.started_at().is_some() || session.actions().len() < self.written {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "this session is not the one the record holds (a test start or a different run): not written",
            ));
        }
        let s = session.scenario();
        let journal = session.journal();
        for (n, a) in session.actions().iter().enumerate().skip(self.written) {
            let at = journal
                .iter()
                .find_map(|e| match e {
                    Entry::Took { n: m, at, .. } if *m == n => Some(*at),
                    _ => None,
                })
                .unwrap_or(session.now());
            self.line(&Line::Action(ActionLine {
                n,
                action: s.action(*a).id.clone(),
                game_minutes: at.0,
                game_time: s.calendar.describe(at),
                wall: OffsetDateTime::now_utc(),
            }))?;
            self.written = n + 1;
        }
        if let Some(ending) = session.ending()
            && !self.ended
        {
            let [overall, inconsistencies, carers, escalations] =
                end_scores(&Score::of(session.rules(), session.state(), None));
            self.line(&Line::End(EndLine {
                ending: ending.id.clone(),
                overall,
                inconsistencies,
                carers,
                escalations,
                wall: OffsetDateTime::now_utc(),
            }))?;
            self.ended = true;
        }
        Ok(())
    }

    /// Notes that the case is being taken up again after a break.
    pub fn resumed(&mut self, session: &Session) -> std::io::Result<()> {
        self.line(&Line::Resumed(ResumedLine {
            after_actions: session.actions().len(),
            wall: OffsetDateTime::now_utc(),
        }))
    }

    /// Appends a reflection written at a discussion pause.
    pub fn reflect(&mut self, session: &Session, scene: &str, text: &str) -> std::io::Result<()> {
        self.line(&Line::Reflection(ReflectionLine {
            scene: scene.to_string(),
            after_actions: session.actions().len(),
            game_minutes: session.now().0,
            text: text.to_string(),
            wall: OffsetDateTime::now_utc(),
        }))
    }

    fn line(&mut self, value: &Line) -> std::io::Result<()> {
        let mut text = serde_json::to_string(value).map_err(std::io::Error::other)?;
        text.push('\n');
        // One write call per line, then to disk: a kill loses at most this line.
        self.file.write_all(text.as_bytes())?;
        self.file.sync_data()
    }
}

/// A record found in a folder, for the resume list and cohort reading.
#[derive(Debug)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// What was read (or why not).
    pub read: Result<Record, RecordError>,
}

/// The most records read from one folder (the resume list, `cohort`, `sync`).
pub const FOLDER_MAX_RECORDS: usize = 100_000;

/// Every `*.jsonl` record in a folder, newest file name first, up to
/// [`FOLDER_MAX_RECORDS`].
pub fn records_in(dir: &Path) -> Vec<Found> {
    newest_records(dir).into_iter().map(|path| Found { read: read_record(&path), path }).collect()
}

/// The record files (`*.jsonl`) in a folder, by name (oldest first, as
/// records are named by when they began); none if it cannot be read.
pub fn record_paths(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// The newest [`FOLDER_MAX_RECORDS`] record files in a folder, newest first, unread.
pub fn newest_records(dir: &Path) -> Vec<PathBuf> {
    let mut paths = record_paths(dir).unwrap_or_default();
    paths.reverse();
    paths.truncate(FOLDER_MAX_RECORDS);
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::example;

    fn session(actions: &[&str]) -> Session {
        Session::replay(example::scenario(), 5, actions).unwrap()
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("second-look-record-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A record with a reflection holding multi-byte characters, played to
    /// three actions, as bytes.
    fn record_bytes(dir: &Path) -> (Vec<u8>, PathBuf) {
        let mut s = Session::new(example::scenario(), 5);
        let mut w = RecordWriter::create_in(dir, &s, Mode::Assessment, "t").unwrap();
        s.take_id("call_nursery").unwrap();
        w.sync(&s).unwrap();
        w.reflect(&s, "home", "It’s the café’s view — naïve?").unwrap();
        for a in ["visit", "ask"] {
            s.take_id(a).unwrap();
            w.sync(&s).unwrap();
        }
        (std::fs::read(w.path()).unwrap(), w.path().to_path_buf())
    }

    #[test]
    fn a_record_cut_anywhere_keeps_every_action_before_the_cut() {
        let dir = temp("cut-anywhere");
        let (bytes, _) = record_bytes(&dir);
        let header_end = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
        for cut in header_end + 1..bytes.len() {
            let whole_lines = bytes[..cut].iter().filter(|b| **b == b'\n').count();
            let expected = bytes[..cut]
                .split(|b| *b == b'\n')
                .take(whole_lines)
                .filter(|l| l.starts_with(b"{\"type\":\"action\""))
                .count();
            match parse_record("r.jsonl", &bytes[..cut]) {
                Err(RecordError::Truncated { intact, .. }) => {
                    assert_eq!(intact.actions.len(), expected, "cut at byte {cut}")
                }
                Ok(r) => assert!(cut_is_at_line_end(&bytes, cut), "cut at {cut} read as whole: {r:?}"),
                Err(e) => panic!("cut at byte {cut} (inside a character?): {e}"),
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    fn cut_is_at_line_end(bytes: &[u8], cut: usize) -> bool {
        bytes[cut - 1] == b'\n'
    }

    #[test]
    fn a_bom_blank_lines_and_a_newer_versions_lines_are_read_past() {
        let dir = temp("tolerant");
        let (bytes, _) = record_bytes(&dir);
        let mut text = String::from("\u{feff}");
        let body = String::from_utf8(bytes).unwrap();
        let mut lines = body.lines();
        text.push_str(lines.next().unwrap());
        text.push_str("\n\n{\"type\":\"bookmark\",\"note\":\"from a later version\"}\n");
        for l in lines {
            text.push_str(l);
            text.push_str("\r\n");
        }
        text.push_str("\n\n");
        let r = parse_record("r.jsonl", text.as_bytes()).unwrap();
        assert_eq!(r.action_ids(), vec!["call_nursery", "visit", "ask"]);
        assert_eq!(r.reflections[0].text, "It’s the café’s view — naïve?");
        assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
        assert!(r.skipped[0].contains("bookmark"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn only_regular_files_of_a_bounded_size_are_read() {
        let dir = temp("regular");
        let fifo = dir.join("x.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
        if made {
            let err = read_record(&fifo).expect_err("a FIFO is not a record");
            assert!(err.to_string().contains("not a regular file"), "{err}");
            // A folder holding it lists it as unreadable, without waiting for a writer.
            let found = records_in(&dir);
            assert_eq!(found.len(), 1);
            assert!(found[0].read.is_err());
        }
        let big = dir.join("big.jsonl");
        std::fs::File::create(&big).unwrap().set_len(RECORD_MAX_BYTES + 1).unwrap();
        let err = read_record(&big).expect_err("over the limit");
        assert!(err.to_string().contains("over the limit"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn carrying_on_in_a_new_file_keeps_every_original_time() {
        let dir = temp("continue");
        let (bytes, path) = record_bytes(&dir);
        let cut = &bytes[..bytes.len() - 5];
        let Err(RecordError::Truncated { intact, .. }) = parse_record("r.jsonl", cut) else { panic!("cut") };
        std::thread::sleep(std::time::Duration::from_millis(20));
        let session = intact.replay(example::scenario(), &path).unwrap();
        let new = dir.join("resumed.jsonl");
        let w = RecordWriter::create_continuing(&new, &intact, &session).unwrap();
        let again = read_record(w.path()).unwrap();
        assert_eq!(again.header, intact.header);
        assert_eq!(again.actions, intact.actions, "the same actions at the same times");
        assert_eq!(again.reflections, intact.reflections);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_time_with_no_utc_equivalent_is_refused_not_a_panic_later() {
        let dir = temp("far-time");
        let (bytes, _) = record_bytes(&dir);
        let text = String::from_utf8(bytes).unwrap();
        let started = text.split("\"started\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let far = text.replacen(&started, "9999-12-31T23:59:59-23:59", 1);
        let err = parse_record("r.jsonl", far.as_bytes()).expect_err("refused");
        assert!(err.to_string().contains("out of range"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn long_or_hostile_text_is_shortened_and_escaped_in_messages() {
        let long = "x".repeat(50_000);
        let shown = echo(&long);
        assert!(shown.len() < 200 && shown.contains("50000 characters"), "{shown}");
        assert_eq!(echo("a\u{1b}[31mred"), "a\\u{1b}[31mred");
    }

    #[test]
    fn a_record_written_as_played_reads_back_and_replays() {
        let dir = temp("roundtrip");
        let mut s = Session::new(example::scenario(), 5);
        let mut w = RecordWriter::create_in(&dir, &s, Mode::Practice, "trainee-1").unwrap();
        for a in ["call_nursery", "visit", "ask"] {
            s.take_id(a).unwrap();
            w.sync(&s).unwrap();
        }
        w.reflect(&s, "home", "I wonder about the marks.").unwrap();
        for a in ["ask_again", "leave", "strategy", "close"] {
            s.take_id(a).unwrap();
            w.sync(&s).unwrap();
        }
        let r = read_record(w.path()).unwrap();
        assert_eq!(r.header.mode, Mode::Practice);
        assert_eq!(r.header.seed, 5);
        assert_eq!(r.action_ids(), vec!["call_nursery", "visit", "ask", "ask_again", "leave", "strategy", "close"]);
        assert_eq!(r.reflections[0].after_actions, 3);
        assert_eq!(r.end.as_ref().unwrap().ending, "safe_for_now");
        let replayed = r.replay(example::scenario(), w.path()).unwrap();
        assert_eq!(replayed.state(), s.state());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_cut_off_last_line_is_reported_with_the_intact_part() {
        let dir = temp("cut");
        let s = session(&["call_nursery", "visit"]);
        let mut w = RecordWriter::create_in(&dir, &Session::new(example::scenario(), 5), Mode::Assessment, "").unwrap();
        w.sync(&s).unwrap();
        let bytes = std::fs::read(w.path()).unwrap();
        let cut = &bytes[..bytes.len() - 10];
        match parse_record("r.jsonl", cut) {
            Err(RecordError::Truncated { line, intact, .. }) => {
                assert_eq!(line, 3);
                assert_eq!(intact.action_ids(), vec!["call_nursery"]);
            }
            other => panic!("{other:?}"),
        }
        // A complete last line without its newline still counts as cut off.
        let no_newline = &bytes[..bytes.len() - 1];
        assert!(matches!(parse_record("r.jsonl", no_newline), Err(RecordError::Truncated { .. })));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_record_takes_only_its_own_run_from_the_start() {
        let dir = temp("own-run");
        let s = session(&["call_nursery", "visit"]);
        let mut w = RecordWriter::create_in(&dir, &s, Mode::Assessment, "").unwrap();
        w.sync(&s).unwrap();
        let written = std::fs::read(w.path()).unwrap();
        // An author's "play from here", or a run with fewer actions, is another run.
        let at = crate::sim::StartAt::by_ids(&example::scenario(), "home", &["grip".into()], &[]).unwrap();
        let part_way = Session::from_here(example::scenario(), 5, at);
        assert!(w.sync(&part_way).is_err());
        assert!(w.sync(&session(&["call_nursery"])).is_err());
        assert_eq!(std::fs::read(w.path()).unwrap(), written, "nothing written");
        assert!(RecordWriter::create_in(&dir, &part_way, Mode::Assessment, "").is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_edited_score_is_detected_by_replaying() {
        let dir = temp("edited");
        let mut s = Session::new(example::scenario(), 5);
        let mut w = RecordWriter::create_in(&dir, &s, Mode::Assessment, "").unwrap();
        for a in ["call_nursery", "close"] {
            s.take_id(a).unwrap();
        }
        w.sync(&s).unwrap();
        let text = std::fs::read_to_string(w.path()).unwrap();
        let edited = text.replace("\"overall\":0.0", "\"overall\":95.0");
        assert_ne!(text, edited);
        let r = parse_record("r.jsonl", edited.as_bytes()).unwrap();
        let err = r.replay(example::scenario(), Path::new("r.jsonl")).unwrap_err();
        assert!(err.to_string().contains("edited"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
