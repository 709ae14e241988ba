//! Integration tests, in one binary so that Bevy is linked once.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap should fail loudly")]

mod a11y;
mod author;
mod cli;
mod contrasts;
mod explore;
mod feedback;
mod fuzz;
mod game;
mod hostile;
mod lrs;
mod names;
mod records;
mod screenshot;
mod scripts;
mod validation;

use std::path::PathBuf;

/// A file in the repository.
///
/// The folder comes from `cargo test` at run time: a test binary reused from a
/// shared target directory may have been compiled in another clone, whose path
/// `env!` would have baked in.
pub fn repo(path: &str) -> PathBuf {
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    root.join(path)
}

/// The small complete example in `scenarios/README.md` (its last ```ron block).
pub fn example() -> String {
    let readme = std::fs::read_to_string(repo("scenarios/README.md")).expect("scenarios/README.md");
    let start = readme.rfind("```ron\n").expect("a ```ron block") + "```ron\n".len();
    let end = start + readme[start..].find("```").expect("the block ends");
    readme[start..end].to_string()
}

/// The example with one piece of text replaced (it must be there).
pub fn example_with(from: &str, to: &str) -> String {
    let text = example();
    assert!(text.contains(from), "the example does not contain {from:?}");
    text.replacen(from, to, 1)
}

/// The game's binary, run in the repository (as a user runs it from a clone).
pub fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_second-look"));
    c.current_dir(repo(""));
    c
}

/// What a command printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh, empty scratch folder for one test, never shared with another
/// (the process id and a counter are in its name).
pub fn temp(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("second-look-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
pub fn position(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    second_look::scenario::diagnostic::line_col(text, offset)
}
