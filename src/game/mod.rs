//! The Bevy game: screens that show the simulation and send it the trainee's actions.
//!
//! [`GamePlugin`] is the part with no window: the [`Screen`] state, the
//! scenario [`Catalogue`], the [`ActiveCase`] resource holding the
//! [`Session`] and its record, and the [`Intent`] messages by which screens
//! ask for something to happen. It runs headless in tests. [`run`] builds the
//! window: Bevy with software-friendly settings, bevy_egui, one plugin per
//! screen, the room view, and the fix that lets an idle window rest.

pub mod author;
pub mod background;
pub mod briefing;
pub mod capture;
pub mod case;
pub mod debrief;
pub mod facilitator;
pub mod idle;
pub mod people;
pub mod perf;
pub mod places;
pub mod room;
pub mod sending;
pub mod settings;
pub mod start;
pub mod theme;

use crate::cli::{GameArgs, ScreenArg};
use crate::record::{self, Mode, RecordWriter};
use crate::scenario::catalogue::{self, Origin};
use crate::scenario::{ActionIx, Scenario, SceneIx};
use crate::sim::Session;
use crate::storage::DataDir;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use settings::{Settings, SettingsStore};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// The screen being shown.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Choose a case, resume one, change settings.
    #[default]
    Start,
    /// Read the referral and the content notes.
    Briefing,
    /// Play the case.
    Case,
    /// Read the debrief.
    Debrief,
    /// A facilitator's view of a group's records.
    Facilitator,
}

/// One scenario on offer, loaded (or not) when the game starts.
#[derive(Debug)]
pub struct CatalogueEntry {
    /// Where it comes from.
    pub origin: Origin,
    /// The scenario, if it loaded.
    pub scenario: Option<Arc<Scenario>>,
    /// Why it did not load, rendered for reading.
    pub problems: Option<String>,
}

/// The scenarios on offer.
#[derive(Resource, Debug, Default)]
pub struct Catalogue {
    /// Every scenario found, in file order.
    pub entries: Vec<CatalogueEntry>,
    /// The experienced practitioner's path for each scenario id, where there is one.
    pub expert_paths: std::collections::HashMap<String, String>,
}

impl Catalogue {
    /// Loads every scenario in `dir` (or `./scenarios`, or the built-in ones).
    pub fn discover(dir: Option<&std::path::Path>) -> Self {
        let origins = catalogue::discover(dir).unwrap_or_default();
        let entries: Vec<CatalogueEntry> = origins
            .into_iter()
            .map(|origin| match origin.load() {
                Ok((s, _)) => CatalogueEntry { origin, scenario: Some(Arc::new(s)), problems: None },
                Err(e) => CatalogueEntry { problems: Some(e.render(false)), origin, scenario: None },
            })
            .collect();
        let expert_paths = entries
            .iter()
            .filter_map(|e| e.scenario.as_ref())
            .filter_map(|s| Some((s.meta.id.clone(), catalogue::expert_path(&s.meta.id, dir)?)))
            .collect();
        Catalogue { entries, expert_paths }
    }

    /// A catalogue of already-loaded scenarios (for tests).
    pub fn of(scenarios: Vec<Arc<Scenario>>) -> Self {
        let expert_paths = scenarios
            .iter()
            .filter_map(|s| Some((s.meta.id.clone(), catalogue::expert_path(&s.meta.id, None)?)))
            .collect();
        Catalogue {
            entries: scenarios
                .into_iter()
                .map(|s| CatalogueEntry { origin: Origin::Builtin("test"), scenario: Some(s), problems: None })
                .collect(),
            expert_paths,
        }
    }

    /// The scenario with this id.
    pub fn find(&self, id: &str) -> Option<Arc<Scenario>> {
        self.entries.iter().filter_map(|e| e.scenario.clone()).find(|s| s.meta.id == id)
    }
}

/// Where records go: the data folder, if one could be found.
#[derive(Resource, Clone, Debug, Default)]
pub struct Storage {
    /// The data folder.
    pub data: Option<DataDir>,
}

/// A reflection written (or a discussion held) at a pause.
#[derive(Clone, Debug, PartialEq)]
pub struct Reflection {
    /// The scene whose question it answers.
    pub scene: SceneIx,
    /// What the trainee wrote (empty when a facilitator held the discussion).
    pub text: String,
}

/// The case being played.
#[derive(Resource, Debug)]
pub struct ActiveCase {
    /// The session.
    pub session: Session,
    /// Where "what just happened" starts in the journal.
    pub since: usize,
    /// The last action that could not be taken, and why.
    pub refused: Option<String>,
    /// The record being written, if it could be created.
    pub writer: Option<RecordWriter>,
    /// Why the case is not being saved, if it is not.
    pub save_problem: Option<String>,
    /// Reflections written and discussions held, in order.
    pub reflections: Vec<Reflection>,
    /// Assessment or practice.
    pub mode: Mode,
    /// Practice-mode feedback cards waiting to be read, oldest first.
    pub cards: Vec<crate::feedback::Card>,
    /// Which rubric items have had their card.
    pub carded: Vec<bool>,
    /// The manager's last question in supervision, and when it was asked.
    pub supervision: Option<(crate::clock::InGameTime, crate::feedback::Question)>,
}

impl ActiveCase {
    /// A case with no record (tests, `--open` without a data folder).
    pub fn new(session: Session) -> Self {
        ActiveCase {
            session,
            since: 0,
            refused: None,
            writer: None,
            save_problem: None,
            reflections: Vec::new(),
            mode: Mode::Assessment,
            cards: Vec::new(),
            carded: Vec::new(),
            supervision: None,
        }
    }

    /// In practice mode, queues the cards for items the last action settled.
    fn collect_cards(&mut self) {
        let cards = crate::feedback::new_cards(&self.session, &mut self.carded);
        if self.mode == Mode::Practice {
            self.cards.extend(cards);
        }
    }

    /// The cards read together now: the first waiting card and those after it
    /// in the same words (see [`crate::feedback::leading_alike`]).
    pub fn cards_on_show(&self) -> &[crate::feedback::Card] {
        &self.cards[..crate::feedback::leading_alike(&self.cards)]
    }

    /// Whether something must be read before the next choice (a pause or a card).
    pub fn waiting(&self) -> bool {
        self.pending_discussion().is_some() || !self.cards.is_empty()
    }

    /// The discussion waiting at this scene, if the trainee has not paused there yet.
    pub fn pending_discussion(&self) -> Option<&str> {
        let scene = self.session.state().scene;
        let question = self.session.scene().discussion.as_deref()?;
        let done = self.reflections.iter().any(|r| r.scene == scene);
        (!done && !self.session.is_over()).then_some(question)
    }

    fn save(&mut self) {
        if let Some(w) = self.writer.as_mut()
            && let Err(e) = w.sync(&self.session)
        {
            self.save_problem = Some(format!("progress is not being saved: {e}"));
        }
    }
}

/// What a screen asks for. Screens send these; [`apply_intents`] carries them out.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    /// Open a scenario from the catalogue with a seed, and show its briefing.
    Open {
        /// Index in [`Catalogue::entries`].
        entry: usize,
        /// The seed.
        seed: u64,
        /// Assessment or practice.
        mode: Mode,
    },
    /// Resume the unfinished case in this record.
    Resume(PathBuf),
    /// Leave the briefing and start playing.
    Begin,
    /// Take a choice or look at a hotspot.
    Take(ActionIx),
    /// Save a reflection (possibly empty: the group discussed it) for the current scene's pause.
    Reflect(String),
    /// Talk the case through with the manager.
    Supervise,
    /// Put away the oldest feedback card (or the manager's answer).
    Dismiss,
    /// Show the debrief.
    Debrief,
    /// Show the facilitator's view.
    Facilitate,
    /// Go back to the start screen.
    Start,
}

/// Number and letter keys choose while this set runs (the window gates it on
/// [`Typing`], so typing never chooses).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyboardChoices;

/// Whether the trainee is typing in a text box (a reflection): then keys are
/// letters, not choices. A focused button does not count: number keys choose
/// whatever has focus.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Typing(pub bool);

/// Notes, each egui pass, whether a text box has keyboard focus.
fn note_typing(mut contexts: bevy_egui::EguiContexts, mut typing: ResMut<Typing>) -> Result {
    let now = Typing(contexts.ctx_mut()?.text_edit_focused());
    if *typing != now {
        *typing = now;
    }
    Ok(())
}

/// The game without a window: state, resources and the rules for intents.
pub struct GamePlugin;

impl Plugin for GamePlugin {
    fn build(&self, app: &mut App) {
        app.init_state::<Screen>()
            .add_message::<Intent>()
            .add_message::<author::AuthorIntent>()
            .init_resource::<Catalogue>()
            .init_resource::<Storage>()
            .init_resource::<Settings>()
            .init_resource::<SettingsStore>()
            .init_resource::<AppliedIntents>()
            .add_systems(
                Update,
                (choose_by_key.in_set(KeyboardChoices), apply_intents, settings::save_when_changed).chain(),
            )
            .add_systems(Last, wake_for_pending_intents);
    }
}

/// How many intents [`apply_intents`] has carried out, for [`wake_for_pending_intents`].
#[derive(Resource, Default, Debug)]
pub struct AppliedIntents(pub u64);

/// Asks for one more frame when an intent was sent after this frame's
/// [`apply_intents`] ran (a click, seen by the egui pass): without it a
/// resting window would leave the click waiting for the next event. A key,
/// handled before `apply_intents`, needs no second frame.
fn wake_for_pending_intents(
    mut sent: MessageReader<Intent>,
    applied: Res<AppliedIntents>,
    mut total: Local<u64>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    *total += sent.read().count() as u64;
    if *total > applied.0 {
        redraw.write(RequestRedraw);
    }
}

/// Carries out intents: opening and resuming cases, taking actions, moving between screens.
#[expect(clippy::too_many_arguments, reason = "one system owns the rules for every intent")]
pub fn apply_intents(
    mut intents: MessageReader<Intent>,
    mut commands: Commands,
    catalogue: Res<Catalogue>,
    storage: Res<Storage>,
    settings: Res<Settings>,
    mut case: Option<ResMut<ActiveCase>>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut applied: ResMut<AppliedIntents>,
) {
    let mut new_screen = false;
    for intent in intents.read() {
        applied.0 += 1;
        match intent {
            Intent::Open { entry, seed, mode } => {
                if let Some(s) = catalogue.entries.get(*entry).and_then(|e| e.scenario.clone()) {
                    let mut active = ActiveCase::new(Session::new(s, *seed));
                    active.mode = *mode;
                    match storage.data.as_ref().map(|d| d.records()) {
                        Some(Ok(dir)) => {
                            match RecordWriter::create_in(&dir, &active.session, *mode, &settings.pseudonym) {
                                Ok(w) => active.writer = Some(w),
                                Err(e) => active.save_problem = Some(format!("progress is not being saved: {e}")),
                            }
                        }
                        Some(Err(e)) => active.save_problem = Some(format!("progress is not being saved: {e}")),
                        None => active.save_problem = Some("progress is not being saved: no data folder".into()),
                    }
                    commands.insert_resource(active);
                    new_screen = true;
                    next.set(Screen::Briefing);
                }
            }
            Intent::Resume(path) => match resume(&catalogue, path) {
                Ok(active) => {
                    commands.insert_resource(active);
                    new_screen = true;
                    next.set(Screen::Case);
                }
                Err(e) => warn!("cannot resume {}: {e}", path.display()),
            },
            Intent::Begin => {
                new_screen = true;
                next.set(Screen::Case);
            }
            Intent::Take(a) => {
                if let Some(case) = case.as_deref_mut() {
                    let before = case.session.journal().len();
                    match case.session.take(*a) {
                        Ok(()) => {
                            case.since = before;
                            case.refused = None;
                            case.supervision = None;
                            case.save();
                            case.collect_cards();
                        }
                        Err(e) => case.refused = Some(e.to_string()),
                    }
                }
            }
            Intent::Supervise => {
                if let Some(case) = case.as_deref_mut()
                    && let Some(sup) = case.session.scenario().supervision
                {
                    let question = crate::feedback::supervision_question(&case.session);
                    let at = case.session.now();
                    let before = case.session.journal().len();
                    match case.session.take(sup) {
                        Ok(()) => {
                            case.since = before;
                            case.refused = None;
                            case.supervision = Some((at, question));
                            case.save();
                            case.collect_cards();
                        }
                        Err(e) => case.refused = Some(e.to_string()),
                    }
                }
            }
            Intent::Dismiss => {
                if let Some(case) = case.as_deref_mut() {
                    if case.cards.is_empty() {
                        case.supervision = None;
                    } else {
                        let read = case.cards_on_show().len();
                        case.cards.drain(..read);
                    }
                }
            }
            Intent::Reflect(text) => {
                if let Some(case) = case.as_deref_mut() {
                    let scene = case.session.state().scene;
                    let id = case.session.scene().id.clone();
                    if let Some(w) = case.writer.as_mut()
                        && let Err(e) = w.reflect(&case.session, &id, text.trim())
                    {
                        case.save_problem = Some(format!("the reflection was not saved: {e}"));
                    }
                    case.reflections.push(Reflection { scene, text: text.trim().to_string() });
                }
            }
            Intent::Debrief => {
                new_screen = true;
                next.set(Screen::Debrief);
            }
            Intent::Facilitate => {
                new_screen = true;
                next.set(Screen::Facilitator);
            }
            Intent::Start => {
                commands.remove_resource::<ActiveCase>();
                new_screen = true;
                next.set(Screen::Start);
            }
        }
    }
    // This frame's egui pass, later in the same update, already draws the
    // result of an action; only a new screen (applied by the next update's
    // state transition) needs another frame. One frame per action, not two.
    if new_screen {
        redraw.write(RequestRedraw);
    }
}

/// Reopens an unfinished case from its record, at the same point. A record
/// whose last line was cut off is left as it is; the case carries on in a new
/// record made from its intact part.
pub fn resume(catalogue: &Catalogue, path: &std::path::Path) -> Result<ActiveCase, String> {
    let (rec, damaged) = match record::read_record(path) {
        Ok(r) => (r, false),
        Err(record::RecordError::Truncated { intact, .. }) => (*intact, true),
        Err(e) => return Err(e.to_string()),
    };
    let scenario = catalogue
        .find(&rec.header.scenario)
        .ok_or_else(|| format!("the scenario `{}` is not available here", rec.header.scenario))?;
    let session = rec.replay(scenario, path).map_err(|e| e.to_string())?;
    let writer = if damaged {
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        RecordWriter::create_continuing(&dir.join(format!("{stem}-resumed.jsonl")), &rec, &session)
    } else {
        RecordWriter::append_to(path, &session)
    };
    let mut active = ActiveCase::new(session);
    active.mode = rec.header.mode;
    // Cards for items settled before the case was left were shown then.
    let _ = crate::feedback::new_cards(&active.session, &mut active.carded);
    active.reflections = rec
        .reflections
        .iter()
        .filter_map(|r| {
            let scene = active.session.scenario().scene_id(&r.scene)?;
            Some(Reflection { scene, text: r.text.clone() })
        })
        .collect();
    match writer.and_then(|mut w| w.resumed(&active.session).map(|()| w)) {
        Ok(w) => active.writer = Some(w),
        Err(e) => active.save_problem = Some(format!("progress is not being saved: {e}")),
    }
    active.since = last_action_start(&active.session);
    Ok(active)
}

/// Where the last action's entries start in the journal.
fn last_action_start(session: &Session) -> usize {
    session.journal().iter().rposition(|e| matches!(e, crate::sim::Entry::Took { .. })).unwrap_or(0)
}

/// The keys that choose: 1–9 and 0 for choices, A–Z for things to look at.
pub const CHOICE_KEYS: [KeyCode; 10] = [
    KeyCode::Digit1,
    KeyCode::Digit2,
    KeyCode::Digit3,
    KeyCode::Digit4,
    KeyCode::Digit5,
    KeyCode::Digit6,
    KeyCode::Digit7,
    KeyCode::Digit8,
    KeyCode::Digit9,
    KeyCode::Digit0,
];

pub(crate) const NUMPAD_KEYS: [KeyCode; 10] = [
    KeyCode::Numpad1,
    KeyCode::Numpad2,
    KeyCode::Numpad3,
    KeyCode::Numpad4,
    KeyCode::Numpad5,
    KeyCode::Numpad6,
    KeyCode::Numpad7,
    KeyCode::Numpad8,
    KeyCode::Numpad9,
    KeyCode::Numpad0,
];

/// Letter keys for hotspots, in order.
pub const HOTSPOT_KEYS: [(KeyCode, char); 8] = [
    (KeyCode::KeyA, 'A'),
    (KeyCode::KeyB, 'B'),
    (KeyCode::KeyC, 'C'),
    (KeyCode::KeyD, 'D'),
    (KeyCode::KeyE, 'E'),
    (KeyCode::KeyF, 'F'),
    (KeyCode::KeyG, 'G'),
    (KeyCode::KeyH, 'H'),
];

/// Whether a typed character is one the game chooses with: a digit, a
/// hotspot's letter ([`HOTSPOT_KEYS`]) or M for the manager, either case.
pub fn is_choice_char(c: char) -> bool {
    let c = c.to_ascii_uppercase();
    c.is_ascii_digit() || c == 'M' || HOTSPOT_KEYS.iter().any(|(_, k)| *k == c)
}

/// The key label for the nth choice ("1" to "9", "0" for the tenth).
pub fn choice_key_label(n: usize) -> Option<&'static str> {
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"].get(n).copied()
}

/// Keys 1–9 and 0 take the choice with that number; A–H look at the hotspot
/// with that letter; M asks the manager. While a practice card waits, Enter
/// carries on (unless a focused button takes Enter itself); nothing else
/// happens while a card or a discussion pause is waiting.
pub fn choose_by_key(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    screen: Res<State<Screen>>,
    case: Option<Res<ActiveCase>>,
    egui_wants: Option<Res<bevy_egui::input::EguiWantsInput>>,
    mut intents: MessageWriter<Intent>,
) {
    let (Some(keys), Some(case)) = (keys, case) else { return };
    if *screen.get() != Screen::Case || case.session.is_over() {
        return;
    }
    if !case.cards.is_empty() {
        let focused = egui_wants.is_some_and(|w| w.wants_keyboard_input());
        if !focused && (keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter)) {
            intents.write(Intent::Dismiss);
        }
        return;
    }
    if case.waiting() {
        return;
    }
    if keys.just_pressed(KeyCode::KeyM) && case.session.scenario().supervision.is_some() {
        intents.write(Intent::Supervise);
        return;
    }
    let choices = case.session.choices();
    for (n, (digit, pad)) in CHOICE_KEYS.iter().zip(NUMPAD_KEYS.iter()).enumerate() {
        if (keys.just_pressed(*digit) || keys.just_pressed(*pad))
            && let Some(a) = choices.get(n)
        {
            intents.write(Intent::Take(*a));
            return;
        }
    }
    // A hotspot's letter is its place in the scene, whatever has been looked at.
    for (n, a) in case.session.offered_hotspots() {
        if HOTSPOT_KEYS.get(n).is_some_and(|(key, _)| keys.just_pressed(*key)) {
            intents.write(Intent::Take(a));
            return;
        }
    }
}

/// The window's first size: 1280 by 800, or `SECOND_LOOK_WINDOW=WIDTHxHEIGHT`
/// (each 320 to 7680) for checking how a screen looks at another size.
fn window_size() -> (u32, u32) {
    let parse = |v: String| {
        let (w, h) = v.split_once('x')?;
        let (w, h) = (w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?);
        ((320..=7680).contains(&w) && (320..=7680).contains(&h)).then_some((w, h))
    };
    std::env::var("SECOND_LOOK_WINDOW").ok().and_then(parse).unwrap_or((1280, 800))
}

/// A random seed for a new session.
pub fn fresh_seed() -> u64 {
    let id = uuid::Uuid::new_v4().as_u128();
    (id as u64) ^ ((id >> 64) as u64)
}

/// Opens the game window and runs until it is closed. A file to author is
/// read first, so a wrong path or a broken file is named even where there is
/// no display.
pub fn run(args: GameArgs) -> ExitCode {
    let authored = match args.author.as_deref().map(|a| open_for_author(a, &args)).transpose() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(why) = crate::shell::display_available() {
        eprintln!("error: {why}");
        return ExitCode::from(2);
    }
    let catalogue = Catalogue::discover(args.scenarios.as_deref());
    let data = match DataDir::locate(args.data_dir.as_deref()) {
        Ok(d) => Some(d),
        Err(e) => {
            eprintln!("warning: {e}; cases will not be saved");
            None
        }
    };
    let (settings, problem) = Settings::load(data.as_ref());
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window { title: "Second Look".into(), resolution: window_size().into(), ..default() }),
        ..default()
    }))
    .insert_resource(resting_window())
    .insert_resource(ClearColor(theme::Palette::of(settings.theme).background))
    .add_plugins(bevy_egui::EguiPlugin::default())
    .add_plugins((
        GamePlugin,
        theme::ThemePlugin,
        start::StartPlugin,
        briefing::BriefingPlugin,
        case::CasePlugin,
        debrief::DebriefPlugin,
        facilitator::FacilitatorPlugin,
        sending::SendingPlugin,
    ))
    .init_resource::<Typing>()
    .add_systems(bevy_egui::EguiPrimaryContextPass, note_typing.after(theme::Screens))
    .configure_sets(Update, KeyboardChoices.run_if(|typing: Res<Typing>| !typing.0))
    .insert_resource(settings)
    .insert_resource(SettingsStore { data: data.clone(), problem })
    .insert_resource(Storage { data })
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });

    if opens_facilitator(&args) {
        app.insert_state(Screen::Facilitator);
    }
    if let Some(dir) = &args.cohort {
        app.insert_resource(facilitator::Folder(Some(dir.clone())));
    }
    if let Some(open) = &args.open {
        match open_directly(&catalogue, open, &args) {
            Ok((case, screen)) => {
                app.insert_resource(case).insert_state(screen);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some((case, authoring)) = authored {
        app.insert_resource(case)
            .insert_resource(authoring)
            .insert_state(Screen::Case)
            .add_plugins(author::AuthorPlugin);
    }
    app.insert_resource(catalogue);
    if !args.no_idle_fix {
        app.add_plugins(idle::IdlePlugin);
    }
    if let Some(path) = &args.perf_log {
        app.add_plugins(perf::PerfPlugin { path: path.clone() });
    }
    if let Some(path) = &args.screenshot {
        app.add_plugins(capture::CapturePlugin { path: path.clone() });
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// Update only on input, focused or not. Bevy's desktop preset also wakes a
/// focused window every 5 s, and under software rendering each wake draws a
/// whole frame: 1.5% of a core, measured, while a trainee reads. Nothing here
/// moves with the wall clock (in-game time passes only with actions, and egui
/// asks for the frames its animations need), so a minute's wait costs nothing.
fn resting_window() -> bevy::winit::WinitSettings {
    use bevy::winit::{UpdateMode, WinitSettings};
    let wait = std::time::Duration::from_secs(60);
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(wait),
        unfocused_mode: UpdateMode::reactive_low_power(wait),
    }
}

/// Whether the window opens on the facilitator's view: asked for with
/// `--screen facilitator`, or implied by `--cohort DIR` (a facilitator who
/// names a folder of records wants to see it) unless another screen is named.
fn opens_facilitator(args: &GameArgs) -> bool {
    args.open.is_none()
        && match args.screen {
            Some(screen) => screen == ScreenArg::Facilitator,
            None => args.cohort.is_some(),
        }
}

/// `--author`: the case in a scenario file, after an optional script, with
/// its file to follow. A built-in case has no file: the author copies it.
fn open_for_author(arg: &str, args: &GameArgs) -> Result<(ActiveCase, author::Authoring), String> {
    let path = match catalogue::resolve(arg, args.scenarios.as_deref())? {
        Origin::File(path) => path,
        Origin::Builtin(name) => {
            return Err(format!(
                "`{arg}` is built in ({name}), so there is no file to follow: copy it into a folder of your own, or start one with `second-look new`, and give --author that file"
            ));
        }
    };
    let (scenario, warnings) = crate::scenario::load_file(&path).map_err(|e| {
        format!(
            "{}\nfix the file and run again (once it opens, a broken save keeps the last good version running)",
            e.render(false)
        )
    })?;
    let case = scripted_case(Arc::new(scenario), args, author::AUTHOR_NOT_SAVED)?;
    let authoring = author::Authoring::new(path, case.session.scenario().clone(), case.session.seed(), &warnings);
    Ok((case, authoring))
}

/// The case a command line asks for: the scenario on `--seed` (or a fresh
/// one), after `--script` if given, in `--mode`, never saved (`why` says so).
fn scripted_case(scenario: Arc<Scenario>, args: &GameArgs, why: &str) -> Result<ActiveCase, String> {
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let session = match &args.script {
        Some(script) => {
            let text = crate::scenario::read_script(script)?;
            let steps = record::parse_script(&text);
            record::play_script(scenario, seed, &script.display().to_string(), &steps, |_, _| {})
                .map_err(|e| e.to_string())?
        }
        None => Session::new(scenario, seed),
    };
    let mut case = ActiveCase::new(session);
    case.since = last_action_start(&case.session);
    case.save_problem = Some(why.into());
    case.mode = args.mode.map(Into::into).unwrap_or_default();
    let _ = crate::feedback::new_cards(&case.session, &mut case.carded);
    Ok(case)
}

/// `--open`: a case ready on the chosen screen, after an optional script.
fn open_directly(catalogue: &Catalogue, open: &str, args: &GameArgs) -> Result<(ActiveCase, Screen), String> {
    let scenario = match catalogue.find(open) {
        Some(s) => s,
        None => {
            let origin = catalogue::resolve(open, args.scenarios.as_deref())?;
            origin.load().map(|(s, _)| Arc::new(s)).map_err(|e| e.render(false))?
        }
    };
    let mut case = scripted_case(scenario, args, "opened from the command line: this case is not saved")?;
    let screen = match args.screen {
        Some(ScreenArg::Start) => Screen::Start,
        Some(ScreenArg::Briefing) | None => Screen::Briefing,
        Some(ScreenArg::Case) => Screen::Case,
        Some(ScreenArg::Debrief) => Screen::Debrief,
        Some(ScreenArg::Facilitator) => Screen::Facilitator,
    };
    if case.mode == Mode::Practice
        && let Some(last) = case.session.actions().len().checked_sub(1)
        && let Some(before) = crate::feedback::knew_when(&case.session, last)
    {
        // Show the cards the last scripted action earned, as if it had just been chosen.
        let mut seen = Vec::new();
        let _ = crate::feedback::new_cards(&before, &mut seen);
        case.cards = crate::feedback::new_cards(&case.session, &mut seen);
    }
    if args.supervise {
        let question = crate::feedback::supervision_question(&case.session);
        case.supervision = Some((case.session.now(), question));
    }
    Ok((case, screen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_records_opens_the_facilitators_view_unless_another_screen_is_named() {
        let folder = Some(PathBuf::from("records"));
        assert!(opens_facilitator(&GameArgs { cohort: folder.clone(), ..GameArgs::default() }));
        assert!(opens_facilitator(&GameArgs { screen: Some(ScreenArg::Facilitator), ..GameArgs::default() }));
        assert!(!opens_facilitator(&GameArgs {
            cohort: folder.clone(),
            screen: Some(ScreenArg::Start),
            ..GameArgs::default()
        }));
        assert!(!opens_facilitator(&GameArgs { cohort: folder, open: Some("a-case".into()), ..GameArgs::default() }));
        assert!(!opens_facilitator(&GameArgs::default()));
    }
}
