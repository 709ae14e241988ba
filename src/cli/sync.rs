//! `sync`: queue session statements and send what is waiting to the LRS.

use crate::lrs::{LrsConfig, Outbox};
use crate::storage::DataDir;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Queues the statements of every record in the data folder and of
/// `records`, sends everything waiting, and says what happened. Exit status
/// 0 when nothing is left waiting, 1 when some is (the LRS could not be
/// reached: run it again later), 2 when it cannot start.
pub fn sync(records: &[PathBuf], scenarios: Option<&Path>, data_dir: Option<&Path>) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let data = match DataDir::locate(data_dir) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let config = match LrsConfig::required(data.root()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let outbox = match Outbox::in_data(data.root()) {
        Ok(o) => o,
        Err(e) => return fail(format!("cannot make the outbox in {}: {e}", data.root().display())),
    };
    let scenarios = super::all_scenarios(scenarios);
    let mut paths: Vec<PathBuf> = records.to_vec();
    if let Ok(dir) = data.records() {
        // Listed only: each is read once, below.
        paths.extend(crate::record::newest_records(&dir));
    }
    let mut queued = 0;
    for path in &paths {
        match super::open_record(path, &scenarios) {
            Ok((rec, session)) => {
                let statements = crate::xapi::statements(&rec, &session, &crate::xapi::Actor::default());
                match outbox.add(&statements) {
                    Ok(n) => queued += n,
                    Err(e) => return fail(format!("cannot write to the outbox: {e}")),
                }
            }
            Err(e) => eprintln!("warning: left out: {e}"),
        }
    }
    println!("queued {queued} new statement(s) from {} record(s)", paths.len());
    let sent = outbox.send(&config);
    println!("{}", sent.describe(&config.endpoint));
    if sent.waiting > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
