//! A small RGB raster for the overview picture: rectangles, lines, discs, squares and a 5×7
//! pixel font for digits, capitals and a little punctuation. Integer and rounding-only
//! arithmetic, no anti-aliasing, so the same drawing gives the same bytes on every machine;
//! and no font file, since no CJK (or any) font is guaranteed where rotaplan runs.

/// An RGB colour.
pub type Rgb = [u8; 3];

pub const WHITE: Rgb = [255, 255, 255];
pub const BLACK: Rgb = [0, 0, 0];

/// `#rrggbb` → RGB (black for anything else).
pub fn hex(c: &str) -> Rgb {
    let c = c.trim_start_matches('#');
    let byte = |i: usize| {
        c.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    if c.len() == 6 {
        [byte(0), byte(2), byte(4)]
    } else {
        BLACK
    }
}

/// A picture of `width` × `height` pixels, row by row, 3 bytes a pixel.
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Canvas {
    pub fn new(width: usize, height: usize, background: Rgb) -> Canvas {
        Canvas {
            width,
            height,
            pixels: background.repeat(width * height),
        }
    }

    /// Sets one pixel; points off the picture are ignored.
    pub fn dot(&mut self, x: i64, y: i64, c: Rgb) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = (y as usize * self.width + x as usize) * 3;
        self.pixels[i..i + 3].copy_from_slice(&c);
    }

    pub fn fill_rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.dot(xx, yy, c);
            }
        }
    }

    /// A one-pixel frame.
    pub fn frame(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        self.fill_rect(x, y, w, 1, c);
        self.fill_rect(x, y + h - 1, w, 1, c);
        self.fill_rect(x, y, 1, h, c);
        self.fill_rect(x + w - 1, y, 1, h, c);
    }

    /// A line `width` pixels wide; with `dash` > 0, `dash` pixels drawn then `dash` skipped.
    pub fn line(&mut self, a: (i64, i64), b: (i64, i64), width: i64, dash: i64, c: Rgb) {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let steps = dx.abs().max(dy.abs()).max(1);
        let half = (width - 1) / 2;
        for i in 0..=steps {
            if dash > 0 && (i / dash) % 2 == 1 {
                continue;
            }
            // Rounded integer interpolation: exact and the same everywhere.
            let x = a.0 + (2 * dx * i + steps).div_euclid(2 * steps);
            let y = a.1 + (2 * dy * i + steps).div_euclid(2 * steps);
            self.fill_rect(x - half, y - half, width, width, c);
        }
    }

    /// A filled disc of radius `r`.
    pub fn disc(&mut self, cx: i64, cy: i64, r: i64, c: Rgb) {
        for y in -r..=r {
            for x in -r..=r {
                if x * x + y * y <= r * r + r {
                    self.dot(cx + x, cy + y, c);
                }
            }
        }
    }

    /// A filled square of half-side `h` with a one-pixel outline.
    pub fn square(&mut self, cx: i64, cy: i64, h: i64, fill: Rgb, outline: Rgb) {
        self.fill_rect(cx - h, cy - h, 2 * h + 1, 2 * h + 1, outline);
        self.fill_rect(cx - h + 1, cy - h + 1, 2 * h - 1, 2 * h - 1, fill);
    }

    /// Writes `text` with its top-left corner at (x, y), each font pixel `scale` pixels wide;
    /// lower case is drawn as capitals and characters the font lacks as blanks. Returns the
    /// x just past the text.
    pub fn text(&mut self, x: i64, y: i64, scale: i64, text: &str, c: Rgb) -> i64 {
        let mut at = x;
        for ch in text.chars() {
            let rows = glyph(ch.to_ascii_uppercase());
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        self.fill_rect(at + col * scale, y + r as i64 * scale, scale, scale, c);
                    }
                }
            }
            at += 6 * scale;
        }
        at
    }
}

/// How wide `text` is at `scale`.
pub fn text_width(text: &str, scale: i64) -> i64 {
    text.chars().count() as i64 * 6 * scale
}

/// The 5×7 rows of a character (bit 4 is the leftmost column).
fn glyph(c: char) -> [u8; 7] {
    match c {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '.' => [0, 0, 0, 0, 0, 0x0C, 0x0C],
        ',' => [0, 0, 0, 0, 0x0C, 0x04, 0x08],
        '-' => [0, 0, 0, 0x1F, 0, 0, 0],
        '+' => [0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0],
        '=' => [0, 0, 0x1F, 0, 0x1F, 0, 0],
        '>' => [0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08],
        '<' => [0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02],
        '/' => [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
        ':' => [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        '(' => [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        ')' => [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        _ => [0; 7],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lights_the_glyph_pixels_and_advances() {
        let mut c = Canvas::new(20, 10, WHITE);
        let end = c.text(0, 0, 1, "1-", BLACK);
        assert_eq!(end, 12);
        // '1' has its stem in column 2 on every row but the last; '-' is row 3 only.
        let at = |x: usize, y: usize| &c.pixels[(y * 20 + x) * 3..(y * 20 + x) * 3 + 3];
        assert_eq!(at(2, 0), BLACK);
        assert_eq!(at(0, 0), WHITE);
        assert_eq!(at(6, 3), BLACK);
        assert_eq!(at(6, 2), WHITE);
    }

    #[test]
    fn lines_reach_both_ends_and_hex_reads_colours() {
        let mut c = Canvas::new(10, 10, WHITE);
        c.line((1, 1), (8, 5), 1, 0, BLACK);
        assert_eq!(&c.pixels[(10 + 1) * 3..(10 + 1) * 3 + 3], BLACK);
        assert_eq!(&c.pixels[(5 * 10 + 8) * 3..(5 * 10 + 8) * 3 + 3], BLACK);
        assert_eq!(hex("#1f77b4"), [0x1f, 0x77, 0xb4]);
        assert_eq!(hex("bad"), BLACK);
    }
}
