//! A CSV table with its header, each row remembering its line, and typed cell readers that
//! record a located [`Problem`] instead of failing.

use std::path::Path;

use super::aliases::{self, Kind, TableSpec};
use crate::diagnostics::{Problem, Problems};

/// How many rows above the header a file may hold (a title, a date line), as in a workbook.
const TITLE_ROWS: usize = 10;

/// One CSV file, read whole.
pub struct Table {
    pub file: String,
    /// 1-based line of the header row.
    pub header_line: usize,
    headers: Vec<String>,
    pub rows: Vec<Row>,
}

pub struct Row {
    /// 1-based line of the row in the file.
    pub line: usize,
    /// In SPEC form (`男` read as `M`).
    cells: Vec<String>,
    /// The cells as written, where that differs from the SPEC form: problems quote them.
    written: Vec<(usize, String)>,
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
                problems.push(
                    Problem::new(
                        name,
                        format!("file is missing from {}", dir.display()),
                        format!("add {name} with the header {}", required_columns.join(",")),
                    )
                    .with_zh(
                        format!("{} 中缺少该文件", dir.display()),
                        format!("请添加 {name}，表头为 {}", required_columns.join(",")),
                    ),
                );
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
        Table::parse_with(text, name, required_columns, None, problems)
    }

    /// Reads the instance file of `spec` (`dir/<stem>.csv`) as `import` reads its sheet:
    /// headers may be the SPEC names or the Chinese aliases, in any order, under title rows;
    /// cells are turned into their SPEC form (`男` → `M`, `小学` → `primary`). A cell that
    /// does not convert is kept as written, for the typed readers to report in their words.
    pub fn read_instance_file(
        dir: &Path,
        spec: &'static TableSpec,
        problems: &mut Problems,
    ) -> Option<Table> {
        let name = spec.file_name();
        let path = dir.join(&name);
        let required: Vec<&str> = spec
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        if !path.exists() {
            if spec.required {
                problems.push(
                    Problem::new(
                        &name,
                        format!("file is missing from {}", dir.display()),
                        format!("add {name} with the header {}", required.join(",")),
                    )
                    .with_zh(
                        format!("{} 中缺少该文件", dir.display()),
                        format!("请添加 {name}，表头为 {}", required.join(",")),
                    ),
                );
            }
            return None;
        }
        let text = match super::text::read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e.problem(&name, true, "check the file's permissions"));
                return None;
            }
        };
        Table::parse_with(&text, &name, &required, Some(spec), problems)
    }

    /// Parses an instance file's text as [`Table::read_instance_file`] does.
    pub fn parse_instance_file(
        text: &str,
        spec: &'static TableSpec,
        problems: &mut Problems,
    ) -> Option<Table> {
        let required: Vec<&str> = spec
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        Table::parse_with(text, &spec.file_name(), &required, Some(spec), problems)
    }

    fn parse_with(
        text: &str,
        name: &str,
        required_columns: &[&str],
        spec: Option<&'static TableSpec>,
        problems: &mut Problems,
    ) -> Option<Table> {
        // Offsets below are into the text without its BOM, so lines are counted on it too.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        let mut records = reader.records();
        let mut header: Option<(usize, csv::StringRecord)> = None;
        let mut first: Option<(usize, csv::StringRecord)> = None;
        let mut seen = 0;
        for record in records.by_ref() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(
                        Problem::new(
                            name,
                            format!("cannot read the header: {e}"),
                            "save the file as CSV with a header row",
                        )
                        .with_zh(format!("无法读取表头：{e}"), "请把文件另存为带表头行的 CSV")
                        .at_line(e.position().map_or(1, |p| lines.line_of(p.byte()))),
                    );
                    return None;
                }
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(1, |p| lines.line_of(p.byte()));
            // A title row above the header (赫章县教师名单) is skipped, as in a workbook:
            // the header is the first row naming a column of the table.
            let names_a_column = spec.is_none_or(|spec| {
                record
                    .iter()
                    .any(|h| aliases::column_for_header(spec, h).is_some())
            });
            if names_a_column {
                header = Some((line, record));
                break;
            }
            first.get_or_insert((line, record));
            seen += 1;
            if seen >= TITLE_ROWS {
                break;
            }
        }
        let header = header.or(first);
        let Some((header_line, header_record)) = header else {
            problems.push(
                Problem::new(
                    name,
                    "the file is empty",
                    format!(
                        "write a header row ({}) and the rows under it",
                        required_columns.join(",")
                    ),
                )
                .with_zh(
                    "文件为空",
                    format!(
                        "请写入表头行（{}）及其下的数据行",
                        required_columns.join(",")
                    ),
                )
                .at_line(1),
            );
            return None;
        };
        let mut headers: Vec<String> = Vec::new();
        let mut kinds: Vec<Option<Kind>> = Vec::new();
        let mut ok = true;
        for (i, raw) in header_record.iter().enumerate() {
            let raw = raw.trim();
            let column = spec.and_then(|spec| aliases::column_for_header(spec, raw));
            let canonical = column.map_or_else(|| raw.to_string(), |c| c.name.to_string());
            if column.is_some()
                && let Some(first) = headers.iter().position(|h| *h == canonical)
            {
                ok = false;
                problems.push(
                    Problem::new(
                        name,
                        format!(
                            "two columns mean `{canonical}` (the other is column {})",
                            first + 1
                        ),
                        "delete or rename one of them",
                    )
                    .with_zh(
                        format!("有两列都表示 `{canonical}`（另一列是第 {} 列）", first + 1),
                        "请删除或重命名其中一列",
                    )
                    .at(header_line, i + 1)
                    .value(raw),
                );
            }
            kinds.push(column.map(|c| c.kind));
            headers.push(canonical);
        }
        for col in required_columns {
            if !headers.iter().any(|h| h == col) {
                ok = false;
                let accepted = spec
                    .and_then(|s| s.columns.iter().find(|c| c.name == *col))
                    .and_then(|c| c.aliases.first())
                    .map_or_else(String::new, |a| format!(" (or {a})"));
                problems.push(
                    Problem::new(
                        name,
                        format!("missing column `{col}`"),
                        format!(
                            "add a `{col}`{accepted} column to the header (has: {})",
                            header_record.iter().collect::<Vec<_>>().join(",")
                        ),
                    )
                    .with_zh(
                        format!("缺少 `{col}` 列"),
                        format!(
                            "请在表头中添加 `{col}` 列{}（现有：{}）",
                            accepted.replace(" (or ", "（或 ").replace(')', "）"),
                            header_record.iter().collect::<Vec<_>>().join(",")
                        ),
                    )
                    .at(header_line, headers.len() + 1),
                );
            }
        }
        if !ok {
            return None;
        }
        let mut rows = Vec::new();
        for record in records {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| lines.line_of(p.byte()));
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let mut written = Vec::new();
                    let cells = r
                        .iter()
                        .enumerate()
                        .map(|(i, c)| match kinds.get(i).copied().flatten() {
                            Some(kind) => match aliases::canonical(c, kind) {
                                Ok(v) if v != c => {
                                    written.push((i, c.to_string()));
                                    v
                                }
                                _ => c.to_string(),
                            },
                            None => c.to_string(),
                        })
                        .collect();
                    rows.push(Row {
                        line,
                        cells,
                        written,
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                    problems.push(
                        Problem::new(
                            name,
                            format!("malformed CSV row: {e}"),
                            "check quotes and commas on this line",
                        )
                        .with_zh(format!("CSV 行格式错误：{e}"), "请检查该行的引号和逗号")
                        .at_line(line),
                    );
                }
            }
        }
        Some(Table {
            file: name.to_string(),
            header_line,
            headers,
            rows,
        })
    }

    /// Number of columns in the header.
    pub fn width(&self) -> usize {
        self.headers.len()
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

    /// Records a problem located at this row's `col`; the caller may add its Chinese.
    pub fn problem(
        &mut self,
        col: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> &mut Problem {
        let column = self.table.column(col).map_or(0, |c| c + 1);
        let mut p = Problem::new(&self.table.file, message, fix).at(self.row.line, column);
        let written = self.table.column(col).and_then(|i| {
            self.row
                .written
                .iter()
                .find(|(at, _)| *at == i)
                .map(|(_, v)| v.trim())
        });
        if let Some(v) = written.or_else(|| self.text(col)) {
            p = p.value(v);
        }
        self.problems.push(p);
        let last = self.problems.0.len() - 1;
        &mut self.problems.0[last]
    }

    /// A cell that must be present.
    pub fn required(&mut self, col: &str) -> Option<String> {
        match self.text(col) {
            Some(v) => Some(v.to_string()),
            None => {
                self.problem(col, format!("`{col}` is empty"), format!("fill in `{col}`"))
                    .zh(format!("`{col}` 为空"), format!("请填写 `{col}`"));
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
                )
                .zh(format!("`{col}` 不是数字"), "请填写数字，如 12.5");
                None
            }
        }
    }

    pub fn nonneg_float(&mut self, col: &str) -> Option<f64> {
        let x = self.float(col)?;
        if x < 0.0 {
            self.problem(col, format!("`{col}` is negative"), "use 0 or more")
                .zh(format!("`{col}` 为负数"), "请填写 0 或以上");
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
            )
            .zh(format!("`{col}` 不是整数"), "请填写整数，如 12");
        }
        parsed
    }

    pub fn count(&mut self, col: &str) -> Option<u32> {
        let x = self.int(col)?;
        if x < 0 {
            self.problem(col, format!("`{col}` is negative"), "use 0 or more")
                .zh(format!("`{col}` 为负数"), "请填写 0 或以上");
            return None;
        }
        match u32::try_from(x) {
            Ok(v) => Some(v),
            Err(_) => {
                self.problem(col, format!("`{col}` is too large"), "check the number")
                    .zh(format!("`{col}` 过大"), "请核对该数字");
                None
            }
        }
    }

    /// `true`/`false` (any case), or any yes/no word of [`aliases::BOOLS`]; empty gives
    /// `default`.
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
                    format!("write true or false (or {})", aliases::hint(aliases::BOOLS)),
                )
                .zh(
                    format!("`{col}` 不是“是/否”"),
                    format!(
                        "请填写 true 或 false（或 {}）",
                        aliases::hint(aliases::BOOLS)
                    ),
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
    LineCounter::new(text).line_of(byte)
}

/// [`record_line`] for records read in order: each call counts only the lines since the
/// previous one, so a file of n records is scanned once, not n times (`distances.csv` may
/// hold hundreds of thousands of rows).
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at `byte`.
    pub fn line_of(&mut self, byte: u64) -> usize {
        let bytes = self.bytes;
        let mut at = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
            at += 1;
        }
        if at < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += bytes[self.at..at].iter().filter(|b| **b == b'\n').count();
        self.at = at;
        self.line
    }
}

#[cfg(test)]
fn record_line_by_scan(text: &str, byte: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(byte)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count()
}

/// A yes/no cell in any of the words of [`aliases::BOOLS`].
pub fn parse_bool(v: &str) -> Option<bool> {
    aliases::code_for(aliases::BOOLS, v).map(|c| c == "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_lines_in_order_agrees_with_a_full_scan() {
        let text = "a,b\r\n\r\nx,\"1\n2\"\n\ny,3\nz,4";
        let mut counter = LineCounter::new(text);
        for byte in 0..=text.len() as u64 + 2 {
            assert_eq!(
                counter.line_of(byte),
                record_line_by_scan(text, byte),
                "{byte}"
            );
        }
        assert_eq!(counter.line_of(0), 1);
    }

    #[test]
    fn chinese_headers_title_rows_and_values_become_spec_form() {
        let spec = aliases::table("teachers").expect("teachers");
        let text = "示例县教师名单,,\n工号,所在学校,学科,性别,出生年月,职称,骨干教师,本校任教年限\n\
                    P0,学校1,语文,女,1985年3月,小学高级,是,20\n";
        let mut problems = Problems::default();
        let t = Table::parse_instance_file(text, spec, &mut problems).expect("table");
        assert!(problems.is_empty(), "{problems}");
        assert_eq!(t.header_line, 2);
        let row = &t.rows[0];
        assert_eq!(row.line, 3);
        let c = t.cells(row, &mut problems);
        for (col, want) in [
            ("id", "P0"),
            ("school", "学校1"),
            ("subject", "chinese"),
            ("sex", "F"),
            ("birth_year", "1985"),
            ("title", "first"),
            ("key", "true"),
        ] {
            assert_eq!(c.text(col), Some(want), "{col}");
        }
    }

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
