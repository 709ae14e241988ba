//! The briefing: the referral as it arrived, the trainee's role, the content
//! notes, how to play and the statutory timescales card.

use super::theme::{Palette, narrow, quiet, root_ui, scroll_area};
use super::{ActiveCase, Intent, Screen};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The briefing screen.
pub struct BriefingPlugin;

impl Plugin for BriefingPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            EguiPrimaryContextPass,
            briefing_ui.in_set(super::theme::Screens).run_if(in_state(Screen::Briefing)),
        );
    }
}

/// The timescales a trainee works to, from *Working Together to Safeguard Children*.
pub const TIMESCALES: &[(&str, &str)] = &[
    ("Decision on a referral", "within 1 working day"),
    (
        "Strategy discussion",
        "whenever there is reasonable cause to suspect significant harm; the same day if risk is immediate",
    ),
    (
        "Child protection medical",
        "the same day for a fresh injury or any bruise on a baby who is not yet mobile (local protocols)",
    ),
    ("Initial child protection conference", "within 15 working days of the strategy discussion"),
    ("Assessment", "completed within 45 working days of the referral"),
    ("Police protection (s46)", "up to 72 hours, for immediate danger only"),
];

fn briefing_ui(
    mut contexts: EguiContexts,
    case: Option<Res<ActiveCase>>,
    palette: Res<Palette>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let session = &case.session;
    let s = session.scenario();
    let narrow = narrow(ctx);
    let mut root = root_ui(ctx);
    egui::Panel::bottom("briefing_buttons").show(&mut root, |ui| {
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Begin the case").clicked() {
                intents.write(Intent::Begin);
            }
            if ui.button("Back to the list of cases").clicked() {
                intents.write(Intent::Start);
            }
        });
        ui.add_space(6.0);
    });
    let side = |ui: &mut egui::Ui| {
        ui.heading("Content notes");
        for note in &s.meta.content_notes {
            ui.label(format!("•  {note}"));
        }
        ui.add_space(10.0);
        ui.heading("Timescales");
        for (step, when) in TIMESCALES {
            ui.label(egui::RichText::new(*step).strong());
            quiet(ui, &palette, *when);
        }
        if !s.meta.local_protocol.is_empty() {
            ui.add_space(6.0);
            quiet(ui, &palette, &s.meta.local_protocol);
        }
    };
    if !narrow {
        egui::Panel::right("briefing_side").default_size(380.0).show(&mut root, |ui| {
            scroll_area(ui, "briefing_side", side);
        });
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        scroll_area(ui, "briefing", |ui| {
            ui.heading(&s.meta.title);
            ui.add_space(6.0);
            ui.label(egui::RichText::new("Your role").strong());
            ui.label(session.render(&s.briefing.role));
            ui.add_space(8.0);
            ui.label(egui::RichText::new("The referral").strong());
            egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                ui.label(session.render(&s.briefing.referral));
            });
            ui.add_space(8.0);
            ui.label(egui::RichText::new("How to play").strong());
            ui.label(
                "Each choice takes in-game time, shown on the clock. Choose with the mouse or the number keys 1 to 9 (0 for a tenth). \
                 Look at things in a room by clicking them, or with the letter keys A, B, C. What you learn goes into your notebook with where and when you learned it. \
                 Requests to other agencies are answered later, under Agencies in the case file. Offices close at evenings and weekends. \
                 Time only moves when you act. In working hours you can talk the case through with your manager \
                 (the button, or the M key): it takes time, and they answer with a question to think with, not an answer. \
                 At the end, a debrief shows what you followed up, who you checked, and whether you escalated in time.",
            );
            ui.add_space(6.0);
            let mode = match case.mode {
                crate::record::Mode::Assessment => {
                    "You are playing in assessment mode: there is no feedback until the debrief."
                }
                crate::record::Mode::Practice => {
                    "You are playing in practice mode: when a choice settles something the debrief scores, a short feedback card follows it."
                }
            };
            ui.label(egui::RichText::new(mode).strong());
        });
    });
    Ok(())
}
