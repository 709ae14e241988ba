//! The start screen: cases in progress to resume, the scenarios on offer with
//! their content notes shown before anything starts (and a way to step back),
//! and the settings.

use super::settings::{Settings, SettingsStore, TEXT_SCALES, Theme};
use super::theme::{Palette, quiet, root_ui, scroll_area};
use super::{Catalogue, Intent, Screen, Storage, fresh_seed};
use crate::record::{self, Mode, RecordError};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::path::PathBuf;

/// The start screen.
pub struct StartPlugin;

impl Plugin for StartPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<SavedCases>().add_systems(OnEnter(Screen::Start), find_saved_cases).add_systems(
            EguiPrimaryContextPass,
            start_ui.in_set(super::theme::Screens).run_if(in_state(Screen::Start)),
        );
    }
}

/// A case in progress, found in the records folder.
#[derive(Debug, Clone)]
pub struct SavedCase {
    /// The record.
    pub path: PathBuf,
    /// Scenario title (or id, if the scenario is not here).
    pub title: String,
    /// How far it got, in words.
    pub progress: String,
    /// Whether it can be resumed, and if not, why.
    pub problem: Option<String>,
}

/// Unfinished cases, newest first.
#[derive(Resource, Debug, Default)]
pub struct SavedCases {
    /// The cases.
    pub cases: Vec<SavedCase>,
}

/// How many unfinished cases the start screen lists.
const SHOWN: usize = 8;

/// Finds unfinished records in the data folder.
pub fn find_saved_cases(storage: Res<Storage>, catalogue: Res<Catalogue>, mut saved: ResMut<SavedCases>) {
    saved.cases.clear();
    let Some(dir) = storage.data.as_ref().and_then(|d| d.records().ok()) else { return };
    for found in record::records_in(&dir) {
        if saved.cases.len() >= SHOWN {
            break;
        }
        let (rec, problem) = match found.read {
            Ok(r) if r.end.is_some() => continue,
            Ok(r) => (r, None),
            Err(RecordError::Truncated { intact, .. }) => {
                (*intact, Some("the program stopped while saving; the last action may be lost".to_string()))
            }
            Err(_) => continue,
        };
        let scenario = catalogue.find(&rec.header.scenario);
        let title = scenario.as_ref().map_or(rec.header.scenario.clone(), |s| s.meta.title.clone());
        let when = rec.actions.last().map_or("not started".to_string(), |a| a.game_time.clone());
        let problem = if scenario.is_none() { Some("this scenario is not available here".into()) } else { problem };
        saved.cases.push(SavedCase {
            path: found.path,
            title,
            progress: format!("{} actions, at {when}", rec.actions.len()),
            problem,
        });
    }
}

#[expect(clippy::too_many_arguments, reason = "the start screen shows cases, saved cases and settings")]
fn start_ui(
    mut contexts: EguiContexts,
    catalogue: Res<Catalogue>,
    saved: Res<SavedCases>,
    mut settings: ResMut<Settings>,
    store: Res<SettingsStore>,
    palette: Res<Palette>,
    mut intents: MessageWriter<Intent>,
    mut reading_notes: Local<Option<usize>>,
    mut practice: Local<bool>,
    mut to_settings: Local<bool>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx);
    egui::Panel::top("start_title").show(&mut root, |ui| {
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading("Second Look");
            // Settings sit below every case; someone who needs larger text or
            // other colours should not have to scroll past them all first.
            if ui.button("Text size and colours").clicked() {
                *to_settings = true;
            }
        });
        quiet(
            ui,
            &palette,
            "A training game for child safeguarding. Every case follows a pattern from published reviews; no real family is portrayed.",
        );
        ui.add_space(6.0);
    });
    let mut edited = settings.clone();
    egui::CentralPanel::default().show(&mut root, |ui| {
        scroll_area(ui, "cases", |ui| {
            if !saved.cases.is_empty() {
                ui.label(egui::RichText::new("Carry on where you left off").heading());
                for case in &saved.cases {
                    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(egui::RichText::new(&case.title).strong());
                        quiet(ui, &palette, &case.progress);
                        if let Some(p) = &case.problem {
                            ui.label(egui::RichText::new(p).color(palette.warn));
                        }
                        if ui.button("Resume this case").clicked() {
                            intents.write(Intent::Resume(case.path.clone()));
                        }
                    });
                }
                ui.add_space(12.0);
            }
            ui.label(egui::RichText::new("Cases").heading());
            if catalogue.entries.is_empty() {
                ui.label("No scenarios were found. Start the game from the project folder, or pass --scenarios DIR.");
            }
            for (i, entry) in catalogue.entries.iter().enumerate() {
                egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let Some(s) = &entry.scenario else {
                        ui.label(
                            egui::RichText::new(format!("{} could not be loaded", entry.origin.label()))
                                .color(palette.warn),
                        );
                        if let Some(p) = &entry.problems {
                            ui.label(egui::RichText::new(p).monospace());
                        }
                        return;
                    };
                    ui.label(egui::RichText::new(&s.meta.title).heading());
                    quiet(
                        ui,
                        &palette,
                        format!("About {} minutes · {}", s.meta.estimated_minutes, s.meta.themes.join(" · ")),
                    );
                    ui.label(&s.meta.summary);
                    if *reading_notes == Some(i) {
                        ui.separator();
                        ui.label(egui::RichText::new("Content notes").strong());
                        for note in &s.meta.content_notes {
                            ui.label(format!("•  {note}"));
                        }
                        quiet(
                            ui,
                            &palette,
                            "You can leave the case at any time from the top bar; it is saved as you go.",
                        );
                        ui.label(egui::RichText::new("How do you want to play?").strong());
                        ui.radio_value(
                            &mut *practice,
                            false,
                            "Assessment: feedback only in the debrief (for CPD and facilitated sessions)",
                        );
                        ui.radio_value(
                            &mut *practice,
                            true,
                            "Practice: a short feedback card after each choice that settles something",
                        );
                        ui.horizontal_wrapped(|ui| {
                            if ui.button("Continue to the briefing").clicked() {
                                let mode = if *practice { Mode::Practice } else { Mode::Assessment };
                                intents.write(Intent::Open { entry: i, seed: fresh_seed(), mode });
                                *reading_notes = None;
                            }
                            if ui.button("Back").clicked() {
                                *reading_notes = None;
                            }
                        });
                    } else if ui.button("Read the content notes and start").clicked() {
                        *reading_notes = Some(i);
                        // Facilitated sessions are assessed; a student alone may choose practice.
                        *practice = false;
                    }
                });
                ui.add_space(8.0);
            }
            ui.add_space(12.0);
            if ui.button("Facilitator: look at a group's records").clicked() {
                intents.write(Intent::Facilitate);
            }
            // Settings come last, so the keyboard reaches the cases first.
            ui.add_space(16.0);
            ui.separator();
            let top = ui.cursor().min;
            let go = std::mem::take(&mut *to_settings);
            settings_ui(ui, &mut edited, &store, &palette, go);
            if go {
                let settings_rect = egui::Rect::from_min_max(top, egui::pos2(top.x + 1.0, ui.min_rect().max.y));
                ui.scroll_to_rect(settings_rect, Some(egui::Align::TOP));
            }
        });
    });
    if edited != *settings {
        *settings = edited;
    }
    Ok(())
}

/// The settings; `focus` puts keyboard focus on the text size in use (the
/// top bar's "Text size and colours" was pressed).
fn settings_ui(ui: &mut egui::Ui, s: &mut Settings, store: &SettingsStore, palette: &Palette, focus: bool) {
    ui.label(egui::RichText::new("Settings").heading());
    ui.label(egui::RichText::new("Text size").strong());
    ui.horizontal_wrapped(|ui| {
        for (scale, label) in TEXT_SCALES {
            let in_use = s.text_scale == scale;
            let radio = ui.radio_value(&mut s.text_scale, scale, label);
            if focus && in_use {
                radio.request_focus();
            }
        }
    });
    ui.label(egui::RichText::new("Colours").strong());
    ui.horizontal_wrapped(|ui| {
        for theme in Theme::ALL {
            ui.radio_value(&mut s.theme, theme, theme.label());
        }
    });
    ui.checkbox(&mut s.reduced_motion, "Reduce motion (no animations)");
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Your name (optional)").strong());
    ui.add(egui::TextEdit::singleline(&mut s.trainee_name).hint_text("for your own CPD record"));
    quiet(ui, palette, "Kept on this computer only. Session records and exports use a pseudonym instead.");
    ui.add_space(6.0);
    ui.checkbox(&mut s.facilitator, "Facilitator mode: stop for group discussion at pause points");
    quiet(ui, palette, "Without it, you are asked for a short written reflection at those points instead.");
    if let Some(p) = &store.problem {
        ui.label(egui::RichText::new(p).color(palette.warn));
    }
    match &store.data {
        Some(d) => quiet(ui, palette, format!("Records and settings are kept in {}", d.root().display())),
        None => {
            ui.label(egui::RichText::new("No data folder: cases will not be saved.").color(palette.warn));
        }
    }
}
