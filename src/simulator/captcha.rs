//! The simulated CaptchEtat: a code of digits drawn as a PNG (a person reads
//! it; the tests read it through [`super::SimulatorHandle::read_captcha`], as
//! a person's eyes would) and played as tones in a WAV (one DTMF pair per
//! digit, standing in for the spoken version).

use std::io::Cursor;

use rand::Rng;

/// How many digits a code has.
pub(crate) const CODE_DIGITS: usize = 6;

/// Digits as 5×7 bitmaps, one row per byte, the high five bits used.
const GLYPHS: [[u8; 7]; 10] = [
    [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
    [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
    [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
    [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
    [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
    [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
    [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
    [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
    [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
    [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
];

const SCALE: u32 = 4;
const WIDTH: u32 = 200;
const HEIGHT: u32 = 70;

/// A fresh code.
pub(crate) fn new_code(rng: &mut impl Rng) -> String {
    (0..CODE_DIGITS).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// The code drawn on a grey background with a little noise, as a PNG.
pub(crate) fn image(code: &str, rng: &mut impl Rng) -> Vec<u8> {
    let mut pixels = vec![230u8; (WIDTH * HEIGHT) as usize];
    for pixel in pixels.iter_mut() {
        if rng.random_ratio(1, 12) {
            *pixel = rng.random_range(120..200);
        }
    }
    for (index, digit) in code.bytes().filter(u8::is_ascii_digit).enumerate() {
        let glyph = GLYPHS[usize::from(digit - b'0')];
        let left = 16 + index as u32 * 6 * SCALE + rng.random_range(0..3);
        let top = 18 + rng.random_range(0..6);
        draw(&mut pixels, &glyph, left, top);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(Cursor::new(&mut out), WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let written = encoder.write_header().and_then(|mut writer| writer.write_image_data(&pixels));
    // Writing into memory cannot fail but for a bug in the sizes above.
    written.expect("the captcha image has consistent sizes");
    out
}

fn draw(pixels: &mut [u8], glyph: &[u8; 7], left: u32, top: u32) {
    for (row, bits) in glyph.iter().enumerate() {
        for column in 0..5u32 {
            if bits & (0b10000 >> column) == 0 {
                continue;
            }
            for dy in 0..SCALE {
                for dx in 0..SCALE {
                    let (x, y) = (left + column * SCALE + dx, top + row as u32 * SCALE + dy);
                    if x < WIDTH && y < HEIGHT {
                        pixels[(y * WIDTH + x) as usize] = 20;
                    }
                }
            }
        }
    }
}

/// The code as tones: each digit its DTMF pair for 0.3 s, then 0.15 s of silence.
pub(crate) fn sound(code: &str) -> Vec<u8> {
    const RATE: u32 = 8_000;
    const ROWS: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
    const COLUMNS: [f32; 3] = [1209.0, 1336.0, 1477.0];
    let spec = hound::WavSpec { channels: 1, sample_rate: RATE, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut out = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).expect("a WAV header fits in memory");
    for digit in code.bytes().filter(u8::is_ascii_digit) {
        // The keypad: 1 2 3 / 4 5 6 / 7 8 9 / _ 0 _
        let key = usize::from(digit - b'0');
        let (row, column) = if key == 0 { (3, 1) } else { ((key - 1) / 3, (key - 1) % 3) };
        for n in 0..RATE * 3 / 10 {
            let t = n as f32 / RATE as f32;
            let value = (t * ROWS[row] * std::f32::consts::TAU).sin() + (t * COLUMNS[column] * std::f32::consts::TAU).sin();
            writer.write_sample((value * 8_000.0) as i16).expect("samples fit in memory");
        }
        for _ in 0..RATE * 15 / 100 {
            writer.write_sample(0i16).expect("samples fit in memory");
        }
    }
    writer.finalize().expect("a WAV fits in memory");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn images_and_sounds_are_real_files() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let code = new_code(&mut rng);
        assert_eq!(code.len(), CODE_DIGITS);
        let png = image(&code, &mut rng);
        let decoder = png::Decoder::new(Cursor::new(&png));
        let reader = decoder.read_info().expect("a PNG");
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        let wav = sound(&code);
        let reader = hound::WavReader::new(Cursor::new(&wav)).expect("a WAV");
        assert_eq!(reader.duration(), 8_000 * 45 / 100 * CODE_DIGITS as u32);
    }
}
