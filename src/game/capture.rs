//! `--screenshot`: save the window as a PNG once it has settled, then quit.
//!
//! Used by the screenshot test and by authors to check how a screen looks on
//! a machine with no GPU (Xvfb and software Vulkan).

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use std::path::PathBuf;

/// Frames to draw before capturing: egui needs a couple of passes to lay out,
/// and the first frames of a new window can be blank.
const SETTLE_FRAMES: u32 = 30;

/// Saves one screenshot to `path` and exits.
pub struct CapturePlugin {
    /// Where the PNG goes.
    pub path: PathBuf,
}

#[derive(Resource)]
struct Capture {
    path: PathBuf,
    frames: u32,
    requested: bool,
}

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        // Keep drawing until the capture is done, whether or not anyone touches the window.
        app.insert_resource(bevy::winit::WinitSettings::game())
            .insert_resource(Capture { path: self.path.clone(), frames: 0, requested: false })
            .add_systems(Last, capture_when_settled);
    }
}

fn capture_when_settled(mut commands: Commands, mut capture: ResMut<Capture>) {
    capture.frames += 1;
    if capture.requested || capture.frames < SETTLE_FRAMES {
        return;
    }
    capture.requested = true;
    let mut save = save_to_disk(capture.path.clone());
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
            save(captured);
            exit.write(AppExit::Success);
        },
    );
}
