//! Sending statements to a learning record store (LRS).
//!
//! Every statement goes first to an outbox on disk (`outbox/` in the data
//! folder, one file per statement, written atomically), and leaves it only
//! when the LRS has taken it. Sending posts the waiting statements in batches;
//! a machine offline for a week keeps them all and sends them when the LRS is
//! back. Because a statement's id and content never change
//! ([`crate::xapi`]), sending again is always safe: the LRS answers a
//! duplicate with 204, not 409.
//!
//! Where the LRS is comes from the environment (`SECOND_LOOK_LRS_ENDPOINT`,
//! `SECOND_LOOK_LRS_USERNAME`, `SECOND_LOOK_LRS_PASSWORD`) or from `lrs.json`
//! in the data folder, never from a command-line argument (which other users
//! of the machine can read); the file must be readable by its owner only.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The xAPI version every request says it speaks.
const XAPI_VERSION: &str = "1.0.3";

/// The environment variables that name the LRS.
pub const ENV_ENDPOINT: &str = "SECOND_LOOK_LRS_ENDPOINT";
/// The LRS user name (HTTP Basic).
pub const ENV_USERNAME: &str = "SECOND_LOOK_LRS_USERNAME";
/// The LRS password (HTTP Basic).
pub const ENV_PASSWORD: &str = "SECOND_LOOK_LRS_PASSWORD";

/// The configuration file's name in the data folder.
pub const CONFIG_FILE: &str = "lrs.json";

/// Statements posted in one request.
pub const BATCH: usize = 50;

/// The largest statement file read back from the outbox.
const STATEMENT_MAX_BYTES: u64 = 1024 * 1024;

/// Where to send statements, and as whom.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LrsConfig {
    /// The LRS's xAPI endpoint, e.g. `https://lrs.example.ac.uk/xAPI/` (statements go to `statements` under it).
    pub endpoint: String,
    /// The key or user name.
    pub username: String,
    /// The secret or password.
    pub password: String,
}

impl std::fmt::Debug for LrsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LrsConfig").field("endpoint", &self.endpoint).field("username", &self.username).finish()
    }
}

impl LrsConfig {
    /// The LRS as [`LrsConfig::load`] finds it, where one is needed: when
    /// none is set, an error saying how to set one.
    pub fn required(data: &Path) -> Result<LrsConfig, String> {
        LrsConfig::load(data)?.ok_or_else(|| {
            format!(
                "no LRS is set: set {ENV_ENDPOINT} (with {ENV_USERNAME} and {ENV_PASSWORD}), or write {CONFIG_FILE} in {} (readable by you only)",
                data.display()
            )
        })
    }

    /// The LRS named by the environment, else by `lrs.json` in `data`; `None`
    /// when neither names one (sending is then off).
    pub fn load(data: &Path) -> Result<Option<LrsConfig>, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(endpoint) = var(ENV_ENDPOINT) {
            let config = LrsConfig {
                endpoint,
                username: var(ENV_USERNAME).unwrap_or_default(),
                password: var(ENV_PASSWORD).unwrap_or_default(),
            };
            return config.checked().map(Some);
        }
        let path = data.join(CONFIG_FILE);
        if !path.exists() {
            return Ok(None);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{}: holds the LRS password but others can read it (mode {:o}); run `chmod 600 {}`",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ));
            }
        }
        let bytes = crate::storage::read_regular(&path, 64 * 1024).map_err(|e| format!("{}: {e}", path.display()))?;
        let config: LrsConfig =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: not an LRS configuration: {e}", path.display()))?;
        config.checked().map(Some)
    }

    fn checked(self) -> Result<LrsConfig, String> {
        let scheme_ok = self.endpoint.starts_with("https://") || self.endpoint.starts_with("http://");
        if !scheme_ok || self.endpoint.len() > 2000 {
            return Err(format!("the LRS endpoint `{}` is not an http(s) address", crate::echo::echo(&self.endpoint)));
        }
        Ok(self)
    }

    /// The HTTP Basic `Authorization` header value.
    fn authorization(&self) -> String {
        use base64::Engine;
        let pair = format!("{}:{}", self.username, self.password);
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()))
    }

    /// The statements resource.
    pub fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint.trim_end_matches('/'))
    }
}

/// What one round of sending did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// Statements the LRS stored now.
    pub stored: usize,
    /// Statements it already held, the same (a re-send).
    pub duplicates: usize,
    /// Statements it refused because it holds a different statement with the
    /// same id (kept aside in `outbox/conflicts/`, never re-sent).
    pub conflicts: usize,
    /// Statements still waiting (the LRS could not be reached, or refused the batch).
    pub waiting: usize,
    /// Why sending stopped, if it did.
    pub problem: Option<String>,
}

impl Sent {
    /// What a round of sending did, in one line.
    pub fn describe(&self, endpoint: &str) -> String {
        let mut line = format!(
            "sent to {endpoint}: {} stored, {} already there (re-sent), {} in conflict (set aside in outbox/conflicts), {} waiting",
            self.stored, self.duplicates, self.conflicts, self.waiting
        );
        if let Some(problem) = &self.problem {
            line.push_str(&format!(" ({problem}; run `sync` again when it is back)"));
        }
        line
    }
}

/// The statements waiting to be sent.
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// The outbox in a data folder (created if needed).
    pub fn in_data(data: &Path) -> std::io::Result<Outbox> {
        let dir = data.join("outbox");
        std::fs::create_dir_all(dir.join("conflicts"))?;
        Ok(Outbox { dir })
    }

    /// Ids already taken by the LRS (kept so a statement is queued once).
    fn sent_ids(&self) -> BTreeSet<String> {
        std::fs::read_to_string(self.dir.join("sent.txt"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// Queues statements not yet sent or queued; returns how many were new.
    /// Each is written atomically, so a crash never leaves half a statement.
    pub fn add(&self, statements: &[Value]) -> std::io::Result<usize> {
        let sent = self.sent_ids();
        let mut added = 0;
        for st in statements {
            let Some(id) = st.get("id").and_then(Value::as_str).filter(|id| uuid::Uuid::parse_str(id).is_ok()) else {
                continue;
            };
            let path = self.dir.join(format!("{id}.json"));
            if sent.contains(id) || path.exists() {
                continue;
            }
            crate::storage::write_atomically(
                &path,
                serde_json::to_string(st).map_err(std::io::Error::other)?.as_bytes(),
            )?;
            added += 1;
        }
        Ok(added)
    }

    /// The statements waiting, oldest first (by their timestamps).
    pub fn waiting(&self) -> Vec<(PathBuf, Value)> {
        let mut out: Vec<(PathBuf, Value)> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .filter_map(|p| {
                        let bytes = crate::storage::read_regular(&p, STATEMENT_MAX_BYTES).ok()?;
                        Some((p, serde_json::from_slice(&bytes).ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by(|a, b| {
            let key = |v: &Value| v["timestamp"].as_str().unwrap_or_default().to_string();
            key(&a.1).cmp(&key(&b.1)).then_with(|| a.0.cmp(&b.0))
        });
        out
    }

    /// Sends everything waiting, in batches. Stops at the first batch the LRS
    /// cannot take (offline, or an error), keeping it and the rest for later.
    pub fn send(&self, config: &LrsConfig) -> Sent {
        let agent = agent(Duration::from_secs(30));
        let mut result = Sent::default();
        let waiting = self.waiting();
        let mut left = waiting.len();
        for batch in waiting.chunks(BATCH) {
            match self.post(&agent, config, batch) {
                Ok(done) => {
                    result.stored += done.stored;
                    result.duplicates += done.duplicates;
                    result.conflicts += done.conflicts;
                    left -= batch.len();
                }
                Err(problem) => {
                    result.problem = Some(problem);
                    break;
                }
            }
        }
        result.waiting = left;
        result
    }

    /// Posts one batch. A 409 for the batch is split: each statement is then
    /// sent alone, so one conflicting statement never holds the others back.
    fn post(&self, agent: &ureq::Agent, config: &LrsConfig, batch: &[(PathBuf, Value)]) -> Result<Sent, String> {
        let body: Vec<&Value> = batch.iter().map(|(_, v)| v).collect();
        let status = self.request(agent, config, &body)?;
        let mut done = Sent::default();
        match status {
            200..=299 => {
                if status == 204 {
                    done.duplicates += batch.len();
                } else {
                    done.stored += batch.len();
                }
                self.mark_sent(batch);
            }
            409 if batch.len() > 1 => {
                for one in batch {
                    let part = self.post(agent, config, std::slice::from_ref(one))?;
                    done.stored += part.stored;
                    done.duplicates += part.duplicates;
                    done.conflicts += part.conflicts;
                }
            }
            409 => {
                let (path, _) = &batch[0];
                let aside = self.dir.join("conflicts").join(path.file_name().unwrap_or_default());
                std::fs::rename(path, aside).map_err(|e| format!("cannot set aside {}: {e}", path.display()))?;
                done.conflicts += 1;
            }
            other => return Err(format!("the LRS answered {other}")),
        }
        Ok(done)
    }

    fn request(&self, agent: &ureq::Agent, config: &LrsConfig, body: &[&Value]) -> Result<u16, String> {
        let auth = config.authorization();
        let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
        let response = agent
            .post(&config.statements_url())
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .header("Authorization", &auth)
            .send(text.as_bytes())
            .map_err(|e| format!("cannot reach the LRS at {}: {e}", config.endpoint))?;
        Ok(response.status().as_u16())
    }

    fn mark_sent(&self, batch: &[(PathBuf, Value)]) {
        use std::io::Write;
        let ids: String =
            batch.iter().filter_map(|(_, v)| v["id"].as_str()).map(|id| format!("{id}\n")).collect::<String>();
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("sent.txt")) {
            let _ = f.write_all(ids.as_bytes());
            let _ = f.sync_data();
        }
        for (path, _) in batch {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Which statements to read back for a group.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only statements about this activity (a scenario's IRI), with related activities.
    pub activity: Option<String>,
    /// Only statements stored after this time (RFC 3339).
    pub since: Option<String>,
    /// Only statements stored up to this time (RFC 3339).
    pub until: Option<String>,
    /// Only these registrations (sessions); all when empty.
    pub registrations: Vec<String>,
}

/// The most statements read back for one group: a large year group's
/// sessions are tens of thousands of statements.
pub const FETCH_MAX: usize = 2_000_000;

/// Reads statements back from the LRS, following its `more` links page by page.
pub fn fetch(config: &LrsConfig, query: &Query) -> Result<Vec<Value>, String> {
    let agent = agent(Duration::from_secs(60));
    let origin = {
        let after_scheme = config.endpoint.find("://").map_or(0, |i| i + 3);
        let end = config.endpoint[after_scheme..].find('/').map_or(config.endpoint.len(), |i| after_scheme + i);
        config.endpoint[..end].to_string()
    };
    let encode = |v: &str| -> String {
        v.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let mut base = Vec::new();
    if let Some(a) = &query.activity {
        base.push(format!("activity={}&related_activities=true", encode(a)));
    }
    if let Some(s) = &query.since {
        base.push(format!("since={}", encode(s)));
    }
    if let Some(u) = &query.until {
        base.push(format!("until={}", encode(u)));
    }
    let registrations: Vec<Option<&String>> =
        if query.registrations.is_empty() { vec![None] } else { query.registrations.iter().map(Some).collect() };
    let mut out = Vec::new();
    for registration in registrations {
        let mut params = base.clone();
        if let Some(r) = registration {
            params.push(format!("registration={}", encode(r)));
        }
        params.push("limit=500".into());
        let mut url = format!("{}?{}", config.statements_url(), params.join("&"));
        loop {
            let page = get_json(&agent, config, &url)?;
            let statements = page["statements"].as_array().ok_or("the LRS's answer has no statements")?;
            out.extend(statements.iter().cloned());
            if out.len() > FETCH_MAX {
                return Err(format!("more than {FETCH_MAX} statements: narrow the group (--since, --activity)"));
            }
            match page["more"].as_str().filter(|m| !m.is_empty()) {
                Some(more) if more.starts_with('/') => url = format!("{origin}{more}"),
                Some(more) => url = more.to_string(),
                None => break,
            }
        }
    }
    Ok(out)
}

/// An HTTP client that reports statuses rather than failing on them.
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().new_agent()
}

fn get_json(agent: &ureq::Agent, config: &LrsConfig, url: &str) -> Result<Value, String> {
    let auth = config.authorization();
    let mut response = agent
        .get(url)
        .header("X-Experience-API-Version", XAPI_VERSION)
        .header("Authorization", &auth)
        .call()
        .map_err(|e| format!("cannot reach the LRS at {}: {e}", config.endpoint))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("the LRS answered {status} to a query for statements"));
    }
    let text = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| format!("reading the LRS's answer: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("the LRS's answer is not JSON: {e}"))
}
