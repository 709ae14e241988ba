//! Contrast pairs: for every shipped case, playthroughs that differ in one
//! piece of practice, where the better one must score strictly higher.
//!
//! Each case has `tests/scripts/<id>.contrasts.txt`, one pair per line:
//! `BETTER > WORSE @ SEEDS  # why`, naming scripts `tests/scripts/<id>.<name>.txt`;
//! seeds are a list such as `1-6` or `2,4` (default `1-6`), so a pair about
//! one version of a case is played on the seeds that give that version.

use crate::repo;
use crate::scripts::{all_scenarios, play};
use second_look::scoring::Score;

/// One pair, with the line it came from.
struct Pair {
    line: usize,
    better: String,
    worse: String,
    seeds: Vec<u64>,
    why: String,
}

fn seeds(spec: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => out.extend(a.trim().parse::<u64>().unwrap()..=b.trim().parse::<u64>().unwrap()),
            None => out.push(part.parse().unwrap()),
        }
    }
    out
}

fn pairs(id: &str) -> Vec<Pair> {
    let path = repo(&format!("tests/scripts/{id}.contrasts.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (body, why) = line.split_once('#').unwrap_or((line, ""));
            let body = body.trim();
            if body.is_empty() {
                return None;
            }
            let (pair, spec) = body.split_once('@').unwrap_or((body, "1-6"));
            let (better, worse) = pair
                .split_once('>')
                .unwrap_or_else(|| panic!("{}:{}: expected `BETTER > WORSE`", path.display(), i + 1));
            Some(Pair {
                line: i + 1,
                better: better.trim().to_string(),
                worse: worse.trim().to_string(),
                seeds: seeds(spec),
                why: why.trim().to_string(),
            })
        })
        .collect()
}

#[test]
fn in_every_case_better_practice_scores_strictly_higher() {
    let mut checked = 0;
    for (id, scenario) in all_scenarios() {
        let pairs = pairs(&id);
        assert!(pairs.len() >= 8, "{id}: {} contrast pairs; every case needs at least eight", pairs.len());
        for p in pairs {
            assert!(!p.seeds.is_empty(), "{id}.contrasts.txt:{}: no seeds", p.line);
            for seed in &p.seeds {
                let score = |name: &str| {
                    let s = play(scenario.clone(), &format!("{id}.{name}.txt"), *seed);
                    assert!(s.is_over(), "{id}.{name}.txt, seed {seed}: the script ends before the case does");
                    Score::of(s.rules(), s.state(), None).overall
                };
                let (better, worse) = (score(&p.better), score(&p.worse));
                assert!(
                    better > worse,
                    "{id}.contrasts.txt:{} seed {seed}: `{}` scores {better:.2}, not more than `{}` at {worse:.2} ({})",
                    p.line,
                    p.better,
                    p.worse,
                    p.why
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

#[test]
fn the_contrast_format_reads_seed_lists_and_ranges() {
    assert_eq!(seeds("1-3, 7"), vec![1, 2, 3, 7]);
    assert_eq!(seeds("4"), vec![4]);
}
