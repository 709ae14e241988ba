//! The author's view, a tab beside the case: the last save, the state
//! behind the moment, the endings still reachable, the rubric live, coverage
//! and "play from here". It only draws and asks (with [`AuthorIntent`]s).

use super::{AuthorIntent, Authoring, CoverageRun, EndingsWalk, LastSave, ProblemLine};
use crate::author::{Inspection, StartIds};
use crate::game::ActiveCase;
use crate::game::theme::{Palette, quiet};
use crate::scenario::Scenario;
use bevy_egui::egui;

/// The most problems listed in the window; the rest are counted.
const PROBLEMS_SHOWN: usize = 20;

/// The "play from here" form's choices (kept between frames).
#[derive(Default)]
pub struct PlayFromForm {
    scene: Option<String>,
    facts: Vec<String>,
    flags: Vec<String>,
}

/// Draws the author's view: the last save, the state behind the moment, the
/// endings still reachable, and "play from here".
#[expect(clippy::too_many_arguments, reason = "the view's parts, each from its own resource")]
pub fn author_view(
    ui: &mut egui::Ui,
    authoring: &Authoring,
    walk: &EndingsWalk,
    coverage: &CoverageRun,
    case: &ActiveCase,
    p: &Palette,
    form: &mut PlayFromForm,
    wanted: &mut Vec<AuthorIntent>,
) {
    let file = authoring.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    ui.label(egui::RichText::new(format!("Writing {file}")).strong());
    match &authoring.watch_problem {
        Some(e) => {
            ui.label(egui::RichText::new(format!("Saves are not followed: {e}")).color(p.warn));
        }
        None => quiet(ui, p, "Save the file and the case follows, at the same moment."),
    }
    save_note(ui, authoring, p);
    if !authoring.warnings.is_empty() {
        egui::CollapsingHeader::new(format!("{} warning(s) in this version", authoring.warnings.len()))
            .id_salt("author_warnings")
            .show(ui, |ui| problem_list(ui, &authoring.warnings, p));
    }
    ui.separator();
    let fresh;
    let seen = match &walk.seen {
        Some(seen) => seen,
        None => {
            fresh = Inspection::of(&case.session);
            &fresh
        }
    };
    state_view(ui, seen, p);
    ui.separator();
    endings_view(ui, walk, p);
    ui.separator();
    rubric_view(ui, seen, &case.session.scenario().calendar, p);
    ui.separator();
    coverage_view(ui, coverage, authoring.version, p, wanted);
    ui.separator();
    play_from_here(ui, case.session.scenario(), form, wanted);
}

fn save_note(ui: &mut egui::Ui, authoring: &Authoring, p: &Palette) {
    match &authoring.last {
        LastSave::None => quiet(ui, p, format!("Version 1 running; {} save(s) seen.", authoring.saves)),
        LastSave::Replayed { actions, stopped: None, took_ms } => {
            ui.label(
                egui::RichText::new(format!(
                    "Save {} played again: the same moment, {actions} action(s), in {took_ms:.0} ms.",
                    authoring.saves
                ))
                .color(p.good),
            );
        }
        LastSave::Replayed { stopped: Some(s), took_ms, .. } => {
            ui.label(egui::RichText::new(format!("Save {} played again in {took_ms:.0} ms, but", authoring.saves)));
            ui.label(egui::RichText::new(s.to_string()).color(p.warn));
        }
        LastSave::Broken { problems } => {
            let errors = problems.iter().filter(|x| x.error).count();
            ui.label(
                egui::RichText::new(format!(
                    "Save {} has {errors} error(s): still playing version {}.",
                    authoring.saves, authoring.version
                ))
                .strong()
                .color(p.warn),
            );
            problem_list(ui, problems, p);
        }
    }
}

fn problem_list(ui: &mut egui::Ui, problems: &[ProblemLine], p: &Palette) {
    for x in problems.iter().take(PROBLEMS_SHOWN) {
        ui.label(egui::RichText::new(&x.place).monospace().small());
        if x.error {
            ui.label(egui::RichText::new(&x.message).color(p.warn));
        } else {
            ui.label(&x.message);
        }
        if let Some(h) = &x.hint {
            quiet(ui, p, format!("hint: {h}"));
        }
        ui.add_space(4.0);
    }
    if problems.len() > PROBLEMS_SHOWN {
        quiet(ui, p, format!("and {} more (run `second-look validate` for all)", problems.len() - PROBLEMS_SHOWN));
    }
}

fn state_view(ui: &mut egui::Ui, seen: &Inspection, p: &Palette) {
    ui.label(egui::RichText::new(format!("Scene `{}`", seen.scene)).strong());
    quiet(ui, p, format!("{}; score if it ended now {:.0} (before harm)", seen.now, seen.score_now));
    let flags = if seen.flags.is_empty() { "none".to_string() } else { seen.flags.join(", ") };
    ui.label(format!("Flags set: {flags}"));
    if !seen.counters.is_empty() {
        let counters: Vec<String> = seen.counters.iter().map(|(c, v)| format!("{c} = {v}")).collect();
        ui.label(format!("Counters: {}", counters.join(", ")));
    }
    egui::CollapsingHeader::new(format!("Facts known ({})", seen.facts.len())).id_salt("author_facts").show(ui, |ui| {
        for (id, text) in &seen.facts {
            ui.label(egui::RichText::new(id).monospace().small());
            quiet(ui, p, text);
        }
    });
}

fn rubric_view(ui: &mut egui::Ui, seen: &Inspection, calendar: &crate::clock::Calendar, p: &Palette) {
    egui::CollapsingHeader::new(egui::RichText::new("Rubric, live").strong())
        .id_salt("author_rubric")
        .default_open(true)
        .show(ui, |ui| {
            let mut criterion = "";
            for item in &seen.items {
                if item.criterion != criterion {
                    criterion = item.criterion;
                    ui.label(egui::RichText::new(criterion).strong());
                }
                let due = item.due.map(|d| format!(", due {}", calendar.describe(d))).unwrap_or_default();
                let line = egui::RichText::new(format!("`{}`: {}{due}", item.id, item.status));
                ui.label(match item.status {
                    "open" => line.color(p.warn),
                    "not arisen yet" => line.color(p.quiet),
                    _ => line,
                })
                .on_hover_text(&item.title);
            }
        });
}

fn endings_view(ui: &mut egui::Ui, walk: &EndingsWalk, p: &Palette) {
    ui.label(egui::RichText::new("Endings from here").strong());
    let Some(found) = &walk.found else {
        quiet(ui, p, "Walking the paths from here...");
        return;
    };
    for ((id, reach), other) in found.endings.iter().zip(&found.other_version) {
        match reach {
            None if *other => {
                ui.label(egui::RichText::new(format!("other version only: `{id}`")).color(p.quiet));
            }
            Some(r) => {
                ui.label(format!(
                    "reachable: `{id}` (scores {:.0} to {:.0}, in {} action(s))",
                    r.scores.0,
                    r.scores.1,
                    r.path.len()
                ));
            }
            None if found.complete => {
                ui.label(egui::RichText::new(format!("not reachable: `{id}`")).color(p.quiet));
            }
            None => {
                ui.label(egui::RichText::new(format!("not found: `{id}`")).color(p.quiet));
            }
        }
    }
    if found.complete {
        quiet(ui, p, format!("Every path from here walked ({} states).", found.states));
    } else {
        quiet(ui, p, format!("{} states walked, not every path: \"not found\" may still be reachable.", found.states));
    }
}

fn coverage_view(ui: &mut egui::Ui, run: &CoverageRun, version: u64, p: &Palette, wanted: &mut Vec<AuthorIntent>) {
    ui.label(egui::RichText::new("Coverage").strong());
    ui.horizontal_wrapped(|ui| {
        let busy = run.running.is_some();
        if ui.add_enabled(!busy, egui::Button::new("Check coverage")).clicked() {
            wanted.push(AuthorIntent::CheckCoverage);
        }
        let mut every = run.every_save;
        if ui.checkbox(&mut every, "after every save").changed() {
            wanted.push(AuthorIntent::CoverageOnSave(every));
        }
    });
    if run.running.is_some() {
        quiet(ui, p, "Exploring every path (a few seconds)...");
    }
    let Some((for_version, answer)) = &run.result else {
        quiet(ui, p, "What the case reaches, and what neither built-in path touches.");
        return;
    };
    let c = &answer.coverage;
    let paths = if answer.paths.is_empty() { "no built-in path found".to_string() } else { answer.paths.join(" and ") };
    let older = if *for_version == version { "" } else { " (an older version)" };
    quiet(ui, p, format!("Version {for_version}{older}: {paths}; {:.1} s", answer.seconds));
    match c.range {
        Some((lo, hi, exact)) => {
            ui.label(format!("Scores {lo:.0} to {hi:.0}{}", if exact { " (exact)" } else { " (found, not proven)" }));
        }
        None => {
            ui.label("Scores: no ending found");
        }
    }
    let not_reached = if answer.bound_hit { "not reached by the search" } else { "never reached" };
    let kinds = [
        ("Choices", &c.choices),
        ("Hotspots", &c.hotspots),
        ("Endings", &c.endings),
        ("Facts", &c.facts),
        ("Rubric earned", &c.rubric),
    ];
    for (name, t) in kinds {
        ui.label(format!("{name}: {} in all, {} on a built-in path", t.total, t.on_paths));
        if !t.unreachable.is_empty() {
            ui.label(egui::RichText::new(format!("  {not_reached}: {}", few(&t.unreachable))).small().color(p.warn));
        }
        if !t.off_paths.is_empty() {
            ui.label(egui::RichText::new(format!("  on neither path: {}", few(&t.off_paths))).small().color(p.quiet));
        }
    }
    quiet(
        ui,
        p,
        format!(
            "About {:.0} minutes to read the exemplary path, {:.0} to play it.",
            c.reading_minutes, c.playing_minutes
        ),
    );
}

/// Up to twelve ids, and how many more.
fn few(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(12).map(String::as_str).collect();
    match ids.len().saturating_sub(12) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn play_from_here(ui: &mut egui::Ui, s: &Scenario, form: &mut PlayFromForm, wanted: &mut Vec<AuthorIntent>) {
    egui::CollapsingHeader::new(egui::RichText::new("Play from here").strong()).id_salt("author_play_from").show(
        ui,
        |ui| {
            let chosen = form.scene.clone().unwrap_or_else(|| s.scene(s.start).id.clone());
            egui::ComboBox::from_id_salt("author_scene")
                .selected_text(&chosen)
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    for scene in &s.scenes {
                        let label = format!("{}: {}", scene.id, scene.title);
                        if ui.selectable_label(chosen == scene.id, label).clicked() {
                            form.scene = Some(scene.id.clone());
                        }
                    }
                });
            egui::CollapsingHeader::new(format!("Facts known ({} chosen)", form.facts.len()))
                .id_salt("author_pick_facts")
                .show(ui, |ui| {
                    for f in &s.facts {
                        toggle(ui, &mut form.facts, &f.id);
                    }
                });
            if !s.flags.is_empty() {
                egui::CollapsingHeader::new(format!("Flags set ({} chosen)", form.flags.len()))
                    .id_salt("author_pick_flags")
                    .show(ui, |ui| {
                        for f in &s.flags {
                            toggle(ui, &mut form.flags, f);
                        }
                    });
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button("Open this scene").clicked() {
                    wanted.push(AuthorIntent::PlayFrom(StartIds {
                        scene: chosen.clone(),
                        facts: form.facts.clone(),
                        flags: form.flags.clone(),
                    }));
                }
                if ui.button("Start again").clicked() {
                    wanted.push(AuthorIntent::Restart);
                }
            });
        },
    );
}

fn toggle(ui: &mut egui::Ui, chosen: &mut Vec<String>, id: &str) {
    let mut on = chosen.iter().any(|c| c == id);
    if ui.checkbox(&mut on, egui::RichText::new(id).monospace().small()).changed() {
        chosen.retain(|c| c != id);
        if on {
            chosen.push(id.to_string());
        }
    }
}
