//! `explore` on every scenario: every ending reachable, no dead end, every
//! scene reached; and on the README example, where the search is complete.

use crate::scripts::all_scenarios;
use second_look::explore::{Dedup, Options, explore};

#[test]
fn every_scenario_has_every_ending_reachable_and_no_dead_end() {
    for (id, scenario) in all_scenarios() {
        let report = explore(&scenario, &Options { seed: 1, max_states: 300_000, dedup: Dedup::Shape });
        assert_eq!(report.unreachable_scenes, Vec::<String>::new(), "{id}");
        assert_eq!(report.dead_end_count, 0, "{id}: {:?}", report.dead_ends);
        for (ending, reach) in scenario.endings.iter().zip(&report.endings) {
            assert!(reach.is_some(), "{id}: ending `{}` not reached", ending.id);
        }
        assert!(report.never_offered.is_empty(), "{id}: never offered {:?}", report.never_offered);
        assert!(report.is_clean(), "{id}");
    }
}

#[test]
fn on_a_small_case_the_search_completes() {
    let s = std::sync::Arc::new(second_look::scenario::load_str("example", &crate::example()).unwrap().0);
    let report = explore(&s, &Options { seed: 1, max_states: 300_000, dedup: Dedup::Shape });
    assert!(!report.bound_hit, "{} states", report.states);
    assert!(report.is_clean());
    let (lowest, highest) = (report.lowest.unwrap().0, report.highest.unwrap().0);
    assert_eq!(highest, 100.0);
    assert_eq!(lowest, 0.0, "closing at once scores nothing");
    // A bound that is too small is reported as hit.
    let small = explore(&s, &Options { seed: 1, max_states: 50, dedup: Dedup::Shape });
    assert!(small.bound_hit);
}
