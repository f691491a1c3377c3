//! Reading text files the way Chinese offices write them: UTF-8, UTF-8 with a BOM, or
//! GBK/GB18030 from Excel's "CSV" export — strictly. A byte that fits none of them is an
//! error naming the bytes and where they are, never a replacement character: a silently
//! mis-decoded file turns every school name into mojibake that then flows into the plan.

use std::fmt;
use std::path::Path;

use encoding_rs::{DecoderResult, GB18030};

use crate::diagnostics::Problem;

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
/// How many undecodable bytes an error names at most.
const NAMED_BYTES: usize = 6;

/// Bytes that are neither UTF-8 nor GB18030, located in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line of the first undecodable byte.
    pub line: usize,
    /// 1-based character position of that byte in its line.
    pub char_column: usize,
    /// 1-based CSV field (comma-separated, quotes respected) the byte is in.
    pub field: usize,
    /// The undecodable bytes, at most a few.
    pub bytes: Vec<u8>,
    pub kind: DecodeErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Bytes no decoding accepts.
    Invalid,
    /// A UTF-16 byte-order mark: the file is UTF-16, which Excel writes as "Unicode text".
    Utf16,
    /// A NUL byte, which no CSV or TOML file holds (UTF-16 without a BOM, or a binary file).
    Nul,
}

impl DecodeError {
    /// The bytes as `0xFF 0xFE`.
    pub fn bytes_hex(&self) -> String {
        self.bytes
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn message(&self) -> String {
        match self.kind {
            DecodeErrorKind::Invalid => format!(
                "bytes {} are neither UTF-8 nor GB18030/GBK (character {} of the line)",
                self.bytes_hex(),
                self.char_column
            ),
            DecodeErrorKind::Utf16 => format!(
                "the file is UTF-16 (it starts with the bytes {})",
                self.bytes_hex()
            ),
            DecodeErrorKind::Nul => format!(
                "byte {} (NUL) in a text file (character {} of the line): UTF-16 or not a text file",
                self.bytes_hex(),
                self.char_column
            ),
        }
    }

    pub fn fix(&self) -> &'static str {
        match self.kind {
            DecodeErrorKind::Invalid => {
                "retype the text at this place, or save the file again as UTF-8 \
                 (Excel: 另存为 → CSV UTF-8); UTF-8, UTF-8 with a BOM and GBK/GB18030 are read"
            }
            DecodeErrorKind::Utf16 | DecodeErrorKind::Nul => {
                "save the file as UTF-8 (Excel: 另存为 → CSV UTF-8) or as GBK"
            }
        }
    }

    /// The error as a problem of `file`; `csv` locates it by field, as every other CSV
    /// problem is, else by character.
    pub fn problem(&self, file: &str, csv: bool) -> Problem {
        let column = if csv { self.field } else { self.char_column };
        Problem::new(file, self.message(), self.fix()).at(self.line, column)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line,
            self.char_column,
            self.message()
        )
    }
}

impl std::error::Error for DecodeError {}

/// Why a text file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Decode(DecodeError),
}

impl ReadError {
    /// The error as a problem of `file`; `io_fix` says what to do when the file cannot be
    /// opened at all.
    pub fn problem(&self, file: &str, csv: bool, io_fix: &str) -> Problem {
        match self {
            ReadError::Io(e) => Problem::new(file, format!("cannot read: {e}"), io_fix),
            ReadError::Decode(d) => d.problem(file, csv),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Decode(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Decodes bytes as UTF-8 (dropping a BOM) or, when they are not valid UTF-8, as GB18030
/// (a superset of GBK), without a single replacement.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(bom) = [[0xFF, 0xFE], [0xFE, 0xFF]]
        .into_iter()
        .find(|b| bytes.starts_with(b))
    {
        return Err(DecodeError {
            line: 1,
            char_column: 1,
            field: 1,
            bytes: bom.to_vec(),
            kind: DecodeErrorKind::Utf16,
        });
    }
    let has_bom = bytes.starts_with(&UTF8_BOM);
    let body = bytes.strip_prefix(&UTF8_BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(utf8) => match decode_gb18030(body) {
            // A BOM says UTF-8 whatever else the bytes could be.
            Ok(s) if !has_bom => s,
            Ok(_) => return Err(utf8_error(body, utf8.valid_up_to())),
            // Neither reads: the file is most likely in the encoding that fails less often,
            // and the error is located where that encoding fails (UTF-8 on a tie, as a
            // damaged UTF-8 file would otherwise be pointed at its first Chinese character).
            Err(gb) if !has_bom && gb18030_failures(body) < utf8_failures(body) => {
                return Err(gb);
            }
            Err(_) => return Err(utf8_error(body, utf8.valid_up_to())),
        },
    };
    match text.find('\0') {
        Some(at) => Err(located(&text[..at], vec![0], DecodeErrorKind::Nul)),
        None => Ok(text),
    }
}

/// Reads and decodes a text file.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(&bytes).map_err(ReadError::Decode)
}

fn utf8_failures(body: &[u8]) -> usize {
    let mut rest = body;
    let mut count = 0;
    while let Err(e) = std::str::from_utf8(rest) {
        count += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
        rest = &rest[skip.max(1).min(rest.len())..];
    }
    count
}

fn gb18030_failures(body: &[u8]) -> usize {
    let (text, _) = GB18030.decode_without_bom_handling(body);
    text.matches('\u{FFFD}').count()
}

/// The UTF-8 error at `at`, naming the run of bytes UTF-8 cannot read from there.
fn utf8_error(body: &[u8], at: usize) -> DecodeError {
    let mut end = at;
    while end < body.len() && end - at < NAMED_BYTES {
        match std::str::from_utf8(&body[end..]) {
            Err(e) if e.valid_up_to() == 0 => end += e.error_len().unwrap_or(body.len() - end),
            _ => break,
        }
    }
    let end = end.min(at + NAMED_BYTES).max(at + 1).min(body.len());
    let prefix = std::str::from_utf8(&body[..at]).unwrap_or_default();
    located(prefix, body[at..end].to_vec(), DecodeErrorKind::Invalid)
}

/// Decodes GB18030 strictly; the error names the malformed sequence.
fn decode_gb18030(body: &[u8]) -> Result<String, DecodeError> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut out = String::with_capacity(capacity);
    let mut start = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&body[start..], &mut out, true);
        start += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(body.len() - start + 16),
            DecoderResult::Malformed(bad, after) => {
                let end = start - usize::from(after);
                let begin = end.saturating_sub(usize::from(bad).max(1));
                let mut named_end = end;
                // Name the following bytes too while they are not plain ASCII, so the
                // message shows the whole damaged run (`0xFF 0xFE`), not just its first byte.
                while named_end < body.len()
                    && named_end - begin < NAMED_BYTES
                    && !body[named_end].is_ascii()
                {
                    named_end += 1;
                }
                // `out` holds what was decoded before the malformed bytes, minus anything
                // decoded from bytes after them (none: the decoder stops at the error).
                let prefix_len = out.len();
                let prefix = &out[..prefix_len];
                return Err(located(
                    prefix,
                    body[begin..named_end].to_vec(),
                    DecodeErrorKind::Invalid,
                ));
            }
        }
    }
}

/// An error whose bytes follow the decoded `prefix`.
fn located(prefix: &str, bytes: Vec<u8>, kind: DecodeErrorKind) -> DecodeError {
    let line = 1 + prefix.matches('\n').count();
    let line_text = prefix.rsplit('\n').next().unwrap_or_default();
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let mut in_quotes = false;
    let mut field = 1;
    for c in line_text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => field += 1,
            _ => {}
        }
    }
    DecodeError {
        line,
        char_column: line_text.chars().count() + 1,
        field,
        bytes,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFid,name").as_deref(), Ok("id,name"));
        assert_eq!(decode("学校编号".as_bytes()).as_deref(), Ok("学校编号"));
        let (gbk, _, _) = encoding_rs::GBK.encode("学校编号,名称\nS1,赫章一中");
        assert_eq!(decode(&gbk).as_deref(), Ok("学校编号,名称\nS1,赫章一中"));
    }

    #[test]
    fn bytes_in_a_utf8_name_are_named_and_located() {
        let mut bytes = "id,name\nS0,学校1\nS1,学校".as_bytes().to_vec();
        bytes.extend([0xFF, 0xFE]);
        bytes.extend(b"2\n");
        let e = decode(&bytes).expect_err("invalid");
        assert_eq!((e.line, e.field, e.char_column), (3, 2, 6));
        assert_eq!(e.bytes_hex(), "0xFF 0xFE");
        assert_eq!(e.kind, DecodeErrorKind::Invalid);
    }

    #[test]
    fn bytes_in_a_gbk_file_are_located_as_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("id,name\nS0,学校1\n");
        let mut bytes = gbk.into_owned();
        bytes.extend(b"S1,\"a,b\",x");
        bytes.push(0xFF);
        let e = decode(&bytes).expect_err("invalid");
        assert_eq!((e.line, e.field, e.char_column), (3, 3, 11));
        assert_eq!(e.bytes_hex(), "0xFF");
    }

    #[test]
    fn a_bom_marks_utf8_even_when_the_damage_comes_first() {
        let e = decode(b"\xEF\xBB\xBFid\n\xC4\xE3,x").expect_err("invalid");
        assert_eq!((e.line, e.field), (2, 1));
        assert_eq!(e.bytes_hex(), "0xC4 0xE3");
    }

    #[test]
    fn utf16_and_nul_are_refused() {
        let e = decode(b"\xFF\xFEi\0d\0").expect_err("utf-16");
        assert_eq!(e.kind, DecodeErrorKind::Utf16);
        assert!(e.message().contains("0xFF 0xFE"), "{}", e.message());
        let e = decode(b"id\n\0x").expect_err("nul");
        assert_eq!(
            (e.kind, e.line, e.char_column),
            (DecodeErrorKind::Nul, 2, 1)
        );
    }
}
