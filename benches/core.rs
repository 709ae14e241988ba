//! Benchmarks of the core: loading and validating every scenario, replaying
//! the golden script, and the explorer's throughput. A bench binary that
//! prints figures (run with `cargo bench`); the machine is noisy, so each
//! figure is the median of several runs, with the spread.

use second_look::explore::{Dedup, Options, explore};
use second_look::record::{parse_script, play_script};
use second_look::scenario::catalogue::{self, Origin};
use second_look::scenario::load_str;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> (Duration, Duration, Duration) {
    runs.sort();
    (runs[runs.len() / 2], runs[0], runs[runs.len() - 1])
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    median(
        (0..n)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    // At run time, not `env!`: a reused target directory may hold a build from another clone.
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let files: Vec<(String, String)> = catalogue::in_folder(&root.join("scenarios"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| match o {
            Origin::File(p) => Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)),
            Origin::Builtin(_) => None,
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();

    let (med, lo, hi) = time(30, || {
        for (name, text) in &files {
            assert!(load_str(name, text).is_ok(), "{name} does not validate");
        }
    });
    println!(
        "load + validate all {} scenario(s) ({} KiB): median {:.2} ms (min {:.2}, max {:.2}) = {:.1} MiB/s",
        files.len(),
        bytes / 1024,
        med.as_secs_f64() * 1e3,
        lo.as_secs_f64() * 1e3,
        hi.as_secs_f64() * 1e3,
        bytes as f64 / med.as_secs_f64() / (1024.0 * 1024.0)
    );

    let first = root.join("scenarios/marks-explained-away.ron");
    let scenario = Arc::new(
        load_str("first", &std::fs::read_to_string(&first).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{}", e.render(false)))
            .0,
    );
    let script =
        std::fs::read_to_string(root.join("tests/scripts/marks-explained-away.exemplary.txt")).unwrap_or_default();
    let steps = parse_script(&script);
    let (med, _, _) = time(30, || play_script(scenario.clone(), 1, "exemplary", &steps, |_, _| {}).is_ok());
    println!(
        "replay the exemplary script ({} actions): median {:.3} ms = {:.0} actions/s",
        steps.len(),
        med.as_secs_f64() * 1e3,
        steps.len() as f64 / med.as_secs_f64()
    );

    for states in [100_000, 1_000_000] {
        let mut rates = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let report = explore(
                &scenario,
                &Options { seed: 1, max_states: states, dedup: Dedup::Shape, score_states: 0, scripts: Vec::new() },
            );
            rates.push(report.states_per_second());
            last = Some(report);
        }
        rates.sort_by(f64::total_cmp);
        if let Some(r) = last {
            println!(
                "explore first case (walks only, no scripts), bound {states}: {} states in {:.2} s; median {:.0} states/s on {} thread(s) (min {:.0}, max {:.0}); every ending reached by the walks alone: {}",
                r.states,
                r.elapsed.as_secs_f64(),
                rates[1],
                r.threads,
                rates[0],
                rates[2],
                r.is_clean()
            );
        }
    }

    // Every case: its shape, its versions, its scripts' scores and the exact
    // extremes from explore (with every built-in script as a seed), as a table.
    println!();
    println!(
        "| case | benign seeds (1-12) | scenes | days | carers (hidden) | inconsistencies | escalations (protection) | exemplary | credulous | exemplary on benign | explore range | explore s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut cases: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "ron")).collect()
        })
        .unwrap_or_default();
    cases.sort();
    for path in cases {
        let Ok((scenario, _)) = load_str("case", &std::fs::read_to_string(&path).unwrap_or_default()) else { continue };
        let scenario = Arc::new(scenario);
        let id = scenario.meta.id.clone();
        let script = |kind: &str| std::fs::read_to_string(root.join(format!("tests/scripts/{id}.{kind}.txt"))).ok();
        let mut scripts = Vec::new();
        if let Ok(dir) = std::fs::read_dir(root.join("tests/scripts")) {
            for e in dir.filter_map(Result::ok) {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with(&format!("{id}.")) && !name.ends_with(".contrasts.txt") {
                    scripts.push(parse_script(&std::fs::read_to_string(e.path()).unwrap_or_default()));
                }
            }
        }
        let report = explore(&scenario, &Options { scripts, ..Options::default() });
        let words = |e: &Option<second_look::explore::Extreme>| match e {
            Some(e) if e.exact() => format!("{:.0}", e.score),
            Some(e) => format!("{:.0} (limit {:.0})", e.score, e.proven),
            None => "none".to_string(),
        };
        let is_benign = |seed: u64| {
            second_look::sim::Session::new(scenario.clone(), seed).variation().option(&scenario, "story")
                == Some("benign")
        };
        let benign: Vec<u64> = (1..=12).filter(|s| is_benign(*s)).collect();
        let range = |kind: &str, seeds: &mut dyn Iterator<Item = u64>| {
            let Some(text) = script(kind) else { return "-".to_string() };
            let steps = parse_script(&text);
            let scores: Vec<f64> = seeds
                .filter_map(|seed| play_script(scenario.clone(), seed, kind, &steps, |_, _| {}).ok())
                .map(|s| second_look::scoring::overall(s.rules(), s.state()))
                .collect();
            let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if scores.is_empty() {
                "-".to_string()
            } else if (hi - lo).abs() < 0.05 {
                format!("{lo:.1}")
            } else {
                format!("{lo:.1}-{hi:.1}")
            }
        };
        let carers = scenario.rubric.carers.len();
        let hidden = scenario.rubric.carers.iter().filter(|c| !scenario.person(c.person).known_at_start).count();
        let protection = scenario
            .rubric
            .escalations
            .iter()
            .filter(|e| e.kind == second_look::scenario::EscalationKind::Protection)
            .count();
        println!(
            "| {id} | {} | {} | {} | {carers} ({hidden}) | {} | {} ({protection}) | {} | {} | {} | {}-{} | {:.1} |",
            benign.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
            scenario.scenes.len(),
            scenario.calendar.horizon().day(),
            scenario.rubric.inconsistencies.len(),
            scenario.rubric.escalations.len(),
            range("exemplary", &mut (1..=6)),
            range("credulous", &mut (1..=6)),
            range("exemplary", &mut benign.iter().copied().filter(|s| *s <= 6)),
            words(&report.lowest),
            words(&report.highest),
            report.elapsed.as_secs_f64()
        );
        if !report.incoherent.is_empty() {
            println!("  {id}: {} contradiction(s) between endings and the record", report.incoherent.len());
        }
    }
}
