//! Letting an idle window rest.
//!
//! Measured here: bevy_egui 0.42 pushes an `egui::Event::ModifiersChanged`
//! into every context's input on every frame, whether or not a modifier key
//! changed. egui repaints at once whenever its input holds any event, and
//! bevy_egui turns that repaint into a `RequestRedraw`, so the event loop never
//! sleeps: a plain window redraws about 30 times a second forever, over one and
//! a half cores under software rendering. Dropping the event when the
//! modifiers are the same as last frame lets `WinitSettings::desktop_app()`
//! do its job; egui keeps the last modifiers it saw, so nothing is lost.

use bevy::prelude::*;
use bevy_egui::EguiInputSet;
use bevy_egui::{EguiInput, egui};

/// Removes unchanged modifier events from egui's input.
pub struct IdlePlugin;

impl Plugin for IdlePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(PreUpdate, drop_unchanged_modifiers.after(EguiInputSet::WriteEguiEvents));
    }
}

/// Keeps a `ModifiersChanged` event only when the modifiers really changed.
pub fn drop_unchanged_modifiers(
    mut inputs: Query<(Entity, &mut EguiInput)>,
    mut last: Local<Vec<(Entity, egui::Modifiers)>>,
) {
    for (entity, mut input) in &mut inputs {
        let index = match last.iter().position(|(e, _)| *e == entity) {
            Some(i) => i,
            None => {
                last.push((entity, egui::Modifiers::default()));
                last.len() - 1
            }
        };
        let previous = &mut last[index].1;
        input.events.retain(|event| match event {
            egui::Event::ModifiersChanged(now) if now == previous => false,
            egui::Event::ModifiersChanged(now) => {
                *previous = *now;
                true
            }
            _ => true,
        });
    }
}
