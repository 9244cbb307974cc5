//! `/dossier`: the person's proof, as a PDF and a CSV sent in a private
//! chat: the pages they watch, their deadlines (from their sealed profile),
//! their own tries with times and hashes (an ANEF case's among them), how
//! that compares with what courts ask, the robot's probes of their pages as
//! context, and how to check the chain. Made on demand, never kept.

use chrono::Utc;

use super::{Conversation, ConversationError, State, Turn};
use crate::chart::ChartLabels;
use crate::chat::{Attachment, AttachmentKind, Reply};
use crate::deadlines::{profile_date, silence_ends, RenewalWindow};
use crate::dossier::{pdf, Block, Document};
use crate::evidence::chain::to_hex;
use crate::i18n::{Args, Lang};
use crate::journal::{EntryBody, StoredEntry, GENESIS};
use crate::outcome::Outcome;
use crate::profile::{Field, Profile};
use crate::stats::{monthly_table, Class, Report};
use crate::store::{StoredAttempt, SubscriptionStatus};
use crate::time::{format_date, format_day, format_instant};

impl Conversation {
    /// `/dossier`, in a private chat only.
    pub(super) async fn dossier_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let document = self.dossier(turn).await?;
        let day = self.settings.clock.today().format("%Y-%m-%d");
        let mut reply = Reply::text(self.text(turn.lang, "dossier-sent", Args::new()));
        match pdf::render(&document) {
            Ok(bytes) => reply.attachments.push(Attachment {
                kind: AttachmentKind::Document,
                name: format!("guichet-dossier-{day}.pdf"),
                mime: "application/pdf".into(),
                bytes,
            }),
            Err(error) => tracing::error!(%error, "could not print a dossier"),
        }
        match document.to_csv() {
            Ok(bytes) => reply.attachments.push(Attachment {
                kind: AttachmentKind::Document,
                name: format!("guichet-dossier-{day}.csv"),
                mime: "text/csv".into(),
                bytes,
            }),
            Err(error) => tracing::error!(%error, "could not write a dossier's tables"),
        }
        if reply.attachments.is_empty() {
            reply.text = self.text(turn.lang, "dossier-failed", Args::new());
        }
        turn.replies.push(reply);
        Ok(())
    }

    async fn dossier(&self, turn: &Turn) -> Result<Document, ConversationError> {
        let lang = turn.lang;
        let address = &turn.record.address;
        let subscriptions = self.store.subscriptions(address).await?;
        let journal = self.store.journal(address).await?;
        let checks = self.store.attempts(address, 10_000).await?;
        let removed = removed_ids(&journal);
        let t = |id: &str, args: Args| self.text(lang, id, args);
        let profile = self.open_profile(address).await?.unwrap_or_default();
        let mut blocks = Vec::new();
        // The name only as the person gave it, in this private chat.
        if let Some(name) = person_name(&profile) {
            blocks.push(Block::Paragraph(t("dossier-for", Args::new().with("name", name))));
        }
        blocks.extend([
            Block::Paragraph(t("dossier-intro", Args::new().with("time", format_instant(self.now())))),
            Block::Heading(t("dossier-pages", Args::new())),
            self.pages_table(lang, &subscriptions),
        ]);
        blocks.extend(self.deadlines_blocks(lang, &profile));
        blocks.push(Block::Heading(t("dossier-tries", Args::new())));
        match self.tries_table(lang, &journal, &removed, &checks) {
            Some(table) => {
                blocks.push(table);
                blocks.extend(self.full_hashes(lang, &journal));
            }
            None => blocks.push(Block::Paragraph(t("dossier-no-tries", Args::new()))),
        }
        let tries = super::tried::Tries::of(&journal, &checks);
        // A court document: without tries there is nothing to weigh, and
        // "0 weeks of tries, 0 hours" says nothing.
        if !tries.list.is_empty() {
            blocks.push(Block::Heading(t("dossier-readiness", Args::new())));
            blocks.push(Block::Paragraph(self.readiness_text(turn, &tries).await?));
        }
        blocks.push(Block::Heading(t("dossier-robot", Args::new())));
        blocks.push(Block::Paragraph(t("dossier-robot-intro", Args::new())));
        blocks.push(self.robot_table(lang, &subscriptions).await?);
        for subscription in &subscriptions {
            blocks.extend(self.cimade_blocks(lang, &subscription.target).await?);
        }
        blocks.push(Block::Heading(t("dossier-verify", Args::new())));
        let head = journal.last().map_or(GENESIS, |e| e.hash.as_str()).to_string();
        blocks.push(Block::Paragraph(t("dossier-verify-journal", Args::new().with("count", journal.len() as u64).with("head", head))));
        blocks.push(Block::Paragraph(t("dossier-verify-probes", Args::new())));
        // Each head whole: it is what a reader checks.
        let mut rows = Vec::new();
        for subscription in &subscriptions {
            if let Some((seq, hash)) = self.store.chain_head(&subscription.target).await? {
                // Two columns: beside a third, 64 hex digits at 9 pt no longer fit a line.
                let page =
                    t("dossier-page-records", Args::new().with("page", self.target_label(lang, &subscription.target)).with("count", seq));
                rows.push(vec![page, to_hex(&hash)]);
            }
        }
        let header = ["dossier-col-page", "dossier-col-head"].map(|id| t(id, Args::new())).to_vec();
        blocks.push(Block::Table { header, rows });
        Ok(Document { title: t("dossier-title", Args::new().with("date", format_date(self.settings.clock.today(), lang))), blocks })
    }

    /// The person's deadlines, from the dates their profile gives: the
    /// permit's expiry and its renewal window (art. R. 431-5), the online
    /// filing with its number, the API's end, and the day four months of
    /// silence after the filing end (which may count as a refusal). Nothing
    /// when the profile gives none of these.
    fn deadlines_blocks(&self, lang: Lang, profile: &Profile) -> Vec<Block> {
        let rows = self.deadline_rows(lang, profile);
        if rows.is_empty() {
            return Vec::new();
        }
        let t = |id: &str| self.text(lang, id, Args::new());
        let header = vec![t("dossier-col-deadline"), t("dossier-col-date"), t("dossier-col-details")];
        vec![Block::Heading(t("dossier-deadlines")), Block::Paragraph(t("dossier-deadlines-intro")), Block::Table { header, rows }]
    }

    /// One row per deadline the profile dates: what, when, and a detail.
    fn deadline_rows(&self, lang: Lang, profile: &Profile) -> Vec<Vec<String>> {
        let t = |id: &str, args: Args| self.text(lang, id, args);
        let date = |field| profile.get(field).and_then(profile_date);
        let mut rows = Vec::new();
        if let Some(expiry) = date(Field::PermitExpiry) {
            let window = RenewalWindow::of(expiry);
            rows.push(vec![t("dossier-deadline-expiry", Args::new()), format_day(expiry), String::new()]);
            let span = Args::new().with("from", format_day(window.opens)).with("until", format_day(window.closes));
            rows.push(vec![
                t("dossier-deadline-window", Args::new()),
                t("dossier-deadline-span", span),
                t("dossier-deadline-window-note", Args::new()),
            ]);
        }
        let filed = date(Field::FilingDate);
        if filed.is_some() || profile.get(Field::FilingReference).is_some() {
            let reference = profile
                .get(Field::FilingReference)
                .map(|r| t("dossier-deadline-reference", Args::new().with("reference", r.to_string())))
                .unwrap_or_default();
            rows.push(vec![t("dossier-deadline-filing", Args::new()), filed.map(format_day).unwrap_or_default(), reference]);
        }
        if let Some(end) = date(Field::ApiEnd) {
            rows.push(vec![t("dossier-deadline-api", Args::new()), format_day(end), String::new()]);
        }
        if let Some(filed) = filed {
            let note = t("dossier-deadline-silence-note", Args::new());
            rows.push(vec![t("dossier-deadline-silence", Args::new()), format_day(silence_ends(filed)), note]);
        }
        rows
    }

    fn pages_table(&self, lang: Lang, subscriptions: &[SubscriptionStatus]) -> Block {
        let catalog = self.catalog();
        let rows = subscriptions
            .iter()
            .map(|s| {
                let url = catalog.target(&s.target).map(|t| t.url.clone()).unwrap_or_default();
                vec![self.target_label(lang, &s.target), format_instant(s.since), url]
            })
            .collect();
        let header = ["dossier-col-page", "dossier-col-since", "dossier-col-link"].map(|id| self.text(lang, id, Args::new())).to_vec();
        Block::Table { header, rows }
    }

    /// Their journal (removed entries marked) and their checks, by time.
    fn tries_table(&self, lang: Lang, journal: &[StoredEntry], removed: &[i64], checks: &[StoredAttempt]) -> Option<Block> {
        let mut rows: Vec<(chrono::DateTime<Utc>, Vec<String>)> = Vec::new();
        for entry in journal {
            let EntryBody::Attempt { kind, note, letter_number, file } = &entry.entry.body else { continue };
            let mut what = self.text(lang, &format!("tried-kind-{}", kind.as_str()), Args::new());
            if removed.contains(&entry.id) {
                what.push_str(&format!(" ({})", self.text(lang, "dossier-removed", Args::new())));
            }
            let file = file.as_ref().map(|_| self.text(lang, "dossier-file-below", Args::new()));
            let details = [letter_number.clone(), note.clone(), file].into_iter().flatten().collect::<Vec<_>>().join(" — ");
            rows.push((
                entry.entry.at,
                vec![format!("#{}", entry.id), format_instant(entry.entry.at), what, details, short_hash(&entry.hash)],
            ));
        }
        for check in checks {
            let what = self.text(lang, "dossier-check", Args::new());
            let found = self.outcome_words(lang, &check.probe.outcome);
            let at = check.probe.finished_at;
            rows.push((at, vec![format!("p{}", check.probe.id), format_instant(at), what, found, check.probe.url.clone()]));
        }
        if rows.is_empty() {
            return None;
        }
        rows.sort_by_key(|(at, _)| *at);
        let header = ["dossier-col-id", "dossier-col-time", "dossier-col-what", "dossier-col-details", "dossier-col-hash"]
            .map(|id| self.text(lang, id, Args::new()))
            .to_vec();
        Some(Block::Table { header, rows: rows.into_iter().map(|(_, row)| row).collect() })
    }

    /// Each entry's hash, and its file's, whole and on a line of its own
    /// (the table shows their first digits): 64 hex digits do not fit a
    /// table column at a legible size, and a cut hash proves nothing.
    fn full_hashes(&self, lang: Lang, journal: &[StoredEntry]) -> Vec<Block> {
        let mut rows = Vec::new();
        for entry in journal {
            let EntryBody::Attempt { file, .. } = &entry.entry.body else { continue };
            let id = format!("#{}", entry.id);
            rows.push(vec![id.clone(), self.text(lang, "dossier-hash-entry", Args::new()), entry.hash.clone()]);
            if let Some(file) = file {
                rows.push(vec![id, self.text(lang, "dossier-hash-file", Args::new()), file.clone()]);
            }
        }
        let header = ["dossier-col-id", "dossier-col-of", "dossier-col-sha256"].map(|id| self.text(lang, id, Args::new())).to_vec();
        vec![Block::Paragraph(self.text(lang, "dossier-hashes", Args::new())), Block::Table { header, rows }]
    }

    /// For each page, the robot's probes since the person subscribed, by
    /// what they found: the statistics' own counts (an aggregate, not every
    /// probe read again).
    async fn robot_table(&self, lang: Lang, subscriptions: &[SubscriptionStatus]) -> Result<Block, ConversationError> {
        let now = self.now();
        let mut rows = Vec::new();
        for subscription in subscriptions {
            let (target, since) = (subscription.target.as_str(), subscription.since);
            let table = monthly_table(self.store.as_ref(), target, since, now).await?;
            let (answered, no_slot, failed) =
                table.rows().fold((0, 0, 0), |(a, n, f), (_, row)| (a + row.total, n + row.count(Class::Noir), f + row.failed));
            let first = self.store.probe_span(target, since, now).await?.map(|(first, _)| format_instant(first));
            rows.push(vec![
                self.target_label(lang, target),
                (answered + failed).to_string(),
                no_slot.to_string(),
                (answered - no_slot).to_string(),
                failed.to_string(),
                first.unwrap_or_default(),
            ]);
        }
        let header = [
            "dossier-col-page",
            "dossier-col-probes",
            "dossier-col-no-slot",
            "dossier-col-slots",
            "dossier-col-failed",
            "dossier-col-last",
        ]
        .map(|id| self.text(lang, id, Args::new()))
        .to_vec();
        Ok(Block::Table { header, rows })
    }

    /// La Cimade's graph and tables for one page: month by month, and the
    /// raw probes of the last month, as volunteers print them for a court.
    async fn cimade_blocks(&self, lang: Lang, target: &str) -> Result<Vec<Block>, ConversationError> {
        let report = Report::gather(self.store.as_ref(), target, None).await?;
        let label = self.target_label(lang, target);
        let t = |id: &str| self.text(lang, id, Args::new());
        let mut header = vec![t("dossier-col-month"), t("dossier-col-successful")];
        header.extend(Class::ALL.iter().map(|class| t(&format!("dossier-class-{}", class.key()))));
        header.push(t("dossier-col-failed"));
        let rows = report
            .table
            .rows()
            .map(|(month, row)| {
                let mut cells = vec![month.to_string(), row.total.to_string()];
                cells.extend(Class::ALL.iter().map(|class| format!("{} ({:.1} %)", row.count(*class), row.percent(*class))));
                cells.push(row.failed.to_string());
                cells
            })
            .collect();
        let labels = ChartLabels::in_lang(&self.localizer, lang);
        let mut blocks = vec![
            Block::Heading(self.text(lang, "dossier-monthly", Args::new().with("page", label.clone()))),
            Block::Chart { table: report.table.clone(), labels },
            Block::Table { header, rows },
        ];
        if let Some(month) = report.raw_month {
            let rows = report
                .raw
                .iter()
                .map(|row| {
                    let mut cells = row.cells().to_vec();
                    cells.push(self.text(lang, &format!("dossier-outcome-{}", row.outcome.replace('_', "-")), Args::new()));
                    cells
                })
                .collect();
            let header = ["dossier-col-date", "dossier-col-probe-time", "dossier-col-first", "dossier-col-second", "dossier-col-outcome"]
                .map(t)
                .to_vec();
            blocks.push(Block::Heading(self.text(lang, "dossier-raw", Args::new().with("month", month.to_string()).with("page", label))));
            blocks.push(Block::Table { header, rows });
        }
        Ok(blocks)
    }

    fn outcome_words(&self, lang: Lang, outcome: &Outcome) -> String {
        if outcome.is_success() {
            return self.result_text(lang, outcome);
        }
        self.text(lang, &format!("problem-{}", outcome.kind().replace('_', "-")), Args::new())
    }
}

/// "Given names Family name", from the person's profile, if they gave them.
fn person_name(profile: &Profile) -> Option<String> {
    let parts: Vec<&str> = [Field::GivenNames, Field::FamilyName].into_iter().filter_map(|f| profile.get(f)).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A hash's first digits, as the tables show it.
fn short_hash(hash: &str) -> String {
    format!("{}…", hash.chars().take(12).collect::<String>())
}

/// The ids of the journal entries taken back.
pub(super) fn removed_ids(journal: &[StoredEntry]) -> Vec<i64> {
    journal
        .iter()
        .filter_map(|e| match e.entry.body {
            EntryBody::Removal { removes } => Some(removes),
            EntryBody::Attempt { .. } => None,
        })
        .collect()
}
