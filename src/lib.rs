//! Second Look: a training game for child safeguarding.
//!
//! The crate is a functional core with an imperative shell. The core —
//! [`scenario`], [`sim`], [`scoring`], [`explore`], [`record`] and
//! [`author`] — is pure
//! Rust: a case is fully determined by (scenario, seed, actions). The shell is
//! [`cli`] for authors and facilitators, and [`game`], the Bevy window, which
//! only shows the core's state and sends it the trainee's actions.

pub mod author;
pub mod cli;
pub mod clock;
pub mod cohort;
pub mod cpd;
pub mod echo;
pub mod explore;
pub mod feedback;
pub mod game;
pub mod lrs;
pub mod map;
pub mod proof;
pub mod record;
pub mod report;
pub mod scenario;
pub mod scoring;
pub mod shell;
pub mod sim;
pub mod storage;
pub mod xapi;
