//! A plotters backend that draws on a printpdf layer, so that the dossier's
//! graph is [`crate::chart::draw`]'s, the very drawing a browser gets as SVG,
//! in vectors rather than a picture pasted in.
//!
//! Plotters draws in pixels from the top left; the backend maps each pixel
//! to `scale` millimetres from a corner on the page (PDF's y grows upward).
//! Text uses the embedded DejaVu Sans, shaped and reordered like the rest
//! of the dossier ([`visual`]), and measured with its own advances, so that
//! plotters lays labels out by their real width.

use std::convert::Infallible;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform};
use printpdf::path::{PaintMode, WindingOrder};
use printpdf::{Color, IndirectFontRef, Line, Mm, PdfLayerReference, Point, Polygon, Rect, Rgb, TextMatrix};

use super::pdf::{visual, width, MM_PER_PT};

/// SVG shows plotters' font size divided by this (plotters-svg's
/// `font-size`); the PDF does the same so that both lay out alike.
const FONT_SCALE: f64 = 1.24;

/// Where the baseline sits below the anchor point, in ems, for each vertical
/// anchor: the offsets plotters-svg gives browsers (`dy`: 0.76em, ±0.5ex).
fn baseline(v_pos: VPos) -> f32 {
    match v_pos {
        VPos::Top => 0.76,
        VPos::Center => 0.28,
        VPos::Bottom => -0.28,
    }
}

/// A layer of a page, seen by plotters as a `size` pixels canvas whose top
/// left corner is at (`left`, `top`) millimetres from the page's bottom left.
pub(super) struct PdfBackend<'a> {
    layer: &'a PdfLayerReference,
    font: &'a IndirectFontRef,
    size: (u32, u32),
    left: f32,
    top: f32,
    /// Millimetres per pixel.
    scale: f32,
}

impl<'a> PdfBackend<'a> {
    pub(super) fn new(
        layer: &'a PdfLayerReference,
        font: &'a IndirectFontRef,
        size: (u32, u32),
        (left, top): (f32, f32),
        scale: f32,
    ) -> Self {
        PdfBackend { layer, font, size, left, top, scale }
    }

    /// A pixel position on the page, in millimetres from its bottom left.
    fn mm(&self, (x, y): (f32, f32)) -> (f32, f32) {
        (self.left + x * self.scale, self.top - y * self.scale)
    }

    fn point(&self, (x, y): BackendCoord) -> Point {
        let (x, y) = self.mm((x as f32, y as f32));
        Point::new(Mm(x), Mm(y))
    }

    /// A length in pixels, in points.
    fn pt(&self, pixels: f32) -> f32 {
        pixels * self.scale / MM_PER_PT
    }

    fn stroke<S: BackendStyle>(&self, style: &S) {
        self.layer.set_outline_color(colour(style.color()));
        self.layer.set_outline_thickness(self.pt(style.stroke_width() as f32));
    }

    fn polygon(&self, points: Vec<Point>, mode: PaintMode) {
        if points.len() > 1 {
            let ring = points.into_iter().map(|p| (p, false)).collect();
            self.layer.add_polygon(Polygon { rings: vec![ring], mode, winding_order: WindingOrder::NonZero });
        }
    }

    /// A text's font size in points and its width in pixels, as drawn.
    fn measure<S: BackendTextStyle>(&self, shown: &str, style: &S) -> (f32, f32) {
        let size = self.pt((style.size() / FONT_SCALE) as f32);
        (size, width(shown, size) / self.scale)
    }
}

/// A plotters colour as PDF's. PDF has no alpha without an extended graphics
/// state; the graph lies on white paper, so mixing with white looks the same.
fn colour(colour: BackendColor) -> Color {
    let mix = |v: u8| (255.0 - colour.alpha as f32 * (255.0 - f32::from(v))) / 255.0;
    Color::Rgb(Rgb::new(mix(colour.rgb.0), mix(colour.rgb.1), mix(colour.rgb.2), None))
}

/// A vector in the text's own frame, turned as plotters turns text (pixels, y downward).
fn turn(transform: &FontTransform, (x, y): (f32, f32)) -> (f32, f32) {
    match transform {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y, x),
        FontTransform::Rotate180 => (-x, -y),
        FontTransform::Rotate270 => (y, -x),
    }
}

impl DrawingBackend for PdfBackend<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Infallible>> {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<Infallible>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let ((left, top), (right, bottom)) =
            (self.mm((upper_left.0 as f32, upper_left.1 as f32)), self.mm((bottom_right.0 as f32, bottom_right.1 as f32)));
        let rect = Rect::new(Mm(left), Mm(bottom), Mm(right), Mm(top));
        if fill {
            self.layer.set_fill_color(colour(style.color()));
            self.layer.add_rect(rect.with_mode(PaintMode::Fill));
        } else {
            self.stroke(style);
            self.layer.add_rect(rect.with_mode(PaintMode::Stroke));
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<(Point, bool)> = path.into_iter().map(|p| (self.point(p), false)).collect();
        if points.len() > 1 {
            self.stroke(style);
            self.layer.add_line(Line { points, is_closed: false });
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        // Thirty-two sides: round enough at a chart's sizes, and no curves to get wrong.
        let points = (0..32)
            .map(|k| {
                let angle = k as f32 * std::f32::consts::TAU / 32.0;
                let (x, y) = self.mm((center.0 as f32 + radius as f32 * angle.cos(), center.1 as f32 + radius as f32 * angle.sin()));
                Point::new(Mm(x), Mm(y))
            })
            .collect();
        if fill {
            self.layer.set_fill_color(colour(style.color()));
            self.polygon(points, PaintMode::Fill);
        } else {
            self.stroke(style);
            self.polygon(points, PaintMode::Stroke);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.layer.set_fill_color(colour(style.color()));
        self.polygon(vert.into_iter().map(|p| self.point(p)).collect(), PaintMode::Fill);
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha == 0.0 || text.trim().is_empty() {
            return Ok(());
        }
        let (shown, _) = visual(text);
        let (size, text_width) = self.measure(&shown, style);
        let em = (style.size() / FONT_SCALE) as f32;
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -text_width / 2.0,
            HPos::Right => -text_width,
        };
        // The baseline's start, in pixels, then on the page; the text runs
        // along the turned x axis (plotters' y grows downward, PDF's upward).
        let transform = style.transform();
        let (ox, oy) = turn(&transform, (dx, baseline(anchor.v_pos) * em));
        let (x, y) = self.mm((pos.0 as f32 + ox, pos.1 as f32 + oy));
        let (ux, uy) = turn(&transform, (1.0, 0.0));
        self.layer.set_fill_color(colour(style.color()));
        self.layer.begin_text_section();
        self.layer.set_font(self.font, size);
        self.layer.set_text_matrix(TextMatrix::Raw([ux, -uy, uy, ux, x / MM_PER_PT, y / MM_PER_PT]));
        self.layer.write_text(shown, self.font);
        self.layer.end_text_section();
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let (_, text_width) = self.measure(&visual(text).0, style);
        Ok((text_width.ceil() as u32, (style.size() / FONT_SCALE).ceil() as u32))
    }
}
