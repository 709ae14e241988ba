//! What an author needs from the core while writing a case: the place they
//! have played to (seed, starting point, actions by id), played again
//! against a new version of the text, and a plain view of the state behind
//! the moment on screen. Pure Rust: the game's author mode shows these.
//!
//! A session is determined by (scenario, seed, actions), so keeping the
//! author's place across an edit is a replay of the same action ids against
//! the new text. Ids, not indices: an edit that adds a choice above another
//! moves every index after it.

use crate::clock::InGameTime;
use crate::feedback;
use crate::scenario::{Cond, Scenario};
use crate::scoring::Score;
use crate::sim::{Session, StartAt};
use std::sync::Arc;

/// Where an author is in a case, by ids, so it survives an edit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The seed.
    pub seed: u64,
    /// Where the case started, if not at the beginning: scene, facts and flags by id.
    pub start: Option<StartIds>,
    /// The actions taken, by id, in order.
    pub actions: Vec<String>,
}

/// A starting point by ids ("play from here").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartIds {
    /// The scene.
    pub scene: String,
    /// Facts known from the start.
    pub facts: Vec<String>,
    /// Flags set from the start.
    pub flags: Vec<String>,
}

impl Place {
    /// Where this session is.
    pub fn of(session: &Session) -> Place {
        let start = session.started_at().map(|at| {
            let (scene, facts, flags) = at.ids(session.scenario());
            StartIds { scene, facts, flags }
        });
        Place { seed: session.seed(), start, actions: session.action_ids() }
    }
}

/// Why a replay stopped short of the author's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The action that could not be taken, numbered from 1; 0 when the
    /// starting point itself no longer exists.
    pub number: usize,
    /// How many actions the place had.
    pub of: usize,
    /// The action's id (or the starting scene's).
    pub id: String,
    /// Why, in words.
    pub why: String,
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.number == 0 {
            write!(f, "the starting point is gone ({}), so the case starts from the beginning", self.why)
        } else {
            write!(
                f,
                "stopped before action {} of {} (`{}`): {}",
                self.number,
                self.of,
                crate::echo::echo(&self.id),
                self.why
            )
        }
    }
}

/// Plays an author's place against a scenario: the same moment if the text
/// still allows every action, else the last moment that it does, and why not.
pub fn replay(scenario: Arc<Scenario>, place: &Place) -> (Session, Option<Stopped>) {
    let from = match &place.start {
        None => Ok(Session::new(scenario.clone(), place.seed)),
        Some(ids) => StartAt::by_ids(&scenario, &ids.scene, &ids.facts, &ids.flags)
            .map(|at| Session::from_here(scenario.clone(), place.seed, at)),
    };
    let fresh = match from {
        Ok(session) => session,
        Err(why) => {
            let id = place.start.as_ref().map(|s| s.scene.clone()).unwrap_or_default();
            let stopped = Stopped { number: 0, of: place.actions.len(), id, why };
            return (Session::new(scenario, place.seed), Some(stopped));
        }
    };
    let (session, failed) = fresh.replay_as_far_as(&place.actions);
    let stopped = failed.map(|e| {
        let why = match (&e.error, session.scenario().action_id(&e.id)) {
            (crate::sim::ActionError::NotOffered(_), Some(a)) => {
                let unmet = unmet(&session, &session.scenario().action(a).when);
                format!("{}: its `when` does not hold here ({})", e.error, unmet.join("; "))
            }
            _ => e.error.to_string(),
        };
        Stopped { number: e.number, of: place.actions.len(), id: e.id, why }
    });
    (session, stopped)
}

/// The parts of a condition that do not hold in this session, as an author
/// wrote them: each part of an `All` that fails, else the whole condition.
pub fn unmet(session: &Session, c: &Cond) -> Vec<String> {
    let (r, state) = (session.rules(), session.state());
    match c {
        Cond::All(parts) => {
            parts.iter().filter(|p| !state.holds(r, p)).map(|p| written(session.scenario(), p)).collect()
        }
        other if !state.holds(r, other) => vec![written(session.scenario(), other)],
        _ => Vec::new(),
    }
}

/// A compiled condition with its ids, in the file's notation.
pub fn written(s: &Scenario, c: &Cond) -> String {
    let list = |cs: &[Cond]| cs.iter().map(|c| written(s, c)).collect::<Vec<_>>().join(", ");
    match c {
        Cond::Always => "Always".into(),
        Cond::Never => "Never".into(),
        Cond::Knows(f) => format!("Knows(\"{}\")", s.fact(*f).id),
        Cond::KnowsOf(p) => format!("KnowsOf(\"{}\")", s.person(*p).id),
        Cond::Checked(p, k) => format!("Checked(\"{}\", \"{}\")", s.person(*p).id, s.checks[k.ix()].id),
        Cond::Escalated(route) => format!("Escalated({route:?})"),
        Cond::Requested(q) => format!("Requested(\"{}\")", s.requests[q.ix()].id),
        Cond::Answered(q) => format!("Answered(\"{}\")", s.requests[q.ix()].id),
        Cond::Did(a) => format!("Did(\"{}\")", s.action(*a).id),
        Cond::Visited(v) => format!("Visited(\"{}\")", s.scene(*v).id),
        Cond::Flag(f) => format!("Flag(\"{}\")", s.flags[f.ix()]),
        Cond::AtLeast(k, n) => format!("AtLeast(\"{}\", {n})", s.counters[k.ix()]),
        Cond::Is(w, o) => {
            let sw = &s.switches[w.ix()];
            format!("Is(\"{}\", \"{}\")", sw.id, sw.options.get(*o as usize).map_or("?", |x| x.as_str()))
        }
        Cond::WorkingHours => "WorkingHours".into(),
        Cond::Since(t) => format!("Since({})", s.calendar.describe(*t)),
        Cond::Before(t) => format!("Before({})", s.calendar.describe(*t)),
        Cond::Not(inner) => format!("Not({})", written(s, inner)),
        Cond::All(cs) => format!("All([{}])", list(cs)),
        Cond::Any(cs) => format!("Any([{}])", list(cs)),
    }
}

/// One rubric item as it stands at this moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemNow {
    /// Which criterion it scores under.
    pub criterion: &'static str,
    /// Its id.
    pub id: String,
    /// Its title, with this session's names.
    pub title: String,
    /// Its status in words ("open", "followed up", "late").
    pub status: &'static str,
    /// Its deadline, once it has one.
    pub due: Option<InGameTime>,
    /// Whether it counts (yet).
    pub applicable: bool,
}

/// The state behind the moment on screen, for an author to check a scene against.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// The scene's id.
    pub scene: String,
    /// The clock, in words.
    pub now: String,
    /// The flags that are set, by name.
    pub flags: Vec<String>,
    /// Counters that are not zero.
    pub counters: Vec<(String, i32)>,
    /// The facts known: id and the words as this session shows them.
    pub facts: Vec<(String, String)>,
    /// Every rubric item's live status and deadline.
    pub items: Vec<ItemNow>,
    /// The overall score if the case ended now (before any ending's harm).
    pub score_now: f64,
}

impl Inspection {
    /// Looks at a session's state.
    pub fn of(session: &Session) -> Inspection {
        let (s, r, state) = (session.scenario(), session.rules(), session.state());
        let flags = s.flags.iter().enumerate().filter(|(i, _)| state.flag(r, flag_ix(*i))).map(|(_, f)| f.clone());
        let counters = s
            .counters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), state.counter(r, crate::scenario::CounterIx(i as u16))))
            .filter(|(_, v)| *v != 0);
        let facts = session.notebook().into_iter().map(|n| (s.fact(n.fact).id.clone(), n.text));
        let score = Score::of(r, state, Some(session.journal()));
        let items = feedback::items(&score)
            .map(|(at, item)| ItemNow {
                criterion: at.criterion.title(),
                id: item.id.clone(),
                title: item.heading(),
                status: live_status(session.is_over(), item),
                due: item.due,
                applicable: item.applicable,
            })
            .collect();
        Inspection {
            scene: session.scene().id.clone(),
            now: s.calendar.describe(session.now()),
            flags: flags.collect(),
            counters: counters.collect(),
            facts: facts.collect(),
            items,
            score_now: score.before_harm,
        }
    }
}

/// An item's status as it stands while the case runs: one nobody has
/// settled yet is "open" once it could be known, "not arisen yet" before;
/// the debrief's word once it is settled or the case is over.
fn live_status(over: bool, item: &crate::scoring::ItemScore) -> &'static str {
    match (over, item.settled_at, item.knowable_at) {
        (false, None, Some(_)) => "open",
        (false, None, None) => "not arisen yet",
        _ => item.status.label(),
    }
}

fn flag_ix(i: usize) -> crate::scenario::FlagIx {
    crate::scenario::FlagIx(i as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{example, load_str};

    fn compiled(text: &str) -> Arc<Scenario> {
        Arc::new(load_str("example.ron", text).unwrap().0)
    }

    #[test]
    fn an_edit_to_the_words_keeps_the_place_and_shows_the_new_words() {
        let s = example::scenario();
        let session = Session::replay(s.clone(), 4, &["call_nursery", "visit", "ask"]).unwrap();
        let place = Place::of(&session);
        let edited = compiled(&example::with("is playing on the floor", "is asleep on the sofa"));
        let (again, stopped) = replay(edited, &place);
        assert_eq!(stopped, None);
        assert_eq!(again.action_ids(), place.actions);
        assert_eq!(again.now(), session.now());
        assert!(again.render(&again.scene().text).contains("asleep on the sofa"));
    }

    #[test]
    fn an_edit_that_removes_an_earlier_action_stops_at_the_last_one_that_applies_and_says_why() {
        let s = example::scenario();
        let session = Session::replay(s.clone(), 4, &["call_nursery", "visit", "ask", "ask_again", "leave"]).unwrap();
        let place = Place::of(&session);
        // "ask_again" now needs the trainee to have looked in the hall first.
        let edited = compiled(&example::with(
            r#"(id: "ask_again", text: "Ask about the fingertip marks", when: Knows("grip")"#,
            r#"(id: "ask_again", text: "Ask about the fingertip marks", when: Knows("coat")"#,
        ));
        let (again, stopped) = replay(edited, &place);
        let stopped = stopped.expect("the fourth action is no longer offered");
        assert_eq!((stopped.number, stopped.of, stopped.id.as_str()), (4, 5, "ask_again"));
        assert!(!stopped.why.is_empty());
        assert_eq!(again.action_ids(), vec!["call_nursery", "visit", "ask"]);
        assert_eq!(again.scene().id, "home");
        assert!(stopped.to_string().contains("action 4 of 5"), "{stopped}");
        assert!(stopped.why.contains(r#"Knows("coat")"#), "the author is told which condition: {}", stopped.why);
    }

    #[test]
    fn play_from_here_opens_the_scene_with_the_chosen_facts_and_flags_and_survives_a_replay() {
        let s = example::scenario();
        let start = StartIds { scene: "home".into(), facts: vec!["grip".into()], flags: vec!["safe".into()] };
        let place = Place { seed: 2, start: Some(start.clone()), actions: vec!["ask_again".into()] };
        let (session, stopped) = replay(s.clone(), &place);
        assert_eq!(stopped, None, "ask_again needs grip, which the start gave");
        let seen = Inspection::of(&session);
        assert_eq!(seen.scene, "home");
        assert_eq!(seen.flags, vec!["safe"]);
        assert!(seen.facts.iter().any(|(id, _)| id == "grip"));
        assert_eq!(Place::of(&session), place, "the starting point is part of the place");
        // The debrief's "what you knew when" starts from the same point.
        let before = feedback::knew_when(&session, 0).unwrap();
        assert_eq!(before.scene().id, "home");

        let gone = Place { start: Some(StartIds { scene: "attic".into(), ..start }), ..place };
        let (fresh, stopped) = replay(s, &gone);
        assert_eq!(stopped.map(|s| s.number), Some(0));
        assert_eq!(fresh.actions().len(), 0);
    }

    #[test]
    fn the_inspection_shows_each_rubric_item_live_with_its_deadline_once_it_has_one() {
        let s = example::scenario();
        let start = Inspection::of(&Session::new(s.clone(), 1));
        let item = |i: &Inspection| i.items.iter().find(|x| x.id == "strategy_in_time").cloned().unwrap();
        assert_eq!(item(&start).status, "not arisen yet");
        assert_eq!(item(&start).due, None, "no threshold, no deadline");
        let knows = Inspection::of(&Session::replay(s.clone(), 1, &["call_nursery"]).unwrap());
        assert!(item(&knows).due.is_some(), "the fingertip marks start the clock");
        assert_eq!(item(&knows).status, "open");
        let met = Inspection::of(&Session::replay(s, 1, &["call_nursery", "strategy"]).unwrap());
        assert_eq!(item(&met).status, "on time");
        assert_eq!(met.flags, vec!["safe"]);
    }
}
