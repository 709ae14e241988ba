//! The structural walks: a bounded search of a scenario's reachable states
//! that proves a case is playable (every scene and ending reachable, no dead
//! end) and samples scores on the way.
//!
//! The search walks depth-first from the start over every offered action,
//! merging states already seen. By default states are merged by *shape*
//! ([`CaseState::shape_hash`]): doing the same things in a different order
//! leads to the same futures, so when the bound is not hit the structural
//! answers are exact, while scores are samples over the paths walked (the
//! exact extremes come from [`super::extremes`]). With [`Dedup::Full`] only
//! identical states merge.
//!
//! A real case has far more states than any bound (every subset of the
//! optional questions, at every time of day), so the bound is spent on up to
//! three walks, each with a third of it and its own memory of states:
//!
//! 1. *deep*: a plain depth-first walk that tries first what leads to a scene
//!    not reached yet, then an action never taken, so long paths (the
//!    conference on day 16) are walked; if it sees every state within its
//!    third, the search is complete and stops here;
//! 2. *shared out*: each state's budget is split among the actions still to
//!    try from it, so every early decision gets its turn;
//! 3. *shuffled*: shared out like the second, in an order drawn from the seed.
//!
//! One reduction applies throughout: a walk through scenes that changes
//! nothing but the clock, and comes back to a scene it has passed through,
//! is cut (going up and down the stairs all afternoon). It only passes time,
//! and staying in one scene while time passes is still explored.

use super::coherence::Coherence;
use crate::clock::InGameTime;
use crate::scenario::{ActionIx, Outcome, SceneIx};
use crate::scoring;
use crate::sim::{CaseState, Rules};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// How states are merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dedup {
    /// Merge states that differ only in when past things happened.
    Shape,
    /// Merge only identical states.
    Full,
}

/// A path of action ids from the start.
pub type Path = Vec<String>;

/// A score and a path that reaches it.
pub type Scored = (f64, Path);

/// A state where nothing can be done and the case has not ended.
#[derive(Clone, Debug)]
pub struct DeadEnd {
    /// The scene.
    pub scene: String,
    /// When.
    pub at: InGameTime,
    /// How to get there.
    pub path: Path,
}

/// How often an ending was reached by the walks, and the scores seen there.
#[derive(Clone, Debug)]
pub struct EndingReach {
    /// The ending's id.
    pub id: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// Terminal states the walks saw reaching it (0 when only a score search
    /// or a script reached it).
    pub count: usize,
    /// The lowest overall score seen with this ending, and its path.
    pub lowest: Scored,
    /// The highest overall score seen with this ending, and its path.
    pub highest: Scored,
}

struct Frame {
    state: CaseState,
    /// Actions still to try.
    actions: Vec<ActionIx>,
    /// [`CaseState::progress_hash`] of `state`.
    progress: u64,
    /// Scenes passed through since the last action that changed anything
    /// but the clock and the scene.
    wandered: Vec<SceneIx>,
    /// How many new states this frame and its descendants may add.
    budget: usize,
    /// How many states this walk had seen when the frame was entered.
    start: usize,
}

/// How a walk orders and shares out its work.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    SharedOut,
    Deep,
    Shuffled,
}

/// What all walks found together.
pub(super) struct Findings {
    pub(super) states: usize,
    pub(super) bound_hit: bool,
    pub(super) max_depth: usize,
    pub(super) scenes: Vec<bool>,
    pub(super) offered: Vec<bool>,
    pub(super) taken: Vec<bool>,
    pub(super) on_time: Vec<bool>,
    pub(super) endings: Vec<Option<EndingReach>>,
    pub(super) dead_ends: Vec<DeadEnd>,
    pub(super) dead_end_count: usize,
    pub(super) coherence: Coherence,
}

impl Findings {
    /// Nothing found yet.
    pub(super) fn new(s: &crate::scenario::Scenario) -> Self {
        Findings {
            states: 0,
            bound_hit: false,
            max_depth: 0,
            scenes: vec![false; s.scenes.len()],
            offered: vec![false; s.actions.len()],
            taken: vec![false; s.actions.len()],
            on_time: vec![false; s.rubric.escalations.len()],
            endings: vec![None; s.endings.len()],
            dead_ends: Vec::new(),
            dead_end_count: 0,
            coherence: Coherence::default(),
        }
    }
}

impl Findings {
    /// Adds another version's findings (in version order, so the examples
    /// kept are the same whatever ran first).
    pub(super) fn merge(&mut self, other: Findings) {
        self.states += other.states;
        self.bound_hit |= other.bound_hit;
        self.max_depth = self.max_depth.max(other.max_depth);
        for (mine, theirs) in [
            (&mut self.scenes, &other.scenes),
            (&mut self.offered, &other.offered),
            (&mut self.taken, &other.taken),
            (&mut self.on_time, &other.on_time),
        ] {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m |= *t;
            }
        }
        for (mine, theirs) in self.endings.iter_mut().zip(other.endings) {
            match (mine.as_mut(), theirs) {
                (_, None) => {}
                (None, Some(t)) => *mine = Some(t),
                (Some(m), Some(t)) => {
                    m.count += t.count;
                    if t.lowest.0 < m.lowest.0 {
                        m.lowest = t.lowest;
                    }
                    if t.highest.0 > m.highest.0 {
                        m.highest = t.highest;
                    }
                }
            }
        }
        self.dead_end_count += other.dead_end_count;
        let room = 10usize.saturating_sub(self.dead_ends.len());
        self.dead_ends.extend(other.dead_ends.into_iter().take(room));
        self.coherence.merge(other.coherence);
    }
}

/// The walks over one version of the case.
pub(super) struct Search<'a> {
    pub(super) r: Rules<'a>,
    pub(super) dedup: Dedup,
    pub(super) found: Findings,
    /// Set from another thread to stop the walk early (its answer is then
    /// incomplete): the author's view starts a new walk after each action.
    pub(super) cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl Search<'_> {
    /// The state's identity for this search, given its progress hash.
    fn key(&self, state: &CaseState, progress: u64) -> u64 {
        match self.dedup {
            Dedup::Shape => state.shape_hash_with(progress),
            Dedup::Full => state.full_hash(),
        }
    }

    fn ids(&self, path: &[ActionIx]) -> Path {
        path.iter().map(|a| self.r.s.action(*a).id.clone()).collect()
    }

    /// Records what a state shows; returns the actions to try from it, if any.
    fn visit(&mut self, state: &CaseState, path: &[ActionIx]) -> Option<Vec<ActionIx>> {
        let (r, s) = (self.r, self.r.s);
        let f = &mut self.found;
        f.scenes[state.scene.ix()] = true;
        f.max_depth = f.max_depth.max(path.len());
        for (i, item) in s.rubric.escalations.iter().enumerate() {
            if let (Some(t), Some(m)) = (state.trigger_at(r, i), state.met_at(r, i))
                && m <= item.deadline.after(t, &s.calendar)
            {
                f.on_time[i] = true;
            }
        }
        if let Some(e) = state.ended {
            let score = scoring::overall(r, state);
            let example = || path.iter().map(|a| s.action(*a).id.clone()).collect::<Path>();
            let reach = f.endings[e.ix()].get_or_insert_with(|| EndingReach {
                id: s.endings[e.ix()].id.clone(),
                outcome: s.endings[e.ix()].outcome,
                count: 0,
                lowest: (score, example()),
                highest: (score, example()),
            });
            reach.count += 1;
            if score < reach.lowest.0 {
                reach.lowest = (score, example());
            }
            if score > reach.highest.0 {
                reach.highest = (score, example());
            }
            f.coherence.check(r, state, score, example);
            return None;
        }
        let actions = state.available(r);
        for a in &actions {
            f.offered[a.ix()] = true;
        }
        // An inert hotspot leads to the same case with one more look recorded:
        // offered, but not worth a branch. A state with nothing but looks
        // left is a dead end all the same: after them the trainee is stuck.
        let actions: Vec<ActionIx> = actions.into_iter().filter(|a| !r.s.action(*a).inert).collect();
        if actions.is_empty() {
            f.dead_end_count += 1;
            if f.dead_ends.len() < 10 {
                let path = self.ids(path);
                self.found.dead_ends.push(DeadEnd { scene: s.scene(state.scene).id.clone(), at: state.now, path });
            }
            return None;
        }
        Some(actions)
    }

    /// Picks the next action to try from a frame.
    fn pick(&self, frame: &Frame, walk: Walk, rng: &mut ChaCha8Rng) -> Option<usize> {
        if frame.actions.is_empty() {
            return None;
        }
        if walk == Walk::Shuffled {
            return Some(rng.random_range(0..frame.actions.len()));
        }
        // Novelty first: a scene not reached yet, then an action never taken,
        // then file order (the first of equals).
        let f = &self.found;
        let novelty = |a: &ActionIx| {
            let new_scene = self.r.s.action(*a).goto.is_some_and(|g| !f.scenes[g.ix()]);
            (new_scene, !f.taken[a.ix()])
        };
        frame.actions.iter().enumerate().rev().max_by_key(|(_, a)| novelty(a)).map(|(i, _)| i)
    }

    /// One walk from `start` with its own memory of states and a budget of new ones.
    pub(super) fn walk(&mut self, walk: Walk, budget: usize, rng: &mut ChaCha8Rng, start: CaseState) {
        let r = self.r;
        let mut seen = crate::sim::state_set();
        let mut path: Vec<ActionIx> = Vec::new();
        let progress = start.progress_hash(r);
        seen.insert(self.key(&start, progress));
        let mut stack = Vec::new();
        if let Some(actions) = self.visit(&start, &path) {
            let wandered = vec![start.scene];
            stack.push(Frame { state: start, actions, progress, wandered, budget, start: 0 });
        }
        let mut steps = 0usize;
        while let Some(frame) = stack.last() {
            if steps.is_multiple_of(1024) && self.cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
                self.found.bound_hit = true;
                break;
            }
            steps += 1;
            let used = seen.len() - frame.start;
            let shared = walk != Walk::Deep;
            let choice = if shared && used >= frame.budget { None } else { self.pick(frame, walk, rng) };
            let Some(i) = choice else {
                self.found.bound_hit |= !frame.actions.is_empty();
                stack.pop();
                path.pop();
                continue;
            };
            let Some(frame) = stack.last_mut() else { break };
            let a = frame.actions.remove(i);
            self.found.taken[a.ix()] = true;
            // Share what is left of this frame's budget among the actions still
            // to try; a share too small to split still follows one path to its end.
            let child_budget = ((frame.budget - used.min(frame.budget)) / (frame.actions.len() + 1)).max(2);
            let mut next = frame.state.clone();
            if next.take(r, a, path.len(), &mut ()).is_err() {
                continue;
            }
            // Walking in a circle that changes nothing but the clock only
            // passes time, which waiting in one place does too: cut it.
            let progress = next.progress_hash(r);
            let wandered = if progress != frame.progress || next.ended.is_some() {
                vec![next.scene]
            } else if next.scene == frame.state.scene {
                frame.wandered.clone()
            } else if frame.wandered.contains(&next.scene) {
                continue;
            } else {
                let mut w = frame.wandered.clone();
                w.push(next.scene);
                w
            };
            if seen.len() >= budget {
                self.found.bound_hit = true;
                break;
            }
            let child_start = seen.len();
            if !seen.insert(self.key(&next, progress)) {
                continue;
            }
            path.push(a);
            match self.visit(&next, &path) {
                Some(actions) => stack.push(Frame {
                    state: next,
                    actions,
                    progress,
                    wandered,
                    budget: child_budget,
                    start: child_start,
                }),
                None => {
                    path.pop();
                }
            }
        }
        self.found.states += seen.len();
    }
}
