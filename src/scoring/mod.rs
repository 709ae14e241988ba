//! Scoring a session against its scenario's rubric.
//!
//! The three criteria of `DESIGN.md`, each 0–100 from its items, and an
//! overall weighted mean, less the harm of the ending (a percentage). Every item says what
//! earned or lost it, when, which of the trainee's actions were the
//! evidence, and the learning point and review finding behind it. Scores are
//! always recomputed from the state a replay of the actions produces, never
//! stored and trusted.
//!
//! The rules keep the principles of `DESIGN.md` (Scoring): credit for a late
//! step falls to nothing ([`late_credit`]); an item raised by an incident
//! counts only against the trainee; a decision not to act once the threshold
//! is met is a missed escalation ([`Status::Refused`]); harmful acts cost
//! points ([`Penalty`]); and an ending in harm that listed steps could have
//! prevented takes its harm, a percentage, off the overall ([`Harm`]).

mod bounds;
mod explain;
mod rules;

pub use crate::scenario::Criterion;
pub use bounds::{Bounds, bounds};
pub use rules::{ItemOutcome, LATE_START, LATE_ZERO_DAYS, Numbers, Status, credit, late_credit};

use crate::clock::InGameTime;
use crate::scenario::{ActionIx, Route};
use crate::sim::{CaseState, Cause, Entry, Rules};
use explain::Explainer;
use rules::{criterion_index, criterion_score, weighted_mean};
use serde::Serialize;

/// One scored rubric item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemScore {
    /// The rubric item's id (a person id for carers).
    pub id: String,
    /// Its title.
    pub title: String,
    /// What happened.
    pub status: Status,
    /// Credit earned, 0–1.
    pub fraction: f64,
    /// Weight within the criterion.
    pub weight: f64,
    /// Whether it counts (an escalation whose threshold never came does not).
    pub applicable: bool,
    /// Whether it is about protection (securing the child's immediate safety).
    pub protection: bool,
    /// When it first became knowable (surfaced, discovered, threshold reached).
    pub knowable_at: Option<InGameTime>,
    /// The moment it was earned or lost.
    pub settled_at: Option<InGameTime>,
    /// The deadline, where there is one.
    pub due: Option<InGameTime>,
    /// The trainee's actions (numbered from 0) that earned it, each once.
    pub evidence: Vec<usize>,
    /// Incidents that happened while it was overdue, which it could have
    /// prevented: what the delay cost.
    pub incidents: Vec<(String, InGameTime)>,
    /// What earned or lost it, in words.
    pub explanation: String,
    /// The learning point.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
}

impl ItemScore {
    /// The title as the debrief heads the item: protection items say so.
    pub fn heading(&self) -> String {
        if self.protection { format!("Protection: {}", self.title) } else { self.title.clone() }
    }
}

impl Score {
    /// The harm of the ending in words, for every debrief: the line on the
    /// overall score, and one line per step that could have prevented it.
    pub fn harm_lines(&self) -> Option<(String, Vec<String>)> {
        let h = self.harm.as_ref()?;
        Some((
            format!(
                "{:.0} from the three criteria, less {}% for harm that earlier action could have prevented: {}",
                self.before_harm, h.percent, h.title
            ),
            // The steps that were missing or late: an item done on time did its part.
            h.preventable_by
                .iter()
                .filter(|(_, st)| *st != Status::OnTime)
                .map(|(t, st)| format!("Could have prevented it: {t} ({})", st.label()))
                .collect(),
        ))
    }
}

/// Points taken off a criterion: a formal route out of proportion, or a harmful act.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Penalty {
    /// The rubric item.
    pub id: String,
    /// What was done, in a few words.
    pub title: String,
    /// The criterion it comes off.
    pub criterion: Criterion,
    /// The route used, for overreach.
    pub route: Option<Route>,
    /// When.
    pub at: InGameTime,
    /// Points off the criterion.
    pub points: u32,
    /// Why it harms or was out of proportion.
    pub reason: String,
    /// The review finding behind it, where the scenario gives one.
    pub review_finding: String,
    /// The action that made it.
    pub evidence: Vec<usize>,
}

/// The harm of the ending: a percentage off the overall score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Harm {
    /// The ending's id.
    pub ending: String,
    /// Its title, with this session's names.
    pub title: String,
    /// The percentage taken off the overall.
    pub percent: u32,
    /// The steps that would have prevented it, each with its title and what
    /// happened to it.
    pub preventable_by: Vec<(String, Status)>,
}

/// One criterion's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionScore {
    /// Which.
    pub criterion: Criterion,
    /// 0–100.
    pub score: f64,
    /// Weight in the overall score.
    pub weight: f64,
    /// Whether anything in it applied.
    pub applicable: bool,
    /// Its items.
    pub items: Vec<ItemScore>,
    /// Points taken off it.
    pub penalties: Vec<Penalty>,
}

/// The whole score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// The weighted mean of the applicable criteria, less the harm, 0–100.
    pub overall: f64,
    /// The weighted mean before the harm was taken off.
    pub before_harm: f64,
    /// The three criteria.
    pub criteria: Vec<CriterionScore>,
    /// The ending's harm, if it has any.
    pub harm: Option<Harm>,
}

impl Score {
    /// One criterion.
    pub fn criterion(&self, c: Criterion) -> &CriterionScore {
        // `criteria` always holds all three, in `Criterion::ALL` order.
        &self.criteria[criterion_index(c)]
    }

    /// The weighted mean of the criteria (before harm) had one item
    /// (criterion, index) come out with this credit instead: what a
    /// different decision there would have been worth. The ending's harm is
    /// left out, as the debrief shows it on its own line.
    pub fn before_harm_if(&self, c: Criterion, index: usize, fraction: f64) -> f64 {
        let criteria = self.criteria.iter().map(|cs| {
            if cs.criterion != c {
                return (cs.applicable, cs.weight, cs.score);
            }
            let points = cs.penalties.iter().map(|p| p.points).sum();
            let items = cs.items.iter().enumerate().map(|(i, item)| {
                if i == index { (true, item.weight, fraction) } else { (item.applicable, item.weight, item.fraction) }
            });
            let (applicable, score) = criterion_score(items, points);
            (applicable, cs.weight, score)
        });
        weighted_mean(criteria)
    }

    /// Scores a state, with explanations. `journal`, when given, supplies the evidence.
    pub fn of(r: Rules, state: &CaseState, journal: Option<&[Entry]>) -> Score {
        let s = r.s;
        let numbers = Numbers::of(r, state);
        let ev = Evidence { journal };
        let say = Explainer { r, now: state.now };

        let inconsistencies = s
            .rubric
            .inconsistencies
            .iter()
            .zip(&numbers.inconsistencies)
            .map(|(x, o)| ItemScore {
                id: x.id.clone(),
                title: say.name(&x.title),
                explanation: say.inconsistency(state, x, o),
                evidence: o.by.and_then(|a| ev.took(a)).into_iter().collect(),
                learning_point: say.name(&x.learning_point),
                review_finding: x.review_finding.clone(),
                ..item(o, x.weight)
            })
            .collect();

        let carers = s
            .rubric
            .carers
            .iter()
            .zip(&numbers.carers)
            .map(|(c, o)| ItemScore {
                id: s.person(c.person).id.clone(),
                title: format!("{}, {}", r.v.name(c.person), say.name(&s.person(c.person).description)),
                explanation: say.carer(state, c, o),
                evidence: once_each(c.checks.iter().filter_map(|k| ev.checked(c.person, *k))),
                learning_point: say.name(&c.learning_point),
                review_finding: c.review_finding.clone(),
                ..item(o, c.weight)
            })
            .collect();

        let escalations = s
            .rubric
            .escalations
            .iter()
            .zip(&numbers.escalations)
            .enumerate()
            .map(|(i, (x, o))| {
                let incidents = incidents_of(r, state, i, o);
                ItemScore {
                    id: x.id.clone(),
                    title: say.name(&x.title),
                    protection: x.kind == crate::scenario::EscalationKind::Protection,
                    explanation: say.escalation(state, i, x, o, &incidents),
                    evidence: match (o.by, o.status) {
                        (Some(a), _) => ev.took(a).into_iter().collect(),
                        (None, Status::OnTime | Status::Late) => ev.met(i).into_iter().collect(),
                        (None, Status::Refused) => o
                            .settled_at
                            .and_then(|m| x.refused_by.iter().find_map(|a| ev.took_at(*a, m)))
                            .into_iter()
                            .collect(),
                        _ => Vec::new(),
                    },
                    incidents,
                    learning_point: say.name(&x.learning_point),
                    review_finding: x.review_finding.clone(),
                    ..item(o, x.weight)
                }
            })
            .collect();

        let mut penalties: [Vec<Penalty>; 3] = Default::default();
        for (i, o) in s.rubric.overreach.iter().enumerate() {
            if let Some(at) = state.overreach_at(r, i) {
                penalties[criterion_index(Criterion::Escalations)].push(Penalty {
                    id: o.id.clone(),
                    title: format!("{}, out of proportion", capitalised(o.route.describe())),
                    criterion: Criterion::Escalations,
                    route: Some(o.route),
                    at,
                    points: o.penalty,
                    reason: say.name(&o.reason),
                    review_finding: String::new(),
                    evidence: ev.escalated(&[o.route], at).into_iter().collect(),
                });
            }
        }
        for (i, p) in s.rubric.penalties.iter().enumerate() {
            if let Some(at) = state.penalty_at(r, i) {
                penalties[criterion_index(p.criterion)].push(Penalty {
                    id: p.id.clone(),
                    title: say.name(&p.title),
                    criterion: p.criterion,
                    route: None,
                    at,
                    points: p.points,
                    reason: say.name(&p.reason),
                    review_finding: p.review_finding.clone(),
                    evidence: ev.incurred(i).into_iter().collect(),
                });
            }
        }
        let [p_inc, p_car, p_esc] = penalties;
        let w = &s.rubric.weights;
        let criteria = vec![
            criterion(Criterion::Inconsistencies, w.inconsistencies, inconsistencies, p_inc),
            criterion(Criterion::Carers, w.carers, carers, p_car),
            criterion(Criterion::Escalations, w.escalations, escalations, p_esc),
        ];
        let before_harm = weighted_mean(criteria.iter().map(|c| (c.applicable, c.weight, c.score)));
        let harm = state.ended.map(|e| &s.endings[e.ix()]).filter(|e| e.harm > 0).map(|e| Harm {
            ending: e.id.clone(),
            title: say.name(&e.title),
            percent: e.harm,
            preventable_by: e
                .preventable_by
                .iter()
                .map(|i| (say.name(&s.rubric.escalations[*i].title), numbers.escalations[*i].status))
                .collect(),
        });
        let overall = rules::after_harm(before_harm, harm.as_ref().map_or(0, |h| h.percent));
        debug_assert!((overall - numbers.overall(r)).abs() < 1e-9);
        Score { overall, before_harm, criteria, harm }
    }
}

/// The overall score of a state, without explanations: the same rules as
/// [`Score::of`], cheap enough for the explorer to call at every ending.
pub fn overall(r: Rules, state: &CaseState) -> f64 {
    Numbers::of(r, state).overall(r)
}

/// Incidents (events with this item in `preventable_by`) that happened while
/// the item was overdue and not yet met: the cost of the delay.
fn incidents_of(r: Rules, state: &CaseState, i: usize, o: &ItemOutcome) -> Vec<(String, InGameTime)> {
    let Some(due) = o.due else { return Vec::new() };
    let met = state.met_at(r, i);
    r.s.events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.preventable_by.contains(&i))
        .filter_map(|(k, e)| {
            let at = state.happened_at(r, crate::scenario::EventIx(k as u16))?;
            let outstanding = at > due && met.is_none_or(|m| m > at);
            outstanding.then(|| (r.v.render(r.s, &e.text), at))
        })
        .collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Each action number once, in order.
fn once_each(numbers: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = numbers.collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn item(o: &ItemOutcome, weight: f64) -> ItemScore {
    ItemScore {
        id: String::new(),
        title: String::new(),
        status: o.status,
        fraction: o.fraction,
        weight,
        applicable: o.applicable,
        protection: false,
        knowable_at: o.knowable_at,
        settled_at: o.settled_at,
        due: o.due,
        evidence: Vec::new(),
        incidents: Vec::new(),
        explanation: String::new(),
        learning_point: String::new(),
        review_finding: String::new(),
    }
}

fn criterion(criterion: Criterion, weight: f64, items: Vec<ItemScore>, penalties: Vec<Penalty>) -> CriterionScore {
    let points = penalties.iter().map(|p| p.points).sum();
    let (applicable, score) = criterion_score(items.iter().map(|i| (i.applicable, i.weight, i.fraction)), points);
    CriterionScore { criterion, score, weight, applicable, items, penalties }
}

/// Finds, in the journal, the trainee's actions behind an outcome.
struct Evidence<'a> {
    journal: Option<&'a [Entry]>,
}

impl Evidence<'_> {
    fn entries(&self) -> &[Entry] {
        self.journal.unwrap_or(&[])
    }

    /// The action number a cause goes back to (an answer goes back to the request).
    fn action_of(&self, cause: Cause) -> Option<usize> {
        match cause {
            Cause::Action(n) => Some(n),
            Cause::Answer(q) => self.entries().iter().find_map(|e| match e {
                Entry::Requested { request, cause, .. } if *request == q => self.action_of(*cause),
                _ => None,
            }),
            Cause::Event(_) | Cause::Start => None,
        }
    }

    fn took(&self, a: ActionIx) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Took { n, action, .. } if *action == a => Some(*n),
            _ => None,
        })
    }

    fn took_at(&self, a: ActionIx, t: InGameTime) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Took { n, action, at } if *action == a && *at == t => Some(*n),
            _ => None,
        })
    }

    /// The action that met escalation item `i`.
    fn met(&self, i: usize) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Met { item, cause, .. } if *item == i => self.action_of(*cause),
            _ => None,
        })
    }

    /// The action that incurred penalty `i`.
    fn incurred(&self, i: usize) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Incurred { penalty, cause, .. } if *penalty == i => self.action_of(*cause),
            _ => None,
        })
    }

    fn checked(&self, p: crate::scenario::PersonIx, k: crate::scenario::CheckIx) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Checked { person, check, cause, .. } if *person == p && *check == k => self.action_of(*cause),
            _ => None,
        })
    }

    fn escalated(&self, routes: &[Route], at: InGameTime) -> Option<usize> {
        self.entries().iter().find_map(|e| match e {
            Entry::Escalated { route, at: t, cause } if routes.contains(route) && *t == at => self.action_of(*cause),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ClockTime;
    use crate::scenario::example;
    use crate::sim::Session;
    use std::sync::Arc;

    fn scored(actions: &[&str]) -> (Session, Score) {
        let s = Session::replay(example::scenario(), 1, actions).unwrap();
        let score = Score::of(s.rules(), s.state(), Some(s.journal()));
        (s, score)
    }

    fn with(from: &str, to: &str) -> Arc<crate::scenario::Scenario> {
        Arc::new(crate::scenario::load_str("x", &example::with(from, to)).unwrap().0)
    }

    fn t(day: u32, h: u32, m: u32) -> InGameTime {
        InGameTime::at(day, ClockTime::new(h, m).unwrap())
    }

    use crate::scenario::example::EXEMPLARY;

    #[test]
    fn everything_done_in_time_scores_full_marks_with_evidence() {
        let (s, score) = scored(EXEMPLARY);
        assert_eq!(s.ending().unwrap().id, "safe");
        assert_eq!(score.overall, 100.0);
        assert_eq!(score.harm, None);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUp);
        assert_eq!(inc.knowable_at, Some(t(1, 16, 30)), "surfaced when the second account was heard");
        assert_eq!(inc.settled_at, Some(t(1, 16, 45)));
        assert_eq!(inc.evidence, vec![3], "action 3 is ask_again");
        let partner = &score.criterion(Criterion::Carers).items[1];
        assert_eq!(partner.status, Status::Checked);
        assert_eq!(partner.evidence, vec![5, 7], "met by action 5; police answer traced to the request, action 7");
        let esc = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!((esc.status, esc.settled_at, esc.due), (Status::OnTime, Some(t(1, 18, 5)), Some(t(1, 23, 59))));
        assert_eq!(esc.evidence, vec![8]);
        let plan = &score.criterion(Criterion::Escalations).items[1];
        assert!(plan.protection);
        assert_eq!(
            (plan.status, plan.evidence.clone()),
            (Status::OnTime, vec![8]),
            "the strategy discussion set the plan"
        );
    }

    #[test]
    fn a_follow_up_late_earns_less_the_later_it_is() {
        // Surfaced at 16:30 on Friday, due by 18:30: followed up at 19:45, then on Monday.
        let (_, score) = scored(&[
            "call_nursery",
            "visit",
            "ask",
            "leave",
            "visit",
            "leave",
            "visit",
            "ask_again",
            "leave",
            "close",
        ]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUpLate);
        assert_eq!(inc.due, Some(t(1, 18, 30)), "two hours after it surfaced");
        assert!(inc.fraction > 0.0 && inc.fraction < LATE_START, "{}", inc.fraction);
        let (_, later) =
            scored(&["call_nursery", "visit", "ask", "leave", "wait", "visit", "ask_again", "leave", "close"]);
        let later = &later.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(later.status, Status::FollowedUpLate);
        assert!(later.fraction < inc.fraction, "{} then {}", inc.fraction, later.fraction);
    }

    #[test]
    fn inconsistency_surfaced_and_left_earns_nothing() {
        let (_, score) = scored(&["call_nursery", "visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!((inc.status, inc.fraction), (Status::NotFollowedUp, 0.0));
        assert!(inc.explanation.contains("never followed it up"), "{}", inc.explanation);
    }

    #[test]
    fn inconsistency_that_never_surfaced_earns_nothing_and_says_what_was_missing() {
        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!((inc.status, inc.fraction), (Status::NeverSurfaced, 0.0));
        assert!(inc.explanation.contains("Four small round bruises"), "{}", inc.explanation);
    }

    #[test]
    fn a_follow_up_taken_before_it_surfaced_counts_from_when_it_does() {
        // Convene the strategy discussion before hearing the mother's account.
        let (_, score) = scored(&["call_nursery", "strategy", "visit", "ask", "leave", "close"]);
        let inc = &score.criterion(Criterion::Inconsistencies).items[0];
        assert_eq!(inc.status, Status::FollowedUp);
        assert_eq!(inc.settled_at, inc.knowable_at);
    }

    #[test]
    fn carers_score_the_fraction_of_checks_and_nothing_if_never_discovered() {
        let (_, score) = scored(&["visit", "ask", "look_hall", "meet_partner", "leave", "close"]);
        let carers = score.criterion(Criterion::Carers);
        assert_eq!((carers.items[0].status, carers.items[0].fraction), (Status::Checked, 1.0));
        assert_eq!((carers.items[1].status, carers.items[1].fraction), (Status::PartlyChecked, 0.5));
        assert_eq!(carers.score, 75.0);

        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        let carers = score.criterion(Criterion::Carers);
        assert_eq!((carers.items[1].status, carers.items[1].fraction), (Status::NeverDiscovered, 0.0));
        assert_eq!(carers.score, 50.0);

        let (_, score) = scored(&["visit", "look_hall", "leave", "close"]);
        assert_eq!(score.criterion(Criterion::Carers).items[1].status, Status::NotChecked);
    }

    #[test]
    fn one_action_that_makes_two_checks_is_evidence_once() {
        let text = example::with(
            r#"effects: [Check("partner", "met")]"#,
            r#"effects: [Check("partner", "met"), Check("partner", "police")]"#,
        );
        let s = Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
        let played = Session::replay(s, 1, &["visit", "look_hall", "meet_partner", "leave", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        assert_eq!(score.criterion(Criterion::Carers).items[1].evidence, vec![2]);
    }

    #[test]
    fn escalation_on_time_late_missed_refused_or_not_arising() {
        let esc = |actions: &[&str]| scored(actions).1.criterion(Criterion::Escalations).clone();
        let on_time = esc(&["call_nursery", "strategy", "close"]);
        assert_eq!((on_time.items[0].status, on_time.score), (Status::OnTime, 100.0));

        // Due at 23:59 on Friday; escalated on Monday at 09:00: late, and credit has fallen.
        let late = esc(&["call_nursery", "wait", "strategy", "close"]);
        assert_eq!(late.items[0].status, Status::Late);
        assert!(late.items[0].fraction > 0.0 && late.items[0].fraction < LATE_START);

        // Closing once the threshold is met is a decision not to act: missed, never "on time".
        let closed = esc(&["call_nursery", "close"]);
        assert_eq!((closed.items[0].status, closed.score), (Status::Refused, 0.0));
        assert!(closed.items[0].explanation.contains("decided not to act"), "{}", closed.items[0].explanation);
        assert_eq!(closed.items[0].evidence, vec![1], "the closing choice is the evidence");

        let missed = esc(&["call_nursery", "wait", "visit", "leave", "wait"]);
        assert_eq!(missed.items[0].status, Status::Missed);

        let none = esc(&["visit", "ask", "leave", "close"]);
        assert_eq!(none.items[0].status, Status::DidNotArise);
        assert!(!none.applicable, "nothing to escalate: the criterion does not count");
    }

    #[test]
    fn lateness_keeps_costing_down_to_nothing() {
        let hour = late_credit(60);
        let day = late_credit(24 * 60);
        let three = late_credit(3 * 24 * 60);
        let week = late_credit(7 * 24 * 60);
        assert!(LATE_START > hour && hour > day && day > three && three > week && week > 0.0);
        assert_eq!(late_credit(LATE_ZERO_DAYS * 24 * 60), 0.0);
        assert_eq!(late_credit(30 * 24 * 60), 0.0);
        assert_eq!(credit(t(1, 12, 0), t(1, 12, 0)), 1.0);
        assert_eq!(credit(t(1, 12, 0), t(1, 12, 1)), late_credit(1));
    }

    #[test]
    fn an_item_can_be_met_by_a_listed_choice_instead_of_a_route() {
        let text = example::with("counts: [StrategyDiscussion],", "met_by: [\"ask_again\"],");
        let s = Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
        let played =
            Session::replay(s.clone(), 1, &["call_nursery", "visit", "ask", "ask_again", "leave", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        let item = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!(item.status, Status::OnTime);
        assert_eq!(item.evidence, vec![3]);
        assert!(
            item.explanation.contains("you did \u{201c}Ask about the fingertip marks\u{201d}"),
            "{}",
            item.explanation
        );
        // The strategy discussion no longer counts for it.
        let played = Session::replay(s, 1, &["call_nursery", "strategy", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), None);
        assert_eq!(score.criterion(Criterion::Escalations).items[0].status, Status::Refused);
    }

    #[test]
    fn a_refusing_choice_never_meets_the_item_even_by_a_counting_route() {
        // Make "close" also escalate to a strategy discussion: it still refuses.
        let s = with(
            r#"(id: "close", text: "Close the case", effects: [EndCase]),"#,
            r#"(id: "close", text: "Close the case", effects: [Escalate(StrategyDiscussion), EndCase]),"#,
        );
        let played = Session::replay(s, 1, &["call_nursery", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), None);
        assert_eq!(score.criterion(Criterion::Escalations).items[0].status, Status::Refused);
    }

    #[test]
    fn the_debrief_quotes_the_choice_that_made_the_refusal() {
        // `wait` is listed first and was taken, but before the threshold: the
        // refusal is the later `close`, and the debrief must say so.
        let s = with(r#"refused_by: ["close"],"#, r#"refused_by: ["wait", "close"],"#);
        let played = Session::replay(s, 1, &["wait", "call_nursery", "close"]).unwrap();
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        let item = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!(item.status, Status::Refused);
        assert!(item.explanation.contains("\u{201c}Close the case\u{201d}"), "{}", item.explanation);
        assert!(!item.explanation.contains("Go home"), "{}", item.explanation);
        assert_eq!(item.evidence, vec![2]);
    }

    #[test]
    fn a_decision_not_to_act_taken_back_is_never_on_time() {
        // Count the visit as a decision not to act, then escalate within the deadline.
        let s = with(r#"refused_by: ["close"],"#, r#"refused_by: ["visit"],"#);
        let played = Session::replay(s, 1, &["call_nursery", "visit", "leave", "strategy"]).unwrap();
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        let item = &score.criterion(Criterion::Escalations).items[0];
        assert_eq!(item.status, Status::Late);
        assert_eq!(item.fraction, LATE_START, "met before the deadline, after deciding not to act");
        assert!(item.explanation.contains("first decided not to act"), "{}", item.explanation);
    }

    #[test]
    fn protection_is_scored_and_harm_comes_off_the_overall() {
        // Every escalation on time but no plan to keep the child safe: the
        // protection item is missed and the child is hurt, which costs the harm.
        let s = with(
            r#"effects: [Escalate(StrategyDiscussion), Set("safe")]"#,
            r#"effects: [Escalate(StrategyDiscussion)]"#,
        );
        // The exemplary path up to Monday morning, then on past 11:00.
        let mut actions = EXEMPLARY[..10].to_vec();
        actions.extend(["visit", "leave", "wait"]);
        let played = Session::replay(s, 1, &actions).unwrap();
        assert_eq!(played.ending().unwrap().id, "hurt");
        let score = Score::of(played.rules(), played.state(), Some(played.journal()));
        let plan = &score.criterion(Criterion::Escalations).items[1];
        assert_eq!(plan.status, Status::Missed);
        let harm = score.harm.as_ref().unwrap();
        assert_eq!(harm.percent, 40);
        assert!(harm.preventable_by.iter().any(|(_, st)| *st == Status::Missed));
        assert!(score.overall <= 60.0, "{}", score.overall);
        assert!((score.overall - score.before_harm * 0.6).abs() < 1e-9);
        // The incident is named beside the step that would have prevented it.
        assert!(plan.explanation.contains("is hurt again"), "{}", plan.explanation);
        assert_eq!(plan.incidents.len(), 1);
    }

    #[test]
    fn a_harmful_act_costs_its_points() {
        let (_, clean) = scored(EXEMPLARY);
        let mut actions = EXEMPLARY.to_vec();
        actions.insert(3, "ask_in_front");
        let (_, harmful) = scored(&actions);
        let esc = harmful.criterion(Criterion::Escalations);
        assert_eq!(esc.penalties.len(), 1);
        assert_eq!((esc.penalties[0].points, esc.penalties[0].evidence.clone()), (30, vec![3]));
        assert!(harmful.overall < clean.overall);
        assert_eq!(esc.score, 70.0);
    }

    #[test]
    fn an_escalation_out_of_proportion_costs_its_penalty() {
        let (_, score) = scored(&["call_nursery", "strategy", "protect", "close"]);
        let esc = score.criterion(Criterion::Escalations);
        assert_eq!(esc.penalties.len(), 1);
        assert_eq!(esc.penalties[0].points, 25);
        assert_eq!(esc.penalties[0].evidence, vec![2]);
        assert_eq!(esc.score, 75.0);
    }

    #[test]
    fn overall_is_the_weighted_mean_of_the_criteria_that_applied() {
        // No escalation arose: the mean of the other two; the case was
        // closed and the child hurt, which takes its harm off.
        let (_, score) = scored(&["visit", "ask", "leave", "close"]);
        assert_eq!(score.before_harm, (0.0 + 50.0) / 2.0);
        assert_eq!(score.overall, 25.0 * 0.6);
        // Weights.
        let text = example::with(
            "rubric: (",
            "rubric: (\n        weights: (inconsistencies: 2.0, carers: 1.0, escalations: 1.0),",
        );
        let s = Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
        let s = Session::replay(s, 1, &["call_nursery", "visit", "ask", "ask_again", "leave", "close"]).unwrap();
        let score = Score::of(s.rules(), s.state(), None);
        let (i, c, e) = (100.0, 50.0, 0.0);
        assert_eq!(score.criterion(Criterion::Carers).score, c);
        assert_eq!(score.before_harm, (2.0 * i + c + e) / 4.0);
        assert!((score.overall - score.before_harm * 0.6).abs() < 1e-9, "closed: the child was hurt");
    }

    fn random_playthroughs(mut each: impl FnMut(&Session, &[CaseState])) {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        let scenarios = [
            example::scenario(),
            Arc::new(
                crate::scenario::load_str("first case", include_str!("../../scenarios/marks-explained-away.ron"))
                    .unwrap()
                    .0,
            ),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for scenario in scenarios {
            for seed in 0..40 {
                let mut s = Session::new(scenario.clone(), seed);
                let mut states = vec![s.state().clone()];
                for _ in 0..200 {
                    let options = s.available();
                    if options.is_empty() {
                        break;
                    }
                    s.take(options[rng.random_range(0..options.len())]).unwrap();
                    states.push(s.state().clone());
                }
                each(&s, &states);
            }
        }
    }

    #[test]
    fn the_quick_overall_agrees_with_the_full_debrief_on_random_playthroughs() {
        random_playthroughs(|s, states| {
            for state in states {
                let full = Score::of(s.rules(), state, None).overall;
                assert_eq!(overall(s.rules(), state), full);
            }
        });
    }

    #[test]
    fn the_bounds_of_every_state_on_a_path_hold_its_final_score() {
        random_playthroughs(|s, states| {
            let last = states.last().unwrap();
            let fin = overall(s.rules(), last);
            let harm = last.ended.map_or(0, |e| s.scenario().endings[e.ix()].harm);
            for (k, state) in states.iter().enumerate() {
                let b = bounds(s.rules(), state);
                if last.ended.is_some() {
                    assert!(b.lowest(harm) <= fin + 1e-9, "step {k}: lowest {} > final {fin}", b.lowest(harm));
                    assert!(fin <= b.highest(harm) + 1e-9, "step {k}: final {fin} > highest {}", b.highest(harm));
                }
            }
        });
    }
}
