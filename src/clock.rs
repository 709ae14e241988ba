//! The in-game calendar: days, clock times, working days and spans of time.
//!
//! Safeguarding deadlines are counted in working days and hours (see
//! `research/timescales.md`), so the clock knows which days are working days and
//! a referral received on Friday afternoon is due on Monday, not Saturday.
//! Everything here is plain arithmetic on minutes; there is no wall-clock time.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Minutes in one day.
pub const MINUTES_PER_DAY: u32 = 24 * 60;

/// A moment in the case: minutes since midnight at the start of day 1.
///
/// Kept as a single integer so that states compare, hash and replay exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct InGameTime(pub u32);

impl InGameTime {
    /// The moment at `time` on day `day` (day 1 is the first day of the case).
    pub fn at(day: u32, time: ClockTime) -> Self {
        InGameTime(day.saturating_sub(1).saturating_mul(MINUTES_PER_DAY).saturating_add(time.minutes()))
    }

    /// The day number, starting at 1.
    pub fn day(self) -> u32 {
        self.0 / MINUTES_PER_DAY + 1
    }

    /// The time of day.
    pub fn clock(self) -> ClockTime {
        ClockTime(self.0 % MINUTES_PER_DAY)
    }

    /// Minutes from `earlier` to `self` (zero if `earlier` is later).
    pub fn minutes_since(self, earlier: InGameTime) -> u32 {
        self.0.saturating_sub(earlier.0)
    }
}

/// The light of a time of day, for the picture of the place: a home visit at
/// dusk or a night on the ward should look it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Daylight {
    /// 06:00 to 08:59: low, pale light.
    Morning,
    /// 09:00 to 16:59.
    Day,
    /// 17:00 to 19:59: the light going.
    Dusk,
    /// 20:00 to 05:59: dark outside, lamps on.
    Night,
}

impl Daylight {
    /// The light at this time of day.
    pub fn at(time: ClockTime) -> Daylight {
        match time.minutes() / 60 {
            6..=8 => Daylight::Morning,
            9..=16 => Daylight::Day,
            17..=19 => Daylight::Dusk,
            _ => Daylight::Night,
        }
    }

    /// How a screen reader or a caption says it.
    pub fn describe(self) -> &'static str {
        match self {
            Daylight::Morning => "morning light",
            Daylight::Day => "daylight",
            Daylight::Dusk => "dusk",
            Daylight::Night => "night",
        }
    }
}

/// A time of day, written `"HH:MM"` in scenario files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ClockTime(u32);

impl ClockTime {
    /// A time of day from hours and minutes; `None` if out of range.
    pub fn new(hours: u32, minutes: u32) -> Option<Self> {
        (hours < 24 && minutes < 60).then_some(ClockTime(hours * 60 + minutes))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        self.0
    }

    /// Parses `"HH:MM"` (24-hour clock).
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        ClockTime::new(h.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ClockTime::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a time of day; write it on the 24-hour clock as \"HH:MM\", e.g. \"09:30\""
            ))
        })
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[expect(missing_docs, reason = "the names say it")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    fn index(self) -> u32 {
        Weekday::ALL.iter().position(|d| *d == self).unwrap_or(0) as u32
    }

    /// The day `n` days after this one.
    pub fn plus(self, n: u32) -> Weekday {
        Weekday::ALL[((self.index() + n) % 7) as usize]
    }

    /// Saturday and Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// When the case starts, which days are working days, and when it stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// The weekday of day 1.
    pub start_day: Weekday,
    /// The time on day 1 when the trainee picks up the case.
    pub start_time: ClockTime,
    /// Office hours on a working day: `("09:00", "17:00")`.
    #[serde(default = "Calendar::default_hours")]
    pub working_hours: (ClockTime, ClockTime),
    /// Day numbers that are bank holidays (not working days); in ascending
    /// order once compiled (the compiler sorts them).
    #[serde(default)]
    pub bank_holidays: Vec<u32>,
    /// The case ends at this day and time if nothing has ended it before.
    pub horizon: (u32, ClockTime),
}

impl Calendar {
    fn default_hours() -> (ClockTime, ClockTime) {
        (ClockTime(9 * 60), ClockTime(17 * 60))
    }

    /// The first moment of the case.
    pub fn start(&self) -> InGameTime {
        InGameTime::at(1, self.start_time)
    }

    /// The moment the case stops by itself.
    pub fn horizon(&self) -> InGameTime {
        InGameTime::at(self.horizon.0, self.horizon.1)
    }

    /// The weekday of a day number.
    pub fn weekday(&self, day: u32) -> Weekday {
        self.start_day.plus(day.saturating_sub(1))
    }

    /// Monday to Friday, except bank holidays.
    pub fn is_working_day(&self, day: u32) -> bool {
        !self.weekday(day).is_weekend() && !self.is_bank_holiday(day)
    }

    /// Whether a day is a bank holiday (a binary search: a compiled
    /// scenario's list is in order).
    fn is_bank_holiday(&self, day: u32) -> bool {
        self.bank_holidays.binary_search(&day).is_ok()
    }

    /// Inside office hours on a working day.
    pub fn is_working_hours(&self, t: InGameTime) -> bool {
        let (open, close) = self.working_hours;
        self.is_working_day(t.day()) && t.clock() >= open && t.clock() < close
    }

    /// The next working day strictly after `day`.
    pub fn next_working_day(&self, day: u32) -> u32 {
        // At most a week plus the bank holidays away; the bound keeps a
        // malformed calendar from looping.
        let mut d = day + 1;
        for _ in 0..(8 + self.bank_holidays.len()) {
            if self.is_working_day(d) {
                return d;
            }
            d += 1;
        }
        d
    }

    /// `t` itself if it is within working hours, else the next opening time.
    pub fn next_open(&self, t: InGameTime) -> InGameTime {
        let (open, _) = self.working_hours;
        if self.is_working_hours(t) {
            t
        } else if self.is_working_day(t.day()) && t.clock() < open {
            InGameTime::at(t.day(), open)
        } else {
            InGameTime::at(self.next_working_day(t.day()), open)
        }
    }

    /// Describes a moment for the trainee: "Day 3, Wednesday 14:30".
    pub fn describe(&self, t: InGameTime) -> String {
        format!("Day {}, {} {}", t.day(), self.weekday(t.day()), t.clock())
    }

    /// A short label for the clock panel, saying whether offices are open.
    pub fn status(&self, t: InGameTime) -> &'static str {
        if !self.is_working_day(t.day()) {
            if self.is_bank_holiday(t.day()) { "bank holiday: offices closed" } else { "weekend: offices closed" }
        } else if self.is_working_hours(t) {
            "working hours"
        } else {
            "out of hours"
        }
    }
}

/// A number of minutes in words: "45 minutes", "2 hours 30 minutes", "3 days 2 hours".
pub fn describe_minutes(minutes: u32) -> String {
    fn unit(n: u32, one: &str) -> Option<String> {
        match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            _ => Some(format!("{n} {one}s")),
        }
    }
    let (days, hours, mins) = (minutes / MINUTES_PER_DAY, minutes % MINUTES_PER_DAY / 60, minutes % 60);
    let parts: Vec<String> = if days > 0 {
        [unit(days, "day"), unit(hours, "hour")].into_iter().flatten().collect()
    } else {
        [unit(hours, "hour"), unit(mins, "minute")].into_iter().flatten().collect()
    };
    if parts.is_empty() { "no time".to_string() } else { parts.join(" ") }
}

/// A span of in-game time: a choice's cost, a delay, or a deadline.
///
/// Working days follow `research/timescales.md`: a span that starts outside
/// working hours starts counting at the next opening time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeSpan {
    /// A number of minutes.
    Minutes(u32),
    /// A number of hours.
    Hours(u32),
    /// A number of calendar days.
    Days(u32),
    /// A number of working days, at the same time of day.
    WorkingDays(u32),
    /// Until the given time on the next calendar day.
    NextDay(ClockTime),
    /// Until the given time on the next working day.
    NextWorkingDay(ClockTime),
    /// Until the end of the current day (23:59): "the same day".
    EndOfDay,
}

impl Default for TimeSpan {
    fn default() -> Self {
        TimeSpan::Minutes(0)
    }
}

impl TimeSpan {
    /// The moment this span after `from` ends.
    pub fn after(self, from: InGameTime, cal: &Calendar) -> InGameTime {
        match self {
            TimeSpan::Minutes(m) => InGameTime(from.0.saturating_add(m)),
            TimeSpan::Hours(h) => InGameTime(from.0.saturating_add(h.saturating_mul(60))),
            TimeSpan::Days(d) => InGameTime(from.0.saturating_add(d.saturating_mul(MINUTES_PER_DAY))),
            TimeSpan::WorkingDays(n) => {
                let start = cal.next_open(from);
                let mut day = start.day();
                for _ in 0..n.min(1000) {
                    day = cal.next_working_day(day);
                }
                InGameTime::at(day, start.clock())
            }
            TimeSpan::NextDay(time) => InGameTime::at(from.day() + 1, time),
            TimeSpan::NextWorkingDay(time) => InGameTime::at(cal.next_working_day(from.day()), time),
            TimeSpan::EndOfDay => InGameTime::at(from.day(), ClockTime(MINUTES_PER_DAY - 1)),
        }
    }

    /// Longer than a year: a scenario that says so has a typo, and a huge
    /// count of working days would take long to walk.
    pub fn too_long(self) -> bool {
        match self {
            TimeSpan::Minutes(m) => m > 366 * MINUTES_PER_DAY,
            TimeSpan::Hours(h) => h > 366 * 24,
            TimeSpan::Days(d) => d > 366,
            TimeSpan::WorkingDays(d) => d > 262,
            TimeSpan::NextDay(_) | TimeSpan::NextWorkingDay(_) | TimeSpan::EndOfDay => false,
        }
    }

    /// How a trainee reads it: "2 hours", "1 working day".
    pub fn describe(self) -> String {
        fn plural(n: u32, one: &str) -> String {
            if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
        }
        match self {
            TimeSpan::Minutes(m) if m >= 60 && m % 60 == 0 => plural(m / 60, "hour"),
            TimeSpan::Minutes(m) => plural(m, "minute"),
            TimeSpan::Hours(h) => plural(h, "hour"),
            TimeSpan::Days(d) => plural(d, "day"),
            TimeSpan::WorkingDays(d) => plural(d, "working day"),
            TimeSpan::NextDay(t) => format!("until {t} the next day"),
            TimeSpan::NextWorkingDay(t) => format!("until {t} the next working day"),
            TimeSpan::EndOfDay => "the same day".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        // Day 1 is a Wednesday; day 3 Friday, days 4-5 the weekend, day 6 Monday.
        Calendar {
            start_day: Weekday::Wednesday,
            start_time: ClockTime::new(9, 0).unwrap(),
            working_hours: Calendar::default_hours(),
            bank_holidays: vec![8],
            horizon: (10, ClockTime::new(17, 0).unwrap()),
        }
    }

    fn t(day: u32, h: u32, m: u32) -> InGameTime {
        InGameTime::at(day, ClockTime::new(h, m).unwrap())
    }

    #[test]
    fn clock_times_parse_and_reject() {
        assert_eq!(ClockTime::parse("09:30"), ClockTime::new(9, 30));
        assert_eq!(ClockTime::parse("9:05"), ClockTime::new(9, 5));
        for bad in ["24:00", "12:60", "1230", "", "12:5", "ab:cd", "-1:00"] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
        assert_eq!(ClockTime::new(7, 5).unwrap().to_string(), "07:05");
    }

    #[test]
    fn days_and_weekdays() {
        let c = cal();
        assert_eq!(t(3, 10, 0).day(), 3);
        assert_eq!(c.weekday(1), Weekday::Wednesday);
        assert_eq!(c.weekday(4), Weekday::Saturday);
        assert_eq!(c.weekday(6), Weekday::Monday);
        assert!(c.is_working_day(3));
        assert!(!c.is_working_day(4) && !c.is_working_day(5));
        assert!(!c.is_working_day(8), "bank holiday");
        assert_eq!(c.describe(t(6, 14, 30)), "Day 6, Monday 14:30");
        assert_eq!(c.status(t(4, 11, 0)), "weekend: offices closed");
        assert_eq!(c.status(t(8, 11, 0)), "bank holiday: offices closed");
        assert_eq!(c.status(t(3, 18, 0)), "out of hours");
        assert_eq!(c.status(t(3, 9, 0)), "working hours");
    }

    #[test]
    fn friday_afternoon_referral_is_due_on_monday() {
        let c = cal();
        // Friday 16:00 + 1 working day = Monday 16:00, not Saturday.
        assert_eq!(TimeSpan::WorkingDays(1).after(t(3, 16, 0), &c), t(6, 16, 0));
        // Received Friday evening: counting starts Monday 09:00, due Tuesday 09:00.
        assert_eq!(TimeSpan::WorkingDays(1).after(t(3, 18, 0), &c), t(7, 9, 0));
        // Saturday: the same.
        assert_eq!(TimeSpan::WorkingDays(1).after(t(4, 10, 0), &c), t(7, 9, 0));
        // Early morning on a working day counts from opening time.
        assert_eq!(TimeSpan::WorkingDays(2).after(t(2, 7, 0), &c), t(6, 9, 0));
        // The bank holiday on day 8 (Wednesday) is skipped.
        assert_eq!(TimeSpan::WorkingDays(2).after(t(6, 10, 0), &c), t(9, 10, 0));
    }

    #[test]
    fn spans_move_the_clock() {
        let c = cal();
        assert_eq!(TimeSpan::Minutes(90).after(t(1, 9, 0), &c), t(1, 10, 30));
        assert_eq!(TimeSpan::Hours(24).after(t(1, 9, 0), &c), t(2, 9, 0));
        assert_eq!(TimeSpan::Days(2).after(t(1, 9, 0), &c), t(3, 9, 0));
        assert_eq!(TimeSpan::NextDay(ClockTime::new(8, 30).unwrap()).after(t(3, 20, 0), &c), t(4, 8, 30));
        assert_eq!(TimeSpan::NextWorkingDay(ClockTime::new(9, 0).unwrap()).after(t(3, 15, 0), &c), t(6, 9, 0));
        assert_eq!(TimeSpan::EndOfDay.after(t(2, 9, 0), &c), t(2, 23, 59));
        assert_eq!(c.next_open(t(3, 17, 0)), t(6, 9, 0));
        assert_eq!(c.next_open(t(2, 8, 0)), t(2, 9, 0));
    }

    #[test]
    fn minutes_read_as_days_hours_and_minutes() {
        assert_eq!(describe_minutes(45), "45 minutes");
        assert_eq!(describe_minutes(150), "2 hours 30 minutes");
        assert_eq!(describe_minutes(60), "1 hour");
        assert_eq!(describe_minutes(560), "9 hours 20 minutes");
        assert_eq!(describe_minutes(3 * MINUTES_PER_DAY + 125), "3 days 2 hours");
        assert_eq!(describe_minutes(0), "no time");
    }

    #[test]
    fn spans_describe_themselves() {
        assert_eq!(TimeSpan::Minutes(120).describe(), "2 hours");
        assert_eq!(TimeSpan::Minutes(1).describe(), "1 minute");
        assert_eq!(TimeSpan::WorkingDays(15).describe(), "15 working days");
        assert_eq!(TimeSpan::EndOfDay.describe(), "the same day");
    }
}
