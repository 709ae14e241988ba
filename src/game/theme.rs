//! Colours, text sizes and the egui style, set once.
//!
//! Plain, calm and readable on a projector or an old laptop: a warm light
//! background, dark text, generous text size. Status is always said in words
//! as well as colour.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Window background behind the panels.
pub const BACKGROUND: Color = Color::srgb(0.96, 0.95, 0.93);

/// Text that needs attention (missed, not done): a dark red, with words beside it.
pub const WARN: egui::Color32 = egui::Color32::from_rgb(150, 30, 30);
/// Text for something done: a dark green, with words beside it.
pub const GOOD: egui::Color32 = egui::Color32::from_rgb(20, 100, 40);
/// Secondary text (sources, times).
pub const QUIET: egui::Color32 = egui::Color32::from_rgb(85, 85, 85);

/// Sets the egui style on the first frame.
pub struct ThemePlugin;

impl Plugin for ThemePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, apply_style);
    }
}

fn apply_style(mut contexts: EguiContexts, mut done: Local<bool>) -> Result {
    if *done {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    ctx.set_visuals(egui::Visuals::light());
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily::Proportional, FontId, TextStyle};
        style.text_styles = [
            (TextStyle::Heading, FontId::new(24.0, Proportional)),
            (TextStyle::Body, FontId::new(17.0, Proportional)),
            (TextStyle::Button, FontId::new(17.0, Proportional)),
            (TextStyle::Small, FontId::new(14.0, Proportional)),
            (TextStyle::Monospace, FontId::new(15.0, egui::FontFamily::Monospace)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 8.0);
        style.spacing.button_padding = egui::vec2(10.0, 6.0);
        // A blinking cursor asks for a repaint twice a second, forever.
        style.visuals.text_cursor.blink = false;
        style.visuals.panel_fill = egui::Color32::from_rgb(250, 249, 246);
        style.visuals.window_fill = egui::Color32::from_rgb(250, 249, 246);
    });
    *done = true;
    Ok(())
}

/// A `Ui` covering the whole window, for panels to be shown in.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    )
}

/// A small grey line of text.
pub fn quiet(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.label(egui::RichText::new(text.into()).small().color(QUIET));
}
