//! Coverage of a case for its author: which choices, hotspots, endings,
//! facts and rubric items the case can reach, which of those neither
//! built-in path (exemplary, credulous) touches, the exact score range, and
//! how long the case takes to read and to play.

use super::Report;
use crate::record::{ScriptStep, steps_for};
use crate::scenario::Scenario;
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use std::sync::Arc;

/// Seeds each path is played on (the versions of a case are drawn by seed).
pub const SEEDS: std::ops::RangeInclusive<u64> = 1..=6;

/// A script played on each of [`SEEDS`] (the versions of a case), each as far as it goes.
pub fn played(s: &Arc<Scenario>, steps: &[ScriptStep]) -> Vec<Session> {
    SEEDS
        .map(|seed| {
            let fresh = Session::new(s.clone(), seed);
            let ids = steps_for(steps, s, fresh.variation());
            fresh.replay_as_far_as(&ids).0
        })
        .collect()
}

/// A case explored, and its coverage.
pub struct Measured {
    /// What `explore` found.
    pub report: Report,
    /// What the case reaches and its paths touch.
    pub coverage: Coverage,
}

/// Explores a case (seeding the score searches with its scripts) and works
/// out its coverage by its scripts, named (`exemplary`, `credulous`, or any
/// other), each played on [`SEEDS`].
pub fn measure(s: &Arc<Scenario>, scripts: &[(&str, Vec<ScriptStep>)]) -> Measured {
    let paths: Vec<Session> = scripts.iter().flat_map(|(_, steps)| played(s, steps)).collect();
    let exemplary = scripts.iter().position(|(n, _)| *n == "exemplary").map(|k| paths[k * SEEDS.count()].clone());
    let options =
        super::Options { scripts: scripts.iter().map(|(_, s)| s.clone()).collect(), ..super::Options::default() };
    let report = super::explore(s, &options);
    let coverage = coverage(s, &report, &paths, exemplary.as_ref());
    Measured { report, coverage }
}

/// Words read a minute, for the reading estimate (a careful reader of case notes).
pub const WORDS_PER_MINUTE: f64 = 180.0;

/// Seconds to decide on one step, for the playing estimate.
pub const SECONDS_PER_STEP: f64 = 8.0;

/// One kind of thing in the case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// How many there are.
    pub total: usize,
    /// How many the search (or a path) reached.
    pub reachable: usize,
    /// How many a built-in path touched.
    pub on_paths: usize,
    /// Reachable, but on neither built-in path: worth a script.
    pub off_paths: Vec<String>,
    /// Never reached.
    pub unreachable: Vec<String>,
}

/// The coverage of a case.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Choices.
    pub choices: Tally,
    /// Hotspots.
    pub hotspots: Tally,
    /// Endings.
    pub endings: Tally,
    /// Facts (reachable: learned on some path the search or the scripts took).
    pub facts: Tally,
    /// Rubric items (on a path: fully earned on a built-in path).
    pub rubric: Tally,
    /// The score range, and whether both ends are proven exact.
    pub range: Option<(f64, f64, bool)>,
    /// Minutes to read the exemplary path's texts.
    pub reading_minutes: f64,
    /// Minutes to play it (reading, and a few seconds a step).
    pub playing_minutes: f64,
}

/// The coverage of a case from an exploration and the sessions of its
/// built-in paths (each played in each version of the case).
pub fn coverage(s: &Scenario, report: &Report, paths: &[Session], exemplary: Option<&Session>) -> Coverage {
    let taken = |a: usize| paths.iter().any(|p| p.actions().iter().any(|x| x.ix() == a));
    let mut choices = Tally::default();
    let mut hotspots = Tally::default();
    for (i, a) in s.actions.iter().enumerate().filter(|(_, a)| a.scene.is_some()) {
        let tally = if a.kind == crate::scenario::ActionKind::Hotspot { &mut hotspots } else { &mut choices };
        tally.total += 1;
        let offered = !report.never_offered.contains(&a.id);
        if offered {
            tally.reachable += 1;
        } else {
            tally.unreachable.push(a.id.clone());
        }
        if taken(i) {
            tally.on_paths += 1;
        } else if offered && !a.inert {
            tally.off_paths.push(a.id.clone());
        }
    }
    let mut endings = Tally { total: s.endings.len(), ..Tally::default() };
    for (i, e) in s.endings.iter().enumerate() {
        let reached = report.endings.get(i).is_some_and(Option::is_some);
        let on_path = paths.iter().any(|p| p.ending().is_some_and(|x| x.id == e.id));
        if reached || on_path {
            endings.reachable += 1;
        } else {
            endings.unreachable.push(e.id.clone());
        }
        if on_path {
            endings.on_paths += 1;
        } else if reached {
            endings.off_paths.push(e.id.clone());
        }
    }
    let mut facts = Tally { total: s.facts.len(), ..Tally::default() };
    for (i, f) in s.facts.iter().enumerate() {
        let learned = paths
            .iter()
            .any(|p| p.journal().iter().any(|e| matches!(e, Entry::Learned { fact, .. } if fact.ix() == i)));
        if learned {
            facts.on_paths += 1;
            facts.reachable += 1;
        } else {
            facts.off_paths.push(f.id.clone());
        }
    }
    let mut rubric = Tally::default();
    let scores: Vec<Score> = paths.iter().map(|p| Score::of(p.rules(), p.state(), None)).collect();
    for c in Criterion::ALL {
        let n = scores.first().map_or(0, |sc| sc.criterion(c).items.len());
        for k in 0..n {
            rubric.total += 1;
            let id = scores[0].criterion(c).items[k].id.clone();
            let earned =
                scores.iter().any(|sc| sc.criterion(c).items.get(k).is_some_and(|i| i.applicable && i.fraction >= 1.0));
            if earned {
                rubric.on_paths += 1;
                rubric.reachable += 1;
            } else {
                rubric.off_paths.push(id);
            }
        }
    }
    let range = match (&report.lowest, &report.highest) {
        (Some(lo), Some(hi)) => Some((lo.score, hi.score, lo.exact() && hi.exact())),
        _ => None,
    };
    let (reading_minutes, playing_minutes) = exemplary.map_or((0.0, 0.0), |e| {
        let words = |t: &str| e.render(t).split_whitespace().count();
        let mut n = words(&s.briefing.referral) + words(&s.briefing.role);
        let mut last_scene = None;
        for entry in e.journal() {
            match entry {
                Entry::Arrived { scene, .. } if last_scene != Some(*scene) => {
                    n += words(&s.scene(*scene).text);
                    last_scene = Some(*scene);
                }
                Entry::Took { action, .. } => n += words(&s.action(*action).text) + words(&s.action(*action).result),
                Entry::Learned { fact, .. } => n += words(&e.fact_text(*fact)),
                _ => {}
            }
        }
        let reading = n as f64 / WORDS_PER_MINUTE;
        (reading, reading + e.actions().len() as f64 * SECONDS_PER_STEP / 60.0)
    });
    Coverage { choices, hotspots, endings, facts, rubric, range, reading_minutes, playing_minutes }
}
