//! What the program says when its surroundings fail it: no display for the
//! window, a reader that closed the pipe, or a fault in the program itself.
//! Never a bare panic message: a sentence that says what happened and what
//! to do.

/// The exit status of a command whose output pipe was closed, as other Unix
/// tools give when SIGPIPE ends them (128 + 13).
pub const CLOSED_PIPE: i32 = 141;

/// What to do when there is no display for the window.
pub const NO_DISPLAY: &str = "the game needs a display, and there is none here. \
On Linux, run it in a desktop session (DISPLAY or WAYLAND_DISPLAY is then set), or, with no screen, \
under a virtual one: `apt-get install xvfb mesa-vulkan-drivers`, then `Xvfb :99 &` and `DISPLAY=:99 second-look`. \
The command-line tools need no display: see `second-look --help`.";

/// Installs the panic hook: a closed pipe ends the command quietly with
/// [`CLOSED_PIPE`]; a missing display says [`NO_DISPLAY`]; anything else says
/// that it is a fault in the program, where, and that the trainee's work is
/// saved.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if message.contains("Broken pipe") || message.contains("os error 32") {
            std::process::exit(CLOSED_PIPE);
        }
        if is_display_failure(&message) {
            eprintln!("error: {NO_DISPLAY}");
            std::process::exit(2);
        }
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "error: Second Look stopped because of a fault in the program, not in anything you gave it: {}{place}. \
Records are saved at every action, so nothing played before this is lost. Please report it with the command you ran.",
            crate::echo::echo(&message)
        );
    }));
}

/// Whether a panic is the window system failing to start (no display, or
/// one that cannot be opened).
fn is_display_failure(message: &str) -> bool {
    ["Failed to build event loop", "XOpenDisplay", "neither WAYLAND_DISPLAY nor", "Failed to open display"]
        .iter()
        .any(|m| message.contains(m))
}

/// Whether this machine can show a window, checked before Bevy tries (and
/// panics): on Linux and the BSDs, a display must be named.
pub fn display_available() -> Result<(), &'static str> {
    if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")) {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Err(NO_DISPLAY);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_systems_failures_are_recognised() {
        assert!(is_display_failure("Failed to build event loop: NotSupported(...)"));
        assert!(!is_display_failure("index out of bounds"));
    }
}
