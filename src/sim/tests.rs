//! Tests of the simulation rules: conditions, effects, time and events, on
//! the README's small example and small variations of it.

use super::*;
use crate::clock::ClockTime;
use crate::scenario::example;

fn t(day: u32, h: u32, m: u32) -> InGameTime {
    InGameTime::at(day, ClockTime::new(h, m).unwrap())
}

fn play(actions: &[&str]) -> Session {
    Session::replay(example::scenario(), 1, actions).unwrap()
}

fn fact(s: &Session, id: &str) -> FactIx {
    FactIx(s.scenario().facts.iter().position(|f| f.id == id).unwrap() as u16)
}

fn person(s: &Session, id: &str) -> PersonIx {
    PersonIx(s.scenario().people.iter().position(|p| p.id == id).unwrap() as u16)
}

fn holds(s: &Session, c: &Cond) -> bool {
    s.state().holds(s.rules(), c)
}

#[test]
fn a_choice_costs_time_and_its_effects_happen_when_chosen() {
    let s = play(&["call_nursery"]);
    assert_eq!(s.now(), t(1, 15, 30));
    assert_eq!(s.state().fact_at(s.rules(), fact(&s, "grip")), Some(t(1, 15, 0)));
    assert_eq!(s.scene().id, "desk", "a choice without goto stays");
}

#[test]
fn once_choices_go_and_repeatable_ones_stay() {
    let s = play(&["call_nursery"]);
    let ids: Vec<&str> = s.available().iter().map(|a| s.scenario().action(*a).id.as_str()).collect();
    assert!(!ids.contains(&"call_nursery"));
    assert!(ids.contains(&"visit") && ids.contains(&"wait"));
    let mut s = play(&["visit", "leave"]);
    assert_eq!(s.scene().id, "desk");
    assert!(s.take_id("visit").is_ok(), "a `once: false` move can be taken again");
    assert_eq!(
        s.take_id("call_nursery"),
        Err(ActionError::ElsewhereNow {
            action: "call_nursery".into(),
            belongs: "desk".into(),
            current: "home".into()
        })
    );
}

#[test]
fn conditions_follow_the_state() {
    let s = play(&[]);
    let grip = fact(&s, "grip");
    let partner = person(&s, "partner");
    assert!(holds(&s, &Cond::Always) && !holds(&s, &Cond::Never));
    assert!(!holds(&s, &Cond::Knows(grip)));
    assert!(!holds(&s, &Cond::KnowsOf(partner)));
    assert!(holds(&s, &Cond::KnowsOf(person(&s, "mother"))), "known at the start");
    assert!(holds(&s, &Cond::WorkingHours), "Friday 15:00");
    assert!(holds(&s, &Cond::Since(t(1, 15, 0))) && !holds(&s, &Cond::Since(t(1, 15, 1))));
    assert!(holds(&s, &Cond::Before(t(1, 15, 1))) && !holds(&s, &Cond::Before(t(1, 15, 0))));
    assert!(holds(&s, &Cond::Not(Box::new(Cond::Knows(grip)))));
    assert!(holds(&s, &Cond::Any(vec![Cond::Never, Cond::Always])));
    assert!(!holds(&s, &Cond::All(vec![Cond::Always, Cond::Never])));
    assert!(holds(&s, &Cond::All(vec![])), "an empty All holds");
    assert!(!holds(&s, &Cond::Any(vec![])), "an empty Any does not");

    let s = play(&["call_nursery", "visit", "look_hall", "ask"]);
    let scn = s.scenario().clone();
    assert!(holds(&s, &Cond::Knows(grip)));
    assert!(holds(&s, &Cond::KnowsOf(partner)), "the coat reveals the partner");
    assert!(holds(&s, &Cond::Checked(person(&s, "mother"), CheckIx(0))));
    assert!(!holds(&s, &Cond::Checked(partner, CheckIx(0))));
    assert!(holds(&s, &Cond::Did(scn.action_id("look_hall").unwrap())));
    assert!(holds(&s, &Cond::Visited(scn.scene_id("home").unwrap())));
    assert!(!holds(&s, &Cond::Escalated(Route::StrategyDiscussion)));
    assert!(holds(&s, &Cond::WorkingHours), "16:45 on Friday");
}

#[test]
fn the_time_an_action_shows_before_it_is_taken_is_the_time_it_takes() {
    let s = play(&[]);
    for id in ["call_nursery", "wait"] {
        let a = s.scenario().action_id(id).unwrap();
        assert!(s.offers(a), "{id}");
        let mut after = s.clone();
        after.take(a).unwrap();
        assert_eq!(s.minutes_to_take(a), after.now().minutes_since(s.now()), "{id}");
    }
    let wait = s.scenario().action_id("wait").unwrap();
    assert_eq!(s.minutes_to_take(wait), 2 * 24 * 60 + 18 * 60, "Friday 15:00 to Monday 09:00");
    let ask = s.scenario().action_id("ask").unwrap();
    assert!(!s.offers(ask), "asking belongs to the visit, not the desk");
}

#[test]
fn working_hours_end_at_five_and_the_weekend_is_skipped() {
    // 15:00 + 30 + 60 + 15 + 15 + 30 = 17:30: offices are closed.
    let s = play(&["call_nursery", "visit", "ask", "ask_again", "leave"]);
    assert_eq!(s.now(), t(1, 17, 30));
    assert_eq!(s.scenario().calendar.status(s.now()), "out of hours");
    let s = play(&["wait"]);
    assert_eq!(s.now(), t(4, 9, 0), "Friday to Monday");
}

#[test]
fn effects_learn_reveal_check_request_escalate_and_set() {
    let s = play(&["visit", "look_hall", "leave", "police_checks"]);
    let r = s.rules();
    let partner = person(&s, "partner");
    assert_eq!(s.state().person_known_at(r, partner), Some(t(1, 16, 0)), "revealed by the coat");
    let q = RequestIx(0);
    assert_eq!(s.state().requested_at(r, q), Some(t(1, 16, 30)));
    assert_eq!(s.state().answered_at(r, q), None, "the answer takes 4 hours");
    assert_eq!(s.inbox()[0].due, t(1, 20, 30));
    assert!(s.inbox()[0].answer.is_none());

    let s = play(&["visit", "look_hall", "leave", "police_checks", "wait"]);
    let r = s.rules();
    assert_eq!(s.state().answered_at(r, q), Some(t(1, 20, 30)), "answers arrive as the clock passes them");
    assert_eq!(s.state().check_at(r, partner, CheckIx(1)), Some(t(1, 20, 30)));
    assert_eq!(
        s.inbox()[0].answer.as_ref().map(|(at, text)| (*at, text.as_str())),
        Some((t(1, 20, 30), "Nothing known."))
    );

    let s = play(&["call_nursery", "strategy"]);
    let r = s.rules();
    assert_eq!(s.state().route_at(r, Route::StrategyDiscussion), Some(t(1, 15, 30)));
    assert!(holds(&s, &Cond::Flag(FlagIx(0))), "`safe` is set");
}

#[test]
fn events_fire_as_time_passes_unless_their_condition_holds() {
    // Nothing done: on Monday at 11:00 the child is hurt and the case ends.
    let mut s = play(&["wait"]);
    assert!(!s.is_over());
    s.take_id("wait").unwrap();
    assert!(s.is_over());
    assert_eq!(s.now(), t(4, 11, 0), "the clock stops at the event");
    assert_eq!(s.ending().unwrap().id, "hurt");

    // A safety plan first: the event is averted and the case runs to its horizon.
    let s = play(&["call_nursery", "strategy", "wait", "wait"]);
    assert!(s.journal().iter().any(|e| matches!(e, Entry::Averted { .. })));
    assert!(s.is_over());
    assert_eq!(s.now(), t(4, 17, 0), "the horizon");
    assert_eq!(s.ending().unwrap().id, "safe_for_now");
}

#[test]
fn end_case_ends_at_once_and_chooses_the_first_matching_ending() {
    let s = play(&["close"]);
    assert!(s.is_over());
    assert_eq!(s.ending().unwrap().id, "closed");
    let mut s = s;
    assert_eq!(s.take_id("visit"), Err(ActionError::CaseOver));
}

#[test]
fn unknown_and_unoffered_actions_are_refused_without_changing_anything() {
    let mut s = play(&[]);
    let before = s.state().clone();
    assert_eq!(s.take_id("nope"), Err(ActionError::Unknown("nope".into())));
    assert_eq!(s.take_id("police_checks"), Err(ActionError::NotOffered("police_checks".into())));
    assert_eq!(s.state(), &before);
    assert!(s.actions().is_empty());
}

#[test]
fn a_session_is_determined_by_scenario_seed_and_actions() {
    let actions = ["call_nursery", "visit", "ask", "look_hall", "meet_partner", "leave", "strategy", "wait", "wait"];
    let a = Session::replay(example::scenario(), 42, &actions).unwrap();
    let b = Session::replay(example::scenario(), 42, &actions).unwrap();
    assert_eq!(a.state(), b.state());
    assert_eq!(a.journal(), b.journal());
    assert_eq!(a.variation(), b.variation());
}

#[test]
fn the_seed_varies_names_and_accounts() {
    let texts: std::collections::BTreeSet<(String, String)> = (0..40)
        .map(|seed| {
            let s = Session::replay(example::scenario(), seed, &["visit", "ask"]).unwrap();
            (s.variation().name(person(&s, "mother")).to_string(), s.fact_text(fact(&s, "fell")))
        })
        .collect();
    let names: std::collections::BTreeSet<&str> = texts.iter().map(|(n, _)| n.as_str()).collect();
    let accounts: std::collections::BTreeSet<&str> = texts.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(names, ["Amy", "Beth"].into());
    assert_eq!(accounts, ["She fell down the stairs.", "She fell off the sofa."].into());
}

#[test]
fn placeholders_take_the_session_names() {
    let s = Session::replay(example::scenario(), 3, &["visit", "look_hall"]).unwrap();
    let mother = s.variation().name(person(&s, "mother")).to_string();
    assert_eq!(s.render("{mother} and {child}"), format!("{mother} and Sam"));
    let s = Session::replay(example::scenario(), 3, &["visit", "look_hall", "meet_partner"]).unwrap();
    assert_eq!(s.person_label(person(&s, "partner")), format!("Jo ({mother}'s partner)"));
}

#[test]
fn someone_heard_of_is_not_described_until_a_check_confirms_who_they_are() {
    // The coat in the hall reveals that a man is around; it does not tell the
    // trainee he is the mother's partner. Meeting him does.
    let s = Session::replay(example::scenario(), 3, &["visit", "look_hall"]).unwrap();
    let partner = person(&s, "partner");
    assert_eq!(s.person_label(partner), format!("Jo ({})", super::NOT_YET_CONFIRMED));
    let entry = s.household().into_iter().find(|h| h.person == partner).unwrap();
    assert_eq!(entry.description.as_deref(), Some(super::NOT_YET_CONFIRMED));
    // Nor is his age shown, nor the checks that would mark him as a carer.
    assert_eq!((entry.age, entry.checks.len()), (None, 0), "{entry:?}");
    // The mother was known from the start and is described from the start.
    let mother = person(&s, "mother");
    assert_eq!(s.person_description(mother).as_deref(), Some("mother"));

    let s = Session::replay(example::scenario(), 3, &["visit", "look_hall", "meet_partner"]).unwrap();
    let entry = s.household().into_iter().find(|h| h.person == partner).unwrap();
    assert!(entry.description.as_deref().is_some_and(|d| d.ends_with("'s partner")), "{entry:?}");
    assert_eq!(entry.age, s.scenario().person(partner).age);
    assert!(
        !entry.checks.is_empty()
            && entry.checks.iter().any(|(_, done)| matches!(done, crate::sim::CheckStatus::Done(_))),
        "{entry:?}"
    );
}

#[test]
fn an_interrupting_event_stops_the_clock_and_moves_the_trainee() {
    let text = example::with(
        r#"(id: "hurt_again", at: At(4, "11:00"), unless: Flag("safe"), text: "{child} is hurt again.",
            effects: [Set("hurt"), EndCase], preventable_by: ["strategy_in_time", "safe_same_day"]),"#,
        r#"(id: "hurt_again", at: At(4, "11:00"), unless: Flag("safe"), text: "{child} is hurt again.",
            effects: [Set("hurt"), EndCase], preventable_by: ["strategy_in_time", "safe_same_day"]),
        (id: "phone", at: At(1, "15:10"), text: "The phone rings.", goto: "home"),"#,
    );
    let scenario = std::sync::Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
    let s = Session::replay(scenario, 1, &["call_nursery"]).unwrap();
    assert_eq!(s.now(), t(1, 15, 10));
    assert_eq!(s.scene().id, "home");
}

#[test]
fn counters_and_scheduled_events() {
    let text = example::with(
        r#"(id: "close", text: "Close the case", effects: [EndCase]),"#,
        r#"(id: "close", text: "Close the case", effects: [EndCase]),
                (id: "note", text: "Make a note", once: false, cost: Minutes(15), effects: [Add("notes", 1), Schedule("reminder")]),
                (id: "enough", text: "Enough notes", when: AtLeast("notes", 2), effects: [Clear("safe")]),"#,
    )
    .replace(
        r#"events: ["#,
        r#"events: [
        (id: "reminder", at: After(Minutes(20)), text: "A reminder pops up."),"#,
    );
    let scenario = std::sync::Arc::new(crate::scenario::load_str("x", &text).map_err(|e| e.render(false)).unwrap().0);
    let reminders = |s: &Session| s.journal().iter().filter(|e| matches!(e, Entry::Happened { .. })).count();
    let mut s = Session::new(scenario, 1);
    s.take_id("note").unwrap();
    assert_eq!(reminders(&s), 0, "15:15: the reminder is due at 15:20");
    assert!(s.take_id("enough").is_err(), "one note is not enough");
    s.take_id("note").unwrap();
    assert_eq!(reminders(&s), 1, "15:30: the first reminder has come, the second is due at 15:35");
    assert!(s.take_id("enough").is_ok(), "two notes are");
}

#[test]
fn a_requested_check_shows_as_waiting_and_the_answer_shows_what_it_said() {
    let s = play(&["visit", "look_hall", "leave", "police_checks"]);
    let partner = s.household().into_iter().find(|h| s.scenario().person(h.person).id == "partner").unwrap();
    // Not met yet, so only heard of: no check list until a check confirms him.
    assert!(partner.checks.is_empty());
    let s = play(&["visit", "look_hall", "meet_partner", "leave", "police_checks"]);
    let partner = s.household().into_iter().find(|h| s.scenario().person(h.person).id == "partner").unwrap();
    let police = partner.checks.iter().find(|(k, _)| s.scenario().checks[k.ix()].id == "police").unwrap();
    assert!(matches!(police.1, crate::sim::CheckStatus::Requested(_)), "{police:?}");
    let s = play(&["visit", "look_hall", "meet_partner", "leave", "police_checks", "wait"]);
    let partner = s.household().into_iter().find(|h| s.scenario().person(h.person).id == "partner").unwrap();
    let police = partner.checks.iter().find(|(k, _)| s.scenario().checks[k.ix()].id == "police").unwrap();
    assert!(matches!(police.1, crate::sim::CheckStatus::Done(_)), "{police:?}");
    let inbox = s.inbox();
    assert_eq!(inbox[0].answer.as_ref().map(|(_, t)| t.as_str()), Some("Nothing known."));
    // An answer that brings a record shows it, not only "the results are in".
    let text = example::with(
        r#"effects: [Check("partner", "police")]"#,
        r#"effects: [Check("partner", "police"), Learn("coat")]"#,
    );
    let scenario = std::sync::Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
    let s = Session::replay(scenario, 1, &["visit", "look_hall", "meet_partner", "leave", "police_checks", "wait"])
        .unwrap();
    assert_eq!(s.inbox()[0].learned, vec!["A man's coat in the hall.".to_string()]);
}

#[test]
fn a_carer_item_another_version_counts_shows_no_check_list_and_does_not_count() {
    let text = example::with(
        r#"(person: "partner", checks: ["met", "police"],"#,
        r#"(person: "partner", only_if: Never, checks: ["met", "police"],"#,
    );
    let scenario = std::sync::Arc::new(crate::scenario::load_str("x", &text).unwrap().0);
    let s = Session::replay(scenario, 1, &["visit", "look_hall", "meet_partner", "leave"]).unwrap();
    let partner = s.household().into_iter().find(|h| s.scenario().person(h.person).id == "partner").unwrap();
    assert!(partner.checks.is_empty(), "{partner:?}");
    let score = crate::scoring::Score::of(s.rules(), s.state(), None);
    let item = &score.criterion(crate::scoring::Criterion::Carers).items[1];
    assert!(!item.applicable);
}
