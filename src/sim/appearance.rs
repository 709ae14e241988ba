//! How the people of a case look in the room view, decided by the seed with
//! their names: skin tone, hair, build and clothes.
//!
//! Drawn from its own generator (keyed by the seed and the person's id), so it
//! never changes any other decision the seed makes. A family's members share
//! a skin tone, give or take one shade; professionals are drawn on their own.

use crate::scenario::{PersonDef, Role};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// How many skin tones the drawings use (light to dark).
pub const SKIN_TONES: usize = 6;
/// How many hair colours the drawings use.
pub const HAIR_COLOURS: usize = 6;
/// How many clothing colours the drawings use.
pub const CLOTHES: usize = 8;

/// How old someone looks, from their age or their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeBand {
    /// Under two: carried or in a cot.
    Baby,
    /// Two to twelve.
    Child,
    /// Thirteen to seventeen.
    Teenager,
    /// Eighteen to fifty-nine.
    Adult,
    /// Sixty and over.
    Older,
}

impl AgeBand {
    /// From an age in years, or, without one, from the person's role.
    pub fn of(age: Option<u32>, role: Role) -> AgeBand {
        match (age, role) {
            (Some(0..=1), _) => AgeBand::Baby,
            (Some(2..=12), _) => AgeBand::Child,
            (Some(13..=17), _) => AgeBand::Teenager,
            (Some(18..=59), _) => AgeBand::Adult,
            (Some(_), _) => AgeBand::Older,
            (None, Role::Child) => AgeBand::Child,
            (None, _) => AgeBand::Adult,
        }
    }
}

/// A hair style; every one drawn for any gender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HairStyle {
    /// Cropped close.
    Short,
    /// Down to the collar.
    Medium,
    /// Past the shoulders.
    Long,
    /// Tied up in a bun.
    Bun,
    /// Covered by a headscarf.
    Headscarf,
    /// Little or none.
    Bald,
}

const STYLES: [HairStyle; 6] =
    [HairStyle::Short, HairStyle::Medium, HairStyle::Long, HairStyle::Bun, HairStyle::Headscarf, HairStyle::Bald];

/// How one person is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Appearance {
    /// Skin tone, `0..SKIN_TONES`.
    pub skin: usize,
    /// Hair colour, `0..HAIR_COLOURS` (grey for older people is chosen by the drawing).
    pub hair: usize,
    /// Hair style.
    pub style: HairStyle,
    /// Build, from 0.85 (slight) to 1.2 (broad).
    pub build: f32,
    /// Top colour, `0..CLOTHES`.
    pub top: usize,
    /// Trousers or skirt colour, `0..CLOTHES`.
    pub bottom: usize,
    /// How old they look.
    pub age: AgeBand,
}

/// A stable 64-bit hash of a person's id (FNV-1a), so the same person in the
/// same session always looks the same, whatever order the people are in.
fn key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// How `person` looks in the session with this seed.
pub fn appearance(seed: u64, person: &PersonDef) -> Appearance {
    let mut own = ChaCha8Rng::seed_from_u64(seed ^ key(&person.id));
    let family_tone = ChaCha8Rng::seed_from_u64(seed ^ key("the family")).random_range(0..SKIN_TONES);
    let skin = if person.role == Role::Professional {
        own.random_range(0..SKIN_TONES)
    } else {
        // Within one shade of the family's.
        (family_tone + own.random_range(0..3)).saturating_sub(1).min(SKIN_TONES - 1)
    };
    let age = AgeBand::of(person.age, person.role);
    let mut style = STYLES[own.random_range(0..STYLES.len())];
    if matches!(age, AgeBand::Baby | AgeBand::Child) && matches!(style, HairStyle::Bald | HairStyle::Headscarf) {
        style = HairStyle::Short;
    }
    Appearance {
        skin,
        hair: own.random_range(0..HAIR_COLOURS),
        style,
        build: 0.85 + 0.35 * own.random_range(0..8) as f32 / 7.0,
        top: own.random_range(0..CLOTHES),
        bottom: own.random_range(0..CLOTHES),
        age,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn family() -> crate::scenario::Scenario {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")), std::path::PathBuf::from);
        let text = std::fs::read_to_string(root.join("scenarios/bruise-on-a-baby.ron")).expect("a shipped case");
        load_str("bruise-on-a-baby.ron", &text).expect("it loads").0
    }

    #[test]
    fn the_same_seed_draws_the_same_people_and_other_seeds_draw_others() {
        let s = family();
        let looks = |seed| s.people.iter().map(|p| appearance(seed, p)).collect::<Vec<_>>();
        assert_eq!(looks(7), looks(7));
        let differ = (1..20).filter(|seed| looks(*seed) != looks(0)).count();
        assert!(differ >= 18, "only {differ} of 19 seeds drew anyone differently");
        let tones: std::collections::BTreeSet<usize> = (0..200)
            .flat_map(|seed| s.people.iter().map(move |p| (seed, p)))
            .map(|(seed, p)| appearance(seed, p).skin)
            .collect();
        assert_eq!(tones.len(), SKIN_TONES, "every skin tone is drawn across seeds");
    }

    #[test]
    fn a_family_shares_a_skin_tone_within_a_shade() {
        let s = family();
        for seed in 0..100 {
            let family: Vec<usize> =
                s.people.iter().filter(|p| p.role != Role::Professional).map(|p| appearance(seed, p).skin).collect();
            let (lo, hi) = (family.iter().min(), family.iter().max());
            if let (Some(lo), Some(hi)) = (lo, hi) {
                assert!(hi - lo <= 2, "seed {seed}: family tones {family:?}");
            }
        }
    }

    #[test]
    fn a_baby_looks_like_a_baby_and_an_unaged_child_like_a_child() {
        assert_eq!(AgeBand::of(Some(0), Role::Child), AgeBand::Baby);
        assert_eq!(AgeBand::of(Some(15), Role::Child), AgeBand::Teenager);
        assert_eq!(AgeBand::of(None, Role::Child), AgeBand::Child);
        assert_eq!(AgeBand::of(Some(67), Role::Relative), AgeBand::Older);
    }
}
