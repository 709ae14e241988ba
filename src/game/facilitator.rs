//! The facilitator's view: a group's session records, read from a folder,
//! shown as the cohort summary with charts (how each criterion went, what was
//! most often missed, time to escalate) and how the group chose at each
//! decision point. Pseudonymous throughout; a group smaller than five is shown
//! without per-choice counts.

use super::background::{Background, Wake, waker};
use super::theme::{Palette, quiet, root_ui, scroll_area};
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
            .init_resource::<FromLrs>()
            .add_systems(OnEnter(Screen::Facilitator), load_on_enter)
            .add_systems(
                EguiPrimaryContextPass,
                facilitator_ui.in_set(super::theme::Screens).run_if(in_state(Screen::Facilitator)),
            );
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

/// A group being read from the LRS on a background thread: the window stays
/// responsive, and is woken when the group is in.
#[derive(Resource, Default)]
pub struct FromLrs {
    waiting: Background<Result<Cohort, String>>,
}

/// Starts reading every Second Look session in the LRS, if one is set.
fn read_from_lrs(storage: &Storage, catalogue: &Catalogue, from_lrs: &FromLrs, wake: Wake) -> Result<(), String> {
    let data = storage.data.as_ref().ok_or("there is no data folder to find the LRS settings in")?;
    let config = crate::lrs::LrsConfig::required(data.root())?;
    let scenarios = scenarios(catalogue);
    let started = from_lrs.waiting.start("lrs-reader", wake, move || {
        Some(
            crate::lrs::fetch(&config, &crate::lrs::Query::default())
                .map(|statements| Cohort::of_statements(&statements, &scenarios, None)),
        )
    });
    if started { Ok(()) } else { Err("cannot start a thread to read from the LRS".into()) }
}

/// Which part of the group's records is on screen.
#[derive(Default)]
struct View {
    /// Showing how the group chose (rather than how it scored).
    choices: bool,
    /// The decision point shown, by scene id.
    point: Option<String>,
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

#[expect(clippy::too_many_arguments, reason = "the screen reads a folder or the LRS")]
fn facilitator_ui(
    mut contexts: EguiContexts,
    storage: Res<Storage>,
    from_lrs: Res<FromLrs>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
    catalogue: Res<Catalogue>,
    palette: Res<Palette>,
    mut loaded: ResMut<Loaded>,
    mut intents: MessageWriter<Intent>,
    mut typed: Local<Option<String>>,
    mut view: Local<View>,
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
            if ui.button("Read the group from the LRS").clicked() {
                loaded.message = Some(match read_from_lrs(&storage, &catalogue, &from_lrs, waker(proxy)) {
                    Ok(()) => "Reading the group's statements from the LRS…".into(),
                    Err(e) => format!("Cannot read from the LRS: {e}"),
                });
            }
        });
        if let Some(m) = &loaded.message {
            quiet(ui, p, m);
        }
        quiet(ui, p, "Pseudonymous: no names. Scores are recomputed from each record's actions.");
        ui.add_space(4.0);
    });
    match from_lrs.waiting.poll() {
        Some(Ok(c)) => {
            loaded.message = Some(format!(
                "{} finished sessions rebuilt from the LRS, replayed and scored here; {} left out.",
                c.scenarios.values().map(|s| s.rows.len()).sum::<usize>(),
                c.skipped.len()
            ));
            loaded.cohort = Some(c);
        }
        Some(Err(e)) => loaded.message = Some(format!("Cannot read from the LRS: {e}")),
        None => {}
    }
    if load_now && !typed.trim().is_empty() {
        load(PathBuf::from(typed.trim()), &catalogue, &mut loaded);
    }
    if write_now && let (Some(dir), Some(cohort)) = (loaded.dir.clone(), loaded.cohort.as_ref()) {
        let message = write(&dir, cohort);
        loaded.message = Some(message);
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        scroll_area(ui, "facilitator", |ui| {
            let Some(cohort) = &loaded.cohort else {
                ui.label("Type the folder that holds the group's records (the .jsonl files), and press Read.");
                return;
            };
            if cohort.scenarios.is_empty() {
                ui.label("No finished sessions in this folder.");
            }
            ui.horizontal(|ui| {
                ui.selectable_value(&mut view.choices, false, "How the group scored");
                ui.selectable_value(&mut view.choices, true, "How the group chose");
            });
            ui.separator();
            for c in cohort.scenarios.values() {
                if view.choices {
                    choices_view(ui, c, &mut view.point, p);
                } else {
                    scenario_view(ui, c, p);
                }
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
            (format!("cohort-{id}-sessions-tutor-only.csv"), c.csv().unwrap_or_default()),
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
            // Of the sessions where the item arose: a case protected early never
            // reaches a later injury, so that item does not count against it.
            ui.label(format!("{:.0}%  {}  ({missed} of {applied} sessions where it arose)", share * 100.0, col.title));
        });
        quiet(ui, p, format!("Learning point: {}", col.learning_point));
    }
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Time to escalate against the deadline").strong());
    for t in c.escalation_times() {
        ui.label(escalation_line(&t));
    }
}

/// One escalation item for the room, in words that cannot be misread: how
/// many escalated on time where the threshold was reached, then how long
/// those who escalated took (a median of nobody is not "never").
pub fn escalation_line(t: &crate::cohort::EscalationTimes) -> String {
    let deadline = t.window.map_or(String::new(), |w| format!(" (deadline {})", crate::clock::describe_minutes(w)));
    if t.arose == 0 {
        return format!("{}: the threshold was not reached in any session", t.title);
    }
    let taken = match t.median {
        Some(m) => format!("those who escalated took {} (median)", crate::clock::describe_minutes(m.round() as u32)),
        None => "nobody escalated after the threshold".to_string(),
    };
    format!(
        "{}: on time in {} of {} sessions where the threshold was reached{deadline}; {taken}",
        t.title, t.on_time, t.arose
    )
}

/// How the group chose at one decision point at a time, large enough to show
/// the room: for each choice, how many took it (a bar) and when (a dot per
/// session along the days of the case, the median marked).
fn choices_view(ui: &mut egui::Ui, c: &ScenarioCohort, point: &mut Option<String>, p: &Palette) {
    let s = &c.scenario;
    ui.label(egui::RichText::new(format!("{}: {} sessions", s.meta.title, c.rows.len())).heading());
    let shown = c.counts_shown();
    if !shown {
        ui.label(
            egui::RichText::new(format!(
                "Fewer than {MIN_GROUP} sessions: counts are not shown, so that nobody can be picked out. The choices at each point are listed."
            ))
            .color(p.warn),
        );
    }
    let points: Vec<_> = c.decisions().into_iter().filter(|d| d.reached > 0).collect();
    if points.is_empty() {
        ui.label("Nobody in this group reached a decision point.");
        return;
    }
    let at = point.as_ref().and_then(|id| points.iter().position(|d| d.scene == *id)).unwrap_or(0);
    let mut go = None;
    ui.horizontal_wrapped(|ui| {
        if ui.add_enabled(at > 0, egui::Button::new("◀ Previous point")).clicked() {
            go = Some(at - 1);
        }
        ui.label(format!("Decision point {} of {}", at + 1, points.len()));
        if ui.add_enabled(at + 1 < points.len(), egui::Button::new("Next point ▶")).clicked() {
            go = Some(at + 1);
        }
        egui::ComboBox::from_id_salt(("point", &s.meta.id)).selected_text(&points[at].title).width(360.0).show_ui(
            ui,
            |ui| {
                for (i, d) in points.iter().enumerate() {
                    if ui.selectable_label(i == at, &d.title).clicked() {
                        go = Some(i);
                    }
                }
            },
        );
    });
    if let Some(i) = go {
        *point = Some(points[i].scene.clone());
    }
    let d = &points[at];
    ui.add_space(6.0);
    ui.label(egui::RichText::new(&d.title).size(24.0).strong());
    if shown {
        quiet(
            ui,
            p,
            format!(
                "{} of {} sessions reached this point. Each dot is one session's first time.",
                d.reached,
                c.rows.len()
            ),
        );
    }
    ui.add_space(6.0);
    // The time axis: from the start of the case to the latest choice here.
    let start = s.calendar.start();
    let end = d.choices.iter().flat_map(|ch| ch.times.last()).max().copied().unwrap_or(start).max(start);
    let span = end.minutes_since(start).max(60) as f32;
    let label_width = (ui.available_width() * 0.38).max(220.0);
    for ch in &d.choices {
        ui.horizontal(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(label_width, 20.0),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_width(label_width);
                    ui.add(egui::Label::new(egui::RichText::new(&ch.text).size(18.0)).wrap());
                },
            );
            if !shown {
                return;
            }
            let share = ch.sessions as f32 / d.reached.max(1) as f32;
            bar(ui, share, 160.0, p);
            ui.label(format!("{} ({:.0}%)", ch.sessions, share * 100.0));
        });
        if shown && !ch.times.is_empty() {
            let width = ui.available_width();
            let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 22.0), egui::Sense::hover());
            let painter = ui.painter();
            let left = rect.min.x + label_width;
            let right = rect.max.x - 12.0;
            let x = |t: crate::clock::InGameTime| left + (t.minutes_since(start) as f32 / span) * (right - left);
            painter.line_segment(
                [egui::pos2(left, rect.center().y), egui::pos2(right, rect.center().y)],
                egui::Stroke::new(1.0, p.quiet),
            );
            for t in &ch.times {
                painter.circle_filled(egui::pos2(x(*t), rect.center().y), 4.0, ui.visuals().selection.stroke.color);
            }
            if let Some(m) = ch.median_at {
                let mx = x(m);
                painter.line_segment(
                    [egui::pos2(mx, rect.min.y), egui::pos2(mx, rect.max.y)],
                    egui::Stroke::new(2.0, ui.visuals().text_color()),
                );
            }
            let when = ch.median_at.map(|m| s.calendar.describe(m)).unwrap_or_default();
            response.on_hover_text(format!("Half had taken it by {when}"));
            quiet(ui, p, format!("Half had taken it by {when} (the line)."));
        }
        ui.add_space(4.0);
    }
    // The days under the strips.
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 18.0), egui::Sense::hover());
    let (left, right) = (rect.min.x + label_width, rect.max.x - 12.0);
    let font = egui::TextStyle::Small.resolve(ui.style());
    let mut last_label = f32::MIN;
    for day in start.day()..=end.day() {
        let t = crate::clock::InGameTime((day - 1) * crate::clock::MINUTES_PER_DAY).max(start);
        let x = left + (t.minutes_since(start) as f32 / span) * (right - left);
        if x - last_label < 48.0 {
            continue;
        }
        last_label = x;
        ui.painter().text(
            egui::pos2(x, rect.min.y),
            egui::Align2::LEFT_TOP,
            format!("Day {day}"),
            font.clone(),
            p.quiet,
        );
    }
    ui.add_space(4.0);
    quiet(
        ui,
        p,
        format!("Time runs from {} (left) to {} (right).", s.calendar.describe(start), s.calendar.describe(end)),
    );
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
        // The scale under the chart, at its ends.
        let font = egui::TextStyle::Small.resolve(ui.style());
        let colour = p.quiet;
        painter.text(rect.left_bottom() + egui::vec2(0.0, 2.0), egui::Align2::LEFT_TOP, "0", font.clone(), colour);
        painter.text(rect.right_bottom() + egui::vec2(0.0, 2.0), egui::Align2::RIGHT_TOP, "100", font, colour);
        ui.add_space(14.0);
        match ScenarioCohort::quartiles(values.to_vec()) {
            Some(q) => quiet(ui, p, format!("median {:.0} (middle half {:.0}–{:.0})", q[2], q[1], q[3])),
            None => quiet(ui, p, "did not arise"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::escalation_line;
    use crate::cohort::EscalationTimes;

    #[test]
    fn escalation_times_say_who_escalated_and_never_call_nobody_never() {
        let t = |median, on_time, arose| EscalationTimes {
            title: "Strategy discussion".into(),
            window: Some(24 * 60),
            median,
            on_time,
            arose,
        };
        let none = escalation_line(&t(None, 0, 6));
        assert!(none.contains("on time in 0 of 6") && none.contains("nobody escalated"), "{none}");
        assert!(!none.contains("median"), "no median of nobody: {none}");
        let some = escalation_line(&t(Some(90.0), 4, 6));
        assert!(some.contains("4 of 6") && some.contains("1 hour 30 minutes (median)"), "{some}");
        assert!(some.contains("deadline 1 day") || some.contains("deadline 24 hours"), "{some}");
        let unreached = escalation_line(&t(None, 0, 0));
        assert!(unreached.contains("not reached in any session"), "{unreached}");
    }
}
