//! The best and worst overall score reachable, overall and per ending, by
//! branch and bound.
//!
//! A depth-first search tries the most promising action first and cuts every
//! state whose bound ([`scoring::bounds`]) says it cannot beat the best path
//! found so far. The search starts with good incumbents (the built-in
//! scripts, the structural walks' best and worst paths, and greedy descents),
//! so for a case whose exemplary path scores 100 and where doing nothing
//! scores 0 the global extremes are proven at once. When the search finishes
//! within its budget the answer is exact; when it stops early, what was found
//! is reported with the bound still unexplored states could reach, so an
//! author always sees both a path and a proven limit.

use super::Path;
use super::coherence::Coherence;
use crate::scenario::ActionIx;
use crate::scoring::{self, Bounds};
use crate::sim::{CaseState, Rules};
use std::collections::HashSet;

/// Which extreme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The highest overall score.
    Highest,
    /// The lowest overall score.
    Lowest,
}

/// The best (or worst) score found reaching something, and how sure it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Extreme {
    /// The score of the path found.
    pub score: f64,
    /// The path, as action ids.
    pub path: Path,
    /// The version of the case it was found in (switch options), empty if one.
    pub version: String,
    /// No path scores beyond this (above it for the highest, below for the
    /// lowest): proven by the bounds. Equal to `score` when exact.
    pub proven: f64,
}

impl Extreme {
    /// Whether the search proved this is the extreme.
    pub fn exact(&self) -> bool {
        (self.score - self.proven).abs() < 1e-9
    }
}

/// One search's incumbents: per ending, or shared by all endings.
pub struct Incumbents {
    /// Per ending (or one slot for all when shared): score and path.
    pub best: Vec<Option<(f64, Path)>>,
    /// Whether every ending shares the first slot (the global extreme).
    pub shared: bool,
}

impl Incumbents {
    fn slot(&self, ending: usize) -> usize {
        if self.shared { 0 } else { ending }
    }

    fn offer(&mut self, goal: Goal, ending: usize, score: f64, path: impl FnOnce() -> Path) {
        let k = self.slot(ending);
        let better = match &self.best[k] {
            None => true,
            Some((b, _)) => match goal {
                Goal::Highest => score > *b,
                Goal::Lowest => score < *b,
            },
        };
        if better {
            self.best[k] = Some((score, path()));
        }
    }
}

/// What a search proved beyond its incumbents: per slot, the most extreme
/// score any unexplored state could still reach.
pub struct Proven {
    /// Per slot (as in [`Incumbents`]), the proven limit.
    pub proven: Vec<f64>,
    /// States expanded.
    pub states: usize,
}

type Child = (f64, ActionIx, CaseState, Bounds);

struct Frame {
    /// Children not yet tried, most promising last, each with its bounds
    /// (worked out once: the most expensive part of a state).
    children: Vec<Child>,
}

/// The search itself.
pub struct Search<'a> {
    /// The rules of one version of the case.
    pub r: Rules<'a>,
    /// Which extreme.
    pub goal: Goal,
    /// Harm of each ending.
    pub harms: Vec<u32>,
    /// Contradictions seen at the terminal states reached.
    pub coherence: Coherence,
    /// Scenes this search reached, and choices it saw offered, for the
    /// report's reachability (a script or a search may go where the walks did not).
    pub reached: Reached,
}

/// Scenes reached and actions offered.
#[derive(Clone, Debug, Default)]
pub struct Reached {
    /// Per scene.
    pub scenes: Vec<bool>,
    /// Per action.
    pub offered: Vec<bool>,
}

impl Reached {
    /// Nothing yet, for a scenario.
    pub fn new(s: &crate::scenario::Scenario) -> Self {
        Reached { scenes: vec![false; s.scenes.len()], offered: vec![false; s.actions.len()] }
    }

    /// Notes a state's scene and the actions it offers.
    fn see(&mut self, state: &CaseState, available: &[ActionIx]) {
        self.scenes[state.scene.ix()] = true;
        for a in available {
            self.offered[a.ix()] = true;
        }
    }
}

impl Search<'_> {
    /// How promising a state is for a slot: the most extreme score a path on
    /// could still reach there.
    fn potential(&self, b: &Bounds, slot: usize, inc: &Incumbents) -> f64 {
        // Shared by every ending, the extreme is at the least harm (for the
        // highest) or the most (for the lowest): scores fall as harm rises.
        let harm = match (inc.shared, self.goal) {
            (false, _) => self.harms[slot],
            (true, Goal::Highest) => self.harms.iter().copied().min().unwrap_or(0),
            (true, Goal::Lowest) => self.harms.iter().copied().max().unwrap_or(0),
        };
        match self.goal {
            Goal::Highest => b.highest(harm),
            Goal::Lowest => b.lowest(harm),
        }
    }

    /// Whether a state can still beat some incumbent; and its best potential
    /// over the slots, for ordering.
    fn promise(&self, state: &CaseState, inc: &Incumbents) -> Option<f64> {
        self.promise_of(&scoring::bounds(self.r, state), inc)
    }

    /// [`Search::promise`] from a state's bounds, already worked out.
    fn promise_of(&self, b: &Bounds, inc: &Incumbents) -> Option<f64> {
        let mut best: Option<f64> = None;
        for k in 0..inc.best.len() {
            let p = self.potential(b, k, inc);
            let beats = match (&inc.best[k], self.goal) {
                (None, _) => true,
                (Some((s, _)), Goal::Highest) => p > *s + 1e-9,
                (Some((s, _)), Goal::Lowest) => p < *s - 1e-9,
            };
            if beats {
                best = Some(match (best, self.goal) {
                    (None, _) => p,
                    (Some(x), Goal::Highest) => x.max(p),
                    (Some(x), Goal::Lowest) => x.min(p),
                });
            }
        }
        best
    }

    /// Records a finished state; returns whether the state was finished.
    fn finish(&mut self, state: &CaseState, path: &[ActionIx], inc: &mut Incumbents) -> bool {
        let Some(e) = state.ended else { return false };
        let r = self.r;
        let score = scoring::overall(r, state);
        inc.offer(self.goal, e.ix(), score, || ids(r, path));
        self.coherence.check(r, state, score, || ids(r, path));
        true
    }

    /// Follows the most promising action from the start until the case
    /// ends, to give the search a good incumbent quickly.
    pub fn greedy(&mut self, inc: &mut Incumbents) {
        let r = self.r;
        let mut state = CaseState::start(r, &mut ());
        let mut path = Vec::new();
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            if self.finish(&state, &path, inc) {
                return;
            }
            let mut best: Option<(f64, ActionIx, CaseState)> = None;
            for a in state.available(r).into_iter().filter(|a| !r.s.action(*a).inert) {
                let mut next = state.clone();
                if next.take(r, a, path.len(), &mut ()).is_err() || !seen.insert(next.full_hash()) {
                    continue;
                }
                let b = scoring::bounds(r, &next);
                let p = match self.goal {
                    Goal::Highest => b.highest_before_harm - next.ended.map_or(0.0, |e| self.harms[e.ix()] as f64),
                    Goal::Lowest => -b.lowest_before_harm,
                };
                if best.as_ref().is_none_or(|(q, ..)| p > *q) {
                    best = Some((p, a, next));
                }
            }
            let Some((_, a, next)) = best else { return };
            path.push(a);
            state = next;
        }
    }

    /// Plays a path of action ids as far as it goes, offering its end.
    pub fn seed(&mut self, ids: &[String], inc: &mut Incumbents) {
        let r = self.r;
        let mut state = CaseState::start(r, &mut ());
        let mut path = Vec::new();
        for id in ids {
            self.reached.see(&state, &state.available(r));
            let Some(a) = r.s.action_id(id) else { return };
            if state.take(r, a, path.len(), &mut ()).is_err() {
                return;
            }
            path.push(a);
        }
        self.reached.see(&state, &state.available(r));
        self.finish(&state, &path, inc);
    }

    /// Branch and bound from the start, expanding at most `budget` states.
    pub fn run(&mut self, inc: &mut Incumbents, budget: usize) -> Proven {
        let r = self.r;
        let start = CaseState::start(r, &mut ());
        let mut seen = crate::sim::state_set();
        let mut path: Vec<ActionIx> = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut states = 0usize;
        let mut hit = false;
        if !self.finish(&start, &path, inc) && self.promise(&start, inc).is_some() {
            seen.insert(start.full_hash());
            let children = self.expand(&start, &path, inc, &mut seen);
            stack.push(Frame { children });
        }
        while let Some(frame) = stack.last_mut() {
            let Some((_, a, state, b)) = frame.children.pop() else {
                stack.pop();
                path.pop();
                continue;
            };
            // The incumbents may have improved since the child was scored.
            if self.promise_of(&b, inc).is_none() {
                continue;
            }
            if states >= budget {
                hit = true;
                frame.children.push((0.0, a, state, b));
                break;
            }
            states += 1;
            path.push(a);
            if self.finish(&state, &path, inc) {
                path.pop();
                continue;
            }
            let children = self.expand(&state, &path, inc, &mut seen);
            stack.push(Frame { children });
        }
        // What is left unexplored bounds what the search could still have found.
        let slots = inc.best.len();
        let mut proven: Vec<f64> = (0..slots)
            .map(|k| {
                inc.best[k].as_ref().map_or(
                    match self.goal {
                        Goal::Highest => f64::NEG_INFINITY,
                        Goal::Lowest => f64::INFINITY,
                    },
                    |(s, _)| *s,
                )
            })
            .collect();
        if hit {
            for frame in &stack {
                for (_, _, _, b) in &frame.children {
                    for (k, p) in proven.iter_mut().enumerate() {
                        let q = self.potential(b, k, inc);
                        *p = match self.goal {
                            Goal::Highest => p.max(q),
                            Goal::Lowest => p.min(q),
                        };
                    }
                }
            }
        }
        Proven { proven, states }
    }

    /// The children of a state still worth trying, the most promising last.
    fn expand(
        &mut self,
        state: &CaseState,
        path: &[ActionIx],
        inc: &Incumbents,
        seen: &mut crate::sim::StateSet,
    ) -> Vec<Child> {
        let r = self.r;
        let available = state.available(r);
        self.reached.see(state, &available);
        let mut children = Vec::new();
        // An inert hotspot leads to the same case with one more look recorded.
        for a in available.into_iter().filter(|a| !r.s.action(*a).inert) {
            let mut next = state.clone();
            if next.take(r, a, path.len(), &mut ()).is_err() || !seen.insert(next.full_hash()) {
                continue;
            }
            let b = scoring::bounds(r, &next);
            if let Some(p) = self.promise_of(&b, inc) {
                children.push((p, a, next, b));
            }
        }
        match self.goal {
            Goal::Highest => children.sort_by(|x, y| x.0.total_cmp(&y.0)),
            Goal::Lowest => children.sort_by(|x, y| y.0.total_cmp(&x.0)),
        }
        children
    }
}

fn ids(r: Rules, path: &[ActionIx]) -> Path {
    path.iter().map(|a| r.s.action(*a).id.clone()).collect()
}
