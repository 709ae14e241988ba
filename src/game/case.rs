//! The case screen: the clock, the scene with who is there, the choices, the
//! notebook, the household with who has been checked, the inbox and the
//! chronology. It only reads the session and sends [`Intent`]s.

use super::{ActiveCase, Intent, Screen, theme};
use crate::scenario::{ActionKind, Role};
use crate::sim::{Entry, Session};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The case screen.
pub struct CasePlugin;

impl Plugin for CasePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, case_ui.run_if(in_state(Screen::Case)));
    }
}

fn case_ui(mut contexts: EguiContexts, case: Option<Res<ActiveCase>>, mut intents: MessageWriter<Intent>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(case) = case else { return Ok(()) };
    let mut wanted = Vec::new();
    let mut root = theme::root_ui(ctx);
    egui::Panel::top("case_clock").show(&mut root, |ui| clock_bar(ui, &case.session, &mut wanted));
    egui::Panel::left("case_household").default_size(300.0).show(&mut root, |ui| {
        egui::ScrollArea::vertical().id_salt("left").show(ui, |ui| {
            household(ui, &case.session);
            ui.add_space(10.0);
            inbox(ui, &case.session);
        });
    });
    egui::Panel::right("case_notebook").default_size(360.0).show(&mut root, |ui| {
        egui::ScrollArea::vertical().id_salt("right").show(ui, |ui| {
            notebook(ui, &case.session);
            ui.add_space(10.0);
            chronology(ui, &case.session);
        });
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().id_salt("centre").show(ui, |ui| scene(ui, &case, &mut wanted));
    });
    intents.write_batch(wanted);
    Ok(())
}

fn clock_bar(ui: &mut egui::Ui, session: &Session, wanted: &mut Vec<Intent>) {
    let cal = &session.scenario().calendar;
    let now = session.now();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(cal.describe(now)).heading().strong());
        ui.label(egui::RichText::new(format!("({})", cal.status(now))).color(theme::QUIET));
        ui.separator();
        ui.label(&session.scenario().meta.title);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if session.is_over() {
                if ui.button("Read the debrief").clicked() {
                    wanted.push(Intent::Debrief);
                }
            } else if ui.button("Leave the case").clicked() {
                wanted.push(Intent::Start);
            }
        });
    });
    ui.add_space(4.0);
}

fn scene(ui: &mut egui::Ui, case: &ActiveCase, wanted: &mut Vec<Intent>) {
    let session = &case.session;
    let s = session.scenario();
    let sc = session.scene();

    // What just happened since the last choice.
    let recent: Vec<String> = session.journal()[case.since.min(session.journal().len())..]
        .iter()
        .filter(|e| !matches!(e, Entry::Arrived { .. }))
        .filter_map(|e| {
            let text = session.describe(e)?;
            let mut line = format!("{}  {text}", Session::entry_time(e).clock());
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
        egui::Frame::group(ui.style()).fill(egui::Color32::from_rgb(240, 244, 250)).inner_margin(10.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new("What just happened").strong());
            if let Some(Entry::Took { at, .. }) = session.journal().get(case.since) {
                let minutes = session.now().minutes_since(*at);
                if minutes > 0 {
                    theme::quiet(ui, format!("That took {}.", crate::clock::describe_minutes(minutes)));
                }
            }
            for line in recent {
                ui.label(line);
            }
        });
        ui.add_space(8.0);
    }
    if let Some(why) = &case.refused {
        ui.label(egui::RichText::new(format!("Not possible: {why}")).color(theme::WARN));
    }

    ui.label(egui::RichText::new(session.render(&sc.title)).heading());
    theme::quiet(ui, session.render(&sc.location));
    if !sc.present.is_empty() {
        let names: Vec<String> = sc.present.iter().map(|p| session.person_label(*p)).collect();
        theme::quiet(ui, format!("Present: {}", names.join(", ")));
    }
    ui.add_space(4.0);
    ui.label(session.render(&sc.text));
    ui.add_space(10.0);

    if let Some(ending) = session.ending() {
        egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
            ui.label(egui::RichText::new(format!("The case has ended: {}", session.render(&ending.title))).strong());
            ui.label(session.render(&ending.text));
            if ui.button("Read the debrief").clicked() {
                wanted.push(Intent::Debrief);
            }
        });
        return;
    }

    let hotspots = session.hotspots();
    if !hotspots.is_empty() {
        ui.label(egui::RichText::new("Look at").strong());
        ui.horizontal_wrapped(|ui| {
            for a in hotspots {
                if ui.button(session.render(&s.action(a).text)).clicked() {
                    wanted.push(Intent::Take(a));
                }
            }
        });
        ui.add_space(8.0);
    }
    ui.label(egui::RichText::new("What do you do?").strong());
    for (n, a) in session.choices().into_iter().enumerate() {
        let def = s.action(a);
        debug_assert_eq!(def.kind, ActionKind::Choice);
        let key = match n {
            0..=8 => format!("{}", n + 1),
            9 => "0".to_string(),
            _ => " ".to_string(),
        };
        let cost = def.cost.after(session.now(), &s.calendar).minutes_since(session.now());
        let label = if cost > 0 {
            format!("{key}   {}   ({})", session.render(&def.text), crate::clock::describe_minutes(cost))
        } else {
            format!("{key}   {}", session.render(&def.text))
        };
        let button = egui::Button::new(label).min_size(egui::vec2(ui.available_width(), 0.0));
        if ui.add(button).clicked() {
            wanted.push(Intent::Take(a));
        }
    }
    if let Some(question) = &sc.discussion {
        ui.add_space(10.0);
        egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
            ui.label(egui::RichText::new("To think about").strong());
            ui.label(session.render(question));
        });
    }
}

fn household(ui: &mut egui::Ui, session: &Session) {
    let s = session.scenario();
    ui.heading("Household");
    for h in session.household() {
        let def = s.person(h.person);
        if def.role == Role::Professional {
            continue;
        }
        let age = def.age.map(|a| format!(", {a}")).unwrap_or_default();
        ui.label(egui::RichText::new(format!("{}{age}", h.name)).strong());
        theme::quiet(ui, session.render(&def.description));
        for (check, done) in &h.checks {
            let title = &s.checks[check.ix()].title;
            match done {
                Some(t) => ui.label(
                    egui::RichText::new(format!("  done: {title} ({})", s.calendar.describe(*t)))
                        .small()
                        .color(theme::GOOD),
                ),
                None => ui.label(egui::RichText::new(format!("  not yet: {title}")).small().color(theme::WARN)),
            };
        }
    }
    ui.add_space(4.0);
    theme::quiet(ui, "Professionals");
    for h in session.household() {
        if s.person(h.person).role == Role::Professional {
            theme::quiet(ui, format!("  {}", session.person_label(h.person)));
        }
    }
}

fn inbox(ui: &mut egui::Ui, session: &Session) {
    let s = session.scenario();
    ui.heading("Inbox");
    let items = session.inbox();
    if items.is_empty() {
        theme::quiet(ui, "No requests sent yet.");
    }
    for item in items.iter().rev() {
        let q = &s.requests[item.request.ix()];
        ui.label(egui::RichText::new(format!("{}: {}", session.render(&q.agency), session.render(&q.asked))).strong());
        match &item.answer {
            Some((at, text)) => {
                theme::quiet(ui, format!("answered {}", s.calendar.describe(*at)));
                ui.label(text);
            }
            None => theme::quiet(
                ui,
                format!("sent {}; answer expected {}", s.calendar.describe(item.sent), s.calendar.describe(item.due)),
            ),
        }
        ui.add_space(4.0);
    }
}

fn notebook(ui: &mut egui::Ui, session: &Session) {
    let cal = &session.scenario().calendar;
    ui.heading("Notebook");
    let notes = session.notebook();
    if notes.is_empty() {
        theme::quiet(ui, "Nothing noted yet.");
    }
    for note in notes.iter().rev() {
        theme::quiet(ui, format!("{} · {}", cal.describe(note.at), note.source));
        ui.label(&note.text);
        ui.add_space(4.0);
    }
}

fn chronology(ui: &mut egui::Ui, session: &Session) {
    let cal = &session.scenario().calendar;
    egui::CollapsingHeader::new(egui::RichText::new("Chronology").heading()).default_open(false).show(ui, |ui| {
        for e in session.journal() {
            if matches!(e, Entry::Learned { .. } | Entry::Arrived { .. }) {
                continue;
            }
            if let Some(text) = session.describe(e) {
                theme::quiet(ui, cal.describe(Session::entry_time(e)));
                ui.label(text);
            }
        }
    });
}
