//! `export` of an older plan (moves.csv without the `reason` column) without `--instance`:
//! every row of 交流名单 still has a reason, from the plan files alone, and says plainly what
//! needs the instance.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::*;

fn moves_sheet(xlsx: &Path) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(xlsx).expect("open");
    let range = book.worksheet_range("交流名单").expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The reason column (last) by teacher id (first), header row skipped.
fn reasons(xlsx: &Path) -> Vec<(String, String)> {
    moves_sheet(xlsx)
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r.last().cloned().unwrap_or_default()))
        .collect()
}

fn export(plan: &Path, xlsx: &Path, lang: &str) {
    let (code, text) = rotaplan(&["export", s(plan), "--xlsx", s(xlsx), "--lang", lang]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn an_older_plan_exported_without_the_instance_has_a_reason_in_every_row() {
    let plan = root().join("tests/data/report-tiny");
    let moves = fs::read_to_string(plan.join("moves.csv")).expect("moves.csv");
    assert!(!moves.lines().next().unwrap_or("").contains("reason"));
    let dir = tempfile::tempdir().expect("tempdir");

    let zh = dir.path().join("zh.xlsx");
    export(&plan, &zh, "zh");
    let r = reasons(&zh);
    assert_eq!(r.len(), 4, "{r:?}");
    assert!(r.iter().all(|(_, why)| !why.trim().is_empty()), "{r:?}");
    assert_eq!(
        r[0],
        (
            "P33".to_string(),
            "集团compulsory-1内调动：数学教师由S3调往S4；所补缺口须用 --instance 指定实例后导出"
                .to_string()
        )
    );
    // S1 helps compulsory-1 at middle level; P9 goes out from the helper, P75 comes to it.
    assert_eq!(r[2].1, "S1与集团compulsory-1结对互派（初中），由帮扶校派出");
    assert_eq!(r[3].1, "S1与集团compulsory-1结对互派（初中），派往帮扶校");

    let en = dir.path().join("en.xlsx");
    export(&plan, &en, "en");
    let r = reasons(&en);
    assert!(
        r[1].1
            .starts_with("transfer within group compulsory-1: a math teacher moves from S3 to S4")
            && r[1].1.ends_with("needs --instance"),
        "{r:?}"
    );
    assert_eq!(
        r[2].1,
        "exchange under the pairing of S1 with group compulsory-1 (middle), sent by the helper"
    );
}

#[test]
fn a_transfer_outside_any_known_group_still_says_what_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan");
    fs::create_dir(&plan).expect("mkdir");
    fs::write(
        plan.join("moves.csv"),
        "teacher,from,to,kind,subject,start_year,end_year,slot\nP1,S3,S7,transfer,pe,2026,,\n",
    )
    .expect("moves");
    let xlsx = dir.path().join("plan.xlsx");
    export(&plan, &xlsx, "zh");
    assert_eq!(
        reasons(&xlsx),
        [(
            "P1".to_string(),
            "体育教师由S3调往S7；原因须用 --instance 指定实例后导出".to_string()
        )]
    );
}
