//! The debrief: the outcome for the child; the three criteria with every
//! item, what earned or lost it and when; a timeline of the trainee's actions
//! beside the experienced practitioner's and the case's events; "what you knew
//! when" at any moment; where the two paths parted and what that cost; the
//! supervision held; and export buttons.

use super::case;
use super::theme::{Palette, quiet, root_ui, scroll_area};
use super::{ActiveCase, Catalogue, Intent, Screen, Storage};
use crate::feedback::{self, Divergence};
use crate::record::Mode;
use crate::report::{self, Lane, MarkKind, ReportContext, Timeline};
use crate::scoring::{Criterion, Score, Status};
use crate::sim::Session;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The debrief screen.
pub struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            EguiPrimaryContextPass,
            debrief_ui.in_set(super::theme::Screens).run_if(in_state(Screen::Debrief)),
        );
    }
}

/// Everything the debrief computes, once per change of the session.
struct Computed {
    journal_len: usize,
    score: Score,
    timeline: Timeline,
    expert: Option<Session>,
    divergences: Vec<Divergence>,
    supervision: Vec<(usize, crate::clock::InGameTime, feedback::Question)>,
    moments: Vec<crate::clock::InGameTime>,
}

/// The screen's own memory: the computed debrief, the moment being looked at, exports.
#[derive(Default)]
struct View {
    computed: Option<Computed>,
    moment: usize,
    snapshot: Option<(usize, Session, Score)>,
    exported: Option<String>,
    /// A button below asked for "what you knew when": scroll it into view.
    reveal: bool,
}

fn compute(case: &ActiveCase, catalogue: &Catalogue) -> Computed {
    let session = &case.session;
    let score = Score::of(session.rules(), session.state(), Some(session.journal()));
    let mut timeline = Timeline::of(session, &score);
    let expert = catalogue
        .expert_paths
        .get(&session.scenario().meta.id)
        .and_then(|script| feedback::expert_session(session, script).ok());
    let divergences = expert.as_ref().map(|e| feedback::divergences(session, e)).unwrap_or_default();
    if let Some(e) = &expert {
        timeline.add_expert(e);
    }
    Computed {
        journal_len: session.journal().len(),
        score,
        timeline,
        expert,
        divergences,
        supervision: feedback::supervision_log(session),
        moments: feedback::moment_times(session),
    }
}

fn debrief_ui(
    mut contexts: EguiContexts,
    case: Option<Res<ActiveCase>>,
    catalogue: Res<Catalogue>,
    storage: Res<Storage>,
    palette: Res<Palette>,
    mut intents: MessageWriter<Intent>,
    mut view: Local<View>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let session = &case.session;
    let s = session.scenario();
    let p = &*palette;
    let view = &mut *view;
    if view.computed.as_ref().is_none_or(|c| c.journal_len != session.journal().len()) {
        view.computed = Some(compute(&case, &catalogue));
        view.moment = session.actions().len();
        view.snapshot = None;
    }
    let Some(computed) = view.computed.as_ref() else { return Ok(()) };
    if view.snapshot.as_ref().is_none_or(|(k, _, _)| *k != view.moment)
        && let Some(then) = feedback::knew_when(session, view.moment)
    {
        let score = Score::of(then.rules(), then.state(), None);
        view.snapshot = Some((view.moment, then, score));
    }
    let mut root = root_ui(ctx);
    let mut export_now = false;
    let mut new_moment = None;
    let mut reveal = false;
    egui::Panel::top("debrief_title").show(&mut root, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("Debrief: {}", s.meta.title));
            let mode = match case.mode {
                Mode::Assessment => "assessment mode: no feedback until now",
                Mode::Practice => "practice mode: feedback cards after settling choices",
            };
            ui.label(egui::RichText::new(mode).small().color(p.quiet));
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button("Back to the list of cases").clicked() {
                intents.write(Intent::Start);
            }
            if !session.is_over() && ui.button("Back to the case").clicked() {
                intents.write(Intent::Begin);
            }
            export_now = ui.button("Export this debrief (HTML and Markdown)").clicked();
            if let Some(w) = &case.writer {
                quiet(ui, p, format!("Your session record: {}", w.path().display()));
            }
        });
        if let Some(message) = &view.exported {
            ui.label(message);
        }
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        scroll_area(ui, "debrief", |ui| {
            match session.ending() {
                Some(ending) => {
                    ui.label(
                        egui::RichText::new(format!(
                            "Outcome for the child: {} ({})",
                            session.render(&ending.title),
                            ending.outcome.describe()
                        ))
                        .strong(),
                    );
                    ui.label(session.render(&ending.text));
                }
                None => {
                    ui.label(egui::RichText::new("The case is still open: this is the score so far.").strong());
                }
            }
            ui.add_space(8.0);
            ui.label(egui::RichText::new(format!("Overall score: {:.0} out of 100", computed.score.overall)).heading());
            if let Some((line, steps)) = computed.score.harm_lines() {
                ui.label(egui::RichText::new(line).color(p.warn));
                for step in steps {
                    quiet(ui, p, step);
                }
            }
            ui.add_space(6.0);
            ui.label(egui::RichText::new("Timeline: you, the experienced practitioner, and the case").strong());
            if let Some(m) = timeline_chart(ui, session, &computed.timeline, &computed.moments, view.moment, p) {
                new_moment = Some(m);
            }
            // What you knew when.
            let last = session.actions().len();
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new("What you knew when:").strong());
                let mut m = view.moment;
                let when = computed.moments.get(m).map(|t| s.calendar.describe(*t)).unwrap_or_default();
                let label = format!("actions taken, {when}");
                ui.add(egui::Slider::new(&mut m, 0..=last).text(label));
                if m != view.moment {
                    new_moment = Some(m);
                }
                if ui.button("◀ earlier").clicked() {
                    new_moment = Some(view.moment.saturating_sub(1));
                }
                if ui.button("later ▶").clicked() {
                    new_moment = Some((view.moment + 1).min(last));
                }
            });
            if let Some((_, then, then_score)) = &view.snapshot {
                let rect = knew_when_panel(ui, then, then_score, p);
                if std::mem::take(&mut view.reveal) {
                    ui.scroll_to_rect(rect, Some(egui::Align::Min));
                }
            }
            // Where the two paths parted.
            if computed.expert.is_some() {
                ui.add_space(10.0);
                ui.label(egui::RichText::new("Where you and the experienced practitioner parted ways").heading());
                if computed.divergences.is_empty() {
                    ui.label("Nowhere that cost points: you earned everything the experienced practitioner did.");
                }
                for d in &computed.divergences {
                    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            egui::RichText::new(format!("{}: cost you {:.1} points", d.title, d.cost))
                                .strong()
                                .color(p.warn),
                        );
                        ui.label(format!("The experienced practitioner: {}", d.expert));
                        ui.label(format!("You: {}", d.trainee));
                        if let Some(t) = d.expert_at
                            && ui.button("Show what you knew then").clicked()
                        {
                            new_moment = Some(feedback::moment_at(session, t));
                            reveal = true;
                        }
                    });
                }
            }
            for c in Criterion::ALL {
                let cs = computed.score.criterion(c);
                ui.add_space(10.0);
                let value =
                    if cs.applicable { format!("{:.0} out of 100", cs.score) } else { "did not arise".to_string() };
                ui.label(egui::RichText::new(format!("{}: {value}", c.title())).heading());
                for item in &cs.items {
                    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let colour = if !item.applicable {
                            p.quiet
                        } else if item.fraction >= 1.0 {
                            p.good
                        } else {
                            p.warn
                        };
                        let credit =
                            if item.applicable { format!(" — {:.0}%", item.fraction * 100.0) } else { String::new() };
                        ui.label(
                            egui::RichText::new(format!("{}{credit}: {}", item.status.label(), item.heading()))
                                .strong()
                                .color(colour),
                        );
                        ui.label(&item.explanation);
                        if item.applicable && item.fraction < 1.0 {
                            ui.label(format!("Learning point: {}", item.learning_point));
                            quiet(ui, p, format!("From the reviews: {}", item.review_finding));
                        }
                        if !item.evidence.is_empty() {
                            let done: Vec<String> = item
                                .evidence
                                .iter()
                                .filter_map(|n| session.actions().get(*n))
                                .map(|a| session.render(&s.action(*a).text))
                                .collect();
                            quiet(ui, p, format!("Your actions: {}", done.join("; ")));
                        }
                        if let Some(t) = item.settled_at
                            && ui
                                .button(format!(
                                    "Show what you knew when this was settled ({})",
                                    s.calendar.describe(t)
                                ))
                                .clicked()
                        {
                            new_moment = Some(feedback::moment_at(session, t));
                            reveal = true;
                        }
                    });
                }
                for pen in &cs.penalties {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} points off: {} at {}",
                            pen.points,
                            pen.title,
                            s.calendar.describe(pen.at)
                        ))
                        .color(p.warn),
                    );
                    ui.label(&pen.reason);
                }
            }
            ui.add_space(10.0);
            ui.label(egui::RichText::new("Supervision").heading());
            if computed.supervision.is_empty() {
                ui.label("You did not talk the case through with your manager.");
            }
            for (_, at, q) in &computed.supervision {
                quiet(ui, p, s.calendar.describe(*at));
                ui.label(format!("Your manager asked: \u{201c}{}\u{201d}", q.text));
            }
            if !case.reflections.is_empty() {
                ui.add_space(10.0);
                ui.label(egui::RichText::new("Your reflections").heading());
                for r in &case.reflections {
                    quiet(ui, p, session.render(&s.scene(r.scene).title));
                    ui.label(if r.text.is_empty() { "(discussed in the group)" } else { &r.text });
                }
            }
        });
    });
    if let Some(m) = new_moment {
        view.moment = m;
        if reveal {
            view.reveal = true;
            ctx.request_repaint();
        }
    }
    if export_now {
        let ctx_report = ReportContext {
            mode: case.mode,
            reflections: case
                .reflections
                .iter()
                .map(|r| (session.render(&s.scene(r.scene).title), r.text.clone()))
                .collect(),
            played: String::new(),
            expert: computed.expert.clone(),
        };
        view.exported = Some(export(&storage, &case, ctx_report));
    }
    Ok(())
}

/// The notebook, household and agencies' answers as they were at a moment, with what was
/// knowable and not yet acted on.
fn knew_when_panel(ui: &mut egui::Ui, then: &Session, score: &Score, p: &Palette) -> egui::Rect {
    let cal = &then.scenario().calendar;
    let shown = egui::Frame::group(ui.style()).fill(p.note).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(format!("At {}", cal.describe(then.now()))).strong());
        let open: Vec<String> = feedback::waiting(score)
            .into_iter()
            .map(|(r, i)| {
                let state = if i.status == Status::Open { String::new() } else { format!(": {}", i.status.label()) };
                format!("{} ({}){state}", i.title, r.criterion.title().to_lowercase())
            })
            .collect();
        if open.is_empty() {
            quiet(ui, p, "Nothing you could already know was waiting to be acted on.");
        } else {
            let heading =
                if then.is_over() { "Knowable, and never acted on:" } else { "Knowable then, and not yet acted on:" };
            ui.label(egui::RichText::new(heading).color(p.warn));
            for o in open {
                ui.label(egui::RichText::new(format!("!  {o}")).color(p.warn));
            }
        }
        // The case file's own views, drawn from the session as it was then,
        // so the moment reads exactly as the trainee saw it. egui's columns
        // justify wrapped text; these are notes to read, so ragged-right.
        let ragged = egui::Layout::top_down(egui::Align::Min);
        ui.columns(3, |cols| {
            let views: [(&str, case::CaseFileView); 3] =
                [("Notebook", case::notebook), ("Household", case::household), ("Agencies", case::agencies)];
            for (col, (title, view)) in cols.iter_mut().zip(views) {
                col.with_layout(ragged, |ui| {
                    ui.label(egui::RichText::new(title).strong());
                    view(ui, then, p);
                });
            }
        });
    });
    shown.response.rect
}

/// Draws the timeline: days across; the trainee's actions, the experienced
/// practitioner's, and the case's events, answers, thresholds and deadlines
/// on three lanes. Each mark's shape (not only its colour) says what it is;
/// pointing at a mark says what happened; clicking moves "what you knew when"
/// there. Returns a new moment if one was clicked.
fn timeline_chart(
    ui: &mut egui::Ui,
    session: &Session,
    t: &Timeline,
    moments: &[crate::clock::InGameTime],
    moment: usize,
    p: &Palette,
) -> Option<usize> {
    let width = ui.available_width();
    let (response, painter) = ui.allocate_painter(egui::vec2(width, 190.0), egui::Sense::click());
    let rect = response.rect;
    let left = rect.min.x + 110.0;
    let right = rect.max.x - 10.0;
    let scale = t.scale();
    let x = |at| left + scale.fraction(at) * (right - left);
    let text_colour = ui.visuals().text_color();
    let stroke = egui::Stroke::new(1.0, p.quiet);
    let lane_y = |lane: Lane| match lane {
        Lane::Trainee => rect.min.y + 55.0,
        Lane::Expert => rect.min.y + 100.0,
        Lane::Case => rect.min.y + 150.0,
    };
    let mut labels_end = f32::MIN;
    for (day, working) in t.days(session) {
        let from = crate::clock::InGameTime((day - 1) * crate::clock::MINUTES_PER_DAY).max(t.start);
        let to = crate::clock::InGameTime(day * crate::clock::MINUTES_PER_DAY).min(t.end);
        if to <= from {
            continue;
        }
        let day_rect =
            egui::Rect::from_min_max(egui::pos2(x(from), rect.min.y + 22.0), egui::pos2(x(to), rect.max.y - 4.0));
        if !working {
            painter.rect_filled(day_rect, 0.0, p.shade);
        }
        painter.rect_stroke(day_rect, 0.0, egui::Stroke::new(0.5, p.quiet), egui::StrokeKind::Inside);
        // Label as many days as fit without overlapping: every day when
        // there is room, every other (or third...) day at large text sizes.
        if day_rect.left() >= labels_end + 4.0 {
            let label = painter.text(
                day_rect.left_top() + egui::vec2(2.0, -18.0),
                egui::Align2::LEFT_TOP,
                format!("Day {day}"),
                egui::FontId::proportional(12.0),
                text_colour,
            );
            labels_end = label.right();
        }
    }
    for (lane, name) in [(Lane::Trainee, "You"), (Lane::Expert, "Experienced"), (Lane::Case, "The case")] {
        painter.text(
            egui::pos2(rect.min.x, lane_y(lane)),
            egui::Align2::LEFT_CENTER,
            name,
            egui::FontId::proportional(14.0),
            text_colour,
        );
    }
    // The moment shown in "what you knew when".
    if let Some(at) = moments.get(moment) {
        let mx = x(*at);
        painter.line_segment(
            [egui::pos2(mx, rect.min.y + 22.0), egui::pos2(mx, rect.max.y - 4.0)],
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
        );
    }
    let mut hovered = None;
    let pointer = response.hover_pos();
    for m in &t.marks {
        let c = egui::pos2(x(m.at), lane_y(m.lane));
        let _ = match m.kind {
            MarkKind::Action => painter.circle_filled(c, 3.5, p.quiet),
            MarkKind::Request | MarkKind::Answer => {
                painter.rect_filled(egui::Rect::from_center_size(c, egui::vec2(7.0, 7.0)), 0.0, text_colour)
            }
            MarkKind::Escalation => {
                let d = 6.0;
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        c + egui::vec2(0.0, -d),
                        c + egui::vec2(d, 0.0),
                        c + egui::vec2(0.0, d),
                        c + egui::vec2(-d, 0.0),
                    ],
                    p.good,
                    stroke,
                ))
            }
            MarkKind::Event => painter.circle_filled(c, 5.0, text_colour),
            MarkKind::Threshold => painter.add(egui::Shape::convex_polygon(
                vec![c + egui::vec2(0.0, -7.0), c + egui::vec2(6.0, 5.0), c + egui::vec2(-6.0, 5.0)],
                p.warn,
                stroke,
            )),
            MarkKind::DeadlineMet => painter
                .line_segment([c - egui::vec2(0.0, 14.0), c + egui::vec2(0.0, 14.0)], egui::Stroke::new(2.0, p.good)),
            MarkKind::DeadlineMissed => painter.add(egui::Shape::dashed_line(
                &[c - egui::vec2(0.0, 14.0), c + egui::vec2(0.0, 14.0)],
                egui::Stroke::new(2.0, p.warn),
                3.0,
                2.0,
            )),
            MarkKind::End => {
                painter.rect_filled(egui::Rect::from_center_size(c, egui::vec2(4.0, 26.0)), 0.0, text_colour)
            }
        };
        if pointer.is_some_and(|ptr| ptr.distance(c) < 8.0) {
            hovered = Some(m);
        }
    }
    match hovered {
        Some(m) => ui.label(format!("{}: {}", session.scenario().calendar.describe(m.at), m.label)),
        None => ui.label(
            egui::RichText::new(
                "Dots: actions · squares: requests and answers · diamonds: escalations · large dots: events · triangles: thresholds · lines: deadlines (solid met, dashed passed) · shaded: weekends. Point at a mark to see it; click to see what you knew then.",
            )
            .small()
            .color(p.quiet),
        ),
    };
    let clicked = response.interact_pointer_pos().filter(|_| response.clicked())?;
    let at = t.at_fraction((clicked.x - left) / (right - left));
    Some(feedback::moment_at(session, at))
}

/// Writes the debrief as HTML and Markdown to the exports folder; says where, or why not.
fn export(storage: &Storage, case: &ActiveCase, ctx: ReportContext) -> String {
    let Some(dir) = storage.data.as_ref().map(|d| d.exports()) else {
        return "There is no data folder to export to.".into();
    };
    let dir = match dir {
        Ok(d) => d,
        Err(e) => return format!("Cannot create the exports folder: {e}"),
    };
    let stem = case
        .writer
        .as_ref()
        .and_then(|w| w.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| format!("{}-seed-{}", case.session.scenario().meta.id, case.session.seed()));
    let html_path = dir.join(format!("{stem}-debrief.html"));
    let md_path = dir.join(format!("{stem}-debrief.md"));
    let written = crate::storage::write_atomically(&html_path, report::html(&case.session, &ctx).as_bytes())
        .and_then(|()| crate::storage::write_atomically(&md_path, report::markdown(&case.session, &ctx).as_bytes()));
    match written {
        Ok(()) => format!("Exported to {} and {}", html_path.display(), md_path.display()),
        Err(e) => format!("Export failed: {e}"),
    }
}
