//! `/letter`: which letter, then the letter itself (in French) in chat, as a
//! PDF and as a text file, with what it is for, where to send it and what
//! happens next in the person's language. Private chats only.

use chrono::{DateTime, Utc};

use super::{Conversation, ConversationError, State, Step, Turn};
use crate::chat::{Attachment, AttachmentKind, Choice, Reply};
use crate::dossier::{pdf, Block, Document};
use crate::i18n::{Args, Lang};
use crate::journal::{AttemptKind, EntryBody};
use crate::letters::{self, mailto, Facts, LetterKind, Writer};
use crate::profile::Profile;
use crate::time::{paris_day, paris_today};

impl Conversation {
    /// `/letter`: which one?
    pub(super) fn letter_command(&self, turn: &mut Turn) {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return;
        }
        let options: Vec<Choice> = LetterKind::ALL
            .iter()
            .map(|kind| Choice {
                label: self.text(turn.lang, &format!("letter-kind-{}", kind.as_str()), Args::new()),
                value: format!("letter:{}", kind.as_str()),
            })
            .collect();
        turn.replies.push(Reply::with_options(self.text(turn.lang, "letter-choose", Args::new()), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
    }

    /// The letter chosen.
    pub(super) async fn letter_choice(&self, turn: &mut Turn, kind: &str) -> Result<(), ConversationError> {
        turn.state = State::default();
        let (Some(kind), false) = (LetterKind::parse(kind), turn.record.is_group) else {
            self.say(turn, "choice-expired", Args::new());
            return Ok(());
        };
        let Some(facts) = self.letter_facts(turn).await? else {
            self.say(turn, "letter-no-watch", Args::new());
            return Ok(());
        };
        let letter = Writer::new(&self.localizer).write(kind, &facts);
        let lang = turn.lang;
        let mut about = vec![self.text(lang, &format!("letter-about-{}", kind.as_str()), Args::new())];
        if kind == LetterKind::Email {
            about.push(self.text(lang, "letter-mailto", Args::new().with("link", mailto("", &letter))));
        }
        if letter.incomplete {
            about.push(self.text(lang, "letter-missing", Args::new()));
        }
        about.push(self.text(lang, "letter-draft", Args::new()));
        turn.replies.push(Reply::text(about.join("\n\n")));
        let mut reply = Reply::text(format!("{}\n\n{}", letter.subject, letter.body));
        let stem = format!("guichet-{}-{}", kind.as_str(), paris_today().format("%Y-%m-%d"));
        let document = Document { title: letter.subject.clone(), blocks: letter.body.split("\n\n").map(|p| Block::Paragraph(p.to_string())).collect() };
        match pdf::render(&document) {
            Ok(bytes) => reply.attachments.push(Attachment { kind: AttachmentKind::Document, name: format!("{stem}.pdf"), mime: "application/pdf".into(), bytes }),
            Err(error) => tracing::error!(%error, "could not print a letter"),
        }
        let text = format!("{}\n\n{}\n", letter.subject, letter.body).into_bytes();
        reply.attachments.push(Attachment { kind: AttachmentKind::Document, name: format!("{stem}.txt"), mime: "text/plain".into(), bytes: text });
        turn.replies.push(reply);
        Ok(())
    }

    /// What the letters say, from the chat's first watch, its profile, its
    /// tries and the robot's figures since it watches; `None` without a watch.
    async fn letter_facts(&self, turn: &Turn) -> Result<Option<Facts>, ConversationError> {
        let address = &turn.record.address;
        let subscriptions = self.store.subscriptions(address).await?;
        let catalog = self.catalog();
        let Some((subscription, target)) = subscriptions.iter().find_map(|s| Some((s, catalog.target(&s.target)?))) else { return Ok(None) };
        let profile = match (&self.vault, self.store.profile(address).await?) {
            (Some(vault), Some(sealed)) => vault.open(&address.key(), &sealed).unwrap_or_default(),
            _ => Profile::default(),
        };
        let mut tries = self.letter_tries(turn).await?;
        tries.sort_by_key(|(at, _)| *at);
        Ok(Some(Facts {
            profile,
            prefecture: letters::prefecture_of(target),
            procedure: letters::procedure_of(&self.localizer, target),
            renewal: target.procedure == "renewal",
            url: target.url.clone(),
            first_try: tries.first().map(|(at, _)| paris_day(*at)),
            tries: tries.into_iter().map(|(_, line)| line).collect(),
            figures: letters::figures(self.store.as_ref(), &target.id, subscription.since).await?,
            court: None,
            today: paris_today(),
        }))
    }

    /// The person's tries, each as a French line, with its instant.
    async fn letter_tries(&self, turn: &Turn) -> Result<Vec<(DateTime<Utc>, String)>, ConversationError> {
        let journal = self.store.journal(&turn.record.address).await?;
        let removed = super::dossier::removed_ids(&journal);
        let mut tries = Vec::new();
        for entry in journal.iter().filter(|e| !removed.contains(&e.id)) {
            let EntryBody::Attempt { kind, note, letter_number, .. } = &entry.entry.body else { continue };
            let details: Vec<String> = [letter_number.as_ref().map(|n| format!("n° {n}")), note.clone()].into_iter().flatten().collect();
            tries.push((entry.entry.at, letters::try_line(&self.localizer, entry.entry.at, *kind, &details.join(" — "))));
        }
        for check in self.store.attempts(&turn.record.address, 10_000).await? {
            let at = check.probe.finished_at;
            let result = if check.probe.outcome.is_success() {
                self.result_text(Lang::Fr, &check.probe.outcome)
            } else {
                self.localizer.letter_text("check-failed", &Args::new())
            };
            tries.push((at, letters::try_line(&self.localizer, at, AttemptKind::Web, &result)));
        }
        Ok(tries)
    }
}
