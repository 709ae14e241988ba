//! Echoing what a file or a user gave back in a message, safely.

/// The longest piece of input (an id, a line) echoed in a message.
pub const ECHO_MAX: usize = 80;

/// A piece of input for a message: at most [`ECHO_MAX`] characters, with
/// control characters shown escaped, so a damaged or hostile file can neither
/// flood the terminal nor write escape codes to it.
pub fn echo(text: &str) -> String {
    let mut out: String = text.chars().take(ECHO_MAX).flat_map(char::escape_debug).collect();
    if text.chars().nth(ECHO_MAX).is_some() {
        out.push_str(&format!("… ({} characters in all)", text.chars().count()));
    }
    out
}
