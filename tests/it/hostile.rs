//! The hostile inputs an attack on the tools found (issue 17), one test
//! each: every one is refused quickly, with a message that names the limit,
//! and leaves nothing behind.

use crate::{example, example_with};
use std::time::{Duration, Instant};

/// Loads a scenario text and returns its error codes and messages, within a bound.
fn refused(text: &str) -> Vec<(String, String)> {
    let started = Instant::now();
    let err = second_look::scenario::load_str("hostile.ron", text).expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    err.diagnostics.iter().map(|d| (d.code.to_string(), d.message.clone())).collect()
}

fn has(found: &[(String, String)], code: &str, words: &str) -> bool {
    found.iter().any(|(c, m)| c == code && m.contains(words))
}

#[test]
fn sixty_thousand_chained_scenes_are_over_the_limit_at_once() {
    let scenes: String = (0..60_000)
        .map(|i| format!("(id: \"s{i}\", title: \"S\", location: \"L\", text: \"T\", choices: [(id: \"go{i}\", text: \"On\", goto: \"s{}\")]),", i + 1))
        .collect();
    let text = example_with("scenes: [", &format!("scenes: [{scenes}"));
    let found = refused(&text);
    assert!(has(&found, "E105", "scenes: more than the limit of 2000"), "{found:?}");
}

#[test]
fn five_thousand_people_with_five_thousand_checks_are_over_the_limits() {
    let people: String = (0..5_000)
        .map(|i| format!("(id: \"p{i}\", name: Fixed(\"P\"), role: Relative, description: \"d\"),"))
        .collect();
    let checks: String = (0..5_000).map(|i| format!("(id: \"c{i}\", title: \"c\"),")).collect();
    let text = example_with("people: [", &format!("people: [{people}"));
    let text = text.replacen("checks: [(id: \"met\"", &format!("checks: [{checks}(id: \"met\""), 1);
    let found = refused(&text);
    assert!(has(&found, "E105", "people: more than the limit of 200"), "{found:?}");
    assert!(has(&found, "E105", "checks: more than the limit of 50"), "{found:?}");
}

#[test]
fn a_two_megabyte_name_pool_is_over_the_limit() {
    let names: Vec<String> = (0..100_000).map(|i| format!("\"Name{i:014}\"")).collect();
    let text = example_with("\"mother\": [\"Amy\", \"Beth\"]", &format!("\"mother\": [{}]", names.join(",")));
    assert!(text.len() > 2_000_000);
    let found = refused(&text);
    assert!(has(&found, "E105", "names in a pool: more than the limit of 500"), "{found:?}");
}

#[test]
fn two_hundred_thousand_bank_holidays_are_over_the_limit_at_once() {
    let days: Vec<String> = (1..=200_000).map(|d| d.to_string()).collect();
    let text = example_with(
        "horizon: (4, \"17:00\")",
        &format!("horizon: (4, \"17:00\"), bank_holidays: [{}]", days.join(",")),
    );
    let found = refused(&text);
    assert!(has(&found, "E105", "200000 bank holidays"), "{found:?}");
}

#[test]
fn a_megabyte_script_line_is_a_short_message_not_an_echo() {
    let dir = crate::temp("line");
    let script = dir.join("s.txt");
    std::fs::write(&script, format!("{}\n", "x".repeat(1_000_000))).unwrap();
    let scenario = dir.join("example.ron");
    std::fs::write(&scenario, example()).unwrap();
    let started = Instant::now();
    let out =
        crate::bin().args(["play", scenario.to_str().unwrap(), "--script", script.to_str().unwrap()]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.len() < 2_000 && stderr.contains("1000000 characters in all"), "{} bytes", stderr.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A record of a hundred thousand actions, carried on into a new file: read
/// in one go, refused where its actions stop replaying, and the new file not
/// left behind.
#[test]
fn a_hundred_thousand_action_record_is_refused_quickly_and_leaves_nothing() {
    let dir = crate::temp("resume");
    let scenario = dir.join("example.ron");
    std::fs::write(&scenario, example()).unwrap();
    let session = second_look::sim::Session::new(
        std::sync::Arc::new(second_look::scenario::load_str("e", &example()).unwrap().0),
        1,
    );
    let header = second_look::record::record_text(
        &session,
        second_look::record::Mode::Assessment,
        "t",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    let mut text = header.lines().next().unwrap().to_string() + "\n";
    for n in 0..100_000 {
        text.push_str(&format!(
            "{{\"type\":\"action\",\"n\":{n},\"action\":\"call_nursery\",\"game_minutes\":0,\"game_time\":\"\",\"wall\":\"1970-01-01T00:00:00Z\"}}\n"
        ));
    }
    let old = dir.join("old.jsonl");
    std::fs::write(&old, &text).unwrap();
    let script = dir.join("s.txt");
    std::fs::write(&script, "call_nursery\n").unwrap();
    let new = dir.join("new.jsonl");
    let started = Instant::now();
    let out = crate::bin()
        .args(["play", scenario.to_str().unwrap(), "--script", script.to_str().unwrap()])
        .args(["--resume", old.to_str().unwrap(), "--record", new.to_str().unwrap()])
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("action 2"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!new.exists(), "the new file is not left behind");
    println!("hostile: a 100,000-action record refused in {took:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `/dev/zero` (or any device) given as a scenario, script or record is
/// refused at once, not read until memory runs out.
#[cfg(unix)]
#[test]
fn a_device_as_any_input_is_refused_at_once() {
    let started = Instant::now();
    for args in [
        vec!["validate", "/dev/zero"],
        vec!["play", "marks-explained-away", "--script", "/dev/zero"],
        vec!["report", "/dev/zero"],
        vec!["xapi", "/dev/zero"],
    ] {
        let out = crate::bin().args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("not a regular file"), "{args:?}: {said}");
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Reachability follows scenes as they are reached: a chain of 1,500 scenes
/// written last-first is found reachable in one pass, quickly.
#[test]
fn a_long_chain_of_scenes_written_backwards_is_followed_in_one_pass() {
    let n = 1_500;
    let scenes: String = (0..n)
        .rev()
        .map(|i| {
            let next = if i + 1 < n { format!("goto: \"c{}\"", i + 1) } else { "goto: \"home\"".into() };
            format!("(id: \"c{i}\", title: \"S\", location: \"L\", text: \"T\", choices: [(id: \"go{i}\", text: \"On\", {next})]),")
        })
        .collect();
    let text = example_with("scenes: [", &format!("scenes: [{scenes}")).replacen("start: \"desk\"", "start: \"c0\"", 1);
    let started = Instant::now();
    let loaded = second_look::scenario::load_str("chain.ron", &text);
    let took = started.elapsed();
    let warnings = match &loaded {
        Ok((_, w)) => w.clone(),
        Err(e) => panic!("{}", e.render(false)),
    };
    assert!(!warnings.iter().any(|d| d.message.contains("c1499") && d.message.contains("reach")), "{warnings:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    println!("hostile: a 1,500-scene chain written backwards validated in {took:?}");
}

/// A raw control character in a scenario's source is never printed: the line
/// shown under the diagnostic has `?` in its place.
#[test]
fn a_raw_escape_in_the_source_never_reaches_the_terminal() {
    let text = example_with("title: \"Home visit\"", "title: \"Home \u{1b}[2J visit\", oops");
    let err = second_look::scenario::load_str("raw.ron", &text).expect_err("refused");
    let shown = err.render(true);
    assert!(!shown.contains("\u{1b}[2J"), "the escape reached the output");
}

/// A 100,000-character unknown id: no "did you mean" search over it (that
/// took 92 s), and a message of a sensible length.
#[test]
fn a_very_long_unknown_id_is_refused_quickly_with_a_short_message() {
    let long = "x".repeat(100_000);
    let text = example_with("present: [\"mother\", \"child\"]", &format!("present: [\"{long}\"]"));
    let started = Instant::now();
    let err = second_look::scenario::load_str("long.ron", &text).expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    let shown = err.render(false);
    assert!(shown.len() < 5_000 && shown.contains("100000 characters in all"), "{} bytes", shown.len());
}
