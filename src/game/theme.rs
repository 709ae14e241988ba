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
    /// Hotspot markers.
    pub marker: egui::Color32,
    /// The ring around whatever has keyboard focus.
    pub focus: egui::Color32,
    /// Shading behind quiet stretches of a chart (weekends), visible in every theme.
    pub shade: egui::Color32,
    /// How much the room picture is darkened, so it sits calmly in a dark theme (0 = not at all).
    pub picture_dim: f32,
}

impl Palette {
    /// The palette for a theme.
    pub fn of(theme: Theme) -> Palette {
        use egui::Color32 as C;
        match theme {
            Theme::Light => Palette {
                warn: C::from_rgb(150, 30, 30),
                good: C::from_rgb(15, 90, 35),
                quiet: C::from_rgb(70, 70, 70),
                note: C::from_rgb(236, 241, 249),
                background: Color::srgb(0.96, 0.95, 0.93),
                marker: C::from_rgb(200, 70, 10),
                focus: C::from_rgb(20, 70, 160),
                shade: C::from_rgb(226, 222, 212),
                picture_dim: 0.0,
            },
            Theme::Dark => Palette {
                warn: C::from_rgb(255, 165, 155),
                good: C::from_rgb(140, 220, 150),
                quiet: C::from_rgb(205, 205, 205),
                note: C::from_rgb(32, 38, 48),
                background: Color::srgb(0.10, 0.10, 0.11),
                marker: C::from_rgb(255, 153, 51),
                focus: C::from_rgb(120, 180, 255),
                shade: C::from_rgb(52, 54, 62),
                picture_dim: 0.35,
            },
            Theme::HighContrast => Palette {
                warn: C::from_rgb(255, 255, 0),
                good: C::from_rgb(255, 255, 255),
                quiet: C::from_rgb(230, 230, 230),
                note: C::from_rgb(0, 0, 0),
                background: Color::BLACK,
                marker: C::from_rgb(255, 255, 0),
                focus: C::from_rgb(255, 255, 0),
                shade: C::from_gray(64),
                picture_dim: 0.45,
            },
        }
    }
}

/// Keeps the egui style and the palette in step with the settings.
pub struct ThemePlugin;

impl Plugin for ThemePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Palette::of(Theme::Light))
            .configure_sets(EguiPrimaryContextPass, (PassSetup, Screens, Overlay).chain())
            .add_systems(EguiPrimaryContextPass, (apply_style, scroll_focus_into_view).chain().in_set(PassSetup))
            .add_systems(EguiPrimaryContextPass, focus_ring_system.in_set(Overlay));
    }
}

/// What runs in the egui pass before any screen draws: the style, and
/// scrolling to the widget keyboard focus moved to.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct PassSetup;

/// The screens' drawing systems, after [`PassSetup`].
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Screens;

/// What is drawn over every screen, after [`Screens`]: the focus ring.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Overlay;

fn focus_ring_system(mut contexts: EguiContexts, palette: Res<Palette>) -> Result {
    focus_ring(contexts.ctx_mut()?, &palette);
    Ok(())
}

/// A ring around whatever has keyboard focus, drawn over everything, so every
/// Tab stop shows where it is: egui marks focus only on some widgets (a
/// selected tab or a slider looks the same with focus as without).
pub fn focus_ring(ctx: &egui::Context, palette: &Palette) -> Option<egui::Rect> {
    let rect = ctx.memory(|m| m.focused()).and_then(|id| ctx.read_response(id))?.rect;
    let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::new("focus-ring")));
    painter.rect_stroke(rect.expand(3.0), 4.0, egui::Stroke::new(3.0, palette.focus), egui::StrokeKind::Outside);
    Some(rect)
}

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
        // A bar that comes and goes as the text changes costs a frame each
        // time (egui repaints when it appears), so it stays.
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        // Where little height is left (200% text on a small screen) the area
        // shrinks to it; egui's own least height (64 points) would draw it
        // over whatever is below.
        .min_scrolled_height(16.0)
        .show(ui, |ui| {
            let inner = contents(ui);
            scroll_by_keys(ui, id);
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

/// The scroll area keys scroll when nothing else says which: the scene.
const DEFAULT_SCROLLED: [&str; 2] = ["centre", "narrow"];

/// PageUp and PageDown, Home and End (and the arrow keys while no widget has
/// focus, since egui moves focus with them otherwise) scroll the panel in
/// focus: the one holding the focused widget, else the one under the pointer,
/// else the scene. egui scrolls only with the wheel and the scroll bar.
fn scroll_by_keys(ui: &mut egui::Ui, id: &str) {
    let (page_up, page_down, home, end, up, down) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::PageUp),
            i.key_pressed(egui::Key::PageDown),
            i.key_pressed(egui::Key::Home),
            i.key_pressed(egui::Key::End),
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::ArrowDown),
        )
    });
    if !(page_up || page_down || home || end || up || down) {
        return;
    }
    let ctx = ui.ctx().clone();
    if ctx.text_edit_focused() {
        return;
    }
    let area = ui.clip_rect();
    let focused = ctx.memory(|m| m.focused()).and_then(|f| ctx.read_response(f)).map(|r| r.rect);
    let hovered = ctx.pointer_hover_pos();
    let mine = match (focused, hovered) {
        (Some(rect), _) => area.intersects(rect),
        (None, Some(at)) if ctx.content_rect().contains(at) => area.contains(at),
        _ => DEFAULT_SCROLLED.contains(&id),
    };
    if !mine {
        return;
    }
    let page = (area.height() - 40.0).max(20.0);
    let line = 40.0;
    let arrows = focused.is_none();
    let dy = if page_down {
        -page
    } else if page_up {
        page
    } else if end {
        -1.0e6
    } else if home {
        1.0e6
    } else if down && arrows {
        -line
    } else if up && arrows {
        line
    } else {
        return;
    };
    // At once, and laid out again before anything is drawn: an animation
    // would cost a dozen frames per key.
    ui.scroll_with_delta_animation(egui::vec2(0.0, dy), egui::style::ScrollAnimation::none());
    ui.ctx().request_discard("scrolled by a key");
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
    // The room view's SVG pictures (installed once; later calls do nothing).
    egui_extras::install_image_loaders(ctx);
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
            (TextStyle::Small, FontId::new(16.0, Proportional)),
            (TextStyle::Monospace, FontId::new(15.0, egui::FontFamily::Monospace)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 8.0);
        style.spacing.button_padding = egui::vec2(10.0, 6.0);
        // Scroll bars beside the text, not over it: a floating bar hid the
        // ends of the notebook's lines.
        style.spacing.scroll = egui::style::ScrollStyle::solid();
        // A blinking cursor asks for a repaint twice a second, forever.
        style.visuals.text_cursor.blink = false;
        // No fades or sliding scroll bars: each step of an animation is a
        // whole frame drawn, about 40 ms of a core under software rendering.
        style.animation_time = 0.0;
        if reduced {
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
            // A slider's rail and a checkbox's box (buttons use weak_bg_fill).
            v.widgets.inactive.bg_fill = C::from_gray(195);
            v
        }
        Theme::Dark => {
            let mut v = egui::Visuals::dark();
            // egui's grey text is 5:1 on its dark panels; body text needs 7:1.
            v.widgets.noninteractive.fg_stroke.color = C::from_gray(225);
            v.widgets.inactive.fg_stroke.color = C::from_gray(235);
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
            // Buttons keep a black face (weak_bg_fill); what egui fills with
            // bg_fill (a slider's rail, a checkbox's box) must show on black.
            v.widgets.inactive.bg_fill = C::from_gray(110);
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

    fn key(key: egui::Key) -> egui::Event {
        egui::Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers: egui::Modifiers::NONE }
    }

    #[test]
    fn page_down_end_and_home_scroll_the_panel_under_the_pointer() {
        let ctx = egui::Context::default();
        let mut seen = FocusSeen::default();
        let hover = egui::Event::PointerMoved(egui::pos2(300.0, 200.0));
        let (start, _) = pass(&ctx, vec![hover.clone()], &mut seen);
        let top = |b: &[(egui::Id, egui::Rect)]| b[0].1.min.y;
        // The pass that hears the key scrolls; the next pass draws it (the
        // window runs it at once, before anything is shown).
        let (_, _) = pass(&ctx, vec![key(egui::Key::PageDown)], &mut seen);
        let (paged, _) = pass(&ctx, vec![], &mut seen);
        let moved = top(&start) - top(&paged);
        // Thirty buttons are about 630 points: a page down on a 400-point
        // screen goes most of the way, or to the end.
        assert!(moved > 200.0, "PageDown moved the list {moved} points on a 400-point screen");
        let (_, _) = pass(&ctx, vec![key(egui::Key::End)], &mut seen);
        let (end, _) = pass(&ctx, vec![], &mut seen);
        let last = end.last().map(|(_, r)| *r).expect("buttons");
        assert!(last.max.y <= 400.5 && last.max.y > 350.0, "End left the last button at {last:?}");
        let (_, _) = pass(&ctx, vec![key(egui::Key::Home)], &mut seen);
        let (home, _) = pass(&ctx, vec![], &mut seen);
        assert!((top(&home) - top(&start)).abs() < 0.5, "Home went back to the top");
    }

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: egui::Color32) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }

    fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn body_and_secondary_text_reach_seven_to_one_in_every_theme() {
        for theme in [Theme::Light, Theme::Dark, Theme::HighContrast] {
            let v = visuals(theme);
            let p = Palette::of(theme);
            let text = v.text_color();
            for (what, fg) in [("body", text), ("secondary", p.quiet), ("warning", p.warn), ("done", p.good)] {
                for (on, bg) in [("panel", v.panel_fill), ("note", p.note)] {
                    let ratio = contrast(fg, bg);
                    assert!(ratio >= 7.0, "{theme:?}: {what} text on the {on} is {ratio:.2}:1");
                }
            }
            let shade = contrast(p.shade, v.panel_fill);
            assert!(shade >= 1.15, "{theme:?}: weekend shading is {shade:.2}:1 against the panel, too faint to see");
            let rail = contrast(v.widgets.inactive.bg_fill, v.panel_fill);
            assert!(rail >= 1.5, "{theme:?}: a slider's rail is {rail:.2}:1 against the panel");
            let ring = contrast(p.focus, v.panel_fill);
            assert!(ring >= 3.0, "{theme:?}: the focus ring is {ring:.2}:1 against the panel");
        }
    }
}
