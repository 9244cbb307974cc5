//! A procedure that is not booked on a page we watch but filed online: on
//! ANEF, or by a prefecture's request form. There is nothing to watch; the
//! person is told their way, which is kept (in a private chat) for their
//! letters and deadlines, and offered what helps next: their dates, for the
//! reminders, or recording the form they sent.

use super::callback::{Callback, ProfileButton, TriedButton};
use super::{Conversation, ConversationError, Turn};
use crate::catalog::ways::{Way, WayKind};
use crate::i18n::Args;
use crate::journal::AttemptKind;
use crate::store::ChosenPath;

impl Conversation {
    /// Says the way of `procedure` in `departement` (ANEF or a form), keeps
    /// it as the chat's path, and offers the next step; the procedures stay
    /// offered below.
    pub(super) async fn online_path(
        &self,
        turn: &mut Turn,
        departement: &str,
        procedure: &str,
        way: &Way,
    ) -> Result<(), ConversationError> {
        let args = self
            .prompt_args()
            .with("procedure", self.procedure_label(turn.lang, procedure))
            .with("departement", self.departement_name(departement))
            .with("url", way.url.clone());
        let (text, next) = match way.kind {
            WayKind::Form => (
                self.text(turn.lang, "path-form", args),
                Callback::Tried(TriedButton::Kind(AttemptKind::Form)).choice(self.text(turn.lang, "path-form-sent", Args::new())),
            ),
            _ => (
                self.text(turn.lang, "path-anef", args),
                Callback::Profile(ProfileButton::Dates).choice(self.text(turn.lang, "path-give-dates", Args::new())),
            ),
        };
        if !turn.record.is_group {
            let path = ChosenPath { departement: departement.to_string(), procedure: procedure.to_string(), at: self.now() };
            self.store.save_chat(&turn.record, self.now()).await?;
            self.store.choose_path(&turn.record.address, &path).await?;
        }
        // What is personal (dates, a form sent) is only offered in private.
        let first = if turn.record.is_group { Vec::new() } else { vec![next] };
        self.say_with_procedures(turn, departement, text, first);
        Ok(())
    }
}
