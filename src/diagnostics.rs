//! Problems found in user input, each pointing at a file, line and column with a fix.
//!
//! Readers collect every problem instead of stopping at the first, so a planner fixes a
//! spreadsheet in one pass.

use std::fmt;

use crate::lang::Lang;

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    /// 1-based line in the file (the header is line 1), when known.
    pub line: Option<usize>,
    /// 1-based column (field number in a CSV row), when known.
    pub column: Option<usize>,
    /// How the column is shown instead of its number, e.g. `C` for a spreadsheet cell.
    pub column_label: Option<String>,
    /// The offending value, as written.
    pub value: Option<String>,
    pub message: String,
    /// How to fix it, in the planner's terms.
    pub fix: String,
    /// The message and the fix in Chinese, where the reader wrote them (shown under zh).
    pub zh: Option<(String, String)>,
}

impl Problem {
    pub fn new(
        file: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            column_label: None,
            value: None,
            message: message.into(),
            fix: fix.into(),
            zh: None,
        }
    }

    /// Gives the problem its Chinese message and fix.
    pub fn zh(&mut self, message: impl Into<String>, fix: impl Into<String>) -> &mut Self {
        self.zh = Some((message.into(), fix.into()));
        self
    }

    /// [`Problem::zh`] for a problem being built.
    pub fn with_zh(mut self, message: impl Into<String>, fix: impl Into<String>) -> Self {
        self.zh(message, fix);
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// A spreadsheet cell: 1-based row and 0-based column index, shown as `row:C`.
    pub fn at_cell(mut self, row: usize, column: usize) -> Self {
        self.line = Some(row);
        self.column = Some(column + 1);
        self.column_label = Some(column_letters(column));
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl Problem {
    /// The problem as the terminal shows it in `lang`: the location, the message, the value
    /// and the fix, framed in that language (the message and fix keep their authors' words).
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(label) = &self.column_label {
                out.push_str(&format!(":{label}"));
            } else if let Some(col) = self.column {
                out.push_str(&format!(":{col}"));
            }
        }
        let (colon, value, semicolon) =
            lang.pick_any(("：", "（值 ", "；"), (": ", " (value ", "; "));
        let (message, fix) = match (&self.zh, lang) {
            (Some((m, f)), Lang::Zh) => (m, f),
            _ => (&self.message, &self.fix),
        };
        out.push_str(colon);
        out.push_str(message);
        if let Some(v) = &self.value {
            out.push_str(&format!("{value}{v:?}{}", lang.pick("）", ")")));
        }
        if !fix.is_empty() {
            out.push_str(semicolon);
            out.push_str(fix);
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Every problem found in one input, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
}

impl Problems {
    /// Every problem, one per line, framed in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|p| p.render(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_prints_location_value_and_fix() {
        let p = Problem::new("schools.csv", "unknown stage", "use one of primary, middle")
            .at(4, 4)
            .value("primry");
        assert_eq!(
            p.to_string(),
            "schools.csv:4:4: unknown stage (value \"primry\"); use one of primary, middle"
        );
    }

    #[test]
    fn spreadsheet_cells_print_column_letters() {
        let p = Problem::new("教师", "unknown title", "use 一级教师").at_cell(12, 2);
        assert_eq!(p.to_string(), "教师:12:C: unknown title; use 一级教师");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(
            did_you_mean("cross_cap_shar", &["cross_cap_share", "floor_share"]),
            Some("cross_cap_share")
        );
        assert_eq!(did_you_mean("zzz", &["cross_cap_share"]), None);
    }
}
