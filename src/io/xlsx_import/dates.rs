//! Years out of the many ways a bureau writes a date: `1985`, `1985-03`, `1985/3`,
//! `1985年3月`, `1985.03`, `19850312`, an ISO date-time, or an Excel date cell.

use calamine::{ExcelDateTime, ExcelDateTimeType};

/// Years a birth or exchange date may plausibly fall in.
pub const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

/// The year of a text date, `None` when the text is not a date.
pub fn year_from_text(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t[digits.len()..];
    let year = match digits.len() {
        4 => digits.parse::<i64>().ok()?,
        // 19850312 or 198503: a compact date.
        6 | 8 if rest.is_empty() => digits[..4].parse::<i64>().ok()?,
        _ => return None,
    };
    if !YEARS.contains(&year) {
        return None;
    }
    let ok_rest = rest.is_empty()
        || rest.starts_with(['-', '/', '.', '年', 'T', ' ', '－', '／', '．'])
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "-/.年月日T: －／．".contains(c));
    ok_rest.then_some(year)
}

/// The year of a number cell: a year itself (`1985`, or `1985.03` typed as a number), else an
/// Excel serial date.
pub fn year_from_number(x: f64) -> Option<i64> {
    // Below 1900 a number is neither a year nor (as a serial) a plausible date of birth.
    if !x.is_finite() || x < 1900.0 {
        return None;
    }
    let whole = x.trunc() as i64;
    if YEARS.contains(&whole) {
        return Some(whole);
    }
    // Serial days since 1899-12-30: 2958465 is 9999-12-31, beyond which it is no date.
    if x < 2_958_466.0 {
        return year_from_serial(x, false);
    }
    None
}

/// The year of an Excel serial date-time.
pub fn year_from_serial(serial: f64, is_1904: bool) -> Option<i64> {
    let (y, ..) =
        ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    let y = i64::from(y);
    YEARS.contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_dates_give_their_year() {
        for t in [
            "1985",
            "1985-03",
            "1985/3",
            "1985年3月",
            "1985年03月12日",
            "1985.03",
            "1985.3.12",
            "19850312",
            "198503",
            "1985-03-12T00:00:00",
            " 1985 ",
        ] {
            assert_eq!(year_from_text(t), Some(1985), "{t}");
        }
        for t in ["85", "abc", "1985abc", "3000", "12345"] {
            assert_eq!(year_from_text(t), None, "{t}");
        }
    }

    #[test]
    fn numbers_are_years_or_serial_dates() {
        assert_eq!(year_from_number(1985.0), Some(1985));
        assert_eq!(year_from_number(1985.03), Some(1985));
        // 1985-03-12 is serial 31118.
        assert_eq!(year_from_number(31118.0), Some(1985));
        assert_eq!(year_from_serial(31118.0, false), Some(1985));
        assert_eq!(year_from_number(12.0), None);
    }
}
