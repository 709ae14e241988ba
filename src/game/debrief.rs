//! The debrief: the outcome for the child, the three criteria with every item,
//! what earned or lost it and when, the learning points and the review
//! findings behind them.

use super::{ActiveCase, Intent, Screen, theme};
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

fn debrief_ui(
    mut contexts: EguiContexts,
    case: Option<Res<ActiveCase>>,
    mut intents: MessageWriter<Intent>,
    mut score: Local<Option<(usize, Score)>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let session = &case.session;
    let s = session.scenario();
    // Scoring is pure but not free: recompute only when the session changes.
    let len = session.journal().len();
    if score.as_ref().is_none_or(|(n, _)| *n != len) {
        *score = Some((len, Score::of(session.rules(), session.state(), Some(session.journal()))));
    }
    let Some((_, score)) = score.as_ref() else { return Ok(()) };
    let mut root = theme::root_ui(ctx);
    egui::Panel::top("debrief_title").show(&mut root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(format!("Debrief: {}", s.meta.title));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back to the list of cases").clicked() {
                    intents.write(Intent::Start);
                }
                if !session.is_over() && ui.button("Back to the case").clicked() {
                    intents.write(Intent::Begin);
                }
            });
        });
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
                            theme::QUIET
                        } else if item.fraction >= 1.0 {
                            theme::GOOD
                        } else {
                            theme::WARN
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
                            theme::quiet(ui, format!("From the reviews: {}", item.review_finding));
                        }
                        if !item.evidence.is_empty() {
                            let done: Vec<String> = item
                                .evidence
                                .iter()
                                .filter_map(|n| session.actions().get(*n))
                                .map(|a| session.render(&s.action(*a).text))
                                .collect();
                            theme::quiet(ui, format!("Your actions: {}", done.join("; ")));
                        }
                    });
                }
                for p in &cs.penalties {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} points off: {} at {}",
                            p.points,
                            p.route.describe(),
                            s.calendar.describe(p.at)
                        ))
                        .color(theme::WARN),
                    );
                    ui.label(&p.reason);
                }
            }
        });
    });
    Ok(())
}
