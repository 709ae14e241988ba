//! The pictures the room view draws, read from the `assets/` folder: one per
//! kind of place (`assets/places/<name>.svg`), where the things in each are
//! and where people stand (`assets/places/*.ron`), and the things a trainee
//! can notice (`assets/objects/<name>.svg`).
//!
//! Pictures are SVG so an author can draw their own and name it in a scene
//! (`picture: "my-room"`); egui's SVG loader (resvg) rasterises each once per
//! size. A missing or unreadable picture is drawn as a plain wall and floor,
//! never an error that stops the case.

use bevy_egui::egui;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// The largest picture read, in bytes: a drawing is tens of kilobytes.
pub const PICTURE_MAX_BYTES: u64 = 512 * 1024;

/// The largest file of place layouts read, in bytes.
pub const LAYOUT_MAX_BYTES: u64 = 256 * 1024;

/// Where the things in one picture are and where people stand, as fractions
/// of the picture (0–1 each way, origin top left).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PlaceLayout {
    /// Things a hotspot can sit on, by name.
    #[serde(default)]
    pub objects: BTreeMap<String, (f32, f32)>,
    /// Where standing people's feet go, left to right.
    #[serde(default)]
    pub people: Vec<(f32, f32)>,
}

#[derive(Deserialize)]
struct LayoutFile {
    places: BTreeMap<String, PlaceLayout>,
}

/// The pictures and their layouts.
pub struct Pictures {
    root: Option<PathBuf>,
    layouts: BTreeMap<String, PlaceLayout>,
    /// Problems met reading the layouts, for the log.
    pub problems: Vec<String>,
    files: Mutex<HashMap<PathBuf, Option<egui::load::Bytes>>>,
}

static PICTURES: LazyLock<Pictures> = LazyLock::new(|| Pictures::at(assets_folder()));

/// Where the `assets/` folder is: `SECOND_LOOK_ASSETS` if set, else beside
/// the program, else in the current folder (`cargo run`), else in the source
/// tree the program was built from.
pub fn assets_folder() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SECOND_LOOK_ASSETS").map(PathBuf::from),
        std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join("assets"))),
        Some(PathBuf::from("assets")),
        Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))),
    ];
    candidates.into_iter().flatten().find(|p| p.join("places").is_dir())
}

/// Reads a regular file of at most `limit` bytes ([`crate::storage::read_regular`]), saying which.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    crate::storage::read_regular(path, limit).map_err(|e| format!("{}: {e}", path.display()))
}

impl Pictures {
    /// The pictures in the `assets/` folder found at start.
    pub fn global() -> &'static Pictures {
        &PICTURES
    }

    /// The pictures under `root` (none if there is no assets folder).
    pub fn at(root: Option<PathBuf>) -> Pictures {
        let mut layouts = BTreeMap::new();
        let mut problems = Vec::new();
        if let Some(dir) = root.as_ref().map(|r| r.join("places")) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "ron")).collect())
                .unwrap_or_default();
            files.sort();
            for path in files {
                let parsed = read_bounded(&path, LAYOUT_MAX_BYTES).and_then(|bytes| {
                    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
                    ron::from_str::<LayoutFile>(&text).map_err(|e| format!("{}:{e}", path.display()))
                });
                match parsed {
                    Ok(file) => layouts.extend(file.places),
                    Err(e) => problems.push(e),
                }
            }
        }
        Pictures { root, layouts, problems, files: Mutex::new(HashMap::new()) }
    }

    /// The layout of a place picture (empty if it has none).
    pub fn layout(&self, place: &str) -> Option<&PlaceLayout> {
        self.layouts.get(place)
    }

    /// A place picture, as an image egui can draw.
    pub fn place(&self, name: &str) -> Option<egui::ImageSource<'static>> {
        self.image("places", name)
    }

    /// An object picture, as an image egui can draw.
    pub fn object(&self, name: &str) -> Option<egui::ImageSource<'static>> {
        self.image("objects", name)
    }

    fn image(&self, folder: &str, name: &str) -> Option<egui::ImageSource<'static>> {
        if !crate::scenario::is_picture_name(name) {
            return None;
        }
        let path = self.root.as_ref()?.join(folder).join(format!("{name}.svg"));
        let bytes = {
            let mut files = self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            files
                .entry(path.clone())
                .or_insert_with(|| match read_bounded(&path, PICTURE_MAX_BYTES) {
                    Ok(bytes) => Some(egui::load::Bytes::from(bytes)),
                    Err(e) => {
                        bevy::log::warn!("the picture {e}; a plain room is drawn instead");
                        None
                    }
                })
                .clone()?
        };
        Some(egui::ImageSource::Bytes { uri: format!("bytes://{folder}/{name}.svg").into(), bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::RoomKind;

    /// Every kind of place has a picture that parses as SVG and a layout
    /// with people's places, and every object a shipped case shows exists.
    #[test]
    fn every_place_and_object_the_cases_draw_is_there_and_renders() {
        // The clone being tested (a test binary from a shared target may have been built in another).
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let pictures = Pictures::at(Some(root.join("assets")));
        assert!(pictures.problems.is_empty(), "{:?}", pictures.problems);
        let renders = |folder: &str, name: &str| {
            let path = pictures.root.as_ref().map(|r| r.join(folder).join(format!("{name}.svg"))).expect("a root");
            let bytes = read_bounded(&path, PICTURE_MAX_BYTES).unwrap_or_else(|e| panic!("{e}"));
            egui_extras::image::load_svg_bytes(&bytes, &Default::default())
                .unwrap_or_else(|e| panic!("{folder}/{name}.svg does not render: {e}"));
        };
        for kind in RoomKind::ALL {
            renders("places", kind.picture());
            let layout = pictures.layout(kind.picture()).unwrap_or_else(|| panic!("no layout for {}", kind.picture()));
            assert!(layout.people.len() >= 3, "{} has room for {} people", kind.picture(), layout.people.len());
            let inside = |(x, y): (f32, f32)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y);
            assert!(layout.objects.values().chain(&layout.people).all(|p| inside(*p)), "{}", kind.picture());
        }
        for origin in crate::scenario::catalogue::in_folder(&root.join("scenarios")).expect("the shipped cases") {
            let (s, _) = origin.load().expect("shipped cases load");
            for name in s.actions.iter().filter_map(|a| a.shows.as_deref()) {
                renders("objects", name);
            }
            for name in s.scenes.iter().filter_map(|sc| sc.picture.as_deref()) {
                renders("places", name);
            }
        }
    }

    #[test]
    fn a_picture_that_is_not_a_regular_file_or_too_large_is_refused_with_its_name() {
        let dir = std::env::temp_dir().join(format!("sl-pictures-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("big.svg")).expect("a folder");
        let err = read_bounded(&dir.join("big.svg"), 10).expect_err("a folder is not a picture");
        assert!(err.contains("big.svg") && err.contains("not a regular file"), "{err}");
        std::fs::write(dir.join("huge.svg"), vec![b' '; 11]).expect("written");
        let err = read_bounded(&dir.join("huge.svg"), 10).expect_err("over the limit");
        assert!(err.contains("huge.svg") && err.contains("limit"), "{err}");
        assert_eq!(read_bounded(&dir.join("huge.svg"), 11).map(|b| b.len()), Ok(11));
        let _ = std::fs::remove_dir_all(dir);
    }
}
