//! Author mode without a window: a real scenario file on disk, saved the ways
//! editors save, followed by the game with the author's place kept.

use crate::{example, example_with};
use bevy::input::InputPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use second_look::author::StartIds;
use second_look::game::author::{AuthorIntent, AuthorPlugin, Authoring, CoverageRun, EndingsWalk, LastSave};
use second_look::game::{ActiveCase, Catalogue, GamePlugin, Screen};
use second_look::scenario::load_str;
use second_look::sim::Session;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("second-look-author-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The game in author mode on `file`, played to `actions` on seed 4.
fn author_app(file: &Path, actions: &[&str]) -> App {
    let text = std::fs::read_to_string(file).unwrap();
    let scenario = Arc::new(load_str("example.ron", &text).unwrap().0);
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, InputPlugin, GamePlugin, AuthorPlugin));
    app.add_message::<bevy::window::RequestRedraw>();
    app.insert_resource(Catalogue::of(vec![scenario.clone()]));
    app.insert_resource(ActiveCase::new(Session::replay(scenario.clone(), 4, actions).unwrap()));
    app.insert_resource(Authoring::new(file.to_path_buf(), scenario, 4, &[]));
    app.insert_state(Screen::Case);
    app.update();
    app
}

fn authoring(app: &App) -> &Authoring {
    app.world().resource::<Authoring>()
}

fn session(app: &App) -> &Session {
    &app.world().resource::<ActiveCase>().session
}

/// Runs the app until the watcher has handed over `saves` saves (at most 10 s).
fn until_saves(app: &mut App, saves: u64) {
    let start = Instant::now();
    while authoring(app).saves < saves {
        assert!(start.elapsed() < Duration::from_secs(10), "save {saves} was not seen within 10 s");
        std::thread::sleep(Duration::from_millis(5));
        app.update();
    }
}

/// Saves the way many editors do: a new file renamed over the old one.
fn save_by_rename(file: &Path, text: &str) {
    let tmp = file.with_extension("ron.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn each_save_plays_the_same_actions_again_and_a_broken_save_leaves_the_last_good_version_running() {
    let dir = folder("saves");
    let file = dir.join("example.ron");
    std::fs::write(&file, example()).unwrap();
    let mut app = author_app(&file, &["call_nursery", "visit", "ask"]);
    let before = session(&app).now();

    // 1. An edit to the words, written in place: the same moment, changed.
    std::fs::write(&file, example_with("is playing on the floor", "is asleep on the sofa")).unwrap();
    until_saves(&mut app, 1);
    let s = session(&app);
    assert_eq!(s.action_ids(), vec!["call_nursery", "visit", "ask"]);
    assert_eq!((s.scene().id.as_str(), s.now()), ("home", before));
    assert!(s.render(&s.scene().text).contains("asleep on the sofa"));
    assert!(matches!(authoring(&app).last, LastSave::Replayed { stopped: None, actions: 3, .. }));

    // 2. A broken save (renamed over the file): the problem with its line and
    // column, and the last good version still running.
    let broken = example_with("is playing on the floor", "is asleep on the sofa\"");
    save_by_rename(&file, &broken);
    until_saves(&mut app, 2);
    let LastSave::Broken { problems } = &authoring(&app).last else {
        panic!("the save has errors: {:?}", authoring(&app).last)
    };
    let first = &problems[0];
    assert!(first.error);
    assert!(first.place.starts_with(&file.display().to_string()), "{}", first.place);
    let mut parts = first.place.rsplit(':');
    let column: usize = parts.next().unwrap().parse().unwrap();
    let line: usize = parts.next().unwrap().parse().unwrap();
    assert!(line > 0 && column > 0, "a line and a column: {}", first.place);
    assert!(first.hint.is_some(), "with a hint");
    let s = session(&app);
    assert!(s.render(&s.scene().text).contains("asleep on the sofa"), "the last good version runs on");
    assert_eq!(s.actions().len(), 3);
    let bar = app.world().resource::<ActiveCase>().save_problem.clone().unwrap_or_default();
    assert!(bar.contains("has errors"), "the bar along the top says so whatever tab is open: {bar}");

    // 3. An edit that takes away an earlier action: the last moment that
    // applies, and which action stopped it and why.
    let text = example_with(
        r#"(id: "ask", text: "Ask {mother} what happened", cost: Minutes(15)"#,
        r#"(id: "ask", text: "Ask {mother} what happened", when: Knows("coat"), cost: Minutes(15)"#,
    );
    save_by_rename(&file, &text);
    until_saves(&mut app, 3);
    let LastSave::Replayed { stopped: Some(stopped), actions, .. } = &authoring(&app).last else {
        panic!("the third action no longer applies: {:?}", authoring(&app).last)
    };
    assert_eq!((stopped.number, stopped.id.as_str(), *actions), (3, "ask", 2));
    assert!(stopped.why.contains(r#"Knows("coat")"#), "{}", stopped.why);
    assert_eq!(session(&app).scene().id, "home", "stopped at the visit, before asking");
    let bar = app.world().resource::<ActiveCase>().save_problem.clone().unwrap_or_default();
    assert!(!bar.contains("has errors"), "{bar}");

    // 4. Nothing is read while nothing is saved.
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(10));
        app.update();
    }
    assert_eq!(authoring(&app).saves, 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_authors_view_walks_the_endings_from_here_and_plays_from_a_chosen_scene() {
    let dir = folder("from-here");
    let file = dir.join("example.ron");
    std::fs::write(&file, example()).unwrap();
    let mut app = author_app(&file, &["call_nursery", "strategy"]);
    let start = Instant::now();
    while app.world().resource::<EndingsWalk>().found.is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "the walk from here did not finish");
        std::thread::sleep(Duration::from_millis(5));
        app.update();
    }
    let found = app.world().resource::<EndingsWalk>().found.clone().unwrap();
    let reachable: Vec<&str> = found.endings.iter().filter(|(_, r)| r.is_some()).map(|(id, _)| id.as_str()).collect();
    assert!(found.complete);
    assert_eq!(reachable, vec!["safe", "safe_for_now"], "a plan in place closes off both harmed endings");

    app.world_mut().write_message(AuthorIntent::PlayFrom(StartIds {
        scene: "home".into(),
        facts: vec!["grip".into()],
        flags: Vec::new(),
    }));
    app.update();
    let s = session(&app);
    assert_eq!(s.scene().id, "home");
    assert!(s.actions().is_empty());
    let ask_again = s.scenario().action_id("ask_again").unwrap();
    assert!(s.offers(ask_again), "the chosen fact opens what depends on it");
    let seen = app.world().resource::<EndingsWalk>().seen.clone().expect("the state behind the moment, looked at once");
    assert_eq!(seen.scene, "home", "in the same frame as the new start");
    assert!(seen.facts.iter().any(|(id, _)| id == "grip"));

    // The starting point is kept across a save.
    app.world_mut().resource_mut::<ActiveCase>().session.take(ask_again).unwrap();
    std::fs::write(&file, example_with("is playing on the floor", "is reading a book")).unwrap();
    until_saves(&mut app, 1);
    let s = session(&app);
    assert_eq!((s.scene().id.as_str(), s.action_ids()), ("home", vec!["ask_again".to_string()]));
    assert!(s.started_at().is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coverage_in_the_authors_view_follows_each_save_when_asked_to() {
    let dir = folder("coverage");
    let file = dir.join("example.ron");
    std::fs::write(&file, example()).unwrap();
    let mut app = author_app(&file, &["call_nursery"]);
    let coverage_for = |app: &App| app.world().resource::<CoverageRun>().result.as_ref().map(|(v, c)| (*v, c.clone()));
    assert!(coverage_for(&app).is_none(), "nothing is worked out until asked");
    app.world_mut().write_message(AuthorIntent::CoverageOnSave(true));
    let until_version = |app: &mut App, version: u64| {
        let start = Instant::now();
        while coverage_for(app).is_none_or(|(v, _)| v != version) {
            assert!(start.elapsed() < Duration::from_secs(60), "coverage for version {version} did not arrive");
            std::thread::sleep(Duration::from_millis(5));
            app.update();
        }
        coverage_for(app).unwrap().1
    };
    let first = until_version(&mut app, 1);
    assert_eq!(first.coverage.endings.total, 4);
    assert!(first.coverage.endings.unreachable.is_empty(), "{:?}", first.coverage.endings.unreachable);
    assert!(first.coverage.range.is_some());

    // A new ending that no path leads to (the validator cannot tell: only
    // the search can) shows up as never reached after the save.
    let text = example_with(
        r#"(id: "closed", outcome: Harmed"#,
        r#"(id: "never", outcome: Unresolved, title: "Never", text: "Never.", when: All([Flag("hurt"), Flag("safe")])),
        (id: "closed", outcome: Harmed"#,
    );
    std::fs::write(&file, text).unwrap();
    until_saves(&mut app, 1);
    assert!(matches!(authoring(&app).last, LastSave::Replayed { .. }), "{:?}", authoring(&app).last);
    let second = until_version(&mut app, 2);
    assert_eq!(second.coverage.endings.total, 5);
    assert_eq!(second.coverage.endings.unreachable, vec!["never".to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn endings_of_the_other_version_of_a_case_are_named_as_such_not_as_not_found() {
    let text = std::fs::read_to_string(crate::repo("scenarios/marks-explained-away.ron")).unwrap();
    let s = Arc::new(load_str("marks.ron", &text).unwrap().0);
    let story = s.switches.iter().position(|w| w.id == "story").unwrap();
    for seed in 1..=4 {
        let session = Session::new(s.clone(), seed);
        let drawn = &s.switches[story].options
            [session.variation().switch(second_look::scenario::SwitchIx(story as u16)) as usize];
        let found = second_look::explore::from_here::endings_from_here(&session, 2_000);
        for ((id, _), other) in found.endings.iter().zip(&found.other_version) {
            if id.starts_with("benign_") {
                assert_eq!(*other, drawn != "benign", "seed {seed} ({drawn}): `{id}`");
            }
        }
        assert!(found.other_version.iter().any(|o| !o), "some endings belong to this version");
    }
}

#[test]
fn a_save_after_leaving_the_case_opens_the_case_being_written_afresh() {
    let dir = folder("left");
    let file = dir.join("example.ron");
    std::fs::write(&file, example()).unwrap();
    let mut app = author_app(&file, &["call_nursery", "visit"]);
    app.world_mut().write_message(second_look::game::Intent::Start);
    app.update();
    app.update();
    assert!(app.world().get_resource::<ActiveCase>().is_none(), "the author left the case");
    std::fs::write(&file, example_with("is playing on the floor", "is drawing at the table")).unwrap();
    until_saves(&mut app, 1);
    app.update();
    let s = session(&app);
    assert!(s.actions().is_empty(), "a fresh start, on the author's seed");
    assert_eq!(s.seed(), 4);
    assert_eq!(*app.world().resource::<State<Screen>>().get(), Screen::Case);
    assert!(Arc::ptr_eq(s.scenario(), &authoring(&app).running), "the new version is the one on screen");
    let _ = std::fs::remove_dir_all(&dir);
}
