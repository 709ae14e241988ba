//! Where Second Look keeps the user's data, and how it writes it safely.
//!
//! Records and settings live in the platform's data folder
//! (`~/.local/share/second-look` on Linux, `%APPDATA%` on Windows,
//! `~/Library/Application Support` on macOS), or wherever `--data-dir` or
//! `SECOND_LOOK_DATA` says. Nothing leaves the machine unless the user exports
//! it. Whole-file writes go to a temporary file first and are renamed into
//! place, so a crash never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder.
pub const DATA_ENV: &str = "SECOND_LOOK_DATA";

/// The data folders in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `explicit` if given, else `$SECOND_LOOK_DATA`, else the platform's data folder.
    pub fn locate(explicit: Option<&Path>) -> Result<Self, String> {
        if let Some(p) = explicit {
            return Ok(DataDir { root: p.to_path_buf() });
        }
        if let Some(p) = std::env::var_os(DATA_ENV).filter(|p| !p.is_empty()) {
            return Ok(DataDir { root: PathBuf::from(p) });
        }
        use etcetera::AppStrategy;
        let strategy = etcetera::choose_app_strategy(etcetera::AppStrategyArgs {
            top_level_domain: "org".into(),
            author: "Second Look".into(),
            app_name: "second-look".into(),
        })
        .map_err(|e| format!("cannot find a home folder for saving data: {e}; pass --data-dir"))?;
        Ok(DataDir { root: strategy.data_dir() })
    }

    /// A data folder at a given path (for tests).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where session records go, created if needed.
    pub fn records(&self) -> std::io::Result<PathBuf> {
        let dir = self.root.join("records");
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// Where exported debriefs and CPD records go, created if needed.
    pub fn exports(&self) -> std::io::Result<PathBuf> {
        let dir = self.root.join("exports");
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// The settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.root.join("settings.json")
    }
}

/// Writes a whole file atomically: a temporary file beside it, flushed to
/// disk, then renamed over the target.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    replace(path, contents, None)
}

/// Replaces a file atomically, as [`write_atomically`] does, keeping its
/// permissions (a migrated scenario stays as readable as it was).
pub fn replace_keeping_permissions(
    path: &Path,
    contents: &[u8],
    permissions: std::fs::Permissions,
) -> std::io::Result<()> {
    replace(path, contents, Some(permissions))
}

/// The temporary file, flushed, given `permissions` if any, renamed over `path`.
fn replace(path: &Path, contents: &[u8], permissions: Option<std::fs::Permissions>) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        if let Some(p) = permissions {
            std::fs::set_permissions(&tmp, p)?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A size limit in words: "512 KB", "8 MB".
fn size_words(bytes: u64) -> String {
    if bytes >= 1024 * 1024 { format!("{} MB", bytes / (1024 * 1024)) } else { format!("{} KB", bytes.div_ceil(1024)) }
}

/// Reads a regular file of at most `limit` bytes: a FIFO, a device or a
/// link to `/dev/zero` is refused at once rather than read for ever.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    if meta.len() > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} bytes, over the limit of {}", meta.len(), size_words(limit)),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "grew past the size limit while being read"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_whole_files_and_leave_no_temporary() {
        let dir = std::env::temp_dir().join(format!("second-look-storage-{}", std::process::id()));
        let path = dir.join("nested/settings.json");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the file itself");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_explicit_folder_wins() {
        let d = DataDir::locate(Some(Path::new("/tmp/x"))).unwrap();
        assert_eq!(d.root(), Path::new("/tmp/x"));
        assert_eq!(d.settings_file(), Path::new("/tmp/x/settings.json"));
    }
}
