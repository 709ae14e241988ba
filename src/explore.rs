//! A bounded exhaustive search of a scenario's reachable states.
//!
//! Authors use it to prove a case is playable: every scene reachable, no dead
//! end, every ending reachable, and the range of scores a trainee can get.
//!
//! The search walks depth-first from the start over every offered action,
//! merging states already seen. By default states are merged by *shape*
//! ([`CaseState::shape_hash`]): doing the same things in a different order
//! leads to the same futures, so when the bound is not hit the structural
//! answers are exact, while the score range is the range over the paths
//! walked. With [`Dedup::Full`] only identical states merge, which makes the
//! score range exact too, at the cost of a far larger search.
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
//! A case with seeded switches (a benign twin, a different version of events)
//! is searched in every combination of them, each with an equal share of
//! the bound, so that endings only one version reaches are found.
//!
//! One reduction applies throughout: a walk through scenes that changes
//! nothing but the clock, and comes back to a scene it has passed through,
//! is cut (going up and down the stairs all afternoon). It only passes time,
//! and staying in one scene while time passes is still explored.

use crate::clock::InGameTime;
use crate::scenario::{ActionIx, ActionKind, Outcome, Scenario, SceneIx};
use crate::scoring;
use crate::sim::{CaseState, Layout, Rules, Variation};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How states are merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dedup {
    /// Merge states that differ only in when past things happened.
    Shape,
    /// Merge only identical states.
    Full,
}

/// What to search.
#[derive(Clone, Debug)]
pub struct Options {
    /// The seed (names, versions of accounts, event timing).
    pub seed: u64,
    /// Stop after this many distinct states.
    pub max_states: usize,
    /// How states are merged.
    pub dedup: Dedup,
}

impl Default for Options {
    fn default() -> Self {
        Options { seed: 1, max_states: 1_000_000, dedup: Dedup::Shape }
    }
}

/// A path of action ids from the start.
pub type Path = Vec<String>;

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

/// How often an ending was reached, and its score range.
#[derive(Clone, Debug)]
pub struct EndingReach {
    /// The ending's id.
    pub id: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// Terminal states reaching it.
    pub count: usize,
    /// Lowest overall score found with this ending.
    pub lowest: f64,
    /// Highest overall score found with this ending.
    pub highest: f64,
    /// One path that reaches it.
    pub example: Path,
}

/// What the search found.
#[derive(Clone, Debug)]
pub struct Report {
    /// Versions of the case searched (combinations of switch options).
    pub versions: usize,
    /// States visited, summed over the walks and versions.
    pub states: usize,
    /// Whether the search stopped at the bound before finishing.
    pub bound_hit: bool,
    /// How states were merged.
    pub dedup: Dedup,
    /// Wall time taken.
    pub elapsed: Duration,
    /// Longest path walked, in actions.
    pub max_depth: usize,
    /// Scenes never reached.
    pub unreachable_scenes: Vec<String>,
    /// Choices and hotspots never offered.
    pub never_offered: Vec<String>,
    /// Dead ends (the first few found).
    pub dead_ends: Vec<DeadEnd>,
    /// Dead ends found in all.
    pub dead_end_count: usize,
    /// Each ending, reached or not.
    pub endings: Vec<Option<EndingReach>>,
    /// Escalation items whose deadline was never met on any path walked.
    pub never_on_time: Vec<String>,
    /// The lowest score found and a path to it.
    pub lowest: Option<(f64, Path)>,
    /// The highest score found and a path to it.
    pub highest: Option<(f64, Path)>,
}

impl Report {
    /// States per second.
    pub fn states_per_second(&self) -> f64 {
        self.states as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Whether the case is clean: all scenes and endings reachable, no dead end.
    pub fn is_clean(&self) -> bool {
        self.unreachable_scenes.is_empty() && self.dead_end_count == 0 && self.endings.iter().all(Option::is_some)
    }
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
enum Walk {
    SharedOut,
    Deep,
    Shuffled,
}

/// What all walks found together.
struct Findings {
    states: usize,
    bound_hit: bool,
    max_depth: usize,
    scenes: Vec<bool>,
    offered: Vec<bool>,
    taken: Vec<bool>,
    on_time: Vec<bool>,
    endings: Vec<Option<EndingReach>>,
    dead_ends: Vec<DeadEnd>,
    dead_end_count: usize,
    lowest: Option<(f64, Path)>,
    highest: Option<(f64, Path)>,
}

struct Search<'a> {
    r: Rules<'a>,
    dedup: Dedup,
    found: Findings,
}

impl Search<'_> {
    fn key(&self, state: &CaseState) -> u64 {
        match self.dedup {
            Dedup::Shape => state.shape_hash(self.r),
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
                lowest: f64::INFINITY,
                highest: f64::NEG_INFINITY,
                example: example(),
            });
            reach.count += 1;
            reach.lowest = reach.lowest.min(score);
            reach.highest = reach.highest.max(score);
            if f.lowest.as_ref().is_none_or(|(l, _)| score < *l) {
                f.lowest = Some((score, example()));
            }
            if f.highest.as_ref().is_none_or(|(h, _)| score > *h) {
                f.highest = Some((score, example()));
            }
            return None;
        }
        let actions = state.available(r);
        if actions.is_empty() {
            f.dead_end_count += 1;
            if f.dead_ends.len() < 10 {
                let path = self.ids(path);
                self.found.dead_ends.push(DeadEnd { scene: s.scene(state.scene).id.clone(), at: state.now, path });
            }
            return None;
        }
        for a in &actions {
            f.offered[a.ix()] = true;
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

    /// One walk with its own memory of states and a budget of new ones.
    fn walk(&mut self, walk: Walk, budget: usize, rng: &mut ChaCha8Rng) {
        let r = self.r;
        let mut seen: HashSet<u64> = HashSet::new();
        let mut path: Vec<ActionIx> = Vec::new();
        let start = CaseState::start(r, &mut ());
        seen.insert(self.key(&start));
        let mut stack = Vec::new();
        if let Some(actions) = self.visit(&start, &path) {
            let progress = start.progress_hash(r);
            let wandered = vec![start.scene];
            stack.push(Frame { state: start, actions, progress, wandered, budget, start: 0 });
        }
        while let Some(frame) = stack.last() {
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
            if !seen.insert(self.key(&next)) {
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

/// Every combination of switch options, in order (at most 64: beyond that,
/// the first 64).
fn switch_combinations(s: &Scenario) -> Vec<Vec<u16>> {
    let mut all = vec![Vec::new()];
    for sw in &s.switches {
        let n = sw.options.len().max(1) as u16;
        all = all
            .into_iter()
            .flat_map(|prefix| (0..n).map(move |o| [prefix.clone(), vec![o]].concat()))
            .take(64)
            .collect();
    }
    all
}

/// Searches the scenario's states, in every version of the case.
pub fn explore(s: &Scenario, options: &Options) -> Report {
    let started = Instant::now();
    let rolled = Variation::roll(s, options.seed);
    let layout = Layout::of(s);
    let mut found = Findings {
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
        lowest: None,
        highest: None,
    };
    // Every version of the case: each combination of switch options gets an
    // equal share of the bound.
    let versions = switch_combinations(s);
    let share = (options.max_states / versions.len()).max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    for version in &versions {
        let variation = rolled.with_switches(version);
        let r = Rules { s, v: &variation, l: &layout };
        let mut search = Search { r, dedup: options.dedup, found };
        let third = (share / 3).max(1);
        let bound_before = search.found.bound_hit;
        search.found.bound_hit = false;
        for walk in [Walk::Deep, Walk::SharedOut, Walk::Shuffled] {
            search.walk(walk, third, &mut rng);
            if !search.found.bound_hit {
                // The first walk saw every state: the others would only repeat it.
                break;
            }
        }
        search.found.bound_hit |= bound_before;
        found = search.found;
    }
    let search = Search { r: Rules { s, v: &rolled, l: &layout }, dedup: options.dedup, found };
    let f = search.found;
    Report {
        versions: versions.len(),
        states: f.states,
        bound_hit: f.bound_hit,
        dedup: options.dedup,
        elapsed: started.elapsed(),
        max_depth: f.max_depth,
        unreachable_scenes: s.scenes.iter().zip(&f.scenes).filter(|(_, r)| !**r).map(|(x, _)| x.id.clone()).collect(),
        // Supervision is offered everywhere in working hours and the walk leaves it out.
        never_offered: s
            .actions
            .iter()
            .zip(&f.offered)
            .filter(|(a, o)| !**o && a.kind != ActionKind::Supervision)
            .map(|(a, _)| a.id.clone())
            .collect(),
        dead_ends: f.dead_ends,
        dead_end_count: f.dead_end_count,
        endings: f.endings,
        never_on_time: s
            .rubric
            .escalations
            .iter()
            .zip(&f.on_time)
            .filter(|(_, t)| !**t)
            .map(|(x, _)| x.id.clone())
            .collect(),
        lowest: f.lowest,
        highest: f.highest,
    }
}
