//! The game plugin without a window: Bevy's `MinimalPlugins`, the trainee's
//! intents and keys, the screens they move between, and saving and resuming.

use crate::scripts::{first_case, play};
use bevy::input::InputPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use second_look::game::start::{SavedCases, find_saved_cases};
use second_look::game::{ActiveCase, Catalogue, GamePlugin, HOTSPOT_KEYS, Intent, Screen, Storage};
use second_look::record::{Mode, parse_script};
use second_look::scoring::Score;
use second_look::storage::DataDir;

fn app_with(data: Option<DataDir>) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, InputPlugin, GamePlugin));
    app.add_message::<bevy::window::RequestRedraw>();
    app.insert_resource(Catalogue::of(vec![first_case()]));
    app.insert_resource(Storage { data });
    app.init_resource::<SavedCases>();
    app.add_systems(OnEnter(Screen::Start), find_saved_cases);
    app.update();
    app
}

fn app() -> App {
    app_with(None)
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn case(app: &App) -> &ActiveCase {
    app.world().resource::<ActiveCase>()
}

fn session(app: &App) -> &second_look::sim::Session {
    &case(app).session
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

/// Presses and releases a key the way a keyboard does: through input messages.
fn press(app: &mut App, key: KeyCode) {
    use bevy::input::ButtonState;
    use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        app.update();
    }
    app.update();
}

/// The key that takes this action now: its choice number, or its hotspot letter.
fn key_for(app: &App, id: &str) -> KeyCode {
    let s = session(app);
    let a = s.scenario().action_id(id).unwrap_or_else(|| panic!("no action {id}"));
    if let Some(n) = s.choices().iter().position(|c| *c == a) {
        return second_look::game::CHOICE_KEYS[n];
    }
    // A hotspot's letter is its place in the scene, kept after others are looked at.
    if s.offers(a)
        && let Some(n) = s.scene().hotspots.iter().position(|h| *h == a)
    {
        return HOTSPOT_KEYS[n].0;
    }
    panic!("`{id}` is not offered in `{}`", s.scene().id);
}

/// Plays script steps with the keyboard, writing a short reflection at each pause.
fn play_by_keys(app: &mut App, steps: &[String]) {
    for id in steps {
        if case(app).pending_discussion().is_some() {
            send(app, Intent::Reflect("Thinking about what we know and what we assume.".into()));
        }
        let before = session(app).actions().len();
        let key = key_for(app, id);
        press(app, key);
        assert_eq!(session(app).actions().len(), before + 1, "the key for `{id}` did nothing");
    }
}

/// The first case's exemplary steps in the version of the case a seed gives.
fn exemplary_steps(seed: u64) -> Vec<String> {
    let text = std::fs::read_to_string(crate::repo("tests/scripts/marks-explained-away.exemplary.txt")).unwrap();
    let s = first_case();
    second_look::record::steps_for(&parse_script(&text), &s, &second_look::sim::Variation::roll(&s, seed))
}

fn temp_data(name: &str) -> DataDir {
    let dir = std::env::temp_dir().join(format!("second-look-game-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    DataDir::at(dir)
}

#[test]
fn screens_follow_the_trainee_from_start_to_debrief_and_back() {
    let mut app = app();
    assert_eq!(screen(&app), Screen::Start);
    send(&mut app, Intent::Open { entry: 0, seed: 9, mode: Mode::Assessment });
    assert_eq!(screen(&app), Screen::Briefing);
    assert_eq!(session(&app).seed(), 9);
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Case);
    send(&mut app, Intent::Debrief);
    assert_eq!(screen(&app), Screen::Debrief);
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Case, "back to an unfinished case from its debrief");
    send(&mut app, Intent::Start);
    assert_eq!(screen(&app), Screen::Start);
    assert!(app.world().get_resource::<ActiveCase>().is_none());
}

#[test]
fn a_choice_sent_by_the_ui_changes_the_session() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1, mode: Mode::Assessment });
    send(&mut app, Intent::Begin);
    let read = session(&app).scenario().action_id("read_referral").unwrap();
    let before = session(&app).now();
    send(&mut app, Intent::Take(read));
    let s = session(&app);
    assert_eq!(s.scene().id, "office");
    assert_eq!(s.now().minutes_since(before), 15);
    assert_eq!(s.notebook().len(), 2);
    // A choice that is not on offer is refused, and says why.
    send(&mut app, Intent::Take(read));
    assert!(case(&app).refused.is_some());
}

#[test]
fn keys_choose_only_on_the_case_screen_and_only_what_is_offered() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1, mode: Mode::Assessment });
    press(&mut app, KeyCode::Digit1);
    assert!(session(&app).actions().is_empty(), "not on the briefing");
    send(&mut app, Intent::Begin);
    for (key, expected_scene) in
        [(KeyCode::Digit1, "office"), (KeyCode::Digit2, "records"), (KeyCode::Numpad1, "records")]
    {
        press(&mut app, key);
        assert_eq!(session(&app).scene().id, expected_scene, "after {key:?}");
    }
    assert!(session(&app).notebook().iter().any(|n| n.text.contains("No previous involvement")));
    press(&mut app, KeyCode::Digit9);
    assert_eq!(session(&app).actions().len(), 3, "a key with no choice does nothing");
}

#[test]
fn the_whole_case_can_be_played_with_the_keyboard() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 3, mode: Mode::Assessment });
    send(&mut app, Intent::Begin);
    play_by_keys(&mut app, &exemplary_steps(3));
    let s = session(&app);
    assert!(s.is_over());
    let score = Score::of(s.rules(), s.state(), None);
    assert!(score.overall >= 90.0, "{}", score.overall);
    // The same as playing the script directly.
    assert_eq!(s.state(), play(first_case(), "marks-explained-away.exemplary.txt", 3).state());
    // Pauses were met and answered on the way.
    assert!(!case(&app).reflections.is_empty());
}

#[test]
fn a_pause_stops_the_keys_until_it_is_answered() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1, mode: Mode::Assessment });
    send(&mut app, Intent::Begin);
    let steps = exemplary_steps(1);
    let to_strategy = steps.iter().position(|s| s == "agree_strategy").unwrap() + 1;
    for id in &steps[..to_strategy] {
        let key = key_for(&app, id);
        press(&mut app, key);
    }
    assert_eq!(session(&app).scene().id, "strategy");
    assert!(case(&app).pending_discussion().is_some());
    let before = session(&app).actions().len();
    press(&mut app, KeyCode::Digit1);
    assert_eq!(session(&app).actions().len(), before, "keys wait for the pause");
    send(&mut app, Intent::Reflect("  We know of two adults nobody has met.  ".into()));
    assert!(case(&app).pending_discussion().is_none());
    assert_eq!(case(&app).reflections[0].text, "We know of two adults nobody has met.");
}

#[test]
fn a_case_is_saved_as_it_is_played_and_resumes_at_the_same_point() {
    let data = temp_data("resume");
    let steps = exemplary_steps(4);
    let cut = 50;
    {
        let mut app = app_with(Some(data.clone()));
        send(&mut app, Intent::Open { entry: 0, seed: 4, mode: Mode::Assessment });
        send(&mut app, Intent::Begin);
        play_by_keys(&mut app, &steps[..cut]);
        // The app is dropped here without any clean-up, as when the process is killed.
    }
    let mut app = app_with(Some(data.clone()));
    let saved = &app.world().resource::<SavedCases>().cases;
    assert_eq!(saved.len(), 1, "the unfinished case is offered");
    assert!(saved[0].problem.is_none());
    let path = saved[0].path.clone();
    send(&mut app, Intent::Resume(path));
    assert_eq!(screen(&app), Screen::Case);
    assert_eq!(session(&app).actions().len(), cut);
    assert_eq!(case(&app).reflections.len(), 1, "the reflection written before the kill came back");
    play_by_keys(&mut app, &steps[cut..]);
    let uninterrupted = play(first_case(), "marks-explained-away.exemplary.txt", 4);
    assert_eq!(session(&app).state(), uninterrupted.state());
    // The finished record reads back whole, with its end line, and is no longer offered.
    let path = case(&app).writer.as_ref().unwrap().path().to_path_buf();
    let record = second_look::record::read_record(&path).unwrap();
    assert_eq!(record.actions.len(), steps.len());
    assert!(record.end.is_some());
    send(&mut app, Intent::Start);
    assert!(app.world().resource::<SavedCases>().cases.is_empty());
    std::fs::remove_dir_all(data.root()).ok();
}

#[test]
fn practice_mode_shows_a_card_that_holds_the_next_choice_until_read_and_the_record_says_practice() {
    let data = temp_data("practice");
    let mut app = app_with(Some(data.clone()));
    send(&mut app, Intent::Open { entry: 0, seed: 1, mode: Mode::Practice });
    send(&mut app, Intent::Begin);
    let steps = exemplary_steps(1);
    let mut cards_seen = 0;
    for id in &steps {
        if session(&app).is_over() {
            break;
        }
        if case(&app).pending_discussion().is_some() {
            send(&mut app, Intent::Reflect("What do we know, and how do we know it?".into()));
        }
        // A card waiting for the trainee holds the keys back.
        while !case(&app).cards.is_empty() {
            // Cards that say the same words are read once, together.
            let alike = second_look::feedback::leading_alike(&case(&app).cards);
            let waiting = case(&app).cards.len();
            cards_seen += alike;
            let before = session(&app).actions().len();
            press(&mut app, KeyCode::Digit1);
            assert_eq!(session(&app).actions().len(), before, "a key chose past an unread card");
            // Enter carries on past the card (every other card is dismissed by the button's intent).
            if cards_seen % 2 == 0 {
                press(&mut app, KeyCode::Enter);
            } else {
                send(&mut app, Intent::Dismiss);
            }
            assert_eq!(case(&app).cards.len(), waiting - alike);
        }
        let key = key_for(&app, id);
        press(&mut app, key);
    }
    cards_seen += case(&app).cards.len();
    let total = second_look::feedback::items(&Score::of(session(&app).rules(), session(&app).state(), None)).count();
    assert_eq!(cards_seen, total, "one card per rubric item");
    let path = case(&app).writer.as_ref().unwrap().path().to_path_buf();
    let record = second_look::record::read_record(&path).unwrap();
    assert_eq!(record.header.mode, Mode::Practice);
    std::fs::remove_dir_all(data.root()).ok();
}

#[test]
fn assessment_mode_shows_no_card_and_supervision_answers_with_a_question() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1, mode: Mode::Assessment });
    send(&mut app, Intent::Begin);
    for id in exemplary_steps(1).iter().take(30) {
        if case(&app).pending_discussion().is_some() {
            send(&mut app, Intent::Reflect(String::new()));
        }
        let key = key_for(&app, id);
        press(&mut app, key);
        assert!(case(&app).cards.is_empty(), "assessment mode gives no feedback before the debrief");
    }
    let before = session(&app).now();
    press(&mut app, KeyCode::KeyM);
    let (at, question) = case(&app).supervision.clone().expect("the manager answered");
    assert_eq!(at, before);
    assert!(question.text.ends_with('?'), "a question, not an answer: {}", question.text);
    assert!(session(&app).now() > before, "supervision takes in-game time");
    let sup = session(&app).scenario().supervision.unwrap();
    assert_eq!(session(&app).actions().last(), Some(&sup));
}
