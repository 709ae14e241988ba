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

/// The seeds from 1 to 6 that give the first case's concern version.
fn first_case_concern_seeds() -> Vec<u64> {
    seeds_by_story(&first_case()).map(|(concern, _)| concern).unwrap_or_else(|| (1..=6).collect())
}

#[test]
fn the_experienced_practitioner_protects_the_child_and_scores_at_least_90() {
    for seed in first_case_concern_seeds() {
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
    for seed in first_case_concern_seeds() {
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

/// Every scenario in `scenarios/`, by id, with its file.
pub fn all_scenarios() -> Vec<(String, Arc<Scenario>)> {
    second_look::scenario::catalogue::in_folder(&repo("scenarios"))
        .unwrap()
        .into_iter()
        .map(|origin| {
            let s = origin.load().map_err(|e| e.render(false)).unwrap().0;
            (s.meta.id.clone(), Arc::new(s))
        })
        .collect()
}

#[test]
fn every_scenario_has_an_exemplary_path_scoring_90_and_a_credulous_one_scoring_30() {
    let all = all_scenarios();
    assert!(all.len() >= 10, "ten cases, one per pattern: {}", all.len());
    for (id, scenario) in all {
        for seed in 1..=6 {
            let good = play(scenario.clone(), &format!("{id}.exemplary.txt"), seed);
            let good_score = score(&good).overall;
            assert!(good_score >= 90.0, "{id}, seed {seed}: the exemplary script scores {good_score:.1}");
            let outcome = good.ending().map(|e| e.outcome);
            assert!(
                matches!(outcome, Some(Outcome::ProtectedInTime | Outcome::SafeAfterChecks)),
                "{id}, seed {seed}: the exemplary path ends {outcome:?}"
            );
            let bad = play(scenario.clone(), &format!("{id}.credulous.txt"), seed);
            let bad_score = score(&bad).overall;
            assert!(bad_score <= 30.0, "{id}, seed {seed}: the credulous script scores {bad_score:.1}");
        }
    }
}

#[test]
fn every_new_case_is_at_the_standard_of_the_first() {
    // The three patterns added to make ten (issue 14): at least 25 scenes over
    // six days, hidden carers, four inconsistencies, protection scored.
    for (id, s) in all_scenarios().into_iter().filter(|(id, _)| {
        ["seen-only-at-the-door", "found-far-from-home", "nobody-wants-to-visit"].contains(&id.as_str())
    }) {
        assert!(s.scenes.len() >= 25, "{id}: {} scenes", s.scenes.len());
        assert!(s.calendar.horizon().day() >= 6, "{id}");
        assert!(s.rubric.inconsistencies.len() >= 4, "{id}");
        let hidden = s.rubric.carers.iter().filter(|c| !s.person(c.person).known_at_start).count();
        assert!(hidden >= 1, "{id}: a carer hidden at the start");
        assert!(
            s.rubric.escalations.iter().any(|e| e.kind == second_look::scenario::EscalationKind::Protection),
            "{id}: protection scored"
        );
    }
}

#[test]
fn every_scenario_has_the_depth_and_metadata_a_course_needs() {
    for (id, s) in all_scenarios() {
        assert!(s.scenes.len() >= 20, "{id}: {} scenes", s.scenes.len());
        assert!(s.calendar.horizon().day() >= 6, "{id}: several in-game days");
        assert!(s.rubric.inconsistencies.len() >= 3, "{id}: inconsistencies");
        assert!(s.rubric.escalations.len() >= 2, "{id}: escalation points");
        for e in &s.rubric.escalations {
            assert!(!e.timescale.trim().is_empty(), "{id}: `{}` names its timescale", e.id);
        }
        for outcome in [Outcome::ProtectedInTime, Outcome::ProtectedLate, Outcome::Harmed] {
            assert!(s.endings.iter().any(|e| e.outcome == outcome), "{id}: no {outcome:?} ending");
        }
        let m = &s.meta;
        assert!(!m.content_notes.is_empty() && !m.review_themes.is_empty() && !m.learning_outcomes.is_empty(), "{id}");
        assert!(!m.pattern.trim().is_empty() && m.estimated_minutes > 0, "{id}");
        // Seeded variation: two seeds give different names or accounts.
        let names = |seed| {
            let session = second_look::sim::Session::new(s.clone(), seed);
            let people: Vec<String> = (0..s.people.len())
                .map(|i| session.variation().name(second_look::scenario::PersonIx(i as u16)).to_string())
                .collect();
            let facts: Vec<String> =
                (0..s.facts.len()).map(|i| session.fact_text(second_look::scenario::FactIx(i as u16))).collect();
            (people, facts)
        };
        assert!((2..8).any(|seed| names(seed) != names(1)), "{id}: the seed changes nothing");
    }
}

#[test]
fn every_scenario_is_built_into_the_binary() {
    let builtin: Vec<&str> = second_look::scenario::catalogue::BUILTIN.iter().map(|(name, _)| *name).collect();
    for origin in second_look::scenario::catalogue::in_folder(&repo("scenarios")).unwrap() {
        if let second_look::scenario::catalogue::Origin::File(path) = origin {
            let name = format!("scenarios/{}", path.file_name().unwrap().to_string_lossy());
            assert!(builtin.contains(&name.as_str()), "{name} is not in catalogue::BUILTIN");
        }
    }
    // The start screen lists the cases in the course's order: the first case first.
    let listed: Vec<String> = second_look::scenario::catalogue::in_folder(&repo("scenarios"))
        .unwrap()
        .iter()
        .map(|o| o.load().unwrap().0.meta.id)
        .collect();
    assert_eq!(listed.first().map(String::as_str), Some("marks-explained-away"));
    assert_eq!(listed.len(), builtin.len());
}

/// The seeds from 1 to 6 that give each option of a case's `story` switch.
fn seeds_by_story(s: &Arc<Scenario>) -> Option<(Vec<u64>, Vec<u64>)> {
    let story = s.switches.iter().find(|w| w.id == "story")?;
    if !(story.options.iter().any(|o| o == "concern") && story.options.iter().any(|o| o == "benign")) {
        return None;
    }
    let version = |seed| Session::new(s.clone(), seed).variation().option(s, "story").map(str::to_string);
    let pick = |o: &str| (1..=6).filter(|seed| version(*seed).as_deref() == Some(o)).collect::<Vec<u64>>();
    Some((pick("concern"), pick("benign")))
}

#[test]
fn every_case_has_a_benign_version_the_referral_does_not_give_away() {
    use second_look::sim::{CaseState, Layout, Rules, Variation};
    for (id, s) in all_scenarios() {
        let (concern, benign) =
            seeds_by_story(&s).unwrap_or_else(|| panic!("{id}: no `story` switch (concern, benign)"));
        assert!(
            !concern.is_empty() && !benign.is_empty(),
            "{id}: seeds 1-6 give {concern:?} concern, {benign:?} benign"
        );
        // The same referral and the same first choices in both versions.
        let k = s.switches.iter().position(|w| w.id == "story").unwrap();
        let layout = Layout::of(&s);
        let rolled = Variation::roll(&s, 1);
        let opening = |option: &str| {
            let o = s.switches[k].options.iter().position(|x| x == option).unwrap() as u16;
            let mut version: Vec<u16> =
                (0..s.switches.len()).map(|j| rolled.switch(second_look::scenario::SwitchIx(j as u16))).collect();
            version[k] = o;
            let v = rolled.with_switches(&version);
            let r = Rules { s: &s, v: &v, l: &layout };
            let state = CaseState::start(r, &mut ());
            (state.scene, state.available(r))
        };
        assert_eq!(opening("concern"), opening("benign"), "{id}: the opening gives the version away");
        // The experienced practitioner's path ends safe after checks in the benign version.
        for seed in benign {
            let good = play(s.clone(), &format!("{id}.exemplary.txt"), seed);
            assert_eq!(good.ending().map(|e| e.outcome), Some(Outcome::SafeAfterChecks), "{id}, seed {seed}");
        }
    }
}
