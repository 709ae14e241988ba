//! What a screen reader sees: the real game under Xvfb, with the AT-SPI bus
//! running and accessibility on (as Orca turns it on), read through AT-SPI by
//! `scripts/screen-reader-check.sh`. Every choice on offer must be there as a
//! push button named with its key, its words and its time. Skipped, with a
//! message, where Xvfb or the AT-SPI tools are not installed (CI installs
//! them).

use crate::repo;
use crate::screenshot::start_xvfb;
use crate::scripts::first_case;
use std::path::Path;
use std::process::Command;

#[test]
fn a_screen_reader_sees_every_choice_as_a_named_button() {
    let tools = ["/usr/libexec/at-spi-bus-launcher", "/usr/bin/dbus-launch", "/usr/bin/python3"];
    let pyatspi = Command::new("/usr/bin/python3").args(["-c", "import pyatspi"]).output();
    if tools.iter().any(|t| !Path::new(t).exists()) || !pyatspi.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: install at-spi2-core python3-pyatspi dbus-x11 to run this test");
        return;
    }
    let Some((_xvfb, display)) = start_xvfb() else {
        eprintln!("SKIPPED: Xvfb is not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("second-look-a11y-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Twelve actions into the exemplary path: on the phone, two choices and supervision.
    let exemplary = std::fs::read_to_string(repo("tests/scripts/marks-explained-away.exemplary.txt")).unwrap();
    let steps: Vec<&str> = exemplary.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).take(12).collect();
    let script = dir.join("prefix.txt");
    std::fs::write(&script, steps.join("\n")).unwrap();
    let read_tree = || {
        Command::new(repo("scripts/screen-reader-check.sh"))
            .arg(env!("CARGO_BIN_EXE_second-look"))
            .args(["--data-dir", dir.join("data").to_str().unwrap()])
            .args(["--open", "marks-explained-away", "--seed", "2", "--screen", "case", "--script"])
            .arg(&script)
            .env("DISPLAY", &display)
            .env("A11Y_TIMEOUT", "60")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap()
    };
    // Once in a dozen full runs here no tree came within the time (cause not
    // found; the script prints what the client and the game said when it
    // happens). One more try; the second is the result.
    let mut out = read_tree();
    if !out.status.success() {
        eprintln!("first try found no tree, trying again:\n{}", String::from_utf8_lossy(&out.stderr));
        out = read_tree();
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "no accessibility tree:\n{tree}\n{}", String::from_utf8_lossy(&out.stderr));
    let buttons: Vec<&str> = tree.lines().filter(|l| l.contains("[push button]")).collect();
    let session = second_look::sim::Session::replay(first_case(), 2, &steps).unwrap();
    let choices = session.choices();
    assert!(choices.len() >= 2);
    for (n, a) in choices.iter().enumerate() {
        let words = session.render(&session.scenario().action(*a).text);
        let key = (n + 1) % 10;
        assert!(
            buttons.iter().any(|b| b.contains(&format!("'{key} ")) && b.contains(&words)),
            "choice {key} `{words}` is not a button a screen reader can find:\n{}",
            buttons.join("\n")
        );
    }
    assert!(buttons.iter().any(|b| b.contains("Talk it through with your manager")), "supervision");
    assert!(tree.contains("[label] 'What just happened'"), "the text around the choices is read too");
    std::fs::remove_dir_all(&dir).ok();
}
