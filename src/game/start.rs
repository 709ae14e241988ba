//! The start screen: the scenarios on offer, with their content notes shown
//! before anything starts and a way to step back.

use super::{Catalogue, Intent, Screen, fresh_seed, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The start screen.
pub struct StartPlugin;

impl Plugin for StartPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, start_ui.run_if(in_state(Screen::Start)));
    }
}

fn start_ui(
    mut contexts: EguiContexts,
    catalogue: Res<Catalogue>,
    mut intents: MessageWriter<Intent>,
    mut reading_notes: Local<Option<usize>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = theme::root_ui(ctx);
    egui::Panel::top("start_title").show(&mut root, |ui| {
        ui.add_space(6.0);
        ui.heading("Second Look");
        theme::quiet(ui, "A training game for child safeguarding. Every case follows a pattern from published reviews; no real family is portrayed.");
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if catalogue.entries.is_empty() {
                ui.label("No scenarios were found. Start the game from the project folder, or pass --scenarios DIR.");
            }
            for (i, entry) in catalogue.entries.iter().enumerate() {
                egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let Some(s) = &entry.scenario else {
                        ui.label(
                            egui::RichText::new(format!("{} could not be loaded", entry.origin.label()))
                                .color(theme::WARN),
                        );
                        if let Some(p) = &entry.problems {
                            ui.label(egui::RichText::new(p).monospace());
                        }
                        return;
                    };
                    ui.label(egui::RichText::new(&s.meta.title).heading());
                    theme::quiet(
                        ui,
                        format!("About {} minutes · {}", s.meta.estimated_minutes, s.meta.themes.join(" · ")),
                    );
                    ui.label(&s.meta.summary);
                    if *reading_notes == Some(i) {
                        ui.separator();
                        ui.label(egui::RichText::new("Content notes").strong());
                        for note in &s.meta.content_notes {
                            ui.label(format!("•  {note}"));
                        }
                        theme::quiet(ui, "You can leave the case at any time from the top bar.");
                        ui.horizontal(|ui| {
                            if ui.button("Continue to the briefing").clicked() {
                                intents.write(Intent::Open { entry: i, seed: fresh_seed() });
                                *reading_notes = None;
                            }
                            if ui.button("Back").clicked() {
                                *reading_notes = None;
                            }
                        });
                    } else if ui.button("Read the content notes and start").clicked() {
                        *reading_notes = Some(i);
                    }
                });
                ui.add_space(8.0);
            }
        });
    });
    Ok(())
}
