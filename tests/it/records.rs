//! Session records, reports, cohorts and xAPI, as a user and a facilitator
//! meet them: killed mid-case, damaged, read in bulk, exported.

use crate::repo;
use crate::scripts::{all_scenarios, first_case, play};
use second_look::record::{Mode, RecordError, RecordWriter, read_record};
use second_look::scoring::Score;
use second_look::sim::Session;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = "tests/scripts/marks-explained-away.exemplary.txt";

fn run(args: &[&str]) -> Output {
    crate::bin().args(args).output().unwrap()
}

/// Plays the exemplary path through marks-explained-away on `seed` into `record`, quietly.
fn play_into(record: &Path, seed: &str) -> Output {
    run(&[
        "play",
        "marks-explained-away",
        "--script",
        SCRIPT,
        "--seed",
        seed,
        "--quiet",
        "--record",
        record.to_str().unwrap(),
    ])
}

#[test]
fn killed_at_twenty_random_points_the_case_resumes_to_the_same_final_score() {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    let dir = crate::temp("kill");
    let uninterrupted = play(first_case(), "marks-explained-away.exemplary.txt", 7);
    let expected = Score::of(uninterrupted.rules(), uninterrupted.state(), None).overall;
    // How long a whole run takes with the step delay, to spread the kills over it.
    let delay = "4";
    let started = Instant::now();
    let full = dir.join("full.jsonl");
    let out = run(&[
        "play",
        "marks-explained-away",
        "--script",
        SCRIPT,
        "--seed",
        "7",
        "--record",
        full.to_str().unwrap(),
        "--quiet",
        "--step-delay-ms",
        delay,
    ]);
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let whole = started.elapsed();
    let mut rng = ChaCha8Rng::seed_from_u64(20);
    let (mut truncated, mut part_way) = (0, 0);
    for k in 0..20 {
        let record = dir.join(format!("killed-{k}.jsonl"));
        let mut child = crate::bin()
            .args([
                "play",
                "marks-explained-away",
                "--script",
                SCRIPT,
                "--seed",
                "7",
                "--record",
                record.to_str().unwrap(),
                "--quiet",
                "--step-delay-ms",
                delay,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = Duration::from_secs_f64(whole.as_secs_f64() * rng.random_range(0.05..0.95));
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL: no chance to tidy up
        let _ = child.wait();
        // Resume: a cut-off record is kept as it is and carried on in a new file.
        let resumed = dir.join(format!("resumed-{k}.jsonl"));
        let mut args =
            vec!["play", "marks-explained-away", "--script", SCRIPT, "--resume", record.to_str().unwrap(), "--quiet"];
        let final_record = match read_record(&record) {
            Err(RecordError::Truncated { .. }) => {
                truncated += 1;
                args.extend(["--record", resumed.to_str().unwrap()]);
                resumed.clone()
            }
            Ok(r) if r.end.is_some() => continue, // the whole case finished before the kill
            Ok(_) => {
                part_way += 1;
                record.clone()
            }
            Err(e) if !record.exists() || std::fs::metadata(&record).map(|m| m.len()).unwrap_or(0) == 0 => {
                // Killed before the header was written: nothing to resume.
                let _ = e;
                continue;
            }
            Err(e) => panic!("kill {k}: unreadable record: {e}"),
        };
        let before = std::fs::read(&record).unwrap_or_default();
        let out = run(&args);
        assert!(out.status.success(), "kill {k}: {}", crate::text(&out.stderr));
        if final_record != record {
            assert_eq!(std::fs::read(&record).unwrap(), before, "a cut-off record is never written to");
        }
        let r = read_record(&final_record).unwrap();
        let session = r.replay(first_case(), &final_record).unwrap();
        assert_eq!(session.state(), uninterrupted.state(), "kill {k}");
        assert_eq!(r.end.unwrap().overall, (expected * 10.0).round() / 10.0, "kill {k}");
    }
    assert!(
        truncated + part_way >= 10,
        "most kills should land mid-case ({truncated} cut off, {part_way} between lines)"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn damaged_records_give_a_clear_error_and_never_a_panic() {
    let out_dir = crate::temp("damaged");
    let expect: &[(&str, &str)] = &[
        ("bad-utf8.jsonl", "bad-utf8.jsonl:12: not valid UTF-8"),
        (
            "edited-score.jsonl",
            "edited or damaged: the end line says `protected_in_time` with 12.5 overall, but replaying the actions gives `protected_in_time` with",
        ),
        ("edited-ending.jsonl", "edited or damaged: the end line says `harmed`"),
        ("empty.jsonl", "the record is empty"),
        ("impossible-action.jsonl", "does not replay: action 3 (`conference_decide`)"),
        ("line-after-end.jsonl", "a line after the end of the case"),
        ("no-header.jsonl", "does not start with a header"),
        ("not-json.jsonl", "not-json.jsonl:1: not a record line"),
        ("out-of-order.jsonl", "out-of-order.jsonl:6: action 5 out of order (expected 4)"),
        ("unknown-scenario.jsonl", "scenario `a-case-that-is-not-here` is not available here"),
        ("wrong-version.jsonl", "record format 99 is not supported"),
    ];
    let mut files: Vec<String> = std::fs::read_dir(repo("tests/records"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in &files {
        let path = repo(&format!("tests/records/{file}"));
        let before = std::fs::read(&path).unwrap();
        let out = run(&["report", path.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
        assert_ne!(out.status.code(), Some(101), "{file} made the program panic");
        let err = crate::text(&out.stderr);
        assert!(!err.contains("panicked"), "{file}: {err}");
        if file == "truncated.jsonl" {
            assert!(out.status.success(), "a cut-off record still gives a report of its intact part");
            assert!(err.contains("the last line is cut off; using the intact part"), "{err}");
        } else {
            let (_, message) =
                expect.iter().find(|(f, _)| f == file).unwrap_or_else(|| panic!("no expectation for {file}"));
            assert_eq!(out.status.code(), Some(1), "{file}");
            assert!(err.contains(message), "{file}: expected {message:?}, got {err}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "{file} was changed");
    }
    assert_eq!(files.len(), expect.len() + 1, "every damaged record has an expectation");
    std::fs::remove_dir_all(&out_dir).ok();
}

#[test]
fn report_writes_the_debrief_and_the_cpd_record_into_the_data_folder() {
    let dir = crate::temp("report");
    let record = dir.join("s.jsonl");
    let out = play_into(&record, "3");
    assert!(out.status.success());
    let data = dir.join("data");
    let out = crate::bin()
        .args(["report", record.to_str().unwrap(), "--name", "Sam Example"])
        .env("SECOND_LOOK_DATA", &data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let exports = data.join("exports");
    let html = std::fs::read_to_string(exports.join("s-debrief.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Overall score: 100 out of 100"));
    let md = std::fs::read_to_string(exports.join("s-debrief.md")).unwrap();
    assert!(md.contains("## Followed up on inconsistencies: 100 out of 100"));
    let cpd = std::fs::read_to_string(exports.join("s-cpd.md")).unwrap();
    for needle in [
        "| Name | Sam Example |",
        "Time spent",
        "What I learned",
        "Peer reflection",
        "Social Work England professional standards (2019)",
        "4.6 reflect on learning",
    ] {
        assert!(cpd.contains(needle), "CPD record lacks {needle}");
    }
    assert!(std::fs::read_to_string(exports.join("s-cpd.html")).unwrap().contains("<h2>What I learned</h2>"));
    assert!(
        html.contains("parted ways") && html.contains("Nowhere that cost points"),
        "the expert path is beside theirs"
    );

    // A credulous trainee's report: the expert's lane, and where they parted.
    let record = dir.join("c.jsonl");
    let script = crate::repo("tests/scripts/marks-explained-away.credulous.txt");
    let args = ["play", "marks-explained-away", "--script", script.to_str().unwrap(), "--seed", "3", "--quiet"];
    assert!(run(&[&args[..], &["--record", record.to_str().unwrap()]].concat()).status.success());
    let out = crate::bin().args(["report", record.to_str().unwrap()]).env("SECOND_LOOK_DATA", &data).output().unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let html = std::fs::read_to_string(exports.join("c-debrief.html")).unwrap();
    assert!(html.contains(">Experienced</text>"), "the chart has the expert's lane");
    assert!(html.contains("Where you and the experienced practitioner parted ways"));
    assert!(html.matches("</strong>: cost you").count() >= 5, "each costly divergence is listed");
    let md = std::fs::read_to_string(exports.join("c-debrief.md")).unwrap();
    assert!(md.contains("## Where you and the experienced practitioner parted ways"));
    // The credulous trainee's CPD record: the few learning points that
    // mattered most (the rest counted), no score unless asked for, a
    // reference to the record, and a page laid out for A4.
    let cpd = std::fs::read_to_string(exports.join("c-cpd.md")).unwrap();
    let learned = cpd.split("## What I learned").nth(1).unwrap().split("## My reflections").next().unwrap();
    assert_eq!(learned.matches("\n- ").count(), 4, "three points and a count of the rest:\n{learned}");
    assert!(learned.contains("more in the debrief"));
    assert!(!cpd.contains("out of 100"), "no score unless asked for");
    assert!(cpd.contains("record c.jsonl") && cpd.contains("seed 3"), "the reference ties the page to its record");
    let page = std::fs::read_to_string(exports.join("c-cpd.html")).unwrap();
    assert!(page.contains("@page{size:A4") && page.contains("break-after:avoid"));
    let out = crate::bin()
        .args(["report", record.to_str().unwrap(), "--with-score"])
        .env("SECOND_LOOK_DATA", &data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(exports.join("c-cpd.md")).unwrap().contains("out of 100"),
        "asked for, it is there"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Time spent counts the time between steps, each gap up to ten minutes: a
/// session left open over lunch is not two hours of CPD; and a reflection
/// keeps the question it answered.
#[test]
fn the_cpd_record_counts_time_playing_and_keeps_each_reflections_question() {
    let dir = crate::temp("cpd-time");
    let record = dir.join("r.jsonl");
    let out = play_into(&record, "3");
    assert!(out.status.success());
    let mut rec = read_record(&record).unwrap();
    // Two minutes a step, then a two-hour break before the last step.
    let start = rec.header.started;
    let n = rec.actions.len();
    for (i, a) in rec.actions.iter_mut().enumerate() {
        a.wall = start
            + time::Duration::minutes(2 * (i as i64 + 1))
            + if i + 1 == n { time::Duration::hours(2) } else { time::Duration::ZERO };
    }
    if let Some(end) = rec.end.as_mut() {
        end.wall = rec.actions[n - 1].wall;
    }
    rec.reflections.push(second_look::record::ReflectionLine {
        scene: "home".into(),
        after_actions: 3,
        game_minutes: 0,
        text: "The boots by the door did not fit the story.".into(),
        wall: start + time::Duration::minutes(5),
    });
    let session = rec.replay(first_case(), &record).unwrap();
    let cpd = second_look::cpd::CpdRecord::of(&rec, &session, &second_look::cpd::CpdChoices::default());
    assert_eq!(cpd.minutes, 2 * (n as i64 - 1) + 10, "each gap counted up to ten minutes");
    assert_eq!(cpd.reflections.len(), 1);
    assert_eq!(cpd.reflections[0].1, "The boots by the door did not fit the story.");
    std::fs::remove_dir_all(&dir).ok();
}

/// Plays a random walk to the end of a case and writes its record; returns the session.
pub fn random_record(
    scenario: std::sync::Arc<second_look::scenario::Scenario>,
    seed: u64,
    dir: &Path,
    pseudonym: &str,
) -> (Session, PathBuf) {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = Session::new(scenario, seed);
    let mut w = RecordWriter::create_in(dir, &s, Mode::Assessment, pseudonym).unwrap();
    for _ in 0..2000 {
        let options = s.available();
        if options.is_empty() {
            break;
        }
        s.take(options[rng.random_range(0..options.len())]).unwrap();
    }
    w.sync(&s).unwrap();
    let path = w.path().to_path_buf();
    (s, path)
}

#[test]
fn cohort_writes_a_row_per_session_with_the_scores_recomputed() {
    let dir = crate::temp("cohort");
    let scenario = first_case();
    let mut expected = std::collections::BTreeMap::new();
    for seed in 0..30 {
        let (s, path) = random_record(scenario.clone(), seed, &dir, &format!("trainee-{seed:02}"));
        assert!(s.is_over(), "random walks end at the horizon");
        expected
            .insert(path.file_name().unwrap().to_string_lossy().into_owned(), Score::of(s.rules(), s.state(), None));
    }
    // One unfinished and one damaged record are left out, and said to be.
    let mut unfinished = Session::new(scenario.clone(), 99);
    let mut w = RecordWriter::create(&dir.join("unfinished.jsonl"), &unfinished, Mode::Assessment, "t").unwrap();
    unfinished.take_id("read_referral").unwrap();
    w.sync(&unfinished).unwrap();
    std::fs::copy(repo("tests/records/edited-score.jsonl"), dir.join("edited.jsonl")).unwrap();

    let out = run(&["cohort", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let mut reader = csv::Reader::from_path(dir.join("cohort-marks-explained-away-sessions-tutor-only.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for column in [
        "overall",
        "inconsistencies",
        "carers",
        "escalations",
        "inconsistency:table_vs_bodymap",
        "carer:partner",
        "escalation:icpc",
    ] {
        assert!(header.contains(&column.to_string()), "no column {column}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut rows = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let score = &expected[&row[col("file")]];
        // Written to one decimal place (a half may round either way).
        let written = row[col("overall")].parse::<f64>().unwrap();
        assert!((written - score.overall).abs() <= 0.05 + 1e-9, "{written} for {}", score.overall);
        let partner =
            score.criterion(second_look::scoring::Criterion::Carers).items.iter().find(|i| i.id == "partner").unwrap();
        assert_eq!(row[col("carer:partner")].parse::<f64>().unwrap(), (partner.fraction * 1000.0).round() / 10.0);
        rows += 1;
    }
    assert_eq!(rows, 30);
    let summary = std::fs::read_to_string(dir.join("cohort-summary.md")).unwrap();
    assert!(summary.contains("30 finished sessions in 1 scenario(s); 2 record(s) left out"), "{summary}");
    assert!(summary.contains("### Most often missed") && summary.contains("Learning point"));
    assert!(summary.contains("### Time to escalate against the deadline"));
    assert!(summary.contains("unfinished.jsonl: the case was not finished"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Five copies of one person's session are one session: the under-five rule
/// holds, and the summary for the room shows nothing that picks them out.
#[test]
fn copies_of_one_session_count_once_and_a_small_group_shows_no_scores() {
    let dir = crate::temp("cohort-copies");
    let scenario = first_case();
    let (s, path) = random_record(scenario.clone(), 7, &dir, "trainee-07");
    assert!(s.is_over());
    for n in 0..4 {
        std::fs::copy(&path, dir.join(format!("copy-{n}.jsonl"))).unwrap();
    }
    let out = run(&["cohort", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let mut reader = csv::Reader::from_path(dir.join("cohort-marks-explained-away-sessions-tutor-only.csv")).unwrap();
    assert_eq!(reader.records().count(), 1, "five copies are one session");
    let summary = std::fs::read_to_string(dir.join("cohort-summary.md")).unwrap();
    assert!(summary.contains("1 finished sessions") || summary.contains("(1 sessions)"), "{summary}");
    assert!(summary.contains("nobody can be picked out"), "{summary}");
    assert!(!summary.contains("| Overall |") && !summary.contains("Most often missed"), "{summary}");
    assert_eq!(summary.matches("the same session as").count(), 4, "{summary}");
    let html = std::fs::read_to_string(dir.join("cohort-marks-explained-away-choices.html")).unwrap();
    assert!(html.contains("Fewer than 5 sessions"), "the choices page keeps the rule");
    std::fs::remove_dir_all(&dir).ok();
}

/// Checks one statement against the xAPI 1.0.3 required fields and rules
/// (section 2.2 of the specification, as summarised in research/education.md).
fn check_statement(st: &Value) -> Result<(), String> {
    fn iri(v: &Value, what: &str) -> Result<(), String> {
        let s = v.as_str().ok_or(format!("{what} is not a string"))?;
        let scheme = s.split_once(':').map(|(a, _)| a).unwrap_or("");
        if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) {
            return Err(format!("{what} `{s}` is not an IRI"));
        }
        Ok(())
    }
    fn language_map(v: &Value, what: &str) -> Result<(), String> {
        let m = v.as_object().ok_or(format!("{what} is not a language map"))?;
        if m.is_empty() {
            return Err(format!("{what} is empty"));
        }
        for (k, v) in m {
            if !k.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric())) {
                return Err(format!("{what} key `{k}` is not an RFC 5646 tag"));
            }
            if !v.is_string() {
                return Err(format!("{what} value is not a string"));
            }
        }
        Ok(())
    }
    fn no_nulls(v: &Value, path: &str) -> Result<(), String> {
        match v {
            Value::Null => Err(format!("null at {path}")),
            Value::Array(a) => a.iter().enumerate().try_for_each(|(i, x)| no_nulls(x, &format!("{path}[{i}]"))),
            Value::Object(o) => {
                o.iter().filter(|(k, _)| *k != "extensions").try_for_each(|(k, x)| no_nulls(x, &format!("{path}.{k}")))
            }
            _ => Ok(()),
        }
    }
    no_nulls(st, "statement")?;
    let allowed = [
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    ];
    for k in st.as_object().ok_or("not an object")?.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!("property `{k}` is not in the specification"));
        }
    }
    let id = st["id"].as_str().ok_or("no id")?;
    uuid::Uuid::parse_str(id).map_err(|e| format!("id: {e}"))?;
    // Actor: an Agent with exactly one inverse functional identifier.
    let actor = &st["actor"];
    let ifis = ["mbox", "mbox_sha1sum", "openid", "account"].iter().filter(|k| actor.get(**k).is_some()).count();
    if ifis != 1 {
        return Err(format!("actor has {ifis} identifiers"));
    }
    if let Some(m) = actor.get("mbox")
        && !m.as_str().unwrap_or("").starts_with("mailto:")
    {
        return Err("mbox is not a mailto: IRI".into());
    }
    if let Some(a) = actor.get("account") {
        iri(&a["homePage"], "account.homePage")?;
        a["name"].as_str().filter(|n| !n.is_empty()).ok_or("account.name")?;
    }
    iri(&st["verb"]["id"], "verb.id")?;
    language_map(&st["verb"]["display"], "verb.display")?;
    let object = &st["object"];
    iri(&object["id"], "object.id")?;
    if let Some(d) = object.get("definition") {
        if let Some(n) = d.get("name") {
            language_map(n, "definition.name")?;
        }
        if let Some(t) = d.get("type") {
            iri(t, "definition.type")?;
        }
    }
    if let Some(result) = st.get("result") {
        if let Some(score) = result.get("score") {
            let scaled = score["scaled"].as_f64().ok_or("score.scaled")?;
            let (raw, min, max) = (score["raw"].as_f64(), score["min"].as_f64(), score["max"].as_f64());
            if !(-1.0..=1.0).contains(&scaled) {
                return Err("score.scaled outside -1..1".into());
            }
            if let (Some(raw), Some(min), Some(max)) = (raw, min, max)
                && !(min < max && raw >= min && raw <= max)
            {
                return Err("score.raw outside min..max".into());
            }
        }
        if let Some(d) = result.get("duration") {
            let d = d.as_str().ok_or("duration")?;
            if !d.starts_with("PT") || !d.ends_with('S') {
                return Err(format!("duration `{d}` is not ISO 8601"));
            }
        }
        if let Some(ext) = result.get("extensions") {
            ext.as_object()
                .ok_or("result.extensions")?
                .keys()
                .try_for_each(|k| iri(&Value::String(k.clone()), "extension key"))?;
        }
    }
    if let Some(ctx) = st.get("context") {
        uuid::Uuid::parse_str(ctx["registration"].as_str().ok_or("registration")?)
            .map_err(|e| format!("registration: {e}"))?;
        for kind in ["parent", "grouping", "category", "other"] {
            if let Some(list) = ctx["contextActivities"].get(kind) {
                for a in list.as_array().ok_or(format!("contextActivities.{kind} is not an array"))? {
                    iri(&a["id"], "context activity id")?;
                }
            }
        }
    }
    let ts = st["timestamp"].as_str().ok_or("timestamp")?;
    time::OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("timestamp: {e}"))?;
    if ts.split('.').nth(1).is_none_or(|frac| frac.len() < 4) {
        return Err("timestamp without millisecond precision".into());
    }
    Ok(())
}

#[test]
fn xapi_statements_have_every_required_field_for_every_scenario() {
    let dir = crate::temp("xapi");
    let mut paths = Vec::new();
    for (i, (_, scenario)) in all_scenarios().into_iter().enumerate() {
        let (_, path) = random_record(scenario, i as u64 + 1, &dir, &format!("trainee-{i}"));
        paths.push(path);
    }
    let out_file = dir.join("statements.json");
    let mut args = vec!["xapi".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--out".to_string(), out_file.display().to_string()]);
    let out = crate::bin().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let statements: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert!(statements.len() > paths.len() * 10);
    let mut verbs = std::collections::BTreeSet::new();
    let mut ids = std::collections::BTreeSet::new();
    for st in &statements {
        check_statement(st).unwrap_or_else(|e| panic!("{e}\n{}", serde_json::to_string_pretty(st).unwrap()));
        verbs.insert(st["verb"]["id"].as_str().unwrap().rsplit('/').next().unwrap().to_string());
        assert!(ids.insert(st["id"].as_str().unwrap().to_string()), "duplicate statement id");
        assert!(st["actor"]["account"]["name"].as_str().unwrap().starts_with("trainee-"), "pseudonymous by default");
    }
    // Suspended and resumed come only from a session taken up again (tested below).
    for v in second_look::xapi::VERBS.iter().filter(|v| !matches!(**v, "suspended" | "resumed")) {
        assert!(verbs.contains(*v), "no `{v}` statement");
    }
    // The same record exported again gives the same statement ids.
    let again = crate::bin().args(["xapi", paths[0].to_str().unwrap()]).output().unwrap();
    let again: Vec<Value> = serde_json::from_slice(&again.stdout).unwrap();
    assert!(again.iter().all(|st| ids.contains(st["id"].as_str().unwrap())));
    // With an email, the actor is the mailbox alone.
    let mailed = crate::bin().args(["xapi", paths[0].to_str().unwrap(), "--mbox", "sam@example.org"]).output().unwrap();
    let mailed: Vec<Value> = serde_json::from_slice(&mailed.stdout).unwrap();
    assert_eq!(mailed[0]["actor"]["mbox"], "mailto:sam@example.org");
    check_statement(&mailed[0]).unwrap();
    // The validator itself catches a broken statement.
    let mut broken = statements[0].clone();
    broken["actor"]["mbox"] = Value::String("mailto:x@example.org".into());
    assert!(check_statement(&broken).is_err(), "two identifiers");
    std::fs::remove_dir_all(&dir).ok();
}

/// What an LRS admin and an LMS need: the same statement for the same thing
/// however often it is sent (a record, its continuation after a cut), names
/// the same across seeds, and success, score and criteria where an LMS looks.
#[test]
fn statements_are_the_same_on_every_export_and_say_what_an_lms_reads() {
    let dir = crate::temp("xapi-stable");
    let scenario = first_case();
    let (_, path) = random_record(scenario.clone(), 3, &dir, "trainee-3");
    // The record cut mid-way, carried on in a new file by `play --resume`.
    let bytes = std::fs::read(&path).unwrap();
    let cut_at = bytes.len() / 2;
    let cut = dir.join("cut.jsonl");
    std::fs::write(&cut, &bytes[..cut_at]).unwrap();
    let export = |paths: &[&Path]| -> Vec<Value> {
        let mut args = vec!["xapi".to_string()];
        args.extend(paths.iter().map(|p| p.display().to_string()));
        let out = crate::bin().args(&args).output().unwrap();
        assert!(out.status.success(), "{}", crate::text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let whole = export(&[&path]);
    let by_id: std::collections::HashMap<String, &Value> =
        whole.iter().map(|st| (st["id"].as_str().unwrap().to_string(), st)).collect();
    // Both files exported together: no statement twice, and every statement
    // of the cut record's intact part is the same as the whole record's.
    let rec = second_look::record::parse_record("cut", &bytes[..cut_at]);
    let intact = match rec {
        Err(second_look::record::RecordError::Truncated { intact, .. }) => intact,
        other => panic!("{other:?}"),
    };
    let session = intact.replay(scenario.clone(), &cut).unwrap();
    let resumed = dir.join("resumed.jsonl");
    second_look::record::RecordWriter::create_continuing(&resumed, &intact, &session).unwrap();
    let part = export(&[&resumed]);
    assert!(!part.is_empty());
    for st in &part {
        let id = st["id"].as_str().unwrap();
        let original = by_id.get(id).unwrap_or_else(|| panic!("{id} is not in the whole record's statements"));
        assert_eq!(*original, st, "the same statement, word for word and to the millisecond");
    }
    let both = export(&[&path, &resumed]);
    assert_eq!(both.len(), whole.len(), "exported together, each statement once");
    // The last statements: completed with success and a score, scored with
    // each criterion as its own extension, terminated.
    let verb = |st: &Value| st["verb"]["id"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let completed = whole.iter().find(|st| verb(st) == "completed").expect("completed");
    assert!(completed["result"]["success"].is_boolean());
    assert!(completed["result"]["score"]["scaled"].is_number());
    let scored = whole.iter().find(|st| verb(st) == "scored").expect("scored");
    for c in second_look::scoring::Criterion::ALL {
        assert!(!scored["result"]["extensions"][second_look::xapi::criterion_extension(c)].is_null(), "{c:?}");
    }
    assert_eq!(verb(&whole[0]), "initialized");
    assert_eq!(verb(whole.last().unwrap()), "terminated");
    // Activity names carry no seed's names: two seeds, one name per activity.
    let (_, other) = random_record(scenario.clone(), 4, &dir, "trainee-4");
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for st in whole.iter().chain(export(&[&other]).iter()) {
        let (Some(id), Some(name)) =
            (st["object"]["id"].as_str(), st["object"]["definition"]["name"]["en-GB"].as_str())
        else {
            continue;
        };
        if let Some(before) = names.insert(id.to_string(), name.to_string()) {
            assert_eq!(before, name, "{id} is named differently in two sessions");
        }
    }
    // One trainee's sessions have one actor.
    assert_eq!(whole[0]["actor"], export(&[&path])[0]["actor"]);
    // Taken up again with `play --resume`: a break is suspended, then resumed.
    let (_, part) = random_record(scenario.clone(), 6, &dir, "trainee-6");
    let bytes = std::fs::read(&part).unwrap();
    let half = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).nth(5).unwrap();
    std::fs::write(&part, &bytes[..half]).unwrap();
    let steps = dir.join("steps.txt");
    let ids: Vec<String> =
        second_look::record::read_record(&part).unwrap().action_ids().iter().map(|s| s.to_string()).collect();
    std::fs::write(&steps, ids.join("\n") + "\n").unwrap();
    let out = crate::bin()
        .args(["play", "marks-explained-away", "--script", steps.to_str().unwrap(), "--seed", "6", "--quiet"])
        .args(["--resume", part.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let again = export(&[&part]);
    let verbs: Vec<String> = again.iter().map(verb).collect();
    assert!(verbs.contains(&"suspended".to_string()) && verbs.contains(&"resumed".to_string()), "{verbs:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_email_is_taken_with_or_without_mailto_and_a_bad_one_is_refused() {
    let dir = crate::temp("xapi-mbox");
    let (_, path) = random_record(first_case(), 5, &dir, "t");
    let p = path.to_str().unwrap();
    let mailed = crate::bin().args(["xapi", p, "--mbox", "mailto:sam@example.org"]).output().unwrap();
    assert!(mailed.status.success(), "{}", crate::text(&mailed.stderr));
    let mailed: Vec<Value> = serde_json::from_slice(&mailed.stdout).unwrap();
    assert_eq!(mailed[0]["actor"]["mbox"], "mailto:sam@example.org");
    for bad in ["", "mailto:", "sam", "sam@", "@example.org", "a b@example.org", "sam@example"] {
        let out = crate::bin().args(["xapi", p, "--mbox", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?} was accepted");
        assert!(crate::text(&out.stderr).contains("--mbox"), "{}", crate::text(&out.stderr));
        assert!(out.stdout.is_empty(), "nothing written for {bad:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
