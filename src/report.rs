//! The debrief as a document: Markdown, and a self-contained HTML page with
//! the timeline drawn as a chart. The same content as the in-game debrief,
//! built from the same [`Score`] and the same [`Timeline`].

use crate::clock::{InGameTime, MINUTES_PER_DAY};
use crate::record::Mode;
use crate::scenario::ActionKind;
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use std::fmt::Write as _;

/// Which side of the timeline a mark is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// What the trainee did.
    Trainee,
    /// What the experienced practitioner did, on the same seed.
    Expert,
    /// What happened in the case (events, answers, thresholds, deadlines).
    Case,
}

/// What a mark on the timeline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A choice or a look.
    Action,
    /// An escalation.
    Escalation,
    /// A request sent to an agency.
    Request,
    /// An agency's answer.
    Answer,
    /// Something that happened (seen or not).
    Event,
    /// An escalation threshold reached.
    Threshold,
    /// A deadline that was met.
    DeadlineMet,
    /// A deadline that passed without escalation.
    DeadlineMissed,
    /// The end of the case.
    End,
}

/// One mark on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// When.
    pub at: InGameTime,
    /// Which lane.
    pub lane: Lane,
    /// What.
    pub kind: MarkKind,
    /// In words.
    pub label: String,
}

/// The trainee's actions against the case's events, over the case's time.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The first moment.
    pub start: InGameTime,
    /// The last moment shown.
    pub end: InGameTime,
    /// Every mark, in time order.
    pub marks: Vec<Mark>,
}

impl Timeline {
    /// Builds the timeline of a session and its score.
    pub fn of(session: &Session, score: &Score) -> Timeline {
        let s = session.scenario();
        let mut marks = Vec::new();
        for e in session.journal() {
            let at = Session::entry_time(e);
            let mark = |lane, kind, label: String| Mark { at, lane, kind, label };
            match e {
                Entry::Took { action, .. } => {
                    let a = s.action(*action);
                    // Moving between screens of the office is not an action worth a mark.
                    let moves_only = a.effects.is_empty() && a.cost.after(at, &s.calendar) == at;
                    if !moves_only {
                        let label = match a.kind {
                            ActionKind::Choice | ActionKind::Supervision => session.render(&a.text),
                            ActionKind::Hotspot => {
                                format!("Looked at {}", crate::sim::in_sentence(&session.render(&a.text)))
                            }
                        };
                        marks.push(mark(Lane::Trainee, MarkKind::Action, label));
                    }
                }
                Entry::Escalated { route, .. } => {
                    marks.push(mark(Lane::Trainee, MarkKind::Escalation, format!("Escalation: {}", route.describe())))
                }
                Entry::Requested { request, .. } => {
                    let q = &s.requests[request.ix()];
                    marks.push(mark(Lane::Trainee, MarkKind::Request, format!("Asked {}", session.render(&q.agency))))
                }
                Entry::Answered { request, .. } => {
                    let q = &s.requests[request.ix()];
                    marks.push(mark(Lane::Case, MarkKind::Answer, format!("Answer from {}", session.render(&q.agency))))
                }
                Entry::Happened { event, .. } => {
                    let ev = &s.events[event.ix()];
                    let label = if ev.seen {
                        session.render(&ev.text)
                    } else {
                        format!("(not seen at the time) {}", session.render(&ev.text))
                    };
                    marks.push(mark(Lane::Case, MarkKind::Event, label));
                }
                Entry::Threshold { item, .. } => {
                    let x = &s.rubric.escalations[*item];
                    marks.push(mark(
                        Lane::Case,
                        MarkKind::Threshold,
                        format!("Threshold: {}", session.render(&x.title)),
                    ))
                }
                Entry::Ended { ending, .. } => {
                    marks.push(mark(Lane::Case, MarkKind::End, session.render(&s.endings[ending.ix()].title)))
                }
                Entry::Arrived { .. }
                | Entry::Learned { .. }
                | Entry::Discovered { .. }
                | Entry::Checked { .. }
                | Entry::Met { .. }
                | Entry::Incurred { .. }
                | Entry::Averted { .. } => {}
            }
        }
        for item in &score.criterion(Criterion::Escalations).items {
            if let Some(due) = item.due {
                let (kind, word) = match item.status {
                    crate::scoring::Status::OnTime => (MarkKind::DeadlineMet, "met"),
                    crate::scoring::Status::Open => continue,
                    _ => (MarkKind::DeadlineMissed, "passed"),
                };
                marks.push(Mark { at: due, lane: Lane::Case, kind, label: format!("Deadline {word}: {}", item.title) });
            }
        }
        marks.sort_by_key(|m| m.at);
        let start = s.calendar.start();
        let end = marks.iter().map(|m| m.at).max().unwrap_or(start).max(session.now());
        Timeline { start, end, marks }
    }

    /// Adds the experienced practitioner's actions and escalations as a lane
    /// of their own, on the same time axis.
    pub fn add_expert(&mut self, expert: &Session) {
        let s = expert.scenario();
        for e in expert.journal() {
            let at = Session::entry_time(e);
            match e {
                Entry::Took { action, .. } => {
                    let a = s.action(*action);
                    if !(a.effects.is_empty() && a.cost.after(at, &s.calendar) == at) {
                        self.marks.push(Mark {
                            at,
                            lane: Lane::Expert,
                            kind: MarkKind::Action,
                            label: expert.render(&a.text),
                        });
                    }
                }
                Entry::Escalated { route, .. } => self.marks.push(Mark {
                    at,
                    lane: Lane::Expert,
                    kind: MarkKind::Escalation,
                    label: format!("Escalation: {}", route.describe()),
                }),
                _ => {}
            }
        }
        self.marks.sort_by_key(|m| m.at);
        self.end = self.end.max(expert.now());
    }

    /// How wide each day of the chart is drawn, relative to the others: one
    /// for a quiet day, up to four for the busiest, so a first day of twenty
    /// actions reads as twenty marks, not one blob, beside a week of waiting.
    fn day_weights(&self) -> Vec<f32> {
        let (first, last) = (self.start.day(), self.end.day().max(self.start.day()));
        let mut counts = vec![0usize; (last - first + 1) as usize];
        for m in &self.marks {
            if let Some(c) = counts.get_mut(m.at.day().saturating_sub(first) as usize) {
                *c += 1;
            }
        }
        let busiest = counts.iter().copied().max().unwrap_or(0).max(1) as f32;
        counts.iter().map(|c| 1.0 + 3.0 * *c as f32 / busiest).collect()
    }

    /// The part of day `i` (from the chart's first day) the chart shows, in minutes of that day.
    fn shown_minutes(&self, i: usize) -> (u32, u32) {
        let day = self.start.day() + i as u32;
        let day_start = (day - 1) * crate::clock::MINUTES_PER_DAY;
        let from = self.start.0.max(day_start) - day_start;
        let to = self.end.0.min(day_start + crate::clock::MINUTES_PER_DAY) - day_start.min(self.end.0);
        (from, to.max(from))
    }

    /// Where a moment falls across the chart, 0 to 1 (see [`Scale::fraction`]).
    pub fn fraction(&self, at: InGameTime) -> f32 {
        self.scale().fraction(at)
    }

    /// The moment at a fraction of the way across (see [`Scale::at_fraction`]).
    pub fn at_fraction(&self, fraction: f32) -> InGameTime {
        self.scale().at_fraction(fraction)
    }

    /// The chart's scale: the days' widths worked out once, for drawing
    /// every mark of a chart (each mark asking for them was quadratic).
    pub fn scale(&self) -> Scale<'_> {
        let weights = self.day_weights();
        let total = weights.iter().sum();
        Scale { t: self, weights, total }
    }
}

/// A [`Timeline`]'s days with their widths, for placing moments across it.
pub struct Scale<'a> {
    t: &'a Timeline,
    weights: Vec<f32>,
    total: f32,
}

impl Scale<'_> {
    /// Where a moment falls across the chart, 0 to 1. Time runs evenly within
    /// a day; busier days are drawn wider ([`Timeline::day_weights`]).
    pub fn fraction(&self, at: InGameTime) -> f32 {
        let t = self.t;
        if t.end <= t.start {
            return 0.0;
        }
        let at = at.clamp(t.start, t.end);
        let (weights, total) = (&self.weights, self.total);
        let day = (at.day() - t.start.day()) as usize;
        let before: f32 = weights[..day.min(weights.len())].iter().sum();
        let (from, to) = t.shown_minutes(day);
        let minute = at.0 - (at.day() - 1) * crate::clock::MINUTES_PER_DAY;
        let within = if to > from { (minute.saturating_sub(from)) as f32 / (to - from) as f32 } else { 0.0 };
        let w = weights.get(day).copied().unwrap_or(0.0);
        ((before + w * within.clamp(0.0, 1.0)) / total).clamp(0.0, 1.0)
    }

    /// The moment at a fraction of the way across: the inverse of
    /// [`Timeline::fraction`], so a click on the chart finds its time.
    pub fn at_fraction(&self, fraction: f32) -> InGameTime {
        let t = self.t;
        if t.end <= t.start {
            return t.start;
        }
        let weights = &self.weights;
        let mut goal = fraction.clamp(0.0, 1.0) * self.total;
        for (i, w) in weights.iter().enumerate() {
            if goal <= *w || i + 1 == weights.len() {
                let (from, to) = t.shown_minutes(i);
                let within = (goal / w).clamp(0.0, 1.0);
                let day_start = (t.start.day() - 1 + i as u32) * crate::clock::MINUTES_PER_DAY;
                let at = InGameTime(day_start + from + ((to - from) as f32 * within).round() as u32);
                return at.clamp(t.start, t.end);
            }
            goal -= w;
        }
        t.end
    }
}

impl Timeline {
    /// The days the chart spans, with whether each is a working day.
    pub fn days(&self, session: &Session) -> Vec<(u32, bool)> {
        let cal = &session.scenario().calendar;
        (self.start.day()..=self.end.day()).map(|d| (d, cal.is_working_day(d))).collect()
    }
}

/// What goes into a report besides the session.
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// Assessment or practice.
    pub mode: Mode,
    /// Reflections written at pauses: (scene title, text).
    pub reflections: Vec<(String, String)>,
    /// When the session was played, in words.
    pub played: String,
    /// The experienced practitioner's session on the same seed, if there is one.
    pub expert: Option<Session>,
}

/// The debrief as Markdown.
pub fn markdown(session: &Session, ctx: &ReportContext) -> String {
    let s = session.scenario();
    let score = Score::of(session.rules(), session.state(), Some(session.journal()));
    let mut out = String::new();
    let _ = writeln!(out, "# Debrief: {}\n", s.meta.title);
    let _ = writeln!(
        out,
        "Played {} · {} mode · seed {} · scenario version {}\n",
        if ctx.played.is_empty() { "—" } else { &ctx.played },
        mode_word(ctx.mode),
        session.seed(),
        s.meta.version
    );
    match session.ending() {
        Some(e) => {
            let _ =
                writeln!(out, "## Outcome for the child: {} ({})\n", session.render(&e.title), e.outcome.describe());
            let _ = writeln!(out, "{}\n", session.render(&e.text));
        }
        None => {
            let _ = writeln!(out, "## The case is still open\n\nThis is the score so far.\n");
        }
    }
    let _ = writeln!(out, "**Overall score: {:.0} out of 100**\n", score.overall);
    if let Some((line, steps)) = score.harm_lines() {
        let _ = writeln!(out, "{line}\n");
        for step in steps {
            let _ = writeln!(out, "- {step}");
        }
        out.push('\n');
    }
    for c in Criterion::ALL {
        let cs = score.criterion(c);
        let value = if cs.applicable { format!("{:.0} out of 100", cs.score) } else { "did not arise".into() };
        let _ = writeln!(out, "## {}: {value}\n", c.title());
        for item in &cs.items {
            let credit = if item.applicable { format!(" ({:.0}%)", item.fraction * 100.0) } else { String::new() };
            let _ = writeln!(out, "- **{}{credit}: {}**  ", item.status.label(), item.heading());
            let _ = writeln!(out, "  {}  ", item.explanation);
            if item.applicable && item.fraction < 1.0 {
                let _ = writeln!(out, "  *Learning point:* {}  ", item.learning_point);
                let _ = writeln!(out, "  *From the reviews:* {}  ", item.review_finding);
            }
            if !item.evidence.is_empty() {
                let _ = writeln!(out, "  *Your actions:* {}  ", evidence_words(session, &item.evidence));
            }
        }
        for p in &cs.penalties {
            let _ = writeln!(
                out,
                "- **{} points off: {}** at {}. {}",
                p.points,
                p.title,
                s.calendar.describe(p.at),
                p.reason
            );
        }
        out.push('\n');
    }
    let mut timeline = Timeline::of(session, &score);
    if let Some(expert) = &ctx.expert {
        timeline.add_expert(expert);
        let _ = writeln!(out, "## Where you and the experienced practitioner parted ways\n");
        let divergences = crate::feedback::divergences(session, expert);
        if divergences.is_empty() {
            let _ =
                writeln!(out, "Nowhere that cost points: you earned everything the experienced practitioner did.\n");
        }
        for d in &divergences {
            let _ = writeln!(
                out,
                "- **{}** (cost you {:.1} points). The experienced practitioner: {}. You: {}.",
                d.title, d.cost, d.expert, d.trainee
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n\n| when | you | experienced practitioner | the case |\n|---|---|---|---|");
    for m in &timeline.marks {
        let (you, expert, case) = match m.lane {
            Lane::Trainee => (m.label.as_str(), "", ""),
            Lane::Expert => ("", m.label.as_str(), ""),
            Lane::Case => ("", "", m.label.as_str()),
        };
        let _ = writeln!(out, "| {} | {} | {} | {} |", s.calendar.describe(m.at), cell(you), cell(expert), cell(case));
    }
    if !ctx.reflections.is_empty() {
        let _ = writeln!(out, "\n## Your reflections\n");
        for (scene, text) in &ctx.reflections {
            let text = if text.is_empty() { "(discussed in the group)" } else { text };
            let _ = writeln!(out, "- *{scene}:* {text}");
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "/").replace('\n', " ")
}

fn mode_word(mode: Mode) -> &'static str {
    match mode {
        Mode::Assessment => "assessment",
        Mode::Practice => "practice",
    }
}

fn evidence_words(session: &Session, evidence: &[usize]) -> String {
    evidence
        .iter()
        .filter_map(|n| session.actions().get(*n))
        .map(|a| session.render(&session.scenario().action(*a).text))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A whole HTML page (UK English, UTF-8) with its own style sheet: every
/// page the project writes is self-contained, nothing fetched.
pub fn page(title: &str, style: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title><style>{style}</style></head><body>{body}</body></html>\n",
        escape(title)
    )
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The timeline as an SVG drawing (for the HTML page).
pub fn timeline_svg(session: &Session, timeline: &Timeline) -> String {
    let (w, h, left, right) = (960.0f32, 240.0f32, 110.0f32, 20.0f32);
    let scale = timeline.scale();
    let x = |at: InGameTime| left + scale.fraction(at) * (w - left - right);
    let lane_y = |lane: Lane| match lane {
        Lane::Trainee => 70.0,
        Lane::Expert => 125.0,
        Lane::Case => 190.0,
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Timeline of your actions against the case's events\">"
    );
    // Days, with weekends shaded.
    for (day, working) in timeline.days(session) {
        let from = InGameTime((day - 1) * MINUTES_PER_DAY).max(timeline.start);
        let to = InGameTime(day * MINUTES_PER_DAY).min(timeline.end);
        if to <= from {
            continue;
        }
        let (x0, x1) = (x(from), x(to));
        let fill = if working { "#ffffff" } else { "#e9e4da" };
        let _ = write!(
            svg,
            "<rect x=\"{x0:.1}\" y=\"30\" width=\"{:.1}\" height=\"200\" fill=\"{fill}\" stroke=\"#c8c2b6\" stroke-width=\"0.5\"/>",
            (x1 - x0).max(0.5)
        );
        if x1 - x0 > 18.0 {
            let _ = write!(svg, "<text x=\"{:.1}\" y=\"24\" font-size=\"11\" fill=\"#444\">Day {day}</text>", x0 + 2.0);
        }
    }
    let _ = write!(
        svg,
        "<text x=\"4\" y=\"74\" font-size=\"12\" fill=\"#222\">You</text><text x=\"4\" y=\"129\" font-size=\"12\" fill=\"#222\">Experienced</text><text x=\"4\" y=\"194\" font-size=\"12\" fill=\"#222\">The case</text>"
    );
    for m in &timeline.marks {
        let (cx, cy) = (x(m.at), lane_y(m.lane));
        let title =
            format!("<title>{}: {}</title>", escape(&session.scenario().calendar.describe(m.at)), escape(&m.label));
        let shape = match m.kind {
            MarkKind::Action => {
                format!("<circle cx=\"{cx:.1}\" cy=\"{cy}\" r=\"3.5\" fill=\"#2a5599\">{title}</circle>")
            }
            MarkKind::Escalation => format!(
                "<rect x=\"{:.1}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"#7a2ea0\" transform=\"rotate(45 {cx:.1} {cy})\">{title}</rect>",
                cx - 4.5,
                cy - 4.5
            ),
            MarkKind::Request => format!(
                "<rect x=\"{:.1}\" y=\"{}\" width=\"7\" height=\"7\" fill=\"#3d8f8f\">{title}</rect>",
                cx - 3.5,
                cy - 3.5
            ),
            MarkKind::Answer => {
                format!("<circle cx=\"{cx:.1}\" cy=\"{cy}\" r=\"3.5\" fill=\"#3d8f8f\">{title}</circle>")
            }
            MarkKind::Event => format!("<circle cx=\"{cx:.1}\" cy=\"{cy}\" r=\"5\" fill=\"#b5651d\">{title}</circle>"),
            MarkKind::Threshold => {
                format!("<path d=\"M{cx:.1} {} l6 10 h-12 z\" fill=\"#d08a00\">{title}</path>", cy - 6.0)
            }
            MarkKind::DeadlineMet => format!(
                "<line x1=\"{cx:.1}\" y1=\"{}\" x2=\"{cx:.1}\" y2=\"{}\" stroke=\"#1d6b33\" stroke-width=\"2\">{title}</line>",
                cy - 12.0,
                cy + 12.0
            ),
            MarkKind::DeadlineMissed => format!(
                "<line x1=\"{cx:.1}\" y1=\"{}\" x2=\"{cx:.1}\" y2=\"{}\" stroke=\"#a11d1d\" stroke-width=\"2\" stroke-dasharray=\"3 2\">{title}</line>",
                cy - 12.0,
                cy + 12.0
            ),
            MarkKind::End => format!(
                "<rect x=\"{:.1}\" y=\"{}\" width=\"4\" height=\"24\" fill=\"#111\">{title}</rect>",
                cx - 2.0,
                cy - 12.0
            ),
        };
        svg.push_str(&shape);
    }
    svg.push_str("</svg>");
    svg
}

/// The debrief as a self-contained HTML page (no scripts, no external files).
pub fn html(session: &Session, ctx: &ReportContext) -> String {
    let s = session.scenario();
    let score = Score::of(session.rules(), session.state(), Some(session.journal()));
    let mut timeline = Timeline::of(session, &score);
    if let Some(expert) = &ctx.expert {
        timeline.add_expert(expert);
    }
    let mut body = String::new();
    let _ = write!(body, "<h1>Debrief: {}</h1>", escape(&s.meta.title));
    let _ = write!(
        body,
        "<p class=\"quiet\">Played {} · {} mode · seed {} · scenario version {}</p>",
        escape(if ctx.played.is_empty() { "—" } else { &ctx.played }),
        mode_word(ctx.mode),
        session.seed(),
        escape(&s.meta.version)
    );
    match session.ending() {
        Some(e) => {
            let _ = write!(
                body,
                "<h2>Outcome for the child: {} ({})</h2><p>{}</p>",
                escape(&session.render(&e.title)),
                e.outcome.describe(),
                escape(&session.render(&e.text))
            );
        }
        None => body.push_str("<h2>The case is still open</h2><p>This is the score so far.</p>"),
    }
    let _ = write!(body, "<p class=\"overall\">Overall score: {:.0} out of 100</p>", score.overall);
    if let Some((line, steps)) = score.harm_lines() {
        let _ = write!(body, "<p class=\"warn\">{}</p><ul>", escape(&line));
        for step in steps {
            let _ = write!(body, "<li>{}</li>", escape(&step));
        }
        body.push_str("</ul>");
    }
    let middle =
        if ctx.expert.is_some() { "Middle: the experienced practitioner's path on the same case. " } else { "" };
    let _ = write!(
        body,
        "<h2>Timeline</h2><figure>{}<figcaption>Top: your actions (dots), requests (squares) and escalations (diamonds). \
         {middle}Bottom: answers, events (large dots; some you could not see at the time), thresholds (triangles) and deadlines \
         (solid line: met; dashed: passed). Shaded days are weekends or bank holidays. Hover a mark for what it was.</figcaption></figure>",
        timeline_svg(session, &timeline)
    );
    if let Some(expert) = &ctx.expert {
        body.push_str("<h2>Where you and the experienced practitioner parted ways</h2>");
        let divergences = crate::feedback::divergences(session, expert);
        if divergences.is_empty() {
            body.push_str("<p>Nowhere that cost points: you earned everything the experienced practitioner did.</p>");
        }
        for d in &divergences {
            let _ = write!(
                body,
                "<div class=\"item warn\"><p><strong>{}</strong>: cost you {:.1} points.</p><p>The experienced practitioner: {}.</p><p>You: {}.</p></div>",
                escape(&d.title),
                d.cost,
                escape(&d.expert),
                escape(&d.trainee)
            );
        }
    }
    for c in Criterion::ALL {
        let cs = score.criterion(c);
        let value = if cs.applicable { format!("{:.0} out of 100", cs.score) } else { "did not arise".into() };
        let _ = write!(body, "<h2>{}: {value}</h2>", c.title());
        for item in &cs.items {
            let class = if !item.applicable {
                "na"
            } else if item.fraction >= 1.0 {
                "good"
            } else {
                "warn"
            };
            let credit = if item.applicable { format!(" ({:.0}%)", item.fraction * 100.0) } else { String::new() };
            let _ = write!(
                body,
                "<div class=\"item {class}\"><p><strong>{}{credit}: {}</strong></p><p>{}</p>",
                escape(item.status.label()),
                escape(&item.heading()),
                escape(&item.explanation)
            );
            if item.applicable && item.fraction < 1.0 {
                let _ = write!(
                    body,
                    "<p><em>Learning point:</em> {}</p><p class=\"quiet\"><em>From the reviews:</em> {}</p>",
                    escape(&item.learning_point),
                    escape(&item.review_finding)
                );
            }
            if !item.evidence.is_empty() {
                let _ = write!(
                    body,
                    "<p class=\"quiet\">Your actions: {}</p>",
                    escape(&evidence_words(session, &item.evidence))
                );
            }
            body.push_str("</div>");
        }
        for p in &cs.penalties {
            let _ = write!(
                body,
                "<div class=\"item warn\"><p><strong>{} points off: {}</strong> at {}</p><p>{}</p></div>",
                p.points,
                escape(&p.title),
                escape(&s.calendar.describe(p.at)),
                escape(&p.reason)
            );
        }
    }
    body.push_str("<h2>Everything in order</h2><table><tr><th>When</th><th>You</th><th>Experienced practitioner</th><th>The case</th></tr>");
    for m in &timeline.marks {
        let (you, expert, case) = match m.lane {
            Lane::Trainee => (escape(&m.label), String::new(), String::new()),
            Lane::Expert => (String::new(), escape(&m.label), String::new()),
            Lane::Case => (String::new(), String::new(), escape(&m.label)),
        };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{you}</td><td>{expert}</td><td>{case}</td></tr>",
            escape(&s.calendar.describe(m.at))
        );
    }
    body.push_str("</table>");
    if !ctx.reflections.is_empty() {
        body.push_str("<h2>Your reflections</h2><ul>");
        for (scene, text) in &ctx.reflections {
            let text = if text.is_empty() { "(discussed in the group)" } else { text };
            let _ = write!(body, "<li><em>{}:</em> {}</li>", escape(scene), escape(text));
        }
        body.push_str("</ul>");
    }
    page(&format!("Debrief: {}", s.meta.title), STYLE, &body)
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d;background:#faf9f6}\
h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem}.quiet{color:#555;font-size:.9rem}.overall{font-size:1.4rem;font-weight:bold}\
.item{border-left:6px solid #999;padding:.2rem .8rem;margin:.6rem 0;background:#fff}.item.good{border-color:#1d6b33}.item.warn{border-color:#a11d1d}\
.item p{margin:.3rem 0}figure{margin:0}svg{width:100%;height:auto;background:#fff;border:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}\
@page{size:A4;margin:15mm 14mm}\
@media print{body{background:#fff;margin:0;max-width:none;font-size:10pt;line-height:1.35}h1{font-size:16pt}h2{font-size:12.5pt;margin-top:1rem}\
h1,h2,h3{break-after:avoid;page-break-after:avoid}.item,tr,figure,li{break-inside:avoid;page-break-inside:avoid}.item{margin:.3rem 0;padding:.1rem .5rem}}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::example;

    fn played() -> Session {
        Session::replay(example::scenario(), 1, &["call_nursery", "visit", "ask", "leave", "wait", "strategy", "close"])
            .unwrap()
    }

    #[test]
    fn the_timeline_puts_actions_and_events_in_their_lanes_in_order() {
        let s = played();
        let score = Score::of(s.rules(), s.state(), Some(s.journal()));
        let t = Timeline::of(&s, &score);
        assert!(t.marks.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(t.marks.iter().any(|m| m.lane == Lane::Trainee && m.kind == MarkKind::Escalation));
        assert!(t.marks.iter().any(|m| m.kind == MarkKind::Threshold));
        assert!(t.marks.iter().any(|m| m.kind == MarkKind::DeadlineMissed), "the strategy discussion was late");
        assert!(t.marks.iter().any(|m| m.label == "Leave"), "moves that cost time are kept");
        assert_eq!(t.fraction(t.start), 0.0);
        assert_eq!(t.fraction(t.end), 1.0);
    }

    #[test]
    fn a_busy_day_is_drawn_wider_than_a_quiet_one_and_clicks_find_their_time() {
        let s = played();
        let score = Score::of(s.rules(), s.state(), Some(s.journal()));
        let t = Timeline::of(&s, &score);
        let weights = t.day_weights();
        assert!(weights.len() >= 2, "the case spans days");
        let per_day: Vec<usize> = (0..weights.len())
            .map(|i| t.marks.iter().filter(|m| (m.at.day() - t.start.day()) as usize == i).count())
            .collect();
        let (busy, quiet) = (
            per_day.iter().enumerate().max_by_key(|(_, c)| **c).map(|(i, _)| i).expect("a day"),
            per_day.iter().enumerate().min_by_key(|(_, c)| **c).map(|(i, _)| i).expect("a day"),
        );
        assert!(per_day[busy] > per_day[quiet]);
        assert!(weights[busy] > 2.0 * weights[quiet], "{weights:?} for {per_day:?} marks a day");
        // Every mark's place on the chart leads back to its time, within a
        // few minutes (a pixel of a day drawn narrow).
        let mut last = 0.0;
        for m in &t.marks {
            let f = t.fraction(m.at);
            assert!(f >= last, "the chart keeps time order");
            last = f;
            let back = t.at_fraction(f);
            assert!(back.0.abs_diff(m.at.0) <= 2, "{:?} came back as {back:?}", m.at);
        }
    }

    #[test]
    fn markdown_and_html_say_the_same_things() {
        let s = played();
        let ctx = ReportContext {
            reflections: vec![("Home visit".into(), "<b>fingertips</b>".into())],
            ..Default::default()
        };
        let md = markdown(&s, &ctx);
        let page = html(&s, &ctx);
        for needle in ["Followed up on inconsistencies", "Escalated in time", "Learning point", "late"] {
            assert!(md.contains(needle), "markdown lacks {needle}");
            assert!(page.contains(needle), "html lacks {needle}");
        }
        assert!(page.contains("<svg"), "the chart is drawn");
        assert!(page.contains("&lt;b&gt;fingertips&lt;/b&gt;"), "text is escaped");
        assert!(!page.contains("<script"), "no scripts");
    }
}
