//! The real binary in a real window: under Xvfb (software Vulkan) where it is
//! installed, open the case screen mid-case, take a screenshot and check it
//! shows a screen, not a blank frame. Skipped, with a message, where Xvfb is
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_second-look"))
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
    Look {
        width: info.width,
        height: info.height,
        colours: counts.len(),
        commonest_share: commonest as f64 / pixels.len() as f64,
        dark_share: dark as f64 / pixels.len() as f64,
    }
}

#[test]
fn the_case_screen_renders_under_xvfb() {
    let Some((_xvfb, display)) = start_xvfb() else {
        eprintln!(
            "SKIPPED: Xvfb is not installed; install it (apt-get install xvfb mesa-vulkan-drivers) to run this test"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("second-look-shot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Forty actions into the exemplary path: notebook, household and inbox all have something in them.
    let exemplary = std::fs::read_to_string(repo("scenarios/scripts/marks-explained-away.exemplary.txt")).unwrap();
    let prefix: Vec<&str> =
        exemplary.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).take(40).collect();
    let script = dir.join("prefix.txt");
    std::fs::write(&script, prefix.join("\n")).unwrap();
    let png = dir.join("case.png");
    let args =
        ["--open", "marks-explained-away", "--seed", "2", "--screen", "case", "--script", script.to_str().unwrap()];
    capture(&display, &args, &png).unwrap();
    let look = look(&png);
    assert_eq!((look.width, look.height), (1280, 800));
    assert!(look.colours > 50, "a blank or flat frame: {} colours", look.colours);
    assert!(look.commonest_share < 0.9, "one colour covers {:.0}% of the frame", look.commonest_share * 100.0);
    assert!(look.dark_share > 0.01, "hardly any text: {:.2}% dark pixels", look.dark_share * 100.0);
    std::fs::remove_dir_all(&dir).ok();
}
