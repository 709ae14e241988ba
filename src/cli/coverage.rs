//! `coverage`: what a case can reach and what its built-in paths touch.

use crate::explore::coverage::{Measured, Tally, measure, played};
use crate::record::parse_script;
use crate::scenario::Scenario;
use crate::scenario::catalogue::built_in_scripts;
use crate::sim::Session;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The built-in paths of a case (exemplary first, then credulous), each
/// played on seeds 1-6 as far as it goes.
fn built_in_paths(s: &Arc<Scenario>, scenarios: Option<&Path>) -> Vec<(&'static str, Vec<Session>)> {
    built_in_scripts(&s.meta.id, scenarios)
        .into_iter()
        .map(|(name, text)| (name, played(s, &parse_script(&text))))
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
    super::write_page(&path, &crate::map::html(s, &marked))
}

/// Prints the coverage of a case.
pub fn coverage(s: &Arc<Scenario>, extra: &[PathBuf], scenarios: Option<&Path>) -> ExitCode {
    let started = std::time::Instant::now();
    let mut texts: Vec<(&str, String)> = built_in_scripts(&s.meta.id, scenarios);
    for path in extra {
        match crate::scenario::read_script(path) {
            Ok(t) => texts.push(("given", t)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let scripts: Vec<_> = texts.iter().map(|(name, t)| (*name, parse_script(t))).collect();
    let Measured { report, coverage: c } = measure(s, &scripts);
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
