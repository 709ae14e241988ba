//! A seeded mutation fuzzer over the shipped cases, a session record and
//! scripts. Each mutant must load (or play) or be refused with a located
//! error, without a panic and within a bounded time.
//!
//! `SECOND_LOOK_FUZZ_CASES` sets the number of mutants per kind (default 1000,
//! about ten seconds in all); before a release run it with, say, 20000.

use crate::repo;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use second_look::record::{parse_record, parse_script};
use second_look::scenario::load_str;
use std::time::{Duration, Instant};

fn cases_per_kind() -> usize {
    std::env::var("SECOND_LOOK_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// The longest a single mutant may take (debug build, a loaded machine).
const BOUND: Duration = Duration::from_secs(5);

/// Things a hostile or careless edit puts into a file.
const PIECES: [&str; 24] = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "#",
    "\u{feff}",
    "\r",
    "\u{1b}[31m",
    "é",
    "’",
    "\0",
    "1e308",
    "-1",
    "18446744073709551616",
    "NaN",
    "Never",
    "Always",
    "Some(",
    "\n\n",
];

/// One random edit: insert a piece, delete a span, duplicate a span, or
/// replace a number with an extreme one; always on character boundaries.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> String {
    let boundary = |t: &str, mut at: usize| {
        at = at.min(t.len());
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut out = text.to_string();
    for _ in 0..rng.random_range(1..4) {
        if out.is_empty() {
            break;
        }
        let a = boundary(&out, rng.random_range(0..out.len()));
        let b = boundary(&out, a + rng.random_range(0..200));
        match rng.random_range(0..4) {
            0 => out.insert_str(a, PIECES[rng.random_range(0..PIECES.len())]),
            1 => out.replace_range(a..b, ""),
            2 => {
                let span = out[a..b].to_string();
                out.insert_str(b, &span);
            }
            _ => {
                if let Some(d) = out[a..].find(|c: char| c.is_ascii_digit()) {
                    let at = a + d;
                    let end = at + out[at..].find(|c: char| !c.is_ascii_digit()).unwrap_or(out.len() - at);
                    out.replace_range(
                        at..end,
                        ["0", "4294967295", "99999999999999999999", "-7"][rng.random_range(0..4)],
                    );
                }
            }
        }
    }
    out
}

fn check<T>(what: &str, seed: u64, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| panic!("{what}: mutant {seed} panicked"));
    assert!(started.elapsed() < BOUND, "{what}: mutant {seed} took {:?}", started.elapsed());
    result
}

#[test]
fn mutants_of_cases_records_and_scripts_never_panic_hang_or_go_unlocated() {
    let started = Instant::now();
    let n = cases_per_kind();
    let mut ran = 0;
    // Scenarios: every shipped case, mutated.
    let cases: Vec<(String, String)> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    for i in 0..n {
        let (name, text) = &cases[i % cases.len()];
        let mutant = mutate(text, &mut rng);
        let lines = mutant.lines().count().max(1);
        if let Err(e) = check(name, i as u64, || load_str(name, &mutant)) {
            assert!(!e.diagnostics.is_empty(), "{name}: mutant {i} refused with no reason");
            for d in &e.diagnostics {
                assert!(d.line >= 1 && d.line <= lines + 1, "{name}: mutant {i}: {d} points outside the file");
            }
            let shown = e.render(false);
            assert!(shown.len() < 200_000, "{name}: mutant {i}: {} bytes of messages", shown.len());
        }
        ran += 1;
    }
    // Records: a finished session's record, mutated byte-wise and line-wise.
    let session = crate::scripts::play(crate::scripts::first_case(), "marks-explained-away.exemplary.txt", 3);
    let record = second_look::record::record_text(
        &session,
        second_look::record::Mode::Assessment,
        "fuzz",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    for i in 0..n {
        let mutant = mutate(&record, &mut rng);
        match check("record", i as u64, || parse_record("fuzz.jsonl", mutant.as_bytes())) {
            Ok(r) => {
                let _ =
                    check("record replay", i as u64, || r.replay(crate::scripts::first_case(), "fuzz.jsonl".as_ref()));
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        ran += 1;
    }
    // Scripts: the exemplary path, mutated, played on the case.
    let script = std::fs::read_to_string(repo("tests/scripts/marks-explained-away.exemplary.txt")).unwrap();
    for i in 0..n {
        let mutant = mutate(&script, &mut rng);
        check("script", i as u64, || {
            let steps = parse_script(&mutant);
            let mut s = second_look::sim::Session::new(crate::scripts::first_case(), 3);
            for step in steps.iter().take(500) {
                if let Err(e) = s.take_id(&step.id) {
                    assert!(e.to_string().len() < 1_000, "a short message");
                    break;
                }
            }
        });
        ran += 1;
    }
    println!("fuzz: {ran} mutants (cases, records, scripts) in {:.1} s", started.elapsed().as_secs_f64());
}
