//! The command line, run as a user would run it.

use crate::{example_with, repo};
use std::process::Output;

fn second_look(args: &[&str]) -> Output {
    crate::bin().args(args).current_dir(repo("")).output().expect("run second-look")
}

#[test]
fn validate_passes_clean_scenarios_and_fails_broken_ones_with_every_problem() {
    let ok = second_look(&["validate"]);
    assert!(ok.status.success(), "{}{}", crate::text(&ok.stdout), crate::text(&ok.stderr));
    assert!(crate::text(&ok.stdout).contains("ok    scenarios/marks-explained-away.ron"));

    let dir = crate::temp("validate");
    let broken = dir.join("broken.ron");
    let bad = example_with(r#"effects: [Learn("grip")]"#, r#"effects: [Learn("gripp")]"#).replacen(
        r#"(id: "ask_again""#,
        r#"(id: "ask""#,
        1,
    );
    std::fs::write(&broken, &bad).unwrap();
    let out = second_look(&["validate", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = crate::text(&out.stderr);
    assert!(err.contains("error[E102]") && err.contains("error[E101]"), "{err}");
    let (line, col) = crate::position(&bad, r#"Learn("gripp")"#);
    assert!(err.contains(&format!("broken.ron:{line}:{col}")), "{err}");
    assert!(err.contains("did you mean `grip`?"), "{err}");
    assert!(crate::text(&out.stdout).contains("FAIL"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn play_prints_the_transcript_and_the_debrief_and_writes_a_record_that_replays() {
    let dir = crate::temp("play");
    let record = dir.join("session.jsonl");
    let out = second_look(&[
        "play",
        "marks-explained-away",
        "--script",
        "tests/scripts/marks-explained-away.exemplary.txt",
        "--seed",
        "4",
        "--record",
        record.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let stdout = crate::text(&out.stdout);
    assert!(stdout.contains("Day 1, Wednesday 09:00"), "transcript");
    assert!(stdout.contains("Overall score: 100/100"), "{stdout}");
    assert!(stdout.contains("protected in time"));

    let rec = second_look::record::read_record(&record).unwrap();
    assert_eq!(rec.header.scenario, "marks-explained-away");
    assert_eq!(rec.header.seed, 4);
    assert!(rec.end.is_some());
    let scenario = crate::scripts::first_case();
    let replayed = rec.replay(scenario.clone(), &record).unwrap();
    let direct = crate::scripts::play(scenario, "marks-explained-away.exemplary.txt", 4);
    assert_eq!(replayed.state(), direct.state());
    assert_eq!(rec.end.unwrap().overall, 100.0);

    // A record is never overwritten.
    let again = second_look(&[
        "play",
        "marks-explained-away",
        "--script",
        "tests/scripts/marks-explained-away.exemplary.txt",
        "--record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(crate::text(&again.stderr).contains("cannot create the record"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn play_names_the_script_line_that_cannot_be_played() {
    let dir = crate::temp("script");
    let script = dir.join("bad.txt");
    std::fs::write(&script, "read_referral\n# a comment\nto_phone\ncall_the_moon\n").unwrap();
    let out = second_look(&["play", "marks-explained-away", "--script", script.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = crate::text(&out.stderr);
    assert!(err.contains("bad.txt:4:"), "{err}");
    assert!(err.contains("no choice or hotspot `call_the_moon`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explore_reports_a_clean_case() {
    // The benign version's ending for a case left open is found from its script.
    let left_open = repo("tests/scripts/marks-explained-away.ending-benign_left_open.txt");
    let out = second_look(&[
        "explore",
        "marks-explained-away",
        "--max-states",
        "150000",
        "--score-states",
        "20000",
        "--script",
        left_open.to_str().unwrap(),
        "--deny-warnings",
    ]);
    let stdout = crate::text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Highest overall score reachable: 100.0 (exact)"), "{stdout}");
    assert!(stdout.contains("Lowest overall score reachable: 0.0 (exact)"), "{stdout}");
    assert!(stdout.contains("Endings and the record agree"), "{stdout}");
    assert!(stdout.contains("Unreachable scenes: none"), "{stdout}");
    assert!(stdout.contains("Dead ends: 0"));
    assert!(!stdout.contains("NOT REACHED"));
    assert!(stdout.contains("BOUND HIT"), "a case this size cannot be searched to the end; the report must say so");
}

#[test]
fn graph_draws_the_scene_map() {
    let out = second_look(&["graph", "marks-explained-away"]);
    assert!(out.status.success());
    assert!(crate::text(&out.stdout).contains("\"office\" -> \"phone_list\""));
    let out = second_look(&["graph", "marks-explained-away", "--format", "mermaid"]);
    assert!(crate::text(&out.stdout).starts_with("flowchart LR"));
}

#[test]
fn every_subcommand_has_help_and_unknown_scenarios_are_named() {
    for sub in ["validate", "play", "explore", "graph"] {
        let out = second_look(&[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        assert!(crate::text(&out.stdout).contains("Usage:"), "{sub}");
    }
    let out = second_look(&["explore", "no-such-case"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::text(&out.stderr).contains("no scenario file or id `no-such-case`"));
}

/// The surroundings failing: a reader that closes the pipe early ends the
/// command quietly (status 141, as other Unix tools), and a machine with no
/// display gets a sentence saying what to install or set, not a panic.
#[test]
fn a_closed_pipe_and_a_missing_display_are_sentences_not_panics() {
    use std::io::Read;
    // A long output: a whole case's statements (far more than a pipe holds).
    let dir = crate::temp("pipe");
    let record = dir.join("r.jsonl");
    let played = crate::bin()
        .current_dir(crate::repo(""))
        .args(["play", "marks-explained-away", "--script", "tests/scripts/marks-explained-away.exemplary.txt"])
        .args(["--quiet", "--record", record.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(played.status.success());
    let mut child = crate::bin()
        .current_dir(crate::repo(""))
        .args(["xapi", record.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader goes away (as `| head -1` does) while it is still writing.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);

    let out =
        crate::bin().current_dir(crate::repo("")).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("needs a display") && stderr.contains("Xvfb") && !stderr.contains("panicked"), "{stderr}");
}

/// `new` starts an author from a working case: it validates with no problem,
/// its first steps play, it is never written over an existing file, and a
/// bad id is refused.
#[test]
fn new_writes_a_case_that_validates_and_plays_as_it_stands() {
    let dir = crate::temp("new");
    let path = dir.join("our-case.ron");
    let out = crate::bin()
        .args(["new", "our-case", "--title", "Our case", "--out", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("id: \"our-case\"") && text.contains("title: \"Our case\""));
    assert!(text.matches("//").count() > 30, "a comment on each part");
    let (s, warnings) =
        second_look::scenario::load_str("our-case.ron", &text).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(warnings.is_empty(), "{warnings:?}");
    let script = dir.join("s.txt");
    std::fs::write(
        &script,
        "call_nursery\nvisit\nask\nlook_hall\nask_again\nmeet_partner\nleave\npolice_checks\nstrategy\n",
    )
    .unwrap();
    let played = crate::bin()
        .args(["play", path.to_str().unwrap(), "--script", script.to_str().unwrap(), "--score"])
        .output()
        .unwrap();
    assert!(played.status.success(), "{}", String::from_utf8_lossy(&played.stderr));
    assert_eq!(s.meta.id, "our-case");
    let again = crate::bin().args(["new", "our-case", "--out", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "never over an existing file");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let bad = crate::bin().args(["new", "Our Case!", "--out", dir.join("x.ron").to_str().unwrap()]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `proof` writes the whole case as one page for a reviewer, and refuses a
/// case with problems (saying where they are) rather than proof a broken one.
#[test]
fn proof_writes_a_readable_copy_and_refuses_a_broken_case() {
    let dir = crate::temp("proof");
    let page = dir.join("p.html");
    let out = crate::bin().args(["proof", "marks-explained-away", "--out", page.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.find("Content notes").unwrap() < html.find("class=\"scene\"").unwrap());
    assert!(html.contains("How the case is scored") && html.contains("Sign-off") && !html.contains("<script"));
    let broken = dir.join("broken.ron");
    std::fs::write(&broken, crate::example_with("start: \"desk\"", "start: \"nowhere\"")).unwrap();
    let out = crate::bin()
        .args(["proof", broken.to_str().unwrap(), "--out", dir.join("b.html").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
    assert!(!dir.join("b.html").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `coverage` tells an author what the case can reach and what the built-in
/// paths leave untouched, with the exact score range and the time it takes.
#[test]
fn coverage_reports_reach_paths_range_and_time() {
    let dir = crate::temp("coverage");
    let case = dir.join("c.ron");
    std::fs::write(&case, second_look::scenario::new_case("cov-case", "Coverage")).unwrap();
    let script = dir.join("s.txt");
    std::fs::write(
        &script,
        "call_nursery\nvisit\nask\nlook_hall\nask_again\nmeet_partner\nleave\npolice_checks\nstrategy\n",
    )
    .unwrap();
    let out =
        crate::bin().args(["coverage", case.to_str().unwrap(), "--script", script.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "choices",
        "hotspots",
        "endings",
        "facts learned",
        "rubric earned",
        "score range    0.0 to 100.0 (exact)",
        "minutes to read",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // The neutral hotspot is inert, so it is never listed as missing from a path.
    assert!(!text.contains("see_window"), "{text}");
    // The script never closes the case: that choice is reachable but on no path.
    assert!(text.contains("close"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `map` writes one self-contained page with every scene and the built-in
/// paths marked.
#[test]
fn map_writes_every_scene_with_the_paths_marked() {
    let dir = crate::temp("map");
    let page = dir.join("m.html");
    let out = crate::bin()
        .current_dir(crate::repo(""))
        .args(["map", "marks-explained-away", "--out", page.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    let (s, _) = second_look::scenario::load_file(&crate::repo("scenarios/marks-explained-away.ron")).unwrap();
    for sc in &s.scenes {
        assert!(html.contains(&format!("id=\"scene-{}\"", sc.id)), "{}", sc.id);
    }
    assert!(html.matches("mark mE").count() > 20 && html.matches("mark mC").count() > 10, "both paths marked");
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"), "self-contained");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn author_mode_refuses_what_it_cannot_follow_before_opening_a_window() {
    let dir = crate::temp("author");
    // No display is needed to be told: these are refused before the window.
    let missing = dir.join("missing.ron");
    let out = second_look(&["--author", missing.to_str().unwrap(), "--scenarios", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::text(&out.stderr).contains("missing.ron"), "{}", crate::text(&out.stderr));

    let broken = dir.join("broken.ron");
    let bad = example_with(r#"effects: [Learn("grip")]"#, r#"effects: [Learn("gripp")]"#);
    std::fs::write(&broken, &bad).unwrap();
    let out = second_look(&["--author", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = crate::text(&out.stderr);
    let (line, col) = crate::position(&bad, r#"Learn("gripp")"#);
    assert!(err.contains(&format!("broken.ron:{line}:{col}")), "where: {err}");
    assert!(err.contains("fix the file and run again"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
