//! The game plugin without a window: Bevy's `MinimalPlugins`, the trainee's
//! intents and number keys, and the screens they move between.

use crate::scripts::first_case;
use bevy::input::InputPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use second_look::game::{ActiveCase, Catalogue, GamePlugin, Intent, Screen};

fn app() -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, InputPlugin, GamePlugin));
    app.add_message::<bevy::window::RequestRedraw>();
    app.insert_resource(Catalogue::of(vec![first_case()]));
    app.update();
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn session(app: &App) -> &second_look::sim::Session {
    &app.world().resource::<ActiveCase>().session
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

#[test]
fn opening_a_case_shows_its_briefing_then_the_case() {
    let mut app = app();
    assert_eq!(screen(&app), Screen::Start);
    send(&mut app, Intent::Open { entry: 0, seed: 9 });
    assert_eq!(screen(&app), Screen::Briefing);
    assert_eq!(session(&app).seed(), 9);
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Case);
}

#[test]
fn a_choice_sent_by_the_ui_changes_the_session() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1 });
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
    assert!(app.world().resource::<ActiveCase>().refused.is_some());
}

/// Presses and releases a key the way a keyboard does: through input messages.
fn press(app: &mut App, key: KeyCode) {
    use bevy::input::ButtonState;
    use bevy::input::keyboard::{Key, KeyboardInput};
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        app.update();
    }
    app.update();
}

#[test]
fn number_keys_choose_on_the_case_screen() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1 });
    // On the briefing, number keys do nothing.
    press(&mut app, KeyCode::Digit1);
    assert!(session(&app).actions().is_empty());
    send(&mut app, Intent::Begin);
    for (key, expected_scene) in
        [(KeyCode::Digit1, "office"), (KeyCode::Digit2, "records"), (KeyCode::Numpad1, "records")]
    {
        press(&mut app, key);
        assert_eq!(session(&app).scene().id, expected_scene, "after {key:?}");
    }
    // Key 1 in the records scene searched local records: time passed.
    assert_eq!(session(&app).actions().len(), 3);
    assert!(session(&app).notebook().iter().any(|n| n.text.contains("No previous involvement")));
    // A key with no choice does nothing.
    press(&mut app, KeyCode::Digit9);
    assert_eq!(session(&app).actions().len(), 3);
}

#[test]
fn leaving_the_case_returns_to_the_start_screen() {
    let mut app = app();
    send(&mut app, Intent::Open { entry: 0, seed: 1 });
    send(&mut app, Intent::Begin);
    send(&mut app, Intent::Debrief);
    assert_eq!(screen(&app), Screen::Debrief);
    send(&mut app, Intent::Start);
    assert_eq!(screen(&app), Screen::Start);
    assert!(app.world().get_resource::<ActiveCase>().is_none());
}
