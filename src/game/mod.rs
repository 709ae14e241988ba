//! The Bevy game: screens that show the simulation and send it the trainee's actions.
//!
//! [`GamePlugin`] is the part with no window: the [`Screen`] state, the
//! scenario [`Catalogue`], the [`ActiveCase`] resource holding the
//! [`Session`], and the [`Intent`] messages by which screens ask for
//! something to happen. It runs headless in tests. [`run`] builds the window:
//! Bevy with software-friendly settings, bevy_egui, one plugin per screen,
//! and the fix that lets an idle window rest.

pub mod briefing;
pub mod capture;
pub mod case;
pub mod debrief;
pub mod idle;
pub mod start;
pub mod theme;

use crate::cli::{GameArgs, ScreenArg};
use crate::record;
use crate::scenario::catalogue::{self, Origin};
use crate::scenario::{ActionIx, Scenario};
use crate::sim::Session;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use std::process::ExitCode;
use std::sync::Arc;

/// The screen being shown.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Choose a case.
    #[default]
    Start,
    /// Read the referral and the content notes.
    Briefing,
    /// Play the case.
    Case,
    /// Read the debrief.
    Debrief,
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
}

impl Catalogue {
    /// Loads every scenario in `dir` (or `./scenarios`, or the built-in ones).
    pub fn discover(dir: Option<&std::path::Path>) -> Self {
        let origins = catalogue::discover(dir).unwrap_or_default();
        Catalogue {
            entries: origins
                .into_iter()
                .map(|origin| match origin.load() {
                    Ok((s, _)) => CatalogueEntry { origin, scenario: Some(Arc::new(s)), problems: None },
                    Err(e) => CatalogueEntry { problems: Some(e.render(false)), origin, scenario: None },
                })
                .collect(),
        }
    }

    /// A catalogue of already-loaded scenarios (for tests).
    pub fn of(scenarios: Vec<Arc<Scenario>>) -> Self {
        Catalogue {
            entries: scenarios
                .into_iter()
                .map(|s| CatalogueEntry { origin: Origin::Builtin("test"), scenario: Some(s), problems: None })
                .collect(),
        }
    }
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
}

impl ActiveCase {
    /// A new case at its start.
    pub fn new(session: Session) -> Self {
        let since = 0;
        ActiveCase { session, since, refused: None }
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
    },
    /// Leave the briefing and start playing.
    Begin,
    /// Take a choice or look at a hotspot.
    Take(ActionIx),
    /// Show the debrief.
    Debrief,
    /// Go back to the start screen.
    Start,
}

/// Number keys choose choices while this set runs (the window gates it on
/// egui not wanting the keyboard, so typing never chooses).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyboardChoices;

/// The game without a window: state, resources and the rules for intents.
pub struct GamePlugin;

impl Plugin for GamePlugin {
    fn build(&self, app: &mut App) {
        app.init_state::<Screen>()
            .add_message::<Intent>()
            .init_resource::<Catalogue>()
            .add_systems(Update, (choose_by_number_key.in_set(KeyboardChoices), apply_intents).chain());
    }
}

/// Carries out intents: opening a case, taking actions, moving between screens.
pub fn apply_intents(
    mut intents: MessageReader<Intent>,
    mut commands: Commands,
    catalogue: Res<Catalogue>,
    mut case: Option<ResMut<ActiveCase>>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    for intent in intents.read() {
        match intent {
            Intent::Open { entry, seed } => {
                if let Some(s) = catalogue.entries.get(*entry).and_then(|e| e.scenario.clone()) {
                    commands.insert_resource(ActiveCase::new(Session::new(s, *seed)));
                    next.set(Screen::Briefing);
                }
            }
            Intent::Begin => next.set(Screen::Case),
            Intent::Take(a) => {
                if let Some(case) = case.as_deref_mut() {
                    let before = case.session.journal().len();
                    match case.session.take(*a) {
                        Ok(()) => {
                            case.since = before;
                            case.refused = None;
                        }
                        Err(e) => case.refused = Some(e.to_string()),
                    }
                }
            }
            Intent::Debrief => next.set(Screen::Debrief),
            Intent::Start => {
                commands.remove_resource::<ActiveCase>();
                next.set(Screen::Start);
            }
        }
        redraw.write(RequestRedraw);
    }
}

/// Keys 1–9 and 0 (for the tenth) choose the choice with that number.
pub fn choose_by_number_key(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    screen: Res<State<Screen>>,
    case: Option<Res<ActiveCase>>,
    mut intents: MessageWriter<Intent>,
) {
    let (Some(keys), Some(case)) = (keys, case) else { return };
    if *screen.get() != Screen::Case || case.session.is_over() {
        return;
    }
    const DIGITS: [KeyCode; 10] = [
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
    const NUMPAD: [KeyCode; 10] = [
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
    let choices = case.session.choices();
    for (n, (digit, pad)) in DIGITS.iter().zip(NUMPAD.iter()).enumerate() {
        if (keys.just_pressed(*digit) || keys.just_pressed(*pad))
            && let Some(a) = choices.get(n)
        {
            intents.write(Intent::Take(*a));
            return;
        }
    }
}

/// A random seed for a new session, from the clock.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ (nanos >> 64) as u64
}

/// Opens the game window and runs until it is closed.
pub fn run(args: GameArgs) -> ExitCode {
    let catalogue = Catalogue::discover(args.scenarios.as_deref());
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window { title: "Second Look".into(), resolution: (1280, 800).into(), ..default() }),
        ..default()
    }))
    .insert_resource(bevy::winit::WinitSettings::desktop_app())
    .insert_resource(ClearColor(theme::BACKGROUND))
    .add_plugins(bevy_egui::EguiPlugin::default())
    .add_plugins((
        GamePlugin,
        theme::ThemePlugin,
        start::StartPlugin,
        briefing::BriefingPlugin,
        case::CasePlugin,
        debrief::DebriefPlugin,
    ))
    .configure_sets(Update, KeyboardChoices.run_if(not(bevy_egui::input::egui_wants_any_keyboard_input)))
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });

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
    app.insert_resource(catalogue);
    if !args.no_idle_fix {
        app.add_plugins(idle::IdlePlugin);
    }
    if let Some(path) = &args.screenshot {
        app.add_plugins(capture::CapturePlugin { path: path.clone() });
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// `--open`: a case ready on the chosen screen, after an optional script.
fn open_directly(catalogue: &Catalogue, open: &str, args: &GameArgs) -> Result<(ActiveCase, Screen), String> {
    let scenario = catalogue
        .entries
        .iter()
        .filter_map(|e| e.scenario.clone())
        .find(|s| s.meta.id == open)
        .map(Ok)
        .unwrap_or_else(|| {
            let origin = catalogue::resolve(open, args.scenarios.as_deref())?;
            origin.load().map(|(s, _)| Arc::new(s)).map_err(|e| e.render(false))
        })?;
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let session = match &args.script {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let steps = record::parse_script(&text);
            record::play_script(scenario, seed, &path.display().to_string(), &steps, |_, _| {})
                .map_err(|e| e.to_string())?
        }
        None => Session::new(scenario, seed),
    };
    let screen = match args.screen {
        Some(ScreenArg::Start) => Screen::Start,
        Some(ScreenArg::Briefing) | None => Screen::Briefing,
        Some(ScreenArg::Case) => Screen::Case,
        Some(ScreenArg::Debrief) => Screen::Debrief,
    };
    let mut case = ActiveCase::new(session);
    case.since = case.session.journal().iter().rposition(|e| matches!(e, crate::sim::Entry::Took { .. })).unwrap_or(0);
    Ok((case, screen))
}
