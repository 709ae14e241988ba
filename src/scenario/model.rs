//! The scenario file format, version 1, as serde types.
//!
//! This is exactly what an author writes in RON; `scenarios/README.md`
//! documents every field. Ids are strings here and become indices when a file
//! is compiled into a [`super::Scenario`]. Conditions and effects are a closed
//! vocabulary: a scenario can describe a case but never run code.

use crate::clock::{Calendar, TimeSpan};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 3;

/// A whole scenario file, written `Scenario( ... )`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Format version; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// What the case is, for the start screen, the briefing and the records.
    pub meta: Meta,
    /// What the trainee reads before the case starts.
    pub briefing: Briefing,
    /// Days, office hours and when the case stops.
    pub calendar: Calendar,
    /// Seeded randomness: names, switches.
    #[serde(default)]
    pub variation: Variation,
    /// Everyone in the case, whether professionals know of them or not.
    pub people: Vec<Person>,
    /// The kinds of check a practitioner can make on an adult.
    #[serde(default)]
    pub checks: Vec<CheckKind>,
    /// Things the trainee can learn.
    pub facts: Vec<Fact>,
    /// The scene the case opens in.
    pub start: String,
    /// The places and moments of the case.
    pub scenes: Vec<Scene>,
    /// Things that happen by themselves.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Requests to other agencies and their answers.
    #[serde(default)]
    pub requests: Vec<AgencyRequest>,
    /// Talking the case through with a manager. Added in format 2.
    #[serde(default)]
    pub supervision: Supervision,
    /// What the debrief scores.
    pub rubric: Rubric,
    /// How the case can end, first match wins.
    pub endings: Vec<Ending>,
}

/// Talking the case through with a manager: always on offer in working hours.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    /// Whether the trainee can ask for supervision in this case.
    #[serde(default = "yes")]
    pub available: bool,
    /// How long it takes.
    #[serde(default = "Supervision::default_cost")]
    pub cost: TimeSpan,
    /// Whether it counts as management oversight (the `ManagerOversight` route).
    #[serde(default = "yes")]
    pub oversight: bool,
}

impl Supervision {
    fn default_cost() -> TimeSpan {
        TimeSpan::Minutes(30)
    }
}

impl Default for Supervision {
    fn default() -> Self {
        Supervision { available: true, cost: Supervision::default_cost(), oversight: true }
    }
}

/// Metadata shown on the start screen and kept in records.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Stable id, used in records and on the command line.
    pub id: String,
    /// The version of this scenario's content; records keep it.
    pub version: String,
    /// Title on the start screen.
    pub title: String,
    /// One or two sentences on what the trainee will do.
    pub summary: String,
    /// How long a careful trainee takes, in real minutes.
    pub estimated_minutes: u32,
    /// Practice themes, in plain words.
    pub themes: Vec<String>,
    /// What the case contains that a trainee may want warning of.
    pub content_notes: Vec<String>,
    /// What a trainee should be able to do afterwards.
    pub learning_outcomes: Vec<String>,
    /// The pattern the case follows, described generically.
    pub pattern: String,
    /// Published review themes it draws on (no names of real cases' families).
    pub review_themes: Vec<String>,
    /// Which local protocol the deadlines assume, where practice varies.
    #[serde(default)]
    pub local_protocol: String,
}

/// The briefing screen.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Briefing {
    /// The trainee's role in this case.
    pub role: String,
    /// The referral as it arrived (may use `{person}` names).
    pub referral: String,
}

/// Seeded variation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variation {
    /// Named lists of first names; a person with `name: Pool("x")` draws from `x`.
    #[serde(default)]
    pub name_pools: BTreeMap<String, Vec<String>>,
    /// Named switches, each set to one of its options at the start.
    #[serde(default)]
    pub switches: Vec<Switch>,
}

/// A value drawn once at the start of a session, tested with `Is(switch, option)`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// Switch id.
    pub id: String,
    /// The options, equally likely.
    pub options: Vec<String>,
}

/// A person in the case.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Person id, also the `{id}` placeholder for their name in texts.
    pub id: String,
    /// Their name, fixed or drawn from a pool.
    pub name: Name,
    /// Their role in the child's life.
    pub role: Role,
    /// Age in years, if it matters (children, young parents).
    #[serde(default)]
    pub age: Option<u32>,
    /// Lives with or looks after the child.
    #[serde(default)]
    pub carer: bool,
    /// Professionals know of them when the case opens.
    #[serde(default = "yes")]
    pub known_at_start: bool,
    /// How the household panel describes them once known.
    #[serde(default)]
    pub description: String,
}

fn yes() -> bool {
    true
}

/// Where a person's name comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Name {
    /// Always this name.
    Fixed(String),
    /// Drawn from a name pool by the session's seed.
    Pool(String),
}

/// A person's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[expect(missing_docs, reason = "the names say it")]
pub enum Role {
    Child,
    Parent,
    Partner,
    Relative,
    Lodger,
    Friend,
    Professional,
}

/// A kind of check on an adult ("police", "met in person").
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckKind {
    /// Check id.
    pub id: String,
    /// How the household panel names it.
    pub title: String,
}

/// Something the trainee can learn.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Fact id.
    pub id: String,
    /// Who said it, where it was seen, or which record it came from.
    pub source: Source,
    /// The words the notebook keeps (may use `{person}` names).
    pub text: String,
    /// Other versions of the same account; the seed picks one of `text` and these.
    #[serde(default)]
    pub variants: Vec<String>,
    /// People who become known to the trainee when this is learned.
    #[serde(default)]
    pub reveals: Vec<String>,
}

/// Where a fact comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Source {
    /// A statement by a person.
    Said(String),
    /// An observation at a place.
    Seen(String),
    /// A record or report from an agency.
    Record(String),
}

/// A place and moment with choices.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Scene id.
    pub id: String,
    /// Short title ("Home visit: the front room").
    pub title: String,
    /// Where it is.
    pub location: String,
    /// What the trainee reads on arriving (may use `{person}` names).
    pub text: String,
    /// Who is there.
    #[serde(default)]
    pub present: Vec<String>,
    /// Things in the room the trainee can look at.
    #[serde(default)]
    pub hotspots: Vec<Hotspot>,
    /// What the trainee can do here.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// A question a facilitator would stop the group on.
    #[serde(default)]
    pub discussion: Option<String>,
    /// The kind of place, for the drawn room view; guessed from the location if absent.
    #[serde(default)]
    pub room: Option<RoomKind>,
    /// An author's own picture for this scene, `assets/places/<name>.svg`
    /// (letters, digits and hyphens), drawn instead of the room kind's.
    #[serde(default)]
    pub picture: Option<String>,
}

/// The kind of place a scene is in: which picture the room view draws
/// (`assets/places/<picture>.svg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[expect(missing_docs, reason = "the names say it")]
pub enum RoomKind {
    /// The social worker's desk in the office.
    Office,
    /// On the phone (or a call with several agencies).
    PhoneCall,
    /// A family's front room.
    #[serde(alias = "FrontRoom")]
    LivingRoom,
    Kitchen,
    Hallway,
    /// A child's bedroom.
    Bedroom,
    /// A parent's or carer's bedroom.
    AdultBedroom,
    /// The main room of a small flat.
    Flat,
    /// Outside the front door.
    Doorstep,
    /// A grandparent's or other relative's home.
    RelativeHome,
    /// Outside, in the street.
    Street,
    School,
    /// A children's outpatient or community clinic.
    Clinic,
    GpSurgery,
    HospitalWard,
    PoliceStation,
    /// A meeting or conference room.
    #[serde(alias = "ConferenceRoom")]
    Meeting,
}

impl RoomKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [RoomKind; 17] = [
        RoomKind::Office,
        RoomKind::PhoneCall,
        RoomKind::LivingRoom,
        RoomKind::Kitchen,
        RoomKind::Hallway,
        RoomKind::Bedroom,
        RoomKind::AdultBedroom,
        RoomKind::Flat,
        RoomKind::Doorstep,
        RoomKind::RelativeHome,
        RoomKind::Street,
        RoomKind::School,
        RoomKind::Clinic,
        RoomKind::GpSurgery,
        RoomKind::HospitalWard,
        RoomKind::PoliceStation,
        RoomKind::Meeting,
    ];

    /// The kind of place in words, for headings ("Hospital ward").
    pub fn words(self) -> &'static str {
        match self {
            RoomKind::Office => "Office",
            RoomKind::PhoneCall => "On the phone",
            RoomKind::LivingRoom => "Living room",
            RoomKind::Kitchen => "Kitchen",
            RoomKind::Hallway => "Hallway",
            RoomKind::Bedroom => "Child's bedroom",
            RoomKind::AdultBedroom => "Adult's bedroom",
            RoomKind::Flat => "Flat",
            RoomKind::Doorstep => "Doorstep",
            RoomKind::RelativeHome => "A relative's home",
            RoomKind::Street => "Street",
            RoomKind::School => "School",
            RoomKind::Clinic => "Clinic",
            RoomKind::GpSurgery => "GP surgery",
            RoomKind::HospitalWard => "Hospital ward",
            RoomKind::PoliceStation => "Police station",
            RoomKind::Meeting => "Meeting room",
        }
    }

    /// The name of the picture drawn for this kind of place.
    pub fn picture(self) -> &'static str {
        match self {
            RoomKind::Office => "office-desk",
            RoomKind::PhoneCall => "phone-call",
            RoomKind::LivingRoom => "front-room",
            RoomKind::Kitchen => "kitchen",
            RoomKind::Hallway => "hallway",
            RoomKind::Bedroom => "child-bedroom",
            RoomKind::AdultBedroom => "adult-bedroom",
            RoomKind::Flat => "flat",
            RoomKind::Doorstep => "doorstep",
            RoomKind::RelativeHome => "relative-home",
            RoomKind::Street => "street",
            RoomKind::School => "school",
            RoomKind::Clinic => "clinic",
            RoomKind::GpSurgery => "gp-surgery",
            RoomKind::HospitalWard => "hospital-ward",
            RoomKind::PoliceStation => "police-station",
            RoomKind::Meeting => "conference-room",
        }
    }

    /// A guess from a scene's location and title, for scenes that do not say:
    /// a call is a call wherever the desk is; otherwise the location decides.
    pub fn guess(location: &str, title: &str) -> RoomKind {
        if Self::is_call(location) || Self::is_call(title) {
            return RoomKind::PhoneCall;
        }
        Self::from_words(location).or_else(|| Self::from_words(title)).unwrap_or(RoomKind::Office)
    }

    fn is_call(text: &str) -> bool {
        let text = text.to_lowercase();
        ["phone", "a call", "conference call", "rings", "calls you", "on the line", "telephone"]
            .iter()
            .any(|w| text.contains(w))
    }

    fn from_words(text: &str) -> Option<RoomKind> {
        let text = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        Some(if has(&["police station"]) {
            RoomKind::PoliceStation
        } else if has(&["desk", "office", "children's services", "legal"]) {
            RoomKind::Office
        } else if has(&["kitchen"]) {
            RoomKind::Kitchen
        } else if has(&["hallway", "landing", "the hall"]) {
            RoomKind::Hallway
        } else if has(&["bedroom", "upstairs", "back room"]) {
            RoomKind::Bedroom
        } else if has(&["doorstep", "front door", "door"]) {
            RoomKind::Doorstep
        } else if has(&["ward", "hospital", "assessment unit"]) {
            RoomKind::HospitalWard
        } else if has(&["surgery", "gp "]) {
            RoomKind::GpSurgery
        } else if has(&["clinic", "outpatient", "medical", "centre"]) {
            RoomKind::Clinic
        } else if has(&["school", "classroom", "nursery", "academy", "primary"]) {
            RoomKind::School
        } else if has(&["conference", "meeting", "strategy"]) {
            RoomKind::Meeting
        } else if has(&["street", "outside", "car", "café", "bench"]) {
            RoomKind::Street
        } else if has(&["nan", "grandmother", "grandfather", "aunt", "uncle", "cousin"]) {
            RoomKind::RelativeHome
        } else if has(&["flat"]) {
            RoomKind::Flat
        } else if has(&["house", "home", "front room", "living", "lounge", " row"]) {
            RoomKind::LivingRoom
        } else {
            return None;
        })
    }
}

/// Something in a room the trainee can look at.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hotspot {
    /// Action id (unique among choices and hotspots).
    pub id: String,
    /// What it is ("the cot").
    pub label: String,
    /// What the trainee sees.
    #[serde(default)]
    pub result: String,
    /// Where it is in the drawn room, from (0, 0) top left to (1, 1) bottom
    /// right; placed by the room's layout if absent.
    #[serde(default)]
    pub at: Option<(f32, f32)>,
    /// What looking reveals, drawn on the picture where the hotspot is once
    /// it has been looked at: `assets/objects/<name>.svg`.
    #[serde(default)]
    pub shows: Option<String>,
    /// Only there when this holds.
    #[serde(default)]
    pub when: Condition,
    /// Time taken to look; none by default: what counts is noticing.
    #[serde(default)]
    pub cost: TimeSpan,
    /// What looking does (usually `Learn` an observation).
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// A choice the trainee can make in a scene.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Action id (unique among choices and hotspots).
    pub id: String,
    /// What the button says.
    pub text: String,
    /// Only offered when this holds.
    #[serde(default)]
    pub when: Condition,
    /// Time it takes.
    #[serde(default)]
    pub cost: TimeSpan,
    /// What happens, in words (may use `{person}` names).
    #[serde(default)]
    pub result: String,
    /// What it changes.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// The scene it leads to; stays in the scene if absent.
    #[serde(default)]
    pub goto: Option<String>,
    /// Offered only until taken once (the default); `false` for moves like "back to the office".
    #[serde(default = "yes")]
    pub once: bool,
}

/// A condition on the state of the case.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum Condition {
    /// Always true.
    #[default]
    Always,
    /// Never true (placeholder while writing).
    Never,
    /// The trainee knows this fact.
    Knows(String),
    /// The trainee knows this person exists.
    KnowsOf(String),
    /// This check on this person has been made.
    Checked(String, String),
    /// This escalation route has been used.
    Escalated(Route),
    /// This agency request has been sent.
    Requested(String),
    /// This agency request has been answered.
    Answered(String),
    /// This choice or hotspot has been taken.
    Did(String),
    /// This scene has been visited.
    Visited(String),
    /// This flag is set.
    Flag(String),
    /// This counter is at least this value.
    AtLeast(String, i32),
    /// This switch has this option.
    Is(String, String),
    /// It is within working hours.
    WorkingHours,
    /// It is at or after this day and time.
    Since(u32, crate::clock::ClockTime),
    /// It is before this day and time.
    Before(u32, crate::clock::ClockTime),
    /// The inner condition is false.
    Not(Box<Condition>),
    /// Every inner condition holds.
    All(Vec<Condition>),
    /// At least one inner condition holds.
    Any(Vec<Condition>),
}

/// Something a choice, a hotspot, an event or an answer changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Effect {
    /// The trainee learns a fact (into the notebook).
    Learn(String),
    /// The trainee learns that a person exists.
    Discover(String),
    /// A check on a person is made (`Check("partner", "police")`).
    Check(String, String),
    /// The trainee escalates by this route.
    Escalate(Route),
    /// A request is sent to an agency; its answer arrives later.
    Request(String),
    /// Sets a flag.
    Set(String),
    /// Clears a flag.
    Clear(String),
    /// Adds to a counter.
    Add(String, i32),
    /// Schedules an event after its delay.
    Schedule(String),
    /// Ends the case; the ending is chosen by the endings' conditions.
    EndCase,
}

/// Routes by which a practitioner escalates concern.
///
/// A closed list so that every scenario, record and cohort report uses the
/// same words; see `research/timescales.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Route {
    /// Talking it through with a manager, decision recorded.
    ManagerOversight,
    /// Challenging another agency's decision (resolution procedure).
    ProfessionalChallenge,
    /// Referral to children's social care (for another professional).
    Referral,
    /// A strategy discussion with police, health and the referrer.
    StrategyDiscussion,
    /// A section 47 child protection enquiry.
    Section47Enquiry,
    /// A child protection medical by a paediatrician.
    ChildProtectionMedical,
    /// An initial child protection conference.
    ChildProtectionConference,
    /// Police attendance or a joint visit.
    PoliceReferral,
    /// Police powers of protection (s46), up to 72 hours.
    PoliceProtection,
    /// An emergency protection order (s44).
    EmergencyProtectionOrder,
}

impl Route {
    /// Every route, in order of formality.
    pub const ALL: [Route; 10] = [
        Route::ManagerOversight,
        Route::ProfessionalChallenge,
        Route::Referral,
        Route::StrategyDiscussion,
        Route::Section47Enquiry,
        Route::ChildProtectionMedical,
        Route::ChildProtectionConference,
        Route::PoliceReferral,
        Route::PoliceProtection,
        Route::EmergencyProtectionOrder,
    ];

    /// Plain words for the debrief.
    pub fn describe(self) -> &'static str {
        match self {
            Route::ManagerOversight => "discussed with a manager",
            Route::ProfessionalChallenge => "challenged another agency's decision",
            Route::Referral => "referred to children's social care",
            Route::StrategyDiscussion => "strategy discussion",
            Route::Section47Enquiry => "section 47 enquiry",
            Route::ChildProtectionMedical => "child protection medical",
            Route::ChildProtectionConference => "initial child protection conference",
            Route::PoliceReferral => "police involvement",
            Route::PoliceProtection => "police protection (s46)",
            Route::EmergencyProtectionOrder => "emergency protection order (s44)",
        }
    }

    /// Index in [`Route::ALL`].
    pub fn index(self) -> usize {
        Route::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// Something that happens by itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Event id.
    pub id: String,
    /// When it happens.
    pub at: EventTime,
    /// Seeded delay: up to this many minutes later than `at`.
    #[serde(default)]
    pub jitter_minutes: u32,
    /// It does not happen if this holds when its time comes.
    #[serde(default)]
    pub unless: Option<Condition>,
    /// Whether the trainee sees it happen (otherwise only the debrief shows it).
    #[serde(default = "yes")]
    pub seen: bool,
    /// What happens, in words.
    pub text: String,
    /// What it changes.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Takes the trainee to this scene (a phone call, an emergency).
    #[serde(default)]
    pub goto: Option<String>,
    /// Escalation items (ids) whose timely completion would have prevented
    /// this event: it is an *incident*, the cost of a missed or late step.
    /// The debrief names it beside those steps, and items raised by it
    /// (`consequence_of`) can never lift the score. Added in format 3.
    #[serde(default)]
    pub preventable_by: Vec<String>,
}

/// When an event happens.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum EventTime {
    /// At this day and time.
    At(u32, crate::clock::ClockTime),
    /// This long after a `Schedule` effect names it.
    After(TimeSpan),
}

/// A request to another agency.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyRequest {
    /// Request id.
    pub id: String,
    /// The agency asked ("GP surgery", "Police").
    pub agency: String,
    /// What was asked, for the case file.
    pub asked: String,
    /// How long the answer takes.
    pub delay: TimeSpan,
    /// The answers; the first whose condition holds when it is due is given.
    pub answers: Vec<Answer>,
}

/// An agency's answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Given when this holds at the time the answer is due.
    #[serde(default)]
    pub when: Condition,
    /// The answer, as it arrives in the inbox.
    pub text: String,
    /// What the answer changes (facts learned, checks completed).
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// What the debrief scores.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Weights of the three criteria in the overall score.
    #[serde(default)]
    pub weights: Weights,
    /// Accounts and observations that do not fit together.
    pub inconsistencies: Vec<Inconsistency>,
    /// Adults who live with or look after the child, and the checks each needs.
    pub carers: Vec<CarerChecks>,
    /// Points where the threshold for escalation is reached.
    pub escalations: Vec<Escalation>,
    /// Formal routes that are out of proportion to what was known.
    #[serde(default)]
    pub overreach: Vec<Overreach>,
    /// Harmful or heavy-handed acts, on any criterion. Added in format 3.
    #[serde(default)]
    pub penalties: Vec<Penalty>,
}

/// Criterion weights (default equal).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of "followed up on inconsistencies".
    pub inconsistencies: f64,
    /// Weight of "checked carers".
    pub carers: f64,
    /// Weight of "escalated in time".
    pub escalations: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { inconsistencies: 1.0, carers: 1.0, escalations: 1.0 }
    }
}

/// Two or more facts that do not fit together.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inconsistency {
    /// Item id.
    pub id: String,
    /// What does not fit, in a few words.
    pub title: String,
    /// The facts that conflict; surfaced when all are known.
    pub facts: Vec<String>,
    /// Choices or hotspots that follow it up.
    pub followed_up_by: Vec<String>,
    /// Following up later than this after it surfaced earns half.
    #[serde(default = "Inconsistency::default_late")]
    pub late_after: TimeSpan,
    /// Weight within the criterion.
    #[serde(default = "one")]
    pub weight: f64,
    /// What a trainee should take away.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
    /// What a supervisor might ask while it is open (for supervision).
    #[serde(default)]
    pub supervision_question: Option<String>,
    /// The item counts only in versions of the case where this holds: a
    /// condition on switches alone (`Is("story", "concern")`). Added in format 3.
    #[serde(default)]
    pub only_if: Option<Condition>,
}

impl Inconsistency {
    fn default_late() -> TimeSpan {
        TimeSpan::WorkingDays(2)
    }
}

fn one() -> f64 {
    1.0
}

/// A carer and the checks they need.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarerChecks {
    /// The person (must be a carer).
    pub person: String,
    /// The checks required.
    pub checks: Vec<String>,
    /// Weight within the criterion.
    #[serde(default = "one")]
    pub weight: f64,
    /// What a trainee should take away.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
    /// What a supervisor might ask while it is open.
    #[serde(default)]
    pub supervision_question: Option<String>,
    /// The item counts only in versions of the case where this holds: a
    /// condition on switches alone (`Is("story", "concern")`). Added in format 3.
    #[serde(default)]
    pub only_if: Option<Condition>,
}

/// A point at which escalation is due.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Item id.
    pub id: String,
    /// What happened, in a few words.
    pub title: String,
    /// When this first holds, the threshold is met and the deadline starts.
    pub trigger: Condition,
    /// Routes that count as escalating.
    #[serde(default)]
    pub counts: Vec<Route>,
    /// Choices that count as meeting it too (a statutory visit, say), for
    /// duties that are not an escalation route. Added in format 2.
    #[serde(default)]
    pub met_by: Vec<String>,
    /// How long after the trigger it is due.
    pub deadline: TimeSpan,
    /// Which statutory or local timescale the deadline comes from.
    pub timescale: String,
    /// Weight within the criterion.
    #[serde(default = "one")]
    pub weight: f64,
    /// What a trainee should take away.
    pub learning_point: String,
    /// The review finding behind it.
    pub review_finding: String,
    /// What a supervisor might ask while it is open.
    #[serde(default)]
    pub supervision_question: Option<String>,
    /// `Escalation` (the default) or `Protection`: securing the child's
    /// immediate safety once the threshold is met. Added in format 3.
    #[serde(default)]
    pub kind: EscalationKind,
    /// Met the first moment this holds at or after the trigger, for steps
    /// that are a state rather than a route (`Flag("safety_plan")`). Added in format 3.
    #[serde(default)]
    pub met_when: Option<Condition>,
    /// When the threshold was there to be found, whether or not the trainee
    /// has found it: from then the item counts (never reaching the trigger is
    /// a miss, not a pass) and the deadline runs from the earlier of this and
    /// the trigger. Absent: the item counts only once the trigger holds. Added in format 3.
    #[serde(default)]
    pub arises: Option<Condition>,
    /// Choices that decide *not* to act (close, no further action, keep
    /// monitoring): taken once the threshold is reached they are recorded as
    /// a decision against escalating, and never meet the item, whatever route
    /// they use. Added in format 3.
    #[serde(default)]
    pub refused_by: Vec<String>,
    /// The incident (an event with `preventable_by`) whose coming raised this
    /// item. Answered in time it adds nothing, late or never it costs: an
    /// incident must never lift the score above acting before it. Added in format 3.
    #[serde(default)]
    pub consequence_of: Option<String>,
}

/// Whether an escalation item is about escalating or about protection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EscalationKind {
    /// Escalating concern by a formal route.
    #[default]
    Escalation,
    /// Securing the child's immediate safety (an interim safety plan,
    /// protective action agreed at a strategy discussion).
    Protection,
}

/// A harmful or heavy-handed act: points off a criterion the first moment
/// `when` holds (telling an alleged abuser what was disclosed, a child as
/// interpreter, a plan made by threat, checks pressed on after a benign
/// explanation was verified).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    /// Item id.
    pub id: String,
    /// What was done, in a few words.
    pub title: String,
    /// Incurred the first moment this holds.
    pub when: Condition,
    /// The criterion it comes off.
    pub criterion: Criterion,
    /// Points off that criterion (1–100).
    pub points: u32,
    /// Why it harms, in words.
    pub reason: String,
    /// The review finding behind it.
    pub review_finding: String,
}

/// The three things the debrief scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Criterion {
    /// Followed up on inconsistencies.
    Inconsistencies,
    /// Checked carers.
    Carers,
    /// Escalated in time.
    Escalations,
}

impl Criterion {
    /// All three, in debrief order.
    pub const ALL: [Criterion; 3] = [Criterion::Inconsistencies, Criterion::Carers, Criterion::Escalations];

    /// The heading in the debrief.
    pub fn title(self) -> &'static str {
        match self {
            Criterion::Inconsistencies => "Followed up on inconsistencies",
            Criterion::Carers => "Checked carers",
            Criterion::Escalations => "Escalated in time",
        }
    }
}

/// A formal route used when it was out of proportion to what was known.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overreach {
    /// Item id.
    pub id: String,
    /// The route.
    pub route: Route,
    /// Out of proportion when this holds at the moment of escalating.
    pub when: Condition,
    /// Points taken off the escalation criterion.
    pub penalty: u32,
    /// Why it was out of proportion.
    pub reason: String,
}

/// How the case ends.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// Ending id.
    pub id: String,
    /// What it means for the child.
    pub outcome: Outcome,
    /// Title on the debrief.
    pub title: String,
    /// What happened next (may use `{person}` names).
    pub text: String,
    /// Chosen when this holds at the end; the last ending must be `Always`.
    #[serde(default)]
    pub when: Condition,
    /// For a `Harmed` or `ProtectedLate` outcome: the escalation items whose
    /// timely completion would have prevented it. Added in format 3.
    #[serde(default)]
    pub preventable_by: Vec<String>,
    /// The percentage taken off the overall score when the case ends here;
    /// by default 40 for `Harmed` and 25 for `ProtectedLate` with
    /// `preventable_by`, else 0. Added in format 3.
    #[serde(default)]
    pub harm: Option<u32>,
    /// What the text says happened, each with the condition that makes it
    /// true: `validate` and `explore` report any the ending's own condition
    /// does not guarantee. Added in format 3.
    #[serde(default)]
    pub asserts: Vec<Assertion>,
}

/// Something an ending's text says happened, and the condition that makes it so.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// The claim, in the ending's words ("the conference heard the medical evidence").
    pub says: String,
    /// True exactly when the claim is.
    pub when: Condition,
}

/// The outcome for the child, for the debrief and cohort reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// Protected before further harm.
    ProtectedInTime,
    /// Protected, but after harm that earlier action could have prevented.
    ProtectedLate,
    /// Harmed while the case was open.
    Harmed,
    /// Checks showed the concerns were unfounded; the family got the help it needed.
    SafeAfterChecks,
    /// The child may be safe for now, but the picture was never made clear:
    /// what happened, or who looks after the child, was never established.
    /// Added in format 3, for endings that must not claim more than was done.
    Unresolved,
}

impl Outcome {
    /// The harm (a percentage off the overall) an ending with this outcome
    /// costs by default, when it names steps that would have prevented it.
    pub fn default_harm(self) -> u32 {
        match self {
            Outcome::Harmed => 40,
            Outcome::ProtectedLate => 25,
            Outcome::ProtectedInTime | Outcome::SafeAfterChecks | Outcome::Unresolved => 0,
        }
    }

    /// Whether the child came to harm that the case could have prevented.
    pub fn is_harm(self) -> bool {
        matches!(self, Outcome::Harmed | Outcome::ProtectedLate)
    }

    /// Plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::ProtectedInTime => "protected in time",
            Outcome::ProtectedLate => "protected late",
            Outcome::Harmed => "harmed",
            Outcome::SafeAfterChecks => "safe after checks",
            Outcome::Unresolved => "unresolved",
        }
    }
}
