//! The case state machine: what is true now, and how an action changes it.
//!
//! [`CaseState`] holds only what decides the future and the score: the clock,
//! the scene, and *when* each thing first happened. It is small, hashable and
//! cheap to clone, which is what the explorer needs. What the trainee reads
//! (the chronology, the notebook's wording) is written to a [`Journal`] on the
//! side; the explorer passes a journal that drops everything.

use crate::clock::InGameTime;
use crate::scenario::*;
use crate::sim::variation::Variation;

/// "Has not happened", in a time slot.
pub const NEVER: u32 = u32::MAX;

/// An escalation item's `met` slot while a choice that refuses it runs: it
/// cannot be met by that choice's own effects.
const BLOCKED: u32 = u32::MAX - 1;

/// Where each kind of slot starts in [`CaseState::slots`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    facts: usize,
    people: usize,
    checks: usize,
    check_kinds: usize,
    actions: usize,
    scenes: usize,
    requests: usize,
    answers: usize,
    routes_first: usize,
    routes_last: usize,
    triggers: usize,
    arises: usize,
    met: usize,
    refused: usize,
    overreach: usize,
    penalties: usize,
    happened: usize,
    flags: usize,
    counters: usize,
    len: usize,
}

impl Layout {
    /// The layout for a scenario.
    pub fn of(s: &Scenario) -> Self {
        let mut at = 0;
        let mut next = |n: usize| {
            let start = at;
            at += n;
            start
        };
        let facts = next(s.facts.len());
        let people = next(s.people.len());
        let checks = next(s.people.len() * s.checks.len());
        let actions = next(s.actions.len());
        let scenes = next(s.scenes.len());
        let requests = next(s.requests.len());
        let answers = next(s.requests.len());
        let routes_first = next(Route::ALL.len());
        let routes_last = next(Route::ALL.len());
        let triggers = next(s.rubric.escalations.len());
        let arises = next(s.rubric.escalations.len());
        let met = next(s.rubric.escalations.len());
        let refused = next(s.rubric.escalations.len());
        let overreach = next(s.rubric.overreach.len());
        let penalties = next(s.rubric.penalties.len());
        let happened = next(s.events.len());
        let flags = next(s.flags.len());
        let counters = next(s.counters.len());
        Layout {
            facts,
            people,
            checks,
            check_kinds: s.checks.len(),
            actions,
            scenes,
            requests,
            answers,
            routes_first,
            routes_last,
            triggers,
            arises,
            met,
            refused,
            overreach,
            penalties,
            happened,
            flags,
            counters,
            len: at,
        }
    }
}

/// Why something happened: the trainee's action number, an event, an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The state at the start of the case.
    Start,
    /// The trainee's action, numbered from 0 in the order taken.
    Action(usize),
    /// An event.
    Event(EventIx),
    /// An agency's answer.
    Answer(RequestIx),
}

/// One line of what happened, for the transcript, the chronology and the debrief.
///
/// `at` is always the in-game moment; `cause` says what made it happen; `n`
/// numbers the trainee's actions from 0.
#[derive(Clone, Debug, PartialEq)]
#[expect(missing_docs, reason = "the fields are named for what they hold, as the enum's doc says")]
pub enum Entry {
    /// The trainee took an action.
    Took { n: usize, action: ActionIx, at: InGameTime },
    /// The trainee arrived in a scene.
    Arrived { scene: SceneIx, at: InGameTime },
    /// A fact went into the notebook.
    Learned { fact: FactIx, at: InGameTime, cause: Cause },
    /// A person became known.
    Discovered { person: PersonIx, at: InGameTime, cause: Cause },
    /// A check on a person was made.
    Checked { person: PersonIx, check: CheckIx, at: InGameTime, cause: Cause },
    /// An escalation.
    Escalated { route: Route, at: InGameTime, cause: Cause },
    /// A request went to an agency.
    Requested { request: RequestIx, at: InGameTime, due: InGameTime, cause: Cause },
    /// An agency answered.
    Answered { request: RequestIx, answer: usize, at: InGameTime },
    /// An event happened.
    Happened { event: EventIx, at: InGameTime },
    /// An event did not happen because its `unless` held.
    Averted { event: EventIx, at: InGameTime },
    /// An escalation threshold was reached (shown only in the debrief).
    Threshold { item: usize, at: InGameTime },
    /// An escalation item was met (by a route, a listed choice or a state).
    Met { item: usize, at: InGameTime, cause: Cause },
    /// A penalty was incurred.
    Incurred { penalty: usize, at: InGameTime, cause: Cause },
    /// The case ended.
    Ended { ending: EndingIx, at: InGameTime },
}

/// Where entries go: a `Vec<Entry>` keeps them, `()` drops them.
pub trait Journal {
    /// Records an entry.
    fn note(&mut self, entry: Entry);
}

impl Journal for Vec<Entry> {
    fn note(&mut self, entry: Entry) {
        self.push(entry);
    }
}

impl Journal for () {
    fn note(&mut self, _: Entry) {}
}

/// Something due later: an event or an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Due {
    /// An event.
    Event(EventIx),
    /// An agency answer.
    Answer(RequestIx),
}

/// Why an action could not be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The case has ended.
    #[error("the case has ended")]
    CaseOver,
    /// No choice or hotspot has this id.
    #[error("there is no choice or hotspot `{}` in this scenario", crate::echo::echo(.0))]
    Unknown(String),
    /// It belongs to another scene.
    #[error("`{action}` belongs to scene `{belongs}`, but the trainee is in `{current}`")]
    ElsewhereNow {
        /// The action.
        action: String,
        /// Its scene.
        belongs: String,
        /// The current scene.
        current: String,
    },
    /// It was already taken and can only be taken once.
    #[error("`{0}` has already been done")]
    AlreadyDone(String),
    /// Its condition does not hold now.
    #[error("`{0}` is not offered at this point")]
    NotOffered(String),
}

/// The state of a case at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CaseState {
    /// The clock.
    pub now: InGameTime,
    /// Where the trainee is.
    pub scene: SceneIx,
    /// The ending, once the case is over.
    pub ended: Option<EndingIx>,
    /// Times (minutes) at which things first happened, [`NEVER`] if not yet.
    slots: Box<[u32]>,
    /// What is due, in the order it will happen.
    pending: Vec<(InGameTime, Due)>,
}

/// The hasher for state identities: fast (SipHash was a third of
/// `explore`'s time) and fixed, so a state hashes the same in every run.
fn state_hasher() -> ahash::AHasher {
    use std::hash::BuildHasher;
    fixed_state().build_hasher()
}

fn fixed_state() -> ahash::RandomState {
    ahash::RandomState::with_seeds(0x5ec0_d100_c0de, 0x0c4e_5ea1, 0x9e37_79b9_7f4a_7c15, 0xd1b5_4a32_d192_ed03)
}

/// Hashes one byte per slot (`test` of its time), a block at a time (a
/// loop the compiler turns into vector compares).
fn pack_bits(h: &mut impl std::hash::Hasher, slots: &[u32], test: impl Fn(u32) -> bool) {
    let mut block = [0u8; 256];
    for chunk in slots.chunks(block.len()) {
        for (b, t) in block.iter_mut().zip(chunk) {
            *b = u8::from(test(*t));
        }
        h.write(&block[..chunk.len()]);
    }
}

/// A set of state hashes (already hashed: the set only needs to spread them).
pub type StateSet = std::collections::HashSet<u64, ahash::RandomState>;

/// An empty [`StateSet`].
pub fn state_set() -> StateSet {
    StateSet::with_hasher(fixed_state())
}

/// Where a case started when it did not start at the beginning: a scene,
/// with facts already learned and flags already set (the author's "play
/// from here", for testing a late scene without playing up to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartAt {
    /// The scene to open.
    pub scene: SceneIx,
    /// Facts known from the start.
    pub facts: Vec<FactIx>,
    /// Flags set from the start.
    pub flags: Vec<FlagIx>,
}

impl StartAt {
    /// A start point named by ids, as an author picks them; an unknown id is refused by name.
    pub fn by_ids(s: &Scenario, scene: &str, facts: &[String], flags: &[String]) -> Result<StartAt, String> {
        let scene = s.scene_id(scene).ok_or_else(|| format!("there is no scene `{}`", crate::echo::echo(scene)))?;
        let facts = facts
            .iter()
            .map(|id| {
                s.facts
                    .iter()
                    .position(|f| f.id == *id)
                    .map(|i| FactIx(i as u16))
                    .ok_or_else(|| format!("there is no fact `{}`", crate::echo::echo(id)))
            })
            .collect::<Result<_, _>>()?;
        let flags = flags
            .iter()
            .map(|id| {
                s.flags
                    .iter()
                    .position(|f| f == id)
                    .map(|i| FlagIx(i as u16))
                    .ok_or_else(|| format!("there is no flag `{}`", crate::echo::echo(id)))
            })
            .collect::<Result<_, _>>()?;
        Ok(StartAt { scene, facts, flags })
    }

    /// The same start point by ids, to carry across a reload of the text.
    pub fn ids(&self, s: &Scenario) -> (String, Vec<String>, Vec<String>) {
        (
            s.scene(self.scene).id.clone(),
            self.facts.iter().map(|f| s.fact(*f).id.clone()).collect(),
            self.flags.iter().map(|f| s.flags[f.ix()].clone()).collect(),
        )
    }
}

/// The scenario, the seed's variation and the layout, borrowed together.
#[derive(Clone, Copy)]
pub struct Rules<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The variation.
    pub v: &'a Variation,
    /// The slot layout.
    pub l: &'a Layout,
}

fn time(slot: u32) -> Option<InGameTime> {
    (slot != NEVER).then_some(InGameTime(slot))
}

impl CaseState {
    /// The state at the start of the case.
    pub fn start(r: Rules, j: &mut impl Journal) -> Self {
        let now = r.s.calendar.start();
        let mut slots = vec![NEVER; r.l.len].into_boxed_slice();
        for i in 0..r.s.flags.len() {
            slots[r.l.flags + i] = 0;
        }
        for i in 0..r.s.counters.len() {
            slots[r.l.counters + i] = 0;
        }
        let mut state = CaseState { now, scene: r.s.start, ended: None, slots, pending: Vec::new() };
        for (i, p) in r.s.people.iter().enumerate() {
            if p.known_at_start {
                state.slots[r.l.people + i] = now.0;
            }
        }
        for (i, e) in r.s.events.iter().enumerate() {
            if let EventAt::Fixed(at) = e.at {
                let ev = EventIx(i as u16);
                state.push_due(InGameTime(at.0.saturating_add(r.v.jitter(ev))), Due::Event(ev));
            }
        }
        state.enter(r, r.s.start, j);
        state.update_triggers(r, Cause::Start, j);
        state
    }

    /// The state at the start of the case, then moved to another scene with
    /// some facts already learned and flags already set: the author's "play
    /// from here". The facts are learned (and the people they reveal
    /// discovered) at the start time, as if the case file had said so.
    pub fn start_at(r: Rules, at: &StartAt, j: &mut impl Journal) -> Self {
        let mut state = CaseState::start(r, j);
        for f in &at.facts {
            state.apply(r, &Eff::Learn(*f), Cause::Start, j);
        }
        for flag in &at.flags {
            state.apply(r, &Eff::Set(*flag), Cause::Start, j);
        }
        if state.scene != at.scene {
            state.enter(r, at.scene, j);
        }
        state.update_triggers(r, Cause::Start, j);
        state
    }

    /// When a fact was learned.
    pub fn fact_at(&self, r: Rules, f: FactIx) -> Option<InGameTime> {
        time(self.slots[r.l.facts + f.ix()])
    }

    /// When a person became known.
    pub fn person_known_at(&self, r: Rules, p: PersonIx) -> Option<InGameTime> {
        time(self.slots[r.l.people + p.ix()])
    }

    /// When a check on a person was made.
    pub fn check_at(&self, r: Rules, p: PersonIx, c: CheckIx) -> Option<InGameTime> {
        time(self.slots[r.l.checks + p.ix() * r.l.check_kinds + c.ix()])
    }

    /// When an action was first taken.
    pub fn action_at(&self, r: Rules, a: ActionIx) -> Option<InGameTime> {
        time(self.slots[r.l.actions + a.ix()])
    }

    /// When a scene was first visited.
    pub fn scene_at(&self, r: Rules, s: SceneIx) -> Option<InGameTime> {
        time(self.slots[r.l.scenes + s.ix()])
    }

    /// When a request was sent.
    pub fn requested_at(&self, r: Rules, q: RequestIx) -> Option<InGameTime> {
        time(self.slots[r.l.requests + q.ix()])
    }

    /// When a request was answered.
    pub fn answered_at(&self, r: Rules, q: RequestIx) -> Option<InGameTime> {
        time(self.slots[r.l.answers + q.ix()])
    }

    /// When a route was first used.
    pub fn route_at(&self, r: Rules, route: Route) -> Option<InGameTime> {
        time(self.slots[r.l.routes_first + route.index()])
    }

    /// When an escalation item's threshold was reached.
    pub fn trigger_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.triggers + item])
    }

    /// When an escalation item was met by a counting route (at or after its trigger).
    pub fn met_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.met + item])
    }

    /// When an escalation item's threshold was first there to be found (its
    /// `arises` condition), whether or not the trainee had found it.
    pub fn arises_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.arises + item])
    }

    /// When a choice that decides against acting was first taken on an
    /// escalation item whose threshold was reached and not yet met.
    pub fn refused_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.refused + item])
    }

    /// When a penalty was incurred.
    pub fn penalty_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.penalties + item])
    }

    /// When an event happened (not averted).
    pub fn happened_at(&self, r: Rules, e: EventIx) -> Option<InGameTime> {
        time(self.slots[r.l.happened + e.ix()])
    }

    /// When an overreach item was incurred.
    pub fn overreach_at(&self, r: Rules, item: usize) -> Option<InGameTime> {
        time(self.slots[r.l.overreach + item])
    }

    /// Whether a flag is set.
    pub fn flag(&self, r: Rules, f: FlagIx) -> bool {
        self.slots[r.l.flags + f.ix()] != 0
    }

    /// A counter's value.
    pub fn counter(&self, r: Rules, c: CounterIx) -> i32 {
        self.slots[r.l.counters + c.ix()] as i32
    }

    /// A hash of what decides the future, ignoring *when* past things
    /// happened: two states with the same shape offer the same choices and
    /// lead to the same scenes and endings, though they may score differently.
    /// The explorer merges them; orderings of the same actions collapse.
    pub fn shape_hash(&self, r: Rules) -> u64 {
        self.shape_hash_with(self.progress_hash(r))
    }

    /// [`CaseState::shape_hash`] given this state's [`CaseState::progress_hash`]
    /// (the walks have it already: it is most of the work).
    pub fn shape_hash_with(&self, progress: u64) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = state_hasher();
        (self.now, self.scene, self.ended, progress).hash(&mut h);
        h.finish()
    }

    /// The shape without the clock and the scene: what the trainee has found
    /// out and set in motion. An action that leaves it unchanged only moved
    /// the trainee or passed time.
    pub fn progress_hash(&self, r: Rules) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = state_hasher();
        // Times matter only as "happened or not", a byte a slot, hashed a block at a time (the
        // hash is the walks' inner loop); the last use of each route only as
        // "just now"; flags and counters as they are.
        let l = r.l;
        let now = self.now.0;
        pack_bits(&mut h, &self.slots[..l.routes_last], |t| t != NEVER);
        pack_bits(&mut h, &self.slots[l.routes_last..l.triggers], |t| t == now);
        pack_bits(&mut h, &self.slots[l.triggers..l.flags], |t| t != NEVER);
        self.slots[l.flags..l.len].hash(&mut h);
        self.pending.hash(&mut h);
        h.finish()
    }

    /// A hash of the whole state, times included.
    pub fn full_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = state_hasher();
        self.hash(&mut h);
        h.finish()
    }

    /// What is due and when.
    pub fn pending(&self) -> &[(InGameTime, Due)] {
        &self.pending
    }

    /// Whether a condition holds now.
    pub fn holds(&self, r: Rules, c: &Cond) -> bool {
        match c {
            Cond::Always => true,
            Cond::Never => false,
            Cond::Knows(f) => self.fact_at(r, *f).is_some(),
            Cond::KnowsOf(p) => self.person_known_at(r, *p).is_some(),
            Cond::Checked(p, k) => self.check_at(r, *p, *k).is_some(),
            Cond::Escalated(route) => self.route_at(r, *route).is_some(),
            Cond::Requested(q) => self.requested_at(r, *q).is_some(),
            Cond::Answered(q) => self.answered_at(r, *q).is_some(),
            Cond::Did(a) => self.action_at(r, *a).is_some(),
            Cond::Visited(s) => self.scene_at(r, *s).is_some(),
            Cond::Flag(f) => self.flag(r, *f),
            Cond::AtLeast(c, n) => self.counter(r, *c) >= *n,
            Cond::Is(s, o) => r.v.switch(*s) == *o,
            Cond::WorkingHours => r.s.calendar.is_working_hours(self.now),
            Cond::Since(t) => self.now >= *t,
            Cond::Before(t) => self.now < *t,
            Cond::Not(inner) => !self.holds(r, inner),
            Cond::All(xs) => xs.iter().all(|x| self.holds(r, x)),
            Cond::Any(xs) => xs.iter().any(|x| self.holds(r, x)),
        }
    }

    /// Whether action `a` can be taken now: [`CaseState::check_available`]
    /// without the reason (the walks ask this of every action in every state).
    pub fn offered(&self, r: Rules, a: ActionIx) -> bool {
        let def = r.s.action(a);
        self.ended.is_none()
            && def.scene.is_none_or(|scene| scene == self.scene)
            && !(def.once && self.action_at(r, a).is_some())
            && self.holds(r, &def.when)
    }

    /// Whether the trainee can take `a` now, and if not, why.
    pub fn check_available(&self, r: Rules, a: ActionIx) -> Result<(), ActionError> {
        if self.offered(r, a) {
            return Ok(());
        }
        // Not offered: say why, in the order `offered` asks.
        let def = r.s.action(a);
        if self.ended.is_some() {
            return Err(ActionError::CaseOver);
        }
        if let Some(scene) = def.scene
            && scene != self.scene
        {
            return Err(ActionError::ElsewhereNow {
                action: def.id.clone(),
                belongs: r.s.scene(scene).id.clone(),
                current: r.s.scene(self.scene).id.clone(),
            });
        }
        if def.once && self.action_at(r, a).is_some() {
            return Err(ActionError::AlreadyDone(def.id.clone()));
        }
        Err(ActionError::NotOffered(def.id.clone()))
    }

    /// The choices and hotspots offered now, choices first, in file order.
    pub fn available(&self, r: Rules) -> Vec<ActionIx> {
        let scene = r.s.scene(self.scene);
        scene.choices.iter().chain(&scene.hotspots).copied().filter(|a| self.offered(r, *a)).collect()
    }

    // ----- changing the state -----

    /// Takes action `a` as the trainee's `n`th action.
    pub fn take(&mut self, r: Rules, a: ActionIx, n: usize, j: &mut impl Journal) -> Result<(), ActionError> {
        self.check_available(r, a)?;
        let def = r.s.action(a);
        let now = self.now;
        j.note(Entry::Took { n, action: a, at: now });
        set_first(&mut self.slots[r.l.actions + a.ix()], now);
        // A choice that decides against acting never meets an item it
        // refuses, whatever route it uses: block those items while its
        // effects run.
        let refusing: Vec<usize> = (0..r.s.rubric.escalations.len())
            .filter(|i| r.s.rubric.escalations[*i].refused_by.contains(&a) && self.slots[r.l.met + i] == NEVER)
            .collect();
        for i in &refusing {
            self.slots[r.l.met + i] = BLOCKED;
        }
        let mut end = false;
        for e in &def.effects {
            end |= self.apply(r, e, Cause::Action(n), j);
        }
        for i in refusing {
            self.slots[r.l.met + i] = NEVER;
            if self.slots[r.l.triggers + i] != NEVER {
                set_first(&mut self.slots[r.l.refused + i], now);
            }
        }
        // A choice listed in an item's `met_by` meets it once its threshold is
        // reached (including by this choice's own effects).
        for (i, item) in r.s.rubric.escalations.iter().enumerate() {
            if self.slots[r.l.triggers + i] != NEVER
                && item.met_by.contains(&a)
                && set_first(&mut self.slots[r.l.met + i], now)
            {
                j.note(Entry::Met { item: i, at: now, cause: Cause::Action(n) });
            }
        }
        // Thresholds and penalties that turn on the action itself (`Did`).
        self.update_triggers(r, Cause::Action(n), j);
        if end {
            self.finish(r, j);
            return Ok(());
        }
        if let Some(g) = def.goto {
            self.enter(r, g, j);
        }
        self.advance(r, r.s.done_at(a, now), j);
        if self.ended.is_none() && self.now >= r.s.calendar.horizon() {
            self.finish(r, j);
        }
        Ok(())
    }

    fn push_due(&mut self, at: InGameTime, due: Due) {
        let pos = self.pending.partition_point(|p| *p <= (at, due));
        self.pending.insert(pos, (at, due));
    }

    fn enter(&mut self, r: Rules, scene: SceneIx, j: &mut impl Journal) {
        self.scene = scene;
        set_first(&mut self.slots[r.l.scenes + scene.ix()], self.now);
        j.note(Entry::Arrived { scene, at: self.now });
    }

    /// Moves the clock to `target`, firing what falls due on the way. An
    /// event that takes the trainee somewhere stops the clock at its time.
    fn advance(&mut self, r: Rules, target: InGameTime, j: &mut impl Journal) {
        while let Some(&(at, due)) = self.pending.first() {
            if at > target {
                break;
            }
            self.pending.remove(0);
            self.pass_time(r, at, j);
            let mut end = false;
            let mut interrupted = false;
            match due {
                Due::Event(ev) => {
                    let def = &r.s.events[ev.ix()];
                    if def.unless.as_ref().is_some_and(|u| self.holds(r, u)) {
                        j.note(Entry::Averted { event: ev, at: self.now });
                    } else {
                        j.note(Entry::Happened { event: ev, at: self.now });
                        set_first(&mut self.slots[r.l.happened + ev.ix()], self.now);
                        for e in &def.effects {
                            end |= self.apply(r, e, Cause::Event(ev), j);
                        }
                        if let Some(g) = def.goto
                            && !end
                        {
                            self.enter(r, g, j);
                            interrupted = true;
                        }
                    }
                }
                Due::Answer(q) => {
                    let def = &r.s.requests[q.ix()];
                    set_first(&mut self.slots[r.l.answers + q.ix()], self.now);
                    if let Some(k) = def.answers.iter().position(|a| self.holds(r, &a.when)) {
                        j.note(Entry::Answered { request: q, answer: k, at: self.now });
                        for e in &def.answers[k].effects {
                            end |= self.apply(r, e, Cause::Answer(q), j);
                        }
                    }
                }
            }
            if end {
                self.finish(r, j);
                return;
            }
            if interrupted {
                return;
            }
        }
        self.pass_time(r, target, j);
    }

    /// Moves the clock on to `to`, stopping at each moment a rubric condition
    /// names (`Since`, `Before`) to check thresholds and penalties there, so
    /// that a threshold that comes with the time of day is dated exactly.
    fn pass_time(&mut self, r: Rules, to: InGameTime, j: &mut impl Journal) {
        let from = self.now;
        let first = r.s.rubric_moments.partition_point(|m| *m <= from);
        for m in &r.s.rubric_moments[first..] {
            if *m > to {
                break;
            }
            self.now = *m;
            self.update_triggers(r, Cause::Start, j);
        }
        self.now = self.now.max(to);
        self.update_triggers(r, Cause::Start, j);
    }

    /// Applies one effect; returns whether it ends the case.
    fn apply(&mut self, r: Rules, e: &Eff, cause: Cause, j: &mut impl Journal) -> bool {
        let now = self.now;
        match e {
            Eff::Learn(f) => {
                if set_first(&mut self.slots[r.l.facts + f.ix()], now) {
                    j.note(Entry::Learned { fact: *f, at: now, cause });
                    for p in &r.s.fact(*f).reveals {
                        self.discover(r, *p, cause, j);
                    }
                }
            }
            Eff::Discover(p) => self.discover(r, *p, cause, j),
            Eff::Check(p, c) => {
                // Checking someone means knowing they exist.
                self.discover(r, *p, cause, j);
                if set_first(&mut self.slots[r.l.checks + p.ix() * r.l.check_kinds + c.ix()], now) {
                    j.note(Entry::Checked { person: *p, check: *c, at: now, cause });
                }
            }
            Eff::Escalate(route) => {
                // Judge proportion on what was known before this step.
                self.update_triggers(r, cause, j);
                for (i, o) in r.s.rubric.overreach.iter().enumerate() {
                    if o.route == *route && self.slots[r.l.overreach + i] == NEVER && self.holds(r, &o.when) {
                        self.slots[r.l.overreach + i] = now.0;
                    }
                }
                set_first(&mut self.slots[r.l.routes_first + route.index()], now);
                self.slots[r.l.routes_last + route.index()] = now.0;
                j.note(Entry::Escalated { route: *route, at: now, cause });
                for (i, item) in r.s.rubric.escalations.iter().enumerate() {
                    if self.slots[r.l.triggers + i] != NEVER
                        && item.counts.contains(route)
                        && set_first(&mut self.slots[r.l.met + i], now)
                    {
                        j.note(Entry::Met { item: i, at: now, cause });
                    }
                }
            }
            Eff::Request(q) => {
                if set_first(&mut self.slots[r.l.requests + q.ix()], now) {
                    let due = r.s.requests[q.ix()].delay.after(now, &r.s.calendar);
                    self.push_due(due, Due::Answer(*q));
                    j.note(Entry::Requested { request: *q, at: now, due, cause });
                }
            }
            Eff::Set(f) => self.slots[r.l.flags + f.ix()] = 1,
            Eff::Clear(f) => self.slots[r.l.flags + f.ix()] = 0,
            Eff::Add(c, n) => {
                let slot = &mut self.slots[r.l.counters + c.ix()];
                *slot = (*slot as i32).saturating_add(*n) as u32;
            }
            Eff::Schedule(ev) => {
                if let EventAt::After(span) = r.s.events[ev.ix()].at {
                    let at = span.after(now, &r.s.calendar);
                    self.push_due(InGameTime(at.0.saturating_add(r.v.jitter(*ev))), Due::Event(*ev));
                }
            }
            Eff::EndCase => return true,
        }
        self.update_triggers(r, cause, j);
        false
    }

    fn discover(&mut self, r: Rules, p: PersonIx, cause: Cause, j: &mut impl Journal) {
        if set_first(&mut self.slots[r.l.people + p.ix()], self.now) {
            j.note(Entry::Discovered { person: p, at: self.now, cause });
        }
    }

    /// Records escalation thresholds reached, items met by a state
    /// (`met_when`), thresholds there to be found (`arises`) and penalties
    /// incurred. An escalation made at the very moment a threshold is
    /// reached counts for it.
    fn update_triggers(&mut self, r: Rules, cause: Cause, j: &mut impl Journal) {
        let now = self.now;
        for (i, item) in r.s.rubric.escalations.iter().enumerate() {
            if self.slots[r.l.triggers + i] == NEVER && self.holds(r, &item.trigger) {
                self.slots[r.l.triggers + i] = now.0;
                j.note(Entry::Threshold { item: i, at: now });
                if self.slots[r.l.met + i] == NEVER
                    && item.counts.iter().any(|route| self.slots[r.l.routes_last + route.index()] == now.0)
                {
                    self.slots[r.l.met + i] = now.0;
                    j.note(Entry::Met { item: i, at: now, cause });
                }
            }
            if self.slots[r.l.arises + i] == NEVER && item.arises.as_ref().is_some_and(|c| self.holds(r, c)) {
                self.slots[r.l.arises + i] = now.0;
            }
            if self.slots[r.l.triggers + i] != NEVER
                && self.slots[r.l.met + i] == NEVER
                && item.met_when.as_ref().is_some_and(|c| self.holds(r, c))
            {
                self.slots[r.l.met + i] = now.0;
                j.note(Entry::Met { item: i, at: now, cause });
            }
        }
        for (i, p) in r.s.rubric.penalties.iter().enumerate() {
            if self.slots[r.l.penalties + i] == NEVER && self.holds(r, &p.when) {
                self.slots[r.l.penalties + i] = now.0;
                j.note(Entry::Incurred { penalty: i, at: now, cause });
            }
        }
    }

    fn finish(&mut self, r: Rules, j: &mut impl Journal) {
        if self.ended.is_some() {
            return;
        }
        self.update_triggers(r, Cause::Start, j);
        // Compilation guarantees the last ending is `Always`.
        let ending = r.s.endings.iter().position(|e| self.holds(r, &e.when)).unwrap_or(r.s.endings.len() - 1);
        let ending = EndingIx(ending as u16);
        self.ended = Some(ending);
        j.note(Entry::Ended { ending, at: self.now });
    }
}

/// Sets a time slot if it is still empty; returns whether it was.
fn set_first(slot: &mut u32, now: InGameTime) -> bool {
    if *slot == NEVER {
        *slot = now.0;
        true
    } else {
        false
    }
}
