//! A proof copy of a case for reviewers: the whole case as one readable,
//! printable HTML page (no scripts, nothing fetched) in story order, content
//! notes first, every part with its id as an anchor and on the page (so a
//! reviewer's comment can say "scene `home`, choice `ask_again`"), and the
//! rubric in plain words: what a practice educator or a safeguarding lead
//! signs off before a case is used.

use crate::report::escape;
use crate::scenario::model::{Condition, Effect, ScenarioFile, Source};
use std::collections::{BTreeSet, VecDeque};
use std::fmt::Write as _;

/// The scenes in story order: from the start, following where each choice
/// and event leads (breadth first), then any the start does not lead to.
pub fn story_order(f: &ScenarioFile) -> (Vec<usize>, Vec<usize>) {
    let index = |id: &str| f.scenes.iter().position(|s| s.id == id);
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut queue: VecDeque<usize> = index(&f.start).into_iter().collect();
    let event_targets: Vec<usize> = f.events.iter().filter_map(|e| e.goto.as_deref().and_then(index)).collect();
    queue.extend(event_targets);
    while let Some(i) = queue.pop_front() {
        if !seen.insert(i) {
            continue;
        }
        order.push(i);
        for c in &f.scenes[i].choices {
            if let Some(g) = c.goto.as_deref().and_then(index) {
                queue.push_back(g);
            }
        }
    }
    let rest = (0..f.scenes.len()).filter(|i| !seen.contains(i)).collect();
    (order, rest)
}

fn cond(c: &Condition) -> String {
    match c {
        Condition::Always => "always".into(),
        other => format!("{other:?}"),
    }
}

/// Whether a condition is the default (always true).
fn always(c: &Condition) -> bool {
    matches!(c, Condition::Always)
}

fn effects(e: &[Effect]) -> String {
    e.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")
}

fn anchor(kind: &str, id: &str) -> String {
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    format!("{kind}-{safe}")
}

/// The proof copy as a self-contained HTML page.
pub fn html(f: &ScenarioFile) -> String {
    let m = &f.meta;
    let mut b = String::new();
    let e = |t: &str| escape(t);
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"ids\">case <code>{}</code>, version {}, format {}</p>",
        e(&m.title),
        e(&m.id),
        e(&m.version),
        f.format
    );
    b.push_str("<section class=\"notes\"><h2 id=\"content-notes\">Content notes</h2><ul>");
    for n in &m.content_notes {
        let _ = write!(b, "<li>{}</li>", e(n));
    }
    b.push_str("</ul></section>");
    b.push_str(
        "<p class=\"quiet\">How to read this copy: the words in braces, such as <code>{child}</code>, are the people \
         below by their ids; each trainee sees names drawn from the case's name pools in their place. The short ids \
         in grey boxes are what a comment can point at (\u{201c}<code>ask_again</code>: the wording presumes\u{2026}\u{201d}); \
         each is also an anchor of this page.</p>",
    );
    let _ = write!(
        b,
        "<h2 id=\"about\">About the case</h2><p>{}</p><p><strong>Pattern:</strong> {}</p>",
        e(&m.summary),
        e(&m.pattern)
    );
    let _ = write!(
        b,
        "<p><strong>Themes:</strong> {}.</p><p><strong>Review themes:</strong> {}.</p><p><strong>About {} minutes.</strong></p><p><strong>Learning outcomes:</strong></p><ul>",
        e(&m.themes.join("; ")),
        e(&m.review_themes.join("; ")),
        m.estimated_minutes
    );
    for o in &m.learning_outcomes {
        let _ = write!(b, "<li>{}</li>", e(o));
    }
    b.push_str("</ul>");
    if !m.local_protocol.is_empty() {
        let _ = write!(b, "<p><strong>Local protocol assumed:</strong> {}</p>", e(&m.local_protocol));
    }
    let _ = write!(
        b,
        "<h2 id=\"briefing\">The briefing</h2><p>{}</p><blockquote>{}</blockquote>",
        e(&f.briefing.role),
        e(&f.briefing.referral)
    );
    b.push_str("<h2 id=\"people\">People</h2><table><tr><th>id</th><th>name</th><th>role</th><th>who</th></tr>");
    for p in &f.people {
        let carer = if p.carer { ", lives with or cares for the child" } else { "" };
        let known = if p.known_at_start { "" } else { "; not known to professionals at the start" };
        let _ = write!(
            b,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{:?}{}</td><td>{}{}</td></tr>",
            anchor("person", &p.id),
            e(&p.id),
            e(&format!("{:?}", p.name)),
            p.role,
            p.age.map(|a| format!(", {a}")).unwrap_or_default(),
            e(&p.description),
            e(&format!("{carer}{known}"))
        );
    }
    b.push_str(
        "</table><h2 id=\"facts\">What can be learned</h2><table><tr><th>id</th><th>from</th><th>what</th></tr>",
    );
    for x in &f.facts {
        let from = match &x.source {
            Source::Said(p) => format!("said by {p}"),
            Source::Seen(place) => format!("seen: {place}"),
            Source::Record(r) => format!("record: {r}"),
        };
        let variants =
            if x.variants.is_empty() { String::new() } else { format!(" (or, by seed: {})", x.variants.join(" / ")) };
        let _ = write!(
            b,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
            anchor("fact", &x.id),
            e(&x.id),
            e(&from),
            e(&x.text),
            e(&variants)
        );
    }
    b.push_str("</table><h2 id=\"scenes\">The scenes, in story order</h2>");
    let (order, rest) = story_order(f);
    for (heading, list) in [("", &order), ("Scenes the start does not lead to", &rest)] {
        if !heading.is_empty() && !list.is_empty() {
            let _ = write!(b, "<h3>{heading}</h3>");
        }
        for i in list {
            let s = &f.scenes[*i];
            let _ = write!(
                b,
                "<section class=\"scene\" id=\"{}\"><h3>{} <code>{}</code></h3><p class=\"quiet\">{}{}{}</p><p>{}</p>",
                anchor("scene", &s.id),
                e(&s.title),
                e(&s.id),
                e(&s.location),
                s.room.map(|r| format!(" · drawn as {r:?}")).unwrap_or_default(),
                if s.present.is_empty() { String::new() } else { format!(" · present: {}", e(&s.present.join(", "))) },
                e(&s.text)
            );
            if let Some(q) = &s.discussion {
                let _ = write!(b, "<p class=\"discussion\"><strong>Discussion:</strong> {}</p>", e(q));
            }
            for h in &s.hotspots {
                let _ = write!(
                    b,
                    "<div class=\"action\" id=\"{}\"><strong>Look at:</strong> {} <code>{}</code>{}<br>{}{}</div>",
                    anchor("action", &h.id),
                    e(&h.label),
                    e(&h.id),
                    if always(&h.when) { String::new() } else { format!(" <em>when {}</em>", e(&cond(&h.when))) },
                    e(&h.result),
                    if h.effects.is_empty() {
                        String::new()
                    } else {
                        format!(" <span class=\"quiet\">[{}]</span>", e(&effects(&h.effects)))
                    }
                );
            }
            for c in &s.choices {
                let goto = c
                    .goto
                    .as_ref()
                    .map(|g| format!(" → <a href=\"#{}\">{}</a>", anchor("scene", g), e(g)))
                    .unwrap_or_default();
                let _ = write!(
                    b,
                    "<div class=\"action\" id=\"{}\"><strong>Choice:</strong> {} <code>{}</code> <span class=\"quiet\">({:?}){}</span>{}<br>{}{}</div>",
                    anchor("action", &c.id),
                    e(&c.text),
                    e(&c.id),
                    c.cost,
                    if always(&c.when) { String::new() } else { format!(", when {}", e(&cond(&c.when))) },
                    goto,
                    e(&c.result),
                    if c.effects.is_empty() {
                        String::new()
                    } else {
                        format!(" <span class=\"quiet\">[{}]</span>", e(&effects(&c.effects)))
                    }
                );
            }
            b.push_str("</section>");
        }
    }
    b.push_str("<h2 id=\"events\">What happens anyway</h2>");
    for ev in &f.events {
        let _ = write!(
            b,
            "<div class=\"action\" id=\"{}\"><code>{}</code> at {:?}{}: {} <span class=\"quiet\">[{}]</span>{}</div>",
            anchor("event", &ev.id),
            e(&ev.id),
            ev.at,
            ev.unless.as_ref().map(|u| format!(", unless {}", e(&cond(u)))).unwrap_or_default(),
            e(&ev.text),
            e(&effects(&ev.effects)),
            if ev.preventable_by.is_empty() {
                String::new()
            } else {
                format!(" <em>prevented by meeting {}</em>", e(&ev.preventable_by.join(" or ")))
            }
        );
    }
    b.push_str("<h2 id=\"requests\">Requests to other agencies</h2>");
    for r in &f.requests {
        let _ = write!(
            b,
            "<div class=\"action\" id=\"{}\"><code>{}</code>: {} asked of {}, answered after {:?}<ul>",
            anchor("request", &r.id),
            e(&r.id),
            e(&r.asked),
            e(&r.agency),
            r.delay
        );
        for a in &r.answers {
            let _ = write!(
                b,
                "<li>{}{}</li>",
                if always(&a.when) { String::new() } else { format!("<em>when {}</em>: ", e(&cond(&a.when))) },
                e(&a.text)
            );
        }
        b.push_str("</ul></div>");
    }
    rubric(&mut b, f);
    b.push_str("<h2 id=\"endings\">How the case can end</h2><p class=\"quiet\">The first whose condition holds, in this order.</p>");
    for en in &f.endings {
        let _ = write!(
            b,
            "<div class=\"action\" id=\"{}\"><strong>{}</strong> <code>{}</code> ({:?}), {}<br>{}{}</div>",
            anchor("ending", &en.id),
            e(&en.title),
            e(&en.id),
            en.outcome,
            e(&if always(&en.when) { "otherwise".to_string() } else { format!("when {}", cond(&en.when)) }),
            e(&en.text),
            if en.preventable_by.is_empty() {
                String::new()
            } else {
                format!(" <em>Preventable by meeting {}.</em>", e(&en.preventable_by.join(" or ")))
            }
        );
    }
    b.push_str("<h2 id=\"sign-off\">Sign-off</h2><p class=\"blank\">Reviewed by (role, not name), date, and what was changed:</p>");
    crate::report::page(&format!("Proof copy: {}", m.title), STYLE, &b)
}

/// The rubric in plain words: what earns credit, by when, and why.
fn rubric(b: &mut String, f: &ScenarioFile) {
    let e = |t: &str| escape(t);
    let r = &f.rubric;
    // Ids in the reviewer's words: what a fact says, what a choice's button says.
    let fact = |id: &String| {
        f.facts.iter().find(|x| &x.id == id).map_or(id.clone(), |x| format!("\u{201c}{}\u{201d} ({id})", x.text))
    };
    let action = |id: &String| {
        f.scenes
            .iter()
            .flat_map(|s| {
                s.choices.iter().map(|c| (&c.id, &c.text)).chain(s.hotspots.iter().map(|h| (&h.id, &h.label)))
            })
            .find(|(i, _)| *i == id)
            .map_or(id.clone(), |(_, text)| format!("\u{201c}{text}\u{201d} ({id})"))
    };
    let facts = |ids: &[String]| ids.iter().map(fact).collect::<Vec<_>>().join(" and ");
    let actions = |ids: &[String]| ids.iter().map(action).collect::<Vec<_>>().join(" or ");
    b.push_str("<h2 id=\"rubric\">How the case is scored</h2><h3>Following up inconsistencies</h3>");
    for x in &r.inconsistencies {
        let _ = write!(
            b,
            "<div class=\"item\" id=\"{}\"><strong>{}</strong> <code>{}</code>: once the trainee knows {}, they should follow it up with {} (late after {:?}). <em>Learning point:</em> {} <em>Reviews found:</em> {}</div>",
            anchor("rubric", &x.id),
            e(&x.title),
            e(&x.id),
            e(&facts(&x.facts)),
            e(&actions(&x.followed_up_by)),
            x.late_after,
            e(&x.learning_point),
            e(&x.review_finding)
        );
    }
    b.push_str("<h3>Checking every carer</h3>");
    for c in &r.carers {
        let _ = write!(
            b,
            "<div class=\"item\" id=\"{}\"><strong>{}</strong> must be: {}. <em>Learning point:</em> {} <em>Reviews found:</em> {}</div>",
            anchor("carer", &c.person),
            e(&c.person),
            e(&c.checks.join(", ")),
            e(&c.learning_point),
            e(&c.review_finding)
        );
    }
    b.push_str("<h3>Escalating in time</h3>");
    for x in &r.escalations {
        let how = match (&x.met_when, x.counts.is_empty()) {
            (Some(m), _) => format!("met when {}", cond(m)),
            (None, false) => {
                format!("met by {}", x.counts.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>().join(" or "))
            }
            (None, true) => format!("met by {}", actions(&x.met_by)),
        };
        let _ = write!(
            b,
            "<div class=\"item\" id=\"{}\"><strong>{}</strong> <code>{}</code>: when {}, {}, by {:?} ({}). <em>Learning point:</em> {} <em>Reviews found:</em> {}</div>",
            anchor("rubric", &x.id),
            e(&x.title),
            e(&x.id),
            e(&cond(&x.trigger)),
            e(&how),
            x.deadline,
            e(&x.timescale),
            e(&x.learning_point),
            e(&x.review_finding)
        );
    }
    if !r.overreach.is_empty() || !r.penalties.is_empty() {
        b.push_str("<h3>Going further than the facts call for, and practice that harms</h3>");
    }
    for o in &r.overreach {
        let _ = write!(
            b,
            "<div class=\"item\" id=\"{}\"><code>{}</code>: {:?} when {} costs {} points. {}</div>",
            anchor("rubric", &o.id),
            e(&o.id),
            o.route,
            e(&cond(&o.when)),
            o.penalty,
            e(&o.reason)
        );
    }
    for p in &r.penalties {
        let _ = write!(
            b,
            "<div class=\"item\" id=\"{}\"><strong>{}</strong> <code>{}</code>: when {}, {} points off {:?}. {} <em>Reviews found:</em> {}</div>",
            anchor("rubric", &p.id),
            e(&p.title),
            e(&p.id),
            e(&cond(&p.when)),
            p.points,
            p.criterion,
            e(&p.reason),
            e(&p.review_finding)
        );
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d}\
code{background:#f0eee8;padding:0 .2rem}.quiet{color:#444}.ids{color:#444}.notes{border:2px solid #7a1d1d;padding:.2rem 1rem;margin:1rem 0}\
.scene{border-top:2px solid #999;margin-top:1.2rem}.action,.item{margin:.5rem 0 .5rem 1rem}.discussion{background:#eef1f6;padding:.4rem}\
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}blockquote{border-left:4px solid #999;margin:.5rem 0;padding:.2rem .8rem}\
.blank{border:1px dashed #999;padding:2rem .5rem}\
@page{size:A4;margin:16mm 14mm}@media print{body{margin:0;max-width:none;font-size:10.5pt}h2,h3{break-after:avoid}.action,.item,tr{break-inside:avoid}}";

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> ScenarioFile {
        crate::scenario::load_model("t.ron", text).unwrap_or_else(|e| panic!("{}", e.render(false)))
    }

    #[test]
    fn the_proof_copy_has_content_notes_first_every_part_by_id_and_no_script() {
        let text = crate::scenario::new_case("proof-test", "A <proof> & test");
        let f = model(&text);
        let page = html(&f);
        let notes = page.find("Content notes").expect("content notes");
        let first_scene = page.find("class=\"scene\"").expect("a scene");
        assert!(notes < first_scene, "content notes come first");
        for s in &f.scenes {
            assert!(page.contains(&format!("id=\"scene-{}\"", s.id)), "scene {}", s.id);
            for c in &s.choices {
                assert!(page.contains(&format!("id=\"action-{}\"", c.id)), "choice {}", c.id);
            }
        }
        for x in &f.rubric.escalations {
            assert!(page.contains(&format!("id=\"rubric-{}\"", x.id)));
        }
        assert!(page.contains("A &lt;proof&gt; &amp; test"), "escaped");
        assert!(!page.contains("<script"), "no script");
        assert!(page.contains("Sign-off"));
    }

    #[test]
    fn story_order_starts_at_the_start_and_follows_the_choices() {
        let f = model(&crate::scenario::new_case("order-test", "Order"));
        let (order, rest) = story_order(&f);
        assert_eq!(f.scenes[order[0]].id, f.start);
        assert_eq!(order.len() + rest.len(), f.scenes.len());
    }
}
