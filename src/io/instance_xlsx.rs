//! An instance folder written as a bureau workbook: Chinese sheet names, headers and values
//! (the preferred aliases of [`crate::io::xlsx_import::aliases`]), so `rotaplan import` on the
//! result gives the same instance back. Used to ship `instances/*/<name>.xlsx`.

use std::path::Path;

use crate::io::csv_table::parse_bool;
use crate::io::xlsx_import::aliases::{self, Kind, TABLES};
use crate::io::xlsx_sheet::{Cell, add_table, new_workbook, save_atomic};

/// Writes every instance CSV found in `dir` to the workbook `out`, one sheet per file.
pub fn write_instance_xlsx(dir: &Path, out: &Path) -> Result<(), String> {
    let mut wb = new_workbook().map_err(|e| e.to_string())?;
    let mut sheets = 0;
    for spec in TABLES {
        let path = dir.join(spec.file_name());
        if !path.exists() {
            continue;
        }
        let text = crate::io::text::read_text(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .iter()
            .map(str::to_string)
            .collect();
        let kinds: Vec<Option<Kind>> = names
            .iter()
            .map(|n| spec.columns.iter().find(|c| c.name == n).map(|c| c.kind))
            .collect();
        let header: Vec<String> = names
            .iter()
            .map(|n| {
                spec.columns
                    .iter()
                    .find(|c| c.name == n)
                    .and_then(|c| c.aliases.first())
                    .map_or_else(|| n.clone(), |a| (*a).to_string())
            })
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
            rows.push(
                record
                    .iter()
                    .enumerate()
                    .map(|(i, v)| chinese_cell(v, kinds.get(i).copied().flatten()))
                    .collect(),
            );
        }
        let sheet = spec.sheet_aliases.first().copied().unwrap_or(spec.stem);
        add_table(&mut wb, sheet, &header, &rows).map_err(|e| e.to_string())?;
        sheets += 1;
    }
    if sheets == 0 {
        return Err(format!("no instance CSV files in {}", dir.display()));
    }
    save_atomic(&mut wb, out).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn chinese_cell(v: &str, kind: Option<Kind>) -> Cell {
    if v.is_empty() {
        return Cell::Empty;
    }
    let word = |table| Cell::text(aliases::word_for(table, v));
    match kind {
        Some(Kind::Bool) => match parse_bool(v) {
            Some(true) => Cell::text("是"),
            Some(false) => Cell::text("否"),
            None => Cell::text(v),
        },
        Some(Kind::Sex) => word(aliases::SEXES),
        Some(Kind::Title) => word(aliases::TITLES),
        Some(Kind::Stage) => word(aliases::STAGES),
        Some(Kind::Degree) => word(aliases::DEGREES),
        Some(Kind::Subject) => word(aliases::SUBJECTS),
        Some(Kind::Stages) => Cell::text(
            v.split(';')
                .map(|s| aliases::word_for(aliases::STAGES, s.trim()))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Some(Kind::Number | Kind::Count | Kind::BirthYear | Kind::Year) => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map_or_else(|| Cell::text(v), Cell::Number),
        Some(Kind::Text | Kind::TownshipRef | Kind::SchoolRef) | None => Cell::text(v),
    }
}
