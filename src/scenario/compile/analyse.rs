//! Checks that need the whole compiled scenario, and what could possibly happen in it.

use super::Ctx;
use crate::clock::InGameTime;
use crate::scenario::model::{EventTime, ScenarioFile};
use crate::scenario::spans::Path;
use crate::scenario::*;
use std::collections::BTreeSet;

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
            // Scenes are followed as they are reached (a worklist), so a
            // chain of scenes takes one pass, not one pass per scene.
            let mut reached: Vec<usize> = (0..s.scenes.len()).filter(|i| p.scenes[*i]).collect();
            while let Some(sc) = reached.pop() {
                let scene = &s.scenes[sc];
                for a in scene.choices.iter().chain(&scene.hotspots) {
                    let def = s.action(*a);
                    if p.can(&def.when, s) {
                        p.actions[a.ix()] = true;
                        p.apply(&def.effects, s);
                        if let Some(g) = def.goto
                            && !p.scenes[g.ix()]
                        {
                            p.scenes[g.ix()] = true;
                            reached.push(g.ix());
                        }
                    }
                }
            }
            for (i, a) in s.actions.iter().enumerate().filter(|(_, a)| a.scene.is_none()) {
                if p.can(&a.when, s) {
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
pub(super) fn analyse(s: &Scenario, f: &ScenarioFile, ctx: &mut Ctx) {
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
        let state_possible = x.met_when.as_ref().is_some_and(|c| p.can(c, s));
        if !route_possible && !action_possible && !state_possible {
            ctx.error(
                "E120",
                &ep.f(if x.met_when.is_some() && x.counts.is_empty() { "met_when" } else { "counts" }),
                format!(
                    "`{}` can never be met: no choice escalates by a route that counts, is listed in `met_by`, or makes `met_when` hold",
                    x.id
                ),
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
        if let Some(first) = first_escalation.filter(|_| x.met_when.is_none())
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
    for (i, x) in s.rubric.penalties.iter().enumerate() {
        if !p.can(&x.when, s) {
            ctx.warn(
                "W165",
                &rp.f("penalties").i(i).f("when"),
                format!("penalty `{}` can never be incurred: its condition can never hold", x.id),
                None,
            );
        }
    }
    follow_ups_that_only_check(s, ctx);
    endings_and_harm(s, f, ctx);
    long_choices(f, ctx);
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

/// Whether an action only checks people: every effect is a `Check`, a
/// `Discover`, or a request whose answers only record checks and facts.
/// Checking a carer is its own criterion; it does not put a discrepancy to
/// anyone.
pub(crate) fn only_checks(s: &Scenario, a: &ActionDef) -> bool {
    let request_only_checks = |q: RequestIx| {
        s.requests[q.ix()]
            .answers
            .iter()
            .all(|ans| ans.effects.iter().all(|e| matches!(e, Eff::Check(..) | Eff::Learn(_) | Eff::Discover(_))))
    };
    let checks = a.effects.iter().any(|e| matches!(e, Eff::Check(..) | Eff::Request(_)));
    checks
        && a.effects.iter().all(|e| match e {
            Eff::Check(..) | Eff::Discover(_) => true,
            Eff::Request(q) => request_only_checks(*q),
            _ => false,
        })
}

/// W164: a follow-up that only checks a carer.
fn follow_ups_that_only_check(s: &Scenario, ctx: &mut Ctx) {
    let rp = Path::root().f("rubric");
    for (i, x) in s.rubric.inconsistencies.iter().enumerate() {
        for (j, a) in x.followed_up_by.iter().enumerate() {
            let def = s.action(*a);
            if only_checks(s, def) {
                ctx.warn(
                    "W164",
                    &rp.f("inconsistencies").i(i).f("followed_up_by").i(j),
                    format!(
                        "`{}` follows up `{}`, but it only checks someone: following up means putting the discrepancy to someone",
                        def.id, x.id
                    ),
                    "list choices that ask, challenge, share it with another agency or ask a doctor; checks count under carers".to_string(),
                );
            }
        }
    }
}

/// Whether `when` holding guarantees `claim` holds, judged from their form
/// alone (so it may miss an implication, never invent one).
pub(crate) fn implies(when: &Cond, claim: &Cond) -> bool {
    if when == claim || *claim == Cond::Always || *when == Cond::Never {
        return true;
    }
    match (when, claim) {
        (_, Cond::All(cs)) => cs.iter().all(|c| implies(when, c)),
        (Cond::All(ws), _) if ws.iter().any(|w| implies(w, claim)) => true,
        (Cond::Any(ws), _) => ws.iter().all(|w| implies(w, claim)),
        (_, Cond::Any(cs)) => cs.iter().any(|c| implies(when, c)),
        _ => false,
    }
}

/// W180–W182: endings in harm that nothing is said to have prevented, claims
/// an ending's condition does not guarantee, and incidents nothing can avert.
fn endings_and_harm(s: &Scenario, f: &ScenarioFile, ctx: &mut Ctx) {
    let root = Path::root();
    for (i, e) in s.endings.iter().enumerate() {
        let ep = root.f("endings").i(i);
        if e.outcome.is_harm() && e.preventable_by.is_empty() {
            ctx.warn(
                "W180",
                &ep.f("outcome"),
                format!(
                    "ending `{}` is {} but names no `preventable_by`, so the score does not reflect the harm",
                    e.id,
                    e.outcome.describe()
                ),
                "list the escalation and protection items whose timely completion would have prevented it".to_string(),
            );
        }
        for (j, (says, claim)) in e.asserts.iter().enumerate() {
            if !implies(&e.when, claim) {
                ctx.warn(
                    "W181",
                    &ep.f("asserts").i(j),
                    format!(
                        "ending `{}` says \u{201c}{says}\u{201d}, but its condition does not make sure of it: the text may say what did not happen",
                        e.id
                    ),
                    "add the assertion's condition to the ending's `when` (inside `All([...])`), or change the text".to_string(),
                );
            }
        }
    }
    for (i, e) in s.events.iter().enumerate() {
        if e.is_incident() && e.unless.is_none() && matches!(f.events[i].at, EventTime::At(..)) {
            ctx.warn(
                "W182",
                &root.f("events").i(i).f("preventable_by"),
                format!("incident `{}` always happens: it has no `unless`, so no step can prevent it", e.id),
                "give it an `unless` that holds once the steps in `preventable_by` are taken".to_string(),
            );
        }
    }
}

/// The longest a choice's text should be: it is a button, read among a dozen.
pub(crate) const CHOICE_TEXT_MAX: usize = 120;

/// W166: a choice whose text is too long to read as a button.
fn long_choices(f: &ScenarioFile, ctx: &mut Ctx) {
    for (i, scene) in f.scenes.iter().enumerate() {
        for (j, c) in scene.choices.iter().enumerate() {
            let n = c.text.chars().count();
            if n > CHOICE_TEXT_MAX {
                ctx.warn(
                    "W166",
                    &Path::root().f("scenes").i(i).f("choices").i(j).f("text"),
                    format!("choice `{}` is {n} characters long: a choice is a button, read among others", c.id),
                    format!("keep it under {CHOICE_TEXT_MAX} characters and say the rest in its `result`"),
                );
            }
        }
    }
}
