//! `validate`: broken scenarios give every problem at once, each with the
//! right code, line and column, and a hint; nothing ever panics.

use crate::{example, example_with, position, repo};
use second_look::scenario::{Diagnostic, load_file, load_str};

/// The problems found in a text (panics if it loads clean).
fn problems(text: &str) -> Vec<Diagnostic> {
    match load_str("broken.ron", text) {
        Ok(_) => panic!("expected problems, but it loaded"),
        Err(e) => e.diagnostics,
    }
}

/// The one problem with this code.
fn find(all: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert!(
        !found.is_empty(),
        "no {code} among:\n{}",
        all.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
    found[0].clone()
}

#[test]
fn the_shipped_scenarios_and_the_readme_example_are_clean() {
    let files = second_look::scenario::catalogue::in_folder(&repo("scenarios")).unwrap();
    assert!(!files.is_empty());
    for origin in files {
        let (_, warnings) = origin.load().map_err(|e| e.render(false)).unwrap();
        assert!(warnings.is_empty(), "{}: {warnings:?}", origin.label());
    }
    let (_, warnings) = load_str("README example", &example()).map_err(|e| e.render(false)).unwrap();
    assert!(warnings.is_empty(), "README example: {warnings:?}");
}

#[test]
fn a_syntax_error_names_line_column_and_what_was_expected() {
    let broken = example_with(r#"effects: [Learn("grip")]),"#, r#"effects: [Learn("grip")),"#);
    let all = problems(&broken);
    assert_eq!(all.len(), 1, "a syntax error stops before semantic checks");
    let d = &all[0];
    assert_eq!(d.code, "E001");
    let (line, _) = position(&broken, r#"effects: [Learn("grip")),"#);
    assert_eq!(d.line, line, "{d}");
    assert!(d.message.contains("Expected") || d.message.contains("expected"), "{d}");
    assert!(d.column > 0);
}

#[test]
fn an_unknown_field_is_caught_with_a_suggestion() {
    let broken = example_with(r#"title: "Your desk","#, r#"titel: "Your desk","#);
    let d = find(&problems(&broken), "E001");
    assert_eq!((d.line, d.column), position(&broken, "titel"), "{d}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn a_bad_time_of_day_is_caught_where_it_is() {
    let broken = example_with(r#"start_time: "15:00""#, r#"start_time: "25:00""#);
    let d = find(&problems(&broken), "E001");
    assert_eq!(d.line, position(&broken, "25:00").0, "{d}");
    assert!(d.message.contains("HH:MM"), "{d}");
}

#[test]
fn an_unknown_id_points_at_the_reference_and_suggests_the_right_one() {
    let broken = example_with(r#"effects: [Learn("grip")]"#, r#"effects: [Learn("gripp")]"#);
    let all = problems(&broken);
    let d = find(&all, "E102");
    assert_eq!((d.line, d.column), position(&broken, r#"Learn("gripp")"#), "{d}");
    assert!(d.message.contains("unknown fact `gripp`"), "{d}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `grip`?"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let broken = example_with(r#"effects: [Learn("grip")]"#, r#"effects: [Learn("gripp")]"#)
        .replacen(r#"(id: "ask_again""#, r#"(id: "ask""#, 1)
        .replacen(r#"{child} is hurt again."#, "{kid} is hurt again.", 1);
    let all = problems(&broken);
    let codes: Vec<&str> = all.iter().map(|d| d.code).collect();
    for code in ["E102", "E101", "E103"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let dup = find(&all, "E101");
    assert!(dup.message.contains("duplicate choice or hotspot id `ask`"), "{dup}");
    // The duplicate is reported at the second one.
    let second = broken.match_indices(r#"(id: "ask""#).nth(1).unwrap().0;
    assert_eq!(dup.line, second_look::scenario::diagnostic::line_col(&broken, second).0);
    let placeholder = find(&all, "E103");
    assert_eq!(placeholder.line, position(&broken, "{kid}").0);
}

#[test]
fn a_scene_nobody_can_reach_is_reported() {
    let broken = example_with(
        "    ],\n    events: [",
        r#"        (id: "attic", title: "The attic", location: "Upstairs", text: "Dusty.",
            choices: [(id: "down", text: "Go down", once: false, goto: "desk")]),
    ],
    events: ["#,
    );
    let d = find(&problems(&broken), "E110");
    assert!(d.message.contains("`attic` can never be reached"), "{d}");
    assert_eq!(d.line, position(&broken, r#"(id: "attic""#).0);
}

#[test]
fn a_scene_with_no_way_out_is_reported() {
    let broken = example_with(
        r#"(id: "leave", text: "Leave", once: false, cost: Minutes(30), goto: "desk"),"#,
        r#"(id: "leave", text: "Leave", cost: Minutes(30)),"#,
    );
    let d = find(&problems(&broken), "E111");
    assert!(d.message.contains("`home` has no way out"), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("goes to another scene"));
}

#[test]
fn rubric_items_that_can_never_happen_are_reported() {
    let broken = example_with(
        r#"(id: "call_nursery", text: "Ring the nursery", cost: Minutes(30), effects: [Learn("grip")]),"#,
        r#"(id: "call_nursery", text: "Ring the nursery", cost: Minutes(30)),"#,
    )
    .replacen(
        r#"answers: [(text: "Nothing known.", effects: [Check("partner", "police")])]"#,
        r#"answers: [(text: "Nothing known.")]"#,
        1,
    );
    let all = problems(&broken);
    let never: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E120").collect();
    let says = |needle: &str| never.iter().any(|d| d.message.contains(needle));
    assert!(says("fact `grip` can never be learned"), "{never:?}");
    assert!(says("the trigger of `strategy_in_time` can never hold"), "{never:?}");
    assert!(says("nothing ever records the check `police` on `partner`"), "{never:?}");
    let fact = never.iter().find(|d| d.message.contains("`grip` can never")).unwrap();
    let rubric_at = broken.find(r#"facts: ["fell", "grip"]"#).unwrap();
    assert_eq!(fact.line, second_look::scenario::diagnostic::line_col(&broken, rubric_at).0);
    // And the strategy choice can never be offered: a warning.
    assert!(all.iter().any(|d| d.code == "W170" && d.message.contains("`strategy`")));
}

#[test]
fn deadlines_that_can_never_be_met_are_reported() {
    let zero = example_with("deadline: EndOfDay,", "deadline: Hours(0),");
    let d = find(&problems(&zero), "E121");
    assert_eq!(d.line, position(&zero, "deadline: Hours(0)").0);

    let too_late = example_with(
        r#"(id: "strategy", text: "Convene a strategy discussion", when: Knows("grip"),"#,
        r#"(id: "strategy", text: "Convene a strategy discussion", when: All([Knows("grip"), Since(3, "09:00")]),"#,
    );
    let d = find(&problems(&too_late), "E121");
    assert!(d.message.contains("no counting escalation is offered before Day 3"), "{d}");
}

#[test]
fn endings_must_end_with_always_and_be_reachable() {
    let broken = example_with(
        r#"(id: "closed", outcome: Harmed, title: "The case was closed", text: "Nobody checked; a week later {child} was hurt again.","#,
        r#"(id: "closed", outcome: Harmed, title: "The case was closed", text: "Nobody checked.", when: Flag("hurt"),"#,
    );
    let d = find(&problems(&broken), "E131");
    assert!(d.hint.as_deref().unwrap_or("").contains("when: Always"));
    let reordered = example_with(
        r#"(id: "hurt", outcome: Harmed,"#,
        r#"(id: "first", outcome: Harmed, title: "x", text: "x"),
        (id: "hurt", outcome: Harmed,"#,
    );
    let d = find(&problems(&reordered), "E130");
    assert!(d.message.contains("`hurt` can never be reached"), "{d}");
}

#[test]
fn flags_tested_but_never_set_and_carers_without_checks_are_reported() {
    let broken = example_with(r#"unless: Flag("safe")"#, r#"unless: Flag("saef")"#);
    let d = find(&problems(&broken), "E140");
    assert!(d.message.contains("flag `saef` is tested but never set"), "{d}");
    let broken = example_with(
        r#"(person: "mother", checks: ["met"], learning_point: "Meet the parent.", review_finding: "Parents were not seen."),"#,
        "",
    );
    let d = find(&problems(&broken), "E124");
    assert!(d.message.contains("carer `mother` has no item"), "{d}");
}

#[test]
fn another_format_version_gets_one_clear_message() {
    let newer = example_with("format: 3,", "format: 4,");
    let all = problems(&newer);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].code, "E002");
    assert_eq!(all[0].line, position(&newer, "format: 4").0);
    assert!(all[0].message.contains("format 4 is not supported"));
    for old in ["format: 1,", "format: 2,"] {
        let older = example_with("format: 3,", old);
        let all = problems(&older);
        assert_eq!(all[0].code, "E002");
        assert!(all[0].hint.as_deref().unwrap_or("").contains("second-look migrate"), "{:?}", all[0].hint);
    }
    // Format 0 never existed: no advice to run a migration that would refuse.
    let zero = example_with("format: 3,", "format: 0,");
    let all = problems(&zero);
    assert_eq!(all[0].code, "E002");
    assert!(!all[0].hint.as_deref().unwrap_or("").contains("migrate"), "{:?}", all[0].hint);
}

#[test]
fn an_older_file_is_migrated_in_place_and_then_loads() {
    let dir = std::env::temp_dir().join(format!("second-look-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old.ron");
    // Format 2 files use none of format 3's fields, so migrating one keeps its text.
    let format3_fields =
        ["\n                refused_by: [\"close\"],", ", preventable_by: [\"strategy_in_time\", \"safe_same_day\"]"];
    let mut plain = example();
    for f in format3_fields {
        plain = plain.replacen(f, "", 1);
    }
    for (from, version) in [("format: 1,", 1), ("format: 2,", 2)] {
        let old = plain.replacen("format: 3,", from, 1);
        std::fs::write(&path, &old).unwrap();
        assert!(load_file(&path).is_err());
        assert_eq!(second_look::scenario::migrate_file(&path), Ok(Some(version)));
        let migrated = std::fs::read_to_string(&path).unwrap();
        assert_eq!(migrated, plain, "only the version number changes");
        assert!(load_str("migrated", &migrated).is_ok());
        assert_eq!(second_look::scenario::migrate_file(&path), Ok(None), "already current");
    }
    // A file that would not validate after migrating is left alone.
    let broken = plain.replacen("format: 3,", "format: 2,", 1).replacen(r#"Learn("grip")"#, r#"Learn("gripp")"#, 1);
    std::fs::write(&path, &broken).unwrap();
    assert!(second_look::scenario::migrate_file(&path).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    std::fs::remove_dir_all(&dir).ok();
}

/// The warnings a text loads with.
fn warnings(text: &str) -> Vec<Diagnostic> {
    load_str("w.ron", text).map_err(|e| e.render(false)).unwrap().1
}

#[test]
fn a_follow_up_that_only_checks_someone_is_a_warning() {
    let text = example_with(
        r#"followed_up_by: ["ask_again", "strategy"],"#,
        r#"followed_up_by: ["ask_again", "police_checks"],"#,
    );
    let w = warnings(&text);
    let d = find(&w, "W164");
    assert!(d.message.contains("`police_checks`") && d.message.contains("putting the discrepancy to someone"), "{d}");
    assert_eq!(d.line, position(&text, r#""police_checks"],"#).0);
}

#[test]
fn a_harm_ending_with_nothing_that_could_have_prevented_it_is_a_warning() {
    let text = example_with(
        r#"when: Flag("hurt"),
            preventable_by: ["strategy_in_time", "safe_same_day"]),"#,
        r#"when: Flag("hurt")),"#,
    );
    let d = find(&warnings(&text), "W180");
    assert!(d.message.contains("`hurt`") && d.message.contains("does not reflect the harm"), "{d}");
}

#[test]
fn an_ending_that_claims_what_its_condition_does_not_guarantee_is_a_warning() {
    let text = example_with(
        r#"when: All([Flag("safe"), Knows("fell"), Did("ask_again"), Checked("partner", "met"), Checked("partner", "police")]),"#,
        r#"when: All([Flag("safe"), Knows("fell")]),"#,
    );
    let w = warnings(&text);
    let d = find(&w, "W181");
    assert!(d.message.contains("you know who lives in the home"), "{d}");
    // The claim that the condition does guarantee is not reported.
    assert!(!w.iter().any(|d| d.message.contains("a plan keeps the child safe")), "{w:?}");
}

#[test]
fn the_format_3_constructs_are_checked() {
    // An incident nothing can prevent.
    let text =
        example_with(r#"unless: Flag("safe"), text: "{child} is hurt again.","#, r#"text: "{child} is hurt again.","#);
    find(&warnings(&text), "W182");
    // A consequence of an event that is not an incident.
    let text = example_with(
        r#"refused_by: ["close"],"#,
        r#"refused_by: ["close"],
                consequence_of: "not_an_event","#,
    );
    let d = find(&problems(&text), "E102");
    assert!(d.message.contains("unknown event `not_an_event`"), "{d}");
    // A choice that both meets and refuses an item.
    let text = example_with("counts: [StrategyDiscussion],", r#"counts: [StrategyDiscussion], met_by: ["close"],"#);
    let d = find(&problems(&text), "E122");
    assert!(d.message.contains("both `met_by` and `refused_by`"), "{d}");
    // Penalty points out of range, and unknown ids in `preventable_by`.
    let text = example_with("points: 30,", "points: 0,");
    find(&problems(&text), "E152");
    let text = example_with(
        r#"preventable_by: ["strategy_in_time", "safe_same_day"]),"#,
        r#"preventable_by: ["strategy_in_tme"]),"#,
    );
    let d = find(&problems(&text), "E102");
    assert!(d.hint.as_deref().unwrap_or("").contains("strategy_in_time"), "{d}");
}

#[test]
fn unreadable_and_non_utf8_files_are_reported_not_panicked_on() {
    let dir = std::env::temp_dir().join(format!("second-look-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("latin1.ron");
    let mut bytes = example().into_bytes();
    bytes.splice(20..20, [0xE9, 0xFF]);
    std::fs::write(&bad, &bytes).unwrap();
    let e = load_file(&bad).expect_err("not UTF-8");
    assert_eq!(e.diagnostics[0].code, "E003");
    assert_eq!(e.diagnostics[0].line, second_look::scenario::diagnostic::line_col(&example(), 20).0);
    let e = load_file(&dir.join("missing.ron")).expect_err("missing");
    assert!(e.diagnostics[0].message.contains("cannot read the file"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn no_input_however_malformed_panics() {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    let real = std::fs::read_to_string(repo("scenarios/marks-explained-away.ron")).unwrap();
    // Every truncation point (in steps), and random damage.
    let mut cuts: Vec<usize> = (0..real.len()).step_by(173).collect();
    cuts.push(real.len() - 1);
    for cut in cuts {
        let end = (0..=cut).rev().find(|i| real.is_char_boundary(*i)).unwrap_or(0);
        let _ = load_str("cut.ron", &real[..end]);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let tokens =
        ["(", ")", "[", "]", "{", "}", ",", ":", "\"", "'", "r#\"", "/*", "Never", "Always", "0", "-1", "99999999999"];
    for _ in 0..400 {
        let mut text = example();
        for _ in 0..rng.random_range(1..4) {
            let mut at = rng.random_range(0..text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let token = tokens[rng.random_range(0..tokens.len())];
            text.insert_str(at, token);
        }
        let _ = load_str("damaged.ron", &text);
    }
    // Huge numbers are errors, not hangs or overflows.
    for (from, to) in [
        ("deadline: EndOfDay,", "deadline: WorkingDays(4000000000),"),
        (r#"at: At(4, "11:00")"#, r#"at: At(4000000000, "11:00"), jitter_minutes: 4000000000"#),
        ("cost: Minutes(30), effects: [Learn", "cost: Hours(4000000000), effects: [Learn"),
    ] {
        let text = crate::example_with(from, to);
        let all = problems(&text);
        assert!(all.iter().any(|d| d.code == "E151"), "{to}: {all:?}");
    }
    for garbage in ["", " ", "()", "Scenario()", "Scenario(format: 1)", "[[[[[[", "\u{0}\u{1}"] {
        assert!(load_str("garbage.ron", garbage).is_err());
    }
}

#[test]
fn a_hidden_person_nobody_can_check_is_a_warning_at_their_description() {
    // Such a person would only ever be "heard of" in the household panel.
    let text = example_with(
        r#"(id: "partner", "#,
        r#"(id: "uncle", name: Fixed("Ray"), role: Relative, known_at_start: false, description: "{mother}'s brother"),
        (id: "partner", "#,
    );
    let text = text.replacen(r#"reveals: ["partner"]"#, r#"reveals: ["partner", "uncle"]"#, 1);
    let (_, warnings) = load_str("uncle.ron", &text).map_err(|e| e.render(false)).unwrap();
    let d = warnings.iter().find(|d| d.code == "W163").unwrap_or_else(|| panic!("no W163 in {warnings:?}"));
    assert!(d.message.contains("`uncle`"), "{d}");
    assert_eq!(d.line, position(&text, r#"description: "{mother}'s brother""#).0);
    assert!(d.hint.as_deref().is_some_and(|h| h.contains(r#"Check("uncle""#)), "{d}");
}

/// A hotspot that reveals nothing and is named nowhere is inert (a search of
/// the case need not branch on it); naming it in a condition makes it count.
#[test]
fn a_neutral_hotspot_is_inert_until_something_refers_to_it() {
    let neutral = r#"hotspots: [(id: "look_hall", label: "The hall", effects: [Learn("coat")]), (id: "see_shelf", label: "The bookshelf", result: "Paperbacks and a photo.")],"#;
    let text =
        crate::example_with(r#"hotspots: [(id: "look_hall", label: "The hall", effects: [Learn("coat")])],"#, neutral);
    let (s, _) = second_look::scenario::load_str("example.ron", &text).unwrap();
    let inert = |s: &second_look::scenario::Scenario, id: &str| s.action(s.action_id(id).unwrap()).inert;
    assert!(inert(&s, "see_shelf"));
    assert!(!inert(&s, "look_hall"), "a hotspot that teaches something is not inert");
    let named =
        text.replacen(r#"when: Knows("grip"), cost: Minutes(15))"#, r#"when: Did("see_shelf"), cost: Minutes(15))"#, 1);
    assert_ne!(named, text);
    let (s, _) = second_look::scenario::load_str("example.ron", &named).unwrap();
    assert!(!inert(&s, "see_shelf"), "a hotspot a condition names is not inert");
}

/// Looking is a choice, not a signpost: every room with things to look at in
/// the shipped cases also has one that reveals nothing, in every version.
#[test]
fn every_shipped_room_with_hotspots_has_a_neutral_one_in_every_version() {
    for origin in second_look::scenario::catalogue::in_folder(&crate::repo("scenarios")).unwrap() {
        let (s, _) = origin.load().unwrap();
        for scene in s.scenes.iter().filter(|sc| !sc.hotspots.is_empty()) {
            let neutral = scene.hotspots.iter().any(|a| {
                let def = s.action(*a);
                def.inert && def.when == second_look::scenario::Cond::Always
            });
            assert!(neutral, "{}: `{}` has hotspots but none that reveals nothing", s.meta.id, scene.id);
        }
    }
}

/// Text written by other editors and hands: a byte-order mark is read past,
/// an escape code in a text is refused where it is, and a script with lone
/// CR line endings plays every step.
#[test]
fn a_bom_is_read_past_an_escape_code_is_refused_and_cr_scripts_play() {
    let bom = format!("\u{feff}{}", crate::example());
    assert!(second_look::scenario::load_str("bom.ron", &bom).is_ok(), "a BOM is read past");
    let escaped = crate::example_with("title: \"Home visit\"", "title: \"Home \\u{1b}[31mvisit\"");
    let err = second_look::scenario::load_str("esc.ron", &escaped).expect_err("an escape code is refused");
    let d = err.diagnostics.iter().find(|d| d.code == "E104").expect("E104");
    assert_eq!(d.line, crate::position(&escaped, "title: \"Home \\u{1b}").0, "{d:?}");
    let steps = second_look::record::parse_script("call_nursery\rvisit\rask\r");
    let ids: Vec<(usize, &str)> = steps.iter().map(|s| (s.line, s.id.as_str())).collect();
    assert_eq!(ids, vec![(1, "call_nursery"), (2, "visit"), (3, "ask")]);
    let crlf = second_look::record::parse_script("\u{feff}call_nursery\r\n# a comment\r\nvisit\r\n");
    assert_eq!(
        crlf.iter().map(|s| (s.line, s.id.as_str())).collect::<Vec<_>>(),
        vec![(1, "call_nursery"), (3, "visit")]
    );
}

/// Two files with one scenario id: `validate` fails the second and `play ID`
/// says which files clash instead of quietly taking the first.
#[test]
fn two_files_with_one_scenario_id_are_refused() {
    let dir = crate::temp("dup-ids");
    std::fs::write(dir.join("a.ron"), crate::example()).unwrap();
    std::fs::write(dir.join("b.ron"), crate::example()).unwrap();
    let out = crate::bin()
        .args(["validate", dir.join("a.ron").to_str().unwrap(), dir.join("b.ron").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already used by"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = dir.join("s.txt");
    std::fs::write(&script, "call_nursery\n").unwrap();
    let out = crate::bin()
        .args(["--scenarios", dir.to_str().unwrap(), "play", "small-example", "--script", script.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("two or more files") && stderr.contains("a.ron") && stderr.contains("b.ron"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Only regular files are read, and only up to a stated size: a FIFO named
/// like a case is refused at once (it would block for ever), and a script
/// larger than its limit says so.
#[test]
fn a_fifo_or_an_oversized_file_is_refused_at_once_with_its_limit() {
    let dir = crate::temp("fifo");
    let fifo = dir.join("x.ron");
    if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let out = crate::bin().args(["validate", fifo.to_str().unwrap()]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    }
    let script = dir.join("big.txt");
    std::fs::write(&script, "x\n".repeat(second_look::scenario::SCRIPT_MAX_BYTES as usize)).unwrap();
    let out = crate::bin()
        .args(["play", "marks-explained-away", "--script", script.to_str().unwrap()])
        .current_dir(crate::repo(""))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("over the limit of 1 MB"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile sizes and values: each is a located error, quickly, with a short
/// message (the limits are in `scenarios/README.md`).
#[test]
fn hostile_counts_and_values_are_quick_located_errors() {
    let load = |text: &str| second_look::scenario::load_str("hostile.ron", text).expect_err("refused");
    // Ten thousand unknown ids: every one counted, fifty shown, the rest summed up.
    let ids: Vec<String> = (0..10_000).map(|i| format!("\"nobody_{i}\"")).collect();
    let many = crate::example_with("present: [\"mother\", \"child\"]", &format!("present: [{}]", ids.join(",")));
    let started = std::time::Instant::now();
    let err = load(&many);
    let shown = err.render(false);
    assert_eq!(err.diagnostics.iter().filter(|d| d.code == "E102").count(), 10_000);
    assert!(shown.len() < 100_000 && shown.contains("and 9950 more"), "{} bytes", shown.len());
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "bounded, not quadratic");
    // An id no script could name.
    let spaced = crate::example_with("(id: \"child\",", "(id: \"the child\",");
    assert!(load(&spaced).diagnostics.iter().any(|d| d.code == "E101" && d.message.contains("characters")));
    // A weight that would make the score NaN.
    let heavy = crate::example_with("id: \"fall_vs_grip\",", "id: \"fall_vs_grip\", weight: 1e308,");
    assert!(load(&heavy).diagnostics.iter().any(|d| d.code == "E152"), "{:?}", load(&heavy).diagnostics);
    // More bank holidays than the limit.
    let days: Vec<String> = (1..=500).map(|d| d.to_string()).collect();
    let holidays = crate::example_with(
        "horizon: (4, \"17:00\")",
        &format!("horizon: (4, \"17:00\"), bank_holidays: [{}]", days.join(",")),
    );
    let err = load(&holidays);
    assert!(
        err.diagnostics.iter().any(|d| d.code == "E105" && d.message.contains("500 bank holidays")),
        "{:?}",
        err.diagnostics
    );
}

/// `migrate` changes only a file it may: it keeps the mode, and leaves a
/// read-only file, a symbolic link and a file with other hard links as they
/// are, saying why.
#[cfg(unix)]
#[test]
fn migrate_keeps_the_mode_and_refuses_read_only_files_links_and_hard_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::temp("migrate");
    let old = crate::example_with("format: 3", "format: 2");
    let migrate = |p: &std::path::Path| crate::bin().args(["migrate", p.to_str().unwrap()]).output().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // Writable, mode 640: migrated, still 640.
    let plain = dir.join("plain.ron");
    std::fs::write(&plain, &old).unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(migrate(&plain).status.success());
    assert!(std::fs::read_to_string(&plain).unwrap().contains("format: 3"));
    assert_eq!(mode(&plain), 0o640);
    // Read-only: refused, unchanged.
    let ro = dir.join("ro.ron");
    std::fs::write(&ro, &old).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = migrate(&ro);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), old);
    // A symbolic link: refused; neither it nor its target changes.
    let target = dir.join("target.ron");
    std::fs::write(&target, &old).unwrap();
    let link = dir.join("link.ron");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = migrate(&link);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), old);
    // Hard links: refused, still one file.
    let twin = dir.join("twin.ron");
    std::fs::hard_link(&target, &twin).unwrap();
    let out = migrate(&twin);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("hard links"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), old);
    let _ = std::fs::remove_dir_all(&dir);
}
