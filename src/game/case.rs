//! The case screen: the clock, the room, the scene with who is there, the
//! choices, and the side panels (the case file with the referral, household
//! and agencies; the notebook and the chronology). A discussion pause stops
//! the case where the scenario marks one. The screen only reads the session
//! and sends [`Intent`]s.

use super::author::{AuthorIntent, Authoring, CoverageRun, EndingsWalk, PlayFromForm, author_view};
use super::room::{RoomDrawn, draw_room, look_around};
use super::settings::Settings;
use super::theme::{Palette, narrow, quiet, root_ui, scroll_area};
use super::{ActiveCase, Intent, Screen, choice_key_label};
use crate::clock::describe_minutes;
use crate::scenario::{ActionIx, Role};
use crate::sim::{CheckStatus, Entry, Session};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The case screen.
pub struct CasePlugin;

impl Plugin for CasePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, case_ui.in_set(super::theme::Screens).run_if(in_state(Screen::Case)));
    }
}

/// Which part of the case file a side panel (or, in a narrow window, the screen) shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Scene,
    Household,
    Referral,
    Agencies,
    Notebook,
    Chronology,
    /// The author's view (author mode only).
    Author,
}

impl Tab {
    fn label(self) -> &'static str {
        match self {
            Tab::Scene => "Scene",
            Tab::Household => "Household",
            Tab::Referral => "Referral",
            Tab::Agencies => "Agencies",
            Tab::Notebook => "Notebook",
            Tab::Chronology => "Chronology",
            Tab::Author => "Author",
        }
    }
}

/// Room around the next steps in their panel: its margins and the space above them.
const NEXT_MARGIN: f32 = 22.0;

/// The least height left for the scene above the next steps: two lines.
const NARRATIVE_MIN: f32 = 48.0;

/// What the screen remembers between frames (not game state).
#[derive(Default)]
pub struct CaseView {
    left: Tab,
    right: Tab,
    narrow: Tab,
    reflection: String,
    /// The height of what to do next, measured in the last pass: the panel
    /// holding it is made exactly that tall (up to its limit).
    next_height: Option<f32>,
}

/// What one pass of the case screen drew: what the trainee asked for, where
/// the room band is, and where the buttons for what to do next are (always
/// on screen, in a panel of their own below the scene).
pub struct CaseFrame {
    /// The intents of this pass.
    pub wanted: Vec<Intent>,
    /// The band the room picture is drawn in, if any.
    pub room: Option<egui::Rect>,
    /// The buttons for what to do next (choices, or carry on), in order.
    pub next: Vec<egui::Rect>,
    /// The part of the screen those buttons can be seen in.
    pub next_visible: egui::Rect,
    /// Where the scene above them was drawn.
    pub narrative: egui::Rect,
    /// The hotspots' buttons drawn in the room band.
    pub in_room: Vec<egui::Rect>,
}

#[expect(clippy::too_many_arguments, reason = "the author's view is drawn in the case screen's side panel")]
fn case_ui(
    mut contexts: EguiContexts,
    case: Option<Res<ActiveCase>>,
    settings: Res<Settings>,
    palette: Res<Palette>,
    mut intents: MessageWriter<Intent>,
    mut view: Local<CaseView>,
    authoring: Option<(Res<Authoring>, Res<EndingsWalk>, Res<CoverageRun>)>,
    mut author_intents: MessageWriter<AuthorIntent>,
    mut form: Local<PlayFromForm>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let mut asked = Vec::new();
    let frame = match &authoring {
        Some((authoring, walk, coverage)) => {
            let mut draw =
                |ui: &mut egui::Ui| author_view(ui, authoring, walk, coverage, &case, &palette, &mut form, &mut asked);
            draw_case(ctx, &case, &settings, &palette, &mut view, Some(&mut draw))
        }
        None => draw_case(ctx, &case, &settings, &palette, &mut view, None),
    };
    intents.write_batch(frame.wanted);
    author_intents.write_batch(asked);
    Ok(())
}

/// Draws the case screen in one egui pass: the clock, the case file's side
/// panels (or tabs in a narrow window), the room band with its hotspots, the
/// scene, and below it, in a panel that is never scrolled away, what to do
/// next. Plain egui, so tests can lay it out without a window. In author
/// mode, `author` draws the author's view, a tab of the right-hand panel
/// (open first).
pub fn draw_case(
    ctx: &egui::Context,
    case: &ActiveCase,
    settings: &Settings,
    p: &Palette,
    view: &mut CaseView,
    mut author: Option<&mut dyn FnMut(&mut egui::Ui)>,
) -> CaseFrame {
    if view.left == Tab::Scene {
        let right = if author.is_some() { Tab::Author } else { Tab::Notebook };
        (view.left, view.right) = (Tab::Household, right);
    }
    let right_tabs: &[Tab] = if author.is_some() {
        &[Tab::Notebook, Tab::Chronology, Tab::Author]
    } else {
        &[Tab::Notebook, Tab::Chronology]
    };
    let mut wanted = Vec::new();
    let mut next = Vec::new();
    let mut next_visible = egui::Rect::NOTHING;
    let mut narrative_rect = egui::Rect::NOTHING;
    let mut in_room = Vec::new();
    let narrow = narrow(ctx);
    let mut root = root_ui(ctx);
    egui::Panel::top("case_clock").show(&mut root, |ui| clock_bar(ui, case, p, &mut wanted));
    let mut room: Option<(egui::Rect, RoomDrawn)> = None;
    let scene_shown = if narrow {
        egui::Panel::top("case_tabs").show(&mut root, |ui| {
            ui.horizontal_wrapped(|ui| {
                for tab in [Tab::Scene, Tab::Household, Tab::Referral, Tab::Agencies, Tab::Notebook, Tab::Chronology] {
                    ui.selectable_value(&mut view.narrow, tab, tab.label());
                }
                if author.is_some() {
                    ui.selectable_value(&mut view.narrow, Tab::Author, Tab::Author.label());
                }
            });
        });
        if view.narrow == Tab::Scene && !case.waiting() {
            let height = ctx_height(&root) * 0.2;
            room = Some(room_band(&mut root, height, &case.session, p, &mut wanted));
        }
        view.narrow == Tab::Scene
    } else {
        egui::Panel::left("case_file").default_size(260.0).show(&mut root, |ui| {
            tab_bar(ui, &mut view.left, &[Tab::Household, Tab::Referral, Tab::Agencies]);
            scroll_area(ui, "left", |ui| tab_contents(ui, view.left, &case.session, p));
        });
        let width = if author.is_some() { 380.0 } else { 290.0 };
        egui::Panel::right("case_notes").default_size(width).show(&mut root, |ui| {
            tab_bar(ui, &mut view.right, right_tabs);
            scroll_area(ui, "right", |ui| match (view.right, author.as_mut()) {
                (Tab::Author, Some(draw)) => draw(ui),
                (tab, _) => tab_contents(ui, tab, &case.session, p),
            });
        });
        if !case.waiting() {
            // A shorter band where there is nothing to look at.
            let share = if case.session.offered_hotspots().is_empty() { 0.16 } else { 0.2 };
            let height = ctx_height(&root) * share;
            room = Some(room_band(&mut root, height, &case.session, p, &mut wanted));
        }
        true
    };
    // The room's hotspots come first, in the order they are drawn: the
    // keyboard reaches them before the choices, as the eye does. Where their
    // labels do not fit the band (large text), the room shows their keys and
    // the labels join what to do next.
    let listed = room.as_ref().is_some_and(|(_, drawn)| !drawn.labels_fit);
    let room_rect = room.as_ref().map(|(rect, _)| *rect);
    if let Some((_, drawn)) = room {
        in_room = drawn.buttons;
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        if !scene_shown {
            scroll_area(ui, "narrow", |ui| match (view.narrow, author.as_mut()) {
                (Tab::Author, Some(draw)) => draw(ui),
                (tab, _) => tab_contents(ui, tab, &case.session, p),
            });
            return;
        }
        // What to do next, at the foot of the scene and never scrolled away;
        // it takes at most 85% of the height, and scrolls within that.
        // A panel cannot grow to contents that scroll, so it is made exactly
        // as tall as they measured; when that changes, egui lays the pass out
        // again before anything is drawn (no extra frame).
        // The scene above keeps room for a scroll area's least height (egui
        // would otherwise draw it over the top of this panel).
        let most = (ui.available_height() * 0.85).min(ui.available_height() - NARRATIVE_MIN).max(60.0);
        let height = view.next_height.unwrap_or(most).min(most);
        let mut measured = 0.0;
        let shown = egui::Panel::bottom("case_next").resizable(false).exact_size(height).show(ui, |ui| {
            ui.add_space(6.0);
            scroll_area(ui, "next", |ui| {
                next_steps(ui, case, settings, p, &mut view.reflection, &mut wanted, &mut next);
                if listed {
                    look_around(ui, &case.session, &mut wanted, &mut next);
                }
                measured = ui.min_rect().height();
            });
        });
        let wanted_height = measured + NEXT_MARGIN;
        if view.next_height.is_none_or(|h| (h - wanted_height).abs() > 0.5) {
            view.next_height = Some(wanted_height);
            ui.ctx().request_discard("the next steps changed height");
        }
        next_visible = shown.response.rect;
        narrative_rect = ui
            .scope(|ui| scroll_area(ui, "centre", |ui| narrative(ui, case, settings, p, &mut view.reflection)))
            .response
            .rect;
    });
    CaseFrame { wanted, room: room_rect, next, next_visible, narrative: narrative_rect, in_room }
}

fn ctx_height(ui: &egui::Ui) -> f32 {
    ui.ctx().content_rect().height()
}

/// The band at the top of the scene with the room drawn in it.
fn room_band(
    root: &mut egui::Ui,
    height: f32,
    session: &Session,
    p: &Palette,
    wanted: &mut Vec<Intent>,
) -> (egui::Rect, RoomDrawn) {
    let shown = egui::Panel::top("room_band")
        .frame(egui::Frame::NONE)
        .exact_size(height.max(90.0))
        .resizable(false)
        .show_separator_line(false)
        .show(root, |ui| {
            let band =
                egui::Rect::from_min_size(ui.max_rect().min, egui::vec2(ui.max_rect().width(), height.max(90.0)));
            let drawn = draw_room(ui, band, session, p, wanted);
            ui.allocate_space(ui.available_size());
            drawn
        });
    (shown.response.rect, shown.inner)
}

fn tab_bar(ui: &mut egui::Ui, current: &mut Tab, tabs: &[Tab]) {
    ui.horizontal_wrapped(|ui| {
        for tab in tabs {
            ui.selectable_value(current, *tab, egui::RichText::new(tab.label()).strong());
        }
    });
    ui.separator();
}

fn tab_contents(ui: &mut egui::Ui, tab: Tab, session: &Session, p: &Palette) {
    match tab {
        Tab::Scene | Tab::Household | Tab::Author => household(ui, session, p),
        Tab::Referral => referral(ui, session, p),
        Tab::Agencies => agencies(ui, session, p),
        Tab::Notebook => notebook(ui, session, p),
        Tab::Chronology => chronology(ui, session, p),
    }
}

fn clock_bar(ui: &mut egui::Ui, case: &ActiveCase, p: &Palette, wanted: &mut Vec<Intent>) {
    let session = &case.session;
    let cal = &session.scenario().calendar;
    let now = session.now();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(cal.describe(now)).heading().strong());
        ui.label(egui::RichText::new(format!("({})", cal.status(now))).color(p.quiet));
        ui.separator();
        ui.label(&session.scenario().meta.title);
        if case.mode == crate::record::Mode::Practice {
            ui.label(egui::RichText::new("practice mode").small().color(p.quiet));
        }
        if session.is_over() {
            if ui.button("Read the debrief").clicked() {
                wanted.push(Intent::Debrief);
            }
        } else if ui.button("Leave the case").clicked() {
            wanted.push(Intent::Start);
        }
        match &case.save_problem {
            Some(problem) => ui.label(egui::RichText::new(problem).small().color(p.warn)),
            None => ui.label(egui::RichText::new("saved as you go").small().color(p.quiet)),
        };
    });
    ui.add_space(4.0);
}

/// The scene as the trainee reads it: a pause or a feedback card when there
/// is one; otherwise what just happened, the manager's question, where you
/// are, who is there and what you see. The buttons are in [`next_steps`].
fn narrative(ui: &mut egui::Ui, case: &ActiveCase, settings: &Settings, p: &Palette, reflection: &mut String) {
    let session = &case.session;
    let s = session.scenario();
    let sc = session.scene();

    if let Some(question) = case.pending_discussion() {
        discussion_pause(ui, session, question, settings.facilitator, p, reflection);
        return;
    }
    if let Some(card) = case.cards.first() {
        feedback_card(ui, card, case.cards_on_show().len(), p);
        return;
    }

    // What just happened since the last choice: time passing is felt.
    let recent: Vec<String> = session.journal()[case.since.min(session.journal().len())..]
        .iter()
        .filter(|e| !matches!(e, Entry::Arrived { .. }))
        .filter_map(|e| {
            let text = session.describe(e)?;
            let at = Session::entry_time(e);
            let mut line = format!("{} {}  {text}", s.calendar.weekday(at.day()), at.clock());
            if let Entry::Took { action, .. } = e {
                let result = &s.action(*action).result;
                if !result.is_empty() {
                    line.push_str(&format!("\n{}", session.render(result)));
                }
            }
            Some(line)
        })
        .collect();
    if !recent.is_empty() {
        egui::Frame::group(ui.style()).fill(p.note).inner_margin(10.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new("What just happened").strong());
            if let Some(Entry::Took { at, .. }) = session.journal().get(case.since) {
                let minutes = session.now().minutes_since(*at);
                if minutes >= 8 * 60 {
                    ui.label(
                        egui::RichText::new(format!(
                            "Time passes: {} later, it is {}.",
                            describe_minutes(minutes),
                            s.calendar.describe(session.now())
                        ))
                        .strong(),
                    );
                } else if minutes > 0 {
                    quiet(ui, p, format!("That took {}.", describe_minutes(minutes)));
                }
            }
            for line in recent {
                ui.label(line);
            }
        });
        ui.add_space(8.0);
    }
    if let Some(why) = &case.refused {
        ui.label(egui::RichText::new(format!("Not possible: {why}")).color(p.warn));
    }
    if let Some((at, question)) = &case.supervision {
        egui::Frame::group(ui.style()).fill(p.note).inner_margin(12.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new("Supervision").strong());
            quiet(ui, p, format!("{}: your manager listens, then asks", s.calendar.describe(*at)));
            ui.label(egui::RichText::new(format!("\u{201c}{}\u{201d}", question.text)).size(20.0));
            quiet(ui, p, "A question, not an answer: what would you need to find out?");
        });
        ui.add_space(8.0);
    }

    ui.label(egui::RichText::new(session.render(&sc.title)).heading());
    quiet(ui, p, session.render(&sc.location));
    if !sc.present.is_empty() {
        quiet(ui, p, format!("Present: {}", session.present_labels().join(", ")));
    }
    ui.add_space(4.0);
    ui.label(session.render(&sc.text));
    ui.add_space(10.0);

    if let Some(ending) = session.ending() {
        egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
            ui.label(egui::RichText::new(format!("The case has ended: {}", session.render(&ending.title))).strong());
            ui.label(session.render(&ending.text));
        });
    }
}

/// What the trainee can do next: the choices (with their keys and time), the
/// supervision button and the hint about the room; or, at a pause, a card or
/// the end of the case, the one button that carries on. Every button's
/// rectangle goes into `next`.
fn next_steps(
    ui: &mut egui::Ui,
    case: &ActiveCase,
    settings: &Settings,
    p: &Palette,
    reflection: &mut String,
    wanted: &mut Vec<Intent>,
    next: &mut Vec<egui::Rect>,
) {
    let session = &case.session;
    let s = session.scenario();
    // A list of choices is read as one block: closer together than the
    // paragraphs above, so a scene with a dozen fits beside the room.
    ui.spacing_mut().item_spacing.y = 4.0;
    ui.spacing_mut().button_padding.y = 4.0;
    if case.pending_discussion().is_some() {
        if settings.facilitator {
            next_button(
                ui,
                "The group has discussed it: continue the case".into(),
                true,
                Intent::Reflect(String::new()),
                wanted,
                next,
            );
        } else {
            let written = !reflection.trim().is_empty();
            let text = reflection.clone();
            next_button(ui, "Save my reflection and continue".into(), written, Intent::Reflect(text), wanted, next);
            next_button(ui, "Continue without writing".into(), true, Intent::Reflect(String::new()), wanted, next);
            if wanted.iter().any(|i| matches!(i, Intent::Reflect(_))) {
                reflection.clear();
            }
        }
        return;
    }
    if !case.cards.is_empty() {
        let waiting = case.cards.len() - case.cards_on_show().len();
        let more = if waiting > 0 { format!(" ({waiting} more)") } else { String::new() };
        // The card's one way on has focus unless something else does, so
        // Enter, Space and the focus ring all point at it.
        if ui.memory(|m| m.focused().is_none()) {
            ui.data_mut(|d| d.insert_temp(egui::Id::new(FOCUS_IN_NEXT), true));
        }
        next_button(ui, format!("Enter   Carry on{more}"), true, Intent::Dismiss, wanted, next);
        return;
    }
    if session.is_over() {
        next_button(ui, "Read the debrief".into(), true, Intent::Debrief, wanted, next);
        return;
    }
    if case.supervision.is_some() {
        next_button(ui, "Thank your manager and carry on".into(), true, Intent::Dismiss, wanted, next);
    }
    // The heading, with the manager and the hint about the room beside it,
    // so the choices themselves have the height.
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("What do you do?").strong());
        if let Some(sup) = s.supervision {
            let offered = session.offers(sup);
            let label =
                format!("M   Talk it through with your manager ({})", describe_minutes(session.minutes_to_take(sup)));
            let response = ui.add_enabled(offered, egui::Button::new(label));
            next.push(response.rect);
            if response.clicked() {
                wanted.push(Intent::Supervise);
            }
            if !offered {
                quiet(ui, p, "(your manager is available in working hours)");
            }
        }
    });
    let choices: Vec<(String, ActionIx)> = session
        .choices()
        .into_iter()
        .enumerate()
        .map(|(n, a)| {
            let def = s.action(a);
            let key = choice_key_label(n).unwrap_or(" ");
            let cost = session.minutes_to_take(a);
            let label = if cost > 0 {
                format!("{key}   {}   ({})", session.render(&def.text), describe_minutes(cost))
            } else {
                format!("{key}   {}", session.render(&def.text))
            };
            (label, a)
        })
        .collect();
    // Many choices read down two columns (the first ones on the left), so a
    // busy home visit still fits below the room.
    if choices.len() > 8 && ui.available_width() > 560.0 {
        // Split where the two columns come out nearest in height, keeping the order.
        let width = ui.available_width() / 2.0 - 2.0 * ui.spacing().button_padding.x - 8.0;
        let font = egui::TextStyle::Button.resolve(ui.style());
        let heights: Vec<f32> = choices
            .iter()
            .map(|(label, _)| {
                ui.fonts_mut(|f| f.layout(label.clone(), font.clone(), egui::Color32::WHITE, width)).size().y + 12.0
            })
            .collect();
        let total: f32 = heights.iter().sum();
        let half = (1..choices.len())
            .min_by(|a, b| {
                let tall = |k: usize| {
                    let left: f32 = heights[..k].iter().sum();
                    left.max(total - left)
                };
                tall(*a).total_cmp(&tall(*b))
            })
            .unwrap_or(choices.len().div_ceil(2));
        let (mut left, mut right) = (Vec::new(), Vec::new());
        ui.columns(2, |cols| {
            for (k, (label, a)) in choices.iter().enumerate() {
                let (col, rects) = if k < half { (&mut cols[0], &mut left) } else { (&mut cols[1], &mut right) };
                col.spacing_mut().item_spacing.y = 4.0;
                col.spacing_mut().button_padding.y = 4.0;
                next_button(col, label.clone(), true, Intent::Take(*a), wanted, rects);
            }
        });
        next.extend(left);
        next.extend(right);
    } else {
        for (label, a) in choices {
            next_button(ui, label, true, Intent::Take(a), wanted, next);
        }
    }
}

/// One full-width button for what to do next: its rectangle goes into
/// `next`, and a click into `wanted`.
fn next_button(
    ui: &mut egui::Ui,
    label: String,
    enabled: bool,
    intent: Intent,
    wanted: &mut Vec<Intent>,
    next: &mut Vec<egui::Rect>,
) {
    let b = egui::Button::new(label).min_size(egui::vec2(ui.available_width(), 0.0));
    let response = ui.add_enabled(enabled, b);
    next.push(response.rect);
    keep_focus(ui, &response, enabled);
    if response.clicked() {
        wanted.push(intent);
    }
}

/// Where keyboard focus was last pass: on one of the next steps or not.
const FOCUS_IN_NEXT: &str = "second-look-focus-in-next";

/// Keeps keyboard focus on screen: a button of what to do next that is taken
/// with the keyboard disappears with the step it took, so focus moves to the
/// first of the new next steps (a practice card's "Carry on" takes focus
/// when nothing else has it) instead of falling back to the top of the window.
fn keep_focus(ui: &egui::Ui, response: &egui::Response, enabled: bool) {
    let key = egui::Id::new(FOCUS_IN_NEXT);
    let nothing_focused = ui.memory(|m| m.focused().is_none());
    let was_here = ui.data(|d| d.get_temp::<bool>(key)).unwrap_or(false);
    if enabled && nothing_focused && was_here {
        response.request_focus();
        ui.data_mut(|d| d.insert_temp(key, false));
    }
    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(key, true));
    }
}

fn feedback_card(ui: &mut egui::Ui, card: &crate::feedback::Card, alike: usize, p: &Palette) {
    egui::Frame::group(ui.style()).fill(p.note).inner_margin(16.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new("Practice feedback").heading());
        quiet(ui, p, format!("{} · {}", card.item.criterion.title(), card.status.label()));
        ui.add_space(4.0);
        ui.label(egui::RichText::new(&card.title).strong());
        if alike > 1 {
            quiet(ui, p, format!("This applies to {alike} items in this case."));
        }
        ui.label(&card.notice);
        ui.add_space(6.0);
        ui.label(format!("Learning point: {}", card.learning_point));
        quiet(ui, p, format!("From the reviews: {}", card.review_finding));
    });
}

fn discussion_pause(
    ui: &mut egui::Ui,
    session: &Session,
    question: &str,
    facilitator: bool,
    p: &Palette,
    reflection: &mut String,
) {
    egui::Frame::group(ui.style()).fill(p.note).inner_margin(16.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new("Pause for discussion").heading());
        quiet(ui, p, session.render(&session.scene().title));
        ui.add_space(6.0);
        ui.label(egui::RichText::new(session.render(question)).size(22.0).strong());
        ui.add_space(10.0);
        if facilitator {
            quiet(ui, p, "Facilitator mode: talk this through with the group, then carry on.");
        } else {
            ui.label("Write a few lines: what do you know, what are you assuming, what would you do next? Your reflection is kept in your record.");
            ui.add(egui::TextEdit::multiline(reflection).desired_rows(5).desired_width(f32::INFINITY));
        }
    });
}

/// One view of the case file, drawn from a session (now, or as it was then).
pub(super) type CaseFileView = fn(&mut egui::Ui, &Session, &Palette);

/// The household: each person with what the trainee knows of them and the
/// checks on them; then the professionals. Also the debrief's "what you knew when".
pub(super) fn household(ui: &mut egui::Ui, session: &Session, p: &Palette) {
    let s = session.scenario();
    for h in session.household() {
        let def = s.person(h.person);
        if def.role == Role::Professional {
            continue;
        }
        let age = h.age.map(|a| format!(", {a}")).unwrap_or_default();
        ui.label(egui::RichText::new(format!("{}{age}", h.name)).strong());
        if let Some(d) = &h.description {
            quiet(ui, p, d);
        }
        for (check, status) in &h.checks {
            let title = &s.checks[check.ix()].title;
            let (text, colour) = match status {
                CheckStatus::Done(t) => (format!("  done: {title} ({})", s.calendar.describe(*t)), p.good),
                CheckStatus::Requested(due) => {
                    (format!("  requested, waiting: {title} (answer due {})", s.calendar.describe(*due)), p.quiet)
                }
                CheckStatus::NotYet => (format!("  not yet: {title}"), p.warn),
            };
            ui.label(egui::RichText::new(text).small().color(colour));
        }
    }
    ui.add_space(4.0);
    quiet(ui, p, "Professionals");
    for h in session.household() {
        if s.person(h.person).role == Role::Professional {
            quiet(ui, p, format!("  {}", session.person_label(h.person)));
        }
    }
}

fn referral(ui: &mut egui::Ui, session: &Session, p: &Palette) {
    let s = session.scenario();
    ui.label(session.render(&s.briefing.referral));
    ui.add_space(6.0);
    quiet(ui, p, session.render(&s.briefing.role));
}

/// Requests to agencies, newest first, with their answers or when one is due.
pub(super) fn agencies(ui: &mut egui::Ui, session: &Session, p: &Palette) {
    let s = session.scenario();
    let items = session.inbox();
    if items.is_empty() {
        quiet(ui, p, "No requests sent yet. Agencies' answers to your requests arrive here.");
    }
    for item in items.iter().rev() {
        let q = &s.requests[item.request.ix()];
        ui.label(egui::RichText::new(format!("{}: {}", session.render(&q.agency), session.render(&q.asked))).strong());
        match &item.answer {
            Some((at, text)) => {
                quiet(ui, p, format!("answered {}", s.calendar.describe(*at)));
                ui.label(text);
                for fact in &item.learned {
                    ui.label(format!("\u{2022} {fact}"));
                }
            }
            None => quiet(
                ui,
                p,
                format!(
                    "waiting: sent {}; answer expected {}",
                    s.calendar.describe(item.sent),
                    s.calendar.describe(item.due)
                ),
            ),
        }
        ui.add_space(4.0);
    }
}

/// The notebook: every fact learned, newest first, with its source and time.
pub(super) fn notebook(ui: &mut egui::Ui, session: &Session, p: &Palette) {
    let cal = &session.scenario().calendar;
    let notes = session.notebook();
    if notes.is_empty() {
        quiet(ui, p, "Nothing noted yet.");
    }
    for note in notes.iter().rev() {
        quiet(ui, p, format!("{} · {}", cal.describe(note.at), note.source));
        ui.label(&note.text);
        ui.add_space(4.0);
    }
}

fn chronology(ui: &mut egui::Ui, session: &Session, p: &Palette) {
    let cal = &session.scenario().calendar;
    quiet(
        ui,
        p,
        "Everything that has happened in the case, oldest first, including what happened while you were busy.",
    );
    for e in session.journal() {
        if matches!(e, Entry::Learned { .. } | Entry::Arrived { .. }) {
            continue;
        }
        if let Some(text) = session.describe(e) {
            quiet(ui, p, cal.describe(Session::entry_time(e)));
            ui.label(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays the case screen out, as the window would, for a session just
    /// after its last action; returns the last of a few passes (panels size
    /// themselves from the pass before).
    /// An egui context styled as the window is with these settings.
    struct Styled {
        ctx: egui::Context,
        settings: Settings,
        palette: Palette,
    }

    fn styled(settings: Settings) -> Styled {
        let ctx = egui::Context::default();
        let palette = crate::game::theme::apply_settings(&ctx, &settings);
        Styled { ctx, settings, palette }
    }

    fn lay_out(styled: &Styled, case: &ActiveCase, size: egui::Vec2) -> CaseFrame {
        lay_out_with(styled, case, size, false)
    }

    /// With `author`, the right-hand panel holds an author's view as long as
    /// the largest case's (forty lines, some of them long).
    fn lay_out_with(styled: &Styled, case: &ActiveCase, size: egui::Vec2, author: bool) -> CaseFrame {
        let Styled { ctx, settings, palette } = styled;
        let mut view_of_author = |ui: &mut egui::Ui| {
            for n in 0..40 {
                ui.label(format!("`item_{n}`: open, due Day 2, Thursday 09:00 (a line long enough to wrap once)"));
            }
        };
        let mut view = CaseView::default();
        let mut frame = None;
        for pass in 0..3 {
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
                time: Some(pass as f64),
                ..Default::default()
            };
            let out = ctx.run_ui(input, |ui| {
                let author: Option<&mut dyn FnMut(&mut egui::Ui)> =
                    if author { Some(&mut view_of_author) } else { None };
                frame = Some(draw_case(&ui.ctx().clone(), case, settings, palette, &mut view, author));
            });
            out.drop_without_applying_deltas();
        }
        frame.unwrap_or(CaseFrame {
            wanted: Vec::new(),
            room: None,
            next: Vec::new(),
            next_visible: egui::Rect::NOTHING,
            narrative: egui::Rect::NOTHING,
            in_room: Vec::new(),
        })
    }

    /// A practice card's one way on has keyboard focus (and so the focus
    /// ring) as soon as it shows, so Enter or Space carries on.
    #[test]
    fn a_practice_card_takes_keyboard_focus_on_its_carry_on_button() {
        let (name, text) = crate::scenario::catalogue::BUILTIN[0];
        let scenario = std::sync::Arc::new(crate::scenario::load_str(name, text).unwrap().0);
        let id = scenario.meta.id.clone();
        let script =
            crate::scenario::catalogue::BUILTIN_PATHS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).unwrap_or("");
        let steps = crate::record::parse_script(script);
        let mut case = ActiveCase::new(Session::new(scenario.clone(), 3));
        case.mode = crate::record::Mode::Practice;
        let ids = crate::record::steps_for(&steps, &scenario, case.session.variation());
        for a in ids.iter().filter_map(|i| scenario.action_id(i)) {
            case.session.take(a).unwrap();
            case.collect_cards();
            if !case.cards.is_empty() {
                break;
            }
        }
        assert!(!case.cards.is_empty(), "{id}: the exemplary path settles an item");
        let normal = styled(Settings::default());
        let frame = lay_out(&normal, &case, egui::vec2(1280.0, 800.0));
        let focused = normal.ctx.memory(|m| m.focused()).expect("something has keyboard focus");
        let rect = normal.ctx.read_response(focused).expect("the focused widget was drawn").rect;
        assert_eq!(Some(rect), frame.next.first().copied(), "focus is on Carry on");
    }

    /// Whether every button for what to do next (or, with `first_only`, the
    /// first) is on screen, inside its panel.
    fn next_on_screen(frame: &CaseFrame, screen: egui::Rect, first_only: bool) -> bool {
        // Nothing of the scene above is drawn over them.
        let shown = frame.next_visible.intersect(screen);
        if frame.narrative.max.y > shown.min.y + 1.0 {
            return false;
        }
        let buttons: &[egui::Rect] = if first_only { &frame.next[..frame.next.len().min(1)] } else { &frame.next };
        !frame.next.is_empty() && buttons.iter().all(|r| shown.expand(1.0).contains_rect(*r))
    }

    /// Whether every hotspot button drawn in the room lies inside the room band
    /// (none over the scene's words below it).
    fn room_holds_its_buttons(frame: &CaseFrame) -> bool {
        frame.room.is_some_and(|band| frame.in_room.iter().all(|r| band.expand(1.0).contains_rect(*r)))
            || frame.in_room.is_empty()
    }

    #[test]
    fn what_to_do_next_is_always_on_screen_in_every_scene_of_every_case() {
        use crate::scenario::catalogue::{BUILTIN, BUILTIN_PATHS};
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        let sizes = [egui::vec2(1280.0, 800.0), egui::vec2(1366.0, 768.0)];
        let mut checked = 0;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (name, text) in BUILTIN {
            let scenario = std::sync::Arc::new(crate::scenario::load_str(name, text).unwrap().0);
            let id = scenario.meta.id.clone();
            let script = BUILTIN_PATHS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).unwrap_or("");
            let steps = crate::record::parse_script(script);
            let mut scenes_seen = vec![false; scenario.scenes.len()];
            // The exemplary path in two versions of the case, then random walks.
            let mut walks: Vec<(u64, Vec<crate::scenario::ActionIx>)> = Vec::new();
            for seed in [1u64, 5] {
                let session = Session::new(scenario.clone(), seed);
                let ids = crate::record::steps_for(&steps, &scenario, session.variation());
                walks.push((seed, ids.iter().filter_map(|i| scenario.action_id(i)).collect()));
            }
            for walk in 0..8u64 {
                let mut s = Session::new(scenario.clone(), 20 + walk);
                let mut taken = Vec::new();
                while !s.is_over() && taken.len() < 120 {
                    let options = s.available();
                    let a = options[rng.random_range(0..options.len())];
                    s.take(a).unwrap();
                    taken.push(a);
                }
                walks.push((20 + walk, taken));
            }
            let (normal, big) =
                (styled(Settings::default()), styled(Settings { text_scale: 2.0, ..Settings::default() }));
            // The opening scene, before any action.
            let opening = ActiveCase::new(Session::new(scenario.clone(), 1));
            let frame = lay_out(&normal, &opening, sizes[0]);
            assert!(
                next_on_screen(&frame, egui::Rect::from_min_size(egui::Pos2::ZERO, sizes[0]), false),
                "{id}: the opening"
            );
            scenes_seen[opening.session.state().scene.ix()] = true;
            for (seed, actions) in walks {
                let mut session = Session::new(scenario.clone(), seed);
                for (k, a) in actions.iter().enumerate() {
                    let before = session.journal().len();
                    if session.take(*a).is_err() {
                        break;
                    }
                    scenes_seen[session.state().scene.ix()] = true;
                    let mut case = ActiveCase::new(session.clone());
                    case.since = before;
                    for (n, size) in sizes.iter().enumerate() {
                        // Every action at 1280 by 800; every fourth at 1366 by 768 and at 200%.
                        if n > 0 && k % 4 != 0 {
                            continue;
                        }
                        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, *size);
                        let at_100 = lay_out(&normal, &case, *size);
                        assert!(
                            next_on_screen(&at_100, screen, false),
                            "{id}, seed {seed}, after `{}` in `{}` at {size:?}: {:?} not all within {:?}",
                            scenario.action(*a).id,
                            session.scene().id,
                            at_100.next,
                            at_100.next_visible
                        );
                        assert!(
                            room_holds_its_buttons(&at_100),
                            "{id}: {:?} outside {:?}",
                            at_100.in_room,
                            at_100.room
                        );
                        if n == 0 && k % 4 == 0 {
                            // With the author's view open beside the case.
                            let authoring = lay_out_with(&normal, &case, *size, true);
                            assert!(
                                next_on_screen(&authoring, screen, false),
                                "{id}, seed {seed}, after `{}` with the author's view: {:?} not within {:?}",
                                scenario.action(*a).id,
                                authoring.next,
                                authoring.next_visible
                            );
                            assert!(room_holds_its_buttons(&authoring), "{id} with the author's view");
                        }
                        if k % 4 == 0 {
                            // At 200% the window is half as many points across and down.
                            let at_200 = lay_out(&big, &case, *size / 2.0);
                            let logical = egui::Rect::from_min_size(egui::Pos2::ZERO, *size / 2.0);
                            assert!(
                                next_on_screen(&at_200, logical, true),
                                "{id}, seed {seed}, after `{}` at 200%, {size:?}: the first of {:?} not within {:?}",
                                scenario.action(*a).id,
                                at_200.next,
                                at_200.next_visible
                            );
                            assert!(
                                room_holds_its_buttons(&at_200),
                                "{id} at 200%: {:?} outside {:?}",
                                at_200.in_room,
                                at_200.room
                            );
                        }
                        checked += 1;
                    }
                }
            }
            let missed: Vec<&str> = scenario
                .scenes
                .iter()
                .zip(&scenes_seen)
                .filter(|(_, seen)| !**seen)
                .map(|(sc, _)| sc.id.as_str())
                .collect();
            // Scenes these walks did not reach are reported, to widen the walks if many are.
            println!(
                "{id}: {} of {} scenes laid out; not reached: {missed:?}",
                scenario.scenes.len() - missed.len(),
                scenario.scenes.len()
            );
            assert!(missed.len() * 3 <= scenario.scenes.len(), "{id}: scenes never laid out: {missed:?}");
        }
        println!("{checked} layouts checked");
        assert!(checked > 1000, "{checked} layouts checked");
    }
}
