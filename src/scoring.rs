//! Scoring a session against its scenario's rubric.
//!
//! The three criteria of `DESIGN.md`, each 0–100 from its items, and an
//! overall weighted mean. Every item says what earned or lost it, when, which
//! of the trainee's actions were the evidence, and the learning point and
//! review finding behind it. Scores are always recomputed from the state a
//! replay of the actions produces, never stored and trusted.

use crate::clock::InGameTime;
use crate::scenario::{ActionIx, CarerDef, EscalationDef, FactIx, InconsistencyDef, Route};
use crate::sim::{CaseState, Cause, Entry, Rules};
use serde::Serialize;

/// Credit for following up an inconsistency later than its `late_after`.
pub const LATE_FOLLOW_UP_CREDIT: f64 = 0.5;
/// Credit for an escalation made just after its deadline; falls with lateness.
pub const LATE_ESCALATION_CREDIT: f64 = 0.6;
/// The least credit for an escalation made late (but made).
pub const LATE_ESCALATION_FLOOR: f64 = 0.2;

/// The three things the debrief scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Criterion {
    /// Followed up on inconsistencies.
    Inconsistencies,
    /// Checked carers.
    Carers,
    /// Escalated in time.
    Escalations,
}

impl Criterion {
    /// All three, in debrief order.
    pub const ALL: [Criterion; 3] = [Criterion::Inconsistencies, Criterion::Carers, Criterion::Escalations];

    /// The heading in the debrief.
    pub fn title(self) -> &'static str {
        match self {
            Criterion::Inconsistencies => "Followed up on inconsistencies",
            Criterion::Carers => "Checked carers",
            Criterion::Escalations => "Escalated in time",
        }
    }
}

/// What happened to one rubric item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Not settled yet (the case is still running).
    Open,
    /// Both sides known and followed up in time.
    FollowedUp,
    /// Followed up, but late.
    FollowedUpLate,
    /// Both sides known, never followed up.
    NotFollowedUp,
    /// One side never learned.
    NeverSurfaced,
    /// Every required check on the carer done.
    Checked,
    /// Some required checks done.
    PartlyChecked,
    /// Known, but no required check done.
    NotChecked,
    /// The carer was never discovered.
    NeverDiscovered,
    /// Escalated by the deadline.
    OnTime,
    /// Escalated after the deadline.
    Late,
    /// Threshold reached, never escalated.
    Missed,
    /// The threshold was never reached in this session.
    DidNotArise,
}

impl Status {
    /// A short label that does not rely on colour.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::FollowedUp => "followed up",
            Status::FollowedUpLate => "followed up late",
            Status::NotFollowedUp => "not followed up",
            Status::NeverSurfaced => "never surfaced",
            Status::Checked => "all checks done",
            Status::PartlyChecked => "some checks done",
            Status::NotChecked => "no checks done",
            Status::NeverDiscovered => "never discovered",
            Status::OnTime => "on time",
            Status::Late => "late",
            Status::Missed => "missed",
            Status::DidNotArise => "did not arise",
        }
    }
}

/// One scored rubric item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemScore {
    /// The rubric item's id (a person id for carers).
    pub id: String,
    /// Its title.
    pub title: String,
    /// What happened.
    pub status: Status,
    /// Credit earned, 0–1.
    pub fraction: f64,
    /// Weight within the criterion.
    pub weight: f64,
    /// Whether it counts (an escalation whose threshold never came does not).
    pub applicable: bool,
    /// When it first became knowable (surfaced, discovered, threshold reached).
    pub knowable_at: Option<InGameTime>,
    /// The moment it was earned or lost.
    pub settled_at: Option<InGameTime>,
    /// The deadline, where there is one.
    pub due: Option<InGameTime>,
    /// The trainee's actions (numbered from 0) that earned it.
    pub evidence: Vec<usize>,
    /// What earned or lost it, in words.
    pub explanation: String,
    /// The learning point.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
}

/// Points taken off for a formal route out of proportion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Penalty {
    /// The overreach item.
    pub id: String,
    /// The route used.
    pub route: Route,
    /// When.
    pub at: InGameTime,
    /// Points off the escalation criterion.
    pub points: u32,
    /// Why it was out of proportion.
    pub reason: String,
    /// The action that made it.
    pub evidence: Vec<usize>,
}

/// One criterion's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionScore {
    /// Which.
    pub criterion: Criterion,
    /// 0–100.
    pub score: f64,
    /// Weight in the overall score.
    pub weight: f64,
    /// Whether anything in it applied.
    pub applicable: bool,
    /// Its items.
    pub items: Vec<ItemScore>,
    /// Penalties (escalations only).
    pub penalties: Vec<Penalty>,
}

/// The whole score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// Weighted mean of the applicable criteria, 0–100.
    pub overall: f64,
    /// The three criteria.
    pub criteria: Vec<CriterionScore>,
}

impl Score {
    /// One criterion.
    pub fn criterion(&self, c: Criterion) -> &CriterionScore {
        // `criteria` always holds all three, in `Criterion::ALL` order.
        &self.criteria[Criterion::ALL.iter().position(|x| *x == c).unwrap_or(0)]
    }

    /// The overall score had one item (criterion, index) come out with this
    /// credit instead: what a different decision there would have been worth.
    pub fn overall_if(&self, c: Criterion, index: usize, fraction: f64) -> f64 {
        let criteria = self.criteria.iter().map(|cs| {
            if cs.criterion != c {
                return (cs.applicable, cs.weight, cs.score);
            }
            let points = cs.penalties.iter().map(|p| p.points).sum();
            let items = cs.items.iter().enumerate().map(|(i, item)| {
                if i == index { (true, item.weight, fraction) } else { (item.applicable, item.weight, item.fraction) }
            });
            let (applicable, score) = criterion_score(items, points);
            (applicable, cs.weight, score)
        });
        weighted_mean(criteria)
    }

    /// Scores a state, with explanations. `journal`, when given, supplies the evidence.
    pub fn of(r: Rules, state: &CaseState, journal: Option<&[Entry]>) -> Score {
        let s = r.s;
        let ev = Evidence { journal };
        let say = Explainer { r, now: state.now };

        let inconsistencies = s
            .rubric
            .inconsistencies
            .iter()
            .map(|x| {
                let o = inconsistency(r, state, x);
                ItemScore {
                    id: x.id.clone(),
                    title: say.name(&x.title),
                    explanation: say.inconsistency(state, x, &o),
                    evidence: o.by.and_then(|a| ev.took(a)).into_iter().collect(),
                    learning_point: say.name(&x.learning_point),
                    review_finding: x.review_finding.clone(),
                    ..o.item(x.weight)
                }
            })
            .collect();

        let carers = s
            .rubric
            .carers
            .iter()
            .map(|c| {
                let o = carer(r, state, c);
                ItemScore {
                    id: s.person(c.person).id.clone(),
                    title: format!("{}, {}", r.v.name(c.person), say.name(&s.person(c.person).description)),
                    explanation: say.carer(state, c, &o),
                    evidence: c.checks.iter().filter_map(|k| ev.checked(c.person, *k)).collect(),
                    learning_point: say.name(&c.learning_point),
                    review_finding: c.review_finding.clone(),
                    ..o.item(c.weight)
                }
            })
            .collect();

        let escalations = s
            .rubric
            .escalations
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let o = escalation(r, state, i);
                ItemScore {
                    id: x.id.clone(),
                    title: say.name(&x.title),
                    explanation: say.escalation(x, &o),
                    evidence: match o.by {
                        Some(a) => ev.took(a).into_iter().collect(),
                        None => o
                            .settled_at
                            .filter(|_| o.fraction > 0.0)
                            .and_then(|m| ev.escalated(&x.counts, m))
                            .into_iter()
                            .collect(),
                    },
                    learning_point: say.name(&x.learning_point),
                    review_finding: x.review_finding.clone(),
                    ..o.item(x.weight)
                }
            })
            .collect();

        let penalties = s
            .rubric
            .overreach
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let at = state.overreach_at(r, i)?;
                Some(Penalty {
                    id: o.id.clone(),
                    route: o.route,
                    at,
                    points: o.penalty,
                    reason: say.name(&o.reason),
                    evidence: ev.escalated(&[o.route], at).into_iter().collect(),
                })
            })
            .collect();

        let w = &s.rubric.weights;
        let criteria = vec![
            criterion(Criterion::Inconsistencies, w.inconsistencies, inconsistencies, Vec::new()),
            criterion(Criterion::Carers, w.carers, carers, Vec::new()),
            criterion(Criterion::Escalations, w.escalations, escalations, penalties),
        ];
        let overall = weighted_mean(criteria.iter().map(|c| (c.applicable, c.weight, c.score)));
        Score { overall, criteria }
    }
}

/// The overall score of a state, without explanations: the same rules as
/// [`Score::of`], cheap enough for the explorer to call at every ending.
pub fn overall(r: Rules, state: &CaseState) -> f64 {
    let s = r.s;
    let inc = criterion_score(
        s.rubric.inconsistencies.iter().map(|x| (true, x.weight, inconsistency(r, state, x).fraction)),
        0,
    );
    let car = criterion_score(s.rubric.carers.iter().map(|c| (true, c.weight, carer(r, state, c).fraction)), 0);
    let penalty = s
        .rubric
        .overreach
        .iter()
        .enumerate()
        .filter(|(i, _)| state.overreach_at(r, *i).is_some())
        .map(|(_, o)| o.penalty)
        .sum();
    let esc = criterion_score(
        s.rubric.escalations.iter().enumerate().map(|(i, x)| {
            let o = escalation(r, state, i);
            (o.applicable, x.weight, o.fraction)
        }),
        penalty,
    );
    let w = &s.rubric.weights;
    weighted_mean(
        [(inc.0, w.inconsistencies, inc.1), (car.0, w.carers, car.1), (esc.0, w.escalations, esc.1)].into_iter(),
    )
}

/// A criterion's score from its items' (applicable, weight, credit): the
/// weighted mean of the applicable items' credit, less penalty points; 100 if
/// no item applied. Returns whether anything applied, and the score.
fn criterion_score(items: impl Iterator<Item = (bool, f64, f64)>, penalty: u32) -> (bool, f64) {
    let (mut total, mut earned) = (0.0, 0.0);
    for (applicable, weight, fraction) in items {
        if applicable {
            total += weight;
            earned += weight * fraction;
        }
    }
    let base = if total > 0.0 { 100.0 * earned / total } else { 100.0 };
    (total > 0.0 || penalty > 0, (base - penalty as f64).max(0.0))
}

fn weighted_mean(criteria: impl Iterator<Item = (bool, f64, f64)>) -> f64 {
    let (mut total, mut sum) = (0.0, 0.0);
    for (applicable, weight, score) in criteria {
        if applicable && weight > 0.0 {
            total += weight;
            sum += weight * score;
        }
    }
    if total > 0.0 { sum / total } else { 0.0 }
}

/// The numbers behind one item, before any words.
#[derive(Clone, Debug)]
struct ItemOutcome {
    status: Status,
    fraction: f64,
    applicable: bool,
    knowable_at: Option<InGameTime>,
    settled_at: Option<InGameTime>,
    due: Option<InGameTime>,
    /// The action that followed it up, for inconsistencies.
    by: Option<ActionIx>,
}

impl ItemOutcome {
    fn item(&self, weight: f64) -> ItemScore {
        ItemScore {
            id: String::new(),
            title: String::new(),
            status: self.status,
            fraction: self.fraction,
            weight,
            applicable: self.applicable,
            knowable_at: self.knowable_at,
            settled_at: self.settled_at,
            due: self.due,
            evidence: Vec::new(),
            explanation: String::new(),
            learning_point: String::new(),
            review_finding: String::new(),
        }
    }
}

fn outcome(status: Status, fraction: f64) -> ItemOutcome {
    ItemOutcome { status, fraction, applicable: true, knowable_at: None, settled_at: None, due: None, by: None }
}

/// Surfaced (every fact known) and followed up by a counting action: full;
/// followed up after `late_after`: partial; otherwise none. A counting action
/// taken before the inconsistency surfaced counts from the moment it did.
fn inconsistency(r: Rules, state: &CaseState, x: &InconsistencyDef) -> ItemOutcome {
    let over = state.ended.is_some();
    let surfaced =
        x.facts.iter().map(|f| state.fact_at(r, *f)).collect::<Option<Vec<_>>>().and_then(|t| t.into_iter().max());
    let follow =
        x.followed_up_by.iter().filter_map(|a| state.action_at(r, *a).map(|t| (t, *a))).min_by_key(|(t, _)| *t);
    let Some(at) = surfaced else {
        let status = if over { Status::NeverSurfaced } else { Status::Open };
        return ItemOutcome { settled_at: over.then_some(state.now), ..outcome(status, 0.0) };
    };
    let due = x.late_after.after(at, &r.s.calendar);
    let base =
        ItemOutcome { knowable_at: Some(at), due: Some(due), by: follow.map(|(_, a)| a), ..outcome(Status::Open, 0.0) };
    match follow {
        Some((t, _)) if t <= due => {
            ItemOutcome { status: Status::FollowedUp, fraction: 1.0, settled_at: Some(t.max(at)), ..base }
        }
        Some((t, _)) => {
            ItemOutcome { status: Status::FollowedUpLate, fraction: LATE_FOLLOW_UP_CREDIT, settled_at: Some(t), ..base }
        }
        None if !over && state.now <= due => base,
        None => ItemOutcome { status: Status::NotFollowedUp, settled_at: Some(due.min(state.now)), ..base },
    }
}

/// The fraction of required checks done; a carer never discovered scores none.
fn carer(r: Rules, state: &CaseState, c: &CarerDef) -> ItemOutcome {
    let over = state.ended.is_some();
    let known = state.person_known_at(r, c.person);
    let done: Vec<InGameTime> = c.checks.iter().filter_map(|k| state.check_at(r, c.person, *k)).collect();
    let all = done.len() == c.checks.len();
    let fraction = if known.is_some() { done.len() as f64 / c.checks.len().max(1) as f64 } else { 0.0 };
    let status = match known {
        None if over => Status::NeverDiscovered,
        Some(_) if all => Status::Checked,
        None => Status::Open,
        Some(_) if !over => Status::Open,
        Some(_) if done.is_empty() => Status::NotChecked,
        Some(_) => Status::PartlyChecked,
    };
    let settled_at = match status {
        Status::Open => None,
        Status::Checked => done.iter().max().copied(),
        _ => Some(state.now),
    };
    ItemOutcome { knowable_at: known, settled_at, ..outcome(status, fraction) }
}

/// On time: full; late: partial, falling with lateness; never: none. An item
/// whose threshold never came does not count.
fn escalation(r: Rules, state: &CaseState, i: usize) -> ItemOutcome {
    let x = &r.s.rubric.escalations[i];
    let over = state.ended.is_some();
    let Some(t) = state.trigger_at(r, i) else {
        return ItemOutcome { applicable: false, ..outcome(Status::DidNotArise, 0.0) };
    };
    let due = x.deadline.after(t, &r.s.calendar);
    let base = ItemOutcome { knowable_at: Some(t), due: Some(due), ..outcome(Status::Open, 0.0) };
    // Met by one of its `met_by` choices rather than a route?
    let by = state.met_at(r, i).and_then(|m| x.met_by.iter().copied().find(|a| state.action_at(r, *a) == Some(m)));
    let base = ItemOutcome { by, ..base };
    match state.met_at(r, i) {
        Some(m) if m <= due => ItemOutcome { status: Status::OnTime, fraction: 1.0, settled_at: Some(m), ..base },
        Some(m) => ItemOutcome {
            status: Status::Late,
            fraction: late_escalation_credit(t, due, m),
            settled_at: Some(m),
            ..base
        },
        None if !over && state.now <= due => base,
        None => ItemOutcome { status: Status::Missed, settled_at: Some(due.min(state.now.max(t))), ..base },
    }
}

/// Puts an outcome into words, with this session's names.
struct Explainer<'a> {
    r: Rules<'a>,
    now: InGameTime,
}

impl Explainer<'_> {
    fn name(&self, text: &str) -> String {
        self.r.v.render(self.r.s, text)
    }

    fn when(&self, t: InGameTime) -> String {
        self.r.s.calendar.describe(t)
    }

    fn quote(&self, f: FactIx) -> String {
        format!("\u{201c}{}\u{201d}", self.name(&self.r.s.fact(f).texts[self.r.v.fact_text(f)]))
    }

    fn inconsistency(&self, state: &CaseState, x: &InconsistencyDef, o: &ItemOutcome) -> String {
        let both = || x.facts.iter().map(|f| self.quote(*f)).collect::<Vec<_>>().join(" and ");
        let action = || o.by.map(|a| self.name(&self.r.s.action(a).text)).unwrap_or_default();
        let knew = o.knowable_at.map(|t| self.when(t)).unwrap_or_default();
        match o.status {
            Status::NeverSurfaced => {
                let missing: Vec<String> =
                    x.facts.iter().filter(|f| state.fact_at(self.r, **f).is_none()).map(|f| self.quote(*f)).collect();
                format!("It never surfaced: you did not learn {}.", missing.join(" or "))
            }
            Status::FollowedUp => format!(
                "You knew {} by {knew}, and followed it up: \u{201c}{}\u{201d} ({}).",
                both(),
                action(),
                self.when(o.settled_at.unwrap_or(self.now))
            ),
            Status::FollowedUpLate => format!(
                "You knew {} by {knew}, but followed it up only at {} (\u{201c}{}\u{201d}); it was due within {}.",
                both(),
                self.when(o.settled_at.unwrap_or(self.now)),
                action(),
                x.late_after.describe()
            ),
            Status::NotFollowedUp => {
                format!("You knew {} by {knew} but never followed it up: the account was accepted as it stood.", both())
            }
            _ if o.knowable_at.is_some() => format!("Surfaced at {knew}; not followed up yet."),
            _ => "Not all of this has come to light yet.".to_string(),
        }
    }

    fn carer(&self, state: &CaseState, c: &CarerDef, o: &ItemOutcome) -> String {
        let who = self.r.v.name(c.person);
        let missing: Vec<&str> = c
            .checks
            .iter()
            .filter(|k| state.check_at(self.r, c.person, **k).is_none())
            .map(|k| self.r.s.checks[k.ix()].title.as_str())
            .collect();
        let done = c.checks.len() - missing.len();
        let since = o.knowable_at.map(|t| self.when(t)).unwrap_or_default();
        match o.status {
            Status::NeverDiscovered => {
                format!(
                    "You never found out that {who} was living with or looking after the child, so no checks were made."
                )
            }
            Status::Checked => format!("You learned of {who} at {since} and made every check."),
            Status::NotChecked => {
                format!("You knew of {who} from {since} but made none of the checks: {}.", missing.join(", "))
            }
            Status::PartlyChecked => format!(
                "You knew of {who} from {since} and made {done} of {} checks; not done: {}.",
                c.checks.len(),
                missing.join(", ")
            ),
            _ if o.knowable_at.is_some() => format!("Known since {since}; still to do: {}.", missing.join(", ")),
            _ => format!("{who} is not known to you yet."),
        }
    }

    fn escalation(&self, x: &EscalationDef, o: &ItemOutcome) -> String {
        let mut ways: Vec<String> = x.counts.iter().map(|r| r.describe().to_string()).collect();
        ways.extend(x.met_by.iter().map(|a| format!("\u{201c}{}\u{201d}", self.name(&self.r.s.action(*a).text))));
        let routes = ways.join(" or ");
        let done = match o.by {
            Some(a) => format!("you did \u{201c}{}\u{201d}", self.name(&self.r.s.action(a).text)),
            None => format!("you escalated ({routes})"),
        };
        let (Some(t), Some(due)) = (o.knowable_at, o.due) else {
            return "The threshold was not reached in this session.".to_string();
        };
        let (t, due) = (self.when(t), self.when(due));
        match o.status {
            Status::OnTime => format!(
                "The threshold was reached at {t}; {done} at {}, within {}.",
                self.when(o.settled_at.unwrap_or(self.now)),
                x.deadline.describe()
            ),
            Status::Late => format!(
                "The threshold was reached at {t}; it was due by {due} ({}), but {done} only at {}.",
                x.timescale,
                self.when(o.settled_at.unwrap_or(self.now))
            ),
            Status::Missed => {
                format!(
                    "The threshold was reached at {t}; {routes} was due by {due} ({}) and never happened.",
                    x.timescale
                )
            }
            _ => format!("Threshold reached at {t}; due by {due}."),
        }
    }
}

/// Credit for an escalation at `made`, due at `due`, after a threshold at `trigger`:
/// [`LATE_ESCALATION_CREDIT`] just after the deadline, falling linearly to
/// [`LATE_ESCALATION_FLOOR`] once it is as late again as the time allowed.
pub fn late_escalation_credit(trigger: InGameTime, due: InGameTime, made: InGameTime) -> f64 {
    let allowed = due.minutes_since(trigger).max(60) as f64;
    let late = made.minutes_since(due) as f64;
    (LATE_ESCALATION_CREDIT * (1.0 - late / allowed)).max(LATE_ESCALATION_FLOOR)
}

fn criterion(criterion: Criterion, weight: f64, items: Vec<ItemScore>, penalties: Vec<Penalty>) -> CriterionScore {
    let points = penalties.iter().map(|p| p.points).sum();
    let (applicable, score) = criterion_score(items.iter().map(|i| (i.applicable, i.weight, i.fraction)), points);
    CriterionScore { criterion, score, weight, applicable, items, penalties }
}

/// Finds, in the journal, the trainee's actions behind an outcome.
struct Evidence<'a> {
    journal: Option<&'a [Entry]>,
}

impl Evidence<'_> {
    fn entries(&self) -> &[Entry] {
        self.journal.unwrap_or(&[])
    }

    /// The action number a cause goes back to (an answer goes back to the request).
    fn action_of(&self, cause: Cause) -> Option<usize> {
        match cause {
            Cause::Action(n) => Some(n),
            Cause::Answer(q) => self.entries().iter().find_map(|e| match e {
                Entry::Requested { request, cause, .. } if *request == q => self.action_of(*cause),
                _ => None,
            }),
            Cause::Event(_) | Cause::Start => None,
        }
    }

    fn took(&self, a: ActionIx) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Took { n, action, .. } if *action == a => Some(*n),
            _ => None,
        })
    }

    fn checked(&self, p: crate::scenario::PersonIx, k: crate::scenario::CheckIx) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Checked { person, check, cause, .. } if *person == p && *check == k => self.action_of(*cause),
            _ => None,
        })
    }

    fn escalated(&self, routes: &[Route], at: InGameTime) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Escalated { route, at: t, cause } if routes.contains(route) && *t == at => self.action_of(*cause),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ClockTime;
    use crate::scenario::example;
    use crate::sim::Session;

    fn scored(actions: &[&str]) -> (Session, Score) {
        let s = Session::replay(example::scenario(), 1, actions).unwrap();
        let score = Score::of(s.rules(), s.state(), Some(s.journal()));
        (s, score)
    }

    fn t(day: u32, h: u32, m: u32) -> InGameTime {
        InGameTime::at(day, ClockTime::new(h, m).unwrap())
    }

    const EXEMPLARY: &[&str] = &[
        "call_nursery",
        "visit",
        "ask",
        "ask_again",
        "look_hall",
        "meet_partner",
        "leave",
        "police_checks",
        "strategy",
        "wait",
        "close",
    ];

    #[test]
    fn everything_done_in_time_scores_full_marks_with_evidence() {
        let (s, score) = scored(EXEMPLARY);
        assert_eq!(s.ending().unwrap().id, "safe");
        assert_eq!(score.overall, 100.0);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUp);
        assert_eq!(inc.knowable_at, Some(t(1, 16, 30)), "surfaced when the second account was heard");
        assert_eq!(inc.settled_at, Some(t(1, 16, 45)));
        assert_eq!(inc.evidence, vec![3], "action 3 is ask_again");
        let partner = &score.criterion(Criterion::Carers).items[1];
        assert_eq!(partner.status, Status::Checked);
        assert_eq!(partner.evidence, vec![5, 7], "met by action 5; police answer traced to the request, action 7");
        let esc = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!((esc.status, esc.settled_at, esc.due), (Status::OnTime, Some(t(1, 18, 5)), Some(t(1, 23, 59))));
        assert_eq!(esc.evidence, vec![8]);
    }

    #[test]
    fn inconsistency_followed_up_late_earns_half() {
        let (_, score) =
            scored(&["call_nursery", "visit", "ask", "leave", "wait", "visit", "ask_again", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUpLate);
        assert_eq!(inc.fraction, LATE_FOLLOW_UP_CREDIT);
        assert_eq!(inc.due, Some(t(1, 18, 30)), "two hours after it surfaced");
        assert_eq!(score.criterion(Criterion::Inconsistencies).score, 50.0);
    }

    #[test]
    fn inconsistency_surfaced_and_left_earns_nothing() {
        let (_, score) = scored(&["call_nursery", "visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!((inc.status, inc.fraction), (Status::NotFollowedUp, 0.0));
        assert!(inc.explanation.contains("never followed it up"), "{}", inc.explanation);
    }

    #[test]
    fn inconsistency_that_never_surfaced_earns_nothing_and_says_what_was_missing() {
        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!((inc.status, inc.fraction), (Status::NeverSurfaced, 0.0));
        assert!(inc.explanation.contains("Four small round bruises"), "{}", inc.explanation);
    }

    #[test]
    fn a_follow_up_taken_before_it_surfaced_counts_from_when_it_does() {
        // Convene the strategy discussion before hearing the mother's account.
        let (_, score) = scored(&["call_nursery", "strategy", "visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUp);
        assert_eq!(inc.settled_at, inc.knowable_at);
    }

    #[test]
    fn carers_score_the_fraction_of_checks_and_nothing_if_never_discovered() {
        let (_, score) = scored(&["visit", "ask", "look_hall", "meet_partner", "leave", "close"]);
        let carers = score.criterion(Criterion::Carers);
        assert_eq!((carers.items[0].status, carers.items[0].fraction), (Status::Checked, 1.0));
        assert_eq!((carers.items[1].status, carers.items[1].fraction), (Status::PartlyChecked, 0.5));
        assert_eq!(carers.score, 75.0);

        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        let carers = score.criterion(Criterion::Carers);
        assert_eq!((carers.items[1].status, carers.items[1].fraction), (Status::NeverDiscovered, 0.0));
        assert_eq!(carers.score, 50.0);

        let (_, score) = scored(&["visit", "look_hall", "leave", "close"]);
        assert_eq!(score.criterion(Criterion::Carers).items[1].status, Status::NotChecked);
    }

    #[test]
    fn escalation_on_time_late_missed_or_not_arising() {
        let esc = |actions: &[&str]| scored(actions).1.criterion(Criterion::Escalations).clone();
        let on_time = esc(&["call_nursery", "strategy", "close"]);
        assert_eq!((on_time.items[0].status, on_time.score), (Status::OnTime, 100.0));

        // Due at 23:59 on Friday; escalated on Monday at 09:00: very late, the floor.
        let late = esc(&["call_nursery", "wait", "strategy", "close"]);
        assert_eq!(late.items[0].status, Status::Late);
        assert_eq!(late.items[0].fraction, LATE_ESCALATION_FLOOR);

        let missed = esc(&["call_nursery", "close"]);
        assert_eq!((missed.items[0].status, missed.score), (Status::Missed, 0.0));

        let none = esc(&["visit", "ask", "leave", "close"]);
        assert_eq!(none.items[0].status, Status::DidNotArise);
        assert!(!none.applicable, "nothing to escalate: the criterion does not count");
    }

    #[test]
    fn an_item_can_be_met_by_a_listed_choice_instead_of_a_route() {
        let text = example::with("counts: [StrategyDiscussion],", "met_by: [\"ask_again\"],");
        let s = std::sync::Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
        let played =
            Session::replay(s.clone(), 1, &["call_nursery", "visit", "ask", "ask_again", "leave", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        let item = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!(item.status, Status::OnTime);
        assert_eq!(item.evidence, vec![3]);
        assert!(
            item.explanation.contains("you did \u{201c}Ask about the fingertip marks\u{201d}"),
            "{}",
            item.explanation
        );
        // The strategy discussion no longer counts for it.
        let played = Session::replay(s, 1, &["call_nursery", "strategy", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), None);
        assert_eq!(score.criterion(Criterion::Escalations).items[0].status, Status::Missed);
    }

    #[test]
    fn late_credit_falls_with_lateness() {
        let (trigger, due) = (t(1, 10, 0), t(1, 12, 0));
        assert_eq!(late_escalation_credit(trigger, due, t(1, 12, 0)), LATE_ESCALATION_CREDIT);
        assert!((late_escalation_credit(trigger, due, t(1, 13, 0)) - 0.3).abs() < 1e-9, "an hour late of two allowed");
        assert_eq!(late_escalation_credit(trigger, due, t(1, 15, 0)), LATE_ESCALATION_FLOOR);
    }

    #[test]
    fn an_escalation_out_of_proportion_costs_its_penalty() {
        let (_, score) = scored(&["call_nursery", "strategy", "protect", "close"]);
        let esc = score.criterion(Criterion::Escalations);
        assert_eq!(esc.penalties.len(), 1);
        assert_eq!(esc.penalties[0].points, 25);
        assert_eq!(esc.penalties[0].evidence, vec![2]);
        assert_eq!(esc.score, 75.0);
    }

    #[test]
    fn overall_is_the_weighted_mean_of_the_criteria_that_applied() {
        // No escalation arose: the mean of the other two.
        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        assert_eq!(score.overall, (0.0 + 50.0) / 2.0);
        // Weights.
        let text = example::with(
            "rubric: (",
            "rubric: (\n        weights: (inconsistencies: 2.0, carers: 1.0, escalations: 1.0),",
        );
        let s = std::sync::Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
        let s = Session::replay(s, 1, &["call_nursery", "visit", "ask", "ask_again", "leave", "close"]).unwrap();
        let score = Score::of(s.rules(), s.state(), None);
        let (i, c, e) = (100.0, 50.0, 0.0);
        assert_eq!(score.criterion(Criterion::Carers).score, c);
        assert_eq!(score.overall, (2.0 * i + c + e) / 4.0);
    }

    #[test]
    fn the_quick_overall_agrees_with_the_full_debrief_on_random_playthroughs() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        let scenarios = [
            example::scenario(),
            std::sync::Arc::new(
                crate::scenario::load_str("first case", include_str!("../scenarios/marks-explained-away.ron"))
                    .unwrap()
                    .0,
            ),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for scenario in scenarios {
            for seed in 0..60 {
                let mut s = Session::new(scenario.clone(), seed);
                for _ in 0..200 {
                    let options = s.available();
                    if options.is_empty() {
                        break;
                    }
                    s.take(options[rng.random_range(0..options.len())]).unwrap();
                    let full = Score::of(s.rules(), s.state(), Some(s.journal())).overall;
                    assert_eq!(overall(s.rules(), s.state()), full);
                }
            }
        }
    }
}
