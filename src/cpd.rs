//! A CPD record: the one page a registered social worker keeps for a piece of
//! continuing professional development, written from a session record.
//!
//! It follows the headings of Social Work England's CPD form (type, title,
//! date, what it was and why it matters, what was learned, the impact on
//! practice, and a peer reflection box left blank for the trainee) and says
//! which parts of the professional standards the session relates to. The
//! frameworks are named with their versions because they change (the DfE's
//! early career standards replace the KSS from April 2027). Nothing here
//! names a real case.

use crate::record::Record;
use crate::report::escape;
use crate::scoring::{Criterion, Score};
use crate::sim::Session;
use std::fmt::Write as _;

/// A framework and the parts of it a session relates to.
#[derive(Clone, Debug, PartialEq)]
pub struct Tags {
    /// The framework, with its version.
    pub framework: &'static str,
    /// The parts, in its own numbering and words.
    pub parts: Vec<&'static str>,
}

/// The standards every Second Look session relates to, whatever the case:
/// a simulation with a debrief is feedback, research-informed practice,
/// reflection and recorded learning.
fn always() -> Vec<Tags> {
    vec![
        Tags {
            framework: "Social Work England professional standards (2019), standard 4: CPD",
            parts: vec![
                "4.1 incorporate feedback from a range of sources",
                "4.3 keep practice up to date and record how research, theories and frameworks inform it",
                "4.6 reflect on learning",
                "4.7 record learning and reflection",
            ],
        },
        Tags {
            framework: "BASW Professional Capabilities Framework (2018)",
            parts: vec!["6 Critical reflection and analysis", "5 Knowledge"],
        },
    ]
}

/// The parts each criterion exercises.
fn for_criterion(c: Criterion) -> Vec<Tags> {
    let kss = "DfE Knowledge and skills statement for child and family practitioners (2014, reissued 2018)";
    match c {
        Criterion::Inconsistencies => vec![
            Tags {
                framework: kss,
                parts: vec!["6 Child and family assessment", "7 Analysis, decision-making, planning and review"],
            },
            Tags {
                framework: "Social Work England professional standards (2019)",
                parts: vec!["3 Be accountable for the quality of my practice and the decisions I make"],
            },
        ],
        Criterion::Carers => vec![
            Tags { framework: kss, parts: vec!["5 Abuse and neglect of children", "6 Child and family assessment"] },
            Tags {
                framework: "BASW Professional Capabilities Framework (2018)",
                parts: vec!["7 Skills and interventions"],
            },
        ],
        Criterion::Escalations => vec![
            Tags {
                framework: kss,
                parts: vec![
                    "8 The law and the family and youth justice systems",
                    "9 The role of supervision and research",
                    "10 Organisational context",
                ],
            },
            Tags {
                framework: "BASW Professional Capabilities Framework (2018)",
                parts: vec!["8 Contexts and organisations"],
            },
            Tags {
                framework: "Social Work England professional standards (2019)",
                parts: vec!["3 Be accountable for the quality of my practice and the decisions I make"],
            },
        ],
    }
}

/// The standards a session relates to: the general ones and those of the
/// three criteria, which every case exercises.
pub fn standards() -> Vec<Tags> {
    let mut tags = always();
    for c in Criterion::ALL {
        for t in for_criterion(c) {
            match tags.iter_mut().find(|x| x.framework == t.framework) {
                Some(existing) => {
                    for p in t.parts {
                        if !existing.parts.contains(&p) {
                            existing.parts.push(p);
                        }
                    }
                }
                None => tags.push(t),
            }
        }
    }
    tags
}

/// What goes on the page.
#[derive(Clone, Debug)]
pub struct CpdRecord {
    /// The trainee's name, if they gave one (otherwise blank to fill in).
    pub name: String,
    /// The date, in words.
    pub date: String,
    /// Minutes spent playing: the time between one step and the next, each
    /// gap counted up to [`IDLE_CAP_MINUTES`] (a lunch break is not CPD).
    pub minutes: i64,
    /// The scenario's title.
    pub title: String,
    /// Its themes.
    pub themes: Vec<String>,
    /// Its learning outcomes.
    pub outcomes: Vec<String>,
    /// What the debrief says was learned: the learning points of the few
    /// items that mattered most among those not fully earned (the heaviest,
    /// at most [`LEARNED_MAX`]), or a line saying all were.
    pub learned: Vec<String>,
    /// How many more learning points the debrief has.
    pub more_learned: usize,
    /// The trainee's reflections, each with the question it answered.
    pub reflections: Vec<(String, String)>,
    /// The overall score and the ending, in words, only if the trainee chose
    /// to include it; the outcome for the child otherwise.
    pub result: String,
    /// Ties the page to its session record: the record's file, the session
    /// id, the scenario's id and version, and the seed.
    pub reference: String,
    /// Standards.
    pub standards: Vec<Tags>,
}

/// The longest gap between two steps counted as time spent.
pub const IDLE_CAP_MINUTES: i64 = 10;

/// The most learning points the page lists (the debrief has them all).
pub const LEARNED_MAX: usize = 3;

/// What the trainee chose to put on their page.
#[derive(Clone, Debug, Default)]
pub struct CpdChoices {
    /// Their name, if they gave one (otherwise blank to fill in).
    pub name: String,
    /// Whether to include the score (off unless they ask: a page for their
    /// portfolio, not a mark).
    pub include_score: bool,
    /// The record's file name, for the reference.
    pub record_name: String,
}

impl CpdRecord {
    /// Builds the record from a session record and its replayed session.
    pub fn of(record: &Record, session: &Session, choices: &CpdChoices) -> CpdRecord {
        let s = session.scenario();
        let score = Score::of(session.rules(), session.state(), Some(session.journal()));
        let mut times: Vec<time::OffsetDateTime> = std::iter::once(record.header.started)
            .chain(record.actions.iter().map(|a| a.wall))
            .chain(record.reflections.iter().map(|r| r.wall))
            .chain(record.end.iter().map(|e| e.wall))
            .collect();
        times.sort();
        let minutes = times
            .windows(2)
            .map(|w| (w[1] - w[0]).whole_seconds().clamp(0, IDLE_CAP_MINUTES * 60))
            .sum::<i64>()
            .div_euclid(60);
        let mut missed: Vec<(f64, String)> = Vec::new();
        for c in Criterion::ALL {
            for item in &score.criterion(c).items {
                if item.applicable && item.fraction < 1.0 && !missed.iter().any(|(_, l)| *l == item.learning_point) {
                    missed.push(((1.0 - item.fraction) * item.weight, item.learning_point.clone()));
                }
            }
        }
        missed.sort_by(|a, b| b.0.total_cmp(&a.0));
        let more_learned = missed.len().saturating_sub(LEARNED_MAX);
        let mut learned: Vec<String> = missed.into_iter().take(LEARNED_MAX).map(|(_, l)| l).collect();
        if learned.is_empty() {
            learned.push(
                "Every item in the debrief was earned: the session confirmed practice in following up inconsistencies, checking every carer and escalating in time."
                    .into(),
            );
        }
        let date = record.header.started.date();
        let outcome =
            session.ending().map_or("the case was not finished".to_string(), |e| e.outcome.describe().to_string());
        let h = &record.header;
        CpdRecord {
            name: choices.name.clone(),
            date: format!("{} {} {}", date.day(), date.month(), date.year()),
            minutes,
            title: s.meta.title.clone(),
            themes: s.meta.themes.clone(),
            outcomes: s.meta.learning_outcomes.clone(),
            learned,
            more_learned,
            reflections: record
                .reflections
                .iter()
                .filter(|r| !r.text.trim().is_empty())
                .map(|r| {
                    let question = s
                        .scene_id(&r.scene)
                        .and_then(|sc| s.scene(sc).discussion.clone())
                        .map(|q| session.render(&q))
                        .unwrap_or_default();
                    (question, r.text.clone())
                })
                .collect(),
            result: if choices.include_score {
                format!("Overall {:.0} out of 100; outcome for the child: {outcome}", score.overall)
            } else {
                format!("Outcome for the child: {outcome}")
            },
            reference: format!(
                "Second Look session {} (record {}), scenario {} version {}, seed {}",
                h.session, choices.record_name, h.scenario, h.scenario_version, h.seed
            ),
            standards: standards(),
        }
    }

    /// The page as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# CPD record: {}\n", self.title);
        let _ = writeln!(out, "| | |\n|---|---|");
        let _ = writeln!(out, "| Name | {} |", if self.name.is_empty() { "&nbsp;" } else { &self.name });
        let _ = writeln!(out, "| Date | {} |", self.date);
        let _ = writeln!(out, "| Type of CPD | Simulated case (Second Look) with structured debrief |");
        let _ = writeln!(out, "| Time spent | {} minutes |", self.minutes);
        let _ = writeln!(out, "| Themes | {} |\n", self.themes.join("; "));
        let _ = writeln!(out, "## What it was and why it matters\n");
        let _ = writeln!(
            out,
            "A simulated child protection case, based on a pattern from published serious case reviews, played over several days of in-game time and scored on following up inconsistencies, checking every carer and escalating in time. {}.\n",
            self.result
        );
        let _ = writeln!(out, "Intended learning:\n");
        for o in &self.outcomes {
            let _ = writeln!(out, "- {o}");
        }
        let _ = writeln!(out, "\n## What I learned\n");
        for l in &self.learned {
            let _ = writeln!(out, "- {l}");
        }
        if self.more_learned > 0 {
            let _ = writeln!(out, "- ({} more in the debrief)", self.more_learned);
        }
        let _ = writeln!(out, "\n## My reflections\n");
        if self.reflections.is_empty() {
            let _ = writeln!(out, "(none written during the session; add your own here)");
        }
        for (question, r) in &self.reflections {
            if !question.is_empty() {
                let _ = writeln!(out, "*{question}*\n");
            }
            let _ = writeln!(out, "> {}\n", r.replace('\n', "\n> "));
        }
        let _ =
            writeln!(out, "\n## Impact on my practice\n\n(to complete: what will you do differently, and for whom?)\n");
        let _ = writeln!(
            out,
            "## Peer reflection\n\n(to complete with a peer: their role, not their name. A facilitated group debrief can count as the peer reflection.)\n"
        );
        let _ = writeln!(out, "## Professional standards this relates to\n");
        for t in &self.standards {
            let _ = writeln!(out, "- **{}**: {}", t.framework, t.parts.join("; "));
        }
        let _ = writeln!(
            out,
            "\n*Check the wording against the current standards: frameworks are revised (the DfE's early career standards apply from April 2027).*"
        );
        let _ = writeln!(out, "\n---\n{}", self.reference);
        out
    }

    /// The page as self-contained HTML.
    pub fn html(&self) -> String {
        let mut body = String::new();
        let _ = write!(body, "<h1>CPD record: {}</h1><table>", escape(&self.title));
        for (k, v) in [
            ("Name", self.name.clone()),
            ("Date", self.date.clone()),
            ("Type of CPD", "Simulated case (Second Look) with structured debrief".into()),
            ("Time spent", format!("{} minutes", self.minutes)),
            ("Themes", self.themes.join("; ")),
        ] {
            let _ = write!(body, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
        }
        body.push_str("</table><h2>What it was and why it matters</h2>");
        let _ = write!(
            body,
            "<p>A simulated child protection case, based on a pattern from published serious case reviews, played over several days of in-game time and scored on following up inconsistencies, checking every carer and escalating in time. {}.</p><p>Intended learning:</p><ul>",
            escape(&self.result)
        );
        for o in &self.outcomes {
            let _ = write!(body, "<li>{}</li>", escape(o));
        }
        body.push_str("</ul><h2>What I learned</h2><ul>");
        for l in &self.learned {
            let _ = write!(body, "<li>{}</li>", escape(l));
        }
        if self.more_learned > 0 {
            let _ = write!(body, "<li class=\"quiet\">({} more in the debrief)</li>", self.more_learned);
        }
        body.push_str("</ul><h2>My reflections</h2>");
        if self.reflections.is_empty() {
            body.push_str("<p class=\"blank\">(none written during the session; add your own here)</p>");
        }
        for (question, r) in &self.reflections {
            body.push_str("<div class=\"reflection\">");
            if !question.is_empty() {
                let _ = write!(body, "<p class=\"question\">{}</p>", escape(question));
            }
            let _ = write!(body, "<blockquote>{}</blockquote></div>", escape(r));
        }
        body.push_str(
            "<h2>Impact on my practice</h2><p class=\"blank\">(to complete: what will you do differently, and for whom?)</p>\
             <h2>Peer reflection</h2><p class=\"blank\">(to complete with a peer: their role, not their name. A facilitated group debrief can count as the peer reflection.)</p>\
             <h2>Professional standards this relates to</h2><ul>",
        );
        for t in &self.standards {
            let _ = write!(body, "<li><strong>{}</strong>: {}</li>", escape(t.framework), escape(&t.parts.join("; ")));
        }
        body.push_str("</ul><p class=\"quiet\">Check the wording against the current standards: frameworks are revised (the DfE's early career standards apply from April 2027).</p>");
        let _ = write!(body, "<p class=\"reference\">{}</p>", escape(&self.reference));
        crate::report::page(&format!("CPD record: {}", self.title), STYLE, &body)
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d}\
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left}th{background:#f0eee8}\
.blank{color:#555;border:1px dashed #aaa;padding:1.5rem .5rem}.quiet{color:#444;font-size:.9rem}blockquote{border-left:4px solid #999;margin:.5rem 0;padding:.2rem .8rem}\
.question{font-style:italic;margin:.8rem 0 .2rem}.reference{color:#444;font-size:.85rem;border-top:1px solid #bbb;margin-top:2rem;padding-top:.4rem}\
@page{size:A4;margin:18mm 16mm}\
@media print{body{margin:0;max-width:none;font-size:11pt}h1,h2{break-after:avoid;page-break-after:avoid}\
.reflection,li,tr,blockquote,.blank{break-inside:avoid;page-break-inside:avoid}.blank{padding:.8rem .5rem}}";
