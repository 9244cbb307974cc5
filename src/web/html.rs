//! The pages as HTML (maud escapes every value), and the raw month as CSV.
//! Links between pages are relative, so an exported copy works from any
//! folder of any host; the footer cites the page's permanent address.

use chrono::{DateTime, Utc, Weekday};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::page::Page;
use super::view::{IndexRow, TargetView};
use super::WebError;
use crate::catalog::{Catalog, Target};
use crate::chart::{self, ChartLabels};
use crate::evidence::chain::to_hex;
use crate::i18n::{Args, Lang, Localizer};
use crate::stats::{Class, MonthRow, Patterns, Report, YearMonth};
use crate::time::{format_instant, month_name, weekday_name};

/// The screen and print styles.
pub const STYLE: &str = include_str!("style.css");

/// The graph's size, in CSS pixels.
const CHART_SIZE: (u32, u32) = (760, 340);

/// What every page needs: words, the site's address, and the time it is made.
pub struct Context<'a> {
    pub localizer: &'a Localizer,
    /// The site's address, without a trailing slash.
    pub base: &'a str,
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    fn t(&self, lang: Lang, id: &str) -> String {
        self.ta(lang, id, Args::new())
    }

    /// The message `id`; on a right-to-left page with each run of Latin
    /// script in it isolated, as Fluent isolates its variables.
    fn ta(&self, lang: Lang, id: &str, args: Args) -> String {
        let text = self.localizer.text(lang, id, &args);
        if lang.is_rtl() {
            isolate_latin_runs(&text)
        } else {
            text
        }
    }

    /// The target's name; on a right-to-left page each run of Latin
    /// script in it (a French term, the town) is isolated, so that its
    /// brackets and dashes stay where they belong.
    fn target_label(&self, lang: Lang, catalog: &Catalog, id: &str) -> String {
        let label = catalog.target_label(id, |procedure| self.localizer.text(lang, &format!("procedure-{procedure}"), &Args::new()));
        if lang.is_rtl() {
            isolate_latin_runs(&label)
        } else {
            label
        }
    }

    fn departement(&self, catalog: &Catalog, code: &str) -> String {
        catalog.departement(code).map_or_else(|| code.to_string(), |d| format!("{} — {}", d.code, d.name))
    }
}

/// `text` with each run of Latin script between Unicode isolates (FSI …
/// PDI): from its first Latin letter, or the bracket or quote just before
/// it, to the last letter, digit, closing bracket or quote before the next
/// Arabic letter. A dash or a space after it stays outside, in the Arabic
/// text's direction (« Guichet — المقياس » reads Guichet, the dash, then
/// the Arabic word).
pub fn isolate_latin_runs(text: &str) -> String {
    const FSI: char = '\u{2068}';
    const PDI: char = '\u{2069}';
    let arabic =
        |c: char| matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_alphabetic() && !arabic(chars[i])
            || matches!(chars[i], '(' | '«' | '"') && chars.get(i + 1).is_some_and(|c| c.is_alphabetic() && !arabic(*c));
        if !starts {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = (i..chars.len()).find(|j| arabic(chars[*j])).unwrap_or(chars.len());
        while end > i && !(chars[end - 1].is_alphanumeric() || matches!(chars[end - 1], ')' | ']' | '»' | '"' | '\u{2069}')) {
            end -= 1;
        }
        out.push(FSI);
        out.extend(&chars[i..end]);
        out.push(PDI);
        i = end;
    }
    out
}

/// `to`'s address as seen from `from`: relative, so that an export can live
/// anywhere; from no page of ours (a 404 at any depth), from the root.
fn link(from: &Page, to: &Page) -> String {
    let depth = from.path().matches('/').count() - 1;
    let up = "../".repeat(depth);
    let target = to.path();
    let target = target.trim_start_matches('/');
    if up.is_empty() && target.is_empty() {
        "./".into()
    } else {
        format!("{up}{target}")
    }
}

/// A share in percent, one decimal, as each language writes it.
fn percent(lang: Lang, value: f64) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Fr => format!("{}\u{a0}%", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
        Lang::Ar => format!("{text}٪"),
    }
}

/// The frame of every page: languages, the content, and the citation footer.
fn layout(ctx: &Context, lang: Lang, page: &Page, title: &str, content: Markup) -> Markup {
    frame(ctx, lang, Some(page), title, content)
}

/// [`layout`] for `page`, or for an answer at a path that is no page (links from the root).
fn frame(ctx: &Context, lang: Lang, at: Option<&Page>, title: &str, content: Markup) -> Markup {
    let home = Page::Index(lang);
    let page = at.unwrap_or(&home);
    let link = |to: &Page| at.map_or_else(|| to.path(), |from| link(from, to));
    let permanent = format!("{}{}", ctx.base, page.path());
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(if lang.is_rtl() { "rtl" } else { "ltr" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(link(&Page::Style));
                link rel="canonical" href=(permanent);
                @for other in Lang::ALL {
                    @if other != lang {
                        link rel="alternate" hreflang=(other.code()) href=(format!("{}{}", ctx.base, page.in_lang(other).path()));
                    }
                }
            }
            body {
                header.site {
                    a.home href=(link(&Page::Index(lang))) { (ctx.t(lang, "web-name")) }
                    nav.langs aria-label=(ctx.t(lang, "web-languages")) {
                        @for other in Lang::ALL {
                            @if other == lang {
                                span lang=(other.code()) { (ctx.t(other, "language-name")) }
                            } @else {
                                a lang=(other.code()) hreflang=(other.code()) href=(link(&page.in_lang(other))) { (ctx.t(other, "language-name")) }
                            }
                        }
                    }
                }
                main { (content) }
                footer.cite {
                    p { (ctx.ta(lang, "web-generated", Args::new().with("time", format_instant(ctx.now)))) }
                    p { (ctx.t(lang, "web-permanent")) " " a href=(permanent) dir="ltr" { (permanent) } }
                    p.about { (ctx.t(lang, "web-about")) }
                }
            }
        }
    }
}

/// `/`: the barometer's name and introduction in each language.
pub fn home(ctx: &Context) -> Markup {
    let page = Page::Home;
    let content = html! {
        @for lang in Lang::ALL {
            section.home lang=(lang.code()) dir=(if lang.is_rtl() { "rtl" } else { "ltr" }) {
                h2 { a href=(link(&page, &Page::Index(lang))) { (ctx.t(lang, "web-title")) } }
                p { (ctx.t(lang, "web-intro")) }
            }
        }
    };
    layout(ctx, Lang::Fr, &page, &ctx.t(Lang::Fr, "web-title"), content)
}

/// `/fr/`: every probed page with this month's share of probes without a date.
pub fn index(ctx: &Context, lang: Lang, catalog: &Catalog, rows: &[IndexRow]) -> Markup {
    let page = Page::Index(lang);
    let month = YearMonth::of(ctx.now);
    let t = |id: &str| ctx.t(lang, id);
    let content = html! {
        h1 { (t("web-title")) }
        p { (t("web-intro")) }
        h2 { (ctx.ta(lang, "web-index-month", Args::new().with("month", month_name(month, lang)))) }
        @if rows.is_empty() {
            p { (t("web-index-empty")) }
        } @else {
            div.scroll { table.index {
                thead { tr {
                    th { (t("web-col-departement")) }
                    th { (t("web-col-page")) }
                    th.num { (t("web-col-no-date")) }
                    th.num { (t("web-col-answered")) }
                    th.num { (t("web-col-failed")) }
                } }
                tbody {
                    @for row in rows {
                        tr data-target=(row.target.id) {
                            td { (ctx.departement(catalog, &row.target.departement)) }
                            td { a href=(link(&page, &Page::Target(lang, row.target.id.clone()))) { (ctx.target_label(lang, catalog, &row.target.id)) } }
                            td.num data-no-date=[row.no_date().map(|v| format!("{v:.1}"))] {
                                (row.no_date().map_or_else(|| t("web-not-probed-this-month"), |v| percent(lang, v)))
                            }
                            td.num data-answered=(row.month.total) { (row.month.total) }
                            td.num data-failed=(row.month.failed) { (row.month.failed) }
                        }
                    }
                }
            } }
        }
        (classes_legend(ctx, lang))
    };
    layout(ctx, lang, &page, &t("web-title"), content)
}

/// What the five classes mean, and that failures are apart.
fn classes_legend(ctx: &Context, lang: Lang) -> Markup {
    html! {
        h2 { (ctx.t(lang, "web-method")) }
        ul.classes {
            @for class in Class::ALL {
                li { span class=(format!("swatch {}", class.key())) {} (ctx.t(lang, &format!("dossier-class-{}", class.key()))) }
            }
            li { span class="swatch failed" {} (ctx.t(lang, "web-failed-explained")) }
        }
        p { (ctx.t(lang, "web-method-month")) }
    }
}

/// `/fr/<target>/`: the graph, the monthly table, the patterns and the chain head.
pub fn target(ctx: &Context, lang: Lang, catalog: &Catalog, view: &TargetView) -> Result<Markup, WebError> {
    let page = Page::Target(lang, view.target.id.clone());
    let label = ctx.target_label(lang, catalog, &view.target.id);
    let labels = ChartLabels::in_lang(ctx.localizer, lang);
    let svg = chart::svg_bars(&view.report.table, &labels, CHART_SIZE.0, CHART_SIZE.1)?;
    let content = html! {
        h1 { (label) }
        (target_facts(ctx, lang, catalog, view))
        h2 { (ctx.t(lang, "web-graph")) }
        figure.chart {
            div.svg role="img" aria-label=(ctx.t(lang, "web-graph")) dir="ltr" { (PreEscaped(svg)) }
            // The legend as text, at the page's size: drawn in the graph it
            // would shrink with it, unreadable on a phone.
            ul.legend {
                @for (name, colour) in chart::legend(&labels) {
                    li { span.swatch style=(format!("background: {}", chart::svg_fill(colour))) {} (name) }
                }
            }
            figcaption { (ctx.t(lang, "web-graph-caption")) }
        }
        h2 { (ctx.t(lang, "web-table")) }
        (months_table(ctx, lang, &page, &view.target.id, &view.report))
        h2 { (ctx.t(lang, "web-releases")) }
        (patterns(ctx, lang, &view.report.patterns))
        h2 { (ctx.t(lang, "web-chain")) }
        (chain(ctx, lang, view))
        (classes_legend(ctx, lang))
    };
    Ok(layout(ctx, lang, &page, &label, content))
}

fn target_facts(ctx: &Context, lang: Lang, catalog: &Catalog, view: &TargetView) -> Markup {
    let t = |id: &str| ctx.t(lang, id);
    let Target { departement, url, system, .. } = &view.target;
    html! {
        dl.facts {
            dt { (t("web-col-departement")) } dd { (ctx.departement(catalog, departement)) }
            dt { (t("web-source")) } dd { a href=(url) dir="ltr" rel="nofollow noreferrer" { (url) } " (" (system.as_str()) ")" }
            dt { (t("web-last-answered")) }
            dd data-last-answered=[view.last_answered.as_ref().map(|p| p.started_at.to_rfc3339())] {
                @match &view.last_answered {
                    Some(probe) => {
                        (format_instant(probe.started_at)) " — "
                        (ctx.t(lang, &format!("dossier-outcome-{}", probe.outcome.kind().replace('_', "-"))))
                        @if let Some(first) = probe.outcome.first_date() { " (" (first.format("%d/%m/%Y")) ")" }
                    }
                    None => (t("web-last-answered-none")),
                }
            }
            dt { (t("web-generated-short")) } dd { (format_instant(ctx.now)) }
        }
    }
}

fn months_table(ctx: &Context, lang: Lang, page: &Page, id: &str, report: &Report) -> Markup {
    let t = |id: &str| ctx.t(lang, id);
    html! {
        div.scroll { table.months {
            thead { tr {
                th { (t("dossier-col-month")) }
                th.num { (t("dossier-col-successful")) }
                @for class in Class::ALL { th.num { (t(&format!("dossier-class-{}", class.key()))) } }
                th.num { (t("web-col-failed")) }
                th { (t("web-col-raw")) }
            } }
            tbody {
                @for (month, row) in report.table.rows() {
                    tr data-month=(month.to_string()) {
                        td { (month_name(month, lang)) }
                        td.num data-answered=(row.total) { (row.total) }
                        @for class in Class::ALL { (class_cell(lang, class, row)) }
                        td.num data-failed=(row.failed) { (row.failed) }
                        td {
                            a href=(link(page, &Page::Month(lang, id.to_string(), month))) { (t("web-raw-link")) }
                            " · "
                            a href=(link(page, &Page::MonthCsv(lang, id.to_string(), month))) { (t("web-csv-link")) }
                        }
                    }
                }
            }
        } }
    }
}

fn class_cell(lang: Lang, class: Class, row: &MonthRow) -> Markup {
    html! {
        td.num data-class=(class.key()) data-count=(row.count(class)) data-percent=(format!("{:.1}", row.percent(class))) {
            (row.count(class)) br; small { (percent(lang, row.percent(class))) }
        }
    }
}

/// When slots appear (weekday × hour), how long they last, how many days have any.
fn patterns(ctx: &Context, lang: Lang, patterns: &Patterns) -> Markup {
    let releases = patterns.releases();
    let peak = patterns.by_weekday_hour.iter().flatten().copied().max().unwrap_or(0).max(1);
    let days = Args::new()
        .with("with", patterns.days_with_slot)
        .with("probed", patterns.days_probed)
        .with("percent", percent(lang, patterns.percent_days_with_slot()));
    html! {
        p { (ctx.ta(lang, "web-releases-intro", Args::new().with("count", releases))) }
        @if releases > 0 {
            div.scroll dir="ltr" { table.grid data-releases=(releases) {
                thead { tr {
                    th {}
                    @for hour in 0..24 { th { (format!("{hour:02}")) } }
                } }
                tbody {
                    @for (day, hours) in patterns.by_weekday_hour.iter().enumerate() {
                        tr {
                            th { (weekday_name(Weekday::try_from(day as u8).unwrap_or(Weekday::Mon), lang)) }
                            @for count in hours {
                                td data-count=(count) style=(format!("--heat:{:.2}", *count as f64 / peak as f64)) { @if *count > 0 { (count) } }
                            }
                        }
                    }
                }
            } }
        }
        p { (lasted(ctx, lang, patterns)) }
        p data-days-with-slot=(patterns.days_with_slot) data-days-probed=(patterns.days_probed) { (ctx.ta(lang, "web-days", days)) }
    }
}

fn lasted(ctx: &Context, lang: Lang, patterns: &Patterns) -> String {
    match patterns.durations {
        Some(d) => ctx.ta(
            lang,
            "web-lasted",
            Args::new()
                .with("median", duration(ctx, lang, d.median))
                .with("p90", duration(ctx, lang, d.p90))
                .with("count", d.count as u64)
                .with("open", patterns.still_open),
        ),
        None => ctx.ta(lang, "web-lasted-none", Args::new().with("open", patterns.still_open)),
    }
}

/// "35 min", "1 h 05 min", "2 j 3 h", in the reader's language.
fn duration(ctx: &Context, lang: Lang, length: std::time::Duration) -> String {
    let (days, hours, minutes) = crate::stats::days_hours_minutes(length);
    let args = Args::new().with("days", days).with("hours", hours).with("minutes", format!("{minutes:02}"));
    let id = match (days, hours) {
        (0, 0) => return ctx.ta(lang, "web-minutes", Args::new().with("minutes", minutes)),
        (0, _) => "web-hours",
        _ => "web-days-hours",
    };
    ctx.ta(lang, id, args)
}

fn chain(ctx: &Context, lang: Lang, view: &TargetView) -> Markup {
    let id = &view.target.id;
    html! {
        @match &view.chain {
            Some((records, hash)) => {
                p { (ctx.ta(lang, "web-chain-head", Args::new().with("count", *records).with("time", format_instant(ctx.now)))) }
                p.hash dir="ltr" data-chain-records=(records) { code { (to_hex(hash)) } }
                p { (ctx.t(lang, "web-chain-how")) }
                pre dir="ltr" { code { "guichet verify --target " (id) } }
            }
            None => p { (ctx.t(lang, "web-chain-none")) },
        }
    }
}

/// `/fr/<target>/<YYYY-MM>/`: every probe of the month.
pub fn month(ctx: &Context, lang: Lang, catalog: &Catalog, month: YearMonth, (target, report): &(Target, Report)) -> Markup {
    let page = Page::Month(lang, target.id.clone(), month);
    let label = ctx.target_label(lang, catalog, &target.id);
    let t = |id: &str| ctx.t(lang, id);
    let title = ctx.ta(lang, "web-raw-title", Args::new().with("month", month_name(month, lang)).with("page", label.clone()));
    let row = report.table.month(month);
    let content = html! {
        h1 { (title) }
        p { a href=(link(&page, &Page::Target(lang, target.id.clone()))) { (t("web-back")) } " · " a href=(link(&page, &Page::MonthCsv(lang, target.id.clone(), month))) { (t("web-csv-link")) } }
        p { (t("web-raw-intro")) }
        p.facts { (t("web-source")) " " a href=(target.url) dir="ltr" rel="nofollow noreferrer" { (target.url) } }
        div.scroll { table.months { tbody { tr data-month=(month.to_string()) {
            td.num data-answered=(row.total) { (t("dossier-col-successful")) ": " (row.total) }
            @for class in Class::ALL { (class_cell(lang, class, &row)) }
            td.num data-failed=(row.failed) { (t("web-col-failed")) ": " (row.failed) }
        } } } }
        div.scroll { table.raw data-probes=(report.raw.len()) {
            thead { tr { @for id in RAW_COLUMNS { th { (t(id)) } } } }
            tbody {
                @for raw in &report.raw {
                    tr data-outcome=(raw.outcome) {
                        @for cell in raw.cells() { td dir="ltr" { (cell) } }
                        td { (outcome(ctx, lang, raw.outcome)) }
                    }
                }
            }
        } }
    };
    layout(ctx, lang, &page, &title, content)
}

/// The raw table's columns.
const RAW_COLUMNS: [&str; 5] =
    ["dossier-col-date", "dossier-col-probe-time", "dossier-col-first", "dossier-col-second", "dossier-col-outcome"];

fn outcome(ctx: &Context, lang: Lang, kind: &str) -> String {
    ctx.t(lang, &format!("dossier-outcome-{}", kind.replace('_', "-")))
}

/// `/fr/<target>/<YYYY-MM>.csv`: the raw table, its header in `lang`.
pub fn month_csv(ctx: &Context, lang: Lang, (_, report): &(Target, Report)) -> Result<Vec<u8>, WebError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(RAW_COLUMNS.map(|id| ctx.t(lang, id)))?;
    for raw in &report.raw {
        let [date, time, first, second] = raw.cells();
        writer.write_record([date, time, first, second, outcome(ctx, lang, raw.outcome)])?;
    }
    writer.into_inner().map_err(|e| WebError::Csv(e.into_error().into()))
}

/// The page for a path that is none of ours.
pub fn not_found(ctx: &Context, lang: Lang) -> Markup {
    message_page(ctx, lang, "web-not-found-title", "web-not-found")
}

/// The page for a page that could not be made (the store failed).
pub fn failed(ctx: &Context, lang: Lang) -> Markup {
    message_page(ctx, lang, "web-failed-title", "web-failed")
}

/// The page for a client over its limit.
pub fn too_many(ctx: &Context) -> Markup {
    message_page(ctx, Lang::Fr, "web-too-many-title", "web-too-many")
}

/// A short page that says one thing, with a link to the index. It cites the
/// index: the path asked for is no page of ours.
fn message_page(ctx: &Context, lang: Lang, title: &str, text: &str) -> Markup {
    let title = ctx.t(lang, title);
    let content = html! {
        h1 { (title) }
        p { (ctx.t(lang, text)) }
        p { a href=(Page::Index(lang).path()) { (ctx.t(lang, "web-title")) } }
    };
    frame(ctx, lang, None, &title, content)
}

#[cfg(test)]
mod tests {
    use super::isolate_latin_runs;

    /// Issue 14: on the Arabic pages « (admission exceptionnelle au séjour)
    /// — Bobigny (93) » came out jumbled.
    #[test]
    fn latin_runs_in_arabic_are_isolated_whole() {
        let label = "القبول الاستثنائي للإقامة (admission exceptionnelle au séjour) — Bobigny (93) #9829";
        assert_eq!(
            isolate_latin_runs(label),
            "القبول الاستثنائي للإقامة \u{2068}(admission exceptionnelle au séjour) — Bobigny (93) #9829\u{2069}"
        );
        assert_eq!(isolate_latin_runs("Bobigny (93) — تسليم"), "\u{2068}Bobigny (93)\u{2069} — تسليم");
        assert_eq!(isolate_latin_runs("Guichet — المقياس"), "\u{2068}Guichet\u{2069} — المقياس", "the dash between, not inside");
        assert_eq!(isolate_latin_runs("روبوت «À guichets fermés» التابع"), "روبوت \u{2068}«À guichets fermés»\u{2069} التابع");
        assert_eq!(isolate_latin_runs("تسليم بطاقة الإقامة"), "تسليم بطاقة الإقامة");
        assert_eq!(isolate_latin_runs("(93)"), "(93)", "digits alone have no direction to protect");
    }
}
