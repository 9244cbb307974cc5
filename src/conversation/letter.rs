//! `/letter`: which letter, then the letter itself (in French) in chat, as a
//! PDF and as a text file, with what it is for, where to send it and what
//! happens next in the person's language. Private chats only. A letter about
//! a booking page is about one watch; an ANEF letter is about the procedure
//! and département the person chose (their chosen path).

use super::callback::Callback;
use super::{Conversation, ConversationError, State, Step, Turn};
use crate::catalog::ways::{Channel, WayKind};
use crate::chat::{Attachment, AttachmentKind, Choice, Reply};
use crate::dossier::{pdf, Block, Document};
use crate::i18n::{Args, Lang};
use crate::journal::{AttemptKind, EntryBody};
use crate::letters::{self, mailto, Facts, LetterKind, TryLine, Writer};
use crate::outcome::Outcome;
use crate::store::ChosenPath;
use crate::time::{format_day, paris_day, paris_today};

impl Conversation {
    /// `/letter`: which one? The letters about a booking page when the
    /// person watches one, the ANEF letters when their chosen procedure is
    /// filed on ANEF; every letter when neither (each then says what it needs).
    pub(super) async fn letter_command(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        turn.state = State::default();
        if let Some(reply) = self.private_only(turn) {
            turn.replies.push(reply);
            return Ok(());
        }
        let watching = !self.watches(&self.store.subscriptions(&turn.record.address).await?).is_empty();
        let path = self.store.chosen_path(&turn.record.address).await?;
        let on_anef = path.as_ref().is_some_and(|path| self.on_anef(path));
        let fits = |kind: &&LetterKind| !(watching || on_anef) || if kind.is_anef() { on_anef } else { watching };
        let options: Vec<Choice> = LetterKind::ALL
            .iter()
            .filter(fits)
            .map(|kind| Choice {
                label: self.text(turn.lang, &format!("letter-kind-{}", kind.as_str()), Args::new()),
                value: Callback::Letter(*kind, None).to_string(),
            })
            .collect();
        turn.replies.push(Reply::with_options(self.text(turn.lang, "letter-choose", Args::new()), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
        Ok(())
    }

    /// Whether the chosen path's procedure is filed on ANEF there (a
    /// request form's is not: the ANEF letters would misstate it).
    fn on_anef(&self, path: &ChosenPath) -> bool {
        matches!(self.catalog().channel(&path.departement, &path.procedure), Channel::Way(way) if way.kind == WayKind::Anef)
    }

    /// The letter chosen (`kind`), or the letter and its watch
    /// (`kind:target`): a letter is about one watch, which the person
    /// chooses when they have several.
    pub(super) async fn letter_choice(&self, turn: &mut Turn, kind: LetterKind, chosen: Option<String>) -> Result<(), ConversationError> {
        turn.state = State::default();
        if turn.record.is_group {
            self.say(turn, "choice-expired", Args::new());
            return Ok(());
        }
        if kind.is_anef() {
            return self.anef_letter(turn, kind).await;
        }
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        let watches = self.watches(&subscriptions);
        let watch = match (chosen, watches.as_slice()) {
            (_, []) => {
                self.say(turn, "letter-no-watch", Args::new());
                return Ok(());
            }
            (None, [only]) => only.clone(),
            (None, several) => {
                let options: Vec<Choice> = several
                    .iter()
                    .map(|w| Choice {
                        label: self.watch_label(turn.lang, &w[0].target),
                        value: Callback::Letter(kind, Some(w[0].target.clone())).to_string(),
                    })
                    .collect();
                turn.replies.push(Reply::with_options(self.text(turn.lang, "letter-which-watch", Args::new()), options.clone()));
                turn.state = State { step: Step::Idle, offered: options };
                return Ok(());
            }
            (Some(target), _) => match watches.iter().find(|w| w.iter().any(|s| s.target == target)) {
                Some(watch) => watch.clone(),
                None => {
                    self.say(turn, "choice-expired", Args::new());
                    return Ok(());
                }
            },
        };
        let targets: Vec<String> = watch.iter().map(|s| s.target.clone()).collect();
        let Some(facts) = self.letter_facts(turn, &watch).await? else {
            self.say(turn, "letter-no-watch", Args::new());
            return Ok(());
        };
        self.send_letter(turn, kind, &facts);
        tracing::debug!(kind = kind.as_str(), pages = targets.len(), "a letter written");
        Ok(())
    }

    /// An ANEF letter: about the procedure and département the person
    /// chose (not a watch: ANEF has no booking page); without a chosen
    /// path on ANEF, how to choose one.
    async fn anef_letter(&self, turn: &mut Turn, kind: LetterKind) -> Result<(), ConversationError> {
        let facts = match self.store.chosen_path(&turn.record.address).await? {
            // A path chosen, but not on ANEF (a request form): say so, not "choose one".
            Some(path) if !self.on_anef(&path) => {
                self.say(turn, "letter-not-anef", Args::new());
                return Ok(());
            }
            Some(path) => self.anef_facts(turn, &path).await?,
            None => None,
        };
        let Some(facts) = facts else {
            self.say(turn, "letter-no-path", Args::new());
            return Ok(());
        };
        self.send_letter(turn, kind, &facts);
        tracing::debug!(kind = kind.as_str(), "an ANEF letter written");
        Ok(())
    }

    /// The letter of `kind` for `facts`: what it is for in the person's
    /// language, then the letter itself.
    fn send_letter(&self, turn: &mut Turn, kind: LetterKind, facts: &Facts) {
        let letter = Writer::new(&self.localizer).write(kind, facts);
        turn.replies.push(Reply::text(self.letter_about(turn.lang, kind, facts, &letter)));
        turn.replies.push(letter_files(kind, &letter));
    }

    /// What an ANEF letter says, from the chosen path, the chat's profile
    /// and its own tries (checks are of booking pages, none of ANEF's
    /// business); `None` when the catalog no longer knows the path.
    async fn anef_facts(&self, turn: &Turn, path: &ChosenPath) -> Result<Option<Facts>, ConversationError> {
        let profile = self.open_profile(&turn.record.address).await?.unwrap_or_default();
        let tries = self.letter_tries(turn, &[]).await?;
        let today = paris_day(self.now());
        Ok(Facts::about_procedure(&self.localizer, &self.catalog(), &path.departement, &path.procedure, profile, tries, today))
    }

    /// What the letter is for and what it says, in the person's language,
    /// then where to send it and what to check.
    fn letter_about(&self, lang: Lang, kind: LetterKind, facts: &Facts, letter: &letters::Letter) -> String {
        let court = facts.to.court.clone().unwrap_or_else(|| self.text(lang, "letter-court-unknown", Args::new()));
        let says = Args::new().with("prefecture", facts.to.prefecture.clone()).with("tries", facts.tries.len() as u64).with("court", court);
        let phone = facts.ants_phone.clone().unwrap_or_else(|| "—".into());
        let mut about = vec![
            self.text(lang, &format!("letter-about-{}", kind.as_str()), Args::new().with("phone", phone)),
            self.text(lang, &format!("letter-says-{}", kind.as_str()), says),
        ];
        // Four months of silence may be a refusal: that can change the remedy.
        if let (true, Some((filed, ends))) = (kind.is_anef(), letters::silence_over(facts)) {
            about.push(self.text(lang, "letter-silence-over", Args::new().with("filed", format_day(filed)).with("date", format_day(ends))));
        }
        if kind == LetterKind::Email {
            about.push(match &facts.to.email {
                Some(email) => self.text(lang, "letter-mailto", Args::new().with("link", mailto(email, letter))),
                None => self.text(lang, "letter-mailto-no-address", Args::new()),
            });
        }
        if letter.incomplete {
            about.push(self.text(lang, "letter-missing", Args::new()));
        }
        about.push(self.text(lang, "letter-draft", Args::new()));
        about.join("\n\n")
    }

    /// What the letters say, from one watch (its first page), the chat's
    /// profile, its tries there and the robot's figures since it watches;
    /// `None` when the catalog no longer has the watch's pages.
    async fn letter_facts(&self, turn: &Turn, watch: &[&crate::store::SubscriptionStatus]) -> Result<Option<Facts>, ConversationError> {
        let address = &turn.record.address;
        let catalog = self.catalog();
        let Some((subscription, target)) = watch.iter().find_map(|s| Some((*s, catalog.target(&s.target)?))) else { return Ok(None) };
        let profile = self.open_profile(address).await?.unwrap_or_default();
        let pages: Vec<&str> = watch.iter().map(|s| s.target.as_str()).collect();
        let tries = self.letter_tries(turn, &pages).await?;
        let figures = letters::figures(self.store.as_ref(), &target.id, subscription.since, self.now()).await?;
        Ok(Some(Facts::about_page(&self.localizer, &catalog, target, figures, profile, tries, paris_day(self.now()))))
    }

    /// The person's tries, each as a French line, with its instant: their
    /// journal, and their checks of the watch's `pages` that found no slot
    /// (a check that found slots is no failed try, and a check of another
    /// prefecture is none of this letter's business).
    async fn letter_tries(&self, turn: &Turn, pages: &[&str]) -> Result<Vec<TryLine>, ConversationError> {
        let journal = self.store.journal(&turn.record.address).await?;
        let removed = super::dossier::removed_ids(&journal);
        let mut tries = Vec::new();
        for entry in journal.iter().filter(|e| !removed.contains(&e.id)) {
            let EntryBody::Attempt { kind, note, letter_number, .. } = &entry.entry.body else { continue };
            let details: Vec<String> = [letter_number.as_ref().map(|n| format!("n° {n}")), note.clone()].into_iter().flatten().collect();
            tries.push((entry.entry.at, TryLine::new(&self.localizer, entry.entry.at, *kind, &details.join(" — "))));
        }
        let checks = self.store.attempts(&turn.record.address, 10_000).await?;
        for check in checks.iter().filter(|c| pages.contains(&c.probe.target.as_str()) && !matches!(c.probe.outcome, Outcome::Slots { .. }))
        {
            let at = check.probe.finished_at;
            let result = if check.probe.outcome.is_success() {
                self.result_text(Lang::Fr, &check.probe.outcome)
            } else {
                self.localizer.letter_text("check-failed", &Args::new())
            };
            tries.push((at, TryLine::new(&self.localizer, at, AttemptKind::Web, &result)));
        }
        tries.sort_by_key(|(at, _)| *at);
        Ok(tries.into_iter().map(|(_, line)| line).collect())
    }
}

/// The letter in French: its text in the chat, and as a PDF and a text file.
fn letter_files(kind: LetterKind, letter: &letters::Letter) -> Reply {
    let mut reply = Reply::text(format!("{}\n\n{}", letter.subject, letter.body));
    let stem = format!("guichet-{}-{}", kind.as_str(), paris_today().format("%Y-%m-%d"));
    let document =
        Document { title: letter.subject.clone(), blocks: letter.body.split("\n\n").map(|p| Block::Paragraph(p.to_string())).collect() };
    match pdf::render(&document) {
        Ok(bytes) => reply.attachments.push(Attachment {
            kind: AttachmentKind::Document,
            name: format!("{stem}.pdf"),
            mime: "application/pdf".into(),
            bytes,
        }),
        Err(error) => tracing::error!(%error, "could not print a letter"),
    }
    let text = format!("{}\n\n{}\n", letter.subject, letter.body).into_bytes();
    reply.attachments.push(Attachment {
        kind: AttachmentKind::Document,
        name: format!("{stem}.txt"),
        mime: "text/plain".into(),
        bytes: text,
    });
    reply
}
