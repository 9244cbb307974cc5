//! The monthly graph of La Cimade's robot (seed 003: "le graphique
//! statistique"): one stacked bar per month, its five classes as shares of
//! that month's *successful* probes, and beside it a narrower grey bar, the
//! share of *failed* probes among all that month's probes. Failed probes are
//! never stacked with the classes: a probe that could not read the calendar
//! says nothing about it (see [`crate::stats`]).
//!
//! [`draw`] draws it on any plotters backend, so the very same drawing goes
//! into an SVG ([`svg`], for a browser) and into the PDF dossier (the
//! dossier's own backend). The words come from the caller ([`ChartLabels`]);
//! this module writes only numbers and `YYYY-MM` months.
//!
//! # Finding the bars
//!
//! Every bar is a filled rectangle (`<rect>` in SVG, `re` in PDF) in one of
//! [`CLASS_COLOURS`] or in [`FAILED_COLOUR`], and nothing else is: the
//! legend's swatches are drawn as polygons (`<polygon>`), the frame and grid
//! as outlines and lines. So the `<rect>`s whose `fill` is a class colour
//! ([`svg_fill`]) are the stacked bars, one `x` per month with successful
//! probes; those filled with [`FAILED_COLOUR`] are the failed bars. A class
//! with no probe in a month draws no rectangle there (not an empty one).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::i18n::{Args, Lang, Localizer};
use crate::stats::{Class, MonthlyTable};

/// The classes' colours, in the order of [`Class::ALL`]: green, yellow,
/// orange, red, and a dark grey for Noir (not pure black, which the text and
/// the axes use).
pub const CLASS_COLOURS: [RGBColor; 5] =
    [RGBColor(46, 160, 67), RGBColor(242, 201, 40), RGBColor(245, 130, 32), RGBColor(214, 39, 40), RGBColor(45, 45, 45)];

/// The failed probes' bar: a mid grey, far enough from Noir's dark grey to tell apart.
pub const FAILED_COLOUR: RGBColor = RGBColor(160, 160, 160);

/// The smallest area the graph is drawn in, in pixels: below it the axes'
/// label areas would not fit.
pub const MIN_SIZE: (u32, u32) = (240, 180);

/// Font size of every text, in plotters' pixels (an SVG shows it as
/// `font-size` 16 / 1.24, about 13).
const FONT_SIZE: f64 = 16.0;
const FONT: &str = "sans-serif";
/// Where a month's bars sit around its tick, in months: the stacked bar on
/// the left, the narrower failed bar on its right, a gap to the next month.
const STACK: (f64, f64) = (-0.36, 0.12);
const FAILED: (f64, f64) = (0.16, 0.36);
/// The x axis has room for at least this many months, the few there are
/// centred: one month alone is a bar, not a wall.
const SLOTS: usize = 6;
/// Room under the x axis and left of the y axis, in pixels.
const X_LABEL_AREA: u32 = 34;
const Y_LABEL_AREA: u32 = 58;
const MARGIN: u32 = 12;
/// The legend's swatch, its gap to the text, and its rows' height, in pixels.
const SWATCH: i32 = 12;
const SWATCH_GAP: i32 = 6;
const LEGEND_ROW: u32 = 22;

/// The words of the graph, in the reader's language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartLabels {
    /// Each class's name in the legend, in the order of [`Class::ALL`].
    pub classes: [String; 5],
    /// The failed bar's name in the legend.
    pub failed: String,
    /// The y axis, such as "% of answered probes".
    pub axis: String,
}

impl ChartLabels {
    /// The labels in `lang`, as the dossier and the public pages show them.
    pub fn in_lang(localizer: &Localizer, lang: Lang) -> ChartLabels {
        let t = |id: &str| localizer.text(lang, id, &Args::new());
        ChartLabels {
            classes: Class::ALL.map(|class| t(&format!("dossier-class-{}", class.key()))),
            failed: t("dossier-chart-failed"),
            axis: t("dossier-chart-axis"),
        }
    }
}

/// What can go wrong while drawing.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The area is smaller than [`MIN_SIZE`].
    #[error("a graph needs at least {}×{} pixels, not {width}×{height}", MIN_SIZE.0, MIN_SIZE.1)]
    TooSmall {
        /// The area's width.
        width: u32,
        /// The area's height.
        height: u32,
    },
    /// The backend failed (plotters' error, as text: its type depends on the backend).
    #[error("drawing the graph: {0}")]
    Drawing(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> ChartError {
        ChartError::Drawing(error.to_string())
    }
}

/// A colour as plotters' SVG backend writes it in `fill`: `#RRGGBB`, upper case.
pub fn svg_fill(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// The colour of a class.
pub fn class_colour(class: Class) -> RGBColor {
    CLASS_COLOURS[class as usize]
}

/// Draws the graph of `table` on `area`: the bars, the axes (0 to 100 %, a
/// month per bar, labels thinned to fit) and, under them, the legend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, table: &MonthlyTable, labels: &ChartLabels) -> Result<(), ChartError> {
    let (width, height) = area.dim_in_pixel();
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
        return Err(ChartError::TooSmall { width, height });
    }
    area.fill(&WHITE)?;
    let text = (FONT, FONT_SIZE).into_font().color(&BLACK);
    let entries = legend(labels);
    // As many legend columns as the longest name lets fit, measured by the
    // backend itself (the PDF's with the embedded font's advances).
    let widest = entries.iter().map(|(name, _)| area.estimate_text_size(name, &text).map_or(0, |(w, _)| w)).max().unwrap_or(0);
    let entry_width = widest + (SWATCH + SWATCH_GAP) as u32 + 16;
    let columns = ((width - 2 * MARGIN) / entry_width.max(1)).clamp(1, entries.len() as u32) as usize;
    let rows = entries.len().div_ceil(columns) as u32;
    let legend_height = (rows * LEGEND_ROW + MARGIN).min(height / 3);
    let (plot, legend) = area.split_vertically(height - legend_height);
    bars(&plot, table, labels, &text)?;
    legend_entries(&legend, &entries, columns, &text)
}

/// The legend's entries: each class's name and colour, then the failed bar's.
pub fn legend(labels: &ChartLabels) -> Vec<(&str, RGBColor)> {
    labels.classes.iter().map(String::as_str).zip(CLASS_COLOURS).chain([(labels.failed.as_str(), FAILED_COLOUR)]).collect()
}

/// The axes, the frame and the bars.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &MonthlyTable,
    labels: &ChartLabels,
    text: &TextStyle,
) -> Result<(), ChartError> {
    let months: Vec<String> = table.rows().map(|(month, _)| month.to_string()).collect();
    let n = months.len();
    // One label every `step` months, so that they do not overlap: the step
    // is the smallest that leaves each label its width and a gap.
    let plot_width = area.dim_in_pixel().0.saturating_sub(Y_LABEL_AREA + 2 * MARGIN).max(1) as usize;
    let label_width = area.estimate_text_size("0000-00", text).map_or(60, |(w, _)| w as usize) + 12;
    let step = (1..=n.max(1)).find(|step| n.div_ceil(*step) * label_width <= plot_width).unwrap_or(n.max(1));
    let ticks: Vec<f64> = (0..n).step_by(step).map(|i| i as f64).collect();
    let pad = SLOTS.saturating_sub(n) as f64 / 2.0;
    let x_range = (-0.5 - pad)..(n as f64 - 0.5 + pad);
    let mut chart =
        ChartBuilder::on(area).margin(MARGIN).x_label_area_size(X_LABEL_AREA).y_label_area_size(Y_LABEL_AREA).build_cartesian_2d(
            Axis { range: x_range.clone(), ticks },
            Axis { range: 0.0..100.0, ticks: vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0] },
        )?;
    let month_label = |x: &f64| months.get(x.round().max(0.0) as usize).cloned().unwrap_or_default();
    let percent = |y: &f64| format!("{y:.0}");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(BLACK.mix(0.15))
        .label_style(text.clone())
        .axis_desc_style(text.clone())
        .x_label_formatter(&month_label)
        .y_label_formatter(&percent)
        .y_desc(labels.axis.as_str())
        .draw()?;
    let plotting = chart.plotting_area();
    for (i, (_, row)) in table.rows().enumerate() {
        let x = i as f64;
        // Bottom to top, Vert first; a class without probes draws nothing.
        // Each edge is a running count over the total, so the last reaches
        // 100 exactly (summing rounded shares might stop at 99.99…).
        let mut below = 0;
        for (class, colour) in Class::ALL.into_iter().zip(CLASS_COLOURS) {
            let count = row.count(class);
            if count == 0 {
                continue;
            }
            let edge = |n: u64| n as f64 * 100.0 / row.total as f64;
            plotting.draw(&Rectangle::new([(x + STACK.0, edge(below)), (x + STACK.1, edge(below + count))], colour.filled()))?;
            below += count;
        }
        if row.failed > 0 {
            let share = row.failed as f64 * 100.0 / (row.total + row.failed) as f64;
            plotting.draw(&Rectangle::new([(x + FAILED.0, 0.0), (x + FAILED.1, share)], FAILED_COLOUR.filled()))?;
        }
    }
    plotting.draw(&Rectangle::new([(x_range.start, 0.0), (x_range.end, 100.0)], BLACK.stroke_width(1)))?;
    Ok(())
}

/// A linear axis with the ticks we choose, and no light lines. (Plotters'
/// own `with_key_points` would do, but on an `f64` axis it loses the label
/// formatter that writes months.)
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.range.clone()).map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// The legend, in `columns` columns: a square swatch, then the name; from
/// the right, swatch on the right, when the names read right to left.
fn legend_entries<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, RGBColor)],
    columns: usize,
    text: &TextStyle,
) -> Result<(), ChartError> {
    let width = area.dim_in_pixel().0 as i32;
    let column_width = (width - 2 * MARGIN as i32) / columns as i32;
    let rtl = entries.first().is_some_and(|(name, _)| right_to_left(name));
    let style = text.pos(Pos::new(if rtl { HPos::Right } else { HPos::Left }, VPos::Center));
    for (k, (name, colour)) in entries.iter().enumerate() {
        let offset = MARGIN as i32 + (k % columns) as i32 * column_width;
        let (swatch, label) =
            if rtl { (width - offset - SWATCH, width - offset - SWATCH - SWATCH_GAP) } else { (offset, offset + SWATCH + SWATCH_GAP) };
        let y = (k / columns) as i32 * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
        // A polygon, not a rectangle: only the bars are rectangles, so that
        // counting them (in a test, in a browser) does not count the legend.
        let (x, half) = (swatch, SWATCH / 2);
        let square = vec![(x, y - half), (x + SWATCH, y - half), (x + SWATCH, y + half), (x, y + half)];
        area.draw(&Polygon::new(square, colour.filled()))?;
        area.draw(&Text::new(name.to_string(), (label, y), style.clone()))?;
    }
    Ok(())
}

/// Whether the first letter of `text` is of a right-to-left script (Arabic, Hebrew…).
fn right_to_left(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
}

/// The graph as an SVG document of `width` × `height` pixels.
pub fn svg(table: &MonthlyTable, labels: &ChartLabels, width: u32, height: u32) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root, table, labels)?;
        root.present()?;
    }
    Ok(out)
}

/// The graph as SVG without its legend, for a page that writes the legend
/// as text of its own ([`legend`]): scaled down to a phone's width, the
/// drawn legend's words would be too small to read.
pub fn svg_bars(table: &MonthlyTable, labels: &ChartLabels, width: u32, height: u32) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
            return Err(ChartError::TooSmall { width, height });
        }
        root.fill(&WHITE)?;
        bars(&root, table, labels, &(FONT, FONT_SIZE).into_font().color(&BLACK))?;
        root.present()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
