//! `explore`: what every path through a scenario can lead to.
//!
//! Authors use it to prove a case is playable and fair:
//!
//! - the structural walks ([`walk`]) show every scene and ending reachable
//!   and no dead end;
//! - the extremes ([`extremes`]) are the best and worst overall score
//!   reachable, overall and per ending, by branch and bound: exact when the
//!   search finishes, otherwise the best found with a proven limit;
//! - every finished state either search reaches is checked for
//!   contradictions ([`coherence`]): an ending that says what did not happen,
//!   a high score beside a hurt child, a low one beside a child protected in time.
//!
//! A case with seeded switches (a benign twin, a different version of events)
//! is searched in every combination of them.

pub mod coherence;
pub mod coverage;
pub mod extremes;
pub mod from_here;
mod walk;

pub use coherence::{Finding, HARMED_HIGH, Incoherence, PROTECTED_LOW};
pub use extremes::{Extreme, Goal};
pub use walk::{DeadEnd, Dedup, EndingReach, Path, Scored};

use crate::record::{ScriptStep, steps_for};
use crate::scenario::{ActionKind, Scenario};
use crate::sim::{CaseState, Layout, Rules, Variation};
use coherence::Coherence;
use extremes::Incumbents;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use std::time::{Duration, Instant};
use walk::{Findings, Walk};

/// What to search.
#[derive(Clone, Debug)]
pub struct Options {
    /// The seed (names, versions of accounts, event timing).
    pub seed: u64,
    /// The structural walks stop after this many distinct states.
    pub max_states: usize,
    /// How the structural walks merge states.
    pub dedup: Dedup,
    /// Each branch-and-bound search (per version, per extreme) expands at
    /// most this many states.
    pub score_states: usize,
    /// Scripts to start the score searches from (the built-in scripts); each
    /// is played in every version of the case, its conditional steps as they apply.
    pub scripts: Vec<Vec<ScriptStep>>,
}

impl Default for Options {
    fn default() -> Self {
        Options { seed: 1, max_states: 1_000_000, dedup: Dedup::Shape, score_states: 200_000, scripts: Vec::new() }
    }
}

/// The reachable range of scores with one ending.
#[derive(Clone, Debug, PartialEq)]
pub struct EndingRange {
    /// The ending's id.
    pub id: String,
    /// The lowest score reaching it, if any path was found.
    pub lowest: Option<Extreme>,
    /// The highest.
    pub highest: Option<Extreme>,
}

/// What the search found.
#[derive(Clone, Debug)]
pub struct Report {
    /// Versions of the case searched (combinations of switch options).
    pub versions: usize,
    /// States visited by the structural walks, summed over walks and versions.
    pub states: usize,
    /// States expanded by the score searches.
    pub score_states: usize,
    /// Whether the structural walks stopped at the bound before finishing.
    pub bound_hit: bool,
    /// How states were merged.
    pub dedup: Dedup,
    /// Wall time taken.
    pub elapsed: Duration,
    /// Threads the versions were searched on (states per second are over all of them).
    pub threads: usize,
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
    /// Each ending as the walks reached it, or not.
    pub endings: Vec<Option<EndingReach>>,
    /// Escalation items whose deadline was never met on any path walked.
    pub never_on_time: Vec<String>,
    /// The lowest overall score reachable, with its path.
    pub lowest: Option<Extreme>,
    /// The highest overall score reachable, with its path.
    pub highest: Option<Extreme>,
    /// Per ending, the reachable range.
    pub ranges: Vec<EndingRange>,
    /// Contradictions between endings and the record.
    pub incoherent: Vec<Finding>,
}

impl Report {
    /// States per second, over both kinds of search.
    pub fn states_per_second(&self) -> f64 {
        (self.states + self.score_states) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Whether the case is playable: all scenes and endings reachable, no dead end.
    pub fn is_clean(&self) -> bool {
        self.unreachable_scenes.is_empty() && self.dead_end_count == 0 && self.endings.iter().all(Option::is_some)
    }

    /// Whether the case is also coherent: no contradiction found.
    pub fn is_coherent(&self) -> bool {
        self.incoherent.is_empty()
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

/// A version in words: "story=benign".
fn version_name(s: &Scenario, version: &[u16]) -> String {
    s.switches
        .iter()
        .zip(version)
        .map(|(sw, o)| format!("{}={}", sw.id, sw.options.get(*o as usize).map_or("?", String::as_str)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The extremes of one goal over every version: global, then per ending,
/// each with the most extreme score still proven possible.
struct Extremes {
    global: (Option<Extreme>, f64),
    per_ending: Vec<(Option<Extreme>, f64)>,
}

impl Extremes {
    fn new(goal: Goal, endings: usize) -> Self {
        let none = match goal {
            Goal::Highest => f64::NEG_INFINITY,
            Goal::Lowest => f64::INFINITY,
        };
        Extremes { global: (None, none), per_ending: vec![(None, none); endings] }
    }

    /// Folds one version's result for a slot in.
    fn fold(goal: Goal, into: &mut (Option<Extreme>, f64), found: Option<(f64, Path)>, proven: f64, version: &str) {
        into.1 = match goal {
            Goal::Highest => into.1.max(proven),
            Goal::Lowest => into.1.min(proven),
        };
        let take = match (&into.0, &found) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(e), Some((s, _))) => match goal {
                Goal::Highest => *s > e.score,
                Goal::Lowest => *s < e.score,
            },
        };
        if take && let Some((score, path)) = found {
            into.0 = Some(Extreme { score, path, version: version.to_string(), proven: score });
        }
    }

    /// The extremes, each with its proven limit (never short of the score found).
    fn finish(slot: (Option<Extreme>, f64), goal: Goal) -> Option<Extreme> {
        let (e, proven) = slot;
        e.map(|mut e| {
            e.proven = match goal {
                Goal::Highest => proven.max(e.score),
                Goal::Lowest => proven.min(e.score),
            };
            e
        })
    }
}

/// What one version of the case gave: its walks' findings, and each score
/// search's best (per slot) with its proven limit.
struct VersionResult {
    found: Findings,
    score_states: usize,
    /// Each score search's answer, in search order.
    extremes: Vec<SearchAnswer>,
}

/// One score search's answer: its goal, whether its one slot is shared by
/// every ending, the best found per slot and the proven limit per slot.
type SearchAnswer = (Goal, bool, Vec<Option<Scored>>, Vec<f64>);

/// Walks and searches one version of the case, on its own: versions run in
/// parallel, each with its own random stream, so the answer does not depend
/// on how many cores there are.
fn explore_version(
    s: &Scenario,
    options: &Options,
    rolled: &Variation,
    layout: &Layout,
    index: usize,
    version: &[u16],
) -> VersionResult {
    let variation = rolled.with_switches(version);
    let r = Rules { s, v: &variation, l: layout };
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let share = (options.max_states / switch_combinations(s).len()).max(1);

    // The structural walks.
    let mut search = walk::Search { r, dedup: options.dedup, found: Findings::new(s), cancel: None };
    let third = (share / 3).max(1);
    for walk in [Walk::Deep, Walk::SharedOut, Walk::Shuffled] {
        search.found.bound_hit = false;
        search.walk(walk, third, &mut rng, CaseState::start(r, &mut ()));
        if !search.found.bound_hit {
            // The first walk saw every state: the others would only repeat it.
            break;
        }
    }
    let mut found = search.found;

    // The score searches start from the scripts and the walks' best and
    // worst paths to each ending.
    let walked: Vec<Path> =
        found.endings.iter().flatten().flat_map(|e| [e.lowest.1.clone(), e.highest.1.clone()]).collect();
    let harms: Vec<u32> = s.endings.iter().map(|e| e.harm).collect();
    let mut score_states = 0;
    let mut extremes = Vec::new();
    for goal in [Goal::Highest, Goal::Lowest] {
        for shared in [true, false] {
            let slots = if shared { 1 } else { s.endings.len() };
            let mut inc = Incumbents { best: vec![None; slots], shared };
            let mut search = extremes::Search {
                r,
                goal,
                harms: harms.clone(),
                coherence: Coherence::default(),
                reached: extremes::Reached::new(s),
            };
            for script in &options.scripts {
                search.seed(&steps_for(script, s, &variation), &mut inc);
            }
            for path in &walked {
                search.seed(path, &mut inc);
            }
            search.greedy(&mut inc);
            let out = search.run(&mut inc, options.score_states);
            score_states += out.states;
            found.coherence.merge(std::mem::take(&mut search.coherence));
            for (all, mine) in found.scenes.iter_mut().zip(&search.reached.scenes) {
                *all |= *mine;
            }
            for (all, mine) in found.offered.iter_mut().zip(&search.reached.offered) {
                *all |= *mine;
            }
            extremes.push((goal, shared, inc.best, out.proven));
        }
    }
    VersionResult { found, score_states, extremes }
}

/// How many threads `count` versions are searched on: one per core, at most one per version.
fn threads_for(count: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(count).max(1)
}

/// Runs `work` for each of `count` items on as many threads as there are
/// cores (and items), each thread taking the next item when it is free; the
/// results come back in item order. (Versions of a case here; records in
/// `cohort`.)
pub(crate) fn in_parallel<T: Send>(count: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads_for(count);
    if threads == 1 {
        return (0..count).map(&work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<T>>> = std::sync::Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let result = work(i);
                    if let Ok(mut d) = done.lock() {
                        d[i] = Some(result);
                    }
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).into_iter().flatten().collect()
}

/// Searches the scenario's states, in every version of the case (the
/// versions in parallel).
pub fn explore(s: &Scenario, options: &Options) -> Report {
    let started = Instant::now();
    let rolled = Variation::roll(s, options.seed);
    let layout = Layout::of(s);
    let versions = switch_combinations(s);
    let results = in_parallel(versions.len(), |i| explore_version(s, options, &rolled, &layout, i, &versions[i]));
    let mut found = Findings::new(s);
    let mut highest = Extremes::new(Goal::Highest, s.endings.len());
    let mut lowest = Extremes::new(Goal::Lowest, s.endings.len());
    let mut score_states = 0;
    for (version, result) in versions.iter().zip(results) {
        let name = version_name(s, version);
        found.merge(result.found);
        score_states += result.score_states;
        for (goal, shared, best, proven) in result.extremes {
            let into = if goal == Goal::Highest { &mut highest } else { &mut lowest };
            if shared {
                let best = best.into_iter().next().flatten();
                Extremes::fold(goal, &mut into.global, best, proven[0], &name);
            } else {
                for (k, best) in best.into_iter().enumerate() {
                    Extremes::fold(goal, &mut into.per_ending[k], best, proven[k], &name);
                }
            }
        }
    }
    let mut f = found;
    let ranges: Vec<EndingRange> = s
        .endings
        .iter()
        .zip(lowest.per_ending.into_iter().zip(highest.per_ending))
        .map(|(e, (lo, hi))| EndingRange {
            id: e.id.clone(),
            lowest: Extremes::finish(lo, Goal::Lowest),
            highest: Extremes::finish(hi, Goal::Highest),
        })
        .collect();
    // An ending the walks missed but a score search or a script reached is reachable.
    for ((reach, range), e) in f.endings.iter_mut().zip(&ranges).zip(&s.endings) {
        if reach.is_none()
            && let (Some(lo), Some(hi)) = (&range.lowest, &range.highest)
        {
            *reach = Some(EndingReach {
                id: e.id.clone(),
                outcome: e.outcome,
                count: 0,
                lowest: (lo.score, lo.path.clone()),
                highest: (hi.score, hi.path.clone()),
            });
        }
    }
    Report {
        threads: threads_for(versions.len()),
        versions: versions.len(),
        states: f.states,
        score_states,
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
        lowest: Extremes::finish(lowest.global, Goal::Lowest),
        highest: Extremes::finish(highest.global, Goal::Highest),
        ranges,
        incoherent: f.coherence.findings(),
    }
}
