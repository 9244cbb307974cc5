//! The conversation's side of assisted checks: asking which page to check,
//! sending the captcha, reading the code, telling what the calendar shows.

use super::callback::Callback;
use super::{Conversation, ConversationError, State, Step, Turn};
use crate::chat::{Attachment, AttachmentKind, Choice, Incoming, Reply};
use crate::checks::{Captcha, CheckAnswer, CheckStart, Reading};
use crate::i18n::{Args, Lang};
use crate::outcome::Outcome;
use crate::time::format_instant;

/// A captcha code is a few letters and digits; anything else is not sent to the site.
const MAX_CODE_CHARS: usize = 12;

/// The code as the site expects it (spaces people type between characters
/// removed), when it can be one.
pub(super) fn read_code(text: &str) -> Option<String> {
    let code: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let fits = !code.is_empty() && code.chars().count() <= MAX_CODE_CHARS && code.chars().all(|c| c.is_ascii_alphanumeric());
    fits.then_some(code)
}

impl Conversation {
    /// `/check`: the captcha-gated pages the chat watches; one is checked
    /// at once, several are offered.
    pub(super) async fn check_command(&self, turn: &mut Turn, incoming: &Incoming) -> Result<(), ConversationError> {
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        let gated: Vec<String> = subscriptions
            .iter()
            .filter(|s| self.catalog().target(&s.target).is_some_and(|t| t.system.has_captcha()))
            .map(|s| s.target.clone())
            .collect();
        match gated.as_slice() {
            [] => {
                self.say(turn, "check-none", Args::new());
                turn.state = State::default();
            }
            [only] => self.check_target(turn, incoming, only).await?,
            several => {
                let options: Vec<Choice> =
                    several.iter().map(|t| Callback::Check(t.to_string()).choice(self.target_label(turn.lang, t))).collect();
                let text = self.text(turn.lang, "check-which", Args::new());
                turn.replies.push(Reply::with_options(text, options.clone()));
                turn.state = State { step: Step::Idle, offered: options };
            }
        }
        Ok(())
    }

    /// Opens (or joins) a check of `target` and sends its captcha.
    pub(super) async fn check_target(&self, turn: &mut Turn, incoming: &Incoming, target: &str) -> Result<(), ConversationError> {
        turn.state = State::default();
        let catalog = self.catalog();
        let (Some(checks), Some(found)) = (&self.checks, catalog.target(target)) else {
            self.say(turn, "check-none", Args::new());
            return Ok(());
        };
        if !found.system.has_captcha() {
            self.say(turn, "check-none", Args::new());
            return Ok(());
        }
        let person = person(incoming);
        let label = self.target_label(turn.lang, target);
        match checks.start(&person, &turn.record.address, found).await? {
            CheckStart::Captcha { captcha, shared } => {
                let id = if shared { "check-captcha-shared" } else { "check-captcha" };
                self.send_captcha(turn, id, Args::new().with("target", label), &captcha, target);
            }
            CheckStart::TooMany(wait) => {
                let args = Args::new().with("count", checks.per_person() as u64).with("seconds", wait.as_secs().max(1));
                self.say(turn, "check-too-many", args);
            }
            CheckStart::Ended(reading) => self.tell_ended(turn, &label, &reading),
        }
        Ok(())
    }

    /// A code typed while a captcha waits.
    pub(super) async fn check_code(&self, turn: &mut Turn, incoming: &Incoming, target: &str, text: &str) -> Result<(), ConversationError> {
        let catalog = self.catalog();
        let (Some(checks), Some(found)) = (&self.checks, catalog.target(target)) else {
            turn.state = State::default();
            return Ok(());
        };
        let Some(code) = read_code(text) else {
            self.say(turn, "check-code-invalid", Args::new());
            return Ok(());
        };
        turn.state = State::default();
        let label = self.target_label(turn.lang, target);
        match checks.answer(&person(incoming), &turn.record.address, found, &code).await? {
            CheckAnswer::Found(reading) => self.tell_found(turn, &label, &reading),
            CheckAnswer::WrongCode(captcha) => self.send_captcha(turn, "check-wrong-code", Args::new(), &captcha, target),
            CheckAnswer::Expired(captcha) => self.send_captcha(turn, "check-expired", Args::new(), &captcha, target),
            CheckAnswer::AlreadyAnswered(reading) => {
                let args = Args::new()
                    .with("target", label)
                    .with("result", self.result_text(turn.lang, &reading.outcome))
                    .with("time", format_instant(self.now()));
                self.say(turn, "check-already", args);
            }
            CheckAnswer::Ended(reading) => self.tell_ended(turn, &label, &reading),
            CheckAnswer::TooMany(wait) => {
                // The captcha still waits: the person may type again later.
                turn.state = State { step: Step::Code { target: target.to_string() }, offered: Vec::new() };
                self.say(turn, "check-too-many-codes", Args::new().with("seconds", wait.as_secs().max(1)));
            }
        }
        Ok(())
    }

    /// The captcha, its image and sound attached; the chat now waits for the code.
    fn send_captcha(&self, turn: &mut Turn, id: &str, args: Args, captcha: &Captcha, target: &str) {
        let mut reply = Reply::text(self.text(turn.lang, id, args));
        reply.attachments.push(Attachment {
            kind: AttachmentKind::Image,
            name: "captcha.png".into(),
            mime: "image/png".into(),
            bytes: captcha.image.clone(),
        });
        if let Some(audio) = &captcha.audio {
            reply.attachments.push(Attachment {
                kind: AttachmentKind::Audio,
                name: "captcha.wav".into(),
                mime: "audio/wav".into(),
                bytes: audio.clone(),
            });
        }
        turn.replies.push(reply);
        turn.state = State { step: Step::Code { target: target.to_string() }, offered: Vec::new() };
    }

    fn tell_found(&self, turn: &mut Turn, label: &str, reading: &Reading) {
        let id = if matches!(reading.outcome, Outcome::Slots { .. }) { "check-found-slots" } else { "check-found-no-slot" };
        let args = Args::new()
            .with("target", label.to_string())
            .with("result", self.result_text(turn.lang, &reading.outcome))
            .with("url", reading.url.clone())
            .with("time", format_instant(self.now()));
        self.say(turn, id, args);
    }

    fn tell_ended(&self, turn: &mut Turn, label: &str, reading: &Reading) {
        let problem = self.text(turn.lang, &format!("problem-{}", reading.outcome.kind().replace('_', "-")), Args::new());
        self.say(turn, "check-ended", Args::new().with("target", label.to_string()).with("problem", problem));
    }

    /// The button under messages about a captcha-gated page, naming it.
    pub(crate) fn check_button(&self, lang: Lang, target: &str) -> Choice {
        let label = format!("{} — {}", self.text(lang, "button-check", Args::new()), self.target_label(lang, target));
        Callback::Check(target.to_string()).choice(label)
    }
}

/// Who asked, for the per-person limit: the sender where the transport says,
/// else the chat (a private chat is one person).
pub(super) fn person(incoming: &Incoming) -> String {
    match &incoming.sender {
        Some(sender) => format!("{}:{sender}", incoming.chat.transport),
        None => incoming.chat.key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_letters_and_digits_only() {
        assert_eq!(read_code(" a7 K2p "), Some("a7K2p".into()));
        assert_eq!(read_code("123456"), Some("123456".into()));
        for junk in ["", "   ", "hello world how are you", "<script>", "ab-cd", "١٢٣٤", &"A".repeat(13)] {
            assert_eq!(read_code(junk), None, "{junk}");
        }
    }
}
