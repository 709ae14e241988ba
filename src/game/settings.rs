//! Settings that persist between runs: text size, theme, reduced motion, the
//! trainee's name (kept on this computer only) and facilitator mode.
//!
//! Saved as JSON in the data folder, written atomically whenever they change.
//! A missing or unreadable file gives the defaults and a note on the start
//! screen; it is never overwritten until the user changes a setting.

use crate::storage::{DataDir, write_atomically};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Colour themes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Dark text on a warm light background.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Black and white with yellow focus, for low vision.
    HighContrast,
}

impl Theme {
    /// All themes, for the settings list.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::HighContrast];

    /// The name in the settings list.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::HighContrast => "High contrast",
        }
    }
}

/// The trainee's settings.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Text size as a factor: 1.0 to 2.0.
    pub text_scale: f32,
    /// Colour theme.
    pub theme: Theme,
    /// No animations.
    pub reduced_motion: bool,
    /// The trainee's name, for their own CPD record; never put in session records.
    pub trainee_name: String,
    /// Stop at discussion points for the group instead of asking for a written reflection.
    pub facilitator: bool,
    /// A random pseudonym for this computer, used in records and exports.
    pub pseudonym: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_scale: 1.0,
            theme: Theme::Light,
            reduced_motion: false,
            trainee_name: String::new(),
            facilitator: false,
            pseudonym: format!("trainee-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        }
    }
}

/// Text sizes offered.
pub const TEXT_SCALES: [(f32, &str); 4] = [(1.0, "100%"), (1.25, "125%"), (1.5, "150%"), (2.0, "200%")];

/// Where settings come from and go to, and what went wrong.
#[derive(Resource, Clone, Debug, Default)]
pub struct SettingsStore {
    /// The data folder, if there is one.
    pub data: Option<DataDir>,
    /// A problem to show the user (unreadable file, failed save).
    pub problem: Option<String>,
}

impl Settings {
    /// Reads settings from the data folder; defaults (and a note) if that fails.
    pub fn load(data: Option<&DataDir>) -> (Settings, Option<String>) {
        let Some(data) = data else { return (Settings::default(), None) };
        let path = data.settings_file();
        // A settings file is a few hundred bytes; a regular file up to 64 KB is read.
        match crate::storage::read_regular(&path, 64 * 1024) {
            Ok(text) => match serde_json::from_slice::<Settings>(&text) {
                Ok(mut s) => {
                    s.text_scale = s.text_scale.clamp(1.0, 2.0);
                    (s, None)
                }
                Err(e) => (
                    Settings::default(),
                    Some(format!(
                        "{} could not be read ({e}); using the defaults until you change a setting",
                        path.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(e) => (Settings::default(), Some(format!("{}: {e}", path.display()))),
        }
    }

    /// Writes settings atomically.
    pub fn save(&self, data: &DataDir) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        write_atomically(&data.settings_file(), text.as_bytes()).map_err(|e| format!("settings not saved: {e}"))
    }
}

/// Saves settings whenever they change (after the first frame).
pub fn save_when_changed(settings: Res<Settings>, mut store: ResMut<SettingsStore>, mut last: Local<Option<Settings>>) {
    if last.as_ref() == Some(&*settings) {
        return;
    }
    if last.is_some()
        && let Some(data) = store.data.clone()
    {
        store.problem = settings.save(&data).err();
    }
    *last = Some(settings.clone());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_damaged_files_fall_back_to_defaults() {
        let dir = std::env::temp_dir().join(format!("second-look-settings-{}", std::process::id()));
        let data = DataDir::at(&dir);
        let s =
            Settings { text_scale: 2.0, theme: Theme::HighContrast, trainee_name: "Sam".into(), ..Settings::default() };
        s.save(&data).unwrap();
        assert_eq!(Settings::load(Some(&data)), (s, None));
        std::fs::write(data.settings_file(), "{ not json").unwrap();
        let (loaded, problem) = Settings::load(Some(&data));
        assert_eq!(loaded.theme, Theme::Light);
        assert!(problem.unwrap().contains("could not be read"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
