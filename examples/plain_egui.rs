//! A plain Bevy + bevy_egui window, as the bevy_egui examples set one up:
//! default (continuously redrawing) update mode and no idle fix. The
//! performance script measures it beside Second Look for comparison.
//!
//! Key 1 changes the text, so key-to-frame time can be measured too.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use second_look::game::perf::{PerfCounter, PerfPlugin};

fn main() {
    let perf_log = std::env::args().skip_while(|a| a != "--perf-log").nth(1);
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window { title: "Plain egui".into(), resolution: (1280, 800).into(), ..default() }),
        ..default()
    }))
    .add_plugins(EguiPlugin::default())
    .init_resource::<PerfCounter>()
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(Update, count_key_presses)
    .add_systems(EguiPrimaryContextPass, ui);
    if let Some(path) = perf_log {
        app.add_plugins(PerfPlugin { path: path.into() });
    }
    app.run();
}

fn count_key_presses(keys: Res<ButtonInput<KeyCode>>, mut counter: ResMut<PerfCounter>) {
    if keys.just_pressed(KeyCode::Digit1) {
        counter.0 += 1;
    }
}

fn ui(mut contexts: EguiContexts, counter: Res<PerfCounter>) -> Result {
    egui::Window::new("A plain window").show(contexts.ctx_mut()?, |ui| {
        ui.label(format!("Key 1 has been pressed {} times.", counter.0));
        let _ = ui.button("A button");
    });
    Ok(())
}
