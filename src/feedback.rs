//! Feedback that teaches: practice-mode cards, the manager's questions in
//! supervision, "what you knew when", and the experienced practitioner's path.
//!
//! All of it is derived from the same scoring as the debrief, so a card, a
//! question or a divergence can always be traced to a rubric item. None of it
//! reveals a fact the trainee has not learned: cards and questions are built
//! only from items that are already knowable (surfaced, discovered or
//! triggered), and never quote facts.

use crate::clock::InGameTime;
use crate::record::{parse_script, play_script};
use crate::scoring::{Criterion, ItemScore, Score, Status};
use crate::sim::{Entry, Session};

/// A rubric item, by criterion and position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    /// The criterion.
    pub criterion: Criterion,
    /// The item's index within it.
    pub index: usize,
}

/// Every item of a score, with its reference.
pub fn items(score: &Score) -> impl Iterator<Item = (ItemRef, &ItemScore)> {
    Criterion::ALL.into_iter().flat_map(move |criterion| {
        score
            .criterion(criterion)
            .items
            .iter()
            .enumerate()
            .map(move |(index, item)| (ItemRef { criterion, index }, item))
    })
}

/// A practice-mode feedback card, shown after the choice that settles an item.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The item.
    pub item: ItemRef,
    /// A title that gives nothing away the trainee has not learned.
    pub title: String,
    /// What happened to it.
    pub status: Status,
    /// What an experienced practitioner would notice here.
    pub notice: String,
    /// The learning point.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
}

impl Card {
    /// Whether two cards say the same words. The general cards for items the
    /// trainee never found do, and five of them in a row at the end of a case
    /// read as a glitch rather than as feedback. The criterion and status
    /// must match too, as the card's heading shows them.
    pub fn reads_like(&self, other: &Card) -> bool {
        self.item.criterion == other.item.criterion
            && self.status == other.status
            && self.title == other.title
            && self.notice == other.notice
            && self.learning_point == other.learning_point
            && self.review_finding == other.review_finding
    }
}

/// How many cards at the front of the queue say the same as the first; the
/// case screen shows them as one card, for that many items, read once.
pub fn leading_alike(cards: &[Card]) -> usize {
    match cards.first() {
        Some(first) => cards.iter().take_while(|c| c.reads_like(first)).count(),
        None => 0,
    }
}

/// Whether an item is settled for good at this point.
fn settled(item: &ItemScore, over: bool) -> bool {
    match item.status {
        Status::Open => false,
        Status::DidNotArise | Status::NotDue => over,
        _ => true,
    }
}

/// What an experienced practitioner would notice about an item that settled
/// this way. Protection, and items an incident raised, have words of their own.
fn notice(s: &ItemScore) -> &'static str {
    match s.status {
        Status::FollowedUp => {
            "You tested what you were told against what you knew. An experienced practitioner notices when two accounts do not fit, and asks about it, respectfully, while it is fresh."
        }
        Status::FollowedUpLate => {
            "You came back to it, later than an experienced practitioner would: two accounts that do not fit are worth asking about while they are fresh."
        }
        Status::NotFollowedUp => {
            "Two things you knew did not fit, and the moment to ask about them passed. An experienced practitioner would ask, and check the account with another source."
        }
        Status::NeverSurfaced => {
            "There was something here you did not find out. An experienced practitioner asks the other agencies involved before accepting an account."
        }
        Status::Checked => {
            "You made every check. An experienced practitioner checks every adult who lives with or looks after the child, not only the one they know best."
        }
        Status::PartlyChecked | Status::NotChecked => {
            "Some checks on this adult were never made. An experienced practitioner checks police and social care records, health, and meets each carer in person."
        }
        Status::NeverDiscovered => {
            "Another adult was looking after the child, and you never found out. An experienced practitioner asks who lives in, stays at and visits the home, and checks the answer with more than one source."
        }
        // Raised by an incident: answered in time, still needed only because of what went before.
        Status::OnTime if !s.applicable => {
            "You answered it in time, as an experienced practitioner would. It adds nothing to your score: it was needed only because an earlier step was missed or late."
        }
        Status::OnTime if s.protection => {
            "You put in place what keeps the child safe within the timescale. An experienced practitioner agrees how the child will be kept safe as soon as the threshold is met, not only who will be told."
        }
        Status::Missed | Status::Late | Status::Refused if s.protection => {
            "What keeps the child safe was not in place within the timescale once the threshold was met. An experienced practitioner secures the child's safety as soon as the threshold is met, within the timescale, not after the next worry."
        }
        Status::OnTime => {
            "You escalated within the timescale. An experienced practitioner knows the threshold when it is reached and acts the same working day."
        }
        Status::Late => {
            "You escalated, but after the timescale. An experienced practitioner acts when the threshold is reached, not when it is certain."
        }
        Status::Refused => {
            "The threshold was reached, and the decision was not to act. Closing, or taking no further action, once the threshold is met is a missed escalation: an experienced practitioner would have talked to a manager and escalated that day."
        }
        Status::Missed => {
            "The threshold was reached and the timescale passed without escalation. An experienced practitioner would have talked to a manager and acted that day."
        }
        Status::DidNotArise => "This moment never came in your case.",
        Status::NotDue => "The case ended before this was due.",
        Status::Open => "",
    }
}

/// The cards for items settled since the last call. `carded` remembers which
/// items have had their card; each item gets exactly one, at the first moment
/// it settles (and, at the end of the case, every item left gets its card).
pub fn new_cards(session: &Session, carded: &mut Vec<bool>) -> Vec<Card> {
    let score = Score::of(session.rules(), session.state(), None);
    let over = session.is_over();
    let all: Vec<(ItemRef, &ItemScore)> = items(&score).collect();
    carded.resize(all.len(), false);
    let mut cards = Vec::new();
    for (i, (item, s)) in all.into_iter().enumerate() {
        if carded[i] || !settled(s, over) {
            continue;
        }
        carded[i] = true;
        cards.push(card(item, s));
    }
    cards
}

/// The card for an item. An item the trainee never found (an inconsistency
/// never surfaced, an adult never discovered) gets a card in general words:
/// its own title, learning point and review finding would tell them what
/// they did not learn, and that is for the debrief.
fn card(item: ItemRef, s: &ItemScore) -> Card {
    let notice = notice(s).to_string();
    let hidden = |title: &str, theme: &str| Card {
        item,
        title: title.to_string(),
        status: s.status,
        notice: notice.clone(),
        learning_point: "The debrief shows what it was, and where it could have been found.".to_string(),
        review_finding: theme.to_string(),
    };
    match s.status {
        Status::NeverDiscovered => hidden(
            "An adult you did not find",
            "Reviews keep finding adults in the household who were unknown to professionals, because nobody asked or checked.",
        ),
        // A threshold that was there to be found, never reached: its own
        // words would tell the trainee what they did not find out.
        Status::Missed if s.knowable_at.is_none() => hidden(
            "A threshold you never reached",
            "Reviews keep finding that what other agencies already held was never asked for, so the moment to act was never seen.",
        ),
        // Not yet due when the case ended, and never reached: nothing to say
        // about it that would not tell the trainee what they did not find out.
        Status::NotDue if s.knowable_at.is_none() => {
            hidden("A step that was not yet due", "The case ended before this was due.")
        }
        Status::NeverSurfaced => hidden(
            "Something you did not find out",
            "Reviews keep finding explanations accepted without being checked against what other agencies knew.",
        ),
        _ => Card {
            item,
            title: s.title.clone(),
            status: s.status,
            notice,
            learning_point: s.learning_point.clone(),
            review_finding: s.review_finding.clone(),
        },
    }
}

/// What the manager asks in supervision.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The question.
    pub text: String,
    /// The item it is about, if any was open.
    pub about: Option<ItemRef>,
}

/// The manager's question now: about the most pressing item that is open and
/// already knowable (a threshold reached and not yet acted on, an
/// inconsistency surfaced and not followed up, a known carer not yet
/// checked), in the scenario's words where it has them. Never about
/// something the trainee cannot know yet.
pub fn supervision_question(session: &Session) -> Question {
    let s = session.scenario();
    let score = Score::of(session.rules(), session.state(), None);
    let open = |c: Criterion| {
        score
            .criterion(c)
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.status == Status::Open && i.knowable_at.is_some())
            .collect::<Vec<_>>()
    };
    let mut pick: Option<(ItemRef, &ItemScore)> = None;
    // Escalations first, soonest deadline first; then inconsistencies, oldest
    // first; then carers, known longest first.
    if let Some((index, item)) = open(Criterion::Escalations).into_iter().min_by_key(|(_, i)| i.due) {
        pick = Some((ItemRef { criterion: Criterion::Escalations, index }, item));
    } else if let Some((index, item)) = open(Criterion::Inconsistencies).into_iter().min_by_key(|(_, i)| i.knowable_at)
    {
        pick = Some((ItemRef { criterion: Criterion::Inconsistencies, index }, item));
    } else if let Some((index, item)) = open(Criterion::Carers).into_iter().min_by_key(|(_, i)| i.knowable_at) {
        pick = Some((ItemRef { criterion: Criterion::Carers, index }, item));
    }
    let Some((item, _)) = pick else {
        return Question {
            text: "What is your plan for the next few days, and what would make you change it?".into(),
            about: None,
        };
    };
    let authored = match item.criterion {
        Criterion::Inconsistencies => s.rubric.inconsistencies[item.index].supervision_question.clone(),
        Criterion::Carers => s.rubric.carers[item.index].supervision_question.clone(),
        Criterion::Escalations => s.rubric.escalations[item.index].supervision_question.clone(),
    };
    let text = match authored {
        Some(q) => session.render(&q),
        None => match item.criterion {
            Criterion::Inconsistencies => {
                "What have you been told that does not fit with what you have seen or heard from others? How would you test it?".into()
            }
            Criterion::Carers => {
                let who = session.variation().name(s.rubric.carers[item.index].person);
                format!("What do we actually know about {who}, and how do we know it?")
            }
            Criterion::Escalations => {
                "Where does this sit against the threshold, and what does the timescale say you must do, and by when?"
                    .into()
            }
        },
    };
    Question { text, about: Some(item) }
}

/// The supervision sessions held in a case: when, and what was asked, each
/// recomputed from the state just before it (so a record needs to keep only
/// the action).
pub fn supervision_log(session: &Session) -> Vec<(usize, InGameTime, Question)> {
    let Some(sup) = session.scenario().supervision else { return Vec::new() };
    session
        .journal()
        .iter()
        .filter_map(|e| match e {
            Entry::Took { n, action, at } if *action == sup => {
                let before = knew_when(session, *n)?;
                Some((*n, *at, supervision_question(&before)))
            }
            _ => None,
        })
        .collect()
}

/// The case as it stood after the first `actions` actions: the notebook,
/// household, inbox and score of that moment, by replaying them.
pub fn knew_when(session: &Session, actions: usize) -> Option<Session> {
    let ids: Vec<&str> =
        session.actions().iter().take(actions).map(|a| session.scenario().action(*a).id.as_str()).collect();
    match session.restart().replay_as_far_as(&ids) {
        (then, None) => Some(then),
        (_, Some(_)) => None,
    }
}

/// When the trainee's action number `n` (from 0) was taken.
pub fn action_time(session: &Session, n: usize) -> Option<InGameTime> {
    session.journal().iter().find_map(|e| match e {
        Entry::Took { n: k, at, .. } if *k == n => Some(*at),
        _ => None,
    })
}

/// The items that were knowable at a moment and not acted on: open and
/// knowable, or settled as not followed up, not (fully) checked, missed or
/// decided against. After a poor case this is the list of what went
/// unanswered, never "nothing".
pub fn waiting(score: &Score) -> Vec<(ItemRef, &ItemScore)> {
    items(score)
        .filter(|(_, i)| {
            i.knowable_at.is_some()
                && i.applicable
                && matches!(
                    i.status,
                    Status::Open
                        | Status::NotFollowedUp
                        | Status::NotChecked
                        | Status::PartlyChecked
                        | Status::Missed
                        | Status::Refused
                )
        })
        .collect()
}

/// The in-game time of each moment: moment `k`, after `k` actions, is when
/// action `k` began (the last moment is now).
pub fn moment_times(session: &Session) -> Vec<InGameTime> {
    let mut times: Vec<InGameTime> = session
        .journal()
        .iter()
        .filter_map(|e| match e {
            Entry::Took { at, .. } => Some(*at),
            _ => None,
        })
        .collect();
    times.push(session.now());
    times
}

/// The first moment at or after `t`.
pub fn moment_at(session: &Session, t: InGameTime) -> usize {
    let times = moment_times(session);
    times.iter().position(|m| *m >= t).unwrap_or(times.len() - 1)
}

/// Where the trainee and the experienced practitioner parted ways on one item.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The item.
    pub item: ItemRef,
    /// Its title.
    pub title: String,
    /// What the expert did, and when.
    pub expert: String,
    /// What the trainee did (or did not), and when.
    pub trainee: String,
    /// When the expert settled it.
    pub expert_at: Option<InGameTime>,
    /// Points the difference cost the trainee, in the mean of the three
    /// criteria (the ending's harm is shown on its own).
    pub cost: f64,
}

/// The experienced practitioner's session on the trainee's seed, from the
/// scenario's exemplary script.
pub fn expert_session(session: &Session, script: &str) -> Result<Session, String> {
    let steps = parse_script(script);
    play_script(session.scenario().clone(), session.seed(), "exemplary path", &steps, |_, _| {})
        .map_err(|e| e.to_string())
}

/// Each item the expert earned more of than the trainee, with what the
/// difference cost in overall points, biggest first. Where the same items
/// arose in both cases the costs add up to the difference in overall score.
pub fn divergences(trainee: &Session, expert: &Session) -> Vec<Divergence> {
    let t = Score::of(trainee.rules(), trainee.state(), Some(trainee.journal()));
    let e = Score::of(expert.rules(), expert.state(), Some(expert.journal()));
    let cal = &trainee.scenario().calendar;
    let mut out = Vec::new();
    for ((item, ti), (_, ei)) in items(&t).zip(items(&e)) {
        // An item that did not arise for the trainee never shows a cost: what
        // kept it from arising is scored where it happened.
        if !ei.applicable || !ti.applicable || ei.fraction <= ti.fraction {
            continue;
        }
        // What it cost: how much higher the trainee's overall score would be
        // had this item come out as the expert's did (an item that never arose
        // for the trainee counts as arising, with the expert's credit).
        let cost = t.before_harm_if(item.criterion, item.index, ei.fraction) - t.before_harm;
        // Each action with the moment it was taken, once.
        let did = |s: &Session, i: &ItemScore| {
            let mut actions: Vec<String> = i
                .evidence
                .iter()
                .filter_map(|n| {
                    let a = s.actions().get(*n)?;
                    let text = format!("\u{201c}{}\u{201d}", s.render(&s.scenario().action(*a).text));
                    Some(match action_time(s, *n) {
                        Some(t) => format!("{text} ({})", cal.describe(t)),
                        None => text,
                    })
                })
                .collect();
            let mut seen = std::collections::HashSet::new();
            actions.retain(|a| seen.insert(a.clone()));
            if actions.is_empty() {
                // Nothing done: the status says it ("never discovered", "missed").
                i.status.label().to_string()
            } else if i.fraction < 1.0 {
                format!("{} ({})", actions.join(", "), i.status.label())
            } else {
                actions.join(", ")
            }
        };
        out.push(Divergence {
            item,
            title: if ti.status == Status::NeverDiscovered { ei.title.clone() } else { ti.title.clone() },
            expert: did(expert, ei),
            trainee: did(trainee, ti),
            expert_at: ei.settled_at,
            cost,
        });
    }
    out.sort_by(|a, b| b.cost.total_cmp(&a.cost));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::example;

    #[test]
    fn the_manager_asks_about_what_is_open_and_knowable() {
        // At the start only the mother is known: the question is about her,
        // in the generic words (the example writes no question of its own).
        let s = Session::new(example::scenario(), 1);
        let q = supervision_question(&s);
        assert_eq!(q.about, Some(ItemRef { criterion: Criterion::Carers, index: 0 }));
        let mother = s.variation().name(crate::scenario::PersonIx(1)).to_string();
        assert_eq!(q.text, format!("What do we actually know about {mother}, and how do we know it?"));
        // Never about the partner, whom nobody knows of yet.
        assert!(!q.text.contains("Jo"));
        // The marks are known: the escalation threshold is reached and open.
        let s = Session::replay(example::scenario(), 1, &["call_nursery"]).unwrap();
        let q = supervision_question(&s);
        assert_eq!(q.about, Some(ItemRef { criterion: Criterion::Escalations, index: 0 }));
        assert!(q.text.contains("threshold"), "{}", q.text);
    }

    #[test]
    fn each_item_gets_one_card_when_it_settles() {
        let mut s = Session::new(example::scenario(), 1);
        let mut carded = Vec::new();
        let mut seen = Vec::new();
        for a in
            ["call_nursery", "visit", "ask", "ask_again", "look_hall", "meet_partner", "leave", "strategy", "close"]
        {
            s.take_id(a).unwrap();
            for c in new_cards(&s, &mut carded) {
                seen.push((a, c.item, c.status));
            }
        }
        assert!(seen.contains(&(
            "ask_again",
            ItemRef { criterion: Criterion::Inconsistencies, index: 0 },
            Status::FollowedUp
        )));
        assert!(seen.contains(&("strategy", ItemRef { criterion: Criterion::Escalations, index: 0 }, Status::OnTime)));
        let mut items: Vec<ItemRef> = seen.iter().map(|(_, i, _)| *i).collect();
        items.sort();
        items.dedup();
        assert_eq!(items.len(), seen.len(), "one card per item");
        assert_eq!(items.len(), 5, "every item of the example has its card by the end");
    }

    #[test]
    fn after_a_poor_case_what_was_knowable_and_never_acted_on_is_listed() {
        let s = Session::replay(example::scenario(), 1, &["call_nursery", "visit", "ask", "leave", "close"]).unwrap();
        let score = Score::of(s.rules(), s.state(), None);
        let waiting: Vec<&str> = waiting(&score).into_iter().map(|(_, i)| i.id.as_str()).collect();
        assert!(waiting.contains(&"fall_vs_grip"), "{waiting:?}");
        assert!(waiting.contains(&"strategy_in_time"), "{waiting:?}");
        // The partner was never heard of: not knowable, so not listed.
        assert!(!waiting.contains(&"partner"), "{waiting:?}");
    }

    #[test]
    fn divergences_give_each_action_its_own_time_and_never_cost_an_item_that_did_not_arise() {
        let expert = Session::replay(example::scenario(), 1, example::EXEMPLARY).unwrap();
        // The trainee never rang the nursery: no threshold, so the escalation
        // items did not arise for them and show no cost.
        let trainee =
            Session::replay(example::scenario(), 1, &["visit", "ask", "look_hall", "meet_partner", "leave", "close"])
                .unwrap();
        let d = divergences(&trainee, &expert);
        assert!(d.iter().all(|x| x.item.criterion != Criterion::Escalations), "{d:?}");
        let partner = d.iter().find(|x| x.item == ItemRef { criterion: Criterion::Carers, index: 1 }).unwrap();
        // Met at 17:00 on Friday (visit at 15:00 + ask + look + meet), not at the end of the case.
        let met = action_time(&trainee, 3).unwrap();
        assert!(partner.trainee.contains(&trainee.scenario().calendar.describe(met)), "{}", partner.trainee);
        assert!(partner.trainee.contains("some checks done"), "{}", partner.trainee);
    }
}
