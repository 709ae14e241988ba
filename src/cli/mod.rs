//! The command line: the game by default, and tools for authors and facilitators.

mod coverage;
mod sync;

use crate::explore::{self, Dedup};
use crate::record::{self, Mode, RecordWriter};
use crate::scenario::catalogue::{self, Origin};
use crate::scenario::{Diagnostic, Scenario};
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Second Look: a training game for child safeguarding.
///
/// With no subcommand, opens the game window.
#[derive(Debug, Parser)]
#[command(name = "second-look", version, about, long_about = None)]
pub struct Cli {
    /// What to do; the game window when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for the game window.
    #[command(flatten)]
    pub game: GameArgs,
}

/// Options for the game window.
#[derive(Debug, Clone, Args, Default)]
pub struct GameArgs {
    /// Read scenarios from this folder instead of ./scenarios or the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Keep records and settings in this folder (default: $SECOND_LOOK_DATA, else the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open this scenario (id or file) straight away, skipping the start screen.
    #[arg(long, value_name = "SCENARIO")]
    pub open: Option<String>,
    /// Write a case: open this scenario file (path or id) on the case screen,
    /// with the author's view beside it, and on every save reload it, keeping
    /// your place (`--seed` and `--script` as with `--open`).
    #[arg(long, value_name = "SCENARIO", conflicts_with_all = ["open", "cohort"])]
    pub author: Option<String>,
    /// The seed for `--open` (a random one otherwise).
    #[arg(long)]
    pub seed: Option<u64>,
    /// With `--open`: play these actions (a script file) first.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// With `--open`: the screen to show (briefing, case or debrief); without it, start or facilitator.
    #[arg(long, value_enum)]
    pub screen: Option<ScreenArg>,
    /// With `--open`: assessment or practice mode.
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Open the facilitator's view on this folder of records (the start screen stays first with `--screen start`).
    #[arg(long, value_name = "DIR")]
    pub cohort: Option<PathBuf>,
    /// With `--open`: show the manager's answer to a supervision question now (for screenshots).
    #[arg(long, hide = true)]
    pub supervise: bool,
    /// Save a screenshot of the first settled frame to this PNG file, then quit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Leave out the idle fix (for measuring what it saves).
    #[arg(long, hide = true)]
    pub no_idle_fix: bool,
    /// Log first-frame and key-to-frame times to this file (for scripts/measure-window.sh).
    #[arg(long, hide = true, value_name = "FILE")]
    pub perf_log: Option<PathBuf>,
}

/// Screens that `--screen` can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScreenArg {
    /// The start screen.
    Start,
    /// The briefing.
    Briefing,
    /// The case screen.
    Case,
    /// The debrief.
    Debrief,
    /// The facilitator's view of a group's records.
    Facilitator,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and report every problem with file, line, column and a hint.
    Validate {
        /// Files or folders to check (default: the scenarios on offer).
        paths: Vec<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Play a scenario headless from a script; print the transcript and the debrief.
    Play {
        /// Scenario file or id.
        scenario: String,
        /// The script: one choice or hotspot id per line, `#` for comments.
        #[arg(long, value_name = "FILE")]
        script: PathBuf,
        /// The seed (names, versions of accounts, event timing).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the session record to this file as the case is played (it must not exist).
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// Carry on from this record: replay its actions (which must match the
        /// script's first lines), then play the rest of the script, appending
        /// to it. A record with a cut-off last line is never written to:
        /// give `--record NEW` to carry on in a new file.
        #[arg(long, value_name = "RECORD")]
        resume: Option<PathBuf>,
        /// Assessment (the default) or practice; recorded in the record.
        #[arg(long, value_enum, default_value_t = ModeArg::Assessment)]
        mode: ModeArg,
        /// The trainee's pseudonym in the record (and so in xAPI), the same
        /// for all their sessions; without it each record is anonymous.
        #[arg(long, value_name = "NAME", default_value = "")]
        pseudonym: String,
        /// Print only the debrief, not the transcript.
        #[arg(long)]
        quiet: bool,
        /// Print only one line: the overall score to two decimals, the ending
        /// and its outcome (for scripts that compare playthroughs).
        #[arg(long, conflicts_with = "quiet")]
        score: bool,
        /// Wait this long after each action (for tests that stop the process part-way).
        #[arg(long, hide = true, default_value_t = 0)]
        step_delay_ms: u64,
    },
    /// Search every reachable state: unreachable scenes, dead ends, endings, score range.
    Explore {
        /// Scenario file or id.
        scenario: String,
        /// The seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The structural walks stop after this many distinct states.
        #[arg(long, default_value_t = 1_000_000)]
        max_states: usize,
        /// How the structural walks merge states: `shape` (orderings collapse;
        /// exact for structure) or `full` (only identical states).
        #[arg(long, value_enum, default_value_t = Dedup::Shape)]
        dedup: Dedup,
        /// Each score search (best and worst, overall and per ending, per
        /// version) expands at most this many states; within it the extremes
        /// are exact, beyond it they are reported with a proven limit.
        #[arg(long, default_value_t = 200_000)]
        score_states: usize,
        /// A playthrough script to start the score searches from (as many as
        /// you like); the case's exemplary script is always used.
        #[arg(long, value_name = "FILE")]
        script: Vec<PathBuf>,
        /// Exit with status 1 when an ending contradicts the record, not only
        /// when the case is not playable.
        #[arg(long)]
        deny_warnings: bool,
        /// Write, for every ending reached, a script of the highest-scoring
        /// path found to it (`DIR/<id>.ending-<ending>.txt`), to replay or to
        /// start later searches from.
        #[arg(long, value_name = "DIR")]
        save_paths: Option<PathBuf>,
    },
    /// Write a session record's debrief (Markdown and HTML, with the timeline chart)
    /// and a CPD record (Markdown and HTML).
    Report {
        /// The session record (a `.jsonl` file).
        record: PathBuf,
        /// Where to write (default: the exports folder in the data folder).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Your name, for the CPD record (left blank otherwise; never stored).
        #[arg(long)]
        name: Option<String>,
        /// Put the score on the CPD record (it says the outcome for the child
        /// and what you learned, without a mark, unless you ask).
        #[arg(long)]
        with_score: bool,
    },
    /// Analyse every session record in a folder: a CSV per scenario and a summary.
    Cohort {
        /// The folder of records (or, with `--lrs`, none).
        #[arg(required_unless_present = "lrs")]
        dir: Option<PathBuf>,
        /// Where to write (default: the folder of records; with `--lrs`, the current folder).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Read the group's statements from the LRS (set as for `sync`) instead of a folder;
        /// sessions are rebuilt from them, replayed and scored again.
        #[arg(long, conflicts_with = "dir")]
        lrs: bool,
        /// With `--lrs`: only this scenario (its id), asked of the LRS as an
        /// activity (with related activities) and checked again here.
        #[arg(long, value_name = "ID", requires = "lrs")]
        scenario: Option<String>,
        /// With `--scenario`: do not ask the LRS to filter by activity, only
        /// filter here (for an LRS whose activity filter does not work).
        #[arg(long, requires = "scenario")]
        filter_here: bool,
        /// With `--lrs`: only statements stored since this time (RFC 3339).
        #[arg(long, value_name = "TIME", requires = "lrs")]
        since: Option<String>,
        /// With `--lrs`: only statements stored until this time (RFC 3339).
        #[arg(long, value_name = "TIME", requires = "lrs")]
        until: Option<String>,
        /// With `--lrs`: only these sessions (registrations); repeat for a list.
        #[arg(long, value_name = "UUID", requires = "lrs")]
        registration: Vec<String>,
    },
    /// Turn session records into xAPI 1.0.3 statements (a JSON array) for a learning record store.
    Xapi {
        /// The session records.
        #[arg(required = true)]
        records: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Name the trainee by this email address instead of a pseudonym (only with their agreement).
        #[arg(long, value_name = "EMAIL")]
        mbox: Option<String>,
    },
    /// Send session statements to the learning record store (LRS) named in
    /// the environment or in `lrs.json` in the data folder: queue the
    /// statements of every record in the data folder (and of any records
    /// given), then send everything waiting; say what was sent.
    Sync {
        /// Records to queue as well as the data folder's.
        records: Vec<PathBuf>,
    },
    /// Write a proof copy of a case for reviewers: the whole case as one
    /// printable HTML page in story order, content notes first, every part
    /// with its id, and the rubric in plain words.
    Proof {
        /// Scenario file or id.
        scenario: String,
        /// Where to write (default: `ID-proof.html` in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Coverage for an author: what the case can reach, what neither built-in
    /// path (exemplary, credulous) touches, the exact score range, and how
    /// long it takes to read and to play.
    Coverage {
        /// Scenario file or id.
        scenario: String,
        /// More playthrough scripts to count as built-in paths.
        #[arg(long, value_name = "FILE")]
        script: Vec<PathBuf>,
    },
    /// A case map for an author: one self-contained HTML page with the
    /// scenes grouped by place (click one to read it), the choices with where
    /// they lead and what they need, and the built-in paths marked.
    Map {
        /// Scenario file or id.
        scenario: String,
        /// Where to write (default: `ID-map.html` in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Start a new case: a file with every section and a comment on each,
    /// which validates and plays as it stands.
    New {
        /// The case's id: lower-case letters, digits and hyphens (also the file's name).
        id: String,
        /// Its title.
        #[arg(long, default_value = "A new case")]
        title: String,
        /// Where to write it (default: `scenarios/ID.ron`); never over an existing file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Bring scenario files up to the current format, in place (written atomically).
    Migrate {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a map of the scenes as Graphviz DOT or Mermaid.
    Graph {
        /// Scenario file or id.
        scenario: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
}

/// Modes for `play`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Feedback only in the debrief.
    Assessment,
    /// A feedback card after each choice that settles a rubric item.
    Practice,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Assessment => Mode::Assessment,
            ModeArg::Practice => Mode::Practice,
        }
    }
}

/// Formats for `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

/// Runs a subcommand.
pub fn run(command: Command, scenarios: Option<&Path>, data_dir: Option<&Path>) -> ExitCode {
    match command {
        Command::Report { record, out, name, with_score } => {
            report(&record, out.as_deref(), name.as_deref(), with_score, scenarios, data_dir)
        }
        Command::Cohort { dir, out, lrs, scenario, filter_here, since, until, registration } => {
            let source = match dir {
                Some(dir) if !lrs => CohortSource::Folder(dir),
                _ => CohortSource::Lrs(
                    crate::lrs::Query {
                        activity: scenario
                            .as_ref()
                            .filter(|_| !filter_here)
                            .map(|id| format!("{}/scenario/{id}", crate::xapi::BASE)),
                        since,
                        until,
                        registrations: registration,
                    },
                    scenario,
                ),
            };
            cohort(&source, out.as_deref(), scenarios, data_dir)
        }
        Command::Xapi { records, out, mbox } => xapi(&records, out.as_deref(), mbox, scenarios),
        Command::Sync { records } => sync::sync(&records, scenarios, data_dir),
        Command::New { id, title, out } => new_case(&id, &title, out),
        Command::Proof { scenario, out } => proof(&scenario, out, scenarios),
        Command::Map { scenario, out } => with_scenario(&scenario, scenarios, |s| coverage::map(&s, out, scenarios)),
        Command::Coverage { scenario, script } => {
            with_scenario(&scenario, scenarios, |s| coverage::coverage(&s, &script, scenarios))
        }
        Command::Validate { paths, deny_warnings } => validate(&paths, scenarios, deny_warnings),
        Command::Play { scenario, script, seed, record, resume, mode, pseudonym, quiet, score, step_delay_ms } => {
            if pseudonym.chars().count() > 64 || pseudonym.chars().any(char::is_control) {
                eprintln!("error: --pseudonym: at most 64 characters, and no control characters");
                return ExitCode::from(2);
            }
            let options = PlayOptions {
                script,
                seed,
                record,
                resume,
                pseudonym,
                mode: mode.into(),
                quiet: quiet || score,
                score_only: score,
                step_delay: std::time::Duration::from_millis(step_delay_ms),
            };
            with_scenario(&scenario, scenarios, |s| play(s, &options))
        }
        Command::Explore { scenario, seed, max_states, score_states, dedup, script, deny_warnings, save_paths } => {
            with_scenario(&scenario, scenarios, |s| {
                let mut scripts = Vec::new();
                if let Some(text) = crate::scenario::catalogue::expert_path(&s.meta.id, scenarios) {
                    scripts.push(crate::record::parse_script(&text));
                }
                for path in &script {
                    match crate::scenario::read_script(path) {
                        Ok(text) => scripts.push(crate::record::parse_script(&text)),
                        Err(e) => {
                            eprintln!("error: cannot read the script {}: {e}", path.display());
                            return ExitCode::from(2);
                        }
                    }
                }
                let options = explore::Options { seed, max_states, dedup, score_states, scripts };
                explore_cmd(&s, &options, deny_warnings, save_paths.as_deref())
            })
        }
        Command::Migrate { files } => migrate(&files),
        Command::Graph { scenario, format } => with_scenario(&scenario, scenarios, |s| {
            print!("{}", graph(&s, format));
            ExitCode::SUCCESS
        }),
    }
}

/// Loads a scenario for a subcommand, printing its problems if it has any.
fn with_scenario(arg: &str, dir: Option<&Path>, f: impl FnOnce(Arc<Scenario>) -> ExitCode) -> ExitCode {
    let origin = match catalogue::resolve(arg, dir) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match origin.load() {
        Ok((s, _warnings)) => f(Arc::new(s)),
        Err(e) => {
            eprint!("{}", e.render(std::io::stderr().is_terminal()));
            eprintln!("error: {} cannot be played until these are fixed", origin.label());
            ExitCode::from(1)
        }
    }
}

fn validate(paths: &[PathBuf], dir: Option<&Path>, deny_warnings: bool) -> ExitCode {
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

/// What `play` was asked to do.
struct PlayOptions {
    pseudonym: String,
    script: PathBuf,
    seed: u64,
    record: Option<PathBuf>,
    resume: Option<PathBuf>,
    mode: Mode,
    quiet: bool,
    score_only: bool,
    step_delay: std::time::Duration,
}

/// A practice-mode feedback card in the transcript.
fn print_card(card: &crate::feedback::Card) {
    println!();
    println!("  ┌ Feedback: {} ({})", card.title, card.status.label().to_lowercase());
    for line in [
        &card.notice,
        &format!("Learning point: {}", card.learning_point),
        &format!("From the reviews: {}", card.review_finding),
    ] {
        println!("  │ {line}");
    }
    println!("  └");
}

fn play(s: Arc<Scenario>, o: &PlayOptions) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let text = match crate::scenario::read_script(&o.script) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut steps = record::parse_script(&text);
    let script_name = o.script.display().to_string();

    // Where the case starts: from nothing, or from a record.
    let (session, mut writer, mode) = match &o.resume {
        None => {
            let session = Session::new(s.clone(), o.seed);
            let writer = match &o.record {
                Some(path) => match RecordWriter::create(path, &session, o.mode, &o.pseudonym) {
                    Ok(w) => Some(w),
                    Err(e) => return fail(format!("cannot create the record {}: {e}", path.display())),
                },
                None => None,
            };
            (session, writer, o.mode)
        }
        Some(from) => match resume_record(s.clone(), from, o.record.as_deref()) {
            Ok((session, writer, mode)) => (session, Some(writer), mode),
            Err(e) => return fail(e),
        },
    };
    // Only the steps of this version of the case; a resumed record's
    // actions must be the first of them.
    steps.retain(|st| st.applies(&s, session.variation()));
    let done = session.actions().len();
    for (n, a) in session.actions().iter().enumerate() {
        let id = &s.action(*a).id;
        match steps.get(n) {
            Some(step) if step.id == *id => {}
            Some(step) => {
                return fail(format!(
                    "{script_name}:{}: the record's action {} is `{id}`, but the script says `{}`",
                    step.line,
                    n + 1,
                    step.id
                ));
            }
            None => return fail(format!("the record has more actions ({done}) than the script has steps")),
        }
    }
    steps.drain(..done.min(steps.len()));

    if !o.quiet {
        println!("{} (seed {})", s.meta.title, session.seed());
    }
    let mut shown = if o.quiet { 0 } else { print_journal(&session, 0) };
    // Items already settled in a resumed record had their cards then.
    let mut carded = Vec::new();
    crate::feedback::new_cards(&session, &mut carded);
    let mut write_error = None;
    let result = record::continue_script(session, &script_name, &steps, |session, _| {
        if !o.quiet {
            shown = print_journal(session, shown);
        }
        let cards = crate::feedback::new_cards(session, &mut carded);
        if mode == Mode::Practice && !o.quiet {
            for card in cards {
                print_card(&card);
            }
        }
        if let Some(w) = writer.as_mut()
            && let Err(e) = w.sync(session)
            && write_error.is_none()
        {
            write_error = Some(e);
        }
        std::thread::sleep(o.step_delay);
    });
    if let Some(e) = write_error {
        return fail(format!("writing the record failed: {e}"));
    }
    let session = match result {
        Ok(session) => session,
        Err(e) => return fail(e.to_string()),
    };
    if o.score_only {
        let score = Score::of(session.rules(), session.state(), None);
        let (ending, outcome) =
            session.ending().map_or(("(not ended)", "open"), |e| (e.id.as_str(), e.outcome.describe()));
        println!("{:.2} {ending} ({outcome})", score.overall);
        return ExitCode::SUCCESS;
    }
    if !session.is_over() {
        println!();
        println!(
            "The script ended before the case did ({}, scene `{}`); the debrief scores the case so far.",
            s.calendar.describe(session.now()),
            session.scene().id
        );
    }
    println!();
    match mode {
        Mode::Assessment => println!("Played in assessment mode: no feedback until this debrief."),
        Mode::Practice => {
            println!("Played in practice mode: feedback cards followed the choices that settled each item.")
        }
    }
    print!("{}", debrief_text(&session));
    if let Some(w) = writer {
        println!("Record written to {}", w.path().display());
    }
    ExitCode::SUCCESS
}

/// Opens a record to carry on from: the replayed session, a writer and the record's mode. A
/// record whose last line was cut off is never written to again; its intact
/// part is copied to `new_record`, which must then be given.
pub fn resume_record(
    s: Arc<Scenario>,
    from: &Path,
    new_record: Option<&Path>,
) -> Result<(Session, RecordWriter, Mode), String> {
    match record::read_record(from) {
        Ok(r) => {
            if r.end.is_some() {
                return Err(format!("{}: this case has already ended; there is nothing to resume", from.display()));
            }
            let session = r.replay(s, from).map_err(|e| e.to_string())?;
            let writer = match new_record {
                Some(path) => RecordWriter::create_continuing(path, &r, &session),
                None => RecordWriter::append_to(from, &session),
            }
            .map_err(|e| format!("cannot write the record: {e}"))?;
            let mut writer = writer;
            writer.resumed(&session).map_err(|e| format!("cannot write the record: {e}"))?;
            Ok((session, writer, r.header.mode))
        }
        Err(record::RecordError::Truncated { intact, .. }) => {
            let Some(path) = new_record else {
                return Err(format!(
                    "{}: the last line is cut off; the record is kept as it is. Give --record NEW to carry on in a new file from its intact part",
                    from.display()
                ));
            };
            let session = intact.replay(s, from).map_err(|e| e.to_string())?;
            let writer = RecordWriter::create_continuing(path, &intact, &session)
                .map_err(|e| format!("cannot create the record {}: {e}", path.display()))?;
            let mut writer = writer;
            writer.resumed(&session).map_err(|e| format!("cannot write the record: {e}"))?;
            Ok((session, writer, intact.header.mode))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Prints journal entries from `from` on; returns the new length.
fn print_journal(session: &Session, from: usize) -> usize {
    let cal = &session.scenario().calendar;
    for e in &session.journal()[from..] {
        if let Some(text) = session.describe(e) {
            let at = Session::entry_time(e);
            match e {
                Entry::Arrived { .. } => println!("\n[{}] == {text} ==", cal.describe(at)),
                Entry::Took { .. } => println!("[{}] > {text}", cal.describe(at)),
                _ => println!("[{}]   {text}", cal.describe(at)),
            }
        }
        if let Entry::Took { action, .. } = e {
            let result = &session.scenario().action(*action).result;
            if !result.is_empty() {
                println!("      {}", session.render(result));
            }
        }
    }
    session.journal().len()
}

/// The debrief as plain text, for the terminal.
pub fn debrief_text(session: &Session) -> String {
    let mut out = String::new();
    let s = session.scenario();
    let score = Score::of(session.rules(), session.state(), Some(session.journal()));
    out.push_str("== Debrief ==\n");
    if let Some(ending) = session.ending() {
        out.push_str(&format!(
            "Outcome for the child: {} ({})\n",
            session.render(&ending.title),
            ending.outcome.describe()
        ));
        out.push_str(&format!("{}\n", session.render(&ending.text)));
    }
    out.push_str(&format!("\nOverall score: {:.0}/100\n", score.overall));
    if let Some((line, steps)) = score.harm_lines() {
        out.push_str(&format!("  {line}\n"));
        for step in steps {
            out.push_str(&format!("    {step}\n"));
        }
    }
    for c in Criterion::ALL {
        let cs = score.criterion(c);
        let value = if cs.applicable { format!("{:.0}/100", cs.score) } else { "did not arise".to_string() };
        out.push_str(&format!("\n{}: {value}\n", c.title()));
        for item in &cs.items {
            let credit = if item.applicable { format!(" ({:.0}%)", item.fraction * 100.0) } else { String::new() };
            out.push_str(&format!(
                "  [{}] {}{credit}\n      {}\n",
                item.status.label(),
                item.heading(),
                item.explanation
            ));
            if item.fraction < 1.0 && item.applicable {
                out.push_str(&format!(
                    "      Learning point: {}\n      Review finding: {}\n",
                    item.learning_point, item.review_finding
                ));
            }
            if !item.evidence.is_empty() {
                let ids: Vec<String> = item
                    .evidence
                    .iter()
                    .filter_map(|n| session.actions().get(*n).map(|a| format!("#{} {}", n + 1, s.action(*a).id)))
                    .collect();
                out.push_str(&format!("      Evidence: {}\n", ids.join(", ")));
            }
        }
        for p in &cs.penalties {
            out.push_str(&format!(
                "  [-{} points] {} at {}: {}\n",
                p.points,
                p.title,
                s.calendar.describe(p.at),
                p.reason
            ));
        }
    }
    out
}

fn explore_cmd(s: &Scenario, options: &explore::Options, deny_warnings: bool, save: Option<&Path>) -> ExitCode {
    let report = explore::explore(s, options);
    if let Some(dir) = save {
        match save_paths(s, options.seed, &report, dir) {
            Ok(n) => println!("Wrote {n} path(s) to {}", dir.display()),
            Err(e) => {
                eprintln!("error: cannot write the paths to {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    println!(
        "Explored {} (seed {}, {} version(s) of the case, states merged by {:?})",
        s.meta.id, options.seed, report.versions, options.dedup
    );
    println!(
        "  Structural walks: {} states, longest path {} actions{}",
        report.states,
        report.max_depth,
        if report.bound_hit {
            format!("; BOUND HIT at {}: reachability covers only the states visited", options.max_states)
        } else {
            String::new()
        }
    );
    println!(
        "  Score searches: {} states (at most {} per search); {:.2} s in all ({:.0} states/s)",
        report.score_states,
        options.score_states,
        report.elapsed.as_secs_f64(),
        report.states_per_second()
    );
    let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    println!("  Unreachable scenes: {}", list(&report.unreachable_scenes));
    println!("  Choices and hotspots never offered: {}", list(&report.never_offered));
    println!("  Dead ends: {}", report.dead_end_count);
    for d in &report.dead_ends {
        println!("    in `{}` at {}, after: {}", d.scene, s.calendar.describe(d.at), short_path(&d.path));
    }
    println!("  Endings: how often the walks reached each, and the overall scores reachable there:");
    for ((ending, reach), range) in s.endings.iter().zip(&report.endings).zip(&report.ranges) {
        match reach {
            Some(r) => println!(
                "    {:<34} {:<18} reached by {}; lowest {}, highest {}",
                ending.id,
                format!("({})", ending.outcome.describe()),
                if r.count > 0 { format!("{} state(s)", r.count) } else { "a score search or script".to_string() },
                extreme_words(range.lowest.as_ref(), "at least"),
                extreme_words(range.highest.as_ref(), "at most"),
            ),
            None => println!("    {:<34} NOT REACHED", ending.id),
        }
    }
    println!("  Escalations never met on time on any path walked: {}", list(&report.never_on_time));
    for (label, e, limit) in [("Lowest", &report.lowest, "at least"), ("Highest", &report.highest, "at most")] {
        if let Some(e) = e {
            println!("  {label} overall score reachable: {}", extreme_words(Some(e), limit));
            let version = if e.version.is_empty() { String::new() } else { format!(" [{}]", e.version) };
            println!("    path{version}: {}", short_path(&e.path));
        }
    }
    if report.incoherent.is_empty() {
        println!("  Endings and the record agree: no contradiction found.");
    }
    for f in &report.incoherent {
        println!(
            "  WARNING: {} ({} finished state(s); overall {:.1} on this path): {}",
            f.what.describe(),
            f.count,
            f.score,
            short_path(&f.path)
        );
    }
    let clean = report.is_clean();
    let coherent = report.is_coherent();
    match (clean, coherent) {
        (true, true) => println!("Clean: every scene and ending reachable, no dead end, no contradiction."),
        (true, false) => {
            println!("Playable, but {} contradiction(s) between endings and the record.", report.incoherent.len())
        }
        (false, _) => println!("NOT clean."),
    }
    if !clean || (deny_warnings && !coherent) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Writes the highest-scoring path found to each ending as a script.
fn save_paths(s: &Scenario, seed: u64, report: &explore::Report, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    for (ending, range) in s.endings.iter().zip(&report.ranges) {
        let Some(best) = &range.highest else { continue };
        let version = if best.version.is_empty() { String::new() } else { format!(", version {}", best.version) };
        let mut text = format!(
            "# A path to the ending `{}` ({}), scoring {:.1}: found by `explore --seed {seed}`{version}.\n",
            ending.id,
            ending.outcome.describe(),
            best.score
        );
        for id in &best.path {
            text.push_str(id);
            text.push('\n');
        }
        let path = dir.join(format!("{}.ending-{}.txt", s.meta.id, ending.id));
        crate::storage::write_atomically(&path, text.as_bytes())?;
        written += 1;
    }
    Ok(written)
}

/// "100 (exact)" or "64.0 found, 71.3 at most (search stopped)".
fn extreme_words(e: Option<&explore::Extreme>, limit: &str) -> String {
    match e {
        None => "none found".to_string(),
        Some(e) if e.exact() => format!("{:.1} (exact)", e.score),
        Some(e) => format!("{:.1} found, {limit} {:.1} proven (sampled)", e.score, e.proven),
    }
}

/// Every scenario on offer, loaded (for reading records).
pub(crate) fn all_scenarios(dir: Option<&Path>) -> Vec<Arc<Scenario>> {
    catalogue::discover(dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.load().ok().map(|(s, _)| Arc::new(s)))
        .collect()
}

/// Reads a record (its intact part, if the last line was cut off) and replays it.
pub(crate) fn open_record(path: &Path, scenarios: &[Arc<Scenario>]) -> Result<(record::Record, Session), String> {
    let rec = match record::read_record(path) {
        Ok(r) => r,
        Err(record::RecordError::Truncated { intact, .. }) => {
            eprintln!("warning: {}: the last line is cut off; using the intact part", path.display());
            *intact
        }
        Err(e) => return Err(e.to_string()),
    };
    let scenario = scenarios
        .iter()
        .find(|s| s.meta.id == rec.header.scenario)
        .cloned()
        .ok_or_else(|| format!("{}: scenario `{}` is not available here", path.display(), rec.header.scenario))?;
    if scenario.meta.version != rec.header.scenario_version {
        eprintln!(
            "warning: {} was played on version {} of `{}`; this is version {}",
            path.display(),
            rec.header.scenario_version,
            scenario.meta.id,
            scenario.meta.version
        );
    }
    let session = rec.replay(scenario, path).map_err(|e| e.to_string())?;
    Ok((rec, session))
}

fn report(
    path: &Path,
    out: Option<&Path>,
    name: Option<&str>,
    with_score: bool,
    scenarios: Option<&Path>,
    data_dir: Option<&Path>,
) -> ExitCode {
    let (rec, session) = match open_record(path, &all_scenarios(scenarios)) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => match crate::storage::DataDir::locate(data_dir).and_then(|d| d.exports().map_err(|e| e.to_string())) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}; pass --out DIR");
                return ExitCode::from(2);
            }
        },
    };
    let ctx = crate::report::ReportContext {
        mode: rec.header.mode,
        reflections: rec
            .reflections
            .iter()
            .map(|r| {
                let title = session
                    .scenario()
                    .scene_id(&r.scene)
                    .map_or(r.scene.clone(), |s| session.render(&session.scenario().scene(s).title));
                (title, r.text.clone())
            })
            .collect(),
        played: crate::xapi::timestamp(rec.header.started)[..10].to_string(),
        expert: catalogue::expert_path(&session.scenario().meta.id, scenarios)
            .and_then(|script| crate::feedback::expert_session(&session, &script).ok()),
    };
    let choices = crate::cpd::CpdChoices {
        name: name.unwrap_or("").to_string(),
        include_score: with_score,
        record_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    };
    let cpd = crate::cpd::CpdRecord::of(&rec, &session, &choices);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "session".into());
    let files = [
        (format!("{stem}-debrief.md"), crate::report::markdown(&session, &ctx)),
        (format!("{stem}-debrief.html"), crate::report::html(&session, &ctx)),
        (format!("{stem}-cpd.md"), cpd.markdown()),
        (format!("{stem}-cpd.html"), cpd.html()),
    ];
    for (file, text) in files {
        let target = dir.join(file);
        if let Err(e) = crate::storage::write_atomically(&target, text.as_bytes()) {
            eprintln!("error: {}: {e}", target.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", target.display());
    }
    ExitCode::SUCCESS
}

/// Writes the proof copy of a case.
fn proof(scenario: &str, out: Option<PathBuf>, scenarios: Option<&Path>) -> ExitCode {
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

/// Writes a page an author asked for (atomically) and says where.
pub(crate) fn write_page(path: &Path, text: &str) -> ExitCode {
    match crate::storage::write_atomically(path, text.as_bytes()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Writes a new case from the template, never over an existing file.
fn new_case(id: &str, title: &str, out: Option<PathBuf>) -> ExitCode {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
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

/// Where a group's sessions come from.
enum CohortSource {
    /// A folder of records.
    Folder(PathBuf),
    /// Statements in the LRS, and the one scenario wanted, if any.
    Lrs(crate::lrs::Query, Option<String>),
}

fn cohort(source: &CohortSource, out: Option<&Path>, scenarios: Option<&Path>, data_dir: Option<&Path>) -> ExitCode {
    let started = std::time::Instant::now();
    let scenarios = all_scenarios(scenarios);
    let (cohort, title, default_out) = match source {
        CohortSource::Folder(dir) => match crate::cohort::Cohort::read(dir, &scenarios) {
            Ok(c) => (c, dir.display().to_string(), dir.clone()),
            Err(e) => {
                eprintln!("error: {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        },
        CohortSource::Lrs(query, only) => {
            let config =
                match crate::storage::DataDir::locate(data_dir).and_then(|d| crate::lrs::LrsConfig::load(d.root())) {
                    Ok(Some(c)) => c,
                    Ok(None) => {
                        eprintln!("error: no LRS is set (see `sync --help`)");
                        return ExitCode::from(2);
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                };
            let statements = match crate::lrs::fetch(&config, query) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            eprintln!("read {} statements from {}", statements.len(), config.endpoint);
            (
                crate::cohort::Cohort::of_statements(&statements, &scenarios, only.as_deref()),
                format!("the LRS at {}", config.endpoint),
                PathBuf::from("."),
            )
        }
    };
    let read = started.elapsed();
    let out = out.unwrap_or(&default_out);
    let mut summary = format!(
        "# Cohort: {title}

"
    );
    let sessions: usize = cohort.scenarios.values().map(|c| c.rows.len()).sum();
    summary.push_str(&format!(
        "{sessions} finished sessions in {} scenario(s); {} record(s) left out.\n\n",
        cohort.scenarios.len(),
        cohort.skipped.len()
    ));
    for (id, c) in &cohort.scenarios {
        let csv = match c.csv() {
            Ok(csv) => csv,
            Err(e) => {
                eprintln!("error: writing the CSV for {id}: {e}");
                return ExitCode::from(2);
            }
        };
        // One row per session, with its pseudonym: the tutor's own file, not for the room.
        let target = out.join(format!("cohort-{id}-sessions-tutor-only.csv"));
        if let Err(e) = crate::storage::write_atomically(&target, csv.as_bytes()) {
            eprintln!("error: {}: {e}", target.display());
            return ExitCode::from(2);
        }
        println!("wrote {} ({} sessions)", target.display(), c.rows.len());
        let decisions = match c.decisions_csv() {
            Ok(csv) => csv,
            Err(e) => {
                eprintln!("error: writing the decisions CSV for {id}: {e}");
                return ExitCode::from(2);
            }
        };
        for (name, text) in
            [(format!("cohort-{id}-choices.csv"), decisions), (format!("cohort-{id}-choices.html"), c.decisions_html())]
        {
            let target = out.join(name);
            if let Err(e) = crate::storage::write_atomically(&target, text.as_bytes()) {
                eprintln!("error: {}: {e}", target.display());
                return ExitCode::from(2);
            }
            println!("wrote {}", target.display());
        }
        summary.push_str(&c.summary());
        summary.push('\n');
    }
    if !cohort.skipped.is_empty() {
        summary.push_str("## Left out\n\n");
        for s in cohort.skipped.iter().take(50) {
            summary.push_str(&format!("- {}: {}\n", s.path.display(), s.reason));
        }
        if cohort.skipped.len() > 50 {
            summary.push_str(&format!("- and {} more\n", cohort.skipped.len() - 50));
        }
    }
    let target = out.join("cohort-summary.md");
    if let Err(e) = crate::storage::write_atomically(&target, summary.as_bytes()) {
        eprintln!("error: {}: {e}", target.display());
        return ExitCode::from(2);
    }
    println!("wrote {}", target.display());
    println!(
        "{sessions} sessions read, replayed and scored in {:.2} s ({} left out); written in {:.2} s",
        read.as_secs_f64(),
        cohort.skipped.len(),
        (started.elapsed() - read).as_secs_f64()
    );
    ExitCode::SUCCESS
}

fn xapi(records: &[PathBuf], out: Option<&Path>, mbox: Option<String>, scenarios: Option<&Path>) -> ExitCode {
    let scenarios = all_scenarios(scenarios);
    let actor = match crate::xapi::Actor::new(mbox.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: --mbox: {e}");
            return ExitCode::from(2);
        }
    };
    let mut all = Vec::new();
    // A session exported from its record and from its continuation gives
    // the same statements (same ids, same content): each is sent once.
    let mut seen = std::collections::HashSet::new();
    for path in records {
        match open_record(path, &scenarios) {
            Ok((rec, session)) => all.extend(
                crate::xapi::statements(&rec, &session, &actor)
                    .into_iter()
                    .filter(|st| seen.insert(st["id"].as_str().unwrap_or_default().to_string())),
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let text = match serde_json::to_string_pretty(&all) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match out {
        Some(path) => match crate::storage::write_atomically(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("wrote {} statements to {}", all.len(), path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

fn migrate(files: &[PathBuf]) -> ExitCode {
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

/// A path for a terminal line: all of it if short, else its two ends.
fn short_path(path: &[String]) -> String {
    if path.len() <= 40 {
        path.join(" ")
    } else {
        format!("{} ... {} ({} actions)", path[..20].join(" "), path[path.len() - 15..].join(" "), path.len())
    }
}

/// The scene map: edges from choices (solid) and events (dashed).
pub fn graph(s: &Scenario, format: GraphFormat) -> String {
    let mut edges = Vec::new();
    for a in &s.actions {
        if let (Some(g), Some(from)) = (a.goto, a.scene)
            && g != from
        {
            edges.push((s.scene(from).id.clone(), s.scene(g).id.clone(), a.id.clone(), false));
        }
    }
    for e in &s.events {
        if let Some(g) = e.goto {
            edges.push(("events".to_string(), s.scene(g).id.clone(), e.id.clone(), true));
        }
    }
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str(&format!("digraph \"{}\" {{\n  rankdir=LR;\n", s.meta.id));
            for (from, to, label, dashed) in &edges {
                let style = if *dashed { ", style=dashed" } else { "" };
                out.push_str(&format!("  \"{from}\" -> \"{to}\" [label=\"{label}\"{style}];\n"));
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for (from, to, label, dashed) in &edges {
                let arrow = if *dashed { "-.->" } else { "-->" };
                out.push_str(&format!("  {from} {arrow}|{label}| {to}\n"));
            }
        }
    }
    out
}
