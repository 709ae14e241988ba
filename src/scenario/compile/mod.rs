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

mod analyse;
mod rubric;

use analyse::analyse;

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

/// The longest id.
pub const ID_MAX: usize = 64;

/// The most flags (and, separately, counters) a case may name.
pub const FLAGS_MAX: usize = 10_000;

/// Unknown ids that get a "did you mean" hint; after these, only the error.
const SUGGEST_MAX: usize = 100;

/// Whether an id is letters, digits, `_`, `-` and `.`, and not too long: one
/// that a script line, a `graph` map and a message can all hold.
pub fn is_id(id: &str) -> bool {
    (1..=ID_MAX).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// How many of each thing a scenario may have. Far above any real case
/// (the largest shipped case has 60 scenes and 20 people), they keep every
/// check and the search of the case bounded in time and memory.
pub const LIMITS: [(&str, usize); 12] = [
    ("scenes", 2_000),
    ("people", 200),
    ("checks", 50),
    ("facts", 5_000),
    ("events", 2_000),
    ("requests", 500),
    ("endings", 200),
    ("bank holidays", 400),
    ("name pools", 50),
    ("names in a pool", 500),
    ("choices and hotspots", 20_000),
    ("rubric items", 600),
];

fn limit(what: &str) -> usize {
    LIMITS.iter().find(|(w, _)| *w == what).map_or(usize::MAX, |(_, n)| *n)
}

/// The longest name a picture can have.
pub const PICTURE_NAME_MAX: usize = 40;

/// Whether a picture's name is letters, digits and hyphens, and not too long.
pub fn is_picture_name(name: &str) -> bool {
    (1..=PICTURE_NAME_MAX).contains(&name.len()) && is_kebab(name)
}

/// Whether `id` can be a case's id (`meta.id`): 1 to [`ID_MAX`] lower-case
/// letters, digits and hyphens, as file names and the command line use it.
pub fn is_case_id(id: &str) -> bool {
    (1..=ID_MAX).contains(&id.len()) && is_kebab(id)
}

/// Lower-case letters, digits and hyphens only.
fn is_kebab(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
    /// The ids referred to anywhere (a condition, a rubric item, an ending).
    referenced: BTreeSet<u16>,
    /// How many unknown ids were looked up (suggestions stop after [`SUGGEST_MAX`]).
    unknown: usize,
}

impl Ids {
    fn new(kind: &'static str) -> Self {
        Ids { kind, ..Ids::default() }
    }

    fn declare(&mut self, ctx: &mut Ctx, id: &str, path: &Path) {
        if !id.trim().is_empty() && !is_id(id) {
            ctx.error(
                "E101",
                path,
                format!("the {} id `{}` has characters an id cannot have", self.kind, crate::echo::echo(id)),
                format!("ids are 1 to {ID_MAX} letters, digits, `_`, `-` and `.`, so scripts and maps can name them"),
            );
        }
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

    fn resolve(&mut self, ctx: &mut Ctx, id: &str, path: &Path) -> Option<u16> {
        let found = self.map.get(id).copied();
        if let Some(i) = found {
            self.referenced.insert(i);
        }
        if found.is_none() {
            // "Did you mean" costs a comparison with every id: offered for
            // ids of a sensible length, and for the first few unknown ones.
            self.unknown += 1;
            let hint = if id.len() <= ID_MAX && self.unknown <= SUGGEST_MAX {
                let mut sorted: Vec<&str> = self.map.keys().map(String::as_str).collect();
                sorted.sort_unstable();
                suggest(id, &sorted)
            } else {
                format!("no {} has this id", self.kind)
            };
            ctx.error("E102", path, format!("unknown {} `{}`", self.kind, crate::echo::echo(id)), hint);
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
    /// Escalation items only, for `preventable_by`.
    escalations: Ids,
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
            escalations: Ids::new("escalation item"),
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
        if !self.within_limits(f, &root) {
            return None;
        }

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
            // Duplicates are reported once, by `items`.
            let next = self.escalations.names.len() as u16;
            self.escalations.map.entry(x.id.clone()).or_insert(next);
            self.escalations.names.push(x.id.clone());
        }
        for (i, x) in f.rubric.overreach.iter().enumerate() {
            self.items.declare(&mut self.ctx, &x.id, &rp.f("overreach").i(i).f("id"));
        }
        for (i, x) in f.rubric.penalties.iter().enumerate() {
            self.items.declare(&mut self.ctx, &x.id, &rp.f("penalties").i(i).f("id"));
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
                shows: None,
                inert: false,
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

        // A hotspot that does nothing, takes no time and is named nowhere
        // changes nothing but the record of having looked: a search of the
        // case can leave it out without losing any outcome.
        for (i, a) in actions.iter_mut().enumerate() {
            a.inert = a.kind == ActionKind::Hotspot
                && a.effects.is_empty()
                && a.goto.is_none()
                && a.cost == TimeSpan::Minutes(0)
                && !self.actions.referenced.contains(&(i as u16));
        }
        let action_by_id = actions.iter().enumerate().map(|(i, a)| (a.id.clone(), ActionIx(i as u16))).collect();
        let mut rubric_moments = Vec::new();
        for x in &rubric.escalations {
            for c in [Some(&x.trigger), x.arises.as_ref(), x.met_when.as_ref()].into_iter().flatten() {
                c.moments(&mut rubric_moments);
            }
        }
        for p in &rubric.penalties {
            p.when.moments(&mut rubric_moments);
        }
        rubric_moments.sort_unstable();
        rubric_moments.dedup();
        Some(Scenario {
            meta: f.meta.clone(),
            briefing: f.briefing.clone(),
            // Bank holidays sorted once, so each working-day question is a binary search.
            calendar: {
                let mut calendar = f.calendar.clone();
                calendar.bank_holidays.sort_unstable();
                calendar.bank_holidays.dedup();
                calendar
            },
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
            rubric_moments,
        })
    }

    fn meta(&mut self, f: &ScenarioFile, root: &Path) {
        let mp = root.f("meta");
        let m = &f.meta;
        if !is_case_id(&m.id) {
            self.ctx.error(
                "E150",
                &mp.f("id"),
                format!("scenario id `{}` must be 1 to {ID_MAX} lower-case letters, digits and hyphens", m.id),
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

    /// What a choice and a hotspot both have, compiled at `path`: (id, words,
    /// result), its condition, cost and effects. Taken once, no picture, not
    /// leading anywhere, until the caller says otherwise.
    #[expect(clippy::too_many_arguments, reason = "the fields a choice and a hotspot share, each compiled here")]
    fn action(
        &mut self,
        kind: ActionKind,
        scene: usize,
        (id, text, result): (&str, &str, &str),
        when: &Condition,
        cost: TimeSpan,
        effects: &[Effect],
        path: &Path,
    ) -> ActionDef {
        ActionDef {
            id: id.to_string(),
            kind,
            scene: Some(SceneIx(scene as u16)),
            text: text.to_string(),
            when: self.cond(when, &path.f("when")),
            cost,
            result: result.to_string(),
            effects: self.effects(effects, &path.f("effects")),
            goto: None,
            once: true,
            at: None,
            shows: None,
            inert: false,
        }
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
                let goto =
                    c.goto.as_ref().and_then(|g| ix(self.scenes.resolve(&mut self.ctx, g, &cp.f("goto")), SceneIx));
                let common =
                    self.action(ActionKind::Choice, i, (&c.id, &c.text, &c.result), &c.when, c.cost, &c.effects, &cp);
                actions.push(ActionDef { goto, once: c.once, ..common });
            }
            let mut hotspots = Vec::new();
            for (j, h) in s.hotspots.iter().enumerate() {
                let hp = sp.f("hotspots").i(j);
                hotspots.push(ActionIx(actions.len() as u16));
                let common =
                    self.action(ActionKind::Hotspot, i, (&h.id, &h.label, &h.result), &h.when, h.cost, &h.effects, &hp);
                actions.push(ActionDef { at: h.at, shows: h.shows.clone(), ..common });
                if let Some(name) = &h.shows {
                    self.picture_name(name, &hp.f("shows"), "an object picture");
                }
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
                picture: s.picture.clone(),
            });
            if let Some(name) = &s.picture {
                self.picture_name(name, &sp.f("picture"), "a place picture");
            }
        }
        (scenes, actions)
    }

    /// Checks the counts against [`LIMITS`]; beyond them nothing else is
    /// checked (the checks themselves would take too long).
    fn within_limits(&mut self, f: &ScenarioFile, root: &Path) -> bool {
        let actions: usize = f.scenes.iter().map(|s| s.choices.len() + s.hotspots.len()).sum();
        let rubric = f.rubric.inconsistencies.len() + f.rubric.carers.len() + f.rubric.escalations.len();
        let biggest_pool = f.variation.name_pools.values().map(Vec::len).max().unwrap_or(0);
        let counts = [
            ("scenes", f.scenes.len(), root.f("scenes")),
            ("people", f.people.len(), root.f("people")),
            ("checks", f.checks.len(), root.f("checks")),
            ("facts", f.facts.len(), root.f("facts")),
            ("events", f.events.len(), root.f("events")),
            ("requests", f.requests.len(), root.f("requests")),
            ("endings", f.endings.len(), root.f("endings")),
            ("bank holidays", f.calendar.bank_holidays.len(), root.f("calendar").f("bank_holidays")),
            ("name pools", f.variation.name_pools.len(), root.f("variation").f("name_pools")),
            ("names in a pool", biggest_pool, root.f("variation").f("name_pools")),
            ("choices and hotspots", actions, root.f("scenes")),
            ("rubric items", rubric, root.f("rubric")),
        ];
        let mut within = true;
        for (what, count, path) in counts {
            if count > limit(what) {
                within = false;
                self.ctx.error(
                    "E105",
                    &path,
                    format!("{count} {what}: more than the limit of {}", limit(what)),
                    "a case this large cannot be checked or searched in reasonable time; split it".to_string(),
                );
            }
        }
        for (name, pool) in &f.variation.name_pools {
            if let Some(long) = pool.iter().find(|n| n.chars().count() > 60 || n.chars().any(char::is_control)) {
                within = false;
                self.ctx.error(
                    "E105",
                    &root.f("variation").f("name_pools"),
                    format!(
                        "the pool `{}` has a name that is not a name: `{}`",
                        crate::echo::echo(name),
                        crate::echo::echo(long)
                    ),
                    "a name is at most 60 characters, with no control characters".to_string(),
                );
            }
        }
        within
    }

    /// A picture is named by its file name without `.svg`: lower-case letters,
    /// digits and hyphens, so the name can never reach outside its folder.
    fn picture_name(&mut self, name: &str, at: &Path, what: &str) {
        if !is_picture_name(name) {
            self.ctx.error(
                "E154",
                at,
                format!("{:?} cannot name {what}", name.chars().take(60).collect::<String>()),
                format!(
                    "use the file's name without `.svg`: 1 to {PICTURE_NAME_MAX} lower-case letters, digits and hyphens"
                ),
            );
        }
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
                preventable_by: self.escalation_ids(&e.preventable_by, &ep.f("preventable_by")),
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
            let preventable_by = self.escalation_ids(&e.preventable_by, &ep.f("preventable_by"));
            if let Some(h) = e.harm
                && h > 100
            {
                self.ctx.error("E152", &ep.f("harm"), format!("harm of {h}%: at most 100"), None);
            }
            let harm = match e.harm {
                Some(h) => h.min(100),
                None if preventable_by.is_empty() => 0,
                None => e.outcome.default_harm(),
            };
            let asserts = e
                .asserts
                .iter()
                .enumerate()
                .map(|(j, a)| (a.says.clone(), self.cond(&a.when, &ep.f("asserts").i(j).f("when"))))
                .collect();
            out.push(EndingDef {
                id: e.id.clone(),
                outcome: e.outcome,
                title: e.title.clone(),
                text: e.text.clone(),
                when,
                preventable_by,
                harm,
                asserts,
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
            // A control character (an escape code written as `\u{1b}`) would
            // reach the trainee's terminal or screen as it is.
            if let Some(bad) = text.chars().find(|ch| ch.is_control() && *ch != '\n' && *ch != '\t') {
                c.ctx.error(
                    "E104",
                    &path,
                    format!("the text holds a control character ({})", bad.escape_unicode()),
                    "texts are plain words: remove it (a new line is `\\n`)".to_string(),
                );
            }
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
        for (i, x) in f.rubric.penalties.iter().enumerate() {
            check(self, &x.title, rp.f("penalties").i(i).f("title"));
            check(self, &x.reason, rp.f("penalties").i(i).f("reason"));
        }
        for (i, e) in f.endings.iter().enumerate() {
            for (j, a) in e.asserts.iter().enumerate() {
                check(self, &a.says, root.f("endings").i(i).f("asserts").i(j).f("says"));
            }
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
        // Flags and counters come into being where they are named; each kind
        // is numbered with 16 bits, so far fewer are allowed than would wrap.
        for (what, count) in [("flags", self.flags.names.len()), ("counters", self.counters.names.len())] {
            if count > FLAGS_MAX {
                self.ctx.error(
                    "E105",
                    &Path::root(),
                    format!("{count} {what}: more than the limit of {FLAGS_MAX}"),
                    "a case this large cannot be checked or searched in reasonable time; split it".to_string(),
                );
            }
        }
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
