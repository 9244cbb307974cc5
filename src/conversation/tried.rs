//! `/tried`: a person records what they tried (the website, an email, a
//! registered letter, the counter, a phone call), with a note or a file, in
//! their own journal; lists it; takes back a wrong entry. Only in a private
//! chat: a person's tries are theirs.

use chrono::{DateTime, Utc};

use super::callback::{Callback, TriedButton};
use super::{Conversation, ConversationError, State, Step, Turn};
use crate::chat::{Choice, Reply, Upload};
use crate::i18n::{Args, Lang};
use crate::journal::{keep_file, AttemptKind, EntryBody, FileRefused, NewEntry, StoredEntry};
use crate::readiness::{assess, Expectation};
use crate::store::StoredAttempt;
use crate::time::{format_date, format_instant};

/// A note is a sentence or two, not a letter.
const MAX_NOTE_CHARS: usize = 300;
/// A registered letter's number: letters, digits and spaces.
const MAX_LETTER_NUMBER_CHARS: usize = 20;
/// A ticket's or a form's reference: letters, digits and a few separators.
const MAX_REFERENCE_CHARS: usize = 40;
/// The hash is shown shortened in lists; in full when saved.
const SHORT_HASH: usize = 12;

impl Conversation {
    /// `/tried`: what did you try?
    pub(super) fn tried_command(&self, turn: &mut Turn) {
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            turn.state = State::default();
            return;
        }
        let mut options: Vec<Choice> = AttemptKind::ALL
            .iter()
            .map(|kind| Callback::Tried(TriedButton::Kind(*kind)).choice(self.kind_label(turn.lang, *kind)))
            .collect();
        options.push(Callback::Tried(TriedButton::List).choice(self.text(turn.lang, "tried-list-button", Args::new())));
        turn.replies.push(Reply::with_options(self.text(turn.lang, "tried-ask", Args::new()), options.clone()));
        turn.state = State { step: Step::Tried, offered: options };
    }

    /// A button of `/tried`, of its list, or of its details question.
    pub(super) async fn tried_choice(&self, turn: &mut Turn, button: TriedButton) -> Result<(), ConversationError> {
        match (turn.state.step.clone(), button) {
            (_, TriedButton::Remove(id)) => self.tried_remove(turn, id).await,
            (_, TriedButton::List) => self.tried_list(turn).await,
            (Step::TriedDetails { kind, letter_number }, TriedButton::Save) => self.tried_save(turn, kind, letter_number, None, None).await,
            // A kind's button may also come from elsewhere (the request-form path).
            (_, TriedButton::Kind(AttemptKind::Letter)) => {
                self.say(turn, "tried-letter-number", Args::new());
                turn.state = State { step: Step::TriedLetter, offered: Vec::new() };
                Ok(())
            }
            (_, TriedButton::Kind(kind)) if kind.has_reference() => {
                let step = Step::TriedReference { kind };
                let prompt = step.prompt().unwrap_or_default();
                self.say(turn, &prompt, self.prompt_args());
                turn.state = State { step, offered: Vec::new() };
                Ok(())
            }
            (_, TriedButton::Kind(kind)) => {
                self.ask_details(turn, kind, None);
                Ok(())
            }
            _ => {
                self.say(turn, "choice-expired", Args::new());
                self.tried_command(turn);
                Ok(())
            }
        }
    }

    /// Text while `/tried` waits: a letter's number, or the note.
    pub(super) async fn tried_text(&self, turn: &mut Turn, text: &str) -> Result<(), ConversationError> {
        match turn.state.step.clone() {
            Step::TriedLetter => {
                match reference(text, MAX_LETTER_NUMBER_CHARS, &[' ']) {
                    Some(number) => self.ask_details(turn, AttemptKind::Letter, Some(number)),
                    None => self.say(turn, "tried-letter-invalid", Args::new().with("limit", MAX_LETTER_NUMBER_CHARS as u64)),
                }
                Ok(())
            }
            Step::TriedReference { kind } => {
                match reference(text, MAX_REFERENCE_CHARS, &[' ', '-', '/', '_', '.']) {
                    Some(reference) => self.ask_details(turn, kind, Some(reference)),
                    None => self.say(turn, "tried-reference-invalid", Args::new().with("limit", MAX_REFERENCE_CHARS as u64)),
                }
                Ok(())
            }
            Step::TriedDetails { kind, letter_number } => {
                let note: String = text.chars().take(MAX_NOTE_CHARS).collect();
                self.tried_save(turn, kind, letter_number, Some(note), None).await
            }
            _ => Ok(()),
        }
    }

    /// A file: kept with the attempt being recorded; elsewhere, explained.
    pub(super) async fn tried_file(&self, turn: &mut Turn, upload: Upload) -> Result<(), ConversationError> {
        let Step::TriedDetails { kind, letter_number } = turn.state.step.clone() else {
            self.say(turn, "tried-file-unexpected", Args::new());
            return Ok(());
        };
        if upload.bytes.is_empty() && upload.size <= self.settings.max_file_bytes {
            // The chat network did not hand the file over: nothing to keep.
            self.say(turn, "tried-file-failed", Args::new());
            return Ok(());
        }
        match keep_file(upload.bytes, upload.size, self.settings.max_file_bytes) {
            Ok(file) => {
                let note = upload.caption.map(|c| c.chars().take(MAX_NOTE_CHARS).collect());
                self.tried_save(turn, kind, letter_number, note, Some(file)).await
            }
            Err(FileRefused::TooLarge { size, limit }) => {
                let args = Args::new().with("size", megabytes(size)).with("limit", megabytes(limit));
                self.say(turn, "tried-file-too-large", args);
                Ok(())
            }
            Err(FileRefused::Type) => {
                self.say(turn, "tried-file-type", Args::new());
                Ok(())
            }
        }
    }

    fn ask_details(&self, turn: &mut Turn, kind: AttemptKind, letter_number: Option<String>) {
        let options = vec![Callback::Tried(TriedButton::Save).choice(self.text(turn.lang, "tried-save-button", Args::new()))];
        turn.replies.push(Reply::with_options(self.text(turn.lang, "tried-details", Args::new()), options.clone()));
        turn.state = State { step: Step::TriedDetails { kind, letter_number }, offered: options };
    }

    async fn tried_save(
        &self,
        turn: &mut Turn,
        kind: AttemptKind,
        letter_number: Option<String>,
        note: Option<String>,
        file: Option<crate::journal::KeptFile>,
    ) -> Result<(), ConversationError> {
        turn.state = State::default();
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let body = EntryBody::Attempt { kind, note, letter_number, file: file.as_ref().map(|f| f.sha256.clone()) };
        let entry = NewEntry { chat: turn.record.address.key(), at: self.now(), body };
        // The chat must exist before its journal does.
        self.store.save_chat(&turn.record, self.now()).await?;
        let stored = self.store.add_journal_entry(&entry, file.as_ref()).await?;
        let args = Args::new()
            .with("time", format_instant(stored.entry.at))
            .with("what", self.kind_label(turn.lang, kind))
            .with("hash", stored.hash.clone());
        let mut text = self.text(turn.lang, "tried-saved", args);
        if let Some(file) = &file {
            text.push('\n');
            text.push_str(&self.text(turn.lang, "tried-saved-file", Args::new().with("file", file.sha256.clone())));
        }
        turn.replies.push(Reply::text(text));
        Ok(())
    }

    async fn tried_list(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        let journal = self.store.journal(&turn.record.address).await?;
        let checks = self.store.attempts(&turn.record.address, 10_000).await?;
        let tries = Tries::of(&journal, &checks);
        if tries.list.is_empty() {
            self.say(turn, "tried-list-empty", Args::new());
            return Ok(());
        }
        // One count everywhere: the heading, the numbers and the readiness
        // below all count the same tries (the person's own, not taken back,
        // and the checks they made through the bot).
        let mut lines = vec![self.text(turn.lang, "tried-list-header", Args::new().with("count", tries.list.len() as u64))];
        let mut options = Vec::new();
        for (index, one) in tries.list.iter().enumerate() {
            let number = index as u64 + 1;
            match one {
                Try::Entry(entry) => {
                    lines.push(self.entry_line(turn.lang, entry, number));
                    let label = self.text(turn.lang, "tried-remove-button", Args::new().with("id", number));
                    options.push(Callback::Tried(TriedButton::Remove(entry.id)).choice(label));
                }
                Try::Check(check) => lines.push(self.check_line(turn.lang, check, number)),
            }
        }
        lines.push(String::new());
        lines.push(self.readiness_text(turn, &tries).await?);
        turn.replies.push(Reply::with_options(lines.join("\n"), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
        Ok(())
    }

    /// How the person's own tries (their journal and their checks) compare
    /// with what courts usually ask, for the procedures they watch.
    pub(super) async fn readiness_text(&self, turn: &Turn, tries: &Tries<'_>) -> Result<String, ConversationError> {
        let times: Vec<_> = tries.list.iter().map(Try::at).collect();
        let catalog = self.catalog();
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        let mut procedures: Vec<String> =
            subscriptions.iter().filter_map(|s| catalog.target(&s.target)).map(|t| t.procedure.clone()).collect();
        // An ANEF or request-form case has no watch: its path says the procedure.
        let path = self.store.chosen_path(&turn.record.address).await?;
        procedures.extend(path.iter().map(|p| p.procedure.clone()));
        let expectation = Expectation::for_procedures(procedures.iter().map(String::as_str));
        let readiness = assess(&times, self.settings.clock.today(), expectation);
        let advice = match (readiness.keep_going_until, readiness.is_enough()) {
            (_, true) => self.text(turn.lang, "tried-readiness-enough", Args::new()),
            (Some(until), false) => self.text(turn.lang, "tried-readiness-until", Args::new().with("until", format_date(until, turn.lang))),
            (None, false) => self.text(turn.lang, "tried-readiness-rate", Args::new().with("rate", format!("{:.1}", readiness.per_week))),
        };
        let args = Args::new()
            .with("weeks", readiness.span_weeks.max(0) as u64)
            .with("tries", readiness.tries as u64)
            .with("days", readiness.days as u64)
            .with("hours", readiness.hours as u64)
            .with("min", expectation.months.0)
            .with("max", expectation.months.1)
            .with("rate_min", expectation.per_week.0)
            .with("rate_max", expectation.per_week.1);
        let summary = self.text(turn.lang, "tried-readiness", args);
        let mut text = format!("{summary} {advice}\n{}", self.text(turn.lang, "tried-readiness-context", Args::new()));
        // Online cases are judged on tries spread over weeks too (CE, 10 June 2020, n° 435594).
        if path.is_some() {
            text.push('\n');
            text.push_str(&self.text(turn.lang, "tried-readiness-weeks", Args::new().with("weeks", readiness.weeks as u64)));
        }
        Ok(text)
    }

    /// A check the person made through the bot, as a line of their list.
    fn check_line(&self, lang: Lang, check: &StoredAttempt, number: u64) -> String {
        let args = Args::new()
            .with("id", number)
            .with("time", format_instant(check.probe.finished_at))
            .with("place", self.target_label(lang, &check.probe.target))
            .with("result", self.check_result(lang, &check.probe));
        self.text(lang, "tried-list-check", args)
    }

    /// What a check found: slots, none, or why the calendar could not be read.
    pub(super) fn check_result(&self, lang: Lang, probe: &crate::store::StoredProbe) -> String {
        if probe.outcome.is_success() {
            self.result_text(lang, &probe.outcome)
        } else {
            self.text(lang, &format!("problem-{}", probe.outcome.kind().replace('_', "-")), Args::new())
        }
    }

    fn entry_line(&self, lang: Lang, stored: &StoredEntry, number: u64) -> String {
        let EntryBody::Attempt { kind, note, letter_number, file } = &stored.entry.body else {
            return String::new();
        };
        let mut details = Vec::new();
        if let Some(number) = letter_number {
            details.push(number.clone());
        }
        if let Some(note) = note {
            details.push(format!("« {note} »"));
        }
        if let Some(file) = file {
            details.push(self.text(lang, "tried-file-short", Args::new().with("file", short(file))));
        }
        let args = Args::new()
            .with("id", number)
            .with("time", format_instant(stored.entry.at))
            .with("what", self.kind_label(lang, *kind))
            .with("details", details.join(" — "))
            .with("hash", short(&stored.hash));
        self.text(lang, "tried-list-line", args)
    }

    async fn tried_remove(&self, turn: &mut Turn, id: i64) -> Result<(), ConversationError> {
        turn.state = State::default();
        let journal = self.store.journal(&turn.record.address).await?;
        let exists = journal.iter().any(|e| e.id == id && matches!(e.entry.body, EntryBody::Attempt { .. }));
        let already = journal.iter().any(|e| matches!(e.entry.body, EntryBody::Removal { removes } if removes == id));
        let Some(removes) = Some(id).filter(|_| exists && !already) else {
            self.say(turn, "choice-expired", Args::new());
            return Ok(());
        };
        let entry = NewEntry { chat: turn.record.address.key(), at: self.now(), body: EntryBody::Removal { removes } };
        self.store.add_journal_entry(&entry, None).await?;
        // Numbers in the list change as tries come and go: the removed one
        // is named by what and when.
        let removed = journal.iter().find(|e| e.id == removes);
        let (what, at) = match removed.map(|e| (&e.entry.body, e.entry.at)) {
            Some((EntryBody::Attempt { kind, .. }, at)) => (self.kind_label(turn.lang, *kind), format_instant(at)),
            _ => (String::new(), String::new()),
        };
        self.say(turn, "tried-removed", Args::new().with("what", what).with("time", at));
        Ok(())
    }

    fn kind_label(&self, lang: Lang, kind: AttemptKind) -> String {
        self.text(lang, &format!("tried-kind-{}", kind.as_str()), Args::new())
    }
}

/// A person's tries, as every count shows them: their journal's attempts
/// not taken back, and the checks they made through the bot, oldest first.
pub(super) struct Tries<'a> {
    /// Each try, in the order of time.
    pub list: Vec<Try<'a>>,
}

/// One of a person's tries.
pub(super) enum Try<'a> {
    /// Told with `/tried`.
    Entry(&'a StoredEntry),
    /// A check of a captcha-gated page, made through the bot.
    Check(&'a StoredAttempt),
}

impl Try<'_> {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Try::Entry(entry) => entry.entry.at,
            Try::Check(check) => check.probe.finished_at,
        }
    }
}

impl<'a> Tries<'a> {
    /// The tries in `journal` (removals applied) and `checks`.
    pub fn of(journal: &'a [StoredEntry], checks: &'a [StoredAttempt]) -> Tries<'a> {
        let removed = super::dossier::removed_ids(journal);
        let mut list: Vec<Try<'a>> = journal
            .iter()
            .filter(|e| matches!(e.entry.body, EntryBody::Attempt { .. }) && !removed.contains(&e.id))
            .map(Try::Entry)
            .chain(checks.iter().map(Try::Check))
            .collect();
        list.sort_by_key(Try::at);
        Tries { list }
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(SHORT_HASH).collect()
}

/// Megabytes with one decimal, for people.
fn megabytes(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// A number or reference as typed, trimmed: letters and digits, and the
/// `separators` given, at most `limit` characters; `None` otherwise.
fn reference(text: &str, limit: usize, separators: &[char]) -> Option<String> {
    let text = text.trim();
    let fits = text.chars().count() <= limit && text.chars().all(|c| c.is_ascii_alphanumeric() || separators.contains(&c));
    (fits && !text.is_empty()).then(|| text.to_string())
}
