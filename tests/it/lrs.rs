//! A real learning record store: Ralph on loopback (filesystem backend,
//! started by `tests/lrs/ralph_append.py`). The tests send, re-send, resume,
//! go offline part-way and read the statements back.
//!
//! `.ci/run` installs Ralph and sets `SECOND_LOOK_REQUIRE_LRS=1`, so there a
//! missing LRS fails the test; elsewhere, without Ralph, it says it did not run.

use crate::repo;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A Ralph LRS on a free loopback port, stopped when dropped.
struct Ralph {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

const USER: &str = "second-look-test";
const PASSWORD: &str = "not-a-real-secret";

impl Ralph {
    /// Starts Ralph, or says why it cannot (Ralph not installed).
    fn start(dir: &Path) -> Result<Ralph, String> {
        let auth = dir.join("auth.json");
        if !auth.exists() {
            // Ralph's own command line, through the same python3 that runs the server.
            let made = Command::new("python3")
                .args(["-c", "from ralph.cli import cli; cli()", "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-w"])
                .args(["-A", USER, "https://w3id.org/second-look/tests"])
                .env("RALPH_AUTH_FILE", &auth)
                .env("RALPH_RUNSERVER_BACKEND", "fs")
                .env("RALPH_APP_DIR", dir.join("app"))
                .output()
                .map_err(|e| format!("python3 is not installed ({e})"))?;
            if !made.status.success() {
                return Err(format!(
                    "Ralph is not installed (pip install \"ralph-malph[cli,lrs]\"), or `ralph auth` failed: {}",
                    crate::text(&made.stderr).lines().last().unwrap_or_default()
                ));
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?.local_addr().unwrap().port();
        let mut ralph = Ralph { child: None, port, dir: dir.to_path_buf() };
        ralph.restart()?;
        Ok(ralph)
    }

    /// Ralph, or `None` (and a line saying the test did not run) where it is
    /// not installed; with `SECOND_LOOK_REQUIRE_LRS` set (as in CI), a panic.
    fn start_or_skip(dir: &Path) -> Option<Ralph> {
        match Ralph::start(dir) {
            Ok(r) => Some(r),
            Err(why) if std::env::var_os("SECOND_LOOK_REQUIRE_LRS").is_none() => {
                eprintln!("NOT RUN: no LRS to test against: {why}");
                None
            }
            Err(why) => panic!("SECOND_LOOK_REQUIRE_LRS is set but there is no LRS: {why}"),
        }
    }

    fn restart(&mut self) -> Result<(), String> {
        let child = Command::new("python3")
            .arg(repo("tests/lrs/ralph_append.py"))
            .arg(self.port.to_string())
            .arg(self.dir.join("lrs-data"))
            .arg(self.dir.join("auth.json"))
            .env("RALPH_APP_DIR", self.dir.join("app"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Ralph: {e}"))?;
        self.child = Some(child);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err("Ralph did not start listening within a minute".into())
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// Every statement the LRS holds, following its `more` links.
    fn statements(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut url = format!("http://127.0.0.1:{}/xAPI/statements?limit=100", self.port);
        for _ in 0..1000 {
            let got = Command::new("curl")
                .args(["-s", "-u", &format!("{USER}:{PASSWORD}"), "-H", "X-Experience-API-Version: 1.0.3", &url])
                .output()
                .expect("curl");
            let page: Value = serde_json::from_slice(&got.stdout).unwrap_or(Value::Null);
            out.extend(page["statements"].as_array().cloned().unwrap_or_default());
            match page["more"].as_str().filter(|m| !m.is_empty()) {
                Some(more) => url = format!("http://127.0.0.1:{}{more}", self.port),
                None => break,
            }
        }
        out
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `sync` against the LRS, with its address and credentials in the environment.
fn sync(ralph: &Ralph, data: &Path) -> Output {
    crate::bin()
        .args(["--data-dir", data.to_str().unwrap(), "sync"])
        .env("SECOND_LOOK_LRS_ENDPOINT", ralph.endpoint())
        .env("SECOND_LOOK_LRS_USERNAME", USER)
        .env("SECOND_LOOK_LRS_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

/// The figures in `sync`'s last line: stored, already there, conflicts, waiting.
fn figures(out: &Output) -> [usize; 4] {
    let stdout = crate::text(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default().to_string();
    let number = |before: &str| -> usize {
        let at = line.find(before).unwrap_or_else(|| panic!("no `{before}` in {line:?}"));
        line[..at].trim_end().rsplit([' ', ':']).next().unwrap().parse().unwrap()
    };
    [number(" stored"), number(" already there"), number(" in conflict"), number(" waiting")]
}

/// Plays a script into a record in the data folder.
fn play(data: &Path, script: &str, seed: u64, name: &str) -> PathBuf {
    let records = data.join("records");
    std::fs::create_dir_all(&records).unwrap();
    let path = records.join(name);
    let out = crate::bin()
        .args(["play", "marks-explained-away", "--script", script, "--seed", &seed.to_string(), "--quiet"])
        .args(["--record", path.to_str().unwrap(), "--pseudonym", "trainee-lrs"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    path
}

#[test]
fn statements_reach_a_real_lrs_once_through_resends_a_resume_and_a_week_offline() {
    let dir = crate::temp("lrs");
    let mut ralph = match Ralph::start_or_skip(&dir) {
        Some(r) => r,
        None => return,
    };
    let data = dir.join("data");
    play(&data, "tests/scripts/marks-explained-away.exemplary.txt", 3, "one.jsonl");

    // 1. Sent: everything stored, nothing waiting.
    let first = sync(&ralph, &data);
    assert!(first.status.success(), "{}{}", crate::text(&first.stdout), crate::text(&first.stderr));
    let [stored, again, conflicts, waiting] = figures(&first);
    assert!(stored > 20 && again == 0 && conflicts == 0 && waiting == 0, "{}", crate::text(&first.stdout));
    let held = ralph.statements().len();
    assert_eq!(held, stored, "the LRS holds what was sent");

    // 2. Sent again from scratch (the outbox forgot what it sent): every one a
    // duplicate the LRS already has, none a conflict.
    std::fs::remove_file(data.join("outbox/sent.txt")).unwrap();
    let resent = sync(&ralph, &data);
    let [stored2, again2, conflicts2, waiting2] = figures(&resent);
    assert_eq!((stored2, again2, conflicts2, waiting2), (0, stored, 0, 0), "{}", crate::text(&resent.stdout));
    assert_eq!(ralph.statements().len(), held, "nothing stored twice");

    // 3. A session cut off mid-way and carried on in a new file: the part
    // already sent is the same statements, the rest is new.
    let whole = play(&data, "tests/scripts/marks-explained-away.exemplary.txt", 4, "two.jsonl");
    let bytes = std::fs::read(&whole).unwrap();
    std::fs::write(&whole, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let part = sync(&ralph, &data);
    assert_eq!(figures(&part)[2], 0, "{}", crate::text(&part.stdout));
    let resumed = data.join("records/two-resumed.jsonl");
    let out = crate::bin()
        .args(["play", "marks-explained-away", "--script", "tests/scripts/marks-explained-away.exemplary.txt"])
        .args(["--seed", "4", "--quiet", "--resume", whole.to_str().unwrap(), "--record", resumed.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    std::fs::remove_file(&whole).unwrap();
    let after = sync(&ralph, &data);
    let [stored3, _, conflicts3, waiting3] = figures(&after);
    assert!(stored3 > 0 && conflicts3 == 0 && waiting3 == 0, "{}", crate::text(&after.stdout));

    // 4. Offline: the LRS stops; a new session's statements wait on disk, and
    // all of them go when it is back.
    ralph.stop();
    play(&data, "tests/scripts/marks-explained-away.credulous.txt", 5, "three.jsonl");
    let offline = sync(&ralph, &data);
    assert_eq!(offline.status.code(), Some(1), "{}", crate::text(&offline.stdout));
    let [_, _, _, waiting4] = figures(&offline);
    assert!(waiting4 > 10, "{}", crate::text(&offline.stdout));
    assert!(crate::text(&offline.stdout).contains("cannot reach the LRS"), "{}", crate::text(&offline.stdout));
    ralph.restart().unwrap();
    let back = sync(&ralph, &data);
    assert!(back.status.success(), "{}", crate::text(&back.stdout));
    let [stored5, _, conflicts5, waiting5] = figures(&back);
    assert_eq!((stored5, conflicts5, waiting5), (waiting4, 0, 0), "{}", crate::text(&back.stdout));

    // 5. Read back: every statement once, three registrations (sessions),
    // one actor for the trainee's three sessions.
    let all = ralph.statements();
    let ids: std::collections::BTreeSet<&str> = all.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len(), all.len(), "no statement twice");
    let sessions: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|s| s["context"]["registration"].as_str()).collect();
    assert_eq!(sessions.len(), 3);
    let actors: std::collections::BTreeSet<String> = all.iter().map(|s| s["actor"]["account"].to_string()).collect();
    assert_eq!(actors.len(), 1, "{actors:?}");
    println!(
        "LRS figures: sent {stored} then re-sent {again2} (duplicates {again2}, conflicts {conflicts2}); offline {waiting4} waited, {stored5} stored when back; {} statements held for {} sessions",
        all.len(),
        sessions.len()
    );

    // 6. The facilitator reads the group back from the LRS: sessions rebuilt
    // from the statements, replayed and scored again, the same scores as the
    // records' own (the under-five rule keeps the room's summary bare).
    let scores = |csv_path: PathBuf| -> std::collections::BTreeMap<String, String> {
        let mut reader = csv::Reader::from_path(&csv_path).unwrap_or_else(|e| panic!("{}: {e}", csv_path.display()));
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        let (session, overall) = (col("session"), col("overall"));
        reader.records().map(|r| r.unwrap()).map(|r| (r[session].to_string(), r[overall].to_string())).collect()
    };
    let from_folder = dir.join("from-folder");
    let out = crate::bin()
        .args(["cohort", data.join("records").to_str().unwrap(), "--out", from_folder.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::text(&out.stderr));
    let from_lrs = dir.join("from-lrs");
    std::fs::create_dir_all(&from_lrs).unwrap();
    let out = crate::bin()
        // Ralph's own activity filter matches nothing (it compares an IRI
        // object with a string), so the scenario is filtered here.
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "cohort",
            "--lrs",
            "--scenario",
            "marks-explained-away",
            "--filter-here",
        ])
        .args(["--out", from_lrs.to_str().unwrap()])
        .env("SECOND_LOOK_LRS_ENDPOINT", ralph.endpoint())
        .env("SECOND_LOOK_LRS_USERNAME", USER)
        .env("SECOND_LOOK_LRS_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", crate::text(&out.stdout), crate::text(&out.stderr));
    let csv_name = "cohort-marks-explained-away-sessions-tutor-only.csv";
    let (folder, lrs) = (scores(from_folder.join(csv_name)), scores(from_lrs.join(csv_name)));
    assert_eq!(folder.len(), 3, "{folder:?}");
    assert_eq!(lrs, folder, "the LRS gives the same sessions and scores as the records");
    let summary = std::fs::read_to_string(from_lrs.join("cohort-summary.md")).unwrap();
    assert!(summary.contains("nobody can be picked out"), "{summary}");
    drop(ralph);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_lrs_password_file_others_can_read_is_refused() {
    let dir = crate::temp("lrs-conf");
    let conf = dir.join("lrs.json");
    std::fs::write(&conf, r#"{"endpoint": "https://lrs.example.ac.uk/xAPI/", "username": "u", "password": "p"}"#)
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = crate::bin()
            .args(["--data-dir", dir.to_str().unwrap(), "sync"])
            .env_remove("SECOND_LOOK_LRS_ENDPOINT")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(crate::text(&out.stderr).contains("chmod 600"), "{}", crate::text(&out.stderr));
        std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // Readable by its owner only: taken (nothing to send, and the LRS is not
    // there, so the one outcome to check is that the file was accepted).
    let config = second_look::lrs::LrsConfig::load(&dir).unwrap().expect("a configuration");
    assert_eq!(config.statements_url(), "https://lrs.example.ac.uk/xAPI/statements");
    assert!(!format!("{config:?}").contains("\"p\""), "the password is never printed");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The game queues each action's statements and a background thread sends
/// them: they reach the LRS while the trainee plays.
#[test]
fn the_game_sends_the_statements_of_each_action_as_the_case_is_played() {
    use bevy::prelude::*;
    use second_look::game::{Catalogue, GamePlugin, Intent, Storage};
    let dir = crate::temp("lrs-game");
    let ralph = match Ralph::start_or_skip(&dir) {
        Some(r) => r,
        None => return,
    };
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let conf = data.join("lrs.json");
    let json = serde_json::json!({ "endpoint": ralph.endpoint(), "username": USER, "password": PASSWORD });
    std::fs::write(&conf, json.to_string()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        bevy::state::app::StatesPlugin,
        bevy::input::InputPlugin,
        GamePlugin,
        second_look::game::sending::SendingPlugin,
    ));
    app.add_message::<bevy::window::RequestRedraw>();
    app.insert_resource(Catalogue::of(vec![crate::scripts::first_case()]));
    app.insert_resource(Storage { data: Some(second_look::storage::DataDir::at(&data)) });
    app.update();
    let send = |app: &mut App, intent: Intent| {
        app.world_mut().write_message(intent);
        app.update();
        app.update();
    };
    send(&mut app, Intent::Open { entry: 0, seed: 3, mode: second_look::record::Mode::Assessment });
    send(&mut app, Intent::Begin);
    for _ in 0..5 {
        let a = app.world().resource::<second_look::game::ActiveCase>().session.choices()[0];
        send(&mut app, Intent::Take(a));
    }
    let start = Instant::now();
    let mut answered = 0;
    while start.elapsed() < Duration::from_secs(60) && answered < 5 {
        std::thread::sleep(Duration::from_millis(300));
        app.update();
        answered = ralph
            .statements()
            .iter()
            .filter(|s| s["verb"]["id"].as_str().is_some_and(|v| v.ends_with("/answered")))
            .count();
    }
    assert_eq!(answered, 5, "the five actions reached the LRS");
    assert!(
        std::fs::read_dir(data.join("outbox"))
            .unwrap()
            .flatten()
            .all(|e| e.path().extension().is_none_or(|x| x != "json"))
    );
    drop(ralph);
    let _ = std::fs::remove_dir_all(&dir);
}
