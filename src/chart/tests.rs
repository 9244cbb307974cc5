//! The SVG read back: its `<rect>`s are the bars (see the module's doc).

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::stats::{Observation, Seen};

/// A rectangle of the SVG.
#[derive(Debug)]
struct Rect {
    x: i32,
    y: i32,
    height: i32,
    fill: String,
}

/// Every `<rect>` of `svg`, as plotters writes them (one tag, attributes in double quotes).
fn rects(svg: &str) -> Vec<Rect> {
    svg.split("<rect")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find("/>").expect("a closed rect")];
            let attribute = |name: &str| {
                let start = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 3;
                tag[start..start + tag[start..].find('"').unwrap()].to_string()
            };
            let number = |name: &str| attribute(name).parse::<i32>().unwrap_or_else(|e| panic!("{name} in {tag}: {e}"));
            Rect { x: number("x"), y: number("y"), height: number("height"), fill: attribute("fill") }
        })
        .collect()
}

fn class_rects(svg: &str) -> Vec<Rect> {
    let fills: Vec<String> = CLASS_COLOURS.into_iter().map(svg_fill).collect();
    rects(svg).into_iter().filter(|r| fills.contains(&r.fill)).collect()
}

fn failed_rects(svg: &str) -> Vec<Rect> {
    rects(svg).into_iter().filter(|r| r.fill == svg_fill(FAILED_COLOUR)).collect()
}

fn distinct_x(rects: &[Rect]) -> Vec<i32> {
    let mut xs: Vec<i32> = rects.iter().map(|r| r.x).collect();
    xs.sort_unstable();
    xs.dedup();
    xs
}

/// Adds to `table` a month of 2025 with `counts` probes per class (in the
/// order of `Class::ALL`) and `failed` failed probes.
fn month(table: &mut MonthlyTable, year: i32, month: u32, counts: [u64; 5], failed: u64) {
    let at = Utc.with_ymd_and_hms(year, month, 10, 12, 0, 0).unwrap();
    let day = at.date_naive();
    let sees = [
        Seen::Slots { first: day + Duration::days(3), second: Some(day + Duration::days(4)) },
        Seen::Slots { first: day + Duration::days(3), second: None },
        Seen::Slots { first: day + Duration::days(45), second: None },
        Seen::Slots { first: day + Duration::days(90), second: None },
        Seen::NoSlot,
    ];
    for (seen, count) in sees.into_iter().zip(counts) {
        if count > 0 {
            table.add_many(&Observation { at, seen }, count);
        }
    }
    if failed > 0 {
        table.add_many(&Observation { at, seen: Seen::Failed }, failed);
    }
}

fn labels() -> ChartLabels {
    ChartLabels {
        classes: ["Vert", "Jaune", "Orange", "Rouge", "Noir"].map(String::from),
        failed: "Échecs (% de toutes les vérifications)".into(),
        axis: "% des vérifications qui ont répondu".into(),
    }
}

#[test]
fn the_classes_of_the_table_are_the_classes_of_the_fixture() {
    // The helper above must put each count in its class, or every test below proves nothing.
    let mut table = MonthlyTable::new();
    month(&mut table, 2025, 3, [1, 2, 3, 4, 5], 6);
    let (_, row) = table.rows().next().unwrap();
    assert_eq!((row.classes, row.failed), ([1, 2, 3, 4, 5], 6));
}

#[test]
fn one_stacked_bar_per_month_in_order() {
    let mut table = MonthlyTable::new();
    month(&mut table, 2025, 1, [3, 0, 1, 0, 6], 2);
    month(&mut table, 2025, 2, [0, 0, 0, 0, 10], 0);
    month(&mut table, 2025, 3, [1, 1, 1, 1, 1], 5);
    let svg = svg(&table, &labels(), 800, 450).unwrap();
    let bars = class_rects(&svg);
    // One rectangle per (month, class) with probes: 3 + 1 + 5.
    assert_eq!(bars.len(), 9, "{bars:?}");
    let xs = distinct_x(&bars);
    assert_eq!(xs.len(), 3, "{xs:?}");
    // Months left to right, in the table's order: January's Vert is leftmost, March's Noir rightmost.
    assert_eq!(bars.iter().find(|r| r.fill == svg_fill(CLASS_COLOURS[0])).unwrap().x, xs[0]);
    assert_eq!(bars.iter().rfind(|r| r.fill == svg_fill(CLASS_COLOURS[4])).unwrap().x, xs[2]);
    // Two failed bars, each right of its month's stacked bar, before the next month's.
    let failed = failed_rects(&svg);
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(xs[0] < failed[0].x && failed[0].x < xs[1], "{failed:?} {xs:?}");
    assert!(xs[2] < failed[1].x, "{failed:?} {xs:?}");
    // The month labels are written.
    for label in ["2025-01", "2025-02", "2025-03"] {
        assert!(svg.contains(&format!(">\n{label}\n<")) || svg.contains(label), "{label}");
    }
}

#[test]
fn stacked_heights_follow_the_shares_and_every_bar_reaches_100() {
    let mut table = MonthlyTable::new();
    month(&mut table, 2025, 1, [5, 0, 0, 0, 5], 0);
    month(&mut table, 2025, 2, [0, 1, 0, 3, 0], 0);
    month(&mut table, 2025, 3, [0, 0, 0, 0, 7], 0);
    let svg = svg(&table, &labels(), 800, 450).unwrap();
    let bars = class_rects(&svg);
    let xs = distinct_x(&bars);
    let column = |x: i32| -> Vec<&Rect> { bars.iter().filter(|r| r.x == x).collect() };
    let full = column(xs[2])[0].height;
    assert!(full > 200, "Noir alone fills the plot's height: {full}");
    for x in &xs {
        let total: i32 = column(*x).iter().map(|r| r.height).sum();
        assert!((total - full).abs() <= 2, "every bar reaches 100 %: {total} vs {full}");
    }
    // 50/50: two equal rectangles, Vert under Noir (the smaller y is higher up).
    let january = column(xs[0]);
    assert_eq!(january.len(), 2);
    assert!((january[0].height - january[1].height).abs() <= 1, "{january:?}");
    let (vert, noir) = (
        january.iter().find(|r| r.fill == svg_fill(CLASS_COLOURS[0])).unwrap(),
        january.iter().find(|r| r.fill == svg_fill(CLASS_COLOURS[4])).unwrap(),
    );
    assert!(noir.y < vert.y, "stacked bottom to top: {january:?}");
    // 25/75: Jaune a third of Rouge.
    let february = column(xs[1]);
    let jaune = february.iter().find(|r| r.fill == svg_fill(CLASS_COLOURS[1])).unwrap().height;
    let rouge = february.iter().find(|r| r.fill == svg_fill(CLASS_COLOURS[3])).unwrap().height;
    assert!((rouge - 3 * jaune).abs() <= 3, "{jaune} {rouge}");
    assert!((jaune as f64 - full as f64 / 4.0).abs() <= 1.0, "{jaune} of {full}");
}

#[test]
fn a_month_with_only_failed_probes_has_its_failed_bar_and_no_class() {
    let mut table = MonthlyTable::new();
    month(&mut table, 2025, 1, [0, 0, 0, 0, 3], 1);
    month(&mut table, 2025, 2, [0, 0, 0, 0, 0], 4);
    let svg = svg(&table, &labels(), 800, 450).unwrap();
    let bars = class_rects(&svg);
    assert_eq!(distinct_x(&bars).len(), 1, "only January has a stacked bar: {bars:?}");
    let failed = failed_rects(&svg);
    assert_eq!(failed.len(), 2, "{failed:?}");
    // February's failed probes are all its probes: as tall as a full bar;
    // January's are one in four.
    assert!((failed[1].height - bars[0].height).abs() <= 1, "{failed:?} {bars:?}");
    assert!((failed[0].height as f64 - bars[0].height as f64 / 4.0).abs() <= 1.0, "{failed:?} {bars:?}");
    assert!(failed[1].x > failed[0].x);
}

#[test]
fn an_empty_table_draws_an_empty_frame() {
    let svg = svg(&MonthlyTable::new(), &labels(), 800, 450).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    assert!(class_rects(&svg).is_empty() && failed_rects(&svg).is_empty());
    assert!(rects(&svg).iter().any(|r| r.fill == "none"), "the frame:\n{svg}");
    assert!(svg.contains("% des vérifications qui ont répondu"), "the axis");
}

#[test]
fn many_months_get_thinned_labels_but_every_bar() {
    let mut table = MonthlyTable::new();
    for k in 0..36 {
        month(&mut table, 2023 + k / 12, (k % 12 + 1) as u32, [1, 0, 0, 0, 1], 0);
    }
    let svg = svg(&table, &labels(), 800, 450).unwrap();
    assert_eq!(distinct_x(&class_rects(&svg)).len(), 36);
    let month_labels = svg.lines().filter(|l| l.len() == 7 && l.as_bytes()[4] == b'-' && l[..4].parse::<u32>().is_ok()).count();
    assert!((2..36).contains(&month_labels), "{month_labels} labels");
}

#[test]
fn arabic_labels_are_drawn_without_panic() {
    let labels = ChartLabels {
        classes: ["أخضر: موعدان < شهر", "أصفر: موعد واحد < شهر", "برتقالي: من شهر إلى شهرين", "أحمر: > شهرين", "أسود: لا موعد"]
            .map(String::from),
        failed: "فاشلة (% من كل التحققات)".into(),
        axis: "% من التحققات التي أجابت".into(),
    };
    let mut table = MonthlyTable::new();
    month(&mut table, 2025, 1, [1, 1, 1, 1, 1], 1);
    let svg = svg(&table, &labels, 640, 400).unwrap();
    assert!(svg.contains("أسود: لا موعد"), "{svg}");
    assert!(svg.contains("&lt; شهر") || svg.contains("< شهر"), "escaped or not, the sign is there");
    // The smallest area, where the legend takes a column of its own, still draws.
    let small = super::svg(&table, &labels, MIN_SIZE.0, MIN_SIZE.1).unwrap();
    assert_eq!(distinct_x(&class_rects(&small)).len(), 1);
    assert_eq!(class_colour(Class::Orange), CLASS_COLOURS[2]);
}

#[test]
fn a_too_small_area_is_an_error_not_a_panic() {
    assert!(matches!(svg(&MonthlyTable::new(), &labels(), 100, 80), Err(ChartError::TooSmall { width: 100, height: 80 })));
}
