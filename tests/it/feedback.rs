//! Feedback that teaches: practice-mode cards, supervision questions, "what
//! you knew when", and the group's choices, checked against the scoring and
//! against counts made here from the raw records.

use crate::records::random_record;
use crate::repo;
use crate::scripts::{all_scenarios, first_case, play};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use second_look::feedback::{
    Card, ItemRef, items, knew_when, moment_at, moment_times, new_cards, supervision_question,
};
use second_look::scenario::{PersonIx, Scenario};
use second_look::scoring::{Score, Status};
use second_look::sim::Session;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// The ids of a golden script's steps, in the version of the case a seed gives.
fn script_ids(name: &str, scenario: &Arc<Scenario>, seed: u64) -> Vec<String> {
    let text = std::fs::read_to_string(repo(&format!("tests/scripts/{name}"))).unwrap();
    let steps = second_look::record::parse_script(&text);
    second_look::record::steps_for(&steps, scenario, &second_look::sim::Variation::roll(scenario, seed))
}

/// The action ids of a random walk on a session seed to the end of the case (or 600 steps).
fn random_walk(scenario: &Arc<Scenario>, seed: u64, walk: u64) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(walk);
    let mut s = Session::new(scenario.clone(), seed);
    let mut ids = Vec::new();
    for _ in 0..600 {
        let options = s.available();
        if options.is_empty() {
            break;
        }
        let a = options[rng.random_range(0..options.len())];
        ids.push(scenario.action(a).id.clone());
        s.take(a).unwrap();
    }
    ids
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn card_text(c: &Card) -> String {
    format!("{}\n{}\n{}\n{}", c.title, c.notice, c.learning_point, c.review_finding)
}

/// Settled as the debrief would show it at this point.
fn is_settled(status: Status, over: bool) -> bool {
    match status {
        Status::Open => false,
        Status::DidNotArise => over,
        _ => true,
    }
}

/// What a card may not say at this moment: the words of every fact not in the
/// notebook (every version of it), and the name of every person the trainee
/// has not learned of.
fn check_card_reveals_nothing_new(s: &Session, card: &Card, score: &Score, context: &str) {
    let text = card_text(card);
    let known_facts: BTreeSet<_> = s.notebook().iter().map(|n| n.fact).collect();
    for (i, fact) in s.scenario().facts.iter().enumerate() {
        if known_facts.iter().any(|k| k.ix() == i) {
            continue;
        }
        for version in &fact.texts {
            let words_of_fact = s.render(version);
            assert!(!text.contains(&words_of_fact), "{context}: a card quotes unlearned fact `{}`:\n{text}", fact.id);
        }
    }
    let known_people: BTreeSet<PersonIx> = s.household().iter().map(|h| h.person).collect();
    let card_words = words(&text);
    for (i, _) in s.scenario().people.iter().enumerate() {
        let p = PersonIx(i as u16);
        if known_people.contains(&p) {
            continue;
        }
        let name = s.variation().name(p).to_lowercase();
        assert!(!card_words.contains(&name), "{context}: a card names {name}, whom the trainee has not met:\n{text}");
    }
    // A card's own words are about an item the trainee could already know of;
    // an item they never found gets a card in general words only.
    let item = items(score).find(|(r, _)| *r == card.item).map(|(_, i)| i).unwrap();
    match item.status {
        Status::NeverSurfaced | Status::NeverDiscovered => {
            assert_ne!(card.title, item.title, "{context}: the card names an item never found");
            assert_ne!(card.learning_point, item.learning_point, "{context}");
            assert_ne!(card.review_finding, item.review_finding, "{context}");
        }
        Status::DidNotArise => {}
        // A threshold there to be found and never reached: general words only.
        Status::Missed | Status::NotDue if item.knowable_at.is_none() => {
            assert_ne!(card.title, item.title, "{context}: the card names a threshold never reached");
            assert_ne!(card.learning_point, item.learning_point, "{context}");
        }
        _ => assert!(item.knowable_at.is_some(), "{context}: a card about `{}`, which was not knowable", item.title),
    }
}

/// Plays `ids` in practice mode and checks every card: one per item, after
/// the choice that settled it, revealing nothing not yet learned. Returns the
/// cards with the number of the action they followed.
fn walk_cards(scenario: &Arc<Scenario>, seed: u64, ids: &[String], context: &str) -> Vec<(usize, Card)> {
    let mut s = Session::new(scenario.clone(), seed);
    let mut carded = Vec::new();
    let mut cards = Vec::new();
    let mut before = Score::of(s.rules(), s.state(), None);
    for (n, id) in ids.iter().enumerate() {
        if s.is_over() {
            break;
        }
        s.take_id(id).unwrap_or_else(|e| panic!("{context}: action {n} `{id}`: {e}"));
        let after = Score::of(s.rules(), s.state(), None);
        let new = new_cards(&s, &mut carded);
        let over = s.is_over();
        // Exactly the items that became settled with this choice get a card now.
        let became: BTreeSet<ItemRef> = items(&before)
            .zip(items(&after))
            .filter(|((_, b), (_, a))| !is_settled(b.status, false) && is_settled(a.status, over))
            .map(|((r, _), _)| r)
            .collect();
        let carded_now: BTreeSet<ItemRef> = new.iter().map(|c| c.item).collect();
        assert_eq!(carded_now, became, "{context}: after action {n} `{id}`");
        for card in new {
            let status = items(&after).find(|(r, _)| *r == card.item).map(|(_, i)| i.status).unwrap();
            assert_eq!(card.status, status, "{context}");
            check_card_reveals_nothing_new(&s, &card, &after, &format!("{context}, action {n} `{id}`"));
            cards.push((n, card));
        }
        before = after;
    }
    let total = items(&before).count();
    if s.is_over() {
        let mut seen: Vec<ItemRef> = cards.iter().map(|(_, c)| c.item).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), cards.len(), "{context}: an item had two cards");
        assert_eq!(cards.len(), total, "{context}: every item has its card by the end");
    }
    cards
}

#[test]
fn practice_mode_gives_each_item_one_card_after_the_choice_that_settles_it_and_reveals_nothing_unlearned() {
    let s = first_case();
    let total = items(&Score::of(Session::new(s.clone(), 1).rules(), Session::new(s.clone(), 1).state(), None)).count();
    for seed in 1..=3 {
        let exemplary = script_ids("marks-explained-away.exemplary.txt", &s, seed);
        let credulous = script_ids("marks-explained-away.credulous.txt", &s, seed);
        let cards = walk_cards(&s, seed, &exemplary, &format!("exemplary, seed {seed}"));
        assert_eq!(cards.len(), total);
        // The experienced practitioner's cards come during the case, not all at the end.
        let during = cards.iter().filter(|(n, _)| *n + 1 < exemplary.len()).count();
        assert!(during >= total / 2, "exemplary: only {during} of {total} cards came before the last action");
        let cards = walk_cards(&s, seed, &credulous, &format!("credulous, seed {seed}"));
        assert_eq!(cards.len(), total);
        assert!(
            cards.iter().any(|(_, c)| c.status == Status::NeverDiscovered),
            "the credulous path never finds an adult, and is told so in general words"
        );
    }
    for seed in 0..25 {
        let ids = random_walk(&s, seed, 1000 + seed);
        walk_cards(&s, seed, &ids, &format!("random walk {seed}"));
    }
}

#[test]
fn the_manager_asks_about_an_item_that_is_open_and_knowable_then() {
    for (id, scenario) in all_scenarios() {
        let Some(sup) = scenario.supervision else { panic!("{id}: supervision is on by default") };
        for script in ["exemplary", "credulous"] {
            let ids = script_ids(&format!("{id}.{script}.txt"), &scenario, 2);
            let mut s = Session::new(scenario.clone(), 2);
            let mut asked_about_something = 0;
            for (n, step) in ids.iter().enumerate() {
                if n % 4 == 0 {
                    let context = format!("{id} {script}, before action {n}");
                    let q = supervision_question(&s);
                    assert!(q.text.ends_with('?'), "{context}: a question, not an answer: {}", q.text);
                    let score = Score::of(s.rules(), s.state(), None);
                    let open: Vec<ItemRef> = items(&score)
                        .filter(|(_, i)| i.status == Status::Open && i.knowable_at.is_some())
                        .map(|(r, _)| r)
                        .collect();
                    match q.about {
                        Some(item) => {
                            assert!(open.contains(&item), "{context}: asked about {item:?}, open: {open:?}");
                            asked_about_something += 1;
                        }
                        None => assert!(open.is_empty(), "{context}: a generic question while {open:?} were open"),
                    }
                    // The words name nobody the trainee has not learned of.
                    let known: BTreeSet<PersonIx> = s.household().iter().map(|h| h.person).collect();
                    for (i, _) in scenario.people.iter().enumerate() {
                        let p = PersonIx(i as u16);
                        let name = s.variation().name(p).to_lowercase();
                        assert!(
                            known.contains(&p) || !words(&q.text).contains(&name),
                            "{context}: the question names {name}: {}",
                            q.text
                        );
                    }
                    // Where the author wrote a question for the item, it is asked.
                    if let Some(item) = q.about {
                        let authored = match item.criterion {
                            second_look::scoring::Criterion::Inconsistencies => {
                                &scenario.rubric.inconsistencies[item.index].supervision_question
                            }
                            second_look::scoring::Criterion::Carers => {
                                &scenario.rubric.carers[item.index].supervision_question
                            }
                            second_look::scoring::Criterion::Escalations => {
                                &scenario.rubric.escalations[item.index].supervision_question
                            }
                        };
                        if let Some(a) = authored {
                            assert_eq!(q.text, s.render(a), "{context}");
                        }
                    }
                }
                if s.is_over() {
                    break;
                }
                s.take_id(step).unwrap();
            }
            assert!(
                asked_about_something >= 2,
                "{id} {script}: the manager asked about an item only {asked_about_something} times"
            );
        }
        // Supervision takes in-game time, is offered only in working hours,
        // and is on the record.
        // (A benign version can close within working hours: try each seed.)
        let cal = &scenario.calendar;
        let mut outside_hours_seen = false;
        for seed in 1..=6 {
            let mut s = Session::new(scenario.clone(), seed);
            for step in script_ids(&format!("{id}.exemplary.txt"), &scenario, seed) {
                if s.is_over() {
                    break;
                }
                if !cal.is_working_hours(s.now()) {
                    assert!(s.take(sup).is_err(), "{id}: supervision offered at {}", cal.describe(s.now()));
                    outside_hours_seen = true;
                }
                s.take_id(&step).unwrap();
            }
        }
        assert!(outside_hours_seen, "{id}: the exemplary path never leaves working hours");
        let mut s = Session::new(scenario.clone(), 2);
        let start = s.now();
        assert!(cal.is_working_hours(start), "{id}");
        s.take(sup).unwrap();
        assert!(s.now() > start, "{id}: supervision takes time");
        assert_eq!(s.actions().last(), Some(&sup));
    }
}

#[test]
fn supervision_counts_as_management_oversight_where_the_rubric_says_so() {
    // In the first case the referral decision is counted by manager
    // oversight: talking it through with the manager on day 1 meets it.
    let s = first_case();
    let mut session = Session::replay(s.clone(), 1, &["read_referral"]).unwrap();
    let before = Score::of(session.rules(), session.state(), None);
    let decision = items(&before).find(|(_, i)| i.id == "referral_decision").unwrap();
    assert_eq!(decision.1.status, Status::Open);
    let then = session.now();
    session.take_id("supervision").unwrap();
    assert_eq!(session.now().minutes_since(then), 30, "the first case leaves the default cost");
    let after = Score::of(session.rules(), session.state(), None);
    let decision = items(&after).find(|(r, _)| *r == decision.0).unwrap();
    assert_eq!(decision.1.status, Status::OnTime);
    // And it shows in the debrief's supervision log with the question asked.
    let log = second_look::feedback::supervision_log(&session);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].2, supervision_question(&Session::replay(s, 1, &["read_referral"]).unwrap()));
}

/// What the trainee could see at a moment.
#[derive(Debug, PartialEq)]
struct Seen {
    now: second_look::clock::InGameTime,
    scene: String,
    notebook: Vec<second_look::sim::NotebookEntry>,
    household: Vec<second_look::sim::HouseholdEntry>,
    inbox: Vec<second_look::sim::InboxEntry>,
    score: Score,
}

fn seen(s: &Session) -> Seen {
    Seen {
        now: s.now(),
        scene: s.scene().id.clone(),
        notebook: s.notebook(),
        household: s.household(),
        inbox: s.inbox(),
        score: Score::of(s.rules(), s.state(), None),
    }
}

#[test]
fn what_you_knew_when_is_what_the_trainee_saw_at_that_moment() {
    let scenario = first_case();
    let walks = [
        ("exemplary", script_ids("marks-explained-away.exemplary.txt", &scenario, 5)),
        ("credulous", script_ids("marks-explained-away.credulous.txt", &scenario, 5)),
        ("random", random_walk(&scenario, 5, 77)),
    ];
    for (name, ids) in walks {
        // Play forward once, keeping what was on screen before each action.
        let mut live = Session::new(scenario.clone(), 5);
        let mut on_screen = vec![seen(&live)];
        for id in &ids {
            if live.is_over() {
                break;
            }
            live.take_id(id).unwrap();
            on_screen.push(seen(&live));
        }
        let times = moment_times(&live);
        assert_eq!(times.len(), on_screen.len());
        for (k, then) in on_screen.iter().enumerate() {
            let replayed = knew_when(&live, k).unwrap();
            assert_eq!(seen(&replayed), *then, "{name}: moment {k}");
        }
        // Picking a time on the timeline shows the first moment at or after it.
        let (first, last) = (times[0].0, times[times.len() - 1].0);
        for step in 0..=40 {
            let t = second_look::clock::InGameTime(first + (last - first) * step / 40);
            let k = moment_at(&live, t);
            assert!(times[k] >= t, "{name}: {t:?}");
            assert!(k == 0 || times[k - 1] < t, "{name}: an earlier moment was already at {t:?}");
            assert_eq!(seen(&knew_when(&live, k).unwrap()), on_screen[k], "{name}: at {t:?}");
        }
        // Every settled score item links to a moment no later than it was
        // settled, and by then it was knowable or being settled.
        let score = Score::of(live.rules(), live.state(), Some(live.journal()));
        for (_, item) in items(&score) {
            if let Some(t) = item.settled_at {
                let k = moment_at(&live, t);
                assert!(times[k] >= t, "{name}: {}", item.title);
            }
        }
    }
}

/// One record's first time for each action id, read straight from the JSON lines.
fn first_times(path: &Path) -> BTreeMap<String, u64> {
    let mut first = BTreeMap::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["type"] == "action" {
            let id = v["action"].as_str().unwrap().to_string();
            first.entry(id).or_insert(v["game_minutes"].as_u64().unwrap());
        }
    }
    first
}

fn cohort(dir: &Path, out: &Path) -> (Vec<csv::StringRecord>, String) {
    let run = crate::bin().args(["cohort", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let csv_path = out.join("cohort-marks-explained-away-choices.csv");
    let rows = csv::Reader::from_path(&csv_path).unwrap().records().map(Result::unwrap).collect();
    let html = std::fs::read_to_string(out.join("cohort-marks-explained-away-choices.html")).unwrap();
    (rows, html)
}

#[test]
fn the_groups_choices_for_30_trainees_match_counts_made_from_the_raw_records() {
    let scenario = first_case();
    let dir = crate::temp("group");
    let out = crate::temp("group-out");
    let mut paths = Vec::new();
    for trainee in 0..30u64 {
        let (_, path) = random_record(scenario.clone(), 300 + trainee, &dir, &format!("trainee-{trainee}"));
        paths.push(path);
    }
    // Two of them follow the golden scripts, so the common path has counts too.
    for (k, script) in ["marks-explained-away.exemplary.txt", "marks-explained-away.credulous.txt"].iter().enumerate() {
        let s = play(scenario.clone(), script, 40 + k as u64);
        let text = second_look::record::record_text(
            &s,
            second_look::record::Mode::Practice,
            "",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        let path = dir.join(format!("golden-{k}.jsonl"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let firsts: Vec<BTreeMap<String, u64>> = paths.iter().map(|p| first_times(p)).collect();
    let (rows, html) = cohort(&dir, &out);
    let mut checked = 0;
    let mut decision_points = BTreeSet::new();
    for scene in &scenario.scenes {
        if scene.choices.len() < 2 {
            continue;
        }
        decision_points.insert(scene.id.clone());
        let ids: Vec<&str> = scene.choices.iter().map(|a| scenario.action(*a).id.as_str()).collect();
        let reached = firsts.iter().filter(|f| ids.iter().any(|id| f.contains_key(*id))).count();
        for id in &ids {
            let mut times: Vec<u64> = firsts.iter().filter_map(|f| f.get(*id).copied()).collect();
            times.sort_unstable();
            let row = rows
                .iter()
                .find(|r| &r[1] == scene.id.as_str() && &r[3] == *id)
                .unwrap_or_else(|| panic!("no row for {} / {id}", scene.id));
            assert_eq!(row[5].parse::<usize>().unwrap(), reached, "{} / {id}: sessions reaching", scene.id);
            assert_eq!(row[6].parse::<usize>().unwrap(), times.len(), "{} / {id}: sessions taking it", scene.id);
            // The median first time: the later middle value.
            let median = times
                .get(times.len() / 2)
                .map(|m| scenario.calendar.describe(second_look::clock::InGameTime(*m as u32)));
            assert_eq!(row[8], median.unwrap_or_default(), "{} / {id}", scene.id);
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} choices compared");
    assert_eq!(rows.iter().map(|r| r[1].to_string()).collect::<BTreeSet<_>>(), decision_points);
    assert!(html.contains("32 sessions") && html.contains("class=\"bar\""), "the page draws the group's choices");
    assert!(!html.contains("trainee-"), "the page is pseudonymous");

    // Four trainees: the choices are listed with no counts.
    let small = crate::temp("small");
    for p in paths.iter().take(4) {
        std::fs::copy(p, small.join(p.file_name().unwrap())).unwrap();
    }
    let small_out = crate::temp("small-out");
    let (rows, html) = cohort(&small, &small_out);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[5].is_empty() && r[6].is_empty() && r[7].is_empty() && r[8].is_empty()));
    assert!(html.contains("Fewer than 5 sessions"), "{html}");
    assert!(!html.contains("class=\"bar\"><div"), "no bars for a group of four");
    for d in [dir, out, small, small_out] {
        std::fs::remove_dir_all(d).ok();
    }
}

#[test]
fn the_expert_path_shows_where_the_two_parted_and_what_it_cost() {
    let mut exact = 0;
    for (id, scenario) in all_scenarios() {
        let trainee = play(scenario.clone(), &format!("{id}.credulous.txt"), 3);
        let script = std::fs::read_to_string(repo(&format!("tests/scripts/{id}.exemplary.txt"))).unwrap();
        let expert = second_look::feedback::expert_session(&trainee, &script).unwrap();
        assert_eq!(expert.seed(), trainee.seed(), "{id}: the same names and versions");
        let t = Score::of(trainee.rules(), trainee.state(), Some(trainee.journal()));
        let e = Score::of(expert.rules(), expert.state(), Some(expert.journal()));
        let parted = second_look::feedback::divergences(&trainee, &expert);
        assert!(!parted.is_empty(), "{id}");
        assert!(parted.windows(2).all(|w| w[0].cost >= w[1].cost), "{id}: biggest cost first");
        assert!(parted.iter().all(|d| d.cost >= 0.0 && !d.expert.is_empty() && !d.trainee.is_empty()), "{id}");
        let cost: f64 = parted.iter().map(|d| d.cost).sum();
        println!("{id}: expert {:.1}, trainee {:.1}, divergences cost {cost:.1}", e.overall, t.overall);
        assert!(cost > 0.0 && cost <= 100.0 + 1e-9, "{id}: {cost}");
        exact += costs_add_up(&trainee, &expert, &id) as usize;
        // Random trainees: wherever the same items arose as for the expert,
        // the costs account for the whole difference.
        for walk in 0..60 {
            let ids = random_walk(&scenario, 3, 500 + walk);
            let trainee = Session::replay(scenario.clone(), 3, &ids).unwrap();
            exact += costs_add_up(&trainee, &expert, &format!("{id}, walk {walk}")) as usize;
        }
        // The experienced practitioner against themself: nothing parts.
        assert!(second_look::feedback::divergences(&expert, &expert).is_empty());
    }
    assert!(exact >= 3, "only {exact} sessions compared exactly");
}

/// Where the same items arose for trainee and expert, with no penalties and
/// the trainee ahead nowhere, the costs of the divergences add up to the
/// difference in overall score. Returns whether the comparison applied.
fn costs_add_up(trainee: &Session, expert: &Session, context: &str) -> bool {
    let t = Score::of(trainee.rules(), trainee.state(), None);
    let e = Score::of(expert.rules(), expert.state(), None);
    let same_items = items(&t).zip(items(&e)).all(|((_, a), (_, b))| a.applicable == b.applicable);
    let ahead_nowhere = items(&t).zip(items(&e)).all(|((_, a), (_, b))| a.fraction <= b.fraction);
    let no_penalties = t.criteria.iter().chain(&e.criteria).all(|c| c.penalties.is_empty());
    if !(same_items && ahead_nowhere && no_penalties) {
        return false;
    }
    // The costs are in the mean of the criteria; the ending's harm is shown on its own.
    let cost: f64 = second_look::feedback::divergences(trainee, expert).iter().map(|d| d.cost).sum();
    assert!(
        (cost - (e.before_harm - t.before_harm)).abs() < 0.01,
        "{context}: the costs ({cost:.2}) account for the difference ({:.2} - {:.2})",
        e.before_harm,
        t.before_harm
    );
    true
}

/// Every line the case screen shows about people: the household panel, who
/// is present, where notebook facts came from, and the chronology.
fn people_lines(s: &Session) -> Vec<String> {
    let mut lines: Vec<String> = s.household().into_iter().filter_map(|h| h.description).collect();
    lines.extend(s.present_labels());
    lines.extend(s.notebook().into_iter().map(|n| n.source));
    lines.extend(s.journal().iter().filter_map(|e| s.describe(e)));
    lines
}

#[test]
fn nobody_is_described_before_a_check_confirms_who_they_are() {
    // A partner the mother calls "a friend" must not appear in the household
    // as "her partner, living in the house" before anyone has met or checked
    // him: that would answer the question the trainee is meant to ask.
    let mut unconfirmed_seen = 0;
    let mut confirmed_seen = 0;
    for (name, scenario) in all_scenarios() {
        let hidden: Vec<PersonIx> = (0..scenario.people.len())
            .map(|i| PersonIx(i as u16))
            .filter(|p| !scenario.person(*p).known_at_start && !scenario.person(*p).description.is_empty())
            .collect();
        let mut walks: Vec<Vec<String>> = vec![
            script_ids(&format!("{name}.exemplary.txt"), &scenario, 5),
            script_ids(&format!("{name}.credulous.txt"), &scenario, 5),
        ];
        walks.extend((0..4).map(|w| random_walk(&scenario, 5, w)));
        for ids in walks {
            let mut s = Session::new(scenario.clone(), 5);
            for id in &ids {
                s.take_id(id).unwrap();
                let r = s.rules();
                for &p in &hidden {
                    let Some(entry) = s.household().into_iter().find(|h| h.person == p) else { continue };
                    let checked = (0..scenario.checks.len())
                        .any(|c| s.state().check_at(r, p, second_look::scenario::CheckIx(c as u16)).is_some());
                    let full = s.render(&scenario.person(p).description);
                    let carer = scenario.rubric.carers.iter().find(|c| c.person == p);
                    if checked {
                        confirmed_seen += 1;
                        assert_eq!(entry.description.as_deref(), Some(full.as_str()), "{name}: {}", entry.name);
                        assert_eq!(entry.age, scenario.person(p).age, "{name}: {}", entry.name);
                        assert_eq!(entry.checks.len(), carer.map_or(0, |c| c.checks.len()), "{name}: {}", entry.name);
                    } else {
                        unconfirmed_seen += 1;
                        assert_eq!(entry.description.as_deref(), Some(second_look::sim::NOT_YET_CONFIRMED));
                        // Neither the age nor a check list that would mark them as a carer.
                        assert_eq!((entry.age, entry.checks.len()), (None, 0), "{name}: {}", entry.name);
                        for line in people_lines(&s) {
                            assert!(
                                !line.contains(&full),
                                "{name}, after {id}: {line:?} describes {} before any check",
                                entry.name
                            );
                        }
                    }
                }
            }
        }
    }
    // Both sides of the rule were exercised.
    assert!(
        unconfirmed_seen > 100 && confirmed_seen > 100,
        "{unconfirmed_seen} unconfirmed, {confirmed_seen} confirmed"
    );
}

#[test]
fn cards_in_the_same_words_are_read_once_together_and_no_others_are_merged() {
    // The credulous trainee ends the first case with several items they never
    // found; their cards say the same general words and are shown as one.
    let scenario = first_case();
    let mut s = Session::new(scenario.clone(), 1);
    let mut carded = Vec::new();
    let mut queue: Vec<Card> = Vec::new();
    for id in script_ids("marks-explained-away.credulous.txt", &scenario, 1) {
        if s.is_over() {
            break;
        }
        s.take_id(&id).unwrap();
        queue.extend(new_cards(&s, &mut carded));
    }
    assert!(s.is_over());
    let total = queue.len();
    let mut groups = Vec::new();
    while !queue.is_empty() {
        let n = second_look::feedback::leading_alike(&queue);
        assert!(n >= 1);
        let group: Vec<Card> = queue.drain(..n).collect();
        assert!(group.iter().all(|c| card_text(c) == card_text(&group[0])), "a group mixes different words");
        if let Some(next) = queue.first() {
            assert_ne!(card_text(next), card_text(&group[0]), "a card like the group was left behind");
        }
        groups.push(group);
    }
    assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), total, "every card is still read");
    let largest = groups.iter().map(Vec::len).max().unwrap();
    assert!(largest >= 2, "the credulous path ends with general cards in the same words: {groups:?}");
    println!("credulous first case: {total} cards read as {} ({largest} at most together)", groups.len());
}
