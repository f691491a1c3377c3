//! Statutory retirement under the 2025 reform (全国人大常委会《关于实施渐进式延迟法定退休年龄
//! 的决定》, 2024-09-13, in force from 2025-01-01).
//!
//! - Men: 60, raised by one month for every four months of birth from January 1965, to 63
//!   (reached by those born from September 1976).
//! - Women teachers retire on the 55 track (professional and technical staff): 55, raised by
//!   one month for every four months of birth from January 1970, to 58 (reached from
//!   September 1981).
//!
//! The instance has birth years only, so every teacher is taken to be born on 1 July.

use crate::domain::instance::Sex;

const ASSUMED_BIRTH_MONTH: i32 = 6; // July, 0-based

/// Retirement age in months for a teacher born in `birth_year`.
pub fn retirement_age_months(sex: Sex, birth_year: i32) -> i32 {
    let (base_years, cohort_start) = match sex {
        Sex::Male => (60, 1965),
        Sex::Female => (55, 1970),
    };
    let months_after_start = (birth_year - cohort_start) * 12 + ASSUMED_BIRTH_MONTH;
    let delay = if months_after_start < 0 {
        0
    } else {
        (months_after_start / 4 + 1).min(36)
    };
    base_years * 12 + delay
}

/// Whether the teacher has reached retirement before the school year that starts on
/// 1 September of `year`.
pub fn retires_before(sex: Sex, birth_year: i32, year: i32) -> bool {
    let retire_month =
        birth_year * 12 + ASSUMED_BIRTH_MONTH + retirement_age_months(sex, birth_year);
    retire_month <= year * 12 + 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reform_schedule() {
        // Born before the cohorts: the old ages.
        assert_eq!(retirement_age_months(Sex::Male, 1964), 720);
        assert_eq!(retirement_age_months(Sex::Female, 1969), 660);
        // Born July 1965: two months later.
        assert_eq!(retirement_age_months(Sex::Male, 1965), 722);
        // The final ages.
        assert_eq!(retirement_age_months(Sex::Male, 1980), 63 * 12);
        assert_eq!(retirement_age_months(Sex::Female, 1990), 58 * 12);
    }

    #[test]
    fn retires_in_the_right_summer() {
        // A man born 1966 retires at 60 + 5 months (born July 1966: 18 months after the
        // start, 18/4+1 = 5): December 2026, so he still works in 2026-27 but not 2027-28.
        assert!(!retires_before(Sex::Male, 1966, 2026));
        assert!(retires_before(Sex::Male, 1966, 2027));
        assert!(retires_before(Sex::Male, 1960, 2026));
    }
}
