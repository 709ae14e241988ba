//! `explore` and `graph`: every path through a case, and a drawing of its scenes.

use super::GraphFormat;
use crate::explore;
use crate::scenario::Scenario;
use std::path::Path;
use std::process::ExitCode;

/// Explores a case and prints what every path can lead to; exit 1 when it is not clean.
pub(super) fn explore_cmd(
    s: &Scenario,
    options: &explore::Options,
    deny_warnings: bool,
    save: Option<&Path>,
) -> ExitCode {
    let report = explore::explore(s, options);
    if let Some(dir) = save {
        match save_paths(s, options.seed, &report, dir) {
            Ok(n) => println!("Wrote {n} path(s) to {}", dir.display()),
            Err(e) => {
                eprintln!("error: cannot write the paths to {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    println!(
        "Explored {} (seed {}, {} version(s) of the case, states merged by {:?})",
        s.meta.id, options.seed, report.versions, options.dedup
    );
    println!(
        "  Structural walks: {} states, longest path {} actions{}",
        report.states,
        report.max_depth,
        if report.bound_hit {
            format!("; BOUND HIT at {}: reachability covers only the states visited", options.max_states)
        } else {
            String::new()
        }
    );
    println!(
        "  Score searches: {} states (at most {} per search); {:.2} s in all ({:.0} states/s on {} thread(s))",
        report.score_states,
        options.score_states,
        report.elapsed.as_secs_f64(),
        report.states_per_second(),
        report.threads
    );
    let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    println!("  Unreachable scenes: {}", list(&report.unreachable_scenes));
    println!("  Choices and hotspots never offered: {}", list(&report.never_offered));
    println!("  Dead ends: {}", report.dead_end_count);
    for d in &report.dead_ends {
        println!("    in `{}` at {}, after: {}", d.scene, s.calendar.describe(d.at), short_path(&d.path));
    }
    println!("  Endings: how often the walks reached each, and the overall scores reachable there:");
    for ((ending, reach), range) in s.endings.iter().zip(&report.endings).zip(&report.ranges) {
        match reach {
            Some(r) => println!(
                "    {:<34} {:<18} reached by {}; lowest {}, highest {}",
                ending.id,
                format!("({})", ending.outcome.describe()),
                if r.count > 0 { format!("{} state(s)", r.count) } else { "a score search or script".to_string() },
                extreme_words(range.lowest.as_ref(), "at least"),
                extreme_words(range.highest.as_ref(), "at most"),
            ),
            None => println!("    {:<34} NOT REACHED", ending.id),
        }
    }
    println!("  Escalations never met on time on any path walked: {}", list(&report.never_on_time));
    for (label, e, limit) in [("Lowest", &report.lowest, "at least"), ("Highest", &report.highest, "at most")] {
        if let Some(e) = e {
            println!("  {label} overall score reachable: {}", extreme_words(Some(e), limit));
            let version = if e.version.is_empty() { String::new() } else { format!(" [{}]", e.version) };
            println!("    path{version}: {}", short_path(&e.path));
        }
    }
    if report.incoherent.is_empty() {
        println!("  Endings and the record agree: no contradiction found.");
    }
    for f in &report.incoherent {
        println!(
            "  WARNING: {} ({} finished state(s); overall {:.1} on this path): {}",
            f.what.describe(),
            f.count,
            f.score,
            short_path(&f.path)
        );
    }
    let clean = report.is_clean();
    let coherent = report.is_coherent();
    match (clean, coherent) {
        (true, true) => println!("Clean: every scene and ending reachable, no dead end, no contradiction."),
        (true, false) => {
            println!("Playable, but {} contradiction(s) between endings and the record.", report.incoherent.len())
        }
        (false, _) => println!("NOT clean."),
    }
    if !clean || (deny_warnings && !coherent) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Writes the highest-scoring path found to each ending as a script.
pub(super) fn save_paths(s: &Scenario, seed: u64, report: &explore::Report, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    for (ending, range) in s.endings.iter().zip(&report.ranges) {
        let Some(best) = &range.highest else { continue };
        let version = if best.version.is_empty() { String::new() } else { format!(", version {}", best.version) };
        let mut text = format!(
            "# A path to the ending `{}` ({}), scoring {:.1}: found by `explore --seed {seed}`{version}.\n",
            ending.id,
            ending.outcome.describe(),
            best.score
        );
        for id in &best.path {
            text.push_str(id);
            text.push('\n');
        }
        let path = dir.join(format!("{}.ending-{}.txt", s.meta.id, ending.id));
        crate::storage::write_atomically(&path, text.as_bytes())?;
        written += 1;
    }
    Ok(written)
}

/// "100 (exact)" or "64.0 found, 71.3 at most (search stopped)".
pub(super) fn extreme_words(e: Option<&explore::Extreme>, limit: &str) -> String {
    match e {
        None => "none found".to_string(),
        Some(e) if e.exact() => format!("{:.1} (exact)", e.score),
        Some(e) => format!("{:.1} found, {limit} {:.1} proven (sampled)", e.score, e.proven),
    }
}

/// A path for a terminal line: all of it if short, else its two ends.
pub(super) fn short_path(path: &[String]) -> String {
    if path.len() <= 40 {
        path.join(" ")
    } else {
        format!("{} ... {} ({} actions)", path[..20].join(" "), path[path.len() - 15..].join(" "), path.len())
    }
}

/// The scene map: edges from choices (solid) and events (dashed).
pub fn graph(s: &Scenario, format: GraphFormat) -> String {
    let mut edges = Vec::new();
    for a in &s.actions {
        if let (Some(g), Some(from)) = (a.goto, a.scene)
            && g != from
        {
            edges.push((s.scene(from).id.clone(), s.scene(g).id.clone(), a.id.clone(), false));
        }
    }
    for e in &s.events {
        if let Some(g) = e.goto {
            edges.push(("events".to_string(), s.scene(g).id.clone(), e.id.clone(), true));
        }
    }
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str(&format!("digraph \"{}\" {{\n  rankdir=LR;\n", s.meta.id));
            for (from, to, label, dashed) in &edges {
                let style = if *dashed { ", style=dashed" } else { "" };
                out.push_str(&format!("  \"{from}\" -> \"{to}\" [label=\"{label}\"{style}];\n"));
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for (from, to, label, dashed) in &edges {
                let arrow = if *dashed { "-.->" } else { "-->" };
                out.push_str(&format!("  {from} {arrow}|{label}| {to}\n"));
            }
        }
    }
    out
}
