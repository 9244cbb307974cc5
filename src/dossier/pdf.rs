//! A [`Document`] as an A4 PDF. Text is measured with the embedded font's own
//! advances, so paragraphs wrap and table columns fit. Arabic is shaped into
//! its joined forms (ar-reshaper) and put in visual order (the Unicode bidi
//! algorithm) before it is drawn, and paragraphs whose first strong letter is
//! right-to-left are aligned right. The monthly graph is [`chart::draw`]'s,
//! drawn on the page through the dossier's own plotters backend (`plot.rs`).

use std::sync::LazyLock;

use plotters::prelude::IntoDrawingArea;
use printpdf::{IndirectFontRef, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference};
use unicode_bidi::BidiInfo;

use super::plot::PdfBackend;
use super::{Block, Document};
use crate::chart::{self, ChartError, ChartLabels};
use crate::stats::MonthlyTable;

/// DejaVu Sans: Latin with every French accent, and Arabic with its
/// presentation forms. Its licence is beside it.
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

const PAGE: (f32, f32) = (210.0, 297.0);
const MARGIN: f32 = 18.0;
const TITLE_SIZE: f32 = 16.0;
const HEADING_SIZE: f32 = 12.5;
const TEXT_SIZE: f32 = 9.5;
/// Table text stays legible printed on A4: cells wrap rather than shrink.
const TABLE_SIZE: f32 = 9.0;
const CELL_GAP: f32 = 3.0;
/// A point is this many millimetres.
pub(super) const MM_PER_PT: f32 = 25.4 / 72.0;
/// The graph's canvas in plotters' pixels, drawn across the text's width
/// (174 mm: a pixel is about 0.22 mm, and the graph about 98 mm high). The
/// same proportions as a browser's SVG, so that both look alike.
const CHART_PIXELS: (u32, u32) = (800, 450);

/// What can go wrong while printing.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The PDF library failed.
    #[error("PDF: {0}")]
    Pdf(String),
    /// The graph could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
}

/// The font's advances, read once.
struct Metrics {
    advances: Vec<(char, f32)>,
    fallback: f32,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let face = ttf_parser::Face::parse(FONT, 0).expect("the embedded font parses");
    let per_em = f32::from(face.units_per_em());
    let advance = |c: char| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map(|a| f32::from(a) / per_em);
    let mut advances: Vec<(char, f32)> = (' '..='\u{FEFF}').filter_map(|c| Some((c, advance(c)?))).collect();
    advances.sort_by_key(|(c, _)| *c);
    Metrics { advances, fallback: advance('0').unwrap_or(0.6) }
});

/// The width of `text` at `size` points, in millimetres.
pub(super) fn width(text: &str, size: f32) -> f32 {
    let metrics = &*METRICS;
    let ems: f32 = text
        .chars()
        .map(|c| metrics.advances.binary_search_by_key(&c, |(k, _)| *k).map(|i| metrics.advances[i].1).unwrap_or(metrics.fallback))
        .sum();
    ems * size * MM_PER_PT
}

/// `text` as it must be drawn, left to right, on a line of its own: laid
/// out in the direction of its first strong letter (see [`visual_in`]).
/// Also that direction: whether it reads right to left.
pub(super) fn visual(text: &str) -> (String, bool) {
    let rtl = reads_right_to_left(text);
    (visual_in(text, rtl), rtl)
}

/// Whether `text`'s first strong letter reads right to left, as a browser
/// decides for `dir="auto"`. Text without letters (a date, a number) reads
/// left to right.
fn reads_right_to_left(text: &str) -> bool {
    unicode_bidi::get_base_direction(text) == unicode_bidi::Direction::Rtl
}

/// `text` as it must be drawn, left to right, as one line of a paragraph
/// that reads right to left if `rtl`: Arabic joined, its runs reordered by
/// the Unicode bidi algorithm and their brackets mirrored, and the bidi
/// controls (the isolates Fluent puts around Arabic messages' variables)
/// taken out once they have done their work, since the font has no glyph
/// for them. Called on each line after wrapping, with its paragraph's
/// direction, so that wrapped lines keep their order and a line of Latin
/// letters in an Arabic paragraph keeps its place (« Bobigny (93) — »
/// reads from the right).
fn visual_in(text: &str, rtl: bool) -> String {
    if !rtl && !text.chars().any(|c| is_arabic(c) || is_bidi_control(c)) {
        return text.to_string();
    }
    let shaped = ar_reshaper::reshape_line(text);
    let base = if rtl { unicode_bidi::Level::rtl() } else { unicode_bidi::Level::ltr() };
    let info = BidiInfo::new(&shaped, Some(base));
    let mut line = String::with_capacity(shaped.len());
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let part = shaped[run.clone()].chars().filter(|c| !is_bidi_control(*c));
            if levels[run.start].is_rtl() {
                line.extend(part.rev().map(mirrored));
            } else {
                line.extend(part);
            }
        }
    }
    line
}

/// Unicode's explicit directional marks, embeddings and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The glyph a bracket takes in a right-to-left run (Unicode's
/// Bidi_Mirrored pairs that French and Arabic text use).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Words of `text` in lines no wider than `room` millimetres, measured as
/// they will be drawn. A word longer than a line (a URL) is cut where it
/// must be; a SHA-256 in hex (129 mm at 9 pt) fits a text line whole.
fn wrap(text: &str, size: f32, room: f32) -> Vec<String> {
    let fits = |line: &str| width(&visual(line).0, size) <= room;
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while !fits(&rest) {
                let cut = cut_point(&rest, |part| fits(part));
                lines.push(rest[..cut].to_string());
                rest = rest[cut..].to_string();
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

/// The longest prefix of `word` that fits (at least one character).
fn cut_point(word: &str, fits: impl Fn(&str) -> bool) -> usize {
    let ends: Vec<usize> = word.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    ends.iter().rev().copied().find(|end| fits(&word[..*end])).unwrap_or(ends[0])
}

/// The lines of `text` no wider than `room` millimetres, each as drawn and
/// whether it reads right to left: every line of a paragraph (a line of
/// `text`) in that paragraph's direction, which its first strong letter sets.
fn paragraph_lines(text: &str, size: f32, room: f32) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let rtl = reads_right_to_left(paragraph);
        lines.extend(wrap(paragraph, size, room).into_iter().map(|line| (visual_in(&line, rtl), rtl)));
    }
    lines
}

/// Where the pen is: the page being written and the height left.
struct Pen {
    doc: PdfDocumentReference,
    font: IndirectFontRef,
    layer: PdfLayerReference,
    y: f32,
    pages: usize,
}

impl Pen {
    fn new(title: &str) -> Result<Pen, PdfError> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE.0), Mm(PAGE.1), "text");
        let font = doc.add_external_font(std::io::Cursor::new(FONT)).map_err(|e| PdfError::Pdf(e.to_string()))?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Pen { doc, font, layer, y: PAGE.1 - MARGIN, pages: 1 })
    }

    /// A new page unless `height` millimetres still fit on this one.
    fn keep(&mut self, height: f32) {
        if self.y - height < MARGIN {
            let (page, layer) = self.doc.add_page(Mm(PAGE.0), Mm(PAGE.1), "text");
            self.layer = self.doc.get_page(page).get_layer(layer);
            self.y = PAGE.1 - MARGIN;
            self.pages += 1;
        }
    }

    /// Room `height` millimetres high, on a new page if need be: its top.
    fn reserve(&mut self, height: f32) -> f32 {
        self.keep(height);
        let top = self.y;
        self.y -= height;
        top
    }

    /// Room for a line of `size` points: its baseline.
    fn line(&mut self, size: f32) -> f32 {
        let height = size * MM_PER_PT * 1.45;
        self.reserve(height) - height
    }

    /// One line as drawn, at the left margin, or ending at the right margin when it reads right to left.
    fn write(&mut self, shown: String, size: f32, rtl: bool) {
        let y = self.line(size);
        let x = if rtl { (PAGE.0 - MARGIN - width(&shown, size)).max(MARGIN) } else { MARGIN };
        self.layer.use_text(shown, size, Mm(x), Mm(y), &self.font);
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn paragraph(&mut self, text: &str, size: f32) {
        for (shown, rtl) in paragraph_lines(text, size, PAGE.0 - 2.0 * MARGIN) {
            self.write(shown, size, rtl);
        }
    }

    /// The monthly graph across the text's width, whole on one page.
    fn chart(&mut self, table: &MonthlyTable, labels: &ChartLabels) -> Result<(), ChartError> {
        let scale = chart_height() / CHART_PIXELS.1 as f32;
        let top = self.reserve(chart_height());
        // Its colours and line widths stay inside it: the text after it is
        // drawn with the page's defaults (black), as before it.
        self.layer.save_graphics_state();
        let drawn =
            chart::draw(&PdfBackend::new(&self.layer, &self.font, CHART_PIXELS, (MARGIN, top), scale).into_drawing_area(), table, labels);
        self.layer.restore_graphics_state();
        drawn
    }

    /// A table at [`TABLE_SIZE`]: columns as wide as their text where the
    /// page allows, else cells wrap; a header in a right-to-left language
    /// lays the columns out from the right, each cell aligned right.
    fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        let widths = column_widths(header, rows, TABLE_SIZE, PAGE.0 - 2.0 * MARGIN);
        let rtl = header.iter().any(|cell| reads_right_to_left(cell));
        for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
            let cells: Vec<Vec<String>> = widths
                .iter()
                .enumerate()
                .map(|(c, w)| {
                    paragraph_lines(row.get(c).map_or("", String::as_str), TABLE_SIZE, *w).into_iter().map(|(shown, _)| shown).collect()
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for line in 0..height {
                let y = self.line(TABLE_SIZE);
                let mut edge = if rtl { PAGE.0 - MARGIN } else { MARGIN };
                for (cell, w) in cells.iter().zip(&widths) {
                    let text = cell.get(line).cloned().unwrap_or_default();
                    let x = if rtl { edge - width(&text, TABLE_SIZE) } else { edge };
                    self.layer.use_text(text, TABLE_SIZE, Mm(x), Mm(y), &self.font);
                    edge = if rtl { edge - w - CELL_GAP } else { edge + w + CELL_GAP };
                }
            }
            self.gap(0.6);
        }
    }
}

/// Each column's width: its widest text if all fit in `room`. Else every
/// column first gets its longest word (a hash stays whole), and what room
/// is left is shared out to the columns that want more, none getting more
/// than its text needs nor less than an equal share of what is left.
fn column_widths(header: &[String], rows: &[Vec<String>], size: f32, room: f32) -> Vec<f32> {
    let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let room = room - CELL_GAP * columns.saturating_sub(1) as f32;
    let cells = |c: usize| std::iter::once(header).chain(rows.iter().map(Vec::as_slice)).filter_map(move |row| row.get(c));
    let natural: Vec<f32> = (0..columns).map(|c| cells(c).map(|cell| width(&visual(cell).0, size)).fold(1.0, f32::max)).collect();
    let longest_word = |c: usize| cells(c).flat_map(|cell| cell.split_whitespace()).map(|w| width(&visual(w).0, size)).fold(1.0, f32::max);
    let mut widths: Vec<f32> = (0..columns).map(longest_word).collect();
    if widths.iter().sum::<f32>() > room {
        // Words too long for any layout: an equal share each, cut inside.
        return vec![room / columns.max(1) as f32; columns];
    }
    let mut left = room - widths.iter().sum::<f32>();
    let mut open: Vec<usize> = (0..columns).filter(|c| natural[*c] > widths[*c]).collect();
    while !open.is_empty() && left > 0.01 {
        let share = left / open.len() as f32;
        let (filled, wanting): (Vec<usize>, Vec<usize>) = open.iter().partition(|c| natural[**c] - widths[**c] <= share);
        if filled.is_empty() {
            wanting.iter().for_each(|c| widths[*c] += share);
            break;
        }
        for c in filled {
            left -= natural[c] - widths[c];
            widths[c] = natural[c];
        }
        open = wanting;
    }
    widths
}

/// The graph's height on the page, in millimetres.
fn chart_height() -> f32 {
    (PAGE.0 - 2.0 * MARGIN) * CHART_PIXELS.1 as f32 / CHART_PIXELS.0 as f32
}

/// The height of a heading, with its gaps, in millimetres.
fn heading_height(text: &str) -> f32 {
    wrap(text, HEADING_SIZE, PAGE.0 - 2.0 * MARGIN).len() as f32 * HEADING_SIZE * MM_PER_PT * 1.45 + 4.0
}

/// The document as PDF bytes.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    render_pages(document).map(|(bytes, _)| bytes)
}

/// The PDF bytes, and how many pages they hold.
fn render_pages(document: &Document) -> Result<(Vec<u8>, usize), PdfError> {
    let mut pen = Pen::new(&document.title)?;
    pen.paragraph(&document.title, TITLE_SIZE);
    pen.gap(3.0);
    for (i, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Heading(text) => {
                // A heading stays on the page of the graph it introduces.
                if let Some(Block::Chart { .. }) = document.blocks.get(i + 1) {
                    pen.keep(heading_height(text) + chart_height());
                }
                pen.gap(3.0);
                pen.paragraph(text, HEADING_SIZE);
                pen.gap(1.0);
            }
            Block::Paragraph(text) => {
                pen.paragraph(text, TEXT_SIZE);
                pen.gap(1.5);
            }
            Block::Table { header, rows } => {
                pen.table(header, rows);
                pen.gap(2.0);
            }
            Block::Chart { table, labels } => {
                pen.chart(table, labels)?;
                pen.gap(2.0);
            }
        }
    }
    let pages = pen.pages;
    let bytes = pen.doc.save_to_bytes().map_err(|e| PdfError::Pdf(e.to_string()))?;
    Ok((with_unicode_title(&bytes, &document.title)?, pages))
}

/// The PDF with its title in the document information as UTF-16 (with its
/// byte order mark), as the PDF standard wants any text that is not plain
/// ASCII: printpdf writes the UTF-8 bytes, which readers show as
/// « Preuve des dÃ©marches ».
fn with_unicode_title(pdf: &[u8], title: &str) -> Result<Vec<u8>, PdfError> {
    use printpdf::lopdf::{Document, Object, StringFormat};
    let failed = |e: printpdf::lopdf::Error| PdfError::Pdf(e.to_string());
    let mut doc = Document::load_mem(pdf).map_err(failed)?;
    let info = doc.trailer.get(b"Info").and_then(Object::as_reference).map_err(failed)?;
    // Fluent's isolate marks order a line on the page; a reader's title bar
    // or file list shows them as stray boxes.
    let title: String = title.chars().filter(|c| !('\u{2066}'..='\u{2069}').contains(c)).collect();
    let utf16: Vec<u8> = [0xFE, 0xFF].into_iter().chain(title.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    doc.get_object_mut(info).and_then(Object::as_dict_mut).map_err(failed)?.set("Title", Object::String(utf16, StringFormat::Hexadecimal));
    let mut bytes = Vec::with_capacity(pdf.len());
    doc.save_to(&mut bytes).map_err(|e| PdfError::Pdf(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_is_joined_and_put_right_to_left() {
        let (shown, rtl) = visual("محمد");
        assert!(rtl);
        assert_eq!(shown.chars().count(), 4);
        assert!(shown.chars().all(|c| ('\u{FE70}'..='\u{FEFF}').contains(&c)), "presentation forms: {shown:?}");
        assert_eq!(visual("Préfecture 93"), ("Préfecture 93".to_string(), false));
    }

    /// Issue 14: brackets were not mirrored, and a wrapped paragraph was
    /// reordered whole, so its lines came in the wrong order.
    #[test]
    fn brackets_are_mirrored_and_wrapped_lines_keep_their_order() {
        let (shown, _) = visual("قبول (استثنائي)");
        // Drawn left to right: the closing bracket's glyph comes first.
        assert!(shown.find('(').unwrap() < shown.find(')').unwrap(), "{shown:?}");
        let words: Vec<String> = (1..=30).map(|n| format!("كلمة{n}")).collect();
        let lines = wrap(&words.join(" "), TEXT_SIZE, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines[0].contains("كلمة1 ") && lines.last().unwrap().contains("كلمة30"), "the first words on the first line: {lines:?}");
    }

    /// Issue 14, seen on the README's picture: a wrapped line without Arabic
    /// letters (the year of the title, « — Bobigny (93) #9829 » in a table)
    /// was laid out and aligned left to right inside an Arabic paragraph.
    #[test]
    fn a_wrapped_line_keeps_its_paragraphs_direction() {
        let title = "دليل المحاولات للحصول على موعد في المحافظة — السبت 5 ديسمبر 2026";
        let lines = paragraph_lines(title, TITLE_SIZE, width(&visual(title).0, TITLE_SIZE) - 5.0);
        assert_eq!(lines.last().unwrap(), &("2026".to_string(), true), "{lines:?}");
        let first = "القبول الاستثنائي للإقامة (admission exceptionnelle au séjour)";
        let lines = paragraph_lines(&format!("{first} — Bobigny (93) #9829"), TABLE_SIZE, width(&visual(first).0, TABLE_SIZE) + 1.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.last().unwrap(), &("Bobigny (93) #9829 —".to_string(), true), "the dash read first, from the right: {lines:?}");
        assert_eq!(paragraph_lines("05/12/2026 15:04", TABLE_SIZE, 60.0), vec![("05/12/2026 15:04".to_string(), false)]);
    }

    /// Fluent puts isolates around an Arabic message's variables; the font
    /// has no glyph for them, and they pushed lines away from the right margin.
    #[test]
    fn isolates_are_laid_out_then_take_no_room() {
        let (shown, rtl) = visual("ما بين \u{2068}Amina Ben Ali\u{2069} و\u{2068}2\u{2069}.");
        assert!(rtl && !shown.chars().any(is_bidi_control), "{shown:?}");
        assert_eq!(width(&shown, TEXT_SIZE), width(&visual("ما بين Amina Ben Ali و2.").0, TEXT_SIZE));
        assert!(shown.starts_with('.') && shown.contains("Amina Ben Ali"), "{shown:?}");
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_and_a_hash_fits_whole() {
        let url = format!("https://www.example.gouv.fr/{}", "a".repeat(200));
        let lines = wrap(&url, TEXT_SIZE, 80.0);
        assert!(lines.len() > 1 && lines.concat() == url, "{lines:?}");
        let hash = "f".repeat(64);
        assert_eq!(wrap(&hash, TABLE_SIZE, PAGE.0 - 2.0 * MARGIN), vec![hash.clone()]);
    }

    #[test]
    fn columns_share_the_page_and_narrow_ones_keep_their_width() {
        let header = vec!["n°".to_string(), "détails".to_string(), "quand".to_string()];
        let rows = vec![vec!["1".to_string(), "mot ".repeat(100), "01/12/2026 07:05".to_string()]];
        let widths = column_widths(&header, &rows, TABLE_SIZE, 174.0);
        assert!((widths.iter().sum::<f32>() + 2.0 * CELL_GAP - 174.0).abs() < 0.01, "{widths:?}");
        assert!(widths[0] < 10.0 && widths[2] < 40.0 && widths[1] > 100.0, "{widths:?}");
    }

    #[test]
    fn a_hash_column_keeps_its_hash_whole_beside_a_long_label() {
        let header = vec!["Page".to_string(), "Tête de la chaîne (SHA-256)".to_string()];
        let rows = vec![vec!["Admission exceptionnelle au séjour — Bobigny (93) #9829 (2 enregistrements)".to_string(), "ab".repeat(32)]];
        let widths = column_widths(&header, &rows, TABLE_SIZE, 174.0);
        assert!(widths[1] >= width(&"ab".repeat(32), TABLE_SIZE), "{widths:?}");
        assert_eq!(wrap(&"ab".repeat(32), TABLE_SIZE, widths[1]).len(), 1);
    }

    #[test]
    fn paragraphs_wrap_within_the_page() {
        let text = "démarche ".repeat(80);
        let lines = wrap(&text, TEXT_SIZE, 100.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| width(l, TEXT_SIZE) <= 100.0), "{lines:?}");
    }

    #[test]
    fn a_long_document_makes_pages() {
        let rows: Vec<Vec<String>> = (0..200).map(|n| vec![n.to_string(), "a".repeat(64)]).collect();
        let document = Document {
            title: "Dossier".into(),
            blocks: vec![Block::Heading("Tableau".into()), Block::Table { header: vec!["n°".into(), "empreinte".into()], rows }],
        };
        let (pdf, pages) = render_pages(&document).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // 201 rows of about 5.2 mm (9 pt) on 261 mm of page: five pages.
        assert_eq!(pages, 5);
    }

    #[test]
    fn a_graph_that_does_not_fit_starts_a_new_page() {
        use crate::stats::{Observation, Seen};
        let mut table = MonthlyTable::new();
        table.add_many(&Observation { at: chrono::Utc::now(), seen: Seen::NoSlot }, 3);
        let labels = ChartLabels {
            classes: ["Vert", "Jaune", "Orange", "Rouge", "Noir"].map(String::from),
            failed: "Échecs".into(),
            axis: "%".into(),
        };
        // 31 rows of about 5.2 mm: some 85 mm left under them, not the graph's 98.
        let rows: Vec<Vec<String>> = (0..30).map(|n| vec![n.to_string()]).collect();
        let mut blocks = vec![Block::Table { header: vec!["n°".into()], rows }];
        let (_, pages) = render_pages(&Document { title: "Dossier".into(), blocks: blocks.clone() }).unwrap();
        assert_eq!(pages, 1);
        blocks.push(Block::Chart { table, labels });
        let (pdf, pages) = render_pages(&Document { title: "Dossier".into(), blocks }).unwrap();
        assert_eq!(pages, 2);
        assert!(pdf.len() > 1000);
    }
}
