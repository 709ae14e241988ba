//! A case map for an author: one self-contained HTML page (no scripts,
//! nothing fetched) with the scenes grouped by place, each a card whose text
//! opens on a click (`<details>`), its choices with where they lead, what
//! they need (as the file writes it), which rubric items they count for and
//! whether they end the case, and the exemplary and credulous paths marked on the scenes and
//! choices they take; then the rubric and the endings.

use crate::report::escape;
use crate::scenario::{ActionKind, Scenario};
use crate::sim::Session;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A built-in path to mark on the map.
pub struct MapPath<'a> {
    /// Its name ("exemplary").
    pub name: &'a str,
    /// Its mark (one letter).
    pub mark: char,
    /// The sessions it was played in (one per version of the case).
    pub sessions: &'a [Session],
}

/// The map as a self-contained HTML page.
pub fn html(s: &Scenario, paths: &[MapPath]) -> String {
    let e = |t: &str| escape(t);
    let visited = |p: &MapPath, scene: usize| {
        p.sessions.iter().any(|x| {
            x.journal().iter().any(|j| matches!(j, crate::sim::Entry::Arrived { scene: sc, .. } if sc.ix() == scene))
        })
    };
    let took = |p: &MapPath, a: usize| p.sessions.iter().any(|x| x.actions().iter().any(|t| t.ix() == a));
    let marks = |on: &dyn Fn(&MapPath) -> bool| -> String {
        paths
            .iter()
            .filter(|p| on(p))
            .map(|p| format!("<span class=\"mark m{}\" title=\"on the {} path\">{}</span>", p.mark, p.name, p.mark))
            .collect()
    };
    // Places in the order the documentation lists them (the office first).
    let mut groups: BTreeMap<usize, (&str, Vec<usize>)> = BTreeMap::new();
    for (i, sc) in s.scenes.iter().enumerate() {
        let order = crate::scenario::RoomKind::ALL.iter().position(|k| *k == sc.room).unwrap_or(usize::MAX);
        groups.entry(order).or_insert((sc.room.words(), Vec::new())).1.push(i);
    }
    let serves = rubric_served(s);
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>Case map: {}</h1><p class=\"quiet\">{} scenes, {} choices and hotspots. Start: <a href=\"#scene-{}\">{}</a>. ",
        e(&s.meta.title),
        s.scenes.len(),
        s.actions.len(),
        e(&s.scene(s.start).id),
        e(&s.scene(s.start).title)
    );
    for p in paths {
        let _ = write!(b, "<span class=\"mark m{}\">{}</span> {} path. ", p.mark, p.mark, p.name);
    }
    b.push_str("Click a scene to read it.</p><div class=\"groups\">");
    for (place, scenes) in groups.values() {
        let _ = write!(b, "<section class=\"group\"><h2>{}</h2>", e(place));
        for i in scenes {
            let sc = &s.scenes[*i];
            let start = if *i == s.start.ix() { " <strong>start</strong>" } else { "" };
            let _ = write!(
                b,
                "<details class=\"scene\" id=\"scene-{}\"><summary>{} <code>{}</code>{start} {}</summary><p class=\"quiet\">{}</p><p>{}</p><ul>",
                e(&sc.id),
                e(&s.without_names(&sc.title)),
                e(&sc.id),
                marks(&|p| visited(p, *i)),
                e(&sc.location),
                e(&s.without_names(&sc.text))
            );
            for a in sc.hotspots.iter().chain(&sc.choices) {
                let def = s.action(*a);
                let kind = if def.kind == ActionKind::Hotspot { "look: " } else { "" };
                let goto = def
                    .goto
                    .map(|g| format!(" → <a href=\"#scene-{}\">{}</a>", e(&s.scene(g).id), e(&s.scene(g).id)))
                    .unwrap_or_default();
                let when = if def.when == crate::scenario::Cond::Always {
                    String::new()
                } else {
                    format!(" <span class=\"when\">needs {}</span>", e(&crate::author::written(s, &def.when)))
                };
                let ends = if def.effects.contains(&crate::scenario::Eff::EndCase) {
                    " <span class=\"ends\">ends the case</span>"
                } else {
                    ""
                };
                let rubric: String = serves[a.ix()]
                    .iter()
                    .map(|id| format!(" <span class=\"rubric\" title=\"counts for this rubric item\">{}</span>", e(id)))
                    .collect();
                let _ = write!(
                    b,
                    "<li>{kind}{} <code>{}</code>{goto}{when}{ends}{rubric} {}</li>",
                    e(&s.without_names(&def.text)),
                    e(&def.id),
                    marks(&|p| took(p, a.ix()))
                );
            }
            b.push_str("</ul></details>");
        }
        b.push_str("</section>");
    }
    b.push_str("</div><h2>Rubric</h2><ul>");
    for x in &s.rubric.escalations {
        let _ = write!(
            b,
            "<li><strong>escalation</strong> <code>{}</code>: {}</li>",
            e(&x.id),
            e(&s.without_names(&x.title))
        );
    }
    for x in &s.rubric.inconsistencies {
        let _ = write!(
            b,
            "<li><strong>inconsistency</strong> <code>{}</code>: {}</li>",
            e(&x.id),
            e(&s.without_names(&x.title))
        );
    }
    for x in &s.rubric.carers {
        let _ = write!(b, "<li><strong>carer</strong> <code>{}</code></li>", e(&s.person(x.person).id));
    }
    b.push_str("</ul><h2>Endings</h2><ul>");
    for en in &s.endings {
        let reached = |p: &MapPath| p.sessions.iter().any(|x| x.ending().is_some_and(|d| d.id == en.id));
        let _ = write!(
            b,
            "<li class=\"ending\"><code>{}</code> ({}): {} {}</li>",
            e(&en.id),
            e(en.outcome.describe()),
            e(&s.without_names(&en.title)),
            marks(&|p| reached(p))
        );
    }
    b.push_str("</ul>");
    crate::report::page(&format!("Case map: {}", s.meta.title), STYLE, &b)
}

/// For each action, the rubric items it counts for: following up an
/// inconsistency, a check a carer item needs, a route or choice that meets
/// an escalation, a choice that refuses one ("refuses" marked), a penalty's `Did`.
fn rubric_served(s: &Scenario) -> Vec<Vec<String>> {
    use crate::scenario::{Cond, Eff};
    let mut serves = vec![Vec::new(); s.actions.len()];
    for x in &s.rubric.inconsistencies {
        for a in &x.followed_up_by {
            serves[a.ix()].push(x.id.clone());
        }
    }
    for (i, def) in s.actions.iter().enumerate() {
        for eff in &def.effects {
            match eff {
                Eff::Check(p, c) if s.rubric.carers.iter().any(|x| x.person == *p && x.checks.contains(c)) => {
                    serves[i].push(format!("carer {}", s.person(*p).id));
                }
                Eff::Escalate(route) => {
                    for x in s.rubric.escalations.iter().filter(|x| x.counts.contains(route)) {
                        serves[i].push(x.id.clone());
                    }
                }
                _ => {}
            }
        }
    }
    for x in &s.rubric.escalations {
        for a in &x.met_by {
            serves[a.ix()].push(x.id.clone());
        }
        for a in &x.refused_by {
            serves[a.ix()].push(format!("refuses {}", x.id));
        }
    }
    for x in &s.rubric.penalties {
        if let Cond::Did(a) = x.when {
            serves[a.ix()].push(format!("penalty {}", x.id));
        }
    }
    for list in &mut serves {
        list.sort();
        list.dedup();
    }
    serves
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4;color:#1d1d1d}code{background:#f0eee8;padding:0 .2rem}\
.quiet{color:#444}.groups{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.group{flex:1 1 18rem;max-width:26rem;border:1px solid #bbb;padding:.3rem .6rem}\
.scene{margin:.3rem 0;border-left:4px solid #ccc;padding-left:.4rem}.scene[open]{border-color:#555}summary{cursor:pointer}\
.mark{display:inline-block;min-width:1.1rem;text-align:center;border-radius:.6rem;font-size:.8rem;font-weight:bold;color:#fff;margin-left:.15rem}\
.mE{background:#1d6b33}.mC{background:#a11d1d}.when{color:#5b3b00;font-size:.85rem}li{margin:.15rem 0}\
.ends{font-size:.8rem;font-weight:bold;color:#6b1d1d}.rubric{font-size:.8rem;background:#e8eef8;border:1px solid #9ab;border-radius:.3rem;padding:0 .25rem;margin-left:.2rem}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_marks_the_path_and_holds_every_scene_without_a_script() {
        let text = crate::scenario::new_case("map-test", "Map");
        let s = std::sync::Arc::new(crate::scenario::load_str("m.ron", &text).expect("it loads").0);
        let mut session = Session::new(s.clone(), 1);
        for id in ["call_nursery", "visit", "ask"] {
            session.take_id(id).expect("plays");
        }
        let sessions = vec![session];
        let page = html(&s, &[MapPath { name: "exemplary", mark: 'E', sessions: &sessions }]);
        for sc in &s.scenes {
            assert!(page.contains(&format!("<details class=\"scene\" id=\"scene-{}\"", sc.id)));
        }
        assert!(
            page.contains("<code>call_nursery</code> <span class=\"mark mE\""),
            "the path is marked on its choices"
        );
        let line = |id: &str| {
            let at = page.find(&format!("<code>{id}</code>")).expect("the choice is on the map");
            page[at..at + page[at..].find("</li>").expect("in a list item")].to_string()
        };
        assert!(
            line("ask_again").contains("needs Knows(&quot;grip&quot;)"),
            "conditions as written: {}",
            line("ask_again")
        );
        assert!(line("ask_again").contains(">fall_vs_grip</span>"), "the rubric item it counts for");
        assert!(line("strategy").contains(">strategy_in_time</span>"), "a route that meets an escalation");
        assert!(line("close").contains("ends the case") && line("close").contains("refuses strategy_in_time"));
        assert!(line("meet_partner").contains(">carer partner</span>"), "a carer's check");
        let (office, flat) = (page.find("<h2>Office</h2>"), page.find("<h2>Flat</h2>"));
        assert!(office.is_some() && office < flat, "places in words, the office first");
        assert!(!page.contains("<script"));
        assert!(!page.contains("Amy") && !page.contains("Beth"), "no seed's names");
    }
}
