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

/// 1-based line and column of the first occurrence of `needle` in `text`.
pub fn position(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    second_look::scenario::diagnostic::line_col(text, offset)
}
