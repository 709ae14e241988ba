//! Putting an item's numbers into words, with this session's names.
//!
//! Every sentence is built from what the state holds, so the debrief never
//! says something happened that did not: a missed escalation is never called
//! a decision on time, a step that did not arise never shows a cost.

use super::rules::{ItemOutcome, Status};
use crate::clock::InGameTime;
use crate::scenario::{CarerDef, EscalationDef, EscalationKind, FactIx, InconsistencyDef};
use crate::sim::{CaseState, Rules};

/// Puts an outcome into words, with this session's names.
pub(super) struct Explainer<'a> {
    pub(super) r: Rules<'a>,
    pub(super) now: InGameTime,
}

impl Explainer<'_> {
    pub(super) fn name(&self, text: &str) -> String {
        self.r.v.render(self.r.s, text)
    }

    pub(super) fn when(&self, t: InGameTime) -> String {
        self.r.s.calendar.describe(t)
    }

    fn quote(&self, f: FactIx) -> String {
        format!("\u{201c}{}\u{201d}", self.name(&self.r.s.fact(f).texts[self.r.v.fact_text(f)]))
    }

    fn action(&self, a: crate::scenario::ActionIx) -> String {
        format!("\u{201c}{}\u{201d}", self.name(&self.r.s.action(a).text))
    }

    pub(super) fn inconsistency(&self, state: &CaseState, x: &InconsistencyDef, o: &ItemOutcome) -> String {
        let both = || x.facts.iter().map(|f| self.quote(*f)).collect::<Vec<_>>().join(" and ");
        let action = || o.by.map(|a| self.action(a)).unwrap_or_default();
        let knew = o.knowable_at.map(|t| self.when(t)).unwrap_or_default();
        match o.status {
            Status::NeverSurfaced => {
                let missing: Vec<String> =
                    x.facts.iter().filter(|f| state.fact_at(self.r, **f).is_none()).map(|f| self.quote(*f)).collect();
                format!("It never surfaced: you did not learn {}.", missing.join(" or "))
            }
            Status::FollowedUp => format!(
                "You knew {} by {knew}, and followed it up: {} ({}).",
                both(),
                action(),
                self.when(o.settled_at.unwrap_or(self.now))
            ),
            Status::FollowedUpLate => format!(
                "You knew {} by {knew}, but followed it up only at {} ({}); it was due within {}, and credit falls the longer it waits.",
                both(),
                self.when(o.settled_at.unwrap_or(self.now)),
                action(),
                x.late_after.describe()
            ),
            Status::NotFollowedUp => {
                format!("You knew {} by {knew} but never followed it up: the account was accepted as it stood.", both())
            }
            Status::DidNotArise => "It does not arise in this version of the case.".to_string(),
            _ if o.knowable_at.is_some() => format!("Surfaced at {knew}; not followed up yet."),
            _ => "Not all of this has come to light yet.".to_string(),
        }
    }

    pub(super) fn carer(&self, state: &CaseState, c: &CarerDef, o: &ItemOutcome) -> String {
        let who = self.r.v.name(c.person);
        let missing: Vec<&str> = c
            .checks
            .iter()
            .filter(|k| state.check_at(self.r, c.person, **k).is_none())
            .map(|k| self.r.s.checks[k.ix()].title.as_str())
            .collect();
        let done = c.checks.len() - missing.len();
        let since = o.knowable_at.map(|t| self.when(t)).unwrap_or_default();
        match o.status {
            Status::NeverDiscovered => {
                format!(
                    "You never found out that {who} was living with or looking after the child, so no checks were made."
                )
            }
            Status::Checked => format!("You learned of {who} at {since} and made every check."),
            Status::NotChecked => {
                format!("You knew of {who} from {since} but made none of the checks: {}.", missing.join(", "))
            }
            Status::PartlyChecked => format!(
                "You knew of {who} from {since} and made {done} of {} checks; not done: {}.",
                c.checks.len(),
                missing.join(", ")
            ),
            Status::DidNotArise => format!("{who} does not look after the child in this version of the case."),
            _ if o.knowable_at.is_some() => format!("Known since {since}; still to do: {}.", missing.join(", ")),
            _ => format!("{who} is not known to you yet."),
        }
    }

    /// The ways an escalation item can be met, in words.
    fn ways(&self, x: &EscalationDef) -> String {
        let mut ways: Vec<String> = x.counts.iter().map(|r| r.describe().to_string()).collect();
        ways.extend(x.met_by.iter().map(|a| self.action(*a)));
        if x.met_when.is_some() && ways.is_empty() {
            ways.push(match x.kind {
                EscalationKind::Protection => "a protective step".to_string(),
                EscalationKind::Escalation => "the step".to_string(),
            });
        }
        ways.join(" or ")
    }

    pub(super) fn escalation(
        &self,
        state: &CaseState,
        i: usize,
        x: &EscalationDef,
        o: &ItemOutcome,
        incidents: &[(String, InGameTime)],
    ) -> String {
        let routes = self.ways(x);
        let done = match o.by {
            Some(a) => format!("you did {}", self.action(a)),
            None if x.met_when.is_some() && x.counts.is_empty() => "it was in place".to_string(),
            None => format!("you escalated ({routes})"),
        };
        let Some(due) = o.due else {
            return "The threshold was not reached in this session.".to_string();
        };
        let reached = match (o.knowable_at, state.arises_at(self.r, i)) {
            (Some(t), Some(a)) if a < t => format!(
                "The threshold was there to be found from {} and you reached it at {}",
                self.when(a),
                self.when(t)
            ),
            (Some(t), _) => format!("The threshold was reached at {}", self.when(t)),
            (None, Some(a)) => {
                format!("The threshold was there to be found from {}, but you never reached it", self.when(a))
            }
            (None, None) => "The threshold was not reached".to_string(),
        };
        let due_words = self.when(due);
        let mut text = match o.status {
            Status::OnTime if x.consequence_of.is_some() => format!(
                "{reached}; {done} at {}, within {}. It adds nothing to your score: it was needed only because of what went before.",
                self.when(o.settled_at.unwrap_or(self.now)),
                x.deadline.describe()
            ),
            Status::OnTime => format!(
                "{reached}; {done} at {}, within {}.",
                self.when(o.settled_at.unwrap_or(self.now)),
                x.deadline.describe()
            ),
            Status::Late if state.refused_at(self.r, i).is_some() => format!(
                "{reached}; at {} you first decided not to act, and {done} only at {}. A decision not to act, taken back, is never on time; it was due by {due_words} ({}).",
                self.when(state.refused_at(self.r, i).unwrap_or(self.now)),
                self.when(o.settled_at.unwrap_or(self.now)),
                x.timescale
            ),
            Status::Late => format!(
                "{reached}; it was due by {due_words} ({}), but {done} only at {}, and credit falls the longer it waits.",
                x.timescale,
                self.when(o.settled_at.unwrap_or(self.now))
            ),
            Status::Refused => {
                // The choice that made the refusal: taken at that moment.
                let at = o.settled_at;
                let decided = x
                    .refused_by
                    .iter()
                    .find(|a| state.action_at(self.r, **a) == at)
                    .or_else(|| {
                        x.refused_by
                            .iter()
                            .rfind(|a| state.action_at(self.r, **a).is_some_and(|t| at.is_some_and(|at| t <= at)))
                    })
                    .map(|a| self.action(*a))
                    .unwrap_or_default();
                format!(
                    "{reached}; at {} you decided not to act ({decided}). Once the threshold is met, closing or taking no further action is a missed escalation: {routes} was due by {due_words} ({}).",
                    self.when(o.settled_at.unwrap_or(self.now)),
                    x.timescale
                )
            }
            Status::Missed => {
                format!("{reached}; {routes} was due by {due_words} ({}) and never happened.", x.timescale)
            }
            _ => format!("{reached}; due by {due_words}."),
        };
        for (what, at) in incidents {
            text.push_str(&format!(
                " While it was still outstanding, at {}: {} That is the cost of the delay.",
                self.when(*at),
                what
            ));
        }
        text
    }
}
