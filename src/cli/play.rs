//! `play`: a case played from a script in the terminal, its transcript and debrief.

use crate::record::{self, Mode, RecordWriter};
use crate::scenario::Scenario;
use crate::scoring::{Criterion, Score};
use crate::sim::{Entry, Session};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// What `play` was asked to do.
pub(super) struct PlayOptions {
    pub(super) pseudonym: String,
    pub(super) script: PathBuf,
    pub(super) seed: u64,
    pub(super) record: Option<PathBuf>,
    pub(super) resume: Option<PathBuf>,
    pub(super) mode: Mode,
    pub(super) quiet: bool,
    pub(super) score_only: bool,
    pub(super) step_delay: std::time::Duration,
}

/// A practice-mode feedback card in the transcript.
pub(super) fn print_card(card: &crate::feedback::Card) {
    println!();
    println!("  ┌ Feedback: {} ({})", card.title, card.status.label().to_lowercase());
    for line in [
        &card.notice,
        &format!("Learning point: {}", card.learning_point),
        &format!("From the reviews: {}", card.review_finding),
    ] {
        println!("  │ {line}");
    }
    println!("  └");
}

/// Plays a script through a case, printing what happens (or only the score), and writes the record if asked.
pub(super) fn play(s: Arc<Scenario>, o: &PlayOptions) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let text = match crate::scenario::read_script(&o.script) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut steps = record::parse_script(&text);
    let script_name = o.script.display().to_string();

    // Where the case starts: from nothing, or from a record.
    let (session, mut writer, mode) = match &o.resume {
        None => {
            let session = Session::new(s.clone(), o.seed);
            let writer = match &o.record {
                Some(path) => match RecordWriter::create(path, &session, o.mode, &o.pseudonym) {
                    Ok(w) => Some(w),
                    Err(e) => return fail(format!("cannot create the record {}: {e}", path.display())),
                },
                None => None,
            };
            (session, writer, o.mode)
        }
        Some(from) => match resume_record(s.clone(), from, o.record.as_deref()) {
            Ok((session, writer, mode)) => (session, Some(writer), mode),
            Err(e) => return fail(e),
        },
    };
    // Only the steps of this version of the case; a resumed record's
    // actions must be the first of them.
    steps.retain(|st| st.applies(&s, session.variation()));
    let done = session.actions().len();
    for (n, a) in session.actions().iter().enumerate() {
        let id = &s.action(*a).id;
        match steps.get(n) {
            Some(step) if step.id == *id => {}
            Some(step) => {
                return fail(format!(
                    "{script_name}:{}: the record's action {} is `{id}`, but the script says `{}`",
                    step.line,
                    n + 1,
                    step.id
                ));
            }
            None => return fail(format!("the record has more actions ({done}) than the script has steps")),
        }
    }
    steps.drain(..done.min(steps.len()));

    if !o.quiet {
        println!("{} (seed {})", s.meta.title, session.seed());
    }
    let mut shown = if o.quiet { 0 } else { print_journal(&session, 0) };
    // Items already settled in a resumed record had their cards then.
    let mut carded = Vec::new();
    crate::feedback::new_cards(&session, &mut carded);
    let mut write_error = None;
    let result = record::continue_script(session, &script_name, &steps, |session, _| {
        if !o.quiet {
            shown = print_journal(session, shown);
        }
        let cards = crate::feedback::new_cards(session, &mut carded);
        if mode == Mode::Practice && !o.quiet {
            for card in cards {
                print_card(&card);
            }
        }
        if let Some(w) = writer.as_mut()
            && let Err(e) = w.sync(session)
            && write_error.is_none()
        {
            write_error = Some(e);
        }
        std::thread::sleep(o.step_delay);
    });
    if let Some(e) = write_error {
        return fail(format!("writing the record failed: {e}"));
    }
    let session = match result {
        Ok(session) => session,
        Err(e) => return fail(e.to_string()),
    };
    if o.score_only {
        let score = Score::of(session.rules(), session.state(), None);
        let (ending, outcome) =
            session.ending().map_or(("(not ended)", "open"), |e| (e.id.as_str(), e.outcome.describe()));
        println!("{:.2} {ending} ({outcome})", score.overall);
        return ExitCode::SUCCESS;
    }
    if !session.is_over() {
        println!();
        println!(
            "The script ended before the case did ({}, scene `{}`); the debrief scores the case so far.",
            s.calendar.describe(session.now()),
            session.scene().id
        );
    }
    println!();
    match mode {
        Mode::Assessment => println!("Played in assessment mode: no feedback until this debrief."),
        Mode::Practice => {
            println!("Played in practice mode: feedback cards followed the choices that settled each item.")
        }
    }
    print!("{}", debrief_text(&session));
    if let Some(w) = writer {
        println!("Record written to {}", w.path().display());
    }
    ExitCode::SUCCESS
}

/// Opens a record to carry on from: the replayed session, a writer and the record's mode. A
/// record whose last line was cut off is never written to again; its intact
/// part is copied to `new_record`, which must then be given.
pub fn resume_record(
    s: Arc<Scenario>,
    from: &Path,
    new_record: Option<&Path>,
) -> Result<(Session, RecordWriter, Mode), String> {
    match record::read_record(from) {
        Ok(r) => {
            if r.end.is_some() {
                return Err(format!("{}: this case has already ended; there is nothing to resume", from.display()));
            }
            let session = r.replay(s, from).map_err(|e| e.to_string())?;
            let writer = match new_record {
                Some(path) => RecordWriter::create_continuing(path, &r, &session),
                None => RecordWriter::append_to(from, &session),
            }
            .map_err(|e| format!("cannot write the record: {e}"))?;
            let mut writer = writer;
            writer.resumed(&session).map_err(|e| format!("cannot write the record: {e}"))?;
            Ok((session, writer, r.header.mode))
        }
        Err(record::RecordError::Truncated { intact, .. }) => {
            let Some(path) = new_record else {
                return Err(format!(
                    "{}: the last line is cut off; the record is kept as it is. Give --record NEW to carry on in a new file from its intact part",
                    from.display()
                ));
            };
            let session = intact.replay(s, from).map_err(|e| e.to_string())?;
            let writer = RecordWriter::create_continuing(path, &intact, &session)
                .map_err(|e| format!("cannot create the record {}: {e}", path.display()))?;
            let mut writer = writer;
            writer.resumed(&session).map_err(|e| format!("cannot write the record: {e}"))?;
            Ok((session, writer, intact.header.mode))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Prints journal entries from `from` on; returns the new length.
pub(super) fn print_journal(session: &Session, from: usize) -> usize {
    let cal = &session.scenario().calendar;
    for e in &session.journal()[from..] {
        if let Some(text) = session.describe(e) {
            let at = Session::entry_time(e);
            match e {
                Entry::Arrived { .. } => println!("\n[{}] == {text} ==", cal.describe(at)),
                Entry::Took { .. } => println!("[{}] > {text}", cal.describe(at)),
                _ => println!("[{}]   {text}", cal.describe(at)),
            }
        }
        if let Entry::Took { action, .. } = e {
            let result = &session.scenario().action(*action).result;
            if !result.is_empty() {
                println!("      {}", session.render(result));
            }
        }
    }
    session.journal().len()
}

/// The debrief as plain text, for the terminal.
pub fn debrief_text(session: &Session) -> String {
    let mut out = String::new();
    let s = session.scenario();
    let score = Score::of(session.rules(), session.state(), Some(session.journal()));
    out.push_str("== Debrief ==\n");
    if let Some(ending) = session.ending() {
        out.push_str(&format!(
            "Outcome for the child: {} ({})\n",
            session.render(&ending.title),
            ending.outcome.describe()
        ));
        out.push_str(&format!("{}\n", session.render(&ending.text)));
    }
    out.push_str(&format!("\nOverall score: {:.0}/100\n", score.overall));
    if let Some((line, steps)) = score.harm_lines() {
        out.push_str(&format!("  {line}\n"));
        for step in steps {
            out.push_str(&format!("    {step}\n"));
        }
    }
    for c in Criterion::ALL {
        let cs = score.criterion(c);
        let value = if cs.applicable { format!("{:.0}/100", cs.score) } else { "did not arise".to_string() };
        out.push_str(&format!("\n{}: {value}\n", c.title()));
        for item in &cs.items {
            let credit = if item.applicable { format!(" ({:.0}%)", item.fraction * 100.0) } else { String::new() };
            out.push_str(&format!(
                "  [{}] {}{credit}\n      {}\n",
                item.status.label(),
                item.heading(),
                item.explanation
            ));
            if item.fraction < 1.0 && item.applicable {
                out.push_str(&format!(
                    "      Learning point: {}\n      Review finding: {}\n",
                    item.learning_point, item.review_finding
                ));
            }
            if !item.evidence.is_empty() {
                let ids: Vec<String> = item
                    .evidence
                    .iter()
                    .filter_map(|n| session.actions().get(*n).map(|a| format!("#{} {}", n + 1, s.action(*a).id)))
                    .collect();
                out.push_str(&format!("      Evidence: {}\n", ids.join(", ")));
            }
        }
        for p in &cs.penalties {
            out.push_str(&format!(
                "  [-{} points] {} at {}: {}\n",
                p.points,
                p.title,
                s.calendar.describe(p.at),
                p.reason
            ));
        }
    }
    out
}
