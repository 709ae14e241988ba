//! Author mode (`--author FILE`): the case on screen follows the file as it
//! is written.
//!
//! A watcher thread (inotify and its equivalents, through `notify`) sleeps
//! until the scenario file is saved; it waits for the writes to settle, reads
//! and checks the file, hands the result over and wakes the window. A good
//! version is played again to the author's place ([`crate::author::replay`]);
//! a broken one leaves the last good version running and its problems on
//! screen. Nothing runs, and nothing is drawn, while the file does not change.
//!
//! Beside the case, the author's view shows the state behind the moment
//! ([`crate::author::Inspection`]), the endings still reachable from it
//! (walked on a thread of its own), and "play from here".

mod view;
mod watch;

pub use view::{PlayFromForm, author_view};
pub use watch::{Save, Watch};

use super::background::{Background, waker};
use super::{ActiveCase, Reflection, Screen};
use crate::author::{Place, StartIds, Stopped, replay};
use crate::explore::from_here::{EndingsFromHere, endings_from_here_until};
use crate::scenario::diagnostic::{Diagnostic, Severity};
use crate::scenario::{LoadError, Loaded};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How many states the walk for "endings still reachable" may visit: about a
/// second on one core in a release build for the largest shipped case.
pub const ENDINGS_BUDGET: usize = 150_000;

/// What the bar along the top says in author mode.
pub const AUTHOR_NOT_SAVED: &str = "author mode: this case is not saved";

/// Author mode for one scenario file.
pub struct AuthorPlugin;

impl Plugin for AuthorPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<EndingsWalk>()
            .init_resource::<CoverageRun>()
            .add_systems(Startup, start_watching)
            .add_systems(Update, (apply_reloads, apply_author_intents).chain().before(super::apply_intents))
            // After the trainee's action of this frame, so the view follows it at once.
            .add_systems(Update, (walk_endings, run_coverage).chain().after(super::apply_intents))
            .add_systems(Last, wake_for_author_intents);
    }
}

/// Asks for one more frame when the author's view asked for something in
/// this frame's egui pass (after this frame's systems ran): a resting window
/// would otherwise leave it waiting for the next event.
fn wake_for_author_intents(mut asked: MessageReader<AuthorIntent>, mut redraw: MessageWriter<RequestRedraw>) {
    if asked.read().count() > 0 {
        redraw.write(RequestRedraw);
    }
}

/// What the author's view asks for.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum AuthorIntent {
    /// Open a scene with these facts known and flags set.
    PlayFrom(StartIds),
    /// Start the case again from the beginning, with the same seed.
    Restart,
    /// Work out the coverage of the version running.
    CheckCoverage,
    /// Work out the coverage after every good save (or stop doing so).
    CoverageOnSave(bool),
}

/// A problem in the saved file, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemLine {
    /// `file:line:column`.
    pub place: String,
    /// Whether it stops the file from being played.
    pub error: bool,
    /// `E104: control characters ...`.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl ProblemLine {
    fn of(d: &Diagnostic) -> Self {
        ProblemLine {
            place: format!("{}:{}:{}", d.file, d.line, d.column),
            error: d.severity == Severity::Error,
            message: format!("{}: {}", d.code, d.message),
            hint: d.hint.clone(),
        }
    }
}

/// What the last save did.
#[derive(Clone, Debug, PartialEq)]
pub enum LastSave {
    /// Nothing saved since the window opened.
    None,
    /// Played again to the same moment, or as near as the text allows.
    Replayed {
        /// Actions replayed.
        actions: usize,
        /// Where the replay stopped short, and why.
        stopped: Option<Stopped>,
        /// From the save to the new version being on screen, in milliseconds.
        took_ms: f64,
    },
    /// The file has errors: the last good version is still running.
    Broken {
        /// Every problem (the first [`PROBLEMS_SHOWN`] shown).
        problems: Vec<ProblemLine>,
    },
}

/// The file being written and what its saves did.
#[derive(Resource, Debug)]
pub struct Authoring {
    /// The scenario file.
    pub file: PathBuf,
    /// Good versions loaded (the first counts).
    pub version: u64,
    /// Saves seen, good or not.
    pub saves: u64,
    /// What the last save did.
    pub last: LastSave,
    /// Warnings in the version running.
    pub warnings: Vec<ProblemLine>,
    /// Why saves are not being watched, if they are not.
    pub watch_problem: Option<String>,
    /// When the last save was seen, for the performance log.
    pub saved_at: Option<Instant>,
    /// The version running (the case on screen is the authored one while it plays this).
    pub running: Arc<crate::scenario::Scenario>,
    /// The seed a fresh start uses.
    pub seed: u64,
}

impl Authoring {
    /// Author mode on a file whose first version (`running`, played on
    /// `seed`) loaded with these warnings.
    pub fn new(file: PathBuf, running: Arc<crate::scenario::Scenario>, seed: u64, warnings: &[Diagnostic]) -> Self {
        Authoring {
            file,
            version: 1,
            saves: 0,
            last: LastSave::None,
            warnings: warnings.iter().map(ProblemLine::of).collect(),
            watch_problem: None,
            saved_at: None,
            running,
            seed,
        }
    }

    /// Whether the case on screen is the one being written (the author may
    /// have left it for another from the start screen).
    fn is_authored(&self, case: &ActiveCase) -> bool {
        Arc::ptr_eq(case.session.scenario(), &self.running)
    }

    /// Takes in a save: a good version replaces the case, keeping the place;
    /// a broken one is listed and the case carries on as it was. When the
    /// case on screen is not the one being written (or there is none), a
    /// good version opens afresh: the new case is returned to be put on screen.
    pub fn take_save(
        &mut self,
        loaded: Result<Loaded, LoadError>,
        case: Option<&mut ActiveCase>,
        saved_at: Instant,
    ) -> Option<ActiveCase> {
        self.saves += 1;
        self.saved_at = Some(saved_at);
        let case = case.filter(|c| self.is_authored(c));
        let mut fresh = None;
        match loaded {
            Ok((scenario, warnings)) => {
                self.version += 1;
                self.warnings = warnings.iter().map(ProblemLine::of).collect();
                self.running = Arc::new(scenario);
                let place =
                    case.as_ref().map_or(Place { seed: self.seed, ..Place::default() }, |c| Place::of(&c.session));
                let (session, stopped) = replay(self.running.clone(), &place);
                let actions = session.actions().len();
                match case {
                    Some(c) => replace_session(c, session),
                    None => {
                        let mut new = ActiveCase::new(session);
                        new.save_problem = Some(AUTHOR_NOT_SAVED.to_string());
                        fresh = Some(new);
                    }
                }
                let took_ms = saved_at.elapsed().as_secs_f64() * 1000.0;
                self.last = LastSave::Replayed { actions, stopped, took_ms };
            }
            Err(e) => {
                self.last = LastSave::Broken { problems: e.diagnostics.iter().map(ProblemLine::of).collect() };
                // The bar along the top says so too, whichever tab is open.
                if let Some(c) = case {
                    c.save_problem = Some(format!(
                        "author mode: save {} has errors, version {} runs on (see Author)",
                        self.saves, self.version
                    ));
                }
            }
        }
        fresh
    }
}

/// Puts a new session (a new version of the text, or a new starting point)
/// in the case, keeping what is kept across a replay: reflections at scenes
/// that still exist, no cards for what was settled before.
fn replace_session(case: &mut ActiveCase, session: crate::sim::Session) {
    let old = case.session.scenario().clone();
    let new = session.scenario().clone();
    case.reflections = std::mem::take(&mut case.reflections)
        .into_iter()
        .filter_map(|r| Some(Reflection { scene: new.scene_id(&old.scene(r.scene).id)?, text: r.text }))
        .collect();
    case.session = session;
    // A new version or starting point is another run: never written into
    // the record of the one before.
    case.writer = None;
    case.since = super::last_action_start(&case.session);
    case.refused = None;
    case.cards.clear();
    case.carded.clear();
    case.supervision = None;
    case.save_problem = Some(AUTHOR_NOT_SAVED.to_string());
    let _ = crate::feedback::new_cards(&case.session, &mut case.carded);
}

fn start_watching(
    mut commands: Commands,
    authoring: Option<ResMut<Authoring>>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    let Some(mut authoring) = authoring else { return };
    match Watch::start(&authoring.file, waker(proxy)) {
        Ok(watch) => commands.insert_resource(watch),
        Err(e) => authoring.watch_problem = Some(e),
    }
}

/// Takes in the saves the watcher has read (the newest matters; each is counted).
fn apply_reloads(
    mut commands: Commands,
    watch: Option<Res<Watch>>,
    authoring: Option<ResMut<Authoring>>,
    mut case: Option<ResMut<ActiveCase>>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(watch), Some(mut authoring)) = (watch, authoring) else { return };
    let saves = watch.saves();
    let mut opened = None;
    let any = !saves.is_empty();
    for save in saves {
        let on_screen = match opened.as_mut() {
            Some(new) => Some(new),
            None => case.as_deref_mut(),
        };
        if let Some(new) = authoring.take_save(save.loaded, on_screen, save.at) {
            opened = Some(new);
        }
    }
    if let Some(new) = opened {
        commands.insert_resource(new);
        next.set(Screen::Case);
    }
    if any {
        redraw.write(RequestRedraw);
    }
}

fn apply_author_intents(
    mut intents: MessageReader<AuthorIntent>,
    case: Option<ResMut<ActiveCase>>,
    mut coverage: ResMut<CoverageRun>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some(mut case) = case else { return };
    for intent in intents.read() {
        let scenario = case.session.scenario().clone();
        let seed = case.session.seed();
        let start = match intent {
            AuthorIntent::PlayFrom(ids) => Some(ids.clone()),
            AuthorIntent::Restart => None,
            AuthorIntent::CheckCoverage => {
                coverage.wanted = true;
                continue;
            }
            AuthorIntent::CoverageOnSave(on) => {
                coverage.every_save = *on;
                coverage.wanted |= *on;
                continue;
            }
        };
        let (session, stopped) = replay(scenario, &Place { seed, start, actions: Vec::new() });
        if let Some(s) = stopped {
            case.refused = Some(s.to_string());
        }
        replace_session(&mut case, session);
        next.set(Screen::Case);
        redraw.write(RequestRedraw);
    }
}

/// The walk for the endings still reachable: which moment it is for, and its result.
#[derive(Resource, Default)]
pub struct EndingsWalk {
    /// The moment walked from: (version, starting point, actions).
    pub for_moment: Option<(u64, Option<StartIds>, usize)>,
    /// The answer, once the walk is done.
    pub found: Option<EndingsFromHere>,
    /// The state behind the moment, looked at once per moment (not per frame).
    pub seen: Option<crate::author::Inspection>,
    waiting: Background<EndingsFromHere>,
    /// Stops the walk under way when a newer moment needs one.
    cancel: Arc<AtomicBool>,
}

/// After each action or new version, walks from the moment on a thread of its own.
fn walk_endings(
    authoring: Option<Res<Authoring>>,
    case: Option<Res<ActiveCase>>,
    mut walk: ResMut<EndingsWalk>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(authoring), Some(case)) = (authoring, case) else { return };
    let changed = case.is_changed() || authoring.is_changed() || walk.for_moment.is_none();
    let moment = changed.then(|| {
        let place = Place::of(&case.session);
        Some((authoring.version, place.start, case.session.actions().len()))
    });
    if let Some(moment) = moment
        && walk.for_moment != moment
    {
        walk.for_moment = moment;
        walk.found = None;
        walk.seen = Some(crate::author::Inspection::of(&case.session));
        walk.cancel.store(true, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        walk.cancel = cancel.clone();
        let session = case.session.clone();
        walk.waiting.start("author-endings", waker(proxy), move || {
            let found = endings_from_here_until(&session, ENDINGS_BUDGET, &cancel);
            (!cancel.load(Ordering::Relaxed)).then_some(found)
        });
    }
    if let Some(found) = walk.waiting.poll() {
        walk.found = Some(found);
        redraw.write(RequestRedraw);
    }
}

/// The coverage of the version running, worked out on a thread of its own
/// when asked for (or after every save, if the author wants it).
#[derive(Resource, Default)]
pub struct CoverageRun {
    /// Asked for, not started yet.
    pub wanted: bool,
    /// Work it out after every good save.
    pub every_save: bool,
    /// The version it is for, and the answer once it is in.
    pub result: Option<(u64, CoverageNow)>,
    /// The version being worked out.
    pub running: Option<u64>,
    waiting: Background<CoverageNow>,
}

/// A coverage answer, as the author's view shows it.
#[derive(Clone, Debug)]
pub struct CoverageNow {
    /// What the case reaches and its built-in paths touch.
    pub coverage: crate::explore::coverage::Coverage,
    /// Which built-in paths were found (by name).
    pub paths: Vec<&'static str>,
    /// Whether the search hit its bound (then "not reached" is not "unreachable").
    pub bound_hit: bool,
    /// How long it took, in seconds.
    pub seconds: f64,
}

fn run_coverage(
    authoring: Option<Res<Authoring>>,
    case: Option<Res<ActiveCase>>,
    mut run: ResMut<CoverageRun>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(authoring), Some(case)) = (authoring, case) else { return };
    let version = authoring.version;
    let stale = run.result.as_ref().is_none_or(|(v, _)| *v != version);
    if (run.wanted || (run.every_save && stale)) && run.running.is_none() {
        run.wanted = false;
        run.running = Some(version);
        let scenario = case.session.scenario().clone();
        let folder = authoring.file.parent().map(Path::to_path_buf);
        let started = run.waiting.start("author-coverage", waker(proxy), move || {
            let started = Instant::now();
            let texts = crate::scenario::catalogue::built_in_scripts(&scenario.meta.id, folder.as_deref());
            let scripts: Vec<_> = texts.iter().map(|(n, t)| (*n, crate::record::parse_script(t))).collect();
            let measured = crate::explore::coverage::measure(&scenario, &scripts);
            let answer = CoverageNow {
                coverage: measured.coverage,
                paths: texts.iter().map(|(n, _)| *n).collect(),
                bound_hit: measured.report.bound_hit,
                seconds: started.elapsed().as_secs_f64(),
            };
            Some(answer)
        });
        if !started {
            run.running = None;
        }
    }
    if let Some(answer) = run.waiting.poll() {
        let for_version = run.running.take().unwrap_or(version);
        run.result = Some((for_version, answer));
        redraw.write(RequestRedraw);
    }
}
