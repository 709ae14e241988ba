//! The simulation core: a case, played. Pure Rust, no Bevy types.
//!
//! A [`Session`] is fully determined by (scenario, seed, actions): replaying
//! the same actions on the same seed always gives the same state, which is
//! what records, resume and the debrief's "what you knew when" rely on.

pub mod appearance;
mod state;
pub mod variation;

pub use state::{
    ActionError, CaseState, Cause, Due, Entry, Journal, Layout, NEVER, Rules, StartAt, StateSet, state_set,
};
pub use variation::Variation;

use crate::clock::InGameTime;
use crate::scenario::*;
use std::sync::Arc;

/// One case being played: the rules, the state and what happened so far.
#[derive(Clone, Debug)]
pub struct Session {
    scenario: Arc<Scenario>,
    seed: u64,
    variation: Variation,
    layout: Layout,
    state: CaseState,
    journal: Vec<Entry>,
    actions: Vec<ActionIx>,
    /// Where the case started, when not at the beginning (an author's test).
    start: Option<Arc<StartAt>>,
}

/// An action in a replayed list failed.
#[derive(Clone, Debug, thiserror::Error)]
#[error("action {number} (`{}`): {error}", crate::echo::echo(id))]
pub struct ReplayError {
    /// 1-based position in the list.
    pub number: usize,
    /// The action's id as given.
    pub id: String,
    /// Why it failed.
    pub error: ActionError,
}

/// A fact in the notebook.
#[derive(Clone, Debug, PartialEq)]
pub struct NotebookEntry {
    /// The fact.
    pub fact: FactIx,
    /// When it was learned.
    pub at: InGameTime,
    /// The words, with this session's names.
    pub text: String,
    /// Where it came from, in words ("said by Kerry (mother)").
    pub source: String,
}

/// A person in the household panel.
#[derive(Clone, Debug, PartialEq)]
pub struct HouseholdEntry {
    /// The person.
    pub person: PersonIx,
    /// Their name in this session.
    pub name: String,
    /// When the trainee learned of them.
    pub known_at: InGameTime,
    /// Who they are, as far as the trainee can know it then (see
    /// [`Session::person_description`]); `None` when the scenario gives nothing.
    pub description: Option<String>,
    /// Their age, once it is known: someone only heard of has none yet.
    pub age: Option<u32>,
    /// The checks the rubric needs on them, each done, asked for or not yet.
    /// Empty for someone only heard of: listing checks would tell the trainee
    /// that the rubric counts them as a carer, which is what checking finds out.
    pub checks: Vec<(CheckIx, CheckStatus)>,
}

/// Where one check on a person stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStatus {
    /// Done at this time.
    Done(InGameTime),
    /// Asked of an agency, whose answer (which makes the check) is due then.
    Requested(InGameTime),
    /// Not done or asked for yet.
    NotYet,
}

/// A request in the inbox.
#[derive(Clone, Debug, PartialEq)]
pub struct InboxEntry {
    /// The request.
    pub request: RequestIx,
    /// When it was sent.
    pub sent: InGameTime,
    /// When it is (or was) due.
    pub due: InGameTime,
    /// The answer, once it has arrived.
    pub answer: Option<(InGameTime, String)>,
    /// What the answer told you: the notebook entries it brought.
    pub learned: Vec<String>,
}

impl Session {
    /// Starts a case with a seed.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Self {
        Session::starting(scenario, seed, None)
    }

    /// A session before any action, at the start or at `at`.
    fn starting(scenario: Arc<Scenario>, seed: u64, at: Option<StartAt>) -> Self {
        let variation = Variation::roll(&scenario, seed);
        let layout = Layout::of(&scenario);
        let mut journal = Vec::new();
        let rules = Rules { s: &scenario, v: &variation, l: &layout };
        let state = match &at {
            Some(at) => CaseState::start_at(rules, at, &mut journal),
            None => CaseState::start(rules, &mut journal),
        };
        let start = at.map(Arc::new);
        Session { scenario, seed, variation, layout, state, journal, actions: Vec::new(), start }
    }

    /// Starts a case at another scene with some facts known and flags set
    /// (the author's "play from here"). Such a session is for testing a
    /// scene: it is never written as a record, whose replay starts at the start.
    pub fn from_here(scenario: Arc<Scenario>, seed: u64, at: StartAt) -> Self {
        Session::starting(scenario, seed, Some(at))
    }

    /// Where this session started, if not at the beginning.
    pub fn started_at(&self) -> Option<&StartAt> {
        self.start.as_deref()
    }

    /// The same case, seed and starting point, before any action.
    pub fn restart(&self) -> Self {
        Session::starting(self.scenario.clone(), self.seed, self.start.as_deref().cloned())
    }

    /// Takes a list of action ids in turn for as long as each is still
    /// offered: after an author's edit, the same moment if the text still
    /// allows it, else the last one that does, with the action that could
    /// not be taken and why.
    pub fn replay_as_far_as(mut self, ids: &[impl AsRef<str>]) -> (Self, Option<ReplayError>) {
        for (i, id) in ids.iter().enumerate() {
            if let Err(error) = self.take_id(id.as_ref()) {
                return (self, Some(ReplayError { number: i + 1, id: id.as_ref().to_string(), error }));
            }
        }
        (self, None)
    }

    /// The ids of the actions taken, in order.
    pub fn action_ids(&self) -> Vec<String> {
        self.actions.iter().map(|a| self.scenario.action(*a).id.clone()).collect()
    }

    /// Replays a list of action ids from the start.
    pub fn replay(scenario: Arc<Scenario>, seed: u64, ids: &[impl AsRef<str>]) -> Result<Self, ReplayError> {
        match Session::new(scenario, seed).replay_as_far_as(ids) {
            (session, None) => Ok(session),
            (_, Some(e)) => Err(e),
        }
    }

    /// The rules, borrowed for the core functions.
    pub fn rules(&self) -> Rules<'_> {
        Rules { s: &self.scenario, v: &self.variation, l: &self.layout }
    }

    /// The scenario.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The seed's variation.
    pub fn variation(&self) -> &Variation {
        &self.variation
    }

    /// The state now.
    pub fn state(&self) -> &CaseState {
        &self.state
    }

    /// Everything that has happened, in order.
    pub fn journal(&self) -> &[Entry] {
        &self.journal
    }

    /// The actions taken, in order.
    pub fn actions(&self) -> &[ActionIx] {
        &self.actions
    }

    /// The clock.
    pub fn now(&self) -> InGameTime {
        self.state.now
    }

    /// The current scene.
    pub fn scene(&self) -> &SceneDef {
        self.scenario.scene(self.state.scene)
    }

    /// The ending, once the case is over.
    pub fn ending(&self) -> Option<&EndingDef> {
        self.state.ended.map(|e| &self.scenario.endings[e.ix()])
    }

    /// Whether the case is over.
    pub fn is_over(&self) -> bool {
        self.state.ended.is_some()
    }

    /// What the trainee can do now, choices first.
    pub fn available(&self) -> Vec<ActionIx> {
        self.state.available(self.rules())
    }

    /// The choices offered now (not hotspots), in the order the number keys use.
    pub fn choices(&self) -> Vec<ActionIx> {
        self.available().into_iter().filter(|a| self.scenario.action(*a).kind == ActionKind::Choice).collect()
    }

    /// The scene's hotspots that can be looked at now, each with its place
    /// in the scene's list: its key and its spot in the picture, kept
    /// whatever has been looked at already.
    pub fn offered_hotspots(&self) -> Vec<(usize, ActionIx)> {
        self.scene().hotspots.iter().copied().enumerate().filter(|(_, a)| self.offers(*a)).collect()
    }

    /// Whether this action is offered now.
    pub fn offers(&self, a: ActionIx) -> bool {
        self.state.offered(self.rules(), a)
    }

    /// How many minutes of the case an action would take if taken now (a
    /// request made on a Friday evening waits for Monday).
    pub fn minutes_to_take(&self, a: ActionIx) -> u32 {
        self.scenario.done_at(a, self.now()).minutes_since(self.now())
    }

    /// Takes an action.
    pub fn take(&mut self, a: ActionIx) -> Result<(), ActionError> {
        let n = self.actions.len();
        let rules = Rules { s: &self.scenario, v: &self.variation, l: &self.layout };
        self.state.take(rules, a, n, &mut self.journal)?;
        self.actions.push(a);
        Ok(())
    }

    /// Takes an action by id.
    pub fn take_id(&mut self, id: &str) -> Result<(), ActionError> {
        let a = self.scenario.action_id(id).ok_or_else(|| ActionError::Unknown(id.to_string()))?;
        self.take(a)
    }

    /// A text with this session's names in place of `{person}`.
    pub fn render(&self, text: &str) -> String {
        self.variation.render(&self.scenario, text)
    }

    /// A person's name and who they are, as far as the trainee can know it
    /// now: "Kerry (mother)".
    pub fn person_label(&self, p: PersonIx) -> String {
        let name = self.variation.name(p);
        match self.person_description(p) {
            Some(d) => format!("{name} ({d})"),
            None => name.to_string(),
        }
    }

    /// Who a person is, as far as the trainee can know it now.
    ///
    /// Someone who came to light during the case is described as the scenario
    /// describes them only once some check on them has been done (met,
    /// police, records). Until then the description would tell the trainee
    /// what only checking can find out: "living in the house", say, when the
    /// mother has just said he does not. Before that they are
    /// [`NOT_YET_CONFIRMED`].
    pub fn person_description(&self, p: PersonIx) -> Option<String> {
        description_of(self, p, confirmed_in(self, &self.state, p))
    }

    /// Whether the trainee knows this person exists yet (the screen names
    /// only people they know of).
    pub fn knows_of(&self, p: PersonIx) -> bool {
        self.state.person_known_at(self.rules(), p).is_some()
    }

    /// Who the trainee sees in the current scene: known people by name; people
    /// not yet known as "an adult (or a child) you have not met", so a scene
    /// never gives away someone the trainee has yet to find out about.
    pub fn present_labels(&self) -> Vec<String> {
        let r = self.rules();
        self.scene()
            .present
            .iter()
            .map(|p| {
                if self.state.person_known_at(r, *p).is_some() {
                    self.person_label(*p)
                } else if self.scenario.person(*p).role == Role::Child {
                    "a child you have not met".to_string()
                } else {
                    "an adult you have not met".to_string()
                }
            })
            .collect()
    }

    /// A fact's text in this session.
    pub fn fact_text(&self, f: FactIx) -> String {
        let def = self.scenario.fact(f);
        self.render(&def.texts[self.variation.fact_text(f)])
    }

    /// Where a fact came from, in words.
    pub fn fact_source(&self, f: FactIx) -> String {
        match &self.scenario.fact(f).source {
            FactSource::Said(p) => format!("said by {}", self.person_label(*p)),
            FactSource::Seen(place) => format!("seen: {}", self.render(place)),
            FactSource::Record(agency) => format!("record: {}", self.render(agency)),
        }
    }

    /// One journal entry as the trainee reads it, or `None` for entries the
    /// trainee does not see (thresholds, unseen and averted events).
    pub fn describe(&self, e: &Entry) -> Option<String> {
        let s = &self.scenario;
        Some(match e {
            Entry::Took { action, .. } => {
                let a = s.action(*action);
                match a.kind {
                    ActionKind::Choice => format!("You: {}", self.render(&a.text)),
                    ActionKind::Hotspot => format!("You look at {}", in_sentence(&self.render(&a.text))),
                    ActionKind::Supervision => "You talk the case through with your manager".to_string(),
                }
            }
            Entry::Arrived { scene, .. } => {
                let sc = s.scene(*scene);
                format!("{} ({})", self.render(&sc.title), self.render(&sc.location))
            }
            Entry::Learned { fact, .. } => format!("Noted ({}): {}", self.fact_source(*fact), self.fact_text(*fact)),
            Entry::Discovered { person, .. } => format!("New person in the case: {}", self.person_label(*person)),
            Entry::Checked { person, check, .. } => {
                format!("Check done on {}: {}", self.variation.name(*person), s.checks[check.ix()].title)
            }
            Entry::Escalated { route, .. } => format!("Escalation: {}", route.describe()),
            Entry::Requested { request, due, .. } => {
                let q = &s.requests[request.ix()];
                format!(
                    "Request sent to {}: {} (answer expected {})",
                    self.render(&q.agency),
                    self.render(&q.asked),
                    s.calendar.describe(*due)
                )
            }
            Entry::Answered { request, answer, .. } => {
                let q = &s.requests[request.ix()];
                format!("Answer from {}: {}", self.render(&q.agency), self.render(&q.answers[*answer].text))
            }
            Entry::Happened { event, .. } => {
                let ev = &s.events[event.ix()];
                if !ev.seen {
                    return None;
                }
                self.render(&ev.text)
            }
            Entry::Averted { .. } | Entry::Threshold { .. } | Entry::Met { .. } | Entry::Incurred { .. } => {
                return None;
            }
            Entry::Ended { ending, .. } => format!("The case ends: {}", self.render(&s.endings[ending.ix()].title)),
        })
    }

    /// When a journal entry happened.
    pub fn entry_time(e: &Entry) -> InGameTime {
        match e {
            Entry::Took { at, .. }
            | Entry::Arrived { at, .. }
            | Entry::Learned { at, .. }
            | Entry::Discovered { at, .. }
            | Entry::Checked { at, .. }
            | Entry::Escalated { at, .. }
            | Entry::Requested { at, .. }
            | Entry::Answered { at, .. }
            | Entry::Happened { at, .. }
            | Entry::Averted { at, .. }
            | Entry::Threshold { at, .. }
            | Entry::Met { at, .. }
            | Entry::Incurred { at, .. }
            | Entry::Ended { at, .. } => *at,
        }
    }

    /// The notebook: facts learned, oldest first.
    pub fn notebook(&self) -> Vec<NotebookEntry> {
        notebook_of(self, &self.journal)
    }

    /// The household as the trainee knows it.
    pub fn household(&self) -> Vec<HouseholdEntry> {
        household_of(self, &self.state)
    }

    /// Requests sent and answers received, oldest first.
    pub fn inbox(&self) -> Vec<InboxEntry> {
        inbox_of(self, &self.journal)
    }
}

/// A label as it reads inside a sentence: "The cot" becomes "the cot", while
/// a name ("Alfie") keeps its capital.
pub fn in_sentence(label: &str) -> String {
    const ARTICLES: [&str; 7] = ["The ", "A ", "An ", "His ", "Her ", "Their ", "Your "];
    match ARTICLES.iter().find(|a| label.starts_with(*a)) {
        Some(_) => {
            let mut chars = label.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        }
        None => label.to_string(),
    }
}

/// The notebook as it was after the given journal entries.
pub fn notebook_of(session: &Session, journal: &[Entry]) -> Vec<NotebookEntry> {
    journal
        .iter()
        .filter_map(|e| match e {
            Entry::Learned { fact, at, .. } => Some(NotebookEntry {
                fact: *fact,
                at: *at,
                text: session.fact_text(*fact),
                source: session.fact_source(*fact),
            }),
            _ => None,
        })
        .collect()
}

/// How a person who came to light during the case is described until a
/// check on them confirms who they are.
pub const NOT_YET_CONFIRMED: &str = "heard of, not yet met or checked";

/// Who a person is, given whether the trainee can know it yet.
fn description_of(session: &Session, p: PersonIx, confirmed: bool) -> Option<String> {
    let def = session.scenario().person(p);
    if def.description.is_empty() {
        return None;
    }
    Some(if confirmed { session.render(&def.description) } else { NOT_YET_CONFIRMED.to_string() })
}

/// Whether the trainee can know who a person is: known from the start, a
/// professional, or someone on whom some check has been done.
fn confirmed_in(session: &Session, state: &CaseState, p: PersonIx) -> bool {
    let s = session.scenario();
    let def = s.person(p);
    let r = session.rules();
    def.known_at_start
        || def.role == Role::Professional
        || (0..s.checks.len()).any(|c| state.check_at(r, p, CheckIx(c as u16)).is_some())
}

/// The household as it was in a given state.
pub fn household_of(session: &Session, state: &CaseState) -> Vec<HouseholdEntry> {
    let r = session.rules();
    let s = session.scenario();
    s.people
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            let p = PersonIx(i as u16);
            let known_at = state.person_known_at(r, p)?;
            let confirmed = confirmed_in(session, state, p);
            // Someone only heard of shows no check list (see `HouseholdEntry::checks`),
            // nor does a carer item this version of the case does not count:
            // its list would tell the trainee which version they are in.
            let carer = s
                .rubric
                .carers
                .iter()
                .find(|c| c.person == p)
                .filter(|c| confirmed && c.only_if.as_ref().is_none_or(|w| state.holds(r, w)));
            let status = |k: CheckIx| match state.check_at(r, p, k) {
                Some(t) => CheckStatus::Done(t),
                None => requested_check(s, state, p, k).map_or(CheckStatus::NotYet, CheckStatus::Requested),
            };
            let checks = carer.map(|c| c.checks.iter().map(|k| (*k, status(*k))).collect()).unwrap_or_default();
            Some(HouseholdEntry {
                person: p,
                name: session.variation().name(p).to_string(),
                known_at,
                description: description_of(session, p, confirmed),
                age: s.person(p).age.filter(|_| confirmed),
                checks,
            })
        })
        .collect()
}

/// When the answer to a pending request that would make this check is due.
fn requested_check(s: &Scenario, state: &CaseState, p: PersonIx, k: CheckIx) -> Option<InGameTime> {
    state.pending().iter().find_map(|(at, due)| match due {
        Due::Answer(q) if s.requests[q.ix()].answers.iter().any(|a| a.effects.contains(&Eff::Check(p, k))) => Some(*at),
        _ => None,
    })
}

/// The inbox as it was after the given journal entries.
pub fn inbox_of(session: &Session, journal: &[Entry]) -> Vec<InboxEntry> {
    let mut out: Vec<InboxEntry> = Vec::new();
    for e in journal {
        match e {
            Entry::Requested { request, at, due, .. } => {
                out.push(InboxEntry { request: *request, sent: *at, due: *due, answer: None, learned: Vec::new() });
            }
            Entry::Answered { request, answer, at } => {
                if let Some(item) = out.iter_mut().find(|x| x.request == *request) {
                    let def = &session.scenario().requests[request.ix()].answers[*answer];
                    item.answer = Some((*at, session.render(&def.text)));
                    item.learned = def
                        .effects
                        .iter()
                        .filter_map(|e| match e {
                            Eff::Learn(f) => Some(session.fact_text(*f)),
                            _ => None,
                        })
                        .collect();
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
