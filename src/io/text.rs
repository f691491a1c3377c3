//! Reading text files the way Chinese offices write them: UTF-8, UTF-8 with a BOM, or
//! GBK/GB18030 from Excel's "CSV" export.

use std::path::Path;

/// Decodes bytes as UTF-8 (dropping a BOM) or, when they are not valid UTF-8, as GB18030,
/// which is a superset of GBK.
pub fn decode(bytes: &[u8]) -> String {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(body);
            text.into_owned()
        }
    }
}

/// Reads and decodes a text file.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    Ok(decode(&std::fs::read(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFid,name"), "id,name");
        let (gbk, _, _) = encoding_rs::GBK.encode("学校编号");
        assert_eq!(decode(&gbk), "学校编号");
    }
}
