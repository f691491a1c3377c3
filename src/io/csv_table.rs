//! A CSV table with its header, each row remembering its line, and typed cell readers that
//! record a located [`Problem`] instead of failing.

use std::path::Path;

use crate::diagnostics::{Problem, Problems};

/// One CSV file, read whole.
pub struct Table {
    pub file: String,
    headers: Vec<String>,
    pub rows: Vec<Row>,
}

pub struct Row {
    /// 1-based line of the row in the file.
    pub line: usize,
    cells: Vec<String>,
}

impl Table {
    /// Reads `dir/name`. A missing file is a problem when `required`, else `None`. Missing
    /// required columns are reported once each, and the table is dropped.
    pub fn read(
        dir: &Path,
        name: &str,
        required_columns: &[&str],
        required: bool,
        problems: &mut Problems,
    ) -> Option<Table> {
        let path = dir.join(name);
        if !path.exists() {
            if required {
                problems.push(Problem::new(
                    name,
                    format!("file is missing from {}", dir.display()),
                    format!("add {name} with the header {}", required_columns.join(",")),
                ));
            }
            return None;
        }
        let text = match super::text::read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e.problem(name, true, "check the file's permissions"));
                return None;
            }
        };
        Table::parse(&text, name, required_columns, problems)
    }

    /// Parses CSV text; `name` labels problems.
    pub fn parse(
        text: &str,
        name: &str,
        required_columns: &[&str],
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                problems.push(
                    Problem::new(
                        name,
                        format!("cannot read the header: {e}"),
                        "save the file as CSV with a header row",
                    )
                    .at_line(1),
                );
                return None;
            }
        };
        let mut ok = true;
        for col in required_columns {
            if !headers.iter().any(|h| h == col) {
                ok = false;
                problems.push(
                    Problem::new(
                        name,
                        format!("missing column `{col}`"),
                        format!(
                            "add a `{col}` column to the header (has: {})",
                            headers.join(",")
                        ),
                    )
                    .at(1, headers.len() + 1),
                );
            }
        }
        if !ok {
            return None;
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| record_line(text, p.byte()));
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    rows.push(Row {
                        line,
                        cells: r.iter().map(|c| c.to_string()).collect(),
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| record_line(text, p.byte()));
                    problems.push(
                        Problem::new(
                            name,
                            format!("malformed CSV row: {e}"),
                            "check quotes and commas on this line",
                        )
                        .at_line(line),
                    );
                }
            }
        }
        Some(Table {
            file: name.to_string(),
            headers,
            rows,
        })
    }

    /// 0-based index of a column, if present.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// A reader over one row, reporting into `problems`.
    pub fn cells<'a>(&'a self, row: &'a Row, problems: &'a mut Problems) -> Cells<'a> {
        Cells {
            table: self,
            row,
            problems,
        }
    }
}

/// Typed access to one row's cells. Each reader returns `None` and records a problem when the
/// cell is present but malformed; an empty cell is `None` without a problem.
pub struct Cells<'a> {
    table: &'a Table,
    row: &'a Row,
    problems: &'a mut Problems,
}

impl Cells<'_> {
    pub fn line(&self) -> usize {
        self.row.line
    }

    /// The trimmed cell text, `None` if the column is absent or the cell empty.
    pub fn text(&self, col: &str) -> Option<&str> {
        let i = self.table.column(col)?;
        let v = self.row.cells.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// Records a problem located at this row's `col`.
    pub fn problem(&mut self, col: &str, message: impl Into<String>, fix: impl Into<String>) {
        let column = self.table.column(col).map_or(0, |c| c + 1);
        let mut p = Problem::new(&self.table.file, message, fix).at(self.row.line, column);
        if let Some(v) = self.text(col) {
            p = p.value(v);
        }
        self.problems.push(p);
    }

    /// A cell that must be present.
    pub fn required(&mut self, col: &str) -> Option<String> {
        match self.text(col) {
            Some(v) => Some(v.to_string()),
            None => {
                self.problem(col, format!("`{col}` is empty"), format!("fill in `{col}`"));
                None
            }
        }
    }

    pub fn float(&mut self, col: &str) -> Option<f64> {
        let v = self.text(col)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.problem(
                    col,
                    format!("`{col}` is not a number"),
                    "write a number such as 12.5",
                );
                None
            }
        }
    }

    pub fn nonneg_float(&mut self, col: &str) -> Option<f64> {
        let x = self.float(col)?;
        if x < 0.0 {
            self.problem(col, format!("`{col}` is negative"), "use 0 or more");
            return None;
        }
        Some(x)
    }

    pub fn int(&mut self, col: &str) -> Option<i64> {
        let v = self.text(col)?;
        let parsed = v.parse::<i64>().ok().or_else(|| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e12)
                .map(|f| f as i64)
        });
        if parsed.is_none() {
            self.problem(
                col,
                format!("`{col}` is not a whole number"),
                "write an integer such as 12",
            );
        }
        parsed
    }

    pub fn count(&mut self, col: &str) -> Option<u32> {
        let x = self.int(col)?;
        if x < 0 {
            self.problem(col, format!("`{col}` is negative"), "use 0 or more");
            return None;
        }
        match u32::try_from(x) {
            Ok(v) => Some(v),
            Err(_) => {
                self.problem(col, format!("`{col}` is too large"), "check the number");
                None
            }
        }
    }

    /// `true`/`false` (any case), also `1`/`0`, `yes`/`no` and 是/否; empty gives `default`.
    pub fn boolean(&mut self, col: &str, default: bool) -> bool {
        let Some(v) = self.text(col) else {
            return default;
        };
        match parse_bool(v) {
            Some(b) => b,
            None => {
                self.problem(
                    col,
                    format!("`{col}` is not true or false"),
                    "write true or false",
                );
                default
            }
        }
    }
}

/// The 1-based line a record starts on, from its byte offset. The csv crate's own line count
/// depends on the line ending (a record after `\r\n` reports one line fewer than after
/// `\n`), so the line is counted from the text instead; blank lines the reader skipped and the
/// `\n` of a `\r\n` are stepped over first.
pub fn record_line(text: &str, byte: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(byte)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count()
}

pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "t" | "是" => Some(true),
        "false" | "0" | "no" | "n" | "f" | "否" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_the_same_for_lf_and_crlf() {
        for text in [
            "id,n\nA,1\nB,x\n",
            "id,n\r\nA,1\r\nB,x\r\n",
            "\u{feff}id,n\n\nA,1\nB,x",
        ] {
            let mut problems = Problems::default();
            let t = Table::parse(text, "t.csv", &["id"], &mut problems).expect("table");
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            let expected = if text.contains("\n\n") {
                [3, 4]
            } else {
                [2, 3]
            };
            assert_eq!(lines, expected, "{text:?}");
        }
    }
}
