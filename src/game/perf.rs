//! `--perf-log FILE`: timestamps for the performance script.
//!
//! Writes JSON lines with wall-clock milliseconds since the Unix epoch when
//! the first frame has been rendered, and when the frame that shows the result
//! of a key press has been rendered (with the time from the key reaching the
//! game to that frame), and in author mode when the frame that shows a saved
//! file's new version has been rendered (with the time from the save being
//! seen). `scripts/measure-window.sh` compares them with its own
//! clock to give start-up time and responsiveness.

use super::ActiveCase;
use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;
use bevy::render::extract_resource::{ExtractResource, ExtractResourcePlugin};
use bevy::render::{Render, RenderApp, RenderSystems};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Logs first-frame and key-to-frame times to a file.
pub struct PerfPlugin {
    /// The log file (appended to).
    pub path: PathBuf,
}

/// A counter that other apps (the plain comparison window) bump when a key
/// changes what they show, so their key-to-frame time can be measured too.
#[derive(Resource, Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct PerfCounter(pub u64);

/// A key press whose effect is in this frame (main world), extracted for the render world.
#[derive(Resource, Clone, Default)]
struct KeyMark {
    key_at: Option<Instant>,
    /// An author's save whose new version is in this frame.
    saved_at: Option<Instant>,
}

impl ExtractResource for KeyMark {
    type Source = KeyMark;
    fn extract_resource(source: &KeyMark) -> Self {
        source.clone()
    }
}

#[derive(Resource)]
struct PerfLog {
    path: PathBuf,
    first_frame_logged: bool,
    last_key: Option<Instant>,
    last_save: Option<Instant>,
    /// Frames rendered so far: the script counts those between key presses.
    frames: u64,
}

impl Plugin for PerfPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<KeyMark>()
            .add_plugins(ExtractResourcePlugin::<KeyMark>::default())
            .add_systems(First, clear_mark)
            .add_systems(PostUpdate, (mark_key_results, mark_saves));
        if let Some(render) = app.get_sub_app_mut(RenderApp) {
            render
                .insert_resource(PerfLog {
                    path: self.path.clone(),
                    first_frame_logged: false,
                    last_key: None,
                    last_save: None,
                    frames: 0,
                })
                .add_systems(Render, log_frame.in_set(RenderSystems::Cleanup));
        }
    }
}

fn clear_mark(mut mark: ResMut<KeyMark>) {
    mark.key_at = None;
    mark.saved_at = None;
}

/// Marks this frame if a key came in and what is shown changed because of it.
fn mark_key_results(
    mut keys: MessageReader<KeyboardInput>,
    case: Option<Res<ActiveCase>>,
    counter: Option<Res<PerfCounter>>,
    mut mark: ResMut<KeyMark>,
    mut last_actions: Local<u64>,
    mut pressed_at: Local<Option<Instant>>,
) {
    if keys.read().any(|k| k.state.is_pressed()) {
        *pressed_at = Some(Instant::now());
    }
    let actions = case.map_or(0, |c| c.session.actions().len() as u64) + counter.map_or(0, |c| c.0);
    if actions != *last_actions {
        *last_actions = actions;
        mark.key_at = pressed_at.take();
    }
}

/// Marks this frame if it shows an author's save for the first time.
fn mark_saves(authoring: Option<Res<super::author::Authoring>>, mut mark: ResMut<KeyMark>, mut last_saves: Local<u64>) {
    if let Some(a) = authoring
        && a.saves != *last_saves
    {
        *last_saves = a.saves;
        mark.saved_at = a.saved_at;
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn log_frame(mark: Option<Res<KeyMark>>, mut log: ResMut<PerfLog>) {
    let mut lines = Vec::new();
    log.frames += 1;
    if !log.first_frame_logged {
        log.first_frame_logged = true;
        lines.push(format!("{{\"event\":\"first_frame\",\"epoch_ms\":{:.1}}}", epoch_ms()));
    }
    let frame_line = |event: &str, at: Instant, frames: u64| {
        format!(
            "{{\"event\":\"{event}\",\"epoch_ms\":{:.1},\"in_app_ms\":{:.2},\"frames\":{frames}}}",
            epoch_ms(),
            at.elapsed().as_secs_f64() * 1000.0,
        )
    };
    if let Some(at) = mark.as_ref().and_then(|m| m.key_at)
        && log.last_key != Some(at)
    {
        log.last_key = Some(at);
        lines.push(frame_line("key_frame", at, log.frames));
    }
    if let Some(at) = mark.as_ref().and_then(|m| m.saved_at)
        && log.last_save != Some(at)
    {
        log.last_save = Some(at);
        lines.push(frame_line("save_frame", at, log.frames));
    }
    if !lines.is_empty()
        && let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&log.path)
    {
        for l in lines {
            let _ = writeln!(f, "{l}");
        }
    }
}
