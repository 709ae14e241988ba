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
        app.init_resource::<super::Typing>().add_systems(
            PreUpdate,
            (drop_unchanged_modifiers, keep_choice_keys_from_egui).after(EguiInputSet::WriteEguiEvents),
        );
    }
}

/// Whether a key is one the game chooses with (digits, the hotspots'
/// letters, M for the manager) rather than one egui needs (Tab, Enter,
/// Space, arrows, page keys).
fn is_choice_key(key: egui::Key) -> bool {
    // A key named by one character: "0" to "9", "A" to "Z".
    let mut name = key.symbol_or_name().chars();
    matches!((name.next(), name.next()), (Some(c), None) if super::is_choice_char(c))
}

/// Keeps the keys the game chooses with away from egui unless a text box
/// has focus. The game reads them from Bevy; egui, given any event, asks for
/// another whole frame, so a choice by key would draw three frames, not one.
pub fn keep_choice_keys_from_egui(typing: Res<super::Typing>, mut inputs: Query<&mut EguiInput>) {
    if typing.0 {
        return;
    }
    for mut input in &mut inputs {
        input.events.retain(|event| match event {
            egui::Event::Key { key, modifiers, .. } => !(is_choice_key(*key) && modifiers.is_none()),
            egui::Event::Text(text) => !text.chars().all(super::is_choice_char),
            _ => true,
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_kept_from_egui_are_the_games_choice_keys_and_no_others() {
        use egui::Key as K;
        for key in [K::Num0, K::Num1, K::Num9, K::A, K::H, K::M] {
            assert!(is_choice_key(key), "{key:?} chooses");
        }
        for key in [K::I, K::Z, K::Tab, K::Enter, K::Space, K::ArrowDown, K::PageDown, K::F1, K::Escape] {
            assert!(!is_choice_key(key), "{key:?} is egui's");
        }
    }
}
