//! What a finished path must never show: an ending whose text says what did
//! not happen, a high score beside a hurt child, a low score beside a child
//! protected in time, and harm that the steps said to prevent it did not.

use super::Path;
use crate::scenario::Outcome;
use crate::scoring::{Numbers, Status};
use crate::sim::{CaseState, Rules};
use std::collections::BTreeMap;

/// A `Harmed` ending at or above this overall score contradicts the ending.
pub const HARMED_HIGH: f64 = 70.0;
/// A `ProtectedInTime` ending at or below this overall score contradicts the ending.
pub const PROTECTED_LOW: f64 = 30.0;

/// One kind of contradiction between an ending and the record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Incoherence {
    /// The ending's text says this, and it did not happen.
    Claim {
        /// The ending.
        ending: String,
        /// What its text says.
        says: String,
    },
    /// A `Harmed` ending reached with a high overall score.
    HarmedHigh {
        /// The ending.
        ending: String,
    },
    /// A `ProtectedInTime` ending reached with a low overall score.
    ProtectedLow {
        /// The ending.
        ending: String,
    },
    /// An ending in harm reached although every step said to prevent it was taken in time.
    HarmDespiteSteps {
        /// The ending.
        ending: String,
    },
}

impl Incoherence {
    /// In words, for `explore`'s report.
    pub fn describe(&self) -> String {
        match self {
            Incoherence::Claim { ending, says } => {
                format!("ending `{ending}` says \u{201c}{says}\u{201d}, which did not happen")
            }
            Incoherence::HarmedHigh { ending } => {
                format!("ending `{ending}` (harmed) is reached with an overall score of {HARMED_HIGH:.0} or more")
            }
            Incoherence::ProtectedLow { ending } => {
                format!(
                    "ending `{ending}` (protected in time) is reached with an overall score of {PROTECTED_LOW:.0} or less"
                )
            }
            Incoherence::HarmDespiteSteps { ending } => format!(
                "ending `{ending}` (harm) is reached although every step in its `preventable_by` was taken in time"
            ),
        }
    }
}

/// A contradiction found, how often, and the path to its first (or most extreme) case.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What.
    pub what: Incoherence,
    /// Terminal states showing it.
    pub count: usize,
    /// The overall score on the example path.
    pub score: f64,
    /// A path that shows it.
    pub path: Path,
}

/// Every contradiction found, one entry per kind and ending.
#[derive(Clone, Debug, Default)]
pub struct Coherence {
    found: BTreeMap<Incoherence, Finding>,
}

impl Coherence {
    /// Checks a finished state with its overall score; `path` is only built
    /// when something is wrong.
    pub fn check(&mut self, r: Rules, state: &CaseState, score: f64, path: impl Fn() -> Path) {
        let Some(e) = state.ended else { return };
        let ending = &r.s.endings[e.ix()];
        let mut found = Vec::new();
        for (says, claim) in &ending.asserts {
            if !state.holds(r, claim) {
                found.push(Incoherence::Claim { ending: ending.id.clone(), says: r.v.render(r.s, says) });
            }
        }
        match ending.outcome {
            Outcome::Harmed if score >= HARMED_HIGH => {
                found.push(Incoherence::HarmedHigh { ending: ending.id.clone() })
            }
            Outcome::ProtectedInTime if score <= PROTECTED_LOW => {
                found.push(Incoherence::ProtectedLow { ending: ending.id.clone() })
            }
            _ => {}
        }
        if ending.outcome.is_harm() && !ending.preventable_by.is_empty() {
            let numbers = Numbers::of(r, state);
            if ending.preventable_by.iter().all(|i| numbers.escalations[*i].status == Status::OnTime) {
                found.push(Incoherence::HarmDespiteSteps { ending: ending.id.clone() });
            }
        }
        for what in found {
            // Keep the most extreme example: the highest harmed score, the lowest protected one.
            let worse = |old: &Finding| match what {
                Incoherence::HarmedHigh { .. } => score > old.score,
                Incoherence::ProtectedLow { .. } => score < old.score,
                _ => false,
            };
            match self.found.get_mut(&what) {
                Some(f) => {
                    f.count += 1;
                    if worse(f) {
                        f.score = score;
                        f.path = path();
                    }
                }
                None => {
                    let f = Finding { what: what.clone(), count: 1, score, path: path() };
                    self.found.insert(what, f);
                }
            }
        }
    }

    /// Adds what another search found.
    pub fn merge(&mut self, other: Coherence) {
        for (k, f) in other.found {
            match self.found.get_mut(&k) {
                Some(mine) => mine.count += f.count,
                None => {
                    self.found.insert(k, f);
                }
            }
        }
    }

    /// Everything found, in a stable order.
    pub fn findings(&self) -> Vec<Finding> {
        self.found.values().cloned().collect()
    }
}
