//! Benchmark of `cohort`: 10,000 generated session records (random
//! playthroughs of every scenario, each to its end), read, replayed, scored
//! and written as CSV and summary. Prints figures; run with `cargo bench --bench cohort`.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use second_look::cohort::Cohort;
use second_look::record::{Mode, record_text};
use second_look::scenario::catalogue;
use second_look::sim::Session;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

const RECORDS: usize = 10_000;

fn main() {
    // At run time, not `env!`: a reused target directory may hold a build from another clone.
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let scenarios: Vec<_> = catalogue::in_folder(&root.join("scenarios"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.load().ok().map(|(s, _)| Arc::new(s)))
        .collect();
    let dir = std::env::temp_dir().join(format!("second-look-cohort-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);

    let started = Instant::now();
    let mut bytes = 0;
    let now = time::OffsetDateTime::now_utc();
    for i in 0..RECORDS {
        let scenario = scenarios[i % scenarios.len()].clone();
        let mut rng = ChaCha8Rng::seed_from_u64(i as u64);
        let mut s = Session::new(scenario, i as u64);
        for _ in 0..2000 {
            let options = s.available();
            if options.is_empty() {
                break;
            }
            let _ = s.take(options[rng.random_range(0..options.len())]);
        }
        let text = record_text(&s, Mode::Assessment, &format!("trainee-{:05}", i % 400), now);
        bytes += text.len();
        let _ = std::fs::write(dir.join(format!("{i:05}.jsonl")), text);
    }
    println!(
        "generated {RECORDS} records ({:.1} MiB) across {} scenarios in {:.1} s",
        bytes as f64 / 1048576.0,
        scenarios.len(),
        started.elapsed().as_secs_f64()
    );

    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let cohort = Cohort::read(&dir, &scenarios).unwrap_or_default();
        let read = t.elapsed();
        let mut written = 0;
        for c in cohort.scenarios.values() {
            written += c.csv().map(|x| x.len()).unwrap_or(0) + c.summary().len();
        }
        times.push((read.as_secs_f64(), t.elapsed().as_secs_f64()));
        last = Some((cohort.scenarios.values().map(|c| c.rows.len()).sum::<usize>(), cohort.skipped.len(), written));
    }
    times.sort_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((rows, skipped, written)) = last {
        println!(
            "cohort over {RECORDS} records: median {:.2} s in all (read + replay + score {:.2} s; CSV and summaries {:.2} s); {rows} sessions, {skipped} left out, {:.1} MiB written; {:.0} records/s",
            times[1].1,
            times[1].0,
            times[1].1 - times[1].0,
            written as f64 / 1048576.0,
            RECORDS as f64 / times[1].1
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
