//! `/target`, the operators' command to change the catalog from a chat, and
//! the provenance lines shown to operators for booking pages not confirmed.
//!
//! Only the chats of [`ConversationSettings::operators`](super::ConversationSettings::operators) may use `/target`;
//! anyone else gets the answer of an unknown command, so that the command's
//! existence is not revealed.

use crate::catalog::allowlist::{UrlRefusal, ALLOWLIST_SETTING};
use crate::catalog::Target;
use crate::i18n::{Args, Lang};
use crate::operator::{assignments, NewTarget, NewWay, OperatorError, OperatorTargets};
use crate::time::format_date;

use super::{Conversation, ConversationError, State, Turn};

/// What an operator asked for, once read.
enum Request<'a> {
    Add { departement: &'a str, procedure: &'a str, url: &'a str, options: Vec<(String, String)> },
    Edit { id: &'a str, fields: Vec<(String, String)> },
    Disable { id: &'a str },
    List { departement: &'a str },
    Way { procedure: &'a str, departement: &'a str, way: &'a str, url: &'a str, source: Option<String> },
    Usage,
}

fn read_request(arguments: &str) -> Request<'_> {
    let words: Vec<&str> = arguments.split_whitespace().collect();
    let action = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    match (action.as_str(), &words[1.min(words.len())..]) {
        ("add", [departement, procedure, url, rest @ ..]) => {
            let (options, loose) = assignments(rest.iter().copied());
            if !loose.is_empty() {
                return Request::Usage;
            }
            Request::Add { departement, procedure, url, options }
        }
        ("edit", [id, rest @ ..]) => {
            let (fields, loose) = assignments(rest.iter().copied());
            if !loose.is_empty() || fields.is_empty() {
                return Request::Usage;
            }
            Request::Edit { id, fields }
        }
        ("disable", [id]) => Request::Disable { id },
        // The source is the rest of the line, spaces and all.
        ("way", [procedure, departement, way, url, rest @ ..]) => {
            let rest = rest.join(" ");
            let source = match rest.strip_prefix("source=") {
                Some(source) => Some(source.trim().to_string()),
                None if rest.is_empty() => None,
                None => return Request::Usage,
            };
            Request::Way { procedure, departement, way, url, source }
        }
        ("list", [departement]) => Request::List { departement },
        _ => Request::Usage,
    }
}

/// The options `/target add` takes after its URL, as `name=value`.
fn new_target(departement: &str, procedure: &str, url: &str, options: &[(String, String)]) -> Result<NewTarget, OperatorError> {
    let mut new = NewTarget { departement: departement.into(), procedure: procedure.into(), url: url.into(), ..NewTarget::default() };
    for (name, value) in options {
        let slot = match name.to_ascii_lowercase().replace('-', "_").as_str() {
            "system" => &mut new.system,
            "id" => &mut new.id,
            "place" => &mut new.place,
            "planning" => &mut new.planning,
            "source" => &mut new.source,
            "source_locator" => &mut new.source_locator,
            "source_date" => &mut new.source_date,
            "confidence" => &mut new.confidence,
            _ => {
                let known = "system, id, place, planning, source, source_locator, source_date, confidence".to_string();
                return Err(OperatorError::UnknownField { given: name.clone(), known });
            }
        };
        *slot = Some(value.clone());
    }
    Ok(new)
}

impl Conversation {
    fn is_operator(&self, turn: &Turn) -> Option<&OperatorTargets> {
        let allowed = self.settings.operators.contains(&turn.record.address);
        self.operator_targets.as_deref().filter(|_| allowed)
    }

    /// Handles `/target …`.
    pub(super) async fn operator_command(&self, turn: &mut Turn, arguments: &str) -> Result<(), ConversationError> {
        let Some(targets) = self.is_operator(turn) else {
            // Word for word what any unknown command gets.
            self.unknown_command(turn, "target");
            return Ok(());
        };
        turn.state = State::default();
        let by = turn.record.address.key();
        let done = match read_request(arguments) {
            Request::Usage => {
                self.say(turn, "operator-usage", Args::new());
                return Ok(());
            }
            Request::List { departement } => return self.list_targets(turn, targets, departement),
            Request::Add { departement, procedure, url, options } => match new_target(departement, procedure, url, &options) {
                Ok(new) => targets.add(&new, &by).await.map(|t| ("operator-added", t)),
                Err(error) => Err(error),
            },
            Request::Edit { id, fields } => targets.edit(id, &fields, &by).await.map(|t| ("operator-edited", t)),
            Request::Disable { id } => targets.disable(id, &by).await.map(|t| ("operator-disabled", t)),
            Request::Way { procedure, departement, way, url, source } => {
                let new = NewWay {
                    procedure: procedure.into(),
                    departement: Some(departement.into()),
                    way: way.into(),
                    url: url.into(),
                    source,
                    source_date: None,
                };
                return self.set_way(turn, targets, &new, &by).await;
            }
        };
        match done {
            Ok((id, target)) => {
                let args = self.target_args(turn.lang, &target);
                self.say(turn, id, args);
            }
            Err(OperatorError::Store(error)) => return Err(error.into()),
            Err(error) => {
                let (id, args) = refusal(&error);
                self.say(turn, id, args);
            }
        }
        Ok(())
    }

    /// `/target way …`: the channel set, said back, or why not.
    async fn set_way(&self, turn: &mut Turn, targets: &OperatorTargets, new: &NewWay, by: &str) -> Result<(), ConversationError> {
        match targets.set_way(new, by).await {
            Ok(way) => {
                let everywhere = self.text(turn.lang, "operator-way-everywhere", Args::new());
                let args = Args::new()
                    .with("procedure", self.procedure_label(turn.lang, &new.procedure))
                    .with("departement", way.departement.map(|d| self.departement_name(&d)).unwrap_or(everywhere))
                    .with("way", way.kind.as_str())
                    .with("url", way.url);
                self.say(turn, "operator-way-set", args);
            }
            Err(OperatorError::Store(error)) => return Err(error.into()),
            Err(error) => {
                let (id, args) = refusal(&error);
                self.say(turn, id, args);
            }
        }
        Ok(())
    }

    fn list_targets(&self, turn: &mut Turn, targets: &OperatorTargets, departement: &str) -> Result<(), ConversationError> {
        match targets.list(Some(departement)) {
            Ok(list) => {
                let mut lines = vec![self.text(
                    turn.lang,
                    "operator-list-header",
                    Args::new().with("count", list.len() as u64).with("departement", departement.to_string()),
                )];
                for target in &list {
                    let mut line =
                        format!("• {} — {} — {} — {} — {}", target.id, target.procedure, target.place, target.confidence, target.url);
                    if !target.enabled {
                        line.push_str(&format!(" ({})", self.text(turn.lang, "operator-list-disabled", Args::new())));
                    }
                    lines.push(line);
                    // Where an unconfirmed page was seen: for operators, who can confirm it.
                    lines.extend(self.provenance(turn.lang, target));
                }
                self.say_text(turn, lines.join("\n"));
            }
            Err(error) => {
                let (id, args) = refusal(&error);
                self.say(turn, id, args);
            }
        }
        Ok(())
    }

    fn say_text(&self, turn: &mut Turn, text: String) {
        turn.replies.push(crate::chat::Reply::text(text));
    }

    fn target_args(&self, lang: Lang, target: &Target) -> Args {
        Args::new()
            .with("id", target.id.clone())
            .with("procedure", self.procedure_label(lang, &target.procedure))
            .with("place", target.place.clone())
            .with("departement", target.departement.clone())
            .with("system", target.system.as_str())
            .with("form", target.form.clone())
            .with("confidence", self.confidence_label(lang, target))
            .with("url", target.url.clone())
    }

    fn confidence_label(&self, lang: Lang, target: &Target) -> String {
        self.text(lang, &format!("confidence-{}", target.confidence.as_str()), Args::new())
    }

    /// For a booking page not confirmed: where it was seen, when, and how
    /// sure we are, so that the person can check the page themselves.
    pub(super) fn provenance(&self, lang: Lang, target: &Target) -> Option<String> {
        if target.confidence.is_confirmed() {
            return None;
        }
        let date = match target.source_date {
            Some(date) => format_date(date, lang),
            None => self.text(lang, "provenance-undated", Args::new()),
        };
        let args = Args::new()
            .with("place", target.place.clone())
            .with("source", target.source.clone())
            .with("date", date)
            .with("confidence", self.confidence_label(lang, target))
            .with("url", target.url.clone());
        Some(self.text(lang, "provenance-unconfirmed", args))
    }
}

/// The message that explains a refusal to the operator.
fn refusal(error: &OperatorError) -> (&'static str, Args) {
    let args = Args::new();
    match error {
        OperatorError::Url(refusal) => match refusal {
            UrlRefusal::HostNotAllowed { host, allowed } => (
                "operator-refused-host",
                args.with("host", host.clone()).with("setting", ALLOWLIST_SETTING).with("allowed", allowed.join(", ")),
            ),
            UrlRefusal::NotUrl(url) => ("operator-refused-not-url", args.with("url", url.clone())),
            UrlRefusal::NotHttps(url) => ("operator-refused-not-https", args.with("url", url.clone())),
            UrlRefusal::Credentials(url) => ("operator-refused-credentials", args.with("url", url.clone())),
            UrlRefusal::IpLiteral(url) => ("operator-refused-ip", args.with("url", url.clone())),
            UrlRefusal::Port(url) => ("operator-refused-port", args.with("url", url.clone())),
        },
        OperatorError::UnknownDepartement(code) => ("operator-unknown-departement", args.with("departement", code.clone())),
        OperatorError::UnknownProcedure { given, known } => {
            ("operator-unknown-procedure", args.with("procedure", given.clone()).with("known", known.clone()))
        }
        OperatorError::UnknownSystem(what) => ("operator-unknown-system", args.with("url", what.clone())),
        OperatorError::UnknownTarget(id) => ("operator-unknown-target", args.with("id", id.clone())),
        OperatorError::UnknownField { given, known } => {
            ("operator-unknown-field", args.with("field", given.clone()).with("known", known.clone()))
        }
        OperatorError::NothingToChange(known) => ("operator-usage", args.with("known", known.clone())),
        OperatorError::Invalid(reason) => ("operator-invalid", args.with("reason", reason.clone())),
        OperatorError::Store(_) | OperatorError::ReadOnly => ("operator-invalid", args.with("reason", error.to_string())),
    }
}
