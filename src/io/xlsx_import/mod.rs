//! `rotaplan import`: a bureau workbook (one sheet per table, Chinese or SPEC names) to the
//! CSV instance of SPEC.md.
//!
//! Cells are converted by column kind (see [`aliases`]); every problem is located as
//! `sheet:row:column` with the value and a fix, and all are reported at once. The written
//! folder is then read with the normal instance reader, whose problems are translated back
//! to the workbook cells they came from.

pub mod dates;

/// The alias tables live beside the CSV reader, which reads the same words.
pub use crate::io::aliases;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Range, Reader, open_workbook_auto};

use self::aliases::{Column, Kind, TABLES, TableSpec};
use crate::diagnostics::{Problem, Problems};
use crate::io::plan_files::write_csv;

/// What an import wrote.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// `(file, sheet, data rows)` for each CSV written, in SPEC order.
    pub files: Vec<(String, String, usize)>,
    /// Things the planner should know that are not errors: ignored sheets and columns.
    pub notes: Vec<String>,
}

/// One sheet read as an instance table, cells already converted to CSV text.
struct SheetTable {
    spec: &'static TableSpec,
    sheet: String,
    /// 1-based row of the header in the sheet.
    header_row: usize,
    /// The recognised columns in SPEC order, each with its 0-based sheet column.
    columns: Vec<(&'static Column, usize)>,
    rows: Vec<SheetRow>,
}

struct SheetRow {
    /// 1-based sheet row.
    row: usize,
    /// One cell per entry of `columns`.
    cells: Vec<String>,
}

/// Converts `workbook` into the instance folder `out` and checks the result with
/// [`crate::io::read_instance`]. Every problem, from the workbook or from the instance
/// check, is returned located at its sheet cell.
pub fn import_workbook(workbook: &Path, out: &Path) -> Result<ImportReport, Problems> {
    let mut report = ImportReport::default();
    let mut tables = read_workbook(workbook, &mut report)?;
    resolve_names(&mut tables);
    for t in &tables {
        let file = t.spec.file_name();
        let header: Vec<&str> = t.columns.iter().map(|(c, _)| c.name).collect();
        write_csv(
            &out.join(&file),
            &header,
            t.rows.iter().map(|r| r.cells.clone()),
        )
        .map_err(|e| {
            Problems(vec![
                Problem::new(
                    out.join(&file).display().to_string(),
                    format!("cannot write: {e}"),
                    "check that the output folder is writable",
                )
                .with_zh(format!("无法写入：{e}"), "请检查输出文件夹是否可写"),
            ])
        })?;
        report.files.push((file, t.sheet.clone(), t.rows.len()));
    }
    for spec in TABLES {
        let file = spec.file_name();
        if !tables.iter().any(|t| std::ptr::eq(t.spec, spec)) && out.join(&file).exists() {
            report.notes.push(format!(
                "{} was already in {} and is kept: the workbook has no sheet for it",
                file,
                out.display()
            ));
        }
    }
    match crate::io::read_instance(out) {
        Ok(_) => Ok(report),
        Err(problems) => Err(Problems(
            problems
                .0
                .into_iter()
                .map(|p| locate_in_workbook(p, &tables))
                .collect(),
        )),
    }
}

/// Reads every recognised sheet; all conversion problems at once.
fn read_workbook(path: &Path, report: &mut ImportReport) -> Result<Vec<SheetTable>, Problems> {
    let name = path.display().to_string();
    let mut wb = open_workbook_auto(path).map_err(|e| {
        Problems(vec![
            Problem::new(
                &name,
                format!("cannot open the workbook: {e}"),
                "pass an .xlsx, .xlsm, .xlsb, .xls or .ods file",
            )
            .with_zh(
                format!("无法打开工作簿：{e}"),
                "请提供 .xlsx、.xlsm、.xlsb、.xls 或 .ods 文件",
            ),
        ])
    })?;
    let mut problems = Problems::default();
    let mut found: BTreeMap<usize, (String, Range<Data>)> = BTreeMap::new();
    for sheet in wb.sheet_names() {
        let Some(spec) = aliases::table_for_sheet(&sheet) else {
            report.notes.push(format!(
                "sheet `{sheet}` ignored: its name is not one of the instance tables"
            ));
            continue;
        };
        let pos = TABLES
            .iter()
            .position(|t| std::ptr::eq(t, spec))
            .unwrap_or_default();
        if let Some((first, _)) = found.get(&pos) {
            problems.push(
                Problem::new(
                    &sheet,
                    format!("sheets `{first}` and `{sheet}` both hold {}", spec.stem),
                    "keep one sheet per table, or rename the other",
                )
                .with_zh(
                    format!("工作表 `{first}` 和 `{sheet}` 都是 {}", spec.stem),
                    "每张表只保留一个工作表，或给另一个改名",
                ),
            );
            continue;
        }
        match wb.worksheet_range(&sheet) {
            Ok(range) => {
                found.insert(pos, (sheet, range));
            }
            Err(e) => problems.push(
                Problem::new(
                    &sheet,
                    format!("cannot read the sheet: {e}"),
                    "save the workbook again from Excel",
                )
                .with_zh(
                    format!("无法读取该工作表：{e}"),
                    "请用 Excel 重新保存工作簿",
                ),
            ),
        }
    }
    for (pos, spec) in TABLES.iter().enumerate() {
        if spec.required && !found.contains_key(&pos) {
            problems.push(
                Problem::new(
                    &name,
                    format!("the workbook has no sheet for {}", spec.stem),
                    format!(
                        "add a sheet named {} (or {})",
                        spec.sheet_aliases.first().copied().unwrap_or(spec.stem),
                        spec.stem
                    ),
                )
                .with_zh(
                    format!("工作簿中没有 {} 的工作表", spec.stem),
                    format!(
                        "请添加名为 {}（或 {}）的工作表",
                        spec.sheet_aliases.first().copied().unwrap_or(spec.stem),
                        spec.stem
                    ),
                ),
            );
        }
    }
    let mut tables = Vec::new();
    for (pos, (sheet, range)) in found {
        if let Some(t) = read_sheet(&TABLES[pos], &sheet, &range, report, &mut problems) {
            tables.push(t);
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(problems)
    }
}

fn read_sheet(
    spec: &'static TableSpec,
    sheet: &str,
    range: &Range<Data>,
    report: &mut ImportReport,
    problems: &mut Problems,
) -> Option<SheetTable> {
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    // The header is the first row naming an instance column, so a title row above it
    // (赫章县教师名单, merged across the sheet) is skipped; else the first non-empty row.
    let recognised = |r: &[Data]| {
        r.iter()
            .filter(|c| aliases::column_for_header(spec, &raw_text(c)).is_some())
            .count()
    };
    let header_i = range
        .rows()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| recognised(r) > 0)
        .or_else(|| {
            range
                .rows()
                .position(|r| r.iter().any(|c| !cell_is_empty(c)))
        });
    let mut rows = range.rows().enumerate().skip(header_i.unwrap_or(0));
    let header = header_i.and_then(|_| rows.next());
    let Some((header_i, header)) = header else {
        problems.push(
            Problem::new(
                sheet,
                "the sheet is empty",
                format!("put a header row and the {} rows in it", spec.stem),
            )
            .with_zh(
                "该工作表为空",
                format!("请填入表头行和 {} 的各行数据", spec.stem),
            ),
        );
        return None;
    };
    let header_row = row0 + header_i + 1;
    let mut columns: Vec<(&'static Column, usize)> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let text = raw_text(cell);
        if text.is_empty() {
            continue;
        }
        let at = col0 + i;
        match aliases::column_for_header(spec, &text) {
            Some(c) => {
                if let Some((_, first)) = columns.iter().find(|(k, _)| k.name == c.name) {
                    problems.push(
                        Problem::new(
                            sheet,
                            format!(
                                "two columns mean `{}` (the other is column {})",
                                c.name,
                                crate::diagnostics::column_letters(*first)
                            ),
                            "delete or rename one of them",
                        )
                        .with_zh(
                            format!(
                                "有两列都表示 `{}`（另一列是第 {} 列）",
                                c.name,
                                crate::diagnostics::column_letters(*first)
                            ),
                            "请删除其中一列或给它改名",
                        )
                        .at_cell(header_row, at)
                        .value(text),
                    );
                } else {
                    columns.push((c, at));
                }
            }
            None => report.notes.push(format!(
                "{sheet}: column `{text}` ignored (not an instance column)"
            )),
        }
    }
    let mut ok = true;
    for c in spec.columns.iter().filter(|c| c.required) {
        if !columns.iter().any(|(k, _)| k.name == c.name) {
            ok = false;
            problems.push(
                Problem::new(
                    sheet,
                    format!("missing column `{}`", c.name),
                    format!(
                        "add a column headed {} (or {})",
                        c.aliases.first().copied().unwrap_or(c.name),
                        c.name
                    ),
                )
                .with_zh(
                    format!("缺少 `{}` 列", c.name),
                    format!(
                        "请添加表头为 {}（或 {}）的列",
                        c.aliases.first().copied().unwrap_or(c.name),
                        c.name
                    ),
                )
                .at_line(header_row),
            );
        }
    }
    if !ok {
        return None;
    }
    // SPEC order, so the CSV header is the same whatever the sheet's column order.
    columns.sort_by_key(|(c, _)| {
        spec.columns
            .iter()
            .position(|k| k.name == c.name)
            .unwrap_or(usize::MAX)
    });
    let mut out_rows = Vec::new();
    for (i, row) in rows {
        if row.iter().all(cell_is_empty) {
            continue;
        }
        let sheet_row = row0 + i + 1;
        let cells = columns
            .iter()
            .map(|(c, at)| {
                let cell = row.get(at - col0).unwrap_or(&Data::Empty);
                convert(cell, c.kind).unwrap_or_else(|(message, fix)| {
                    problems.push(
                        Problem::new(
                            sheet,
                            format!("{} ({}): {message}", header_name(c), c.name),
                            fix,
                        )
                        .at_cell(sheet_row, *at)
                        .value(raw_text(cell)),
                    );
                    String::new()
                })
            })
            .collect();
        out_rows.push(SheetRow {
            row: sheet_row,
            cells,
        });
    }
    Some(SheetTable {
        spec,
        sheet: sheet.to_string(),
        header_row,
        columns,
        rows: out_rows,
    })
}

/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: usize = 10;

fn header_name(c: &Column) -> &'static str {
    c.aliases.first().copied().unwrap_or(c.name)
}

fn cell_is_empty(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text: numbers without a spurious `.0`, text trimmed and on one line (a line
/// break inside a cell would shift every later CSV line).
fn raw_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            s.trim().replace(['\r', '\n'], " ").trim().to_string()
        }
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

use self::aliases::{Bad, number_text};

/// One cell to its CSV text; an empty cell stays empty (the instance reader decides whether
/// the column may be empty). Text goes through the same conversion as a CSV cell; typed
/// cells (dates, numbers for years) are read by their type first.
fn convert(cell: &Data, kind: Kind) -> Result<String, Bad> {
    if let Data::Error(e) = cell {
        return Err((
            format!("the cell holds the Excel error {e}"),
            "replace the formula's error with a value".into(),
        ));
    }
    let typed_year = match (kind, cell) {
        (Kind::BirthYear | Kind::Year, Data::DateTime(dt)) => {
            let (y, ..) = dt.to_ymd_hms_milli();
            Some(Some(i64::from(y)).filter(|y| dates::YEARS.contains(y)))
        }
        (Kind::BirthYear | Kind::Year, Data::Float(f)) => Some(dates::year_from_number(*f)),
        (Kind::BirthYear | Kind::Year, Data::Int(i)) => Some(dates::year_from_number(*i as f64)),
        _ => None,
    };
    if let Some(year) = typed_year {
        return year.map(|y| y.to_string()).ok_or_else(|| {
            (
                "not a year or date".into(),
                "write a year such as 1985, or a date such as 1985-03 or 1985年3月".into(),
            )
        });
    }
    aliases::canonical(&raw_text(cell), kind)
}

/// The ids of a sheet's rows, and the ids carrying each name.
type IdsAndNames = (HashSet<String>, HashMap<String, Vec<String>>);

/// Bureaus often write the township or school *name* where the CSV wants the id; a name that
/// is not an id and names exactly one row is replaced by that row's id.
fn resolve_names(tables: &mut [SheetTable]) {
    let names = |tables: &[SheetTable], stem: &str| -> Option<IdsAndNames> {
        let t = tables.iter().find(|t| t.spec.stem == stem)?;
        let id = t.columns.iter().position(|(c, _)| c.name == "id")?;
        let name = t.columns.iter().position(|(c, _)| c.name == "name")?;
        let ids: HashSet<String> = t.rows.iter().map(|r| r.cells[id].clone()).collect();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for r in &t.rows {
            by_name
                .entry(r.cells[name].clone())
                .or_default()
                .push(r.cells[id].clone());
        }
        Some((ids, by_name))
    };
    let townships = names(tables, "townships");
    let schools = names(tables, "schools");
    for t in tables.iter_mut() {
        let refs: Vec<(usize, Kind)> = t
            .columns
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| matches!(c.kind, Kind::TownshipRef | Kind::SchoolRef))
            .map(|(i, (c, _))| (i, c.kind))
            .collect();
        for (i, kind) in refs {
            let Some((ids, by_name)) = (match kind {
                Kind::TownshipRef => townships.as_ref(),
                _ => schools.as_ref(),
            }) else {
                continue;
            };
            for r in &mut t.rows {
                let v = &mut r.cells[i];
                if !v.is_empty()
                    && !ids.contains(v.as_str())
                    && let Some([only]) = by_name.get(v.as_str()).map(Vec::as_slice)
                {
                    *v = only.clone();
                }
            }
        }
    }
}

/// A problem the instance reader found in a written CSV, moved back to the workbook cell it
/// came from (the CSV rows and columns are the sheet's, in order).
fn locate_in_workbook(p: Problem, tables: &[SheetTable]) -> Problem {
    let Some(t) = tables.iter().find(|t| t.spec.file_name() == p.file) else {
        return p;
    };
    let row = match p.line {
        Some(1) => Some(t.header_row),
        Some(l) if l >= 2 => t.rows.get(l - 2).map(|r| r.row),
        _ => None,
    };
    let column = p
        .column
        .and_then(|c| c.checked_sub(1))
        .and_then(|c| t.columns.get(c))
        .map(|(_, at)| *at);
    let mut q = Problem::new(&t.sheet, p.message, p.fix);
    q.value = p.value;
    // The instance reader's Chinese travels with the problem to its cell.
    q.zh = p.zh;
    match (row, column) {
        (Some(r), Some(c)) => q.at_cell(r, c),
        (Some(r), None) => q.at_line(r),
        _ => q,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_convert_by_kind() {
        let s = |v: &str| Data::String(v.into());
        assert_eq!(convert(&s("男"), Kind::Sex), Ok("M".into()));
        assert_eq!(convert(&s("是"), Kind::Bool), Ok("true".into()));
        assert_eq!(convert(&Data::Bool(false), Kind::Bool), Ok("false".into()));
        assert_eq!(
            convert(&s("中学高级教师"), Kind::Title),
            Ok("senior".into())
        );
        assert_eq!(
            convert(&s("九年一贯制"), Kind::Stage),
            Ok("nine_year".into())
        );
        assert_eq!(convert(&s("大专"), Kind::Degree), Ok("college".into()));
        assert_eq!(convert(&s("体育与健康"), Kind::Subject), Ok("pe".into()));
        assert_eq!(convert(&s("Math"), Kind::Subject), Ok("math".into()));
        assert_eq!(
            convert(&s("高中、初中"), Kind::Stages),
            Ok("high;middle".into())
        );
        assert_eq!(convert(&s("1985年3月"), Kind::BirthYear), Ok("1985".into()));
        assert_eq!(
            convert(&Data::Float(1985.0), Kind::BirthYear),
            Ok("1985".into())
        );
        assert_eq!(
            convert(&Data::Float(2231.0), Kind::Count),
            Ok("2231".into())
        );
        assert_eq!(convert(&s(" 2,231 "), Kind::Count), Ok("2231".into()));
        assert_eq!(convert(&s("12.5"), Kind::Number), Ok("12.5".into()));
        assert_eq!(convert(&Data::Float(1001.0), Kind::Text), Ok("1001".into()));
        assert_eq!(convert(&Data::Empty, Kind::Sex), Ok(String::new()));
        assert!(convert(&s("男女"), Kind::Sex).is_err());
        assert!(convert(&s("2.5"), Kind::Count).is_err());
        assert!(convert(&s("心理学史"), Kind::Subject).is_err());
    }
}
