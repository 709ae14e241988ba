//! Sessions as xAPI 1.0.3 statements, for a learning record store.
//!
//! Built with serde (the Rust xAPI crates are GPL). Each record becomes:
//! *initialized* and *attempted* the scenario; *experienced* each scene on
//! first arrival; *answered* each choice (a `cmi.interaction` with the choice
//! as the response and the time it took); *completed* with success, the score
//! and the time spent; *scored* with the score, each criterion as its own
//! extension IRI and every rubric item; and *terminated*. Activity names say
//! "the mother", never a seed's character name, so an LRS stores one name per
//! activity. The actor is the record's pseudonym (one per trainee, from the
//! settings or `play --pseudonym`) unless an email is given. Statement ids
//! come from the session and what each says, and times from the record, so
//! the same record (or its continuation after a resume) always gives the same
//! statements: an LRS treats a re-send as a duplicate, never a conflict.

use crate::record::{Mode, Record};
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// Where Second Look's own IRIs live.
pub const BASE: &str = "https://w3id.org/second-look";

/// The ADL verbs used.
pub const VERBS: [&str; 9] = [
    "initialized",
    "attempted",
    "experienced",
    "answered",
    "suspended",
    "resumed",
    "completed",
    "scored",
    "terminated",
];

/// How the actor is named.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    /// An email address, only if the trainee chose to give one.
    pub mbox: Option<String>,
}

impl Actor {
    /// An actor named by email (given with or without `mailto:`), or by the
    /// record's pseudonym when there is none. A malformed address is refused:
    /// every statement would be invalid.
    pub fn new(mbox: Option<&str>) -> Result<Actor, String> {
        let Some(given) = mbox else { return Ok(Actor { mbox: None }) };
        let email = given.trim();
        let email = email.strip_prefix("mailto:").unwrap_or(email);
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            })
            && email.matches('@').count() == 1
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
        if !valid {
            return Err(format!("`{}` is not an email address (name@example.org)", crate::echo::echo(given)));
        }
        Ok(Actor { mbox: Some(email.to_string()) })
    }
}

/// The extension IRI for one of the three criteria.
pub fn criterion_extension(c: Criterion) -> String {
    let key = match c {
        Criterion::Inconsistencies => "inconsistencies",
        Criterion::Carers => "carers",
        Criterion::Escalations => "escalations",
    };
    format!("{BASE}/xapi/extensions/criterion/{key}")
}

/// Whether an outcome counts as success in an LMS: the child was kept safe
/// (protected in time, or safe after the checks). A late protection, harm,
/// or a case left unresolved is not.
pub fn success(outcome: crate::scenario::Outcome) -> bool {
    matches!(outcome, crate::scenario::Outcome::ProtectedInTime | crate::scenario::Outcome::SafeAfterChecks)
}

fn verb(name: &str) -> Value {
    json!({ "id": format!("http://adlnet.gov/expapi/verbs/{name}"), "display": { "en-GB": name } })
}

/// An RFC 3339 timestamp with milliseconds, in UTC.
pub fn timestamp(t: OffsetDateTime) -> String {
    // A time that has no UTC equivalent (year 9999 at -23:59) is refused
    // when a record is read; this keeps even a hand-made one from panicking.
    let t = t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.format(&format).unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".into())
}

/// An ISO 8601 duration: `PT12M30S`.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("PT{}H{}M{}S", s / 3600, s % 3600 / 60, s % 60)
}

/// The statements for one session record and its replayed session.
pub fn statements(record: &Record, session: &Session, actor: &Actor) -> Vec<Value> {
    let s = session.scenario();
    let h = &record.header;
    let scenario_iri = format!("{BASE}/scenario/{}", s.meta.id);
    let actor = match &actor.mbox {
        Some(email) => json!({ "objectType": "Agent", "mbox": format!("mailto:{email}") }),
        None => {
            let name = if h.pseudonym.is_empty() {
                format!("anonymous-{}", &h.session.simple().to_string()[..8])
            } else {
                h.pseudonym.clone()
            };
            json!({ "objectType": "Agent", "account": { "homePage": format!("{BASE}/trainees"), "name": name } })
        }
    };
    let scenario_activity = json!({
        "objectType": "Activity",
        "id": scenario_iri,
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/simulation",
            "name": { "en-GB": s.meta.title },
            "description": { "en-GB": s.meta.summary },
        }
    });
    let context = |parent: bool| {
        let mut activities = json!({
            "grouping": [{ "objectType": "Activity", "id": scenario_iri }],
            "category": [{ "objectType": "Activity", "id": format!("{BASE}/xapi/profile") }],
        });
        if parent {
            activities["parent"] = json!([{ "objectType": "Activity", "id": scenario_iri }]);
        }
        json!({
            "registration": h.session.to_string(),
            "platform": "Second Look",
            "language": "en-GB",
            "contextActivities": activities,
            "extensions": {
                format!("{BASE}/xapi/extensions/seed"): h.seed,
                format!("{BASE}/xapi/extensions/scenario-version"): h.scenario_version,
                format!("{BASE}/xapi/extensions/mode"): match h.mode { Mode::Assessment => "assessment", Mode::Practice => "practice" },
            }
        })
    };
    let mut out: Vec<Value> = Vec::new();
    // Each statement's id comes from what it says (the session, the verb and
    // which action or scene), so the same record, or its continuation after a
    // resume, always gives the same statement: a re-send is a duplicate.
    let mut push =
        |key: String, verb_name: &str, object: Value, result: Option<Value>, parent: bool, at: OffsetDateTime| {
            let id = uuid::Uuid::new_v5(&h.session, format!("{verb_name}:{key}").as_bytes());
            let mut st = json!({
                "id": id.to_string(),
                "actor": actor,
                "verb": verb(verb_name),
                "object": object,
                "context": context(parent),
                "timestamp": timestamp(at),
            });
            if let Some(r) = result {
                st["result"] = r;
            }
            out.push(st);
        };

    push(String::new(), "initialized", scenario_activity.clone(), None, false, h.started);
    push(String::new(), "attempted", scenario_activity.clone(), None, false, h.started);
    let wall_of = |n: usize| record.actions.get(n).map_or(h.started, |a| a.wall);
    let mut seen_scenes = Vec::new();
    let mut last_action: Option<usize> = None;
    for e in session.journal() {
        match e {
            Entry::Took { n, action, at } => {
                last_action = Some(*n);
                let a = s.action(*action);
                let object = json!({
                    "objectType": "Activity",
                    "id": format!("{scenario_iri}/choice/{}", a.id),
                    "definition": {
                        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                        "interactionType": "choice",
                        // The same name in every session: no seed's character names.
                        "name": { "en-GB": s.without_names(&a.text) },
                    }
                });
                let since = if *n == 0 { h.started } else { wall_of(*n - 1) };
                let result = json!({
                    "response": a.id,
                    "duration": duration((wall_of(*n) - since).whole_seconds()),
                    // The action's place in the session, so the session can be rebuilt from an LRS.
                    "extensions": {
                        format!("{BASE}/xapi/extensions/action-number"): n,
                        format!("{BASE}/xapi/extensions/game-time"): s.calendar.describe(*at),
                        format!("{BASE}/xapi/extensions/scene"): s.action_scene_id(*action),
                    },
                });
                push(n.to_string(), "answered", object, Some(result), true, wall_of(*n));
            }
            Entry::Arrived { scene, .. } if !seen_scenes.contains(scene) => {
                seen_scenes.push(*scene);
                let sc = s.scene(*scene);
                let object = json!({
                    "objectType": "Activity",
                    "id": format!("{scenario_iri}/scene/{}", sc.id),
                    "definition": {
                        "type": "http://adlnet.gov/expapi/activities/module",
                        "name": { "en-GB": s.without_names(&sc.title) },
                    }
                });
                push(sc.id.clone(), "experienced", object, None, true, last_action.map_or(h.started, wall_of));
            }
            _ => {}
        }
    }
    // Each break: suspended at the last step before it, resumed on coming back.
    for (i, r) in record.resumed.iter().enumerate() {
        let before = if r.after_actions == 0 { h.started } else { wall_of(r.after_actions - 1) };
        push(i.to_string(), "suspended", scenario_activity.clone(), None, false, before);
        push(i.to_string(), "resumed", scenario_activity.clone(), None, false, r.wall);
    }
    if let (Some(end), Some(ending)) = (&record.end, session.ending()) {
        let seconds = (end.wall - h.started).whole_seconds();
        let score = Score::of(session.rules(), session.state(), None);
        let raw = (score.overall * 10.0).round() / 10.0;
        let score_json = json!({ "scaled": raw / 100.0, "raw": raw, "min": 0, "max": 100 });
        push(
            String::new(),
            "completed",
            scenario_activity.clone(),
            Some(json!({
                "completion": true,
                "success": success(ending.outcome),
                "score": score_json,
                "duration": duration(seconds),
                "response": ending.id,
            })),
            false,
            end.wall,
        );
        let mut items = serde_json::Map::new();
        for c in Criterion::ALL {
            for item in &score.criterion(c).items {
                let key = match c {
                    Criterion::Inconsistencies => format!("inconsistency:{}", item.id),
                    Criterion::Carers => format!("carer:{}", item.id),
                    Criterion::Escalations => format!("escalation:{}", item.id),
                };
                items.insert(
                    key,
                    json!({ "status": item.status.label(), "credit": (item.fraction * 100.0).round(), "applicable": item.applicable }),
                );
            }
        }
        let mut extensions = serde_json::Map::new();
        for c in Criterion::ALL {
            let cs = score.criterion(c);
            extensions.insert(
                criterion_extension(c),
                if cs.applicable { json!((cs.score * 10.0).round() / 10.0) } else { json!("did not arise") },
            );
        }
        extensions.insert(format!("{BASE}/xapi/extensions/rubric-items"), Value::Object(items));
        extensions.insert(format!("{BASE}/xapi/extensions/outcome"), json!(ending.outcome.describe()));
        push(
            String::new(),
            "scored",
            scenario_activity.clone(),
            Some(json!({
                "success": success(ending.outcome),
                "score": score_json,
                "extensions": extensions,
            })),
            false,
            end.wall,
        );
        push(
            String::new(),
            "terminated",
            scenario_activity,
            Some(json!({ "duration": duration(seconds) })),
            false,
            end.wall,
        );
    }
    out
}

/// Sessions rebuilt from statements read back from an LRS, one per
/// registration: the header from the first statements, the actions from the
/// `answered` statements in their order. Nothing else is taken on trust: the
/// caller replays the actions and scores the result itself.
pub fn records_from(statements: &[Value]) -> Vec<(String, Result<crate::record::Record, String>)> {
    use crate::record::{ActionLine, Header, Record};
    let mut by_session: std::collections::BTreeMap<String, Vec<&Value>> = std::collections::BTreeMap::new();
    for st in statements {
        if let Some(r) = st["context"]["registration"].as_str() {
            by_session.entry(r.to_string()).or_default().push(st);
        }
    }
    let verb =
        |st: &Value| st["verb"]["id"].as_str().and_then(|v| v.rsplit('/').next()).unwrap_or_default().to_string();
    let parse_time = |st: &Value| {
        st["timestamp"]
            .as_str()
            .and_then(|t| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok())
    };
    by_session
        .into_iter()
        .map(|(registration, sts)| {
            let rebuilt = (|| -> Result<Record, String> {
                let session =
                    uuid::Uuid::parse_str(&registration).map_err(|_| "the registration is not a UUID".to_string())?;
                let first = sts
                    .iter()
                    .find(|st| matches!(verb(st).as_str(), "initialized" | "attempted"))
                    .ok_or("no initialized or attempted statement")?;
                let scenario = first["object"]["id"]
                    .as_str()
                    .and_then(|id| id.strip_prefix(&format!("{BASE}/scenario/")))
                    .ok_or("not a Second Look scenario")?
                    .to_string();
                let ext = &first["context"]["extensions"];
                let header = Header {
                    record: crate::record::RECORD_KIND.into(),
                    format: crate::record::RECORD_FORMAT,
                    session,
                    scenario,
                    scenario_version: ext[format!("{BASE}/xapi/extensions/scenario-version")]
                        .as_str()
                        .unwrap_or_default()
                        .into(),
                    seed: ext[format!("{BASE}/xapi/extensions/seed")].as_u64().ok_or("no seed")?,
                    started: parse_time(first).ok_or("no timestamp")?,
                    mode: if ext[format!("{BASE}/xapi/extensions/mode")] == "practice" {
                        Mode::Practice
                    } else {
                        Mode::Assessment
                    },
                    pseudonym: first["actor"]["account"]["name"].as_str().unwrap_or_default().into(),
                    app_version: String::new(),
                };
                let mut answered: Vec<(u64, String, OffsetDateTime)> = sts
                    .iter()
                    .filter(|st| verb(st) == "answered")
                    .filter_map(|st| {
                        let n = st["result"]["extensions"][format!("{BASE}/xapi/extensions/action-number")].as_u64()?;
                        Some((n, st["result"]["response"].as_str()?.to_string(), parse_time(st)?))
                    })
                    .collect();
                answered.sort_by_key(|(n, ..)| *n);
                answered.dedup_by_key(|(n, ..)| *n);
                if answered.iter().enumerate().any(|(i, (n, ..))| *n != i as u64) {
                    return Err("some of its actions are missing from the LRS".into());
                }
                let actions = answered
                    .into_iter()
                    .map(|(n, action, wall)| ActionLine {
                        n: n as usize,
                        action,
                        game_minutes: 0,
                        game_time: String::new(),
                        wall,
                    })
                    .collect();
                Ok(Record {
                    header,
                    actions,
                    reflections: Vec::new(),
                    end: None,
                    skipped: Vec::new(),
                    resumed: Vec::new(),
                })
            })();
            (registration, rebuilt)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_timestamps_have_the_forms_xapi_asks_for() {
        assert_eq!(duration(750), "PT0H12M30S");
        assert_eq!(duration(-5), "PT0H0M0S");
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap() + time::Duration::milliseconds(7);
        assert_eq!(timestamp(t), "2023-11-14T22:13:20.007Z");
    }
}
