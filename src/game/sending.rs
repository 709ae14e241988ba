//! Sending the session's statements to the LRS while the trainee plays.
//!
//! After each action the sender thread is handed the session: it turns the
//! case's record into statements, puts any new ones into the outbox on disk
//! ([`crate::lrs::Outbox`]) and sends what is waiting (a frame never reads
//! the record or writes the outbox), and, when the LRS cannot be reached, tries
//! again with a growing pause (from 10 seconds to half an hour). It sleeps on
//! a channel while nothing is queued, so it costs no CPU, and a frame never
//! waits for the network. Without an LRS configured, nothing is queued.

use super::{ActiveCase, Storage};
use crate::lrs::{LrsConfig, Outbox};
use bevy::prelude::*;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

/// Queues and sends statements when an LRS is configured.
pub struct SendingPlugin;

impl Plugin for SendingPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, start_sender).add_systems(Last, queue_statements);
    }
}

/// The running sender: the channel that wakes it.
#[derive(Resource)]
struct Sending {
    wake: Sender<Work>,
}

/// What the sender thread is woken for.
enum Work {
    /// Send whatever is waiting.
    Send,
    /// Queue this session's new statements (from its record), then send.
    Queue {
        /// The record.
        record: std::path::PathBuf,
        /// The session as it stands.
        session: Box<crate::sim::Session>,
    },
}

fn start_sender(mut commands: Commands, storage: Res<Storage>) {
    let Some(data) = storage.data.as_ref() else { return };
    let config = match LrsConfig::load(data.root()) {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            warn!("statements will not be sent: {e}");
            return;
        }
    };
    let outbox = match Outbox::in_data(data.root()) {
        Ok(o) => o,
        Err(e) => {
            warn!("statements will not be sent: no outbox: {e}");
            return;
        }
    };
    let (wake, woken) = channel();
    let spawned =
        std::thread::Builder::new().name("lrs-sender".into()).spawn(move || send_when_woken(&outbox, &config, &woken));
    if let Err(e) = spawned {
        warn!("statements will not be sent: {e}");
        return;
    }
    // Whatever an earlier session left waiting goes now.
    let _ = wake.send(Work::Send);
    commands.insert_resource(Sending { wake });
}

/// The sender thread: sleeps until woken, sends, and while anything is left
/// waiting tries again after a pause that doubles each time.
fn send_when_woken(outbox: &Outbox, config: &LrsConfig, woken: &Receiver<Work>) {
    const FIRST_PAUSE: Duration = Duration::from_secs(10);
    const LONGEST_PAUSE: Duration = Duration::from_secs(30 * 60);
    while let Ok(work) = woken.recv() {
        queue(outbox, work);
        let mut pause = FIRST_PAUSE;
        loop {
            while let Ok(more) = woken.try_recv() {
                queue(outbox, more);
            }
            let sent = outbox.send(config);
            if sent.stored + sent.duplicates + sent.conflicts > 0 || sent.problem.is_some() {
                info!("{}", sent.describe(&config.endpoint));
            }
            if sent.waiting == 0 {
                break;
            }
            match woken.recv_timeout(pause) {
                Ok(work) => {
                    queue(outbox, work);
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
                Err(RecvTimeoutError::Timeout) => pause = (pause * 2).min(LONGEST_PAUSE),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Puts a session's new statements (from its record) into the outbox.
fn queue(outbox: &Outbox, work: Work) {
    let Work::Queue { record, session } = work else { return };
    let record = match crate::record::read_record(&record) {
        Ok(r) => r,
        Err(e) => {
            warn!("statements not queued: {e}");
            return;
        }
    };
    let statements = crate::xapi::statements(&record, &session, &crate::xapi::Actor::default());
    if let Err(e) = outbox.add(&statements) {
        warn!("statements not queued: {e}");
    }
}

/// After each action, hands the session to the sender thread.
fn queue_statements(
    case: Option<Res<ActiveCase>>,
    sending: Option<Res<Sending>>,
    mut last: Local<Option<(std::path::PathBuf, usize)>>,
) {
    let (Some(case), Some(sending)) = (case, sending) else { return };
    if !case.is_changed() {
        return;
    }
    let Some(writer) = case.writer.as_ref() else { return };
    let now = (writer.path().to_path_buf(), case.session.actions().len() + usize::from(case.session.is_over()));
    if last.as_ref() == Some(&now) {
        return;
    }
    *last = Some(now);
    let work = Work::Queue { record: writer.path().to_path_buf(), session: Box::new(case.session.clone()) };
    let _ = sending.wake.send(work);
}
