//! `report`, `cohort` and `xapi`: what is made from trainees' records.

use super::{all_scenarios, open_record, write_and_say};
use crate::scenario::catalogue;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes a trainee's debrief and CPD record from their session record.
pub(super) fn report(
    path: &Path,
    out: Option<&Path>,
    name: Option<&str>,
    with_score: bool,
    scenarios: Option<&Path>,
    data_dir: Option<&Path>,
) -> ExitCode {
    let (rec, session) = match open_record(path, &all_scenarios(scenarios)) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => match crate::storage::DataDir::locate(data_dir).and_then(|d| d.exports().map_err(|e| e.to_string())) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}; pass --out DIR");
                return ExitCode::from(2);
            }
        },
    };
    let ctx = crate::report::ReportContext {
        mode: rec.header.mode,
        reflections: rec
            .reflections
            .iter()
            .map(|r| {
                let title = session
                    .scenario()
                    .scene_id(&r.scene)
                    .map_or(r.scene.clone(), |s| session.render(&session.scenario().scene(s).title));
                (title, r.text.clone())
            })
            .collect(),
        played: crate::xapi::timestamp(rec.header.started)[..10].to_string(),
        expert: catalogue::expert_path(&session.scenario().meta.id, scenarios)
            .and_then(|script| crate::feedback::expert_session(&session, &script).ok()),
    };
    let choices = crate::cpd::CpdChoices {
        name: name.unwrap_or("").to_string(),
        include_score: with_score,
        record_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    };
    let cpd = crate::cpd::CpdRecord::of(&rec, &session, &choices);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "session".into());
    let files = [
        (format!("{stem}-debrief.md"), crate::report::markdown(&session, &ctx)),
        (format!("{stem}-debrief.html"), crate::report::html(&session, &ctx)),
        (format!("{stem}-cpd.md"), cpd.markdown()),
        (format!("{stem}-cpd.html"), cpd.html()),
    ];
    for (file, text) in files {
        let target = dir.join(file);
        if let Err(code) = write_and_say(&target, &text) {
            return code;
        }
    }
    ExitCode::SUCCESS
}

/// Where a group's sessions come from.
pub(super) enum CohortSource {
    /// A folder of records.
    Folder(PathBuf),
    /// Statements in the LRS, and the one scenario wanted, if any.
    Lrs(crate::lrs::Query, Option<String>),
}

/// Reads a group's sessions (from a folder or the LRS), replays and scores each, and writes the group's tables and page.
pub(super) fn cohort(
    source: &CohortSource,
    out: Option<&Path>,
    scenarios: Option<&Path>,
    data_dir: Option<&Path>,
) -> ExitCode {
    let started = std::time::Instant::now();
    let scenarios = all_scenarios(scenarios);
    let (cohort, title, default_out) = match source {
        CohortSource::Folder(dir) => match crate::cohort::Cohort::read(dir, &scenarios) {
            Ok(c) => (c, dir.display().to_string(), dir.clone()),
            Err(e) => {
                eprintln!("error: {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        },
        CohortSource::Lrs(query, only) => {
            let config = match crate::storage::DataDir::locate(data_dir)
                .and_then(|d| crate::lrs::LrsConfig::required(d.root()))
            {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let statements = match crate::lrs::fetch(&config, query) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            eprintln!("read {} statements from {}", statements.len(), config.endpoint);
            (
                crate::cohort::Cohort::of_statements(&statements, &scenarios, only.as_deref()),
                format!("the LRS at {}", config.endpoint),
                PathBuf::from("."),
            )
        }
    };
    let read = started.elapsed();
    let out = out.unwrap_or(&default_out);
    let mut summary = format!(
        "# Cohort: {title}

"
    );
    let sessions: usize = cohort.scenarios.values().map(|c| c.rows.len()).sum();
    summary.push_str(&format!(
        "{sessions} finished sessions in {} scenario(s); {} record(s) left out.\n\n",
        cohort.scenarios.len(),
        cohort.skipped.len()
    ));
    for (id, c) in &cohort.scenarios {
        let csv = match c.csv() {
            Ok(csv) => csv,
            Err(e) => {
                eprintln!("error: writing the CSV for {id}: {e}");
                return ExitCode::from(2);
            }
        };
        // One row per session, with its pseudonym: the tutor's own file, not for the room.
        let target = out.join(format!("cohort-{id}-sessions-tutor-only.csv"));
        if let Err(e) = crate::storage::write_atomically(&target, csv.as_bytes()) {
            eprintln!("error: {}: {e}", target.display());
            return ExitCode::from(2);
        }
        println!("wrote {} ({} sessions)", target.display(), c.rows.len());
        let decisions = match c.decisions_csv() {
            Ok(csv) => csv,
            Err(e) => {
                eprintln!("error: writing the decisions CSV for {id}: {e}");
                return ExitCode::from(2);
            }
        };
        for (name, text) in
            [(format!("cohort-{id}-choices.csv"), decisions), (format!("cohort-{id}-choices.html"), c.decisions_html())]
        {
            let target = out.join(name);
            if let Err(code) = write_and_say(&target, &text) {
                return code;
            }
        }
        summary.push_str(&c.summary());
        summary.push('\n');
    }
    if !cohort.skipped.is_empty() {
        summary.push_str("## Left out\n\n");
        for s in cohort.skipped.iter().take(50) {
            summary.push_str(&format!("- {}: {}\n", s.path.display(), s.reason));
        }
        if cohort.skipped.len() > 50 {
            summary.push_str(&format!("- and {} more\n", cohort.skipped.len() - 50));
        }
    }
    let target = out.join("cohort-summary.md");
    if let Err(code) = write_and_say(&target, &summary) {
        return code;
    }
    println!(
        "{sessions} sessions read, replayed and scored in {:.2} s ({} left out); written in {:.2} s",
        read.as_secs_f64(),
        cohort.skipped.len(),
        (started.elapsed() - read).as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// Prints (or writes) the xAPI statements of session records.
pub(super) fn xapi(
    records: &[PathBuf],
    out: Option<&Path>,
    mbox: Option<String>,
    scenarios: Option<&Path>,
) -> ExitCode {
    let scenarios = all_scenarios(scenarios);
    let actor = match crate::xapi::Actor::new(mbox.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: --mbox: {e}");
            return ExitCode::from(2);
        }
    };
    let mut all = Vec::new();
    // A session exported from its record and from its continuation gives
    // the same statements (same ids, same content): each is sent once.
    let mut seen = std::collections::HashSet::new();
    for path in records {
        match open_record(path, &scenarios) {
            Ok((rec, session)) => all.extend(
                crate::xapi::statements(&rec, &session, &actor)
                    .into_iter()
                    .filter(|st| seen.insert(st["id"].as_str().unwrap_or_default().to_string())),
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let text = match serde_json::to_string_pretty(&all) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match out {
        Some(path) => match crate::storage::write_atomically(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("wrote {} statements to {}", all.len(), path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}
