//! Work on a thread of its own whose answer the window picks up when it
//! comes: the thread wakes the window (through winit's event-loop proxy)
//! when it is done, so a resting window never polls and never waits.

use bevy::prelude::*;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

/// Something that wakes the window from another thread (nothing in tests).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Work on a thread of its own, whose answer the window picks up when it
/// comes (and is woken for): the window never waits for it.
pub struct Background<T> {
    waiting: Mutex<Option<Receiver<T>>>,
}

impl<T> Default for Background<T> {
    fn default() -> Self {
        Background { waiting: Mutex::new(None) }
    }
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` on a thread named `name`, in place of any earlier work's
    /// answer; `work` gives `None` when it was called off. Whether it started.
    pub fn start(&self, name: &str, wake: Wake, work: impl FnOnce() -> Option<T> + Send + 'static) -> bool {
        let (send, receive) = channel();
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            if let Some(answer) = work()
                && send.send(answer).is_ok()
            {
                wake();
            }
        });
        let started = spawned.is_ok();
        *self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = started.then_some(receive);
        started
    }

    /// The answer, once it has come.
    pub fn poll(&self) -> Option<T> {
        self.waiting.lock().ok().and_then(|w| w.as_ref().and_then(|r| r.try_recv().ok()))
    }
}

/// Wakes this window from another thread (a no-op without a window, in tests).
pub fn waker(proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>) -> Wake {
    match proxy {
        Some(p) => {
            let proxy = Mutex::new((**p).clone());
            Arc::new(move || {
                if let Ok(p) = proxy.lock() {
                    let _ = p.send_event(bevy::winit::WinitUserEvent::WakeUp);
                }
            })
        }
        None => Arc::new(|| {}),
    }
}
