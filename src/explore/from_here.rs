//! Which endings a case can still reach from the moment on screen: the
//! author's view asks after every action, so an author sees at once when an
//! edit (or a choice) has closed off an ending.
//!
//! It is the structural walk of [`super::walk`] started from the session's
//! state instead of the start, with one walk's budget: when the walk sees
//! every state within it, an ending it did not reach cannot be reached.

use super::walk::{Findings, Search, Walk};
use super::{Dedup, Path};
use crate::scenario::Cond;
use crate::sim::{Session, Variation};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use std::sync::atomic::AtomicBool;

/// An ending the walk reached from here.
#[derive(Clone, Debug, PartialEq)]
pub struct Reachable {
    /// The ending's id.
    pub id: String,
    /// The lowest and highest overall score seen with it.
    pub scores: (f64, f64),
    /// A way there from here (action ids).
    pub path: Path,
}

/// The endings still open from a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct EndingsFromHere {
    /// Each ending in file order: how to reach it, or `None` if the walk did not.
    pub endings: Vec<(String, Option<Reachable>)>,
    /// For each ending, whether its condition needs another version of the
    /// case than this seed's (a benign twin's ending in the concern version):
    /// unreachable here whatever the walk found.
    pub other_version: Vec<bool>,
    /// Whether the walk saw every state from here: then `None` means unreachable.
    pub complete: bool,
    /// The states walked.
    pub states: usize,
}

/// Walks at most `budget` states from the session's moment.
pub fn endings_from_here(session: &Session, budget: usize) -> EndingsFromHere {
    endings_from_here_until(session, budget, &AtomicBool::new(false))
}

/// As [`endings_from_here`], stopping early (with an incomplete answer) once
/// `cancel` is set.
pub fn endings_from_here_until(session: &Session, budget: usize, cancel: &AtomicBool) -> EndingsFromHere {
    let s = session.scenario();
    let mut search = Search { r: session.rules(), dedup: Dedup::Shape, found: Findings::new(s), cancel: Some(cancel) };
    let mut rng = ChaCha8Rng::seed_from_u64(session.seed());
    // As `explore` does: deep first, and if that does not see everything,
    // walks that share the budget out among the early decisions.
    let third = (budget / 3).max(1);
    for walk in [Walk::Deep, Walk::SharedOut, Walk::Shuffled] {
        search.found.bound_hit = false;
        search.walk(walk, third, &mut rng, session.state().clone());
        if !search.found.bound_hit {
            break;
        }
    }
    let found = search.found;
    let endings = s
        .endings
        .iter()
        .zip(found.endings)
        .map(|(def, reach)| {
            let reach = reach.map(|r| Reachable { id: r.id, scores: (r.lowest.0, r.highest.0), path: r.lowest.1 });
            (def.id.clone(), reach)
        })
        .collect();
    let other_version = s.endings.iter().map(|e| needs_other_version(&e.when, session.variation())).collect();
    EndingsFromHere { endings, other_version, complete: !found.bound_hit, states: found.states }
}

/// Whether a condition can only hold in another version of the case: it
/// requires (through `All`, or every branch of an `Any`) a switch option this
/// seed did not draw.
fn needs_other_version(c: &Cond, v: &Variation) -> bool {
    match c {
        Cond::Is(switch, option) => v.switch(*switch) != *option,
        Cond::All(xs) => xs.iter().any(|x| needs_other_version(x, v)),
        Cond::Any(xs) => !xs.is_empty() && xs.iter().all(|x| needs_other_version(x, v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::example;

    fn ids(found: &EndingsFromHere) -> Vec<&str> {
        found.endings.iter().filter(|(_, r)| r.is_some()).map(|(id, _)| id.as_str()).collect()
    }

    #[test]
    fn an_ending_closed_off_by_a_choice_is_no_longer_reachable_and_one_still_open_comes_with_a_way_there() {
        let start = Session::new(example::scenario(), 1);
        let open = endings_from_here(&start, 100_000);
        assert!(open.complete, "the example is small enough to walk whole");
        assert_eq!(ids(&open), vec!["hurt", "safe", "safe_for_now", "closed"], "every ending is open at the start");

        // A plan to keep the child safe closes off both harmed endings.
        let planned = Session::replay(example::scenario(), 1, &["call_nursery", "strategy"]).unwrap();
        let after = endings_from_here(&planned, 100_000);
        assert!(after.complete);
        assert_eq!(ids(&after), vec!["safe", "safe_for_now"]);
        for (id, reach) in &after.endings {
            if let Some(r) = reach {
                let mut s = planned.clone();
                for a in &r.path {
                    s.take_id(a).unwrap();
                }
                assert_eq!(s.ending().map(|e| e.id.as_str()), Some(id.as_str()), "the way there leads there");
            }
        }

        // A finished case has its own ending and no other.
        let closed = Session::replay(example::scenario(), 1, &["close"]).unwrap();
        assert_eq!(ids(&endings_from_here(&closed, 100_000)), vec!["closed"]);
    }

    #[test]
    fn a_walk_cut_short_by_its_budget_or_cancelled_says_it_is_incomplete() {
        let start = Session::new(example::scenario(), 1);
        assert!(!endings_from_here(&start, 3).complete);
        let cancelled = endings_from_here_until(&start, 100_000, &AtomicBool::new(true));
        assert!(!cancelled.complete);
        assert!(cancelled.states < 100);
    }
}
