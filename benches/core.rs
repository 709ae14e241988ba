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
                "explore first case, bound {states}: {} states in {:.2} s; median {:.0} states/s (min {:.0}, max {:.0}); clean: {}",
                r.states,
                r.elapsed.as_secs_f64(),
                rates[1],
                rates[0],
                rates[2],
                r.is_clean()
            );
        }
    }

    // The exact extremes of every case, with the built-in scripts as seeds.
    let mut cases: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "ron")).collect()
        })
        .unwrap_or_default();
    cases.sort();
    for path in cases {
        let Ok((scenario, _)) = load_str("case", &std::fs::read_to_string(&path).unwrap_or_default()) else { continue };
        let id = scenario.meta.id.clone();
        let mut scripts = Vec::new();
        for kind in ["exemplary", "credulous"] {
            if let Ok(text) = std::fs::read_to_string(root.join(format!("tests/scripts/{id}.{kind}.txt"))) {
                scripts.push(parse_script(&text));
            }
        }
        let options = Options { scripts, ..Options::default() };
        let report = explore(&scenario, &options);
        let words = |e: &Option<second_look::explore::Extreme>| match e {
            Some(e) if e.exact() => format!("{:.1} (exact)", e.score),
            Some(e) => format!("{:.1} (proven limit {:.1})", e.score, e.proven),
            None => "none".to_string(),
        };
        println!(
            "explore {id}: highest {}, lowest {}, {} contradiction(s); {} walk + {} score states in {:.2} s",
            words(&report.highest),
            words(&report.lowest),
            report.incoherent.len(),
            report.states,
            report.score_states,
            report.elapsed.as_secs_f64()
        );
    }
}
