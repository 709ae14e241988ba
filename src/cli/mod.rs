//! The command line: the game by default, and tools for authors and facilitators.

mod authoring;
mod coverage;
mod play;
mod records;
mod search;
mod sync;
mod validate;

use authoring::{new_case, proof};
use play::{PlayOptions, play};
use records::{CohortSource, cohort, report, xapi};
use search::explore_cmd;
use search::graph;
use validate::{migrate, validate};

use crate::explore::{self, Dedup};
use crate::record::{self, Mode};
use crate::scenario::Scenario;
use crate::scenario::catalogue;
use crate::sim::Session;
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

/// Writes a page an author asked for (atomically) and says where.
pub(crate) fn write_page(path: &Path, text: &str) -> ExitCode {
    match write_and_say(path, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Writes a file atomically and says so; on failure, says why, and gives
/// the exit code to stop with.
pub(crate) fn write_and_say(path: &Path, text: &str) -> Result<(), ExitCode> {
    match crate::storage::write_atomically(path, text.as_bytes()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            Err(ExitCode::from(2))
        }
    }
}
