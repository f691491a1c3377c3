//! `rotaplan report --png`: `overview.png` is written, is a valid PNG of the documented size
//! (every chunk's CRC checks, the image data inflates to one filtered scanline per row), is
//! not blank, is the same bytes on a second run, and is listed among the derived files that a
//! re-plan removes.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::common::*;

/// Chunks of a PNG (type, data), checking the signature and every CRC.
fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "signature");
    let mut out = Vec::new();
    let mut at = 8;
    while at < png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().expect("len")) as usize;
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().expect("type");
        let data = png[at + 8..at + 8 + len].to_vec();
        let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().expect("crc"));
        let mut h = crc32fast::Hasher::new();
        h.update(&kind);
        h.update(&data);
        assert_eq!(
            h.finalize(),
            crc,
            "CRC of {}",
            String::from_utf8_lossy(&kind)
        );
        out.push((kind, data));
        at += 12 + len;
    }
    out
}

/// Width, height and the RGB rows of an 8-bit RGB PNG with filter 0 on every row.
fn decode(png: &[u8]) -> (usize, usize, Vec<Vec<u8>>) {
    let chunks = chunks(png);
    assert_eq!(&chunks[0].0, b"IHDR");
    assert_eq!(&chunks.last().expect("IEND").0, b"IEND");
    let ihdr = &chunks[0].1;
    let w = u32::from_be_bytes(ihdr[0..4].try_into().expect("w")) as usize;
    let h = u32::from_be_bytes(ihdr[4..8].try_into().expect("h")) as usize;
    assert_eq!(&ihdr[8..], &[8, 2, 0, 0, 0], "8-bit RGB, no interlace");
    let idat: Vec<u8> = chunks
        .iter()
        .filter(|(k, _)| k == b"IDAT")
        .flat_map(|(_, d)| d.clone())
        .collect();
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .expect("inflate");
    assert_eq!(raw.len(), h * (1 + 3 * w));
    let rows = raw
        .chunks(1 + 3 * w)
        .map(|r| {
            assert_eq!(r[0], 0, "filter type");
            r[1..].to_vec()
        })
        .collect();
    (w, h, rows)
}

fn report_png(plan: &Path) -> Vec<u8> {
    let instance = example("schools-tiny");
    let (code, text) = rotaplan(&["report", s(&instance), "--plan", s(plan), "--png"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("overview.png"), "{text}");
    fs::read(plan.join("overview.png")).expect("overview.png")
}

#[test]
fn report_png_writes_a_decodable_overview_of_the_documented_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan");
    fs::create_dir(&plan).expect("mkdir");
    for f in fs::read_dir(root().join("tests/data/report-tiny")).expect("plan") {
        let f = f.expect("entry");
        fs::copy(f.path(), plan.join(f.file_name())).expect("copy");
    }
    let png = report_png(&plan);
    let (w, h, rows) = decode(&png);
    assert_eq!((w, h), (1200, 800));
    assert_eq!(rows.len(), 800);
    // Drawn on: the map's group colours are there, not only white and greys.
    let coloured = rows
        .iter()
        .flat_map(|r| r.chunks(3))
        .filter(|p| p[0] != p[1] || p[1] != p[2])
        .count();
    assert!(coloured > 500, "{coloured} coloured pixels");
    // Deterministic: the same plan gives the same bytes.
    assert_eq!(report_png(&plan), png);
    let derived = fs::read_to_string(plan.join(".derived-files")).expect("derived list");
    assert!(derived.lines().any(|l| l == "overview.png"), "{derived}");
}

#[test]
fn report_help_documents_the_png() {
    let (code, text) = rotaplan(&["report", "--help"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("--png") && text.contains("overview.png"),
        "{text}"
    );
}
