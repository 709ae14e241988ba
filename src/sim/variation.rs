//! Seeded variation: what the seed decides at the start of a session.
//!
//! Two trainees in the same room get different names, different versions of an
//! account and events at slightly different times, yet a recorded seed always
//! gives the same case again. Everything is drawn once, in file order, from a
//! ChaCha8 generator, whose output is fixed across platforms and releases.

use crate::scenario::{EventIx, FactIx, PersonIx, Scenario, SwitchIx};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The seed's decisions for one session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variation {
    names: Vec<String>,
    fact_texts: Vec<u16>,
    jitter: Vec<u32>,
    switches: Vec<u16>,
}

impl Variation {
    /// Draws the variation for `seed`.
    pub fn roll(s: &Scenario, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut pick = |n: usize| if n <= 1 { 0 } else { rng.random_range(0..n) };
        // People with the same pool must not share a name: draw without
        // replacement per pool, falling back to repeats if a pool runs out.
        let mut used: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
        let names = s
            .people
            .iter()
            .map(|p| {
                if p.names.len() == 1 {
                    return p.names[0].clone();
                }
                let slot = match used.iter().position(|(pool, _)| *pool == p.names) {
                    Some(i) => i,
                    None => {
                        used.push((p.names.clone(), Vec::new()));
                        used.len() - 1
                    }
                };
                let taken = &mut used[slot].1;
                let free: Vec<usize> = (0..p.names.len()).filter(|i| !taken.contains(i)).collect();
                let choice = if free.is_empty() { pick(p.names.len()) } else { free[pick(free.len())] };
                taken.push(choice);
                p.names[choice].clone()
            })
            .collect();
        let switches = s.switches.iter().map(|sw| pick(sw.options.len()) as u16).collect();
        let fact_texts = s.facts.iter().map(|f| pick(f.texts.len()) as u16).collect();
        let jitter = s
            .events
            .iter()
            .map(|e| if e.jitter_minutes == 0 { 0 } else { pick(e.jitter_minutes as usize + 1) as u32 })
            .collect();
        Variation { names, fact_texts, jitter, switches }
    }

    /// The same variation with the switches set to these options (the
    /// explorer uses it to walk every version of a case).
    pub fn with_switches(&self, options: &[u16]) -> Variation {
        Variation { switches: options.to_vec(), ..self.clone() }
    }

    /// A person's name in this session.
    pub fn name(&self, p: PersonIx) -> &str {
        &self.names[p.ix()]
    }

    /// Which version of a fact's text this session uses.
    pub fn fact_text(&self, f: FactIx) -> usize {
        self.fact_texts[f.ix()] as usize
    }

    /// Extra minutes before an event.
    pub fn jitter(&self, e: EventIx) -> u32 {
        self.jitter[e.ix()]
    }

    /// The option a switch was set to.
    pub fn switch(&self, s: SwitchIx) -> u16 {
        self.switches[s.ix()]
    }

    /// The option a switch, named by its id, was set to in this session:
    /// which version of the case is being played (`option(s, "story")`).
    pub fn option<'a>(&self, s: &'a Scenario, switch: &str) -> Option<&'a str> {
        let k = s.switches.iter().position(|w| w.id == switch)?;
        s.switches[k].options.get(self.switches[k] as usize).map(String::as_str)
    }

    /// Replaces `{person}` placeholders with this session's names.
    pub fn render(&self, s: &Scenario, text: &str) -> String {
        s.fill_people(text, |p| self.names[p.ix()].clone())
    }
}
