//! The real binary in a real window: under Xvfb (software Vulkan) where it is
//! installed, open every screen (start, briefing, case, a discussion pause,
//! a practice card, supervision, debrief, facilitator), take a screenshot of each and check it
//! shows a screen, not a blank frame, and not the same frame as another. Skipped, with a message, where Xvfb is
//! not installed (CI installs it).

use crate::repo;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(program)).find(|p| p.is_file())
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on a free display; returns it and the display name.
pub fn start_xvfb() -> Option<(impl Drop, String)> {
    let xvfb = find_on_path("Xvfb")?;
    for n in (100 + std::process::id() % 400)..600 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let child = Command::new(&xvfb)
            .args([
                format!(":{n}"),
                "-screen".into(),
                "0".into(),
                "1280x800x24".into(),
                "-nolisten".into(),
                "tcp".into(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let guard = Killed(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Some((guard, format!(":{n}")));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    None
}

/// Runs the game with `args` on `display` until it saves `png`; returns its stderr on failure.
pub fn capture(display: &str, args: &[&str], png: &Path) -> Result<(), String> {
    let mut child = crate::bin()
        .args(args)
        .arg("--screenshot")
        .arg(png)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .current_dir(repo(""))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                use std::io::Read;
                let _ = s.read_to_string(&mut err);
            }
            return if status.success() && png.is_file() { Ok(()) } else { Err(format!("{status}: {err}")) };
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            return Err("timed out after 180 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What a screenshot shows, roughly: size, how many colours, how much of it is
/// one colour, and how much is dark (text).
pub struct Look {
    pub pixels: Vec<[u8; 3]>,
    pub width: u32,
    pub height: u32,
    pub colours: usize,
    pub commonest_share: f64,
    pub dark_share: f64,
}

pub fn look(png: &Path) -> Look {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<[u8; 3]> =
        buf[..info.buffer_size()].chunks(channels).map(|p| [p[0], p[1], p.get(2).copied().unwrap_or(p[0])]).collect();
    let mut counts = std::collections::HashMap::new();
    for p in &pixels {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let commonest = counts.values().copied().max().unwrap_or(0);
    let dark = pixels.iter().filter(|p| (p[0] as u32 + p[1] as u32 + p[2] as u32) < 3 * 110).count();
    let total = pixels.len() as f64;
    Look {
        pixels,
        width: info.width,
        height: info.height,
        colours: counts.len(),
        commonest_share: commonest as f64 / total,
        dark_share: dark as f64 / total,
    }
}

/// The share of pixels that differ between two frames of the same size.
fn difference(a: &Look, b: &Look) -> f64 {
    let differ = a.pixels.iter().zip(&b.pixels).filter(|(x, y)| x != y).count();
    differ as f64 / a.pixels.len().max(1) as f64
}

#[test]
fn every_screen_renders_under_xvfb() {
    let Some((_xvfb, display)) = start_xvfb() else {
        eprintln!(
            "SKIPPED: Xvfb is not installed; install it (apt-get install xvfb mesa-vulkan-drivers) to run this test"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("second-look-shot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exemplary = std::fs::read_to_string(repo("tests/scripts/marks-explained-away.exemplary.txt")).unwrap();
    let steps: Vec<&str> = exemplary.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    let prefix = |n: usize| {
        let path = dir.join(format!("prefix-{n}.txt"));
        std::fs::write(&path, steps[..n].join("\n")).unwrap();
        path.to_str().unwrap().to_string()
    };
    // Twelve actions in: the room, what just happened, and requests out;
    // thirty in, the last choice settled an item (a practice card); forty in,
    // a pause for discussion.
    let (twelve, thirty, forty) = (prefix(12), prefix(30), prefix(40));
    let credulous = repo("tests/scripts/marks-explained-away.credulous.txt").to_str().unwrap().to_string();
    // A group of records for the facilitator.
    let group = dir.join("group");
    std::fs::create_dir_all(&group).unwrap();
    for seed in 1..=5 {
        let record = group.join(format!("{seed}.jsonl"));
        let run = crate::bin()
            .args(["play", "marks-explained-away", "--script", &credulous, "--seed", &seed.to_string(), "--quiet"])
            .arg("--record")
            .arg(&record)
            .output()
            .unwrap();
        assert!(run.status.success());
    }
    let data = dir.join("data");
    let base = ["--data-dir", data.to_str().unwrap()];
    let screens: Vec<(&str, Vec<&str>)> = vec![
        ("start", vec!["--screen", "start"]),
        ("briefing", vec!["--open", "marks-explained-away", "--seed", "2", "--screen", "briefing"]),
        ("case", vec!["--open", "marks-explained-away", "--seed", "2", "--screen", "case", "--script", &twelve]),
        ("pause", vec!["--open", "marks-explained-away", "--seed", "2", "--screen", "case", "--script", &forty]),
        (
            "practice card",
            vec![
                "--open",
                "marks-explained-away",
                "--seed",
                "1",
                "--screen",
                "case",
                "--mode",
                "practice",
                "--script",
                &thirty,
            ],
        ),
        (
            "supervision",
            vec![
                "--open",
                "marks-explained-away",
                "--seed",
                "2",
                "--screen",
                "case",
                "--script",
                &twelve,
                "--supervise",
            ],
        ),
        (
            "debrief",
            vec!["--open", "marks-explained-away", "--seed", "3", "--screen", "debrief", "--script", &credulous],
        ),
        ("facilitator", vec!["--screen", "facilitator", "--cohort", group.to_str().unwrap()]),
    ];
    let mut looks: Vec<(&str, Look)> = Vec::new();
    for (name, args) in &screens {
        let png = dir.join(format!("{}.png", name.replace(' ', "-")));
        let args: Vec<&str> = base.iter().copied().chain(args.iter().copied()).collect();
        capture(&display, &args, &png).unwrap_or_else(|e| panic!("{name}: {e}"));
        let look = look(&png);
        assert_eq!((look.width, look.height), (1280, 800), "{name}");
        assert!(look.colours > 50, "{name}: a blank or flat frame: {} colours", look.colours);
        assert!(
            look.commonest_share < 0.95,
            "{name}: one colour covers {:.0}% of the frame",
            look.commonest_share * 100.0
        );
        assert!(look.dark_share > 0.01, "{name}: hardly any text: {:.2}% dark pixels", look.dark_share * 100.0);
        looks.push((name, look));
    }
    // Each is its own screen, not the same frame again.
    for (i, (a, la)) in looks.iter().enumerate() {
        for (b, lb) in &looks[i + 1..] {
            let d = difference(la, lb);
            assert!(d > 0.02, "{a} and {b} look the same ({:.1}% of pixels differ)", d * 100.0);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
