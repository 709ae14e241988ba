//! The rules that turn a state into numbers: each item's status and credit,
//! the penalties incurred and the harm of the ending. No words here; the
//! [`super::explain`] module puts them into sentences.

use crate::clock::InGameTime;
use crate::scenario::{ActionIx, CarerDef, Criterion, InconsistencyDef};
use crate::sim::{CaseState, Rules};

/// Credit for a step made just after its deadline.
pub const LATE_START: f64 = 0.8;
/// Days late at which a late step earns nothing.
pub const LATE_ZERO_DAYS: u32 = 10;
const LATE_ZERO_MINUTES: u32 = LATE_ZERO_DAYS * 24 * 60;

/// Credit for a step made `late` minutes after its deadline: [`LATE_START`]
/// just after it, falling in a straight line to nothing at
/// [`LATE_ZERO_DAYS`] days late. Every minute of delay costs; there is no floor.
pub fn late_credit(late_minutes: u32) -> f64 {
    let left = LATE_ZERO_MINUTES.saturating_sub(late_minutes) as f64 / LATE_ZERO_MINUTES as f64;
    LATE_START * left
}

/// Credit for a step made at `made`, due at `due`.
pub fn credit(due: InGameTime, made: InGameTime) -> f64 {
    if made <= due { 1.0 } else { late_credit(made.minutes_since(due)) }
}

/// What happened to one rubric item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
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
    /// Threshold reached (or there to be found), never escalated.
    Missed,
    /// Threshold reached, and the decision was not to act (close, no
    /// further action, keep monitoring): a missed escalation.
    Refused,
    /// The threshold was never reached in this session.
    DidNotArise,
    /// The case ended before it was due (and nobody decided against it).
    NotDue,
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
            Status::Refused => "decided not to act: missed",
            Status::DidNotArise => "did not arise",
            Status::NotDue => "not yet due when the case ended",
        }
    }
}

/// The numbers behind one item, before any words.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemOutcome {
    /// What happened.
    pub status: Status,
    /// Credit, 0–1.
    pub fraction: f64,
    /// Whether it counts in its criterion.
    pub applicable: bool,
    /// When the trainee could first know of it.
    pub knowable_at: Option<InGameTime>,
    /// When it was earned or lost.
    pub settled_at: Option<InGameTime>,
    /// Its deadline.
    pub due: Option<InGameTime>,
    /// The action that followed it up (inconsistencies) or met it (`met_by`).
    pub by: Option<ActionIx>,
}

pub(super) fn outcome(status: Status, fraction: f64) -> ItemOutcome {
    ItemOutcome { status, fraction, applicable: true, knowable_at: None, settled_at: None, due: None, by: None }
}

/// Surfaced (every fact known) and followed up by a counting action: full;
/// followed up after `late_after`: less, falling with lateness; otherwise
/// none. A counting action taken before the inconsistency surfaced counts
/// from the moment it did.
pub fn inconsistency(r: Rules, state: &CaseState, x: &InconsistencyDef) -> ItemOutcome {
    if x.only_if.as_ref().is_some_and(|c| !state.holds(r, c)) {
        return ItemOutcome { applicable: false, ..outcome(Status::DidNotArise, 0.0) };
    }
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
        Some((t, _)) => ItemOutcome {
            status: Status::FollowedUpLate,
            fraction: late_credit(t.minutes_since(due)),
            settled_at: Some(t),
            ..base
        },
        None if !over && state.now <= due => base,
        None => ItemOutcome { status: Status::NotFollowedUp, settled_at: Some(due.min(state.now)), ..base },
    }
}

/// The fraction of required checks done; a carer never discovered scores none.
pub fn carer(r: Rules, state: &CaseState, c: &CarerDef) -> ItemOutcome {
    if c.only_if.as_ref().is_some_and(|w| !state.holds(r, w)) {
        return ItemOutcome { applicable: false, ..outcome(Status::DidNotArise, 0.0) };
    }
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

/// When an escalation item's clock starts: the earlier of the trainee
/// reaching the threshold and the threshold being there to be found.
fn clock_start(r: Rules, state: &CaseState, i: usize) -> Option<InGameTime> {
    match (state.trigger_at(r, i), state.arises_at(r, i)) {
        (Some(t), Some(a)) => Some(t.min(a)),
        (t, a) => t.or(a),
    }
}

/// On time: full; late: less, falling with lateness to nothing; never, or a
/// decision not to act: none. An item whose threshold never came, and was
/// never there to be found, does not count. An item raised by an incident
/// (`consequence_of`) counts only when it was not answered in time: the
/// incident must never lift the score.
pub fn escalation(r: Rules, state: &CaseState, i: usize) -> ItemOutcome {
    let x = &r.s.rubric.escalations[i];
    let over = state.ended.is_some();
    let Some(start) = clock_start(r, state, i) else {
        return ItemOutcome { applicable: false, ..outcome(Status::DidNotArise, 0.0) };
    };
    let trigger = state.trigger_at(r, i);
    let due = x.deadline.after(start, &r.s.calendar);
    let base = ItemOutcome { knowable_at: trigger, due: Some(due), ..outcome(Status::Open, 0.0) };
    // Met by one of its `met_by` choices rather than a route?
    let by = state.met_at(r, i).and_then(|m| x.met_by.iter().copied().find(|a| state.action_at(r, *a) == Some(m)));
    let base = ItemOutcome { by, ..base };
    let o = match (state.met_at(r, i), state.refused_at(r, i)) {
        // A decision not to act, taken back: never on time, however soon.
        (Some(m), Some(refused)) if refused <= m => ItemOutcome {
            status: Status::Late,
            fraction: late_credit(m.minutes_since(due)),
            settled_at: Some(m),
            ..base
        },
        (Some(m), _) if m <= due => ItemOutcome { status: Status::OnTime, fraction: 1.0, settled_at: Some(m), ..base },
        (Some(m), _) => ItemOutcome {
            status: Status::Late,
            fraction: late_credit(m.minutes_since(due)),
            settled_at: Some(m),
            ..base
        },
        (None, Some(refused)) => ItemOutcome { status: Status::Refused, settled_at: Some(refused), ..base },
        (None, None) if !over && state.now <= due => base,
        (None, None) if !over && trigger.is_none() => base,
        // The case ended inside the timescale: nothing was missed yet.
        (None, None) if state.now < due => {
            ItemOutcome { status: Status::NotDue, applicable: false, settled_at: Some(state.now), ..base }
        }
        (None, None) => ItemOutcome { status: Status::Missed, settled_at: Some(due.min(state.now.max(start))), ..base },
    };
    if x.consequence_of.is_some() && o.status == Status::OnTime {
        return ItemOutcome { applicable: false, ..o };
    }
    o
}

/// Every number a score is made of.
#[derive(Clone, Debug)]
pub struct Numbers {
    /// Inconsistency items, in rubric order.
    pub inconsistencies: Vec<ItemOutcome>,
    /// Carer items.
    pub carers: Vec<ItemOutcome>,
    /// Escalation items.
    pub escalations: Vec<ItemOutcome>,
    /// Points off each criterion (overreach and penalties), in [`Criterion::ALL`] order.
    pub points_off: [u32; 3],
    /// The percentage the ending's harm takes off the overall.
    pub harm: u32,
}

impl Numbers {
    /// The numbers of a state.
    pub fn of(r: Rules, state: &CaseState) -> Numbers {
        let s = r.s;
        let mut points_off = [0u32; 3];
        let esc = criterion_index(Criterion::Escalations);
        for (i, o) in s.rubric.overreach.iter().enumerate() {
            if state.overreach_at(r, i).is_some() {
                points_off[esc] += o.penalty;
            }
        }
        for (i, p) in s.rubric.penalties.iter().enumerate() {
            if state.penalty_at(r, i).is_some() {
                points_off[criterion_index(p.criterion)] += p.points;
            }
        }
        Numbers {
            inconsistencies: s.rubric.inconsistencies.iter().map(|x| inconsistency(r, state, x)).collect(),
            carers: s.rubric.carers.iter().map(|c| carer(r, state, c)).collect(),
            escalations: (0..s.rubric.escalations.len()).map(|i| escalation(r, state, i)).collect(),
            points_off,
            harm: state.ended.map_or(0, |e| s.endings[e.ix()].harm),
        }
    }

    /// One criterion's items.
    pub fn items(&self, c: Criterion) -> &[ItemOutcome] {
        match c {
            Criterion::Inconsistencies => &self.inconsistencies,
            Criterion::Carers => &self.carers,
            Criterion::Escalations => &self.escalations,
        }
    }

    /// Each criterion's (applicable, score), in [`Criterion::ALL`] order.
    pub fn criteria(&self, r: Rules) -> [(bool, f64); 3] {
        Criterion::ALL.map(|c| {
            let items = self.items(c).iter().zip(weights(r, c)).map(|(o, w)| (o.applicable, w, o.fraction));
            criterion_score(items, self.points_off[criterion_index(c)])
        })
    }

    /// The weighted mean of the criteria that applied, before harm.
    pub fn before_harm(&self, r: Rules) -> f64 {
        let w = criterion_weights(r);
        weighted_mean(self.criteria(r).into_iter().zip(w).map(|((a, s), w)| (a, w, s)))
    }

    /// The overall score: the weighted mean, less the ending's harm.
    pub fn overall(&self, r: Rules) -> f64 {
        after_harm(self.before_harm(r), self.harm)
    }
}

/// A score with an ending's harm taken off: the harm is a percentage of the
/// score, so a better practitioner still scores higher than a worse one with
/// the same harm, and no ending with 40% harm can score above 60.
pub fn after_harm(before: f64, harm: u32) -> f64 {
    before * (100 - harm.min(100)) as f64 / 100.0
}

/// The position of a criterion in [`Criterion::ALL`].
pub fn criterion_index(c: Criterion) -> usize {
    match c {
        Criterion::Inconsistencies => 0,
        Criterion::Carers => 1,
        Criterion::Escalations => 2,
    }
}

/// The item weights of a criterion, in rubric order.
pub fn weights(r: Rules, c: Criterion) -> Vec<f64> {
    let rubric = &r.s.rubric;
    match c {
        Criterion::Inconsistencies => rubric.inconsistencies.iter().map(|x| x.weight).collect(),
        Criterion::Carers => rubric.carers.iter().map(|x| x.weight).collect(),
        Criterion::Escalations => rubric.escalations.iter().map(|x| x.weight).collect(),
    }
}

/// The three criterion weights, in [`Criterion::ALL`] order.
pub fn criterion_weights(r: Rules) -> [f64; 3] {
    let w = &r.s.rubric.weights;
    [w.inconsistencies, w.carers, w.escalations]
}

/// A criterion's score from its items' (applicable, weight, credit): the
/// weighted mean of the applicable items' credit, less penalty points; 100 if
/// no item applied. Returns whether anything applied, and the score.
pub fn criterion_score(items: impl Iterator<Item = (bool, f64, f64)>, penalty: u32) -> (bool, f64) {
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

/// The weighted mean of (applicable, weight, score).
pub fn weighted_mean(criteria: impl Iterator<Item = (bool, f64, f64)>) -> f64 {
    let (mut total, mut sum) = (0.0, 0.0);
    for (applicable, weight, score) in criteria {
        if applicable && weight > 0.0 {
            total += weight;
            sum += weight * score;
        }
    }
    if total > 0.0 { sum / total } else { 0.0 }
}
