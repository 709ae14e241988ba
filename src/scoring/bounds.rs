//! How high and how low the overall score can still end from a state that is
//! still being played: the bounds `explore` prunes its search with, so that
//! it can report the best and worst reachable scores exactly.
//!
//! Each bound is safe: every item is given the best (or worst) credit it can
//! still earn, an item that may or may not come to count is counted only
//! where that helps (or hurts), penalties still possible are all taken (for
//! the lower bound), and the ending's harm is taken at its largest (lower) or
//! left out (upper). Credit for a late step only falls with time, so meeting
//! it now is the best it can still do.

use super::rules::{ItemOutcome, Numbers, Status, after_harm, credit, criterion_index, criterion_weights, weights};
use crate::scenario::Criterion;
use crate::sim::{CaseState, Rules};

/// The range the final overall score of every path on from a state lies in,
/// before the ending's harm: a path ending in an ending with harm `h` scores
/// between `lowest(h)` and `highest(h)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// No path on has a weighted mean (before harm) below this.
    pub lowest_before_harm: f64,
    /// No path on has a weighted mean (before harm) above this.
    pub highest_before_harm: f64,
}

impl Bounds {
    /// The least overall score a path on can end with, if its ending's harm is `harm`.
    pub fn lowest(&self, harm: u32) -> f64 {
        after_harm(self.lowest_before_harm, harm)
    }

    /// The most overall score a path on can end with, if its ending's harm is `harm`.
    pub fn highest(&self, harm: u32) -> f64 {
        after_harm(self.highest_before_harm, harm)
    }
}

/// One item's possible final credit, and whether it must count.
#[derive(Clone, Copy, Debug)]
struct Range {
    lo: f64,
    hi: f64,
    /// It may end up not counting at all.
    optional: bool,
    /// It certainly does not count.
    excluded: bool,
}

impl Range {
    fn fixed(o: &ItemOutcome) -> Range {
        Range { lo: o.fraction, hi: o.fraction, optional: false, excluded: !o.applicable }
    }

    fn open(lo: f64, hi: f64, optional: bool) -> Range {
        Range { lo, hi, optional, excluded: false }
    }
}

/// The bounds on the final overall score from `state`.
pub fn bounds(r: Rules, state: &CaseState) -> Bounds {
    let numbers = Numbers::of(r, state);
    if state.ended.is_some() {
        let before = numbers.before_harm(r);
        return Bounds { lowest_before_harm: before, highest_before_harm: before };
    }
    let s = r.s;
    let now = state.now;
    let ranges: [Vec<Range>; 3] = [
        numbers
            .inconsistencies
            .iter()
            .map(|o| match (o.status, o.due) {
                (Status::FollowedUp | Status::FollowedUpLate | Status::DidNotArise, _) => Range::fixed(o),
                // Surfaced: following it up now is the best still possible.
                (_, Some(due)) => Range::open(0.0, credit(due, now), false),
                _ => Range::open(0.0, 1.0, false),
            })
            .collect(),
        numbers
            .carers
            .iter()
            .map(|o| match o.status {
                Status::Checked | Status::DidNotArise => Range::fixed(o),
                _ => Range::open(o.fraction, 1.0, false),
            })
            .collect(),
        numbers
            .escalations
            .iter()
            .map(|o| {
                // Not a rule of its own: the same as `rules::escalation`, at the extremes.
                match o.status {
                    Status::OnTime | Status::Late => Range::fixed(o),
                    Status::DidNotArise | Status::NotDue => Range::open(0.0, 1.0, true),
                    // Not met yet (open, refused so far, or missed so far).
                    _ => {
                        // Once refused, meeting it can earn no more than late credit.
                        let best = match (o.due, o.status) {
                            (Some(due), Status::Refused) => super::rules::late_credit(now.minutes_since(due)),
                            (Some(due), _) => credit(due, now),
                            (None, _) => 1.0,
                        };
                        // Still inside its timescale, it may stop counting: an
                        // incident's item answered in time, or any item the case
                        // ends before (unless it was already refused).
                        let in_time = o.due.is_some_and(|due| now <= due);
                        let can_drop = in_time && o.status != Status::Refused;
                        Range::open(0.0, if can_drop { 1.0 } else { best }, can_drop)
                    }
                }
            })
            .collect(),
    ];
    // Points already taken, and all that could still be.
    let taken = numbers.points_off;
    let mut possible = numbers.points_off;
    let esc = criterion_index(Criterion::Escalations);
    for (i, o) in s.rubric.overreach.iter().enumerate() {
        if state.overreach_at(r, i).is_none() {
            possible[esc] += o.penalty;
        }
    }
    for (i, p) in s.rubric.penalties.iter().enumerate() {
        if state.penalty_at(r, i).is_none() {
            possible[criterion_index(p.criterion)] += p.points;
        }
    }
    let w = criterion_weights(r);
    let mut highs = Vec::new();
    let mut lows = Vec::new();
    for (k, c) in Criterion::ALL.into_iter().enumerate() {
        let ws = weights(r, c);
        highs.push(options(&ranges[k], &ws, taken[k], true));
        lows.push(options(&ranges[k], &ws, possible[k], false));
    }
    let highest = combine(&highs, &w, true);
    let lowest = combine(&lows, &w, false);
    Bounds { lowest_before_harm: lowest, highest_before_harm: highest }
}

/// The criterion's possible scores at the extreme: `None` if it may end up
/// not counting at all, and the best (or worst) score if it counts.
fn options(ranges: &[Range], weights: &[f64], points: u32, high: bool) -> Vec<Option<f64>> {
    let value = |r: &Range| if high { r.hi } else { r.lo };
    let (mut total, mut sum) = (0.0, 0.0);
    let mut optional: Vec<(f64, f64)> = Vec::new();
    for (r, w) in ranges.iter().zip(weights) {
        if r.excluded {
            continue;
        }
        if r.optional {
            optional.push((value(r), *w));
        } else {
            total += w;
            sum += w * value(r);
        }
    }
    // Optional items, best first for the high bound (worst first for the low),
    // each taken while it moves the mean the right way.
    optional.sort_by(|a, b| if high { b.0.total_cmp(&a.0) } else { a.0.total_cmp(&b.0) });
    let mean = |sum: f64, total: f64| if total > 0.0 { sum / total } else { 1.0 };
    let mut out = Vec::new();
    let score = |sum: f64, total: f64| (100.0 * mean(sum, total) - points as f64).max(0.0);
    if total == 0.0 && points == 0 {
        // May not count at all; or counts with one or more optional items.
        out.push(None);
    }
    let (mut t, mut s) = (total, sum);
    let mut best = if total > 0.0 || points > 0 { Some(score(s, t)) } else { None };
    for (v, w) in &optional {
        let better = if high { *v > mean(s, t) || t == 0.0 } else { *v < mean(s, t) || t == 0.0 };
        if !better {
            break;
        }
        t += w;
        s += w * v;
        let candidate = score(s, t);
        best = Some(match best {
            Some(b) if high => b.max(candidate),
            Some(b) => b.min(candidate),
            None => candidate,
        });
    }
    if let Some(b) = best {
        out.push(Some(b));
    }
    if out.is_empty() {
        out.push(None);
    }
    out
}

/// The highest (or lowest) weighted mean over every choice of options.
fn combine(options: &[Vec<Option<f64>>], weights: &[f64; 3], high: bool) -> f64 {
    let mut best: Option<f64> = None;
    let mut pick = vec![0usize; options.len()];
    loop {
        let (mut total, mut sum) = (0.0, 0.0);
        for (k, o) in options.iter().enumerate() {
            if let Some(v) = o[pick[k]]
                && weights[k] > 0.0
            {
                total += weights[k];
                sum += weights[k] * v;
            }
        }
        let mean = if total > 0.0 { sum / total } else { 0.0 };
        best = Some(match best {
            Some(b) if high => b.max(mean),
            Some(b) => b.min(mean),
            None => mean,
        });
        // Next combination.
        let mut k = 0;
        loop {
            if k == options.len() {
                return best.unwrap_or(0.0);
            }
            pick[k] += 1;
            if pick[k] < options[k].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
    }
}
