//! A PNG encoder for an RGB picture: signature, IHDR, one IDAT (zlib, every scanline with
//! filter 0) and IEND. Fixed compression settings, so the same pixels give the same bytes.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

use super::canvas::Canvas;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The picture as PNG bytes (8-bit RGB, not interlaced).
pub fn encode(c: &Canvas) -> Vec<u8> {
    let mut out = SIGNATURE.to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend((c.width as u32).to_be_bytes());
    ihdr.extend((c.height as u32).to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let mut raw = Vec::with_capacity(c.height * (1 + 3 * c.width));
    for row in c.pixels.chunks(3 * c.width) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = z.write_all(&raw);
    let data = z.finish().unwrap_or_default();
    chunk(&mut out, b"IDAT", &data);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend(crc.finalize().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::canvas::{BLACK, WHITE};

    #[test]
    fn a_picture_encodes_to_a_png_with_its_size() {
        let mut c = Canvas::new(3, 2, WHITE);
        c.dot(1, 1, BLACK);
        let png = encode(&c);
        assert_eq!(&png[..8], &SIGNATURE);
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 3);
        assert_eq!(u32::from_be_bytes([png[20], png[21], png[22], png[23]]), 2);
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
        assert_eq!(encode(&c), png);
    }
}
