//! The facilitator's view: a group's session records, read from a folder,
//! shown as the cohort summary with charts (how each criterion went, what was
//! most often missed, time to escalate) and how the group chose at each
//! decision point. Pseudonymous throughout; a group smaller than five is shown
//! without per-choice counts.

use super::theme::{Palette, quiet, root_ui};
use super::{Catalogue, Intent, Screen, Storage};
use crate::cohort::{Cohort, MIN_GROUP, ScenarioCohort};
use crate::scoring::Criterion;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::path::PathBuf;
use std::sync::Arc;

/// The facilitator screen.
pub struct FacilitatorPlugin;

impl Plugin for FacilitatorPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Folder>()
            .init_resource::<Loaded>()
            .add_systems(OnEnter(Screen::Facilitator), load_on_enter)
            .add_systems(EguiPrimaryContextPass, facilitator_ui.run_if(in_state(Screen::Facilitator)));
    }
}

/// The folder to read (from `--cohort`, or typed in).
#[derive(Resource, Clone, Debug, Default)]
pub struct Folder(pub Option<PathBuf>);

/// What was read.
#[derive(Resource, Default)]
pub struct Loaded {
    /// The folder read.
    pub dir: Option<PathBuf>,
    /// The analysis.
    pub cohort: Option<Cohort>,
    /// What went wrong or was written.
    pub message: Option<String>,
}

fn scenarios(catalogue: &Catalogue) -> Vec<Arc<crate::scenario::Scenario>> {
    catalogue.entries.iter().filter_map(|e| e.scenario.clone()).collect()
}

fn load(dir: PathBuf, catalogue: &Catalogue, loaded: &mut Loaded) {
    match Cohort::read(&dir, &scenarios(catalogue)) {
        Ok(c) => {
            loaded.message = Some(format!(
                "{} finished sessions read from {}; {} record(s) left out.",
                c.scenarios.values().map(|s| s.rows.len()).sum::<usize>(),
                dir.display(),
                c.skipped.len()
            ));
            loaded.cohort = Some(c);
        }
        Err(e) => {
            loaded.cohort = None;
            loaded.message = Some(format!("Cannot read {}: {e}", dir.display()));
        }
    }
    loaded.dir = Some(dir);
}

fn load_on_enter(folder: Res<Folder>, storage: Res<Storage>, catalogue: Res<Catalogue>, mut loaded: ResMut<Loaded>) {
    let dir = folder.0.clone().or_else(|| storage.data.as_ref().and_then(|d| d.records().ok()));
    if let Some(dir) = dir
        && loaded.dir.as_ref() != Some(&dir)
    {
        load(dir, &catalogue, &mut loaded);
    }
}

fn facilitator_ui(
    mut contexts: EguiContexts,
    catalogue: Res<Catalogue>,
    palette: Res<Palette>,
    mut loaded: ResMut<Loaded>,
    mut intents: MessageWriter<Intent>,
    mut typed: Local<Option<String>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let p = &*palette;
    let mut root = root_ui(ctx);
    let typed = typed.get_or_insert_with(|| loaded.dir.as_ref().map(|d| d.display().to_string()).unwrap_or_default());
    let mut load_now = false;
    let mut write_now = false;
    egui::Panel::top("facilitator_title").show(&mut root, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading("A group's records");
            if ui.button("Back to the list of cases").clicked() {
                intents.write(Intent::Start);
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Folder of session records:");
            ui.add(egui::TextEdit::singleline(typed).desired_width(420.0));
            load_now = ui.button("Read").clicked();
            write_now = loaded.cohort.is_some() && ui.button("Write CSV, summary and choice pages there").clicked();
        });
        if let Some(m) = &loaded.message {
            quiet(ui, p, m);
        }
        quiet(ui, p, "Pseudonymous: no names. Scores are recomputed from each record's actions.");
        ui.add_space(4.0);
    });
    if load_now && !typed.trim().is_empty() {
        load(PathBuf::from(typed.trim()), &catalogue, &mut loaded);
    }
    if write_now && let (Some(dir), Some(cohort)) = (loaded.dir.clone(), loaded.cohort.as_ref()) {
        let message = write(&dir, cohort);
        loaded.message = Some(message);
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            let Some(cohort) = &loaded.cohort else {
                ui.label("Type the folder that holds the group's records (the .jsonl files), and press Read.");
                return;
            };
            if cohort.scenarios.is_empty() {
                ui.label("No finished sessions in this folder.");
            }
            for c in cohort.scenarios.values() {
                scenario_view(ui, c, p);
                ui.add_space(16.0);
            }
        });
    });
    Ok(())
}

fn write(dir: &std::path::Path, cohort: &Cohort) -> String {
    let mut written = Vec::new();
    for (id, c) in &cohort.scenarios {
        let files = [
            (format!("cohort-{id}.csv"), c.csv().unwrap_or_default()),
            (format!("cohort-{id}-choices.csv"), c.decisions_csv().unwrap_or_default()),
            (format!("cohort-{id}-choices.html"), c.decisions_html()),
            (format!("cohort-{id}-summary.md"), c.summary()),
        ];
        for (name, text) in files {
            match crate::storage::write_atomically(&dir.join(&name), text.as_bytes()) {
                Ok(()) => written.push(name),
                Err(e) => return format!("Could not write {name}: {e}"),
            }
        }
    }
    format!("Wrote {} in {}", written.join(", "), dir.display())
}

fn scenario_view(ui: &mut egui::Ui, c: &ScenarioCohort, p: &Palette) {
    let s = &c.scenario;
    ui.label(egui::RichText::new(format!("{}: {} sessions", s.meta.title, c.rows.len())).heading());
    // How each criterion went: a histogram of scores, tenths of the range.
    ui.label(egui::RichText::new("How the group scored").strong());
    ui.horizontal_wrapped(|ui| {
        let overall: Vec<f64> = c.rows.iter().map(|r| r.overall).collect();
        histogram(ui, "Overall", &overall, p);
        for (i, crit) in Criterion::ALL.iter().enumerate() {
            histogram(ui, crit.title(), &c.criterion_scores(i), p);
        }
    });
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Most often missed").strong());
    for (col, missed, applied) in c.most_missed().into_iter().take(6) {
        let share = missed as f32 / applied.max(1) as f32;
        ui.horizontal(|ui| {
            bar(ui, share, 160.0, p);
            ui.label(format!("{:.0}%  {}", share * 100.0, col.title));
        });
        quiet(ui, p, format!("Learning point: {}", col.learning_point));
    }
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Time to escalate against the deadline").strong());
    for t in c.escalation_times() {
        let median = t.median.map_or("never escalated".into(), |m| crate::clock::describe_minutes(m.round() as u32));
        let deadline = t.window.map_or("—".into(), crate::clock::describe_minutes);
        ui.label(format!("{}: median {median} against {deadline}; on time in {} of {}", t.title, t.on_time, t.arose));
    }
    ui.add_space(6.0);
    ui.label(egui::RichText::new("How the group chose").strong());
    if !c.counts_shown() {
        ui.label(
            egui::RichText::new(format!(
                "Fewer than {MIN_GROUP} sessions: counts are not shown, so that nobody can be picked out."
            ))
            .color(p.warn),
        );
    }
    for d in c.decisions() {
        if d.reached == 0 {
            continue;
        }
        egui::CollapsingHeader::new(format!(
            "{}  ({} reached it)",
            d.title.replace(['{', '}'], ""),
            if c.counts_shown() { d.reached.to_string() } else { "—".into() }
        ))
        .id_salt(("decision", &s.meta.id, &d.scene))
        .show(ui, |ui| {
            for choice in &d.choices {
                let text = choice.text.replace(['{', '}'], "");
                if c.counts_shown() {
                    let share = choice.sessions as f32 / d.reached.max(1) as f32;
                    ui.horizontal(|ui| {
                        bar(ui, share, 200.0, p);
                        let when = choice
                            .median_at
                            .map(|t| format!(", usually by {}", s.calendar.describe(t)))
                            .unwrap_or_default();
                        ui.label(format!("{} ({:.0}%){when}  {text}", choice.sessions, share * 100.0));
                    });
                } else {
                    ui.label(format!("•  {text}"));
                }
            }
        });
    }
}

fn bar(ui: &mut egui::Ui, share: f32, width: f32, p: &Palette) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 14.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_stroke(rect, 0.0, egui::Stroke::new(1.0, p.quiet), egui::StrokeKind::Inside);
    let filled = egui::Rect::from_min_size(rect.min, egui::vec2(width * share.clamp(0.0, 1.0), rect.height()));
    painter.rect_filled(filled, 0.0, ui.visuals().selection.stroke.color);
}

fn histogram(ui: &mut egui::Ui, title: &str, values: &[f64], p: &Palette) {
    ui.vertical(|ui| {
        ui.label(egui::RichText::new(title).small());
        let bins = ScenarioCohort::histogram(values);
        let most = bins.iter().copied().max().unwrap_or(0).max(1) as f32;
        let (rect, _) = ui.allocate_exact_size(egui::vec2(200.0, 80.0), egui::Sense::hover());
        let painter = ui.painter();
        painter.rect_stroke(rect, 0.0, egui::Stroke::new(1.0, p.quiet), egui::StrokeKind::Inside);
        let w = rect.width() / 10.0;
        for (i, n) in bins.iter().enumerate() {
            let h = (rect.height() - 4.0) * (*n as f32 / most);
            let r = egui::Rect::from_min_max(
                egui::pos2(rect.min.x + i as f32 * w + 1.0, rect.max.y - h),
                egui::pos2(rect.min.x + (i + 1) as f32 * w - 1.0, rect.max.y),
            );
            painter.rect_filled(r, 0.0, ui.visuals().selection.stroke.color);
        }
        match ScenarioCohort::quartiles(values.to_vec()) {
            Some(q) => quiet(ui, p, format!("median {:.0} (middle half {:.0}–{:.0})", q[2], q[1], q[3])),
            None => quiet(ui, p, "did not arise"),
        }
        quiet(ui, p, "0                        100");
    });
}
