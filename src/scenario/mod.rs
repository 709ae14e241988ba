//! Scenarios: the RON model, loading with exact error positions, and validation.
//!
//! A file is read in three steps: [`load`] parses the RON text (syntax errors
//! name the line and column), [`compile`] turns string ids into indices while
//! collecting every semantic problem at once, and the result is a [`Scenario`]
//! that the simulation runs. Authors see the problems through
//! `second-look validate`.

pub mod catalogue;
mod compile;
pub mod diagnostic;
mod load;
pub mod model;
pub mod spans;

/// A new case, ready to edit: every section, a comment on each, and it
/// validates and plays as it stands (`second-look new`). `{id}` and
/// `{title}` are filled in by [`new_case`].
const NEW_CASE: &str = include_str!("new_case.ron");

/// The text of a new case with this id and title.
pub fn new_case(id: &str, title: &str) -> String {
    // Inside a RON string: a backslash would start an escape, a quote would end it.
    NEW_CASE.replace("{id}", id).replace("{title}", &title.replace('\\', "\\\\").replace('"', "'"))
}

pub use compile::{PICTURE_NAME_MAX, compile, is_case_id, is_picture_name};
pub use diagnostic::{Diagnostic, Severity};
pub(crate) use load::suggest;
pub use load::{
    LoadError, Loaded, SCENARIO_MAX_BYTES, SCRIPT_MAX_BYTES, load_file, load_model, load_str, migrate_file, read_script,
};
pub use model::{Criterion, EscalationKind, Outcome, Role, RoomKind, Route};

use crate::clock::{Calendar, InGameTime, TimeSpan};
use model::{Briefing, Meta, Weights};
use std::collections::HashMap;

macro_rules! index_types {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u16);
        impl $name {
            /// As a `usize` for indexing.
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_types!(
    /// A person in [`Scenario::people`].
    PersonIx,
    /// A fact in [`Scenario::facts`].
    FactIx,
    /// A scene in [`Scenario::scenes`].
    SceneIx,
    /// A choice or hotspot in [`Scenario::actions`].
    ActionIx,
    /// An event in [`Scenario::events`].
    EventIx,
    /// A request in [`Scenario::requests`].
    RequestIx,
    /// A check kind in [`Scenario::checks`].
    CheckIx,
    /// A flag in [`Scenario::flags`].
    FlagIx,
    /// A counter in [`Scenario::counters`].
    CounterIx,
    /// A switch in [`Scenario::switches`].
    SwitchIx,
    /// An ending in [`Scenario::endings`].
    EndingIx,
);

/// A compiled, validated scenario: the rules the simulation runs.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Metadata.
    pub meta: Meta,
    /// Briefing texts.
    pub briefing: Briefing,
    /// Calendar.
    pub calendar: Calendar,
    /// People.
    pub people: Vec<PersonDef>,
    /// Kinds of check.
    pub checks: Vec<model::CheckKind>,
    /// Facts.
    pub facts: Vec<FactDef>,
    /// The opening scene.
    pub start: SceneIx,
    /// Scenes.
    pub scenes: Vec<SceneDef>,
    /// Choices and hotspots of every scene.
    pub actions: Vec<ActionDef>,
    /// Events.
    pub events: Vec<EventDef>,
    /// Agency requests.
    pub requests: Vec<RequestDef>,
    /// Seeded switches.
    pub switches: Vec<model::Switch>,
    /// The supervision action, if the case offers it.
    pub supervision: Option<ActionIx>,
    /// Flag names, in order of first use.
    pub flags: Vec<String>,
    /// Counter names, in order of first use.
    pub counters: Vec<String>,
    /// The rubric.
    pub rubric: RubricDef,
    /// Endings, first match wins.
    pub endings: Vec<EndingDef>,
    action_by_id: HashMap<String, ActionIx>,
    /// Every `Since` and `Before` moment in the rubric's conditions, in
    /// order: as the clock passes each, thresholds and penalties are checked
    /// again, so a condition on the time of day holds from its exact moment.
    pub rubric_moments: Vec<InGameTime>,
}

impl Cond {
    /// Every `Since` and `Before` moment in the condition.
    pub fn moments(&self, out: &mut Vec<InGameTime>) {
        match self {
            Cond::Since(t) | Cond::Before(t) => out.push(*t),
            Cond::Not(inner) => inner.moments(out),
            Cond::All(xs) | Cond::Any(xs) => xs.iter().for_each(|x| x.moments(out)),
            _ => {}
        }
    }
}

impl Scenario {
    /// Replaces each `{person}` placeholder in a text with `name(person)`;
    /// a placeholder that names nobody is kept as written.
    pub fn fill_people(&self, text: &str, name: impl Fn(PersonIx) -> String) -> String {
        if !text.contains('{') {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            match self.people.iter().position(|p| p.id == after[..close]) {
                Some(i) => out.push_str(&name(PersonIx(i as u16))),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A text with roles where names would go ("the mother's partner"), for
    /// views of a group, where no session's names apply and nobody is named.
    pub fn without_names(&self, text: &str) -> String {
        let role = |p: PersonIx| self.person(p).id.replace('_', " ");
        // A placeholder that opens a sentence opens it with a capital.
        let mut filled = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('{') {
            let before = &rest[..at];
            filled.push_str(before);
            let so_far = filled.trim_end();
            let opens = so_far.is_empty() || so_far.ends_with(['.', '!', '?', '"', '\u{201c}', ':']);
            let end = rest[at..].find('}').map_or(rest.len(), |e| at + e + 1);
            let one =
                self.fill_people(&rest[at..end], |p| format!("{} {}", if opens { "The" } else { "the" }, role(p)));
            filled.push_str(&one);
            rest = &rest[end..];
        }
        filled.push_str(rest);
        // "The nursery manager, {nursery_manager}" would read "The nursery
        // manager, the nursery manager": say it once.
        for p in 0..self.people.len() {
            let r = role(PersonIx(p as u16));
            for lead in [format!("The {r}"), format!("the {r}")] {
                filled = filled.replace(&format!("{lead}, the {r}"), &lead);
            }
        }
        filled
    }

    /// The choice or hotspot with this id.
    pub fn action_id(&self, id: &str) -> Option<ActionIx> {
        self.action_by_id.get(id).copied()
    }

    /// A person by index.
    pub fn person(&self, p: PersonIx) -> &PersonDef {
        &self.people[p.ix()]
    }

    /// A fact by index.
    pub fn fact(&self, f: FactIx) -> &FactDef {
        &self.facts[f.ix()]
    }

    /// A scene by index.
    pub fn scene(&self, s: SceneIx) -> &SceneDef {
        &self.scenes[s.ix()]
    }

    /// A choice or hotspot by index.
    pub fn action(&self, a: ActionIx) -> &ActionDef {
        &self.actions[a.ix()]
    }

    /// When an action begun at `from` is over: its cost counted on the
    /// calendar (working days skip weekends), never past the case's horizon.
    pub fn done_at(&self, a: ActionIx, from: InGameTime) -> InGameTime {
        self.action(a).cost.after(from, &self.calendar).min(self.calendar.horizon())
    }

    /// The ending with this id.
    pub fn ending_id(&self, id: &str) -> Option<EndingIx> {
        self.endings.iter().position(|e| e.id == id).map(|i| EndingIx(i as u16))
    }

    /// The id of the scene an action belongs to ("anywhere" for supervision).
    pub fn action_scene_id(&self, a: ActionIx) -> &str {
        self.action(a).scene.map_or("anywhere", |s| self.scene(s).id.as_str())
    }

    /// The scene with this id.
    pub fn scene_id(&self, id: &str) -> Option<SceneIx> {
        self.scenes.iter().position(|s| s.id == id).map(|i| SceneIx(i as u16))
    }
}

/// A person, compiled.
#[derive(Clone, Debug)]
pub struct PersonDef {
    /// Id, also the `{id}` placeholder.
    pub id: String,
    /// Fixed name, or the pool to draw from.
    pub names: Vec<String>,
    /// Role.
    pub role: Role,
    /// Age.
    pub age: Option<u32>,
    /// Lives with or looks after the child.
    pub carer: bool,
    /// Known to professionals at the start.
    pub known_at_start: bool,
    /// Description for the household panel.
    pub description: String,
}

/// A fact, compiled.
#[derive(Clone, Debug)]
pub struct FactDef {
    /// Id.
    pub id: String,
    /// Where it comes from.
    pub source: FactSource,
    /// The base text followed by its variants; the seed picks one.
    pub texts: Vec<String>,
    /// People it reveals.
    pub reveals: Vec<PersonIx>,
}

/// Where a fact comes from, compiled.
#[derive(Clone, Debug)]
pub enum FactSource {
    /// Said by a person.
    Said(PersonIx),
    /// Seen at a place.
    Seen(String),
    /// From an agency's record.
    Record(String),
}

/// A scene, compiled.
#[derive(Clone, Debug)]
pub struct SceneDef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Location.
    pub location: String,
    /// Text.
    pub text: String,
    /// Who is there.
    pub present: Vec<PersonIx>,
    /// Choices, in the order the file gives them (number keys follow it).
    pub choices: Vec<ActionIx>,
    /// Hotspots.
    pub hotspots: Vec<ActionIx>,
    /// Discussion question.
    pub discussion: Option<String>,
    /// The kind of place, for the room view.
    pub room: RoomKind,
    /// An author's own picture (a place picture's name), drawn instead of the room kind's.
    pub picture: Option<String>,
}

/// Whether an action is a choice, a look at a hotspot, or supervision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// A choice button.
    Choice,
    /// A hotspot in the room.
    Hotspot,
    /// Talking the case through with a manager: on offer in any scene.
    Supervision,
}

/// The id of the supervision action in every scenario (reserved).
pub const SUPERVISION: &str = "supervision";

/// A choice or hotspot, compiled.
#[derive(Clone, Debug)]
pub struct ActionDef {
    /// Id (unique among all actions).
    pub id: String,
    /// Choice or hotspot.
    pub kind: ActionKind,
    /// The scene it belongs to; `None` for supervision, which is offered everywhere.
    pub scene: Option<SceneIx>,
    /// Button text or hotspot label.
    pub text: String,
    /// When it is offered.
    pub when: Cond,
    /// Time it takes.
    pub cost: TimeSpan,
    /// What happens, in words.
    pub result: String,
    /// What it changes.
    pub effects: Vec<Eff>,
    /// Where it leads.
    pub goto: Option<SceneIx>,
    /// Offered once only.
    pub once: bool,
    /// Where a hotspot sits in the drawn room (0–1 each way), if the author placed it.
    pub at: Option<(f32, f32)>,
    /// What a hotspot reveals once looked at, drawn where it is (an object picture's name).
    pub shows: Option<String>,
    /// A hotspot with no effect, no cost and no mention anywhere: looking
    /// at it changes no outcome, so `explore` does not branch on it.
    pub inert: bool,
}

/// An event, compiled.
#[derive(Clone, Debug)]
pub struct EventDef {
    /// Id.
    pub id: String,
    /// When.
    pub at: EventAt,
    /// Seeded extra delay, in minutes.
    pub jitter_minutes: u32,
    /// Averted if this holds.
    pub unless: Option<Cond>,
    /// Seen by the trainee.
    pub seen: bool,
    /// Text.
    pub text: String,
    /// Effects.
    pub effects: Vec<Eff>,
    /// Interrupting scene.
    pub goto: Option<SceneIx>,
    /// Escalation items (indices) whose timely completion would have prevented it.
    pub preventable_by: Vec<usize>,
}

impl EventDef {
    /// Whether it is an incident: harm that a missed step could have prevented.
    pub fn is_incident(&self) -> bool {
        !self.preventable_by.is_empty()
    }
}

/// When an event happens, compiled.
#[derive(Clone, Copy, Debug)]
pub enum EventAt {
    /// At a fixed moment.
    Fixed(InGameTime),
    /// After being scheduled.
    After(TimeSpan),
}

/// An agency request, compiled.
#[derive(Clone, Debug)]
pub struct RequestDef {
    /// Id.
    pub id: String,
    /// Agency.
    pub agency: String,
    /// What was asked.
    pub asked: String,
    /// How long the answer takes.
    pub delay: TimeSpan,
    /// Possible answers, first match.
    pub answers: Vec<AnswerDef>,
}

/// An agency answer, compiled.
#[derive(Clone, Debug)]
pub struct AnswerDef {
    /// When given.
    pub when: Cond,
    /// Text.
    pub text: String,
    /// Effects.
    pub effects: Vec<Eff>,
}

/// The rubric, compiled.
#[derive(Clone, Debug)]
pub struct RubricDef {
    /// Criterion weights.
    pub weights: Weights,
    /// Inconsistencies.
    pub inconsistencies: Vec<InconsistencyDef>,
    /// Carers.
    pub carers: Vec<CarerDef>,
    /// Escalations.
    pub escalations: Vec<EscalationDef>,
    /// Overreach penalties.
    pub overreach: Vec<OverreachDef>,
    /// Penalties for harmful acts, on any criterion.
    pub penalties: Vec<PenaltyDef>,
}

/// An inconsistency item, compiled.
#[derive(Clone, Debug)]
pub struct InconsistencyDef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Conflicting facts.
    pub facts: Vec<FactIx>,
    /// Counting actions.
    pub followed_up_by: Vec<ActionIx>,
    /// Late after this.
    pub late_after: TimeSpan,
    /// Weight.
    pub weight: f64,
    /// Learning point.
    pub learning_point: String,
    /// Review finding.
    pub review_finding: String,
    /// Supervisor's question.
    pub supervision_question: Option<String>,
    /// Counts only in versions where this holds (switches alone).
    pub only_if: Option<Cond>,
}

/// A carer item, compiled.
#[derive(Clone, Debug)]
pub struct CarerDef {
    /// The carer.
    pub person: PersonIx,
    /// Required checks.
    pub checks: Vec<CheckIx>,
    /// Weight.
    pub weight: f64,
    /// Learning point.
    pub learning_point: String,
    /// Review finding.
    pub review_finding: String,
    /// Supervisor's question.
    pub supervision_question: Option<String>,
    /// Counts only in versions where this holds (switches alone).
    pub only_if: Option<Cond>,
}

/// An escalation item, compiled.
#[derive(Clone, Debug)]
pub struct EscalationDef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Trigger.
    pub trigger: Cond,
    /// Counting routes.
    pub counts: Vec<Route>,
    /// Counting choices.
    pub met_by: Vec<ActionIx>,
    /// Deadline from the trigger.
    pub deadline: TimeSpan,
    /// Source of the timescale.
    pub timescale: String,
    /// Weight.
    pub weight: f64,
    /// Learning point.
    pub learning_point: String,
    /// Review finding.
    pub review_finding: String,
    /// Supervisor's question.
    pub supervision_question: Option<String>,
    /// Escalation or protection.
    pub kind: EscalationKind,
    /// Met the first moment this holds at or after the trigger.
    pub met_when: Option<Cond>,
    /// When the threshold was there to be found (see [`model::Escalation::arises`]).
    pub arises: Option<Cond>,
    /// Choices that decide against acting.
    pub refused_by: Vec<ActionIx>,
    /// The incident that raised it: answered in time it adds nothing.
    pub consequence_of: Option<EventIx>,
}

/// A penalty for a harmful act, compiled.
#[derive(Clone, Debug)]
pub struct PenaltyDef {
    /// Id.
    pub id: String,
    /// What was done.
    pub title: String,
    /// Incurred the first moment this holds.
    pub when: Cond,
    /// The criterion it comes off.
    pub criterion: Criterion,
    /// Points off it.
    pub points: u32,
    /// Why it harms.
    pub reason: String,
    /// Review finding.
    pub review_finding: String,
}

/// An overreach item, compiled.
#[derive(Clone, Debug)]
pub struct OverreachDef {
    /// Id.
    pub id: String,
    /// Route.
    pub route: Route,
    /// Out of proportion when this holds.
    pub when: Cond,
    /// Points off.
    pub penalty: u32,
    /// Why.
    pub reason: String,
}

/// An ending, compiled.
#[derive(Clone, Debug)]
pub struct EndingDef {
    /// Id.
    pub id: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// Condition.
    pub when: Cond,
    /// Escalation items (indices) whose timely completion would have prevented it.
    pub preventable_by: Vec<usize>,
    /// The percentage taken off the overall score when the case ends here.
    pub harm: u32,
    /// What the text says happened, each with the condition that makes it true.
    pub asserts: Vec<(String, Cond)>,
}

/// A condition with indices instead of ids (see [`model::Condition`]).
#[derive(Clone, Debug, PartialEq)]
#[expect(missing_docs, reason = "each variant mirrors model::Condition")]
pub enum Cond {
    Always,
    Never,
    Knows(FactIx),
    KnowsOf(PersonIx),
    Checked(PersonIx, CheckIx),
    Escalated(Route),
    Requested(RequestIx),
    Answered(RequestIx),
    Did(ActionIx),
    Visited(SceneIx),
    Flag(FlagIx),
    AtLeast(CounterIx, i32),
    Is(SwitchIx, u16),
    WorkingHours,
    Since(InGameTime),
    Before(InGameTime),
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

/// An effect with indices instead of ids (see [`model::Effect`]).
#[derive(Clone, Debug, PartialEq)]
#[expect(missing_docs, reason = "each variant mirrors model::Effect")]
pub enum Eff {
    Learn(FactIx),
    Discover(PersonIx),
    Check(PersonIx, CheckIx),
    Escalate(Route),
    Request(RequestIx),
    Set(FlagIx),
    Clear(FlagIx),
    Add(CounterIx, i32),
    Schedule(EventIx),
    EndCase,
}

/// The small complete example from `scenarios/README.md`, for tests.
#[cfg(test)]
pub(crate) mod example {
    use super::Scenario;
    use std::sync::Arc;

    /// The experienced practitioner's path through the example: every item
    /// on time, the child protected.
    pub const EXEMPLARY: &[&str] = &[
        "call_nursery",
        "visit",
        "ask",
        "ask_again",
        "look_hall",
        "meet_partner",
        "leave",
        "police_checks",
        "strategy",
        "wait",
        "close",
    ];

    /// The README, with the example in its last ```ron block.
    pub const README: &str = include_str!("../../scenarios/README.md");

    /// The example's RON text.
    pub fn text() -> &'static str {
        let start = README.rfind("```ron\n").map(|i| i + "```ron\n".len()).unwrap_or(0);
        let end = README[start..].find("```").map_or(README.len(), |i| start + i);
        &README[start..end]
    }

    /// The example, compiled.
    pub fn scenario() -> Arc<Scenario> {
        match super::load_str("README example", text()) {
            Ok((s, _)) => Arc::new(s),
            Err(e) => panic!("the README example does not compile:\n{}", e.render(false)),
        }
    }

    /// The example with `from` replaced by `to` (to make small broken or varied copies).
    pub fn with(from: &str, to: &str) -> String {
        assert!(text().contains(from), "the example does not contain {from:?}");
        text().replacen(from, to, 1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_case_loads_whatever_its_title_holds() {
        for title in [r"A\B", r#"Say "hello""#, r"C:\new"] {
            let text = super::new_case("our-case", title);
            let (s, _) =
                super::load_str("our-case.ron", &text).unwrap_or_else(|e| panic!("{title}: {}", e.render(false)));
            assert_eq!(s.meta.title.replace('\'', "\""), title, "the title as given");
        }
    }

    #[test]
    fn a_group_view_names_roles_not_people() {
        let s = super::example::scenario();
        assert_eq!(s.without_names("{mother}'s partner"), "The mother's partner");
        assert_eq!(s.without_names("Ask {mother} about {child}"), "Ask the mother about the child");
        assert_eq!(s.without_names("The mother, {mother}"), "The mother");
        assert_eq!(s.without_names("{nobody} stays as written"), "{nobody} stays as written");
        assert_eq!(s.without_names("It is warm. {child} is on her knee."), "It is warm. The child is on her knee.");
        assert_eq!(s.without_names("She says: \"{child} fell.\""), "She says: \"The child fell.\"");
        let named = s.fill_people("{child} and {mother}", |p| format!("<{}>", p.0));
        assert_eq!(named, "<0> and <1>");
    }
}
