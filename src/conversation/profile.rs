//! `/profile` (what a person tells about themself for the letters, field by
//! field, each skippable and changeable), `/forget` (everything held about
//! them erased, after a confirmation) and `/mydata` (everything held about
//! them, sent to them). Private chats only; values are never logged.

use serde_json::json;

use super::callback::{Callback, ProfileButton};
use super::{Conversation, ConversationError, State, Step, Turn};
use crate::chat::{Attachment, AttachmentKind, Incoming, Reply};
use crate::i18n::{Args, Lang};
use crate::journal::EntryBody;
use crate::profile::{validate, Field, Profile};
use crate::time::format_instant;

/// Which questions follow the one asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Walk {
    /// None: the profile's summary comes back.
    One,
    /// Every field, in order (`/profile` the first time).
    Profile,
    /// The dates of the deadlines, then the deadlines themselves.
    Dates,
}

/// The fields the deadlines are planned from, in the order asked.
const DATE_FIELDS: [Field; 4] = [Field::PermitExpiry, Field::FilingDate, Field::FilingReference, Field::ApiEnd];

impl Walk {
    /// From a stored step's flags.
    pub(super) fn of(walking: bool, dates: bool) -> Walk {
        match (walking, dates) {
            (_, true) => Walk::Dates,
            (true, false) => Walk::Profile,
            (false, false) => Walk::One,
        }
    }

    /// The field asked after `field`, if any: without a filing, its number
    /// and its API are not asked.
    fn next(self, field: Field, profile: &Profile) -> Option<Field> {
        match self {
            Walk::One => None,
            _ if field == Field::FilingDate && profile.get(field).is_none() => None,
            Walk::Profile => field.next(),
            Walk::Dates => DATE_FIELDS.iter().position(|f| *f == field).and_then(|i| DATE_FIELDS.get(i + 1)).copied(),
        }
    }
}

impl Conversation {
    /// The chat's profile, unsealed; `None` without one, or without the
    /// key that opens it.
    pub(super) async fn open_profile(&self, address: &crate::chat::ChatAddress) -> Result<Option<Profile>, ConversationError> {
        Ok(match (&self.vault, self.store.profile(address).await?) {
            (Some(vault), Some(sealed)) => vault.open(&address.key(), &sealed).ok(),
            _ => None,
        })
    }

    /// A reply for a command that only makes sense in a private chat, when
    /// asked in a group; `None` in a private chat.
    pub(super) fn private_only(&self, turn: &Turn) -> Option<Reply> {
        if !turn.record.is_group {
            return None;
        }
        let mut reply = Reply::text(self.text(turn.lang, "private-only", Args::new()));
        reply.private_chat = Some(self.text(turn.lang, "button-private-chat", Args::new()));
        Some(reply)
    }

    /// `/profile`: the first question for a new profile, else the summary.
    pub(super) async fn profile_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let Some(profile) = self.load_profile(turn).await? else { return Ok(()) };
        match profile.values.is_empty() {
            true => {
                self.say(turn, "profile-intro", Args::new());
                self.ask_field(turn, Field::FamilyName, Walk::Profile, &profile);
            }
            false => self.profile_summary(turn, &profile),
        }
        Ok(())
    }

    /// The profile, opened; `None` (and the person told why) when it cannot be.
    async fn load_profile(&self, turn: &mut Turn) -> Result<Option<Profile>, ConversationError> {
        let Some(vault) = &self.vault else {
            self.say(turn, "profile-unavailable", Args::new());
            return Ok(None);
        };
        let key = turn.record.address.key();
        match self.store.profile(&turn.record.address).await? {
            None => Ok(Some(Profile::default())),
            Some(sealed) => match vault.open(&key, &sealed) {
                Ok(profile) => Ok(Some(profile)),
                Err(error) => {
                    // The error names no field and no value.
                    tracing::error!(%error, "a profile does not open");
                    self.say(turn, "profile-unavailable", Args::new());
                    Ok(None)
                }
            },
        }
    }

    /// Seals and keeps the profile after `changed` changed, and plans the
    /// reminders again when they depend on it.
    async fn save_profile(&self, turn: &Turn, profile: &Profile, changed: Field) -> Result<(), ConversationError> {
        if let Some(vault) = &self.vault {
            let sealed = vault.seal(&turn.record.address.key(), profile);
            self.store.save_chat(&turn.record, self.now()).await?;
            self.store.save_profile(&turn.record.address, &sealed, self.now()).await?;
            if crate::deadlines::plans_from(changed) {
                self.plan_reminders(&turn.record.address, profile).await?;
            }
        }
        Ok(())
    }

    fn field_label(&self, lang: Lang, field: Field) -> String {
        self.text(lang, &format!("profile-field-{}", field.as_str()), Args::new())
    }

    /// « • Nom de famille : Diallo »: the colon as each language sets it.
    fn field_line(&self, lang: Lang, field: Field, value: String) -> String {
        self.text(lang, "profile-line", Args::new().with("field", self.field_label(lang, field)).with("value", value))
    }

    fn ask_field(&self, turn: &mut Turn, field: Field, walk: Walk, profile: &Profile) {
        let mut options = vec![Callback::Profile(ProfileButton::Skip).choice(self.text(turn.lang, "profile-skip", Args::new()))];
        if profile.get(field).is_some() {
            options.push(Callback::Profile(ProfileButton::Erase).choice(self.text(turn.lang, "profile-erase", Args::new())));
        }
        let text = self.text(turn.lang, &format!("profile-ask-{}", field.as_str()), Args::new());
        let step = Step::ProfileField { field, walking: walk == Walk::Profile, dates: walk == Walk::Dates };
        let free_text = step.expecting() == super::Expecting::TextWithNumbers;
        turn.replies.push(Reply { text, options: options.clone(), free_text, ..Reply::default() });
        turn.state = State { step, offered: options };
    }

    fn profile_summary(&self, turn: &mut Turn, profile: &Profile) {
        let mut lines = vec![self.text(turn.lang, "profile-summary", Args::new())];
        let mut options = Vec::new();
        for field in Field::ALL {
            let value = self.shown_value(turn.lang, field, profile).unwrap_or_else(|| "—".into());
            lines.push(self.field_line(turn.lang, field, value));
            options.push(Callback::Profile(ProfileButton::Edit(field)).choice(self.field_label(turn.lang, field)));
        }
        options.push(Callback::Profile(ProfileButton::Done).choice(self.text(turn.lang, "profile-done", Args::new())));
        turn.replies.push(Reply::with_options(lines.join("\n"), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
    }

    /// A field's value as the person reads it: what is at stake in their
    /// language (it is stored as the letters' keys, `job, housing`).
    pub(super) fn shown_value(&self, lang: Lang, field: Field, profile: &Profile) -> Option<String> {
        let value = profile.get(field)?;
        if field != Field::Stakes {
            return Some(value.to_string());
        }
        Some(value.split(", ").map(|stake| self.text(lang, &format!("profile-stake-{stake}"), Args::new())).collect::<Vec<_>>().join(", "))
    }

    /// A button of `/profile`.
    pub(super) async fn profile_choice(&self, turn: &mut Turn, button: ProfileButton) -> Result<(), ConversationError> {
        if turn.record.is_group {
            return Ok(());
        }
        let Some(mut profile) = self.load_profile(turn).await? else { return Ok(()) };
        let asking = match &turn.state.step {
            Step::ProfileField { field, walking, dates } => Some((*field, Walk::of(*walking, *dates))),
            _ => None,
        };
        match (button, asking) {
            (ProfileButton::Done, _) => {
                turn.state = State::default();
                self.say(turn, "profile-finished", Args::new());
            }
            (ProfileButton::Skip, Some((field, walk))) => self.after_field(turn, field, walk, &profile).await?,
            (ProfileButton::Erase, Some((field, _))) => {
                profile.values.remove(&field);
                self.save_profile(turn, &profile, field).await?;
                self.profile_summary(turn, &profile);
            }
            (ProfileButton::Edit(field), _) => self.ask_field(turn, field, Walk::One, &profile),
            (ProfileButton::Dates, _) => self.ask_field(turn, DATE_FIELDS[0], Walk::Dates, &profile),
            (ProfileButton::Skip | ProfileButton::Erase, None) => {
                self.say(turn, "choice-expired", Args::new());
                self.profile_summary(turn, &profile);
            }
        }
        Ok(())
    }

    /// A value typed for the field asked.
    pub(super) async fn profile_text(&self, turn: &mut Turn, field: Field, walk: Walk, text: &str) -> Result<(), ConversationError> {
        let Some(mut profile) = self.load_profile(turn).await? else {
            turn.state = State::default();
            return Ok(());
        };
        match validate(field, text, self.settings.clock.today()) {
            Ok(value) => {
                profile.values.insert(field, value);
                self.save_profile(turn, &profile, field).await?;
                self.say(turn, "profile-saved", Args::new().with("field", self.field_label(turn.lang, field)));
                self.after_field(turn, field, walk, &profile).await?;
            }
            Err(invalid) => {
                self.say(turn, invalid.message_id(), Args::new());
                self.ask_field(turn, field, walk, &profile);
            }
        }
        Ok(())
    }

    /// The next question of the walk, or its end: the profile's summary, or
    /// the deadlines after their dates.
    async fn after_field(&self, turn: &mut Turn, field: Field, walk: Walk, profile: &Profile) -> Result<(), ConversationError> {
        match (walk.next(field, profile), walk) {
            (Some(next), _) => self.ask_field(turn, next, walk, profile),
            (None, Walk::Dates) => self.deadlines_command(turn).await?,
            (None, _) => self.profile_summary(turn, profile),
        }
        Ok(())
    }

    /// `/forget`: asks for a confirmation.
    pub(super) fn forget_command(&self, turn: &mut Turn) {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return;
        }
        let options = vec![
            Callback::Forget(true).choice(self.text(turn.lang, "forget-yes", Args::new())),
            Callback::Forget(false).choice(self.text(turn.lang, "option-no", Args::new())),
        ];
        turn.replies.push(Reply::with_options(self.text(turn.lang, "forget-confirm", Args::new()), options.clone()));
        turn.state = State { step: Step::ForgetConfirm, offered: options };
    }

    /// The answer to `/forget`'s confirmation.
    pub(super) async fn forget_choice(&self, turn: &mut Turn, incoming: &Incoming, yes: bool) -> Result<(), ConversationError> {
        let confirmed = yes && turn.state.step == Step::ForgetConfirm && !turn.record.is_group;
        turn.state = State::default();
        if !confirmed {
            self.say(turn, "forget-kept", Args::new());
            return Ok(());
        }
        // A captcha they opened names them until someone answers it; it
        // goes first, so that `forget` wipes its traces with the rest.
        self.store.forget_challenges(&super::check::person(incoming)).await?;
        self.store.forget(&turn.record.address).await?;
        // Nothing of this chat is written back after this turn.
        turn.forgotten = true;
        self.say(turn, "forget-done", Args::new());
        Ok(())
    }

    /// `/mydata`: everything held about the person, as a JSON file and the files they sent.
    pub(super) async fn mydata_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let address = &turn.record.address;
        let profile = self.open_profile(address).await?;
        let subscriptions = self.store.subscriptions(address).await?;
        let journal = self.store.journal(address).await?;
        let checks = self.store.attempts(address, 10_000).await?;
        let path = self.store.chosen_path(address).await?;
        let reminders = self.store.planned_reminders(address).await?;
        let mut files = Vec::new();
        let entries: Vec<_> = journal
            .iter()
            .map(|e| {
                let body = match &e.entry.body {
                    EntryBody::Attempt { kind, note, letter_number, file } => {
                        if let Some(file) = file {
                            files.push(file.clone());
                        }
                        json!({"kind": kind.as_str(), "note": note, "letter_number": letter_number, "file_sha256": file})
                    }
                    EntryBody::Removal { removes } => json!({"kind": "removal", "removes": removes}),
                };
                json!({"id": e.id, "received": format_instant(e.entry.at), "entry": body, "hash": e.hash, "prev_hash": e.prev_hash})
            })
            .collect();
        let summary = self.mydata_summary(turn, profile.as_ref(), &subscriptions, &journal, checks.len());
        let mut reply = Reply::text(summary);
        let export = json!({
            "chat": address.key(),
            "language": turn.lang.code(),
            "exported": format_instant(self.now()),
            "profile": profile.map(|p| p.values.into_iter().map(|(f, v)| (f.as_str().to_string(), serde_json::Value::from(v))).collect::<serde_json::Map<_, _>>()),
            "subscriptions": subscriptions.iter().map(|s| json!({"target": s.target, "since": format_instant(s.since)})).collect::<Vec<_>>(),
            "journal": entries,
            "path": path.map(|p| json!({"departement": p.departement, "procedure": p.procedure, "chosen": format_instant(p.at)})),
            "reminders": reminders.iter().map(|r| json!({"kind": r.reminder.kind.as_str(), "about": r.reminder.about.to_string(), "at": format_instant(r.at)})).collect::<Vec<_>>(),
            "checks": checks.iter().map(|c| json!({"time": format_instant(c.probe.finished_at), "target": c.probe.target, "outcome": c.probe.outcome.to_report_json(), "url": c.probe.url})).collect::<Vec<_>>(),
        });
        let bytes = serde_json::to_vec_pretty(&export).expect("JSON values serialise");
        reply.attachments.push(Attachment {
            kind: AttachmentKind::Document,
            name: "guichet-mydata.json".into(),
            mime: "application/json".into(),
            bytes,
        });
        files.sort();
        files.dedup();
        for sha in files {
            if let Some((mime, bytes)) = self.store.file(&sha).await? {
                let extension = mime.rsplit('/').next().unwrap_or("bin").to_string();
                reply.attachments.push(Attachment { kind: AttachmentKind::Document, name: format!("{sha}.{extension}"), mime, bytes });
            }
        }
        turn.replies.push(reply);
        Ok(())
    }

    /// What `/mydata` holds, for a person to read: the profile as they gave
    /// it, and how many watches, tries, checks and files there are.
    fn mydata_summary(
        &self,
        turn: &Turn,
        profile: Option<&Profile>,
        subscriptions: &[crate::store::SubscriptionStatus],
        journal: &[crate::journal::StoredEntry],
        checks: usize,
    ) -> String {
        let lang = turn.lang;
        let mut lines = vec![self.text(lang, "mydata-sent", Args::new())];
        match profile.filter(|p| !p.values.is_empty()) {
            Some(profile) => {
                lines.push(self.text(lang, "mydata-profile", Args::new()));
                for field in Field::ALL {
                    if let Some(value) = self.shown_value(lang, field, profile) {
                        lines.push(self.field_line(lang, field, value));
                    }
                }
            }
            None => lines.push(self.text(lang, "mydata-no-profile", Args::new())),
        }
        let entries = journal.iter().filter(|e| matches!(e.entry.body, EntryBody::Attempt { .. })).count();
        let files = journal.iter().filter(|e| matches!(e.entry.body, EntryBody::Attempt { file: Some(_), .. })).count();
        let args = Args::new()
            .with("watches", self.watches(subscriptions).len() as u64)
            .with("entries", entries as u64)
            .with("checks", checks as u64)
            .with("files", files as u64);
        lines.push(self.text(lang, "mydata-counts", args));
        lines.push(self.text(lang, "mydata-file", Args::new()));
        lines.join("\n")
    }
}
