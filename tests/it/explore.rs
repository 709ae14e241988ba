//! `explore` on every scenario: every ending reachable, no dead end, every
//! scene reached, the exact extremes of the score, and no ending that
//! contradicts the record; and on the README example, where the search is
//! complete.

use crate::scripts::all_scenarios;
use second_look::explore::{HARMED_HIGH, Incoherence, Options, explore};
use second_look::record::parse_script;
use second_look::scenario::Outcome;

/// The built-in scripts of a case, as action ids, to start the score searches from.
fn scripts(id: &str) -> Vec<Vec<second_look::record::ScriptStep>> {
    let dir = crate::repo("tests/scripts");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.starts_with(&format!("{id}.")) && name.ends_with(".txt") && !name.ends_with(".contrasts.txt") {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            out.push(parse_script(&text));
        }
    }
    out
}

#[test]
fn every_scenario_is_playable_coherent_and_its_score_range_is_exact() {
    for (id, scenario) in all_scenarios() {
        let options =
            Options { max_states: 400_000, score_states: 30_000, scripts: scripts(&id), ..Options::default() };
        let report = explore(&scenario, &options);
        assert_eq!(report.unreachable_scenes, Vec::<String>::new(), "{id}");
        assert_eq!(report.dead_end_count, 0, "{id}: {:?}", report.dead_ends);
        for (ending, reach) in scenario.endings.iter().zip(&report.endings) {
            assert!(reach.is_some(), "{id}: ending `{}` not reached", ending.id);
        }
        assert!(report.never_offered.is_empty(), "{id}: never offered {:?}", report.never_offered);
        assert!(report.is_clean(), "{id}");
        // No ending contradicts the record on any path either search reached.
        let found: Vec<String> =
            report.incoherent.iter().map(|f| format!("{}: {}", f.what.describe(), f.path.join(" "))).collect();
        assert!(found.is_empty(), "{id}: {found:#?}");
        // The best and worst scores are exact, and the best is full marks.
        let (lo, hi) = (report.lowest.clone().unwrap(), report.highest.clone().unwrap());
        assert!(hi.exact() && lo.exact(), "{id}: {hi:?} {lo:?}");
        assert_eq!(hi.score, 100.0, "{id}");
        // No harmed ending can score 70 or more: proven, not sampled.
        for (ending, range) in scenario.endings.iter().zip(&report.ranges) {
            if ending.outcome == Outcome::Harmed
                && let Some(h) = &range.highest
            {
                assert!(h.proven < HARMED_HIGH, "{id}: `{}` could reach {:.1}", ending.id, h.proven);
            }
        }
    }
}

#[test]
fn on_a_small_case_the_search_completes_and_finds_the_true_extremes() {
    let s = std::sync::Arc::new(second_look::scenario::load_str("example", &crate::example()).unwrap().0);
    let report = explore(&s, &Options { max_states: 300_000, ..Options::default() });
    assert!(!report.bound_hit, "{} states", report.states);
    assert!(report.is_clean() && report.is_coherent(), "{:?}", report.incoherent);
    let (lowest, highest) = (report.lowest.unwrap(), report.highest.unwrap());
    assert_eq!((highest.score, highest.exact()), (100.0, true));
    assert_eq!((lowest.score, lowest.exact()), (0.0, true), "closing at once scores nothing");
    // The best path really scores what it says.
    let played = second_look::sim::Session::replay(s.clone(), 1, &highest.path).unwrap();
    assert_eq!(second_look::scoring::overall(played.rules(), played.state()), 100.0);
    // A harmed ending can never reach 70: its harm is taken off.
    let hurt = report.ranges.iter().find(|r| r.id == "hurt").unwrap();
    assert!(hurt.highest.as_ref().unwrap().proven <= 60.0);
    // A bound that is too small is reported as hit.
    let small = explore(&s, &Options { max_states: 50, score_states: 50, ..Options::default() });
    assert!(small.bound_hit);
}

#[test]
fn explore_finds_an_ending_that_says_what_did_not_happen_and_a_low_protected_score() {
    // Make the "safe" ending claim the partner was checked while only needing the plan.
    let text = crate::example_with(
        r#"when: All([Flag("safe"), Knows("fell"), Did("ask_again"), Checked("partner", "met"), Checked("partner", "police")]),"#,
        r#"when: Flag("safe"),"#,
    );
    let s = std::sync::Arc::new(second_look::scenario::load_str("x", &text).unwrap().0);
    let report = explore(&s, &Options { max_states: 100_000, score_states: 20_000, ..Options::default() });
    let kinds: Vec<&Incoherence> = report.incoherent.iter().map(|f| &f.what).collect();
    assert!(kinds.iter().any(|k| matches!(k, Incoherence::Claim { ending, .. } if ending == "safe")), "{kinds:?}");
    assert!(kinds.iter().any(|k| matches!(k, Incoherence::ProtectedLow { ending } if ending == "safe")), "{kinds:?}");
    // The path given shows it.
    let f = report.incoherent.iter().find(|f| matches!(f.what, Incoherence::ProtectedLow { .. })).unwrap();
    let played = second_look::sim::Session::replay(s, 1, &f.path).unwrap();
    assert_eq!(played.ending().unwrap().id, "safe");
    assert!(second_look::scoring::overall(played.rules(), played.state()) <= 30.0);
}

#[test]
fn every_saved_ending_path_still_reaches_its_ending() {
    // `<id>.ending-<ending>.txt` scripts were written by `explore --save-paths`
    // (seed 1) and start the score searches; a change to a case that breaks
    // one would leave that ending to chance. Each must still reach its
    // ending in some version of the case, with explore's seed.
    use second_look::sim::{CaseState, Layout, Rules, Variation};
    let mut checked = 0;
    for (id, s) in all_scenarios() {
        let layout = Layout::of(&s);
        let rolled = Variation::roll(&s, 1);
        let mut versions = vec![Vec::new()];
        for sw in &s.switches {
            versions = versions
                .into_iter()
                .flat_map(|v: Vec<u16>| (0..sw.options.len() as u16).map(move |o| [v.clone(), vec![o]].concat()))
                .collect();
        }
        let dir = crate::repo("tests/scripts");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            let Some(ending) = name.strip_prefix(&format!("{id}.ending-")).and_then(|n| n.strip_suffix(".txt")) else {
                continue;
            };
            let steps = parse_script(&std::fs::read_to_string(dir.join(&name)).unwrap());
            let reaches = versions.iter().any(|version| {
                let v = rolled.with_switches(version);
                let r = Rules { s: &s, v: &v, l: &layout };
                let mut state = CaseState::start(r, &mut ());
                for (n, id) in second_look::record::steps_for(&steps, &s, &v).iter().enumerate() {
                    let Some(a) = s.action_id(id) else { return false };
                    if state.take(r, a, n, &mut ()).is_err() {
                        return false;
                    }
                }
                state.ended.is_some_and(|e| s.endings[e.ix()].id == ending)
            });
            assert!(reaches, "{name} no longer reaches `{ending}`");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} saved paths");
}

/// A scene left with nothing but things to look at that change nothing is a
/// dead end: after the looks the trainee is stuck. (Such looks are not
/// branched on, which must not hide it.)
#[test]
fn a_scene_with_only_inert_looks_left_is_a_dead_end() {
    let text = crate::example_with(
        r#"hotspots: [(id: "look_hall", label: "The hall", effects: [Learn("coat")])],"#,
        r#"hotspots: [(id: "look_hall", label: "The hall", effects: [Learn("coat")]), (id: "look_sofa", label: "The sofa")],"#,
    )
    .replacen(r#"(id: "leave", text: "Leave", once: false"#, r#"(id: "leave", text: "Leave", when: Flag("safe"), once: false"#, 1);
    let s = second_look::scenario::load_str("stuck.ron", &text).unwrap().0;
    assert!(s.actions.iter().any(|a| a.id == "look_sofa" && a.inert), "the sofa changes nothing");
    let report = explore(&s, &Options::default());
    assert!(report.dead_end_count > 0, "stuck at home once everything else is done");
    assert!(!report.is_clean());
    assert!(report.dead_ends.iter().any(|d| d.scene == "home"), "{:?}", report.dead_ends);
}
