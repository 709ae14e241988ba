//! What a CPD team learns from a group: many session records at once.
//!
//! Every record in a folder is read and replayed (scores are recomputed,
//! never taken from the file). For each scenario the analysis gives one row
//! per session with a column per criterion and per rubric item, the
//! distribution of each criterion, the items most often missed with their
//! learning points, and how long escalation took against the deadline. The
//! `cohort` command writes it as CSV and Markdown; the facilitator screen
//! draws the same numbers.

use crate::clock::InGameTime;
use crate::record::{self, Mode, Record};
use crate::scenario::{Outcome, Scenario};
use crate::scoring::{Criterion, Score};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One finished session, scored.
#[derive(Clone, Debug)]
pub struct Row {
    /// The record file's name.
    pub file: String,
    /// The session id.
    pub session: String,
    /// The trainee's pseudonym.
    pub pseudonym: String,
    /// Scenario content version.
    pub scenario_version: String,
    /// Seed.
    pub seed: u64,
    /// Mode.
    pub mode: Mode,
    /// When it started (RFC 3339).
    pub started: String,
    /// Wall-clock seconds from start to the last line.
    pub duration_s: i64,
    /// Actions taken.
    pub actions: usize,
    /// The ending's id.
    pub ending: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Overall score.
    pub overall: f64,
    /// The three criteria (None where nothing applied).
    pub criteria: [Option<f64>; 3],
    /// Every rubric item's credit in percent (None where it did not apply), in rubric order.
    pub items: Vec<Option<f64>>,
    /// Minutes from threshold to escalation for each escalation item, if both happened.
    pub escalation_minutes: Vec<Option<u32>>,
    /// The actions taken, by id, for the group's choices.
    pub action_ids: Vec<String>,
    /// When each action was taken.
    pub action_times: Vec<InGameTime>,
}

/// A rubric item's column: its key and title.
#[derive(Clone, Debug)]
pub struct Column {
    /// `inconsistency:<id>`, `carer:<person>` or `escalation:<id>`.
    pub key: String,
    /// The item's title.
    pub title: String,
    /// Its criterion.
    pub criterion: Criterion,
    /// Its learning point.
    pub learning_point: String,
}

/// Everything about one scenario's sessions.
#[derive(Clone, Debug)]
pub struct ScenarioCohort {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// The rubric items, in order.
    pub columns: Vec<Column>,
    /// The sessions.
    pub rows: Vec<Row>,
}

/// Fewer sessions than this, and the group's choices are shown without counts,
/// so nobody in a small group can be picked out.
pub const MIN_GROUP: usize = 5;

/// How many in the group took one choice, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceCount {
    /// The choice's id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Sessions that took it.
    pub sessions: usize,
    /// The median in-game moment they first took it (the later middle value).
    pub median_at: Option<InGameTime>,
    /// When each session first took it, earliest first: for the "when" strip.
    pub times: Vec<InGameTime>,
}

/// A decision point: a scene with more than one choice, and what the group did there.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionPoint {
    /// The scene's id.
    pub scene: String,
    /// Its title.
    pub title: String,
    /// Sessions that took any choice there.
    pub reached: usize,
    /// Each choice, in the scene's order.
    pub choices: Vec<ChoiceCount>,
}

/// How long a group took to escalate for one rubric item.
#[derive(Clone, Debug, PartialEq)]
pub struct EscalationTimes {
    /// The item's title.
    pub title: String,
    /// The deadline window, in minutes, from the start of the case.
    pub window: Option<u32>,
    /// Median minutes from threshold to escalation, where both happened.
    pub median: Option<f64>,
    /// Sessions that escalated on time.
    pub on_time: usize,
    /// Sessions in which the threshold was reached.
    pub arose: usize,
}

/// A record that could not be used, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// A folder of records, analysed.
#[derive(Clone, Debug, Default)]
pub struct Cohort {
    /// Per scenario id.
    pub scenarios: BTreeMap<String, ScenarioCohort>,
    /// Records left out: unfinished, damaged, edited, or for a scenario not here.
    pub skipped: Vec<Skipped>,
}

/// A carer as a group view names them: by role, never by a session's name.
fn carer_title(s: &Scenario, p: crate::scenario::PersonIx) -> String {
    let person = s.person(p);
    let role = person.id.replace('_', " ");
    if person.description.is_empty() {
        return format!("The {role}");
    }
    // "The partner: the mother's partner", not "The mother's partner" mid-line.
    let description = s.without_names(&person.description);
    let description = match description.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => description,
    };
    format!("The {role}: {description}")
}

fn columns(s: &Scenario) -> Vec<Column> {
    let mut out = Vec::new();
    for x in &s.rubric.inconsistencies {
        out.push(Column {
            key: format!("inconsistency:{}", x.id),
            title: s.without_names(&x.title),
            criterion: Criterion::Inconsistencies,
            learning_point: s.without_names(&x.learning_point),
        });
    }
    for c in &s.rubric.carers {
        out.push(Column {
            key: format!("carer:{}", s.person(c.person).id),
            title: carer_title(s, c.person),
            criterion: Criterion::Carers,
            learning_point: s.without_names(&c.learning_point),
        });
    }
    for x in &s.rubric.escalations {
        out.push(Column {
            key: format!("escalation:{}", x.id),
            title: s.without_names(&x.title),
            criterion: Criterion::Escalations,
            learning_point: s.without_names(&x.learning_point),
        });
    }
    out
}

/// A record's row, with its scenario, or why it was left out.
type RowRead = Result<(Arc<Scenario>, Row), String>;

impl Cohort {
    /// Reads and replays every `*.jsonl` record in `dir`, against the scenarios given.
    pub fn read(dir: &Path, scenarios: &[Arc<Scenario>]) -> std::io::Result<Cohort> {
        let mut paths = record::record_paths(dir)?;
        // A folder scan has a limit too: a year group is thousands of records.
        let beyond = paths.len().saturating_sub(crate::record::FOLDER_MAX_RECORDS);
        let over: Vec<PathBuf> = paths.split_off(paths.len() - beyond);
        // Each thread reads, replays and scores its share of the files, so
        // only the rows, never all the records, are held at once.
        let rows = crate::explore::in_parallel(paths.len(), |i| {
            let path = &paths[i];
            let row =
                record::read_record(path).map_err(|e| e.to_string()).and_then(|rec| Self::row(path, rec, scenarios));
            (path.clone(), row)
        });
        let mut cohort = Self::gather(rows);
        if let Some(first) = over.first() {
            cohort.skipped.push(Skipped {
                path: first.clone(),
                reason: format!(
                    "and {} more: the folder holds more than {} records, the limit of one reading; split it",
                    over.len(),
                    crate::record::FOLDER_MAX_RECORDS
                ),
            });
        }
        Ok(cohort)
    }

    /// Replays and scores records from anywhere (a folder, an LRS), each
    /// named by where it came from; one session counts once.
    pub fn of_records(
        records: impl IntoIterator<Item = (PathBuf, Result<Record, String>)>,
        scenarios: &[Arc<Scenario>],
    ) -> Cohort {
        let records: Vec<(PathBuf, Result<Record, String>)> = records.into_iter().collect();
        let rows = crate::explore::in_parallel(records.len(), |i| {
            let (path, read) = &records[i];
            (path.clone(), read.clone().and_then(|rec| Self::row(path, rec, scenarios)))
        });
        Self::gather(rows)
    }

    /// Sessions rebuilt from an LRS's statements ([`crate::xapi::records_from`]),
    /// replayed and scored like records from a folder; `only` keeps one scenario.
    pub fn of_statements(statements: &[serde_json::Value], scenarios: &[Arc<Scenario>], only: Option<&str>) -> Cohort {
        let records = crate::xapi::records_from(statements)
            .into_iter()
            .filter(|(_, rec)| match (only, rec) {
                (Some(id), Ok(r)) => r.header.scenario == id,
                _ => true,
            })
            .map(|(registration, rec)| (PathBuf::from(format!("lrs-session-{registration}")), rec));
        Self::of_records(records, scenarios)
    }

    /// The cohort from its rows, in the order given: one session counts once.
    fn gather(rows: Vec<(PathBuf, RowRead)>) -> Cohort {
        let mut cohort = Cohort::default();
        let mut by_session: std::collections::HashMap<String, (String, usize)> = std::collections::HashMap::new();
        for (path, row) in rows {
            match row {
                Ok((scenario, row)) if by_session.contains_key(&row.session) => {
                    // One session is counted once: the record with the most
                    // actions (a resumed session's continuation) stands for it.
                    let (id, index) = by_session[&row.session].clone();
                    let rows = &mut cohort.scenarios.get_mut(&id).expect("the session's scenario").rows;
                    let kept = &mut rows[index];
                    let (gone, reason) = if row.actions > kept.actions {
                        let earlier = std::mem::replace(kept, row);
                        (earlier.file, format!("the same session as {}, which goes further", kept.file))
                    } else {
                        (
                            row.file.clone(),
                            format!("the same session as {} (a copy, or the part before a resume)", kept.file),
                        )
                    };
                    let _ = scenario;
                    cohort.skipped.push(Skipped { path: path.with_file_name(gone), reason });
                }
                Ok((scenario, row)) => {
                    let rows = &mut cohort
                        .scenarios
                        .entry(scenario.meta.id.clone())
                        .or_insert_with(|| ScenarioCohort {
                            columns: columns(&scenario),
                            scenario: scenario.clone(),
                            rows: Vec::new(),
                        })
                        .rows;
                    by_session.insert(row.session.clone(), (scenario.meta.id.clone(), rows.len()));
                    rows.push(row);
                }
                Err(reason) => cohort.skipped.push(Skipped { path, reason }),
            }
        }
        cohort
    }

    fn row(path: &Path, rec: Record, scenarios: &[Arc<Scenario>]) -> Result<(Arc<Scenario>, Row), String> {
        let scenario = scenarios
            .iter()
            .find(|s| s.meta.id == rec.header.scenario)
            .cloned()
            .ok_or_else(|| format!("scenario `{}` is not available", rec.header.scenario))?;
        let session = rec.replay(scenario.clone(), path).map_err(|e| e.to_string())?;
        if !session.is_over() {
            return Err("the case was not finished".into());
        }
        let score = Score::of(session.rules(), session.state(), None);
        let r = session.rules();
        let last =
            rec.end.as_ref().map(|e| e.wall).or(rec.actions.last().map(|a| a.wall)).unwrap_or(rec.header.started);
        let items = Criterion::ALL
            .iter()
            .flat_map(|c| score.criterion(*c).items.iter())
            .map(|i| i.applicable.then_some((i.fraction * 1000.0).round() / 10.0))
            .collect();
        let escalation_minutes = (0..scenario.rubric.escalations.len())
            .map(|i| Some(session.state().met_at(r, i)?.minutes_since(session.state().trigger_at(r, i)?)))
            .collect();
        let ending = session.ending().ok_or("the replay did not end")?;
        let row = Row {
            file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            session: rec.header.session.to_string(),
            pseudonym: rec.header.pseudonym.clone(),
            scenario_version: rec.header.scenario_version.clone(),
            seed: rec.header.seed,
            mode: rec.header.mode,
            started: rec.header.started.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            duration_s: (last - rec.header.started).whole_seconds().max(0),
            actions: rec.actions.len(),
            ending: ending.id.clone(),
            outcome: ending.outcome,
            overall: score.overall,
            criteria: Criterion::ALL.map(|c| {
                let cs = score.criterion(c);
                cs.applicable.then_some(cs.score)
            }),
            items,
            escalation_minutes,
            action_ids: rec.actions.iter().map(|a| a.action.clone()).collect(),
            // When each action was taken, from the replay: the record's own
            // game times are a convenience, never trusted.
            action_times: session
                .journal()
                .iter()
                .filter_map(|e| match e {
                    crate::sim::Entry::Took { at, .. } => Some(*at),
                    _ => None,
                })
                .collect(),
        };
        Ok((scenario, row))
    }
}

impl ScenarioCohort {
    /// The sessions as CSV: one row each, a column per criterion and per rubric item.
    pub fn csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = [
            "file",
            "session",
            "pseudonym",
            "scenario",
            "scenario_version",
            "seed",
            "mode",
            "started",
            "duration_s",
            "actions",
            "ending",
            "outcome",
            "overall",
            "inconsistencies",
            "carers",
            "escalations",
        ]
        .map(String::from)
        .to_vec();
        header.extend(self.columns.iter().map(|c| c.key.clone()));
        w.write_record(&header)?;
        let num = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_default();
        for r in &self.rows {
            let mut fields = vec![
                r.file.clone(),
                r.session.clone(),
                r.pseudonym.clone(),
                self.scenario.meta.id.clone(),
                r.scenario_version.clone(),
                r.seed.to_string(),
                format!("{:?}", r.mode).to_lowercase(),
                r.started.clone(),
                r.duration_s.to_string(),
                r.actions.to_string(),
                r.ending.clone(),
                r.outcome.describe().to_string(),
                format!("{:.1}", r.overall),
            ];
            fields.extend(r.criteria.iter().map(|c| num(*c)));
            fields.extend(r.items.iter().map(|i| num(*i)));
            w.write_record(&fields)?;
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Quartiles (min, lower, median, upper, max) of the values given.
    pub fn quartiles(mut values: Vec<f64>) -> Option<[f64; 5]> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let pos = q * (values.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            values[lo] + (values[hi] - values[lo]) * (pos - lo as f64)
        };
        Some([values[0], at(0.25), at(0.5), at(0.75), values[values.len() - 1]])
    }

    /// A criterion's scores across the sessions where it applied.
    pub fn criterion_scores(&self, c: usize) -> Vec<f64> {
        self.rows.iter().filter_map(|r| r.criteria[c]).collect()
    }

    /// How many sessions fall in each tenth of the 0–100 range.
    pub fn histogram(values: &[f64]) -> [usize; 10] {
        let mut bins = [0; 10];
        for v in values {
            bins[((v / 10.0).floor() as usize).min(9)] += 1;
        }
        bins
    }

    /// Items not fully earned, most often first: (column, sessions missing it, sessions it applied to).
    pub fn most_missed(&self) -> Vec<(&Column, usize, usize)> {
        let mut out: Vec<(&Column, usize, usize)> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let applied = self.rows.iter().filter(|r| r.items[i].is_some()).count();
                let missed = self.rows.iter().filter(|r| r.items[i].is_some_and(|v| v < 100.0)).count();
                (c, missed, applied)
            })
            .filter(|(_, missed, _)| *missed > 0)
            .collect();
        out.sort_by(|a, b| {
            let share = |x: &(&Column, usize, usize)| x.1 as f64 / x.2.max(1) as f64;
            share(b).total_cmp(&share(a)).then(b.1.cmp(&a.1))
        });
        out
    }

    /// For each escalation item, how long the group took against the deadline.
    pub fn escalation_times(&self) -> Vec<EscalationTimes> {
        let s = &self.scenario;
        s.rubric
            .escalations
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let column = self.columns.iter().position(|c| c.key == format!("escalation:{}", x.id)).unwrap_or(0);
                let arose: Vec<&Row> = self.rows.iter().filter(|r| r.items[column].is_some()).collect();
                let on_time = arose.iter().filter(|r| r.items[column] == Some(100.0)).count();
                let taken: Vec<f64> = arose.iter().filter_map(|r| r.escalation_minutes[i].map(f64::from)).collect();
                let median = Self::quartiles(taken).map(|q| q[2]);
                // The window is the same wherever the threshold falls, except
                // for working days across weekends: show it from the case start.
                let start = s.calendar.start();
                let window = Some(x.deadline.after(start, &s.calendar).minutes_since(start));
                EscalationTimes { title: s.without_names(&x.title), window, median, on_time, arose: arose.len() }
            })
            .collect()
    }

    /// For each scene with more than one choice, how many sessions took each
    /// choice and when. Counts come from the records' actions.
    pub fn decisions(&self) -> Vec<DecisionPoint> {
        let s = &self.scenario;
        let first_times: Vec<BTreeMap<&str, InGameTime>> = self
            .rows
            .iter()
            .map(|r| {
                let mut first = BTreeMap::new();
                for (id, at) in r.action_ids.iter().zip(&r.action_times) {
                    first.entry(id.as_str()).or_insert(*at);
                }
                first
            })
            .collect();
        s.scenes
            .iter()
            .filter(|sc| sc.choices.len() > 1)
            .map(|sc| {
                let choices: Vec<ChoiceCount> = sc
                    .choices
                    .iter()
                    .map(|a| {
                        let def = s.action(*a);
                        let mut times: Vec<u32> =
                            first_times.iter().filter_map(|f| f.get(def.id.as_str()).map(|t| t.0)).collect();
                        times.sort_unstable();
                        ChoiceCount {
                            id: def.id.clone(),
                            text: s.without_names(&def.text),
                            sessions: times.len(),
                            median_at: times.get(times.len() / 2).map(|m| InGameTime(*m)),
                            times: times.iter().map(|t| InGameTime(*t)).collect(),
                        }
                    })
                    .collect();
                let reached = first_times
                    .iter()
                    .filter(|f| sc.choices.iter().any(|a| f.contains_key(s.action(*a).id.as_str())))
                    .count();
                DecisionPoint { scene: sc.id.clone(), title: s.without_names(&sc.title), reached, choices }
            })
            .collect()
    }

    /// Whether the group is big enough to show per-choice counts.
    pub fn counts_shown(&self) -> bool {
        self.rows.len() >= MIN_GROUP
    }

    /// The group's choices as CSV: one row per choice at each decision point.
    /// In a group smaller than [`MIN_GROUP`], the count columns are left empty.
    pub fn decisions_csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "scenario",
            "scene",
            "scene_title",
            "choice",
            "choice_text",
            "sessions_reaching_scene",
            "sessions_taking_choice",
            "share_of_those_reaching",
            "median_first_taken",
        ])?;
        let shown = self.counts_shown();
        for d in self.decisions() {
            for c in &d.choices {
                let (reached, took, share, when) = if shown {
                    (
                        d.reached.to_string(),
                        c.sessions.to_string(),
                        format!("{:.2}", c.sessions as f64 / d.reached.max(1) as f64),
                        c.median_at.map(|t| self.scenario.calendar.describe(t)).unwrap_or_default(),
                    )
                } else {
                    Default::default()
                };
                w.write_record([
                    self.scenario.meta.id.as_str(),
                    d.scene.as_str(),
                    d.title.as_str(),
                    c.id.as_str(),
                    c.text.as_str(),
                    &reached,
                    &took,
                    &share,
                    &when,
                ])?;
            }
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The group's choices as an HTML page a facilitator can show the room:
    /// a bar for each choice at each decision point.
    pub fn decisions_html(&self) -> String {
        use crate::report::escape;
        let s = &self.scenario;
        let mut body = format!(
            "<h1>How the group chose: {}</h1><p class=\"quiet\">{} sessions. Pseudonymous: no names, only how many took each choice.</p>",
            escape(&s.meta.title),
            self.rows.len()
        );
        if !self.counts_shown() {
            let _ = write!(
                body,
                "<p class=\"warn\">Fewer than {MIN_GROUP} sessions: the counts are not shown, so that nobody can be picked out. The choices at each point are listed.</p>"
            );
        }
        for d in self.decisions() {
            let _ = write!(body, "<section><h2>{}</h2>", escape(&d.title));
            if self.counts_shown() {
                let _ = write!(
                    body,
                    "<p class=\"quiet\">{} of {} sessions reached this point.</p>",
                    d.reached,
                    self.rows.len()
                );
            }
            body.push_str("<table>");
            for c in &d.choices {
                let text = escape(&c.text);
                if self.counts_shown() {
                    let pct = 100.0 * c.sessions as f64 / d.reached.max(1) as f64;
                    let when =
                        c.median_at.map(|t| format!(" · usually by {}", s.calendar.describe(t))).unwrap_or_default();
                    let _ = write!(
                        body,
                        "<tr><td class=\"label\">{text}</td><td class=\"bar\"><div style=\"width:{pct:.0}%\"></div></td><td class=\"n\">{} ({pct:.0}%){}</td></tr>",
                        c.sessions,
                        escape(&when)
                    );
                } else {
                    let _ = write!(body, "<tr><td class=\"label\">{text}</td></tr>");
                }
            }
            body.push_str("</table></section>");
        }
        const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d}\
             .quiet{color:#555}.warn{color:#8a1c1c;font-weight:bold}table{width:100%;border-collapse:collapse}\
             td{padding:.25rem .4rem;vertical-align:middle}.label{width:45%}.bar{width:35%;background:#eee}\
             .bar div{height:1.1rem;background:#2a5599}.n{white-space:nowrap}section{margin-bottom:1.5rem}";
        crate::report::page(&format!("How the group chose: {}", s.meta.title), STYLE, &body)
    }

    /// The summary as Markdown, for the room: in a group smaller than
    /// [`MIN_GROUP`] it gives the number of sessions and nothing that could
    /// pick one person out (no scores, times, outcomes or misses).
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let s = &self.scenario;
        let _ = writeln!(out, "## {} ({} sessions)\n", s.meta.title, self.rows.len());
        if !self.counts_shown() {
            let _ = writeln!(
                out,
                "Fewer than {MIN_GROUP} sessions: nothing more is summarised here, so that nobody can be picked out. The tutor's own file, `cohort-{}-sessions-tutor-only.csv`, has each session.\n",
                s.meta.id
            );
            return out;
        }
        let mut endings: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &self.rows {
            *endings.entry(r.outcome.describe()).or_default() += 1;
        }
        let _ = writeln!(
            out,
            "Outcomes for the child: {}\n",
            endings.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
        );
        let _ = writeln!(
            out,
            "| criterion | sessions | min | lower quartile | median | upper quartile | max |\n|---|---|---|---|---|---|---|"
        );
        let overall: Vec<f64> = self.rows.iter().map(|r| r.overall).collect();
        let mut lines = vec![("Overall".to_string(), overall)];
        for (i, c) in Criterion::ALL.iter().enumerate() {
            lines.push((c.title().to_string(), self.criterion_scores(i)));
        }
        for (name, values) in lines {
            let n = values.len();
            match Self::quartiles(values) {
                Some(q) => {
                    let _ = writeln!(
                        out,
                        "| {name} | {n} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
                        q[0], q[1], q[2], q[3], q[4]
                    );
                }
                None => {
                    let _ = writeln!(out, "| {name} | 0 | | | | | |");
                }
            }
        }
        let _ = writeln!(out, "\n### Most often missed\n");
        for (c, missed, applied) in self.most_missed().into_iter().take(8) {
            let _ = writeln!(
                out,
                "- **{}** ({}): not fully earned in {missed} of {applied} sessions ({:.0}%). *Learning point:* {}",
                c.title,
                c.criterion.title().to_lowercase(),
                100.0 * missed as f64 / applied.max(1) as f64,
                c.learning_point
            );
        }
        let _ = writeln!(out, "\n### Time to escalate against the deadline\n");
        let _ = writeln!(out, "| escalation | deadline | median time taken | on time |\n|---|---|---|---|");
        for EscalationTimes { title, window, median, on_time, arose } in self.escalation_times() {
            let _ = writeln!(
                out,
                "| {title} | {} | {} | {on_time} of {arose} |",
                window.map_or("—".into(), crate::clock::describe_minutes),
                median.map_or("nobody escalated".into(), |m| crate::clock::describe_minutes(m.round() as u32)),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_and_histograms() {
        assert_eq!(ScenarioCohort::quartiles(vec![]), None);
        assert_eq!(ScenarioCohort::quartiles(vec![4.0]), Some([4.0; 5]));
        assert_eq!(ScenarioCohort::quartiles(vec![0.0, 10.0, 20.0, 30.0, 40.0]), Some([0.0, 10.0, 20.0, 30.0, 40.0]));
        assert_eq!(ScenarioCohort::quartiles(vec![1.0, 2.0]).map(|q| q[2]), Some(1.5));
        assert_eq!(ScenarioCohort::histogram(&[0.0, 9.9, 10.0, 55.0, 100.0]), [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }
}
