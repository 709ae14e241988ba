//! Colours, text sizes and the egui style, applied whenever the settings change.
//!
//! Plain, calm and readable on a projector or an old laptop. Status is always
//! said in words as well as colour; the high-contrast theme is black and
//! white with a thick yellow focus outline. Text size scales the whole
//! interface (egui's zoom), so nothing is clipped at 200%: every panel
//! scrolls, and narrow windows fall back to one column.

use super::settings::{Settings, Theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The colours a screen needs, for the current theme.
#[derive(Resource, Clone, Copy, Debug)]
pub struct Palette {
    /// Text that needs attention (missed, not done), always with words beside it.
    pub warn: egui::Color32,
    /// Something done, always with words beside it.
    pub good: egui::Color32,
    /// Secondary text (sources, times).
    pub quiet: egui::Color32,
    /// Background of notes such as "What just happened".
    pub note: egui::Color32,
    /// The window behind everything.
    pub background: Color,
    /// Walls in the room view.
    pub wall: Color,
    /// Floors in the room view.
    pub floor: Color,
    /// Furniture in the room view.
    pub furniture: Color,
    /// Softer furnishings and details.
    pub detail: Color,
    /// Hotspot markers.
    pub marker: Color,
}

impl Palette {
    /// The palette for a theme.
    pub fn of(theme: Theme) -> Palette {
        use egui::Color32 as C;
        match theme {
            Theme::Light => Palette {
                warn: C::from_rgb(150, 30, 30),
                good: C::from_rgb(20, 100, 40),
                quiet: C::from_rgb(85, 85, 85),
                note: C::from_rgb(236, 241, 249),
                background: Color::srgb(0.96, 0.95, 0.93),
                wall: Color::srgb(0.87, 0.84, 0.78),
                floor: Color::srgb(0.68, 0.58, 0.47),
                furniture: Color::srgb(0.45, 0.40, 0.36),
                detail: Color::srgb(0.60, 0.68, 0.76),
                marker: Color::srgb(0.85, 0.35, 0.10),
            },
            Theme::Dark => Palette {
                warn: C::from_rgb(255, 140, 130),
                good: C::from_rgb(140, 220, 150),
                quiet: C::from_rgb(180, 180, 180),
                note: C::from_rgb(40, 48, 60),
                background: Color::srgb(0.10, 0.10, 0.11),
                wall: Color::srgb(0.25, 0.25, 0.28),
                floor: Color::srgb(0.20, 0.17, 0.14),
                furniture: Color::srgb(0.42, 0.38, 0.35),
                detail: Color::srgb(0.30, 0.38, 0.48),
                marker: Color::srgb(1.0, 0.6, 0.2),
            },
            Theme::HighContrast => Palette {
                warn: C::from_rgb(255, 255, 0),
                good: C::from_rgb(255, 255, 255),
                quiet: C::from_rgb(230, 230, 230),
                note: C::from_rgb(0, 0, 0),
                background: Color::BLACK,
                wall: Color::srgb(0.0, 0.0, 0.0),
                floor: Color::srgb(0.15, 0.15, 0.15),
                furniture: Color::WHITE,
                detail: Color::srgb(0.5, 0.5, 0.5),
                marker: Color::srgb(1.0, 1.0, 0.0),
            },
        }
    }
}

/// Keeps the egui style and the palette in step with the settings.
pub struct ThemePlugin;

impl Plugin for ThemePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Palette::of(Theme::Light))
            .configure_sets(EguiPrimaryContextPass, (PassSetup, Screens).chain())
            .add_systems(EguiPrimaryContextPass, (apply_style, scroll_focus_into_view).chain().in_set(PassSetup));
    }
}

/// What runs in the egui pass before any screen draws: the style, and
/// scrolling to the widget keyboard focus moved to.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct PassSetup;

/// The screens' drawing systems, after [`PassSetup`].
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Screens;

/// Where the widget that has just gained keyboard focus was drawn, kept in
/// egui's memory for the one pass that scrolls it into view.
const FOCUS_TARGET: &str = "second-look-focus-target";

/// Notes the widget that has just gained focus, for [`scroll_area`] to scroll
/// into view. egui moves focus with Tab but scrolls only for screen readers,
/// so a keyboard user could tab to a button below the fold and see no focus.
fn scroll_focus_into_view(mut contexts: EguiContexts, mut seen: Local<FocusSeen>) -> Result {
    note_focus_target(contexts.ctx_mut()?, &mut seen);
    Ok(())
}

/// What [`note_focus_target`] saw last pass.
#[derive(Default, Debug)]
pub struct FocusSeen {
    focused: Option<egui::Id>,
    zoom: Option<f32>,
    again: bool,
}

/// At the start of a pass: if focus has moved since last pass, remember where
/// the newly focused widget was drawn (last pass) for [`scroll_area`]. After a
/// change of text size the same is done one pass later, once the page has been
/// laid out again at the new size, so the focused setting stays in view. A
/// target from last pass that no scroll area took (a widget outside them all)
/// is dropped first, so it cannot scroll anything later.
pub fn note_focus_target(ctx: &egui::Context, seen: &mut FocusSeen) {
    ctx.data_mut(|d| d.remove::<egui::Rect>(egui::Id::new(FOCUS_TARGET)));
    let focused = ctx.memory(|m| m.focused());
    let zoom = ctx.zoom_factor();
    let moved = focused != seen.focused || std::mem::take(&mut seen.again);
    if seen.zoom.is_some_and(|z| z != zoom) {
        seen.again = true;
        ctx.request_repaint();
    }
    seen.focused = focused;
    seen.zoom = Some(zoom);
    if moved && let Some(widget) = focused.and_then(|id| ctx.read_response(id)) {
        ctx.data_mut(|d| d.insert_temp(egui::Id::new(FOCUS_TARGET), widget.rect));
    }
}

/// A vertical scroll area that scrolls to the widget keyboard focus has just
/// moved to, when that widget is inside it. Every screen scrolls with this.
pub fn scroll_area<R>(ui: &mut egui::Ui, id: &str, contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::ScrollArea::vertical()
        .id_salt(id)
        // Where little height is left (200% text on a small screen) the area
        // shrinks to it; egui's own least height (64 points) would draw it
        // over whatever is below.
        .min_scrolled_height(16.0)
        .show(ui, |ui| {
            let inner = contents(ui);
            // A target set outside a scroll area is kept for the areas around
            // it, so it has to be set here, inside, once the contents are laid out.
            let key = egui::Id::new(FOCUS_TARGET);
            if let Some(rect) = ui.ctx().data(|d| d.get_temp::<egui::Rect>(key))
                && ui.min_rect().contains_rect(rect)
            {
                ui.scroll_to_rect(rect, None);
                ui.ctx().data_mut(|d| d.remove::<egui::Rect>(key));
            }
            inner
        })
        .inner
}

fn apply_style(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut palette: ResMut<Palette>,
    mut clear: ResMut<ClearColor>,
    mut applied: Local<Option<Settings>>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    *palette = apply_settings(ctx, &settings);
    clear.0 = palette.background;
    *applied = Some(settings.clone());
    Ok(())
}

/// Atkinson Hyperlegible (SIL Open Font License, `assets/fonts/`), made for
/// low-vision readers, first; egui's own fonts behind it for other scripts.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "atkinson".into(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!(
            "../../assets/fonts/AtkinsonHyperlegible_400Regular.ttf"
        ))),
    );
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        family.insert(0, "atkinson".into());
    }
    ctx.set_fonts(fonts);
}

/// Applies the trainee's settings to an egui context: the font, text sizes,
/// spacing, colours and text scale. Returns the palette the screens draw with.
/// A plain function, so layout tests use exactly what the window does.
pub fn apply_settings(ctx: &egui::Context, settings: &Settings) -> Palette {
    install_fonts(ctx);
    let palette = Palette::of(settings.theme);
    let v = visuals(settings.theme);
    ctx.set_visuals_of(egui::Theme::Light, v.clone());
    ctx.set_visuals_of(egui::Theme::Dark, v);
    ctx.set_zoom_factor(settings.text_scale.clamp(1.0, 2.0));
    let reduced = settings.reduced_motion;
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily::Proportional, FontId, TextStyle};
        style.text_styles = [
            (TextStyle::Heading, FontId::new(24.0, Proportional)),
            (TextStyle::Body, FontId::new(17.0, Proportional)),
            (TextStyle::Button, FontId::new(17.0, Proportional)),
            (TextStyle::Small, FontId::new(15.0, Proportional)),
            (TextStyle::Monospace, FontId::new(15.0, egui::FontFamily::Monospace)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 8.0);
        style.spacing.button_padding = egui::vec2(10.0, 6.0);
        // A blinking cursor asks for a repaint twice a second, forever.
        style.visuals.text_cursor.blink = false;
        if reduced {
            style.animation_time = 0.0;
            style.scroll_animation = egui::style::ScrollAnimation::none();
        }
    });
    palette
}

fn visuals(theme: Theme) -> egui::Visuals {
    use egui::Color32 as C;
    match theme {
        Theme::Light => {
            let mut v = egui::Visuals::light();
            v.panel_fill = C::from_rgb(250, 249, 246);
            v.window_fill = C::from_rgb(250, 249, 246);
            v.selection.stroke = egui::Stroke::new(2.0, C::from_rgb(20, 70, 160));
            // Keyboard focus uses the "active" look: a thick outline that cannot be missed.
            v.widgets.active.bg_stroke = egui::Stroke::new(3.0, C::from_rgb(20, 70, 160));
            v.widgets.active.expansion = 2.0;
            v
        }
        Theme::Dark => {
            let mut v = egui::Visuals::dark();
            v.selection.stroke = egui::Stroke::new(2.0, C::from_rgb(120, 180, 255));
            v.widgets.active.bg_stroke = egui::Stroke::new(3.0, C::from_rgb(120, 180, 255));
            v.widgets.active.expansion = 2.0;
            v
        }
        Theme::HighContrast => {
            let mut v = egui::Visuals::dark();
            let (black, white, yellow) = (C::BLACK, C::WHITE, C::from_rgb(255, 255, 0));
            v.override_text_color = Some(white);
            v.panel_fill = black;
            v.window_fill = black;
            v.extreme_bg_color = black;
            v.faint_bg_color = black;
            for w in [&mut v.widgets.noninteractive, &mut v.widgets.inactive] {
                w.bg_fill = black;
                w.weak_bg_fill = black;
                w.bg_stroke = egui::Stroke::new(1.5, white);
                w.fg_stroke = egui::Stroke::new(1.5, white);
            }
            for w in [&mut v.widgets.hovered, &mut v.widgets.active, &mut v.widgets.open] {
                w.bg_fill = C::from_gray(40);
                w.weak_bg_fill = C::from_gray(40);
                w.bg_stroke = egui::Stroke::new(3.0, yellow);
                w.fg_stroke = egui::Stroke::new(2.0, yellow);
            }
            v.widgets.active.expansion = 2.0;
            v.selection.bg_fill = C::from_rgb(90, 90, 0);
            v.selection.stroke = egui::Stroke::new(3.0, yellow);
            v.hyperlink_color = yellow;
            v
        }
    }
}

/// A `Ui` covering the whole window, for panels to be shown in.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    )
}

/// A small line of secondary text.
pub fn quiet(ui: &mut egui::Ui, palette: &Palette, text: impl Into<String>) {
    ui.label(egui::RichText::new(text.into()).small().color(palette.quiet));
}

/// Whether the window is too narrow (at this text size) for side panels.
pub fn narrow(ctx: &egui::Context) -> bool {
    ctx.content_rect().width() < 980.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass of a 400-pixel-high screen holding thirty buttons in a
    /// [`scroll_area`], with the focus bookkeeping the game does around it:
    /// where the buttons were drawn, and whether egui asked for another pass at once.
    fn pass(
        ctx: &egui::Context,
        events: Vec<egui::Event>,
        seen: &mut FocusSeen,
    ) -> (Vec<(egui::Id, egui::Rect)>, bool) {
        // A second between passes, so any scrolling animation has finished.
        let time = ctx.input(|i| i.time) + 1.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(600.0, 400.0))),
            time: Some(time),
            events,
            ..Default::default()
        };
        let mut ids = Vec::new();
        let output = ctx.run_ui(input, |ui| {
            note_focus_target(ui.ctx(), seen);
            scroll_area(ui, "list", |ui| {
                for n in 0..30 {
                    let button = ui.button(format!("Choice {n}"));
                    ids.push((button.id, button.rect));
                }
            });
        });
        let again = output.viewport_output.values().any(|v| v.repaint_delay.is_zero());
        output.drop_without_applying_deltas();
        (ids, again)
    }

    fn tab() -> egui::Event {
        egui::Event::Key {
            key: egui::Key::Tab,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        }
    }

    #[test]
    fn tabbing_to_a_button_below_the_fold_scrolls_it_into_view() {
        let ctx = egui::Context::default();
        let mut seen = FocusSeen::default();
        let mut buttons = Vec::new();
        for _ in 0..20 {
            let mut again;
            (buttons, again) = pass(&ctx, vec![tab()], &mut seen);
            // As the idle window does: further passes only while egui asks.
            let mut passes = 0;
            while again && passes < 10 {
                (buttons, again) = pass(&ctx, vec![], &mut seen);
                passes += 1;
            }
        }
        let focused = ctx.memory(|m| m.focused()).expect("Tab focused a button");
        let n = buttons.iter().position(|(id, _)| *id == focused).expect("a button in the list");
        assert!(n >= 15, "twenty presses of Tab reached button {n}");
        let rect = buttons[n].1;
        assert!(rect.min.y >= 0.0 && rect.max.y <= 400.0, "button {n} at {rect:?} is off the 400-pixel screen");
    }
}
