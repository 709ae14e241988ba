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

use super::theme::{Palette, quiet};
use super::{ActiveCase, Reflection, Screen};
use crate::author::{Inspection, Place, StartIds, Stopped, replay};
use crate::explore::from_here::{EndingsFromHere, endings_from_here_until};
use crate::scenario::diagnostic::{Diagnostic, Severity};
use crate::scenario::{LoadError, Loaded, Scenario, load_file};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the file must be quiet before it is read: an editor's save can be
/// several writes (or a write and a rename).
const SETTLE: Duration = Duration::from_millis(30);

/// How many states the walk for "endings still reachable" may visit: about a
/// second on one core in a release build for the largest shipped case.
pub const ENDINGS_BUDGET: usize = 150_000;

/// What the bar along the top says in author mode.
pub const AUTHOR_NOT_SAVED: &str = "author mode: this case is not saved";

/// The most problems listed in the window; the rest are counted.
const PROBLEMS_SHOWN: usize = 20;

/// Author mode for one scenario file.
pub struct AuthorPlugin;

impl Plugin for AuthorPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<EndingsWalk>()
            .init_resource::<CoverageRun>()
            .add_systems(Startup, start_watching)
            .add_systems(
                Update,
                (apply_reloads, apply_author_intents, walk_endings, run_coverage).chain().before(super::apply_intents),
            );
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
}

impl Authoring {
    /// Author mode on a file whose first version loaded with these warnings.
    pub fn new(file: PathBuf, warnings: &[Diagnostic]) -> Self {
        Authoring {
            file,
            version: 1,
            saves: 0,
            last: LastSave::None,
            warnings: warnings.iter().map(ProblemLine::of).collect(),
            watch_problem: None,
            saved_at: None,
        }
    }

    /// Takes in a save: a good version replaces the case, keeping the place;
    /// a broken one is listed and the case carries on as it was.
    pub fn take_save(&mut self, loaded: Result<Loaded, LoadError>, case: &mut ActiveCase, saved_at: Instant) {
        self.saves += 1;
        self.saved_at = Some(saved_at);
        match loaded {
            Ok((scenario, warnings)) => {
                self.version += 1;
                self.warnings = warnings.iter().map(ProblemLine::of).collect();
                let place = Place::of(&case.session);
                let (session, stopped) = replay(Arc::new(scenario), &place);
                let actions = session.actions().len();
                replace_session(case, session);
                let took_ms = saved_at.elapsed().as_secs_f64() * 1000.0;
                self.last = LastSave::Replayed { actions, stopped, took_ms };
            }
            Err(e) => self.last = LastSave::Broken { problems: e.diagnostics.iter().map(ProblemLine::of).collect() },
        }
        // The bar along the top says so too, whichever tab is open.
        case.save_problem = Some(match &self.last {
            LastSave::Broken { .. } => {
                format!("author mode: save {} has errors, version {} runs on (see Author)", self.saves, self.version)
            }
            _ => AUTHOR_NOT_SAVED.to_string(),
        });
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
    case.since = super::last_action_start(&case.session);
    case.refused = None;
    case.cards.clear();
    case.carded.clear();
    case.supervision = None;
    let _ = crate::feedback::new_cards(&case.session, &mut case.carded);
}

/// A save, read and checked on the watcher's thread.
pub struct Save {
    /// When the first write of the save was seen.
    pub at: Instant,
    /// The file, loaded or not.
    pub loaded: Result<Loaded, LoadError>,
}

/// The watcher and the saves it has read.
#[derive(Resource)]
pub struct Watch {
    saves: Mutex<Receiver<Save>>,
    /// Kept alive: dropping it stops the watching.
    _watcher: Mutex<notify::RecommendedWatcher>,
}

/// Something that wakes the window from another thread (nothing in tests).
type Wake = Arc<dyn Fn() + Send + Sync>;

/// Work on a thread of its own, whose answer the window picks up when it
/// comes (and is woken for): the window never waits for it.
pub struct Background<T> {
    waiting: Mutex<Option<Receiver<T>>>,
}

impl<T> Default for Background<T> {
    fn default() -> Self {
        Background { waiting: Mutex::new(None) }
    }
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` on a thread named `name`, in place of any earlier work's
    /// answer; `work` gives `None` when it was called off. Whether it started.
    fn start(&self, name: &str, wake: Wake, work: impl FnOnce() -> Option<T> + Send + 'static) -> bool {
        let (send, receive) = channel();
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            if let Some(answer) = work()
                && send.send(answer).is_ok()
            {
                wake();
            }
        });
        let started = spawned.is_ok();
        *self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = started.then_some(receive);
        started
    }

    /// The answer, once it has come.
    fn poll(&self) -> Option<T> {
        self.waiting.lock().ok().and_then(|w| w.as_ref().and_then(|r| r.try_recv().ok()))
    }
}

fn waker(proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>) -> Wake {
    match proxy {
        Some(p) => {
            let proxy = Mutex::new((**p).clone());
            Arc::new(move || {
                if let Ok(p) = proxy.lock() {
                    let _ = p.send_event(bevy::winit::WinitUserEvent::WakeUp);
                }
            })
        }
        None => Arc::new(|| {}),
    }
}

/// Watches `file`: each save is read and checked on a thread of its own,
/// handed over on the returned channel, and `wake` is called. The threads
/// sleep while nothing changes.
pub fn watch(file: &Path, wake: Wake) -> Result<(Receiver<Save>, notify::RecommendedWatcher), String> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file.file_name().ok_or("the scenario has no file name")?.to_os_string();
    let (seen, writes) = channel::<Instant>();
    // Editors save by writing in place or by writing a copy and renaming it
    // over the file: watch the folder, and take either for this file.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Access(_))
            && event.paths.iter().any(|p| p.file_name() == Some(name.as_os_str()))
            && !matches!(event.kind, EventKind::Access(notify::event::AccessKind::Open(_)))
            && !matches!(
                event.kind,
                EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Read))
            )
        {
            let _ = seen.send(Instant::now());
        }
    })
    .map_err(|e| format!("cannot watch for saves: {e}"))?;
    watcher.watch(&dir, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    let (send, saves) = channel();
    let path = file.to_path_buf();
    std::thread::Builder::new()
        .name("author-watch".into())
        .spawn(move || {
            while let Ok(first) = writes.recv() {
                // Let the save finish: read once nothing has been written for a moment.
                loop {
                    match writes.recv_timeout(SETTLE) {
                        Ok(_) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if send.send(Save { at: first, loaded: load_file(&path) }).is_err() {
                    return;
                }
                wake();
            }
        })
        .map_err(|e| format!("cannot start watching: {e}"))?;
    Ok((saves, watcher))
}

fn start_watching(
    mut commands: Commands,
    authoring: Option<ResMut<Authoring>>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    let Some(mut authoring) = authoring else { return };
    match watch(&authoring.file, waker(proxy)) {
        Ok((saves, watcher)) => {
            commands.insert_resource(Watch { saves: Mutex::new(saves), _watcher: Mutex::new(watcher) })
        }
        Err(e) => authoring.watch_problem = Some(e),
    }
}

/// Takes in the saves the watcher has read (the newest matters; each is counted).
fn apply_reloads(
    watch: Option<Res<Watch>>,
    authoring: Option<ResMut<Authoring>>,
    case: Option<ResMut<ActiveCase>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(watch), Some(mut authoring), Some(mut case)) = (watch, authoring, case) else { return };
    let Ok(saves) = watch.saves.lock() else { return };
    let mut any = false;
    while let Ok(save) = saves.try_recv() {
        authoring.take_save(save.loaded, &mut case, save.at);
        any = true;
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
    let place = Place::of(&case.session);
    let moment = Some((authoring.version, place.start, case.session.actions().len()));
    if walk.for_moment != moment {
        walk.for_moment = moment;
        walk.found = None;
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

/// The "play from here" form's choices (kept between frames).
#[derive(Default)]
pub struct PlayFromForm {
    scene: Option<String>,
    facts: Vec<String>,
    flags: Vec<String>,
}

/// Draws the author's view: the last save, the state behind the moment, the
/// endings still reachable, and "play from here".
#[expect(clippy::too_many_arguments, reason = "the view's parts, each from its own resource")]
pub fn author_view(
    ui: &mut egui::Ui,
    authoring: &Authoring,
    walk: &EndingsWalk,
    coverage: &CoverageRun,
    case: &ActiveCase,
    p: &Palette,
    form: &mut PlayFromForm,
    wanted: &mut Vec<AuthorIntent>,
) {
    let file = authoring.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    ui.label(egui::RichText::new(format!("Writing {file}")).strong());
    match &authoring.watch_problem {
        Some(e) => {
            ui.label(egui::RichText::new(format!("Saves are not followed: {e}")).color(p.warn));
        }
        None => quiet(ui, p, "Save the file and the case follows, at the same moment."),
    }
    save_note(ui, authoring, p);
    if !authoring.warnings.is_empty() {
        egui::CollapsingHeader::new(format!("{} warning(s) in this version", authoring.warnings.len()))
            .id_salt("author_warnings")
            .show(ui, |ui| problem_list(ui, &authoring.warnings, p));
    }
    ui.separator();
    let seen = Inspection::of(&case.session);
    state_view(ui, &seen, p);
    ui.separator();
    endings_view(ui, walk, p);
    ui.separator();
    rubric_view(ui, &seen, &case.session.scenario().calendar, p);
    ui.separator();
    coverage_view(ui, coverage, authoring.version, p, wanted);
    ui.separator();
    play_from_here(ui, case.session.scenario(), form, wanted);
}

fn save_note(ui: &mut egui::Ui, authoring: &Authoring, p: &Palette) {
    match &authoring.last {
        LastSave::None => quiet(ui, p, format!("Version 1 running; {} save(s) seen.", authoring.saves)),
        LastSave::Replayed { actions, stopped: None, took_ms } => {
            ui.label(
                egui::RichText::new(format!(
                    "Save {} played again: the same moment, {actions} action(s), in {took_ms:.0} ms.",
                    authoring.saves
                ))
                .color(p.good),
            );
        }
        LastSave::Replayed { stopped: Some(s), took_ms, .. } => {
            ui.label(egui::RichText::new(format!("Save {} played again in {took_ms:.0} ms, but", authoring.saves)));
            ui.label(egui::RichText::new(s.to_string()).color(p.warn));
        }
        LastSave::Broken { problems } => {
            let errors = problems.iter().filter(|x| x.error).count();
            ui.label(
                egui::RichText::new(format!(
                    "Save {} has {errors} error(s): still playing version {}.",
                    authoring.saves, authoring.version
                ))
                .strong()
                .color(p.warn),
            );
            problem_list(ui, problems, p);
        }
    }
}

fn problem_list(ui: &mut egui::Ui, problems: &[ProblemLine], p: &Palette) {
    for x in problems.iter().take(PROBLEMS_SHOWN) {
        ui.label(egui::RichText::new(&x.place).monospace().small());
        if x.error {
            ui.label(egui::RichText::new(&x.message).color(p.warn));
        } else {
            ui.label(&x.message);
        }
        if let Some(h) = &x.hint {
            quiet(ui, p, format!("hint: {h}"));
        }
        ui.add_space(4.0);
    }
    if problems.len() > PROBLEMS_SHOWN {
        quiet(ui, p, format!("and {} more (run `second-look validate` for all)", problems.len() - PROBLEMS_SHOWN));
    }
}

fn state_view(ui: &mut egui::Ui, seen: &Inspection, p: &Palette) {
    ui.label(egui::RichText::new(format!("Scene `{}`", seen.scene)).strong());
    quiet(ui, p, format!("{}; score if it ended now {:.0} (before harm)", seen.now, seen.score_now));
    let flags = if seen.flags.is_empty() { "none".to_string() } else { seen.flags.join(", ") };
    ui.label(format!("Flags set: {flags}"));
    if !seen.counters.is_empty() {
        let counters: Vec<String> = seen.counters.iter().map(|(c, v)| format!("{c} = {v}")).collect();
        ui.label(format!("Counters: {}", counters.join(", ")));
    }
    egui::CollapsingHeader::new(format!("Facts known ({})", seen.facts.len())).id_salt("author_facts").show(ui, |ui| {
        for (id, text) in &seen.facts {
            ui.label(egui::RichText::new(id).monospace().small());
            quiet(ui, p, text);
        }
    });
}

fn rubric_view(ui: &mut egui::Ui, seen: &Inspection, calendar: &crate::clock::Calendar, p: &Palette) {
    egui::CollapsingHeader::new(egui::RichText::new("Rubric, live").strong())
        .id_salt("author_rubric")
        .default_open(true)
        .show(ui, |ui| {
            let mut criterion = "";
            for item in &seen.items {
                if item.criterion != criterion {
                    criterion = item.criterion;
                    ui.label(egui::RichText::new(criterion).strong());
                }
                let due = item.due.map(|d| format!(", due {}", calendar.describe(d))).unwrap_or_default();
                let line = egui::RichText::new(format!("`{}`: {}{due}", item.id, item.status));
                ui.label(match item.status {
                    "open" => line.color(p.warn),
                    "not arisen yet" => line.color(p.quiet),
                    _ => line,
                })
                .on_hover_text(&item.title);
            }
        });
}

fn endings_view(ui: &mut egui::Ui, walk: &EndingsWalk, p: &Palette) {
    ui.label(egui::RichText::new("Endings from here").strong());
    let Some(found) = &walk.found else {
        quiet(ui, p, "Walking the paths from here...");
        return;
    };
    for ((id, reach), other) in found.endings.iter().zip(&found.other_version) {
        match reach {
            None if *other => {
                ui.label(egui::RichText::new(format!("other version only: `{id}`")).color(p.quiet));
            }
            Some(r) => {
                ui.label(format!(
                    "reachable: `{id}` (scores {:.0} to {:.0}, in {} action(s))",
                    r.scores.0,
                    r.scores.1,
                    r.path.len()
                ));
            }
            None if found.complete => {
                ui.label(egui::RichText::new(format!("not reachable: `{id}`")).color(p.quiet));
            }
            None => {
                ui.label(egui::RichText::new(format!("not found: `{id}`")).color(p.quiet));
            }
        }
    }
    if found.complete {
        quiet(ui, p, format!("Every path from here walked ({} states).", found.states));
    } else {
        quiet(ui, p, format!("{} states walked, not every path: \"not found\" may still be reachable.", found.states));
    }
}

fn coverage_view(ui: &mut egui::Ui, run: &CoverageRun, version: u64, p: &Palette, wanted: &mut Vec<AuthorIntent>) {
    ui.label(egui::RichText::new("Coverage").strong());
    ui.horizontal_wrapped(|ui| {
        let busy = run.running.is_some();
        if ui.add_enabled(!busy, egui::Button::new("Check coverage")).clicked() {
            wanted.push(AuthorIntent::CheckCoverage);
        }
        let mut every = run.every_save;
        if ui.checkbox(&mut every, "after every save").changed() {
            wanted.push(AuthorIntent::CoverageOnSave(every));
        }
    });
    if run.running.is_some() {
        quiet(ui, p, "Exploring every path (a few seconds)...");
    }
    let Some((for_version, answer)) = &run.result else {
        quiet(ui, p, "What the case reaches, and what neither built-in path touches.");
        return;
    };
    let c = &answer.coverage;
    let paths = if answer.paths.is_empty() { "no built-in path found".to_string() } else { answer.paths.join(" and ") };
    let older = if *for_version == version { "" } else { " (an older version)" };
    quiet(ui, p, format!("Version {for_version}{older}: {paths}; {:.1} s", answer.seconds));
    match c.range {
        Some((lo, hi, exact)) => {
            ui.label(format!("Scores {lo:.0} to {hi:.0}{}", if exact { " (exact)" } else { " (found, not proven)" }));
        }
        None => {
            ui.label("Scores: no ending found");
        }
    }
    let not_reached = if answer.bound_hit { "not reached by the search" } else { "never reached" };
    let kinds = [
        ("Choices", &c.choices),
        ("Hotspots", &c.hotspots),
        ("Endings", &c.endings),
        ("Facts", &c.facts),
        ("Rubric earned", &c.rubric),
    ];
    for (name, t) in kinds {
        ui.label(format!("{name}: {} in all, {} on a built-in path", t.total, t.on_paths));
        if !t.unreachable.is_empty() {
            ui.label(egui::RichText::new(format!("  {not_reached}: {}", few(&t.unreachable))).small().color(p.warn));
        }
        if !t.off_paths.is_empty() {
            ui.label(egui::RichText::new(format!("  on neither path: {}", few(&t.off_paths))).small().color(p.quiet));
        }
    }
    quiet(
        ui,
        p,
        format!(
            "About {:.0} minutes to read the exemplary path, {:.0} to play it.",
            c.reading_minutes, c.playing_minutes
        ),
    );
}

/// Up to twelve ids, and how many more.
fn few(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(12).map(String::as_str).collect();
    match ids.len().saturating_sub(12) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn play_from_here(ui: &mut egui::Ui, s: &Scenario, form: &mut PlayFromForm, wanted: &mut Vec<AuthorIntent>) {
    egui::CollapsingHeader::new(egui::RichText::new("Play from here").strong()).id_salt("author_play_from").show(
        ui,
        |ui| {
            let chosen = form.scene.clone().unwrap_or_else(|| s.scene(s.start).id.clone());
            egui::ComboBox::from_id_salt("author_scene")
                .selected_text(&chosen)
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    for scene in &s.scenes {
                        let label = format!("{}: {}", scene.id, scene.title);
                        if ui.selectable_label(chosen == scene.id, label).clicked() {
                            form.scene = Some(scene.id.clone());
                        }
                    }
                });
            egui::CollapsingHeader::new(format!("Facts known ({} chosen)", form.facts.len()))
                .id_salt("author_pick_facts")
                .show(ui, |ui| {
                    for f in &s.facts {
                        toggle(ui, &mut form.facts, &f.id);
                    }
                });
            if !s.flags.is_empty() {
                egui::CollapsingHeader::new(format!("Flags set ({} chosen)", form.flags.len()))
                    .id_salt("author_pick_flags")
                    .show(ui, |ui| {
                        for f in &s.flags {
                            toggle(ui, &mut form.flags, f);
                        }
                    });
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button("Open this scene").clicked() {
                    wanted.push(AuthorIntent::PlayFrom(StartIds {
                        scene: chosen.clone(),
                        facts: form.facts.clone(),
                        flags: form.flags.clone(),
                    }));
                }
                if ui.button("Start again").clicked() {
                    wanted.push(AuthorIntent::Restart);
                }
            });
        },
    );
}

fn toggle(ui: &mut egui::Ui, chosen: &mut Vec<String>, id: &str) {
    let mut on = chosen.iter().any(|c| c == id);
    if ui.checkbox(&mut on, egui::RichText::new(id).monospace().small()).changed() {
        chosen.retain(|c| c != id);
        if on {
            chosen.push(id.to_string());
        }
    }
}
