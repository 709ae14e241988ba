//! The golden scripts: the experienced practitioner and the credulous one,
//! played through the first case on several seeds.

use crate::repo;
use second_look::record::{parse_script, play_script};
use second_look::scenario::{Outcome, Scenario, load_file};
use second_look::scoring::{Criterion, Score};
use second_look::sim::Session;
use std::sync::Arc;

pub fn first_case() -> Arc<Scenario> {
    Arc::new(load_file(&repo("scenarios/marks-explained-away.ron")).map_err(|e| e.render(false)).unwrap().0)
}

pub fn play(scenario: Arc<Scenario>, script: &str, seed: u64) -> Session {
    let path = repo(&format!("tests/scripts/{script}"));
    let text = std::fs::read_to_string(&path).unwrap();
    play_script(scenario, seed, &path.display().to_string(), &parse_script(&text), |_, _| {})
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"))
}

fn score(s: &Session) -> Score {
    Score::of(s.rules(), s.state(), Some(s.journal()))
}

#[test]
fn the_experienced_practitioner_protects_the_child_and_scores_at_least_90() {
    for seed in 1..=6 {
        let s = play(first_case(), "marks-explained-away.exemplary.txt", seed);
        let score = score(&s);
        assert!(s.is_over(), "seed {seed}: the case should have ended");
        assert_eq!(s.ending().unwrap().outcome, Outcome::ProtectedInTime, "seed {seed}");
        assert!(score.overall >= 90.0, "seed {seed}: {}", score.overall);
        for c in Criterion::ALL {
            assert!(score.criterion(c).score >= 90.0, "seed {seed}: {c:?} {}", score.criterion(c).score);
        }
    }
}

#[test]
fn the_credulous_practitioner_is_scored_at_most_30_and_the_child_is_harmed() {
    for seed in 1..=6 {
        let s = play(first_case(), "marks-explained-away.credulous.txt", seed);
        let score = score(&s);
        assert_eq!(s.ending().unwrap().outcome, Outcome::Harmed, "seed {seed}");
        assert!(score.overall <= 30.0, "seed {seed}: {}", score.overall);
        // Every inconsistency was missed, and the hidden partner never found.
        assert_eq!(score.criterion(Criterion::Inconsistencies).score, 0.0);
        let partner = score.criterion(Criterion::Carers).items.iter().find(|i| i.id == "partner").unwrap();
        assert_eq!(partner.status, second_look::scoring::Status::NeverDiscovered);
    }
}

#[test]
fn the_first_case_is_big_enough_to_teach() {
    let s = first_case();
    assert!(s.scenes.len() >= 25, "{} scenes", s.scenes.len());
    assert!(s.calendar.horizon().day() >= 6);
    assert!(s.rubric.inconsistencies.len() >= 4);
    let carers: Vec<_> = s.rubric.carers.iter().map(|c| s.person(c.person)).collect();
    assert!(carers.len() >= 3);
    assert!(carers.iter().filter(|p| !p.known_at_start).count() >= 2, "two carers hidden at the start");
    assert!(s.rubric.escalations.len() >= 3);
    for outcome in [Outcome::ProtectedInTime, Outcome::ProtectedLate, Outcome::Harmed] {
        assert!(s.endings.iter().any(|e| e.outcome == outcome), "{outcome:?}");
    }
    assert!(!s.meta.content_notes.is_empty());
}

#[test]
fn the_exemplary_path_spans_the_days_of_the_case() {
    let s = play(first_case(), "marks-explained-away.exemplary.txt", 1);
    assert!(s.now().day() >= 6, "ends on day {}", s.now().day());
}
