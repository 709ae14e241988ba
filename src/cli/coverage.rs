//! `coverage`: what a case can reach and what its built-in paths touch.

use crate::explore::coverage::Tally;
use crate::record::{parse_script, steps_for};
use crate::scenario::Scenario;
use crate::sim::Session;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Seeds each path is played on (the versions of a case are drawn by seed).
const SEEDS: std::ops::RangeInclusive<u64> = 1..=6;

/// The built-in paths of a case (exemplary first, then credulous), each
/// played on seeds 1-6 as far as it goes.
fn built_in_paths(s: &Arc<Scenario>, scenarios: Option<&Path>) -> Vec<(&'static str, Vec<Session>)> {
    let id = &s.meta.id;
    let credulous = [
        scenarios.map(|d| d.join("scripts").join(format!("{id}.credulous.txt"))),
        Some(PathBuf::from("tests/scripts").join(format!("{id}.credulous.txt"))),
    ];
    let texts = [
        ("exemplary", crate::scenario::catalogue::expert_path(id, scenarios)),
        ("credulous", credulous.into_iter().flatten().find_map(|p| crate::scenario::read_script(&p).ok())),
    ];
    texts
        .into_iter()
        .filter_map(|(name, text)| {
            let steps = parse_script(&text?);
            let sessions = SEEDS
                .map(|seed| {
                    let mut session = Session::new(s.clone(), seed);
                    for step in steps_for(&steps, s, session.variation()) {
                        if session.take_id(&step).is_err() {
                            break;
                        }
                    }
                    session
                })
                .collect();
            Some((name, sessions))
        })
        .collect()
}

/// Writes the case map.
pub fn map(s: &Arc<Scenario>, out: Option<PathBuf>, scenarios: Option<&Path>) -> ExitCode {
    let paths = built_in_paths(s, scenarios);
    let marked: Vec<crate::map::MapPath> = paths
        .iter()
        .map(|(name, sessions)| crate::map::MapPath {
            name,
            mark: if *name == "exemplary" { 'E' } else { 'C' },
            sessions,
        })
        .collect();
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{}-map.html", s.meta.id)));
    match crate::storage::write_atomically(&path, crate::map::html(s, &marked).as_bytes()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Prints the coverage of a case.
pub fn coverage(s: &Arc<Scenario>, extra: &[PathBuf], scenarios: Option<&Path>) -> ExitCode {
    let started = std::time::Instant::now();
    let id = &s.meta.id;
    let mut texts: Vec<String> = crate::scenario::catalogue::expert_path(id, scenarios).into_iter().collect();
    let exemplary_count = texts.len();
    let credulous = [
        scenarios.map(|d| d.join("scripts").join(format!("{id}.credulous.txt"))),
        Some(PathBuf::from("tests/scripts").join(format!("{id}.credulous.txt"))),
    ];
    if let Some(text) = credulous.into_iter().flatten().find_map(|p| crate::scenario::read_script(&p).ok()) {
        texts.push(text);
    }
    for path in extra {
        match crate::scenario::read_script(path) {
            Ok(t) => texts.push(t),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let scripts: Vec<_> = texts.iter().map(|t| parse_script(t)).collect();
    // Each path on each seed, as far as it plays.
    let mut paths = Vec::new();
    let mut exemplary: Option<Session> = None;
    for (k, steps) in scripts.iter().enumerate() {
        for seed in SEEDS {
            let mut session = Session::new(s.clone(), seed);
            for step in steps_for(steps, s, session.variation()) {
                if session.take_id(&step).is_err() {
                    break;
                }
            }
            if k < exemplary_count && exemplary.is_none() {
                exemplary = Some(session.clone());
            }
            paths.push(session);
        }
    }
    let options = crate::explore::Options { scripts, ..crate::explore::Options::default() };
    let report = crate::explore::explore(s, &options);
    let c = crate::explore::coverage::coverage(&report, &paths, exemplary.as_ref());
    println!("Coverage of {} ({} built-in path(s), each on seeds 1-6)", s.meta.title, texts.len());
    let not_reached = if report.bound_hit {
        "not reached by the search (it stopped at its bound; `explore` with more scripts may reach them)"
    } else {
        "never reached"
    };
    let line = |name: &str, t: &Tally, searched: bool| {
        if searched {
            println!(
                "  {name:<14} {:>4} in all; {:>4} reached by the search; {:>4} on a built-in path",
                t.total, t.reachable, t.on_paths
            );
        } else {
            println!("  {name:<14} {:>4} in all; {:>4} on a built-in path", t.total, t.on_paths);
        }
        if !t.unreachable.is_empty() {
            println!("      {not_reached}: {}", t.unreachable.join(", "));
        }
        if !t.off_paths.is_empty() {
            let what = if searched { "reachable, but on neither built-in path" } else { "on neither built-in path" };
            println!("      {what}: {}", t.off_paths.join(", "));
        }
    };
    line("choices", &c.choices, true);
    line("hotspots", &c.hotspots, true);
    line("endings", &c.endings, true);
    line("facts learned", &c.facts, false);
    line("rubric earned", &c.rubric, false);
    match c.range {
        Some((lo, hi, exact)) => {
            println!("  score range    {lo:.1} to {hi:.1}{}", if exact { " (exact)" } else { " (found, not proven)" })
        }
        None => println!("  score range    not found"),
    }
    println!(
        "  time           about {:.0} minutes to read the exemplary path, {:.0} to play it (the case says {})",
        c.reading_minutes, c.playing_minutes, s.meta.estimated_minutes
    );
    println!("  (in {:.1} s)", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}
