//! Sessions as xAPI 1.0.3 statements, for a learning record store.
//!
//! Built with serde (the Rust xAPI crates are GPL). Each record becomes:
//! *attempted* the scenario; *experienced* each scene on first arrival;
//! *answered* each choice (a `cmi.interaction` with the choice as the
//! response); *completed* with the time spent; and *scored* with the overall
//! score and, as result extensions, the three criteria and every rubric item.
//! The actor is a pseudonymous account unless an email is given; statement
//! ids are derived from the session id, so exporting the same record twice
//! gives the same statements (an LRS treats a re-send as a duplicate, not a
//! conflict). Nothing is sent anywhere: the user takes the file to their LRS.

use crate::record::{Mode, Record};
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// Where Second Look's own IRIs live.
pub const BASE: &str = "https://w3id.org/second-look";

/// The ADL verbs used.
pub const VERBS: [&str; 5] = ["attempted", "experienced", "answered", "completed", "scored"];

/// How the actor is named.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    /// An email address, only if the trainee chose to give one.
    pub mbox: Option<String>,
}

fn verb(name: &str) -> Value {
    json!({ "id": format!("http://adlnet.gov/expapi/verbs/{name}"), "display": { "en-GB": name } })
}

/// An RFC 3339 timestamp with milliseconds, in UTC.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
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
    let mut push = |verb_name: &str, object: Value, result: Option<Value>, parent: bool, at: OffsetDateTime| {
        let id = uuid::Uuid::new_v5(&h.session, format!("{}:{verb_name}", out.len()).as_bytes());
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

    push("attempted", scenario_activity.clone(), None, false, h.started);
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
                        "name": { "en-GB": session.render(&a.text) },
                    }
                });
                let result = json!({
                    "response": a.id,
                    "extensions": {
                        format!("{BASE}/xapi/extensions/game-time"): s.calendar.describe(*at),
                        format!("{BASE}/xapi/extensions/scene"): s.action_scene_id(*action),
                    }
                });
                push("answered", object, Some(result), true, wall_of(*n));
            }
            Entry::Arrived { scene, .. } if !seen_scenes.contains(scene) => {
                seen_scenes.push(*scene);
                let sc = s.scene(*scene);
                let object = json!({
                    "objectType": "Activity",
                    "id": format!("{scenario_iri}/scene/{}", sc.id),
                    "definition": {
                        "type": "http://adlnet.gov/expapi/activities/module",
                        "name": { "en-GB": session.render(&sc.title) },
                    }
                });
                push("experienced", object, None, true, last_action.map_or(h.started, wall_of));
            }
            _ => {}
        }
    }
    if let (Some(end), Some(ending)) = (&record.end, session.ending()) {
        let seconds = (end.wall - h.started).whole_seconds();
        push(
            "completed",
            scenario_activity.clone(),
            Some(json!({
                "completion": true,
                "duration": duration(seconds),
                "response": ending.id,
            })),
            false,
            end.wall,
        );
        let score = Score::of(session.rules(), session.state(), None);
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
        let criteria: serde_json::Map<String, Value> = Criterion::ALL
            .iter()
            .map(|c| {
                let cs = score.criterion(*c);
                (
                    c.title().to_string(),
                    if cs.applicable { json!((cs.score * 10.0).round() / 10.0) } else { json!("did not arise") },
                )
            })
            .collect();
        let raw = (score.overall * 10.0).round() / 10.0;
        push(
            "scored",
            scenario_activity,
            Some(json!({
                "score": { "scaled": raw / 100.0, "raw": raw, "min": 0, "max": 100 },
                "extensions": {
                    format!("{BASE}/xapi/extensions/criteria"): criteria,
                    format!("{BASE}/xapi/extensions/rubric-items"): items,
                    format!("{BASE}/xapi/extensions/outcome"): ending.outcome.describe(),
                }
            })),
            false,
            end.wall,
        );
    }
    out
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
