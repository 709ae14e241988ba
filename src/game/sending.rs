//! Sending the session's statements to the LRS while the trainee plays.
//!
//! After each action the case's record is turned into statements and any new
//! ones go into the outbox on disk ([`crate::lrs::Outbox`]); a background
//! thread sends what is waiting, and, when the LRS cannot be reached, tries
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

/// The running sender: its outbox, and the channel that wakes it.
#[derive(Resource)]
struct Sending {
    outbox: Outbox,
    wake: Sender<()>,
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
    let (outbox, thread_outbox) = match (Outbox::in_data(data.root()), Outbox::in_data(data.root())) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            warn!("statements will not be sent: no outbox: {e}");
            return;
        }
    };
    let (wake, woken) = channel();
    let spawned = std::thread::Builder::new()
        .name("lrs-sender".into())
        .spawn(move || send_when_woken(&thread_outbox, &config, &woken));
    if let Err(e) = spawned {
        warn!("statements will not be sent: {e}");
        return;
    }
    // Whatever an earlier session left waiting goes now.
    let _ = wake.send(());
    commands.insert_resource(Sending { outbox, wake });
}

/// The sender thread: sleeps until woken, sends, and while anything is left
/// waiting tries again after a pause that doubles each time.
fn send_when_woken(outbox: &Outbox, config: &LrsConfig, woken: &Receiver<()>) {
    const FIRST_PAUSE: Duration = Duration::from_secs(10);
    const LONGEST_PAUSE: Duration = Duration::from_secs(30 * 60);
    while woken.recv().is_ok() {
        let mut pause = FIRST_PAUSE;
        loop {
            while woken.try_recv().is_ok() {}
            let sent = outbox.send(config);
            if sent.stored + sent.duplicates + sent.conflicts > 0 || sent.problem.is_some() {
                info!("{}", sent.describe(&config.endpoint));
            }
            if sent.waiting == 0 {
                break;
            }
            match woken.recv_timeout(pause) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => pause = (pause * 2).min(LONGEST_PAUSE),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// After each action, queues the record's new statements and wakes the sender.
fn queue_statements(
    case: Option<Res<ActiveCase>>,
    sending: Option<Res<Sending>>,
    mut last: Local<Option<(std::path::PathBuf, usize)>>,
) {
    let (Some(case), Some(sending)) = (case, sending) else { return };
    let Some(writer) = case.writer.as_ref() else { return };
    let now = (writer.path().to_path_buf(), case.session.actions().len() + usize::from(case.session.is_over()));
    if last.as_ref() == Some(&now) {
        return;
    }
    *last = Some(now);
    let record = match crate::record::read_record(writer.path()) {
        Ok(r) => r,
        Err(e) => {
            warn!("statements not queued: {e}");
            return;
        }
    };
    let statements = crate::xapi::statements(&record, &case.session, &crate::xapi::Actor::default());
    match sending.outbox.add(&statements) {
        Ok(0) => {}
        Ok(_) => {
            let _ = sending.wake.send(());
        }
        Err(e) => warn!("statements not queued: {e}"),
    }
}
