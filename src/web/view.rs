//! What each page shows, read from the store: aggregates of the robot's
//! probes only.

use crate::catalog::{Catalog, Target};
use crate::evidence::chain::Hash;
use crate::stats::{all_time, monthly_table, Class, MonthRow, Report, YearMonth};
use crate::store::{ProbeLog, StoreError, StoredProbe};

/// A line of the index: a probed target and its month.
#[derive(Clone, Debug)]
pub struct IndexRow {
    /// The target.
    pub target: Target,
    /// Its probes in the index's month.
    pub month: MonthRow,
}

impl IndexRow {
    /// The share of its successful probes that found no date, if any succeeded.
    pub fn no_date(&self) -> Option<f64> {
        (self.month.total > 0).then(|| self.month.percent(Class::Noir))
    }
}

/// Every probed target with its `month`: those whose probes succeeded that
/// month by their share of no date, the worst first (then the most probed,
/// then by id); then those without, by id.
pub async fn index(store: &dyn ProbeLog, catalog: &Catalog, month: YearMonth) -> Result<Vec<IndexRow>, StoreError> {
    let mut rows = Vec::new();
    for target in catalog.targets() {
        let (from, until) = all_time();
        if store.probe_span(&target.id, from, until).await?.is_none() {
            continue;
        }
        let table = monthly_table(store, &target.id, month.start(), month.end()).await?;
        rows.push(IndexRow { target: target.clone(), month: table.month(month) });
    }
    rows.sort_by(|a, b| {
        let worst = |row: &IndexRow| row.no_date().map(|share| -share);
        match (worst(a), worst(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y).then(b.month.total.cmp(&a.month.total)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.target.id.cmp(&b.target.id))
    });
    Ok(rows)
}

/// Everything a target's page shows.
#[derive(Clone, Debug)]
pub struct TargetView {
    /// The target.
    pub target: Target,
    /// Its statistics over every month (without a raw table).
    pub report: Report,
    /// Its newest probe that read the calendar.
    pub last_answered: Option<StoredProbe>,
    /// Its probe log's head: records and hash.
    pub chain: Option<(i64, Hash)>,
}

/// The page of target `id`, if the catalog knows it and the robot ever probed it.
pub async fn target(store: &dyn ProbeLog, catalog: &Catalog, id: &str) -> Result<Option<TargetView>, StoreError> {
    let Some(target) = catalog.target(id) else { return Ok(None) };
    // The target page shows no raw table: the probes are read once.
    let report = Report::summary(store, id, None).await?;
    if report.table.rows().next().is_none() {
        return Ok(None);
    }
    let last_answered = store.last_answered_probe(id).await?;
    let chain = store.chain_head(id).await?;
    Ok(Some(TargetView { target: target.clone(), report, last_answered, chain }))
}

/// The raw month of target `id`, if the catalog knows it and it was probed that month.
pub async fn month(store: &dyn ProbeLog, catalog: &Catalog, id: &str, month: YearMonth) -> Result<Option<(Target, Report)>, StoreError> {
    let Some(target) = catalog.target(id) else { return Ok(None) };
    let report = Report::gather(store, id, Some(month)).await?;
    let probed = report.table.rows().next().is_some();
    Ok(probed.then(|| (target.clone(), report)))
}

/// The months in which target `id` was probed.
pub async fn months(store: &dyn ProbeLog, id: &str) -> Result<Vec<YearMonth>, StoreError> {
    let (from, until) = all_time();
    Ok(monthly_table(store, id, from, until).await?.rows().map(|(month, _)| month).collect())
}
