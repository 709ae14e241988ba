//! The debrief: the outcome for the child; the three criteria with every
//! item, what earned or lost it and when; a timeline chart of the trainee's
//! actions against the case's events; the learning points and the review
//! findings behind them; and export buttons.

use super::theme::{Palette, quiet, root_ui};
use super::{ActiveCase, Intent, Screen, Storage};
use crate::report::{self, Lane, MarkKind, ReportContext, Timeline};
use crate::scoring::{Criterion, Score};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The debrief screen.
pub struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, debrief_ui.run_if(in_state(Screen::Debrief)));
    }
}

/// The score and timeline, computed once per change of the session.
#[derive(Default)]
struct Cached {
    journal_len: usize,
    score: Option<(Score, Timeline)>,
    exported: Option<String>,
}

fn debrief_ui(
    mut contexts: EguiContexts,
    case: Option<Res<ActiveCase>>,
    storage: Res<Storage>,
    palette: Res<Palette>,
    mut intents: MessageWriter<Intent>,
    mut cached: Local<Cached>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let session = &case.session;
    let s = session.scenario();
    let p = &*palette;
    let len = session.journal().len();
    if cached.score.is_none() || cached.journal_len != len {
        let score = Score::of(session.rules(), session.state(), Some(session.journal()));
        let timeline = Timeline::of(session, &score);
        cached.score = Some((score, timeline));
        cached.journal_len = len;
    }
    let cached = &mut *cached;
    let Some((score, timeline)) = cached.score.as_ref() else { return Ok(()) };
    let mut root = root_ui(ctx);
    egui::Panel::top("debrief_title").show(&mut root, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("Debrief: {}", s.meta.title));
            if ui.button("Back to the list of cases").clicked() {
                intents.write(Intent::Start);
            }
            if !session.is_over() && ui.button("Back to the case").clicked() {
                intents.write(Intent::Begin);
            }
        });
        ui.horizontal_wrapped(|ui| {
            let ctx_report = || ReportContext {
                reflections: case
                    .reflections
                    .iter()
                    .map(|r| (session.render(&s.scene(r.scene).title), r.text.clone()))
                    .collect(),
                ..ReportContext::default()
            };
            if ui.button("Export this debrief (HTML and Markdown)").clicked() {
                cached.exported = Some(export(&storage, case.as_ref(), ctx_report()));
            }
            if let Some(w) = &case.writer {
                quiet(ui, p, format!("Your session record: {}", w.path().display()));
            }
        });
        if let Some(message) = &cached.exported {
            ui.label(message);
        }
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
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
            ui.label(egui::RichText::new(format!("Overall score: {:.0} out of 100", score.overall)).heading());
            ui.add_space(6.0);
            ui.label(egui::RichText::new("Timeline: you and the case").strong());
            timeline_chart(ui, session, timeline, p);
            for c in Criterion::ALL {
                let cs = score.criterion(c);
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
                            egui::RichText::new(format!("{}{credit}: {}", item.status.label(), item.title))
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
                    });
                }
                for pen in &cs.penalties {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} points off: {} at {}",
                            pen.points,
                            pen.route.describe(),
                            s.calendar.describe(pen.at)
                        ))
                        .color(p.warn),
                    );
                    ui.label(&pen.reason);
                }
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
    Ok(())
}

/// Draws the timeline: days across, your actions on the top lane, the
/// case's events, answers, thresholds and deadlines on the bottom lane. Each
/// mark's shape (not only its colour) says what it is, and hovering it says
/// what happened.
fn timeline_chart(ui: &mut egui::Ui, session: &crate::sim::Session, t: &Timeline, p: &Palette) {
    let width = ui.available_width();
    let (response, painter) = ui.allocate_painter(egui::vec2(width, 150.0), egui::Sense::hover());
    let rect = response.rect;
    let left = rect.min.x + 80.0;
    let right = rect.max.x - 10.0;
    let x = |at| left + t.fraction(at) * (right - left);
    let text_colour = ui.visuals().text_color();
    let stroke = egui::Stroke::new(1.0, p.quiet);
    let lane_y = |lane: Lane| match lane {
        Lane::Trainee => rect.min.y + 55.0,
        Lane::Case => rect.min.y + 110.0,
    };
    for (day, working) in t.days(session) {
        let from = crate::clock::InGameTime((day - 1) * crate::clock::MINUTES_PER_DAY).max(t.start);
        let to = crate::clock::InGameTime(day * crate::clock::MINUTES_PER_DAY).min(t.end);
        if to <= from {
            continue;
        }
        let day_rect =
            egui::Rect::from_min_max(egui::pos2(x(from), rect.min.y + 22.0), egui::pos2(x(to), rect.max.y - 4.0));
        if !working {
            painter.rect_filled(day_rect, 0.0, p.note);
        }
        painter.rect_stroke(day_rect, 0.0, egui::Stroke::new(0.5, p.quiet), egui::StrokeKind::Inside);
        if day_rect.width() > 26.0 {
            painter.text(
                day_rect.left_top() + egui::vec2(2.0, -18.0),
                egui::Align2::LEFT_TOP,
                format!("Day {day}"),
                egui::FontId::proportional(12.0),
                text_colour,
            );
        }
    }
    painter.text(
        egui::pos2(rect.min.x, lane_y(Lane::Trainee)),
        egui::Align2::LEFT_CENTER,
        "You",
        egui::FontId::proportional(14.0),
        text_colour,
    );
    painter.text(
        egui::pos2(rect.min.x, lane_y(Lane::Case)),
        egui::Align2::LEFT_CENTER,
        "The case",
        egui::FontId::proportional(14.0),
        text_colour,
    );
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
                "Dots: your actions · squares: requests and answers · diamonds: escalations · large dots: events · triangles: thresholds · lines: deadlines (solid met, dashed passed) · shaded: weekends. Point at a mark to see it.",
            )
            .small()
            .color(p.quiet),
        ),
    };
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
