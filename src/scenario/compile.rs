//! From a parsed file to a [`Scenario`]: resolving ids and checking everything.
//!
//! Compilation never stops at the first problem: each is recorded with its
//! path (turned into a line and column through the [`SpanIndex`]) and the
//! work carries on, so an author sees every problem in one run.

use super::diagnostic::{Diagnostic, Severity};
use super::load::suggest;
use super::model::{self, Condition, Effect, EventTime, Name, ScenarioFile};
use super::spans::{Path, SpanIndex};
use super::*;
use crate::clock::{InGameTime, TimeSpan};
use std::collections::{BTreeSet, HashMap};

/// Compiles a parsed file. `Ok` carries the warnings; `Err` every problem, errors first.
pub fn compile(
    file: &ScenarioFile,
    name: &str,
    text: &str,
    index: &SpanIndex,
) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut c = Compiler::new(Ctx { name, text, index, out: Vec::new() });
    let scenario = c.scenario(file);
    let mut out = c.ctx.out;
    if let Some(s) = &scenario {
        let mut ctx = Ctx { name, text, index, out: Vec::new() };
        analyse(s, file, &mut ctx);
        out.extend(ctx.out);
    }
    out.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.line, d.column));
    match scenario {
        Some(s) if !out.iter().any(Diagnostic::is_error) => Ok((s, out)),
        _ => Err(out),
    }
}

/// Where diagnostics go.
struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a SpanIndex,
    out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn report(&mut self, severity: Severity, code: &'static str, path: &Path, message: String, hint: Option<String>) {
        let span = self.index.find(path);
        let mut d = Diagnostic::error(code, self.name, self.text, span, format!("{message} (at `{path}`)"));
        d.severity = severity;
        d.hint = hint;
        self.out.push(d);
    }

    fn error(&mut self, code: &'static str, path: &Path, message: String, hint: impl Into<Option<String>>) {
        self.report(Severity::Error, code, path, message, hint.into());
    }

    fn warn(&mut self, code: &'static str, path: &Path, message: String, hint: impl Into<Option<String>>) {
        self.report(Severity::Warning, code, path, message, hint.into());
    }
}

/// One namespace of ids.
#[derive(Default)]
struct Ids {
    kind: &'static str,
    map: HashMap<String, u16>,
    names: Vec<String>,
}

impl Ids {
    fn new(kind: &'static str) -> Self {
        Ids { kind, ..Ids::default() }
    }

    fn declare(&mut self, ctx: &mut Ctx, id: &str, path: &Path) {
        if id.trim().is_empty() {
            ctx.error(
                "E101",
                path,
                format!("a {} has an empty id", self.kind),
                "give it a short id such as `mother`".to_string(),
            );
        }
        if self.map.contains_key(id) {
            ctx.error(
                "E101",
                path,
                format!("duplicate {} id `{id}`", self.kind),
                "ids must be unique: rename one of them".to_string(),
            );
        } else if self.names.len() >= u16::MAX as usize {
            ctx.error("E101", path, format!("too many {}s", self.kind), None);
        } else {
            self.map.insert(id.to_string(), self.names.len() as u16);
        }
        self.names.push(id.to_string());
    }

    fn resolve(&self, ctx: &mut Ctx, id: &str, path: &Path) -> Option<u16> {
        let found = self.map.get(id).copied();
        if found.is_none() {
            let known: Vec<&str> = self.map.keys().map(String::as_str).collect();
            let mut sorted = known.clone();
            sorted.sort_unstable();
            ctx.error("E102", path, format!("unknown {} `{id}`", self.kind), suggest(id, &sorted));
        }
        found
    }
}

/// Flags and counters are not declared; they come into being where used.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    map: HashMap<String, u16>,
}

impl Names {
    fn get(&mut self, name: &str) -> u16 {
        if let Some(i) = self.map.get(name) {
            return *i;
        }
        let i = self.names.len() as u16;
        self.names.push(name.to_string());
        self.map.insert(name.to_string(), i);
        i
    }
}

struct Compiler<'a> {
    ctx: Ctx<'a>,
    people: Ids,
    facts: Ids,
    scenes: Ids,
    actions: Ids,
    events: Ids,
    requests: Ids,
    checks: Ids,
    switches: Ids,
    items: Ids,
    endings: Ids,
    switch_options: Vec<Vec<String>>,
    flags: Names,
    counters: Names,
    /// Where each flag is set / tested, and counters incremented / tested.
    flag_set: BTreeSet<u16>,
    flag_tested: Vec<(u16, Path)>,
    counter_set: BTreeSet<u16>,
    counter_tested: Vec<(u16, Path)>,
}

fn ix<T>(found: Option<u16>, make: impl Fn(u16) -> T) -> Option<T> {
    found.map(make)
}

impl<'a> Compiler<'a> {
    fn new(ctx: Ctx<'a>) -> Self {
        Compiler {
            ctx,
            people: Ids::new("person"),
            facts: Ids::new("fact"),
            scenes: Ids::new("scene"),
            actions: Ids::new("choice or hotspot"),
            events: Ids::new("event"),
            requests: Ids::new("request"),
            checks: Ids::new("check"),
            switches: Ids::new("switch"),
            items: Ids::new("rubric item"),
            endings: Ids::new("ending"),
            switch_options: Vec::new(),
            flags: Names::default(),
            counters: Names::default(),
            flag_set: BTreeSet::new(),
            flag_tested: Vec::new(),
            counter_set: BTreeSet::new(),
            counter_tested: Vec::new(),
        }
    }

    fn scenario(&mut self, f: &ScenarioFile) -> Option<Scenario> {
        let root = Path::root();

        self.meta(f, &root);

        // Declare every id first, so references can point forwards.
        for (i, p) in f.people.iter().enumerate() {
            self.people.declare(&mut self.ctx, &p.id, &root.f("people").i(i).f("id"));
        }
        for (i, x) in f.facts.iter().enumerate() {
            self.facts.declare(&mut self.ctx, &x.id, &root.f("facts").i(i).f("id"));
        }
        for (i, s) in f.scenes.iter().enumerate() {
            let sp = root.f("scenes").i(i);
            for (j, c) in s.choices.iter().map(|c| &c.id).chain(s.hotspots.iter().map(|h| &h.id)).enumerate() {
                if c == SUPERVISION {
                    self.ctx.error(
                        "E101",
                        &sp.f(if j < s.choices.len() { "choices" } else { "hotspots" }),
                        format!("`{SUPERVISION}` is a reserved id"),
                        "it names talking the case through with a manager, which every case offers; choose another id"
                            .to_string(),
                    );
                }
            }
            self.scenes.declare(&mut self.ctx, &s.id, &sp.f("id"));
            for (j, c) in s.choices.iter().enumerate() {
                self.actions.declare(&mut self.ctx, &c.id, &sp.f("choices").i(j).f("id"));
            }
            for (j, h) in s.hotspots.iter().enumerate() {
                self.actions.declare(&mut self.ctx, &h.id, &sp.f("hotspots").i(j).f("id"));
            }
        }
        for (i, e) in f.events.iter().enumerate() {
            self.events.declare(&mut self.ctx, &e.id, &root.f("events").i(i).f("id"));
        }
        for (i, r) in f.requests.iter().enumerate() {
            self.requests.declare(&mut self.ctx, &r.id, &root.f("requests").i(i).f("id"));
        }
        for (i, k) in f.checks.iter().enumerate() {
            self.checks.declare(&mut self.ctx, &k.id, &root.f("checks").i(i).f("id"));
        }
        for (i, s) in f.variation.switches.iter().enumerate() {
            let sp = root.f("variation").f("switches").i(i);
            self.switches.declare(&mut self.ctx, &s.id, &sp.f("id"));
            if s.options.is_empty() {
                self.ctx.error(
                    "E173",
                    &sp,
                    format!("switch `{}` has no options", s.id),
                    "give it at least one option".to_string(),
                );
            }
            self.switch_options.push(s.options.clone());
        }
        let rp = root.f("rubric");
        for (i, x) in f.rubric.inconsistencies.iter().enumerate() {
            self.items.declare(&mut self.ctx, &x.id, &rp.f("inconsistencies").i(i).f("id"));
        }
        for (i, x) in f.rubric.escalations.iter().enumerate() {
            self.items.declare(&mut self.ctx, &x.id, &rp.f("escalations").i(i).f("id"));
        }
        for (i, x) in f.rubric.overreach.iter().enumerate() {
            self.items.declare(&mut self.ctx, &x.id, &rp.f("overreach").i(i).f("id"));
        }
        for (i, e) in f.endings.iter().enumerate() {
            self.endings.declare(&mut self.ctx, &e.id, &root.f("endings").i(i).f("id"));
        }

        let people = self.people_defs(f, &root);
        let facts = self.fact_defs(f, &root);
        let (scenes, mut actions) = self.scene_defs(f, &root);
        let supervision = f.supervision.available.then(|| {
            actions.push(ActionDef {
                id: SUPERVISION.to_string(),
                kind: ActionKind::Supervision,
                scene: None,
                text: "Talk the case through with your manager".to_string(),
                when: Cond::WorkingHours,
                cost: f.supervision.cost,
                result: String::new(),
                effects: if f.supervision.oversight {
                    vec![Eff::Escalate(Route::ManagerOversight)]
                } else {
                    Vec::new()
                },
                goto: None,
                once: false,
                at: None,
            });
            ActionIx((actions.len() - 1) as u16)
        });
        let events = self.event_defs(f, &root);
        let requests = self.request_defs(f, &root);
        let rubric = self.rubric(f, &rp);
        let endings = self.ending_defs(f, &root);
        let start = ix(self.scenes.resolve(&mut self.ctx, &f.start, &root.f("start")), SceneIx);
        self.texts(f, &root);
        self.spans(f, &root);
        self.flags_and_counters();

        let action_by_id = actions.iter().enumerate().map(|(i, a)| (a.id.clone(), ActionIx(i as u16))).collect();
        Some(Scenario {
            meta: f.meta.clone(),
            briefing: f.briefing.clone(),
            calendar: f.calendar.clone(),
            people,
            checks: f.checks.clone(),
            facts,
            start: start?,
            scenes,
            actions,
            events,
            requests,
            switches: f.variation.switches.clone(),
            supervision,
            flags: std::mem::take(&mut self.flags.names),
            counters: std::mem::take(&mut self.counters.names),
            rubric,
            endings,
            action_by_id,
        })
    }

    fn meta(&mut self, f: &ScenarioFile, root: &Path) {
        let mp = root.f("meta");
        let m = &f.meta;
        if m.id.is_empty() || !m.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            self.ctx.error(
                "E150",
                &mp.f("id"),
                format!("scenario id `{}` must be lower-case letters, digits and hyphens", m.id),
                "for example `toddler-injuries-explained`".to_string(),
            );
        }
        if m.content_notes.iter().all(|n| n.trim().is_empty()) {
            self.ctx.error(
                "E150",
                &mp.f("content_notes"),
                "every scenario needs content notes".into(),
                "list what the case contains that a trainee may want warning of (injury to a child, domestic abuse, ...)".to_string(),
            );
        }
        if m.estimated_minutes == 0 {
            self.ctx.error("E150", &mp.f("estimated_minutes"), "estimated minutes must be above zero".into(), None);
        }
        if m.title.trim().is_empty() {
            self.ctx.error("E150", &mp.f("title"), "the scenario needs a title".into(), None);
        }
        let cal = &f.calendar;
        let cp = root.f("calendar");
        if cal.working_hours.0 >= cal.working_hours.1 {
            self.ctx.error("E151", &cp.f("working_hours"), "working hours must open before they close".into(), None);
        }
        if cal.horizon() <= cal.start() {
            self.ctx.error("E151", &cp.f("horizon"), "the case must end after it starts".into(), None);
        }
        if cal.horizon.0 > 366 {
            self.ctx.error("E151", &cp.f("horizon"), "a case can last at most a year of in-game time".into(), None);
        }
        let w = &f.rubric.weights;
        let wp = root.f("rubric").f("weights");
        let ws = [w.inconsistencies, w.carers, w.escalations];
        if ws.iter().any(|x| !x.is_finite() || *x < 0.0) || ws.iter().sum::<f64>() <= 0.0 {
            self.ctx.error("E152", &wp, "criterion weights must be zero or more, and not all zero".into(), None);
        }
    }

    fn people_defs(&mut self, f: &ScenarioFile, root: &Path) -> Vec<PersonDef> {
        let mut out = Vec::new();
        for (i, p) in f.people.iter().enumerate() {
            let pp = root.f("people").i(i);
            let names = match &p.name {
                Name::Fixed(n) => vec![n.clone()],
                Name::Pool(pool) => match f.variation.name_pools.get(pool) {
                    Some(names) if !names.is_empty() => names.clone(),
                    Some(_) => {
                        self.ctx.error("E171", &pp.f("name"), format!("name pool `{pool}` is empty"), None);
                        vec![p.id.clone()]
                    }
                    None => {
                        let pools: Vec<&str> = f.variation.name_pools.keys().map(String::as_str).collect();
                        self.ctx.error(
                            "E171",
                            &pp.f("name"),
                            format!("unknown name pool `{pool}`"),
                            suggest(pool, &pools),
                        );
                        vec![p.id.clone()]
                    }
                },
            };
            out.push(PersonDef {
                id: p.id.clone(),
                names,
                role: p.role,
                age: p.age,
                carer: p.carer,
                known_at_start: p.known_at_start,
                description: p.description.clone(),
            });
        }
        out
    }

    fn fact_defs(&mut self, f: &ScenarioFile, root: &Path) -> Vec<FactDef> {
        let mut out = Vec::new();
        for (i, x) in f.facts.iter().enumerate() {
            let fp = root.f("facts").i(i);
            let source = match &x.source {
                model::Source::Said(who) => {
                    let p = self.people.resolve(&mut self.ctx, who, &fp.f("source"));
                    FactSource::Said(PersonIx(p.unwrap_or(0)))
                }
                model::Source::Seen(place) => FactSource::Seen(place.clone()),
                model::Source::Record(agency) => FactSource::Record(agency.clone()),
            };
            let reveals = x
                .reveals
                .iter()
                .enumerate()
                .filter_map(|(j, p)| ix(self.people.resolve(&mut self.ctx, p, &fp.f("reveals").i(j)), PersonIx))
                .collect();
            let mut texts = vec![x.text.clone()];
            texts.extend(x.variants.iter().cloned());
            out.push(FactDef { id: x.id.clone(), source, texts, reveals });
        }
        out
    }

    fn scene_defs(&mut self, f: &ScenarioFile, root: &Path) -> (Vec<SceneDef>, Vec<ActionDef>) {
        let mut scenes = Vec::new();
        let mut actions = Vec::new();
        for (i, s) in f.scenes.iter().enumerate() {
            let sp = root.f("scenes").i(i);
            let present = s
                .present
                .iter()
                .enumerate()
                .filter_map(|(j, p)| ix(self.people.resolve(&mut self.ctx, p, &sp.f("present").i(j)), PersonIx))
                .collect();
            let mut choices = Vec::new();
            for (j, c) in s.choices.iter().enumerate() {
                let cp = sp.f("choices").i(j);
                choices.push(ActionIx(actions.len() as u16));
                actions.push(ActionDef {
                    id: c.id.clone(),
                    kind: ActionKind::Choice,
                    scene: Some(SceneIx(i as u16)),
                    text: c.text.clone(),
                    when: self.cond(&c.when, &cp.f("when")),
                    cost: c.cost,
                    result: c.result.clone(),
                    effects: self.effects(&c.effects, &cp.f("effects")),
                    goto: c
                        .goto
                        .as_ref()
                        .and_then(|g| ix(self.scenes.resolve(&mut self.ctx, g, &cp.f("goto")), SceneIx)),
                    once: c.once,
                    at: None,
                });
            }
            let mut hotspots = Vec::new();
            for (j, h) in s.hotspots.iter().enumerate() {
                let hp = sp.f("hotspots").i(j);
                hotspots.push(ActionIx(actions.len() as u16));
                actions.push(ActionDef {
                    id: h.id.clone(),
                    kind: ActionKind::Hotspot,
                    scene: Some(SceneIx(i as u16)),
                    text: h.label.clone(),
                    when: self.cond(&h.when, &hp.f("when")),
                    cost: h.cost,
                    result: h.result.clone(),
                    effects: self.effects(&h.effects, &hp.f("effects")),
                    goto: None,
                    once: true,
                    at: h.at,
                });
                if let Some((x, y)) = h.at
                    && !((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
                {
                    self.ctx.error(
                        "E151",
                        &hp.f("at"),
                        format!("hotspot position ({x}, {y}) is outside the room"),
                        "positions run from (0.0, 0.0) at the top left to (1.0, 1.0) at the bottom right".to_string(),
                    );
                }
            }
            scenes.push(SceneDef {
                id: s.id.clone(),
                title: s.title.clone(),
                location: s.location.clone(),
                text: s.text.clone(),
                present,
                choices,
                hotspots,
                discussion: s.discussion.clone(),
                room: s.room.unwrap_or_else(|| RoomKind::guess(&s.location, &s.title)),
            });
        }
        (scenes, actions)
    }

    fn event_defs(&mut self, f: &ScenarioFile, root: &Path) -> Vec<EventDef> {
        let mut out = Vec::new();
        for (i, e) in f.events.iter().enumerate() {
            let ep = root.f("events").i(i);
            let at = match e.at {
                EventTime::At(day, time) => EventAt::Fixed(InGameTime::at(day, time)),
                EventTime::After(span) => EventAt::After(span),
            };
            out.push(EventDef {
                id: e.id.clone(),
                at,
                jitter_minutes: e.jitter_minutes,
                unless: e.unless.as_ref().map(|u| self.cond(u, &ep.f("unless"))),
                seen: e.seen,
                text: e.text.clone(),
                effects: self.effects(&e.effects, &ep.f("effects")),
                goto: e.goto.as_ref().and_then(|g| ix(self.scenes.resolve(&mut self.ctx, g, &ep.f("goto")), SceneIx)),
            });
        }
        out
    }

    fn request_defs(&mut self, f: &ScenarioFile, root: &Path) -> Vec<RequestDef> {
        let mut out = Vec::new();
        for (i, r) in f.requests.iter().enumerate() {
            let rp = root.f("requests").i(i);
            if r.answers.is_empty() {
                self.ctx.error("E163", &rp.f("answers"), format!("request `{}` has no answers", r.id), None);
            }
            let answers = r
                .answers
                .iter()
                .enumerate()
                .map(|(j, a)| {
                    let ap = rp.f("answers").i(j);
                    AnswerDef {
                        when: self.cond(&a.when, &ap.f("when")),
                        text: a.text.clone(),
                        effects: self.effects(&a.effects, &ap.f("effects")),
                    }
                })
                .collect();
            out.push(RequestDef {
                id: r.id.clone(),
                agency: r.agency.clone(),
                asked: r.asked.clone(),
                delay: r.delay,
                answers,
            });
        }
        out
    }

    fn rubric(&mut self, f: &ScenarioFile, rp: &Path) -> RubricDef {
        let r = &f.rubric;
        let mut inconsistencies = Vec::new();
        for (i, x) in r.inconsistencies.iter().enumerate() {
            let ip = rp.f("inconsistencies").i(i);
            if x.facts.len() < 2 {
                self.ctx.error(
                    "E122",
                    &ip.f("facts"),
                    format!("inconsistency `{}` needs at least two facts that conflict", x.id),
                    None,
                );
            }
            if x.followed_up_by.is_empty() {
                self.ctx.error(
                    "E122",
                    &ip.f("followed_up_by"),
                    format!("inconsistency `{}` has no action that follows it up", x.id),
                    "list the choices or hotspots that count as following it up".to_string(),
                );
            }
            self.weight(x.weight, &ip.f("weight"));
            inconsistencies.push(InconsistencyDef {
                id: x.id.clone(),
                title: x.title.clone(),
                facts: x
                    .facts
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| ix(self.facts.resolve(&mut self.ctx, id, &ip.f("facts").i(j)), FactIx))
                    .collect(),
                followed_up_by: x
                    .followed_up_by
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| {
                        ix(self.actions.resolve(&mut self.ctx, id, &ip.f("followed_up_by").i(j)), ActionIx)
                    })
                    .collect(),
                late_after: x.late_after,
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
            });
        }
        let mut carers = Vec::new();
        let mut seen_carers = BTreeSet::new();
        for (i, x) in r.carers.iter().enumerate() {
            let cp = rp.f("carers").i(i);
            let person = self.people.resolve(&mut self.ctx, &x.person, &cp.f("person"));
            if let Some(p) = person {
                if !f.people[p as usize].carer {
                    self.ctx.error(
                        "E123",
                        &cp.f("person"),
                        format!("`{}` is in the carers rubric but is not marked `carer: true`", x.person),
                        "mark them as a carer, or remove the rubric item".to_string(),
                    );
                }
                if !seen_carers.insert(p) {
                    self.ctx.error(
                        "E101",
                        &cp.f("person"),
                        format!("carer `{}` is listed twice in the rubric", x.person),
                        None,
                    );
                }
            }
            if x.checks.is_empty() {
                self.ctx.error("E122", &cp.f("checks"), format!("carer `{}` has no required checks", x.person), None);
            }
            self.weight(x.weight, &cp.f("weight"));
            carers.push(CarerDef {
                person: PersonIx(person.unwrap_or(0)),
                checks: x
                    .checks
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| ix(self.checks.resolve(&mut self.ctx, c, &cp.f("checks").i(j)), CheckIx))
                    .collect(),
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
            });
        }
        for (i, p) in f.people.iter().enumerate() {
            if p.carer && !seen_carers.contains(&(i as u16)) {
                self.ctx.error(
                    "E124",
                    &Path::root().f("people").i(i).f("carer"),
                    format!("carer `{}` has no item in rubric.carers", p.id),
                    "every adult who lives with or looks after the child is scored: add a CarerChecks item".to_string(),
                );
            }
        }
        let mut escalations = Vec::new();
        for (i, x) in r.escalations.iter().enumerate() {
            let ep = rp.f("escalations").i(i);
            if x.counts.is_empty() && x.met_by.is_empty() {
                self.ctx.error(
                    "E122",
                    &ep.f("counts"),
                    format!("escalation `{}` has no routes or choices that count", x.id),
                    "list routes in `counts`, or choices in `met_by`".to_string(),
                );
            }
            if matches!(
                x.deadline,
                TimeSpan::Minutes(0) | TimeSpan::Hours(0) | TimeSpan::Days(0) | TimeSpan::WorkingDays(0)
            ) {
                self.ctx.error(
                    "E121",
                    &ep.f("deadline"),
                    format!("escalation `{}` has a deadline of zero: it can never be met", x.id),
                    "use the timescale from research/timescales.md, e.g. WorkingDays(1) or EndOfDay".to_string(),
                );
            }
            self.weight(x.weight, &ep.f("weight"));
            escalations.push(EscalationDef {
                id: x.id.clone(),
                title: x.title.clone(),
                trigger: self.cond(&x.trigger, &ep.f("trigger")),
                counts: x.counts.clone(),
                met_by: x
                    .met_by
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| ix(self.actions.resolve(&mut self.ctx, id, &ep.f("met_by").i(j)), ActionIx))
                    .collect(),
                deadline: x.deadline,
                timescale: x.timescale.clone(),
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
            });
        }
        let overreach = r
            .overreach
            .iter()
            .enumerate()
            .map(|(i, x)| OverreachDef {
                id: x.id.clone(),
                route: x.route,
                when: self.cond(&x.when, &rp.f("overreach").i(i).f("when")),
                penalty: x.penalty,
                reason: x.reason.clone(),
            })
            .collect();
        RubricDef { weights: r.weights.clone(), inconsistencies, carers, escalations, overreach }
    }

    fn weight(&mut self, w: f64, path: &Path) {
        if !w.is_finite() || w <= 0.0 {
            self.ctx.error("E152", path, format!("weight {w} must be above zero"), None);
        }
    }

    fn ending_defs(&mut self, f: &ScenarioFile, root: &Path) -> Vec<EndingDef> {
        if f.endings.is_empty() {
            self.ctx.error("E131", &root.f("endings"), "the scenario has no endings".into(), None);
        }
        let mut out = Vec::new();
        let mut after_always = false;
        for (i, e) in f.endings.iter().enumerate() {
            let ep = root.f("endings").i(i);
            if after_always {
                self.ctx.error(
                    "E130",
                    &ep,
                    format!("ending `{}` can never be reached: an earlier ending is `Always`", e.id),
                    "endings are tried in order; move the `Always` ending last".to_string(),
                );
            }
            let when = self.cond(&e.when, &ep.f("when"));
            after_always |= when == Cond::Always;
            out.push(EndingDef {
                id: e.id.clone(),
                outcome: e.outcome,
                title: e.title.clone(),
                text: e.text.clone(),
                when,
            });
        }
        if let Some(last) = out.last()
            && last.when != Cond::Always
        {
            self.ctx.error(
                "E131",
                &root.f("endings").i(out.len() - 1).f("when"),
                "the last ending must be `Always`, so that every case ends somewhere".into(),
                "add a final ending with `when: Always`".to_string(),
            );
        }
        out
    }

    fn cond(&mut self, c: &Condition, path: &Path) -> Cond {
        let p = path;
        let person = |s: &mut Self, id: &str| ix(s.people.resolve(&mut s.ctx, id, p), PersonIx);
        match c {
            Condition::Always => Cond::Always,
            Condition::Never => Cond::Never,
            Condition::Knows(f) => ix(self.facts.resolve(&mut self.ctx, f, p), FactIx).map_or(Cond::Never, Cond::Knows),
            Condition::KnowsOf(who) => person(self, who).map_or(Cond::Never, Cond::KnowsOf),
            Condition::Checked(who, check) => {
                let who = person(self, who);
                let check = ix(self.checks.resolve(&mut self.ctx, check, p), CheckIx);
                match (who, check) {
                    (Some(w), Some(c)) => Cond::Checked(w, c),
                    _ => Cond::Never,
                }
            }
            Condition::Escalated(r) => Cond::Escalated(*r),
            Condition::Requested(r) => {
                ix(self.requests.resolve(&mut self.ctx, r, p), RequestIx).map_or(Cond::Never, Cond::Requested)
            }
            Condition::Answered(r) => {
                ix(self.requests.resolve(&mut self.ctx, r, p), RequestIx).map_or(Cond::Never, Cond::Answered)
            }
            Condition::Did(a) => ix(self.actions.resolve(&mut self.ctx, a, p), ActionIx).map_or(Cond::Never, Cond::Did),
            Condition::Visited(s) => {
                ix(self.scenes.resolve(&mut self.ctx, s, p), SceneIx).map_or(Cond::Never, Cond::Visited)
            }
            Condition::Flag(name) => {
                let f = self.flags.get(name);
                self.flag_tested.push((f, p.clone()));
                Cond::Flag(FlagIx(f))
            }
            Condition::AtLeast(name, n) => {
                let c = self.counters.get(name);
                self.counter_tested.push((c, p.clone()));
                Cond::AtLeast(CounterIx(c), *n)
            }
            Condition::Is(switch, option) => match self.switches.resolve(&mut self.ctx, switch, p) {
                Some(s) => match self.switch_options[s as usize].iter().position(|o| o == option) {
                    Some(o) => Cond::Is(SwitchIx(s), o as u16),
                    None => {
                        let options: Vec<&str> = self.switch_options[s as usize].iter().map(String::as_str).collect();
                        self.ctx.error(
                            "E172",
                            p,
                            format!("switch `{switch}` has no option `{option}`"),
                            suggest(option, &options),
                        );
                        Cond::Never
                    }
                },
                None => Cond::Never,
            },
            Condition::WorkingHours => Cond::WorkingHours,
            Condition::Since(day, t) => Cond::Since(InGameTime::at(*day, *t)),
            Condition::Before(day, t) => Cond::Before(InGameTime::at(*day, *t)),
            Condition::Not(inner) => Cond::Not(Box::new(self.cond(inner, &p.i(0)))),
            Condition::All(xs) => Cond::All(xs.iter().enumerate().map(|(i, x)| self.cond(x, &p.i(0).i(i))).collect()),
            Condition::Any(xs) => Cond::Any(xs.iter().enumerate().map(|(i, x)| self.cond(x, &p.i(0).i(i))).collect()),
        }
    }

    fn effects(&mut self, effects: &[Effect], path: &Path) -> Vec<Eff> {
        effects.iter().enumerate().filter_map(|(i, e)| self.effect(e, &path.i(i))).collect()
    }

    fn effect(&mut self, e: &Effect, p: &Path) -> Option<Eff> {
        Some(match e {
            Effect::Learn(f) => Eff::Learn(FactIx(self.facts.resolve(&mut self.ctx, f, p)?)),
            Effect::Discover(who) => Eff::Discover(PersonIx(self.people.resolve(&mut self.ctx, who, p)?)),
            Effect::Check(who, check) => {
                let who = self.people.resolve(&mut self.ctx, who, p);
                let check = self.checks.resolve(&mut self.ctx, check, p);
                Eff::Check(PersonIx(who?), CheckIx(check?))
            }
            Effect::Escalate(r) => Eff::Escalate(*r),
            Effect::Request(r) => Eff::Request(RequestIx(self.requests.resolve(&mut self.ctx, r, p)?)),
            Effect::Set(name) => {
                let f = self.flags.get(name);
                self.flag_set.insert(f);
                Eff::Set(FlagIx(f))
            }
            Effect::Clear(name) => Eff::Clear(FlagIx(self.flags.get(name))),
            Effect::Add(name, n) => {
                let c = self.counters.get(name);
                if *n > 0 {
                    self.counter_set.insert(c);
                }
                Eff::Add(CounterIx(c), *n)
            }
            Effect::Schedule(ev) => Eff::Schedule(EventIx(self.events.resolve(&mut self.ctx, ev, p)?)),
            Effect::EndCase => Eff::EndCase,
        })
    }

    /// Every `{name}` placeholder in a text must be a person id.
    fn texts(&mut self, f: &ScenarioFile, root: &Path) {
        let check = |c: &mut Self, text: &str, path: Path| {
            let mut rest = text;
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                match after.find('}') {
                    Some(close) => {
                        let name = &after[..close];
                        if !c.people.map.contains_key(name) {
                            let ids: Vec<&str> = c.people.map.keys().map(String::as_str).collect();
                            c.ctx.error(
                                "E103",
                                &path,
                                format!("`{{{name}}}` is not a person id"),
                                format!("placeholders name people: {}", suggest(name, &ids)),
                            );
                        }
                        rest = &after[close + 1..];
                    }
                    None => {
                        c.ctx.error(
                            "E103",
                            &path,
                            "a `{` placeholder is not closed".into(),
                            "write `{person_id}`".to_string(),
                        );
                        break;
                    }
                }
            }
        };
        check(self, &f.briefing.referral, root.f("briefing").f("referral"));
        check(self, &f.briefing.role, root.f("briefing").f("role"));
        for (i, p) in f.people.iter().enumerate() {
            check(self, &p.description, root.f("people").i(i).f("description"));
        }
        for (i, x) in f.facts.iter().enumerate() {
            check(self, &x.text, root.f("facts").i(i).f("text"));
            for (j, v) in x.variants.iter().enumerate() {
                check(self, v, root.f("facts").i(i).f("variants").i(j));
            }
        }
        for (i, s) in f.scenes.iter().enumerate() {
            let sp = root.f("scenes").i(i);
            check(self, &s.text, sp.f("text"));
            check(self, &s.title, sp.f("title"));
            check(self, &s.location, sp.f("location"));
            if let Some(d) = &s.discussion {
                check(self, d, sp.f("discussion"));
            }
            for (j, c) in s.choices.iter().enumerate() {
                check(self, &c.text, sp.f("choices").i(j).f("text"));
                check(self, &c.result, sp.f("choices").i(j).f("result"));
            }
            for (j, h) in s.hotspots.iter().enumerate() {
                check(self, &h.result, sp.f("hotspots").i(j).f("result"));
                check(self, &h.label, sp.f("hotspots").i(j).f("label"));
            }
        }
        for (i, e) in f.events.iter().enumerate() {
            check(self, &e.text, root.f("events").i(i).f("text"));
        }
        for (i, r) in f.requests.iter().enumerate() {
            check(self, &r.agency, root.f("requests").i(i).f("agency"));
            check(self, &r.asked, root.f("requests").i(i).f("asked"));
            for (j, a) in r.answers.iter().enumerate() {
                check(self, &a.text, root.f("requests").i(i).f("answers").i(j).f("text"));
            }
        }
        for (i, e) in f.endings.iter().enumerate() {
            check(self, &e.text, root.f("endings").i(i).f("text"));
            check(self, &e.title, root.f("endings").i(i).f("title"));
        }
        let rp = root.f("rubric");
        for (i, x) in f.rubric.inconsistencies.iter().enumerate() {
            check(self, &x.title, rp.f("inconsistencies").i(i).f("title"));
            check(self, &x.learning_point, rp.f("inconsistencies").i(i).f("learning_point"));
        }
        for (i, x) in f.rubric.carers.iter().enumerate() {
            check(self, &x.learning_point, rp.f("carers").i(i).f("learning_point"));
        }
        for (i, x) in f.rubric.escalations.iter().enumerate() {
            check(self, &x.title, rp.f("escalations").i(i).f("title"));
            check(self, &x.learning_point, rp.f("escalations").i(i).f("learning_point"));
        }
        for (i, x) in f.rubric.overreach.iter().enumerate() {
            check(self, &x.reason, rp.f("overreach").i(i).f("reason"));
        }
    }

    /// Every span of time must be under a year, and event jitter under a week.
    fn spans(&mut self, f: &ScenarioFile, root: &Path) {
        let mut spans: Vec<(TimeSpan, Path)> = Vec::new();
        for (i, s) in f.scenes.iter().enumerate() {
            for (j, c) in s.choices.iter().enumerate() {
                spans.push((c.cost, root.f("scenes").i(i).f("choices").i(j).f("cost")));
            }
            for (j, h) in s.hotspots.iter().enumerate() {
                spans.push((h.cost, root.f("scenes").i(i).f("hotspots").i(j).f("cost")));
            }
        }
        for (i, e) in f.events.iter().enumerate() {
            if let EventTime::After(span) = e.at {
                spans.push((span, root.f("events").i(i).f("at")));
            }
            if e.jitter_minutes > 7 * 24 * 60 {
                self.ctx.error(
                    "E151",
                    &root.f("events").i(i).f("jitter_minutes"),
                    "jitter of more than a week".into(),
                    None,
                );
            }
        }
        for (i, r) in f.requests.iter().enumerate() {
            spans.push((r.delay, root.f("requests").i(i).f("delay")));
        }
        for (i, x) in f.rubric.inconsistencies.iter().enumerate() {
            spans.push((x.late_after, root.f("rubric").f("inconsistencies").i(i).f("late_after")));
        }
        for (i, x) in f.rubric.escalations.iter().enumerate() {
            spans.push((x.deadline, root.f("rubric").f("escalations").i(i).f("deadline")));
        }
        for (span, path) in spans {
            if span.too_long() {
                self.ctx.error("E151", &path, format!("{} is longer than a year", span.describe()), None);
            }
        }
    }

    fn flags_and_counters(&mut self) {
        let tested = std::mem::take(&mut self.flag_tested);
        for (f, path) in &tested {
            if !self.flag_set.contains(f) {
                self.ctx.error(
                    "E140",
                    path,
                    format!("flag `{}` is tested but never set", self.flags.names[*f as usize]),
                    "a typo? flags are set with `Set(\"name\")`".to_string(),
                );
            }
        }
        for (c, path) in std::mem::take(&mut self.counter_tested) {
            if !self.counter_set.contains(&c) {
                self.ctx.error(
                    "E140",
                    &path,
                    format!("counter `{}` is tested but never increased", self.counters.names[c as usize]),
                    "a typo? counters are increased with `Add(\"name\", 1)`".to_string(),
                );
            }
        }
        let tested: BTreeSet<u16> = tested.iter().map(|(f, _)| *f).collect();
        for f in &self.flag_set {
            if !tested.contains(f) {
                self.ctx.warn(
                    "W141",
                    &Path::root(),
                    format!("flag `{}` is set but never tested", self.flags.names[*f as usize]),
                    None,
                );
            }
        }
    }
}

/// What could possibly happen in a case, ignoring the order things happen in.
///
/// An over-approximation: if this says something can never happen, no
/// playthrough can make it happen. Used to find unreachable scenes and rubric
/// items that point at things that can never occur.
#[derive(Default)]
pub(crate) struct Possible {
    pub(crate) scenes: Vec<bool>,
    pub(crate) actions: Vec<bool>,
    pub(crate) facts: Vec<bool>,
    pub(crate) people: Vec<bool>,
    pub(crate) checks: BTreeSet<(PersonIx, CheckIx)>,
    pub(crate) routes: BTreeSet<Route>,
    pub(crate) requests: Vec<bool>,
    pub(crate) events: Vec<bool>,
    pub(crate) flags: Vec<bool>,
    pub(crate) counters: Vec<bool>,
}

impl Possible {
    pub(crate) fn of(s: &Scenario) -> Self {
        let mut p = Possible {
            scenes: vec![false; s.scenes.len()],
            actions: vec![false; s.actions.len()],
            facts: vec![false; s.facts.len()],
            people: s.people.iter().map(|x| x.known_at_start).collect(),
            requests: vec![false; s.requests.len()],
            events: s.events.iter().map(|e| matches!(e.at, EventAt::Fixed(_))).collect(),
            flags: vec![false; s.flags.len()],
            counters: vec![false; s.counters.len()],
            ..Possible::default()
        };
        p.scenes[s.start.ix()] = true;
        loop {
            let before = p.count();
            for (i, a) in s.actions.iter().enumerate() {
                if a.scene.is_none_or(|sc| p.scenes[sc.ix()]) && p.can(&a.when, s) {
                    p.actions[i] = true;
                    p.apply(&a.effects, s);
                    if let Some(g) = a.goto {
                        p.scenes[g.ix()] = true;
                    }
                }
            }
            for (i, e) in s.events.iter().enumerate() {
                if p.events[i] && e.unless.as_ref() != Some(&Cond::Always) {
                    p.apply(&e.effects, s);
                    if let Some(g) = e.goto {
                        p.scenes[g.ix()] = true;
                    }
                }
            }
            for (i, r) in s.requests.iter().enumerate() {
                if p.requests[i] {
                    for a in &r.answers {
                        if p.can(&a.when, s) {
                            p.apply(&a.effects, s);
                        }
                    }
                }
            }
            if p.count() == before {
                return p;
            }
        }
    }

    fn count(&self) -> usize {
        let n = |v: &Vec<bool>| v.iter().filter(|x| **x).count();
        n(&self.scenes)
            + n(&self.actions)
            + n(&self.facts)
            + n(&self.people)
            + n(&self.requests)
            + n(&self.events)
            + n(&self.flags)
            + n(&self.counters)
            + self.checks.len()
            + self.routes.len()
    }

    fn apply(&mut self, effects: &[Eff], s: &Scenario) {
        for e in effects {
            match e {
                Eff::Learn(f) => {
                    self.facts[f.ix()] = true;
                    for p in &s.fact(*f).reveals {
                        self.people[p.ix()] = true;
                    }
                }
                Eff::Discover(p) => self.people[p.ix()] = true,
                Eff::Check(p, c) => {
                    self.people[p.ix()] = true;
                    self.checks.insert((*p, *c));
                }
                Eff::Escalate(r) => {
                    self.routes.insert(*r);
                }
                Eff::Request(r) => self.requests[r.ix()] = true,
                Eff::Set(f) => self.flags[f.ix()] = true,
                Eff::Add(c, n) if *n > 0 => self.counters[c.ix()] = true,
                Eff::Schedule(ev) => self.events[ev.ix()] = true,
                Eff::Clear(_) | Eff::Add(..) | Eff::EndCase => {}
            }
        }
    }

    /// Whether `c` could hold at some moment.
    pub(crate) fn can(&self, c: &Cond, s: &Scenario) -> bool {
        match c {
            Cond::Always | Cond::WorkingHours | Cond::Is(..) => true,
            Cond::Never => false,
            Cond::Knows(f) => self.facts[f.ix()],
            Cond::KnowsOf(p) => self.people[p.ix()],
            Cond::Checked(p, k) => self.checks.contains(&(*p, *k)),
            Cond::Escalated(r) => self.routes.contains(r),
            Cond::Requested(r) | Cond::Answered(r) => self.requests[r.ix()],
            Cond::Did(a) => self.actions[a.ix()],
            Cond::Visited(sc) => self.scenes[sc.ix()],
            Cond::Flag(f) => self.flags[f.ix()],
            Cond::AtLeast(c, n) => *n <= 0 || self.counters[c.ix()],
            Cond::Since(t) => *t <= s.calendar.horizon(),
            Cond::Before(t) => *t > s.calendar.start(),
            Cond::Not(inner) => **inner != Cond::Always,
            Cond::All(xs) => xs.iter().all(|x| self.can(x, s)),
            Cond::Any(xs) => xs.iter().any(|x| self.can(x, s)),
        }
    }
}

/// The earliest moment a condition can hold, from its `Since` bounds.
fn earliest(c: &Cond) -> InGameTime {
    match c {
        Cond::Since(t) => *t,
        Cond::All(xs) => xs.iter().map(earliest).max().unwrap_or(InGameTime(0)),
        Cond::Any(xs) => xs.iter().map(earliest).min().unwrap_or(InGameTime(0)),
        _ => InGameTime(0),
    }
}

/// Checks that need the whole compiled scenario: reachability, dead ends,
/// rubric items that can never happen, deadlines that can never be met.
fn analyse(s: &Scenario, f: &ScenarioFile, ctx: &mut Ctx) {
    let root = Path::root();
    let p = Possible::of(s);

    for (i, scene) in s.scenes.iter().enumerate() {
        let sp = root.f("scenes").i(i);
        if !p.scenes[i] {
            ctx.error(
                "E110",
                &sp.f("id"),
                format!("scene `{}` can never be reached", scene.id),
                "no reachable choice or event leads here: add a `goto` to it, or remove it".to_string(),
            );
        }
        let way_out = scene.choices.iter().any(|a| {
            let a = s.action(*a);
            a.goto.is_some_and(|g| Some(g) != a.scene)
                || a.effects.contains(&Eff::EndCase)
                || (!a.once && a.cost.after(s.calendar.start(), &s.calendar) > s.calendar.start())
        });
        if !way_out {
            ctx.error(
                "E111",
                &sp.f("choices"),
                format!("scene `{}` has no way out", scene.id),
                "give it a choice that goes to another scene, ends the case (`EndCase`), or lets time pass (`once: false` with a cost)"
                    .to_string(),
            );
        }
    }
    for (i, a) in s.actions.iter().enumerate() {
        if let Some(scene) = a.scene
            && p.scenes[scene.ix()]
            && !p.actions[i]
        {
            let (list, j) = position_in_scene(s, i);
            ctx.warn(
                "W170",
                &root.f("scenes").i(scene.ix()).f(list).i(j).f("when"),
                format!("`{}` can never be offered: its condition can never hold", a.id),
                None,
            );
        }
    }
    for (i, e) in f.events.iter().enumerate() {
        let ep = root.f("events").i(i);
        if matches!(e.at, EventTime::After(_)) && !p.events[i] {
            ctx.warn(
                "W160",
                &ep.f("at"),
                format!("event `{}` is never scheduled", e.id),
                "schedule it with `Schedule(\"id\")`".to_string(),
            );
        }
        if let EventTime::At(day, t) = e.at
            && InGameTime::at(day, t) > s.calendar.horizon()
        {
            ctx.warn("W160", &ep.f("at"), format!("event `{}` comes after the case ends", e.id), None);
        }
    }
    for a in &s.actions {
        for e in &a.effects {
            if let Eff::Schedule(ev) = e
                && matches!(s.events[ev.ix()].at, EventAt::Fixed(_))
            {
                ctx.error(
                    "E161",
                    &root.f("events").i(ev.ix()).f("at"),
                    format!("event `{}` has a fixed time but is also scheduled by `{}`", s.events[ev.ix()].id, a.id),
                    "events with `At` happen by themselves; use `After(...)` for scheduled ones".to_string(),
                );
            }
        }
    }
    for (i, r) in s.requests.iter().enumerate() {
        if !p.requests[i] {
            ctx.warn("W162", &root.f("requests").i(i).f("id"), format!("request `{}` is never sent", r.id), None);
        }
    }
    for (i, person) in s.people.iter().enumerate() {
        let who = PersonIx(i as u16);
        let hidden = !person.known_at_start && person.role != Role::Professional && !person.description.is_empty();
        if hidden && p.people[i] && !p.checks.iter().any(|(x, _)| *x == who) {
            ctx.warn(
                "W163",
                &root.f("people").i(i).f("description"),
                format!("`{}` comes to light during the case but no check on them is ever made, so the household only ever shows them as heard of", person.id),
                format!("add a `Check(\"{}\", ...)` to the choice where the trainee meets them", person.id),
            );
        }
    }

    // Rubric items must be able to happen.
    let rp = root.f("rubric");
    for (i, x) in s.rubric.inconsistencies.iter().enumerate() {
        let ip = rp.f("inconsistencies").i(i);
        for (j, fact) in x.facts.iter().enumerate() {
            if !p.facts[fact.ix()] {
                ctx.error(
                    "E120",
                    &ip.f("facts").i(j),
                    format!("fact `{}` can never be learned, so `{}` can never surface", s.fact(*fact).id, x.id),
                    "add a choice, hotspot, event or answer that has `Learn` for it".to_string(),
                );
            }
        }
        if !x.followed_up_by.is_empty() && x.followed_up_by.iter().all(|a| !p.actions[a.ix()]) {
            ctx.error(
                "E120",
                &ip.f("followed_up_by"),
                format!("no action that follows up `{}` can ever be taken", x.id),
                None,
            );
        }
    }
    for (i, x) in s.rubric.carers.iter().enumerate() {
        let cp = rp.f("carers").i(i);
        if !p.people[x.person.ix()] {
            ctx.error(
                "E120",
                &cp.f("person"),
                format!("carer `{}` can never be discovered", s.person(x.person).id),
                "add a `Discover` effect or a fact that `reveals` them".to_string(),
            );
        }
        for (j, k) in x.checks.iter().enumerate() {
            if !p.checks.contains(&(x.person, *k)) {
                ctx.error(
                    "E120",
                    &cp.f("checks").i(j),
                    format!("nothing ever records the check `{}` on `{}`", s.checks[k.ix()].id, s.person(x.person).id),
                    format!(
                        "add `Check(\"{}\", \"{}\")` to a choice or an agency answer",
                        s.person(x.person).id,
                        s.checks[k.ix()].id
                    ),
                );
            }
        }
    }
    for (i, x) in s.rubric.escalations.iter().enumerate() {
        let ep = rp.f("escalations").i(i);
        if !p.can(&x.trigger, s) {
            ctx.error("E120", &ep.f("trigger"), format!("the trigger of `{}` can never hold", x.id), None);
        }
        let route_possible = x.counts.iter().any(|r| p.routes.contains(r));
        let action_possible = x.met_by.iter().any(|a| p.actions[a.ix()]);
        if (!x.counts.is_empty() || !x.met_by.is_empty()) && !route_possible && !action_possible {
            ctx.error(
                "E120",
                &ep.f("counts"),
                format!("no choice ever escalates by a route, or is listed in `met_by`, that counts for `{}`", x.id),
                None,
            );
        }
        // The deadline cannot be met if every counting escalation is only
        // offered after it has passed, even when the trigger comes earliest.
        let trigger_at = earliest(&x.trigger).max(s.calendar.start());
        let due = x.deadline.after(trigger_at, &s.calendar);
        let first_escalation = s
            .actions
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                p.actions[*i]
                    && (x.met_by.contains(&ActionIx(*i as u16))
                        || a.effects.iter().any(|e| matches!(e, Eff::Escalate(r) if x.counts.contains(r))))
            })
            .map(|(_, a)| earliest(&a.when))
            .min();
        if let Some(first) = first_escalation
            && first > due
        {
            ctx.error(
                "E121",
                &ep.f("deadline"),
                format!(
                    "`{}` can never be met: it is due by {} at the latest, but no counting escalation is offered before {}",
                    x.id,
                    s.calendar.describe(due),
                    s.calendar.describe(first)
                ),
                "offer an escalating choice earlier, or check the deadline against research/timescales.md".to_string(),
            );
        }
    }
    for (i, e) in s.endings.iter().enumerate() {
        if !p.can(&e.when, s) {
            ctx.error(
                "E130",
                &root.f("endings").i(i).f("when"),
                format!("ending `{}` can never be reached: its condition can never hold", e.id),
                None,
            );
        }
    }
}

fn position_in_scene(s: &Scenario, action: usize) -> (&'static str, usize) {
    let a = &s.actions[action];
    let me = ActionIx(action as u16);
    let Some(scene) = a.scene.map(|sc| s.scene(sc)) else { return ("choices", 0) };
    match a.kind {
        ActionKind::Hotspot => ("hotspots", scene.hotspots.iter().position(|x| *x == me).unwrap_or(0)),
        ActionKind::Choice | ActionKind::Supervision => {
            ("choices", scene.choices.iter().position(|x| *x == me).unwrap_or(0))
        }
    }
}
