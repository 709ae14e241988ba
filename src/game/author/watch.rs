//! Following the scenario file: a watcher that sleeps until a save, reads
//! and checks the file once the writes settle, and wakes the window.

use crate::game::background::Wake;
use crate::scenario::{LoadError, Loaded, load_file};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long the file must be quiet before it is read: an editor's save can be
/// several writes (or a write and a rename).
const SETTLE: Duration = Duration::from_millis(30);

/// A save, read and checked on the watcher's thread.
pub struct Save {
    /// When the first write of the save was seen.
    pub at: Instant,
    /// The file, loaded or not.
    pub loaded: Result<Loaded, LoadError>,
}

/// The watcher and the saves it has read.
#[derive(Resource)]
pub struct Watch {
    saves: Mutex<Receiver<Save>>,
    /// Kept alive: dropping it stops the watching.
    _watcher: Mutex<notify::RecommendedWatcher>,
}

impl Watch {
    /// Starts following `file`, calling `wake` after each save is read.
    pub fn start(file: &Path, wake: Wake) -> Result<Watch, String> {
        let (saves, watcher) = watch(file, wake)?;
        Ok(Watch { saves: Mutex::new(saves), _watcher: Mutex::new(watcher) })
    }

    /// The saves read since the last call, oldest first.
    pub fn saves(&self) -> Vec<Save> {
        self.saves.lock().map(|r| r.try_iter().collect()).unwrap_or_default()
    }
}

/// Watches `file`: each save is read and checked on a thread of its own,
/// handed over on the returned channel, and `wake` is called. The threads
/// sleep while nothing changes.
fn watch(file: &Path, wake: Wake) -> Result<(Receiver<Save>, notify::RecommendedWatcher), String> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file.file_name().ok_or("the scenario has no file name")?.to_os_string();
    let (seen, writes) = channel::<Instant>();
    // Editors save by writing in place or by writing a copy and renaming it
    // over the file: watch the folder, and take either for this file.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Access(_))
            && event.paths.iter().any(|p| p.file_name() == Some(name.as_os_str()))
            && !matches!(event.kind, EventKind::Access(notify::event::AccessKind::Open(_)))
            && !matches!(
                event.kind,
                EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Read))
            )
        {
            let _ = seen.send(Instant::now());
        }
    })
    .map_err(|e| format!("cannot watch for saves: {e}"))?;
    watcher.watch(&dir, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    let (send, saves) = channel();
    let path = file.to_path_buf();
    std::thread::Builder::new()
        .name("author-watch".into())
        .spawn(move || {
            while let Ok(first) = writes.recv() {
                // Let the save finish: read once nothing has been written for a moment.
                loop {
                    match writes.recv_timeout(SETTLE) {
                        Ok(_) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if send.send(Save { at: first, loaded: load_file(&path) }).is_err() {
                    return;
                }
                wake();
            }
        })
        .map_err(|e| format!("cannot start watching: {e}"))?;
    Ok((saves, watcher))
}
