//! School stages (学段), teaching levels and the pairing slots they give rise to.

use std::fmt;

/// A school's stage, exactly as written in `schools.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Kindergarten,
    Primary,
    Middle,
    NineYear,
    High,
    Vocational,
}

/// A pairing slot (P1): the three stages a helper can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotStage {
    Kindergarten,
    Primary,
    Middle,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Kindergarten,
        Stage::Primary,
        Stage::Middle,
        Stage::NineYear,
        Stage::High,
        Stage::Vocational,
    ];

    pub fn parse(s: &str) -> Option<Stage> {
        Some(match s.trim() {
            "kindergarten" => Stage::Kindergarten,
            "primary" => Stage::Primary,
            "middle" => Stage::Middle,
            "nine_year" => Stage::NineYear,
            "high" => Stage::High,
            "vocational" => Stage::Vocational,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Kindergarten => "kindergarten",
            Stage::Primary => "primary",
            Stage::Middle => "middle",
            Stage::NineYear => "nine_year",
            Stage::High => "high",
            Stage::Vocational => "vocational",
        }
    }

    /// The teaching levels the school's work spans (T9): kindergarten 0, primary 1,
    /// middle 2, high and vocational 3; a nine-year school spans 1–2.
    pub fn levels(self) -> (u8, u8) {
        match self {
            Stage::Kindergarten => (0, 0),
            Stage::Primary => (1, 1),
            Stage::Middle => (2, 2),
            Stage::NineYear => (1, 2),
            Stage::High | Stage::Vocational => (3, 3),
        }
    }

    /// Slots a school of this stage opens in its group (P1).
    pub fn served_slots(self) -> &'static [SlotStage] {
        match self {
            Stage::Kindergarten => &[SlotStage::Kindergarten],
            Stage::Primary => &[SlotStage::Primary],
            Stage::Middle => &[SlotStage::Middle],
            Stage::NineYear => &[SlotStage::Primary, SlotStage::Middle],
            Stage::High | Stage::Vocational => &[],
        }
    }

    /// Whether a helper of this stage may fill `slot` (P1): middle ← middle/high/nine_year,
    /// primary ← primary/nine_year, kindergarten ← kindergarten.
    ///
    /// ```
    /// use rotaplan::domain::{SlotStage, Stage};
    ///
    /// assert!(Stage::High.can_help(SlotStage::Middle));
    /// assert!(!Stage::High.can_help(SlotStage::Primary));
    /// ```
    pub fn can_help(self, slot: SlotStage) -> bool {
        matches!(
            (slot, self),
            (
                SlotStage::Middle,
                Stage::Middle | Stage::High | Stage::NineYear
            ) | (SlotStage::Primary, Stage::Primary | Stage::NineYear)
                | (SlotStage::Kindergarten, Stage::Kindergarten)
        )
    }
}

impl SlotStage {
    pub const ALL: [SlotStage; 3] = [
        SlotStage::Kindergarten,
        SlotStage::Primary,
        SlotStage::Middle,
    ];

    pub fn parse(s: &str) -> Option<SlotStage> {
        Some(match s.trim() {
            "kindergarten" => SlotStage::Kindergarten,
            "primary" => SlotStage::Primary,
            "middle" => SlotStage::Middle,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SlotStage::Kindergarten => "kindergarten",
            SlotStage::Primary => "primary",
            SlotStage::Middle => "middle",
        }
    }

    /// The teaching level of the slot's work (T9).
    pub fn level(self) -> u8 {
        match self {
            SlotStage::Kindergarten => 0,
            SlotStage::Primary => 1,
            SlotStage::Middle => 2,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SlotStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_year_serves_two_slots_and_spans_two_levels() {
        assert_eq!(
            Stage::NineYear.served_slots(),
            &[SlotStage::Primary, SlotStage::Middle]
        );
        assert_eq!(Stage::NineYear.levels(), (1, 2));
    }

    #[test]
    fn high_school_helps_middle_slots_only() {
        assert!(Stage::High.can_help(SlotStage::Middle));
        assert!(!Stage::High.can_help(SlotStage::Primary));
        assert!(!Stage::Primary.can_help(SlotStage::Middle));
        assert!(Stage::NineYear.can_help(SlotStage::Primary));
    }

    #[test]
    fn parse_round_trips() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::parse("primry"), None);
    }
}
