//! The conversation, written once for every transport.
//!
//! Input: who wrote, where (private chat or group), what (text or a chosen
//! option), and the language the chat network suggests. Output: messages
//! with options. The state of each chat is stored after every message, so a
//! restart loses nobody mid-way.

pub mod callback;
mod check;
mod deadlines;
mod dossier;
mod hosts;
mod input;
mod letter;
mod operator;
mod path;
mod profile;
mod secrets;
mod stats;
mod tried;

use std::sync::Arc;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::catalog::ways::{Channel, Way, WayKind};
use crate::catalog::{Catalog, CatalogHandle, Departement, DepartementMatch, System, Target};
use crate::chat::{ChatAddress, ChatKind, Choice, Incoming, Reply};
use crate::checks::Checks;
use crate::i18n::{Args, Lang, Localizer};
use crate::journal::AttemptKind;
use crate::operator::OperatorTargets;
use crate::outcome::Outcome;
use crate::privacy::Vault;
use crate::profile::Field;
use crate::store::{ChatRecord, Store, StoreError, StoredProbe, SubscriptionStatus};
use crate::time::{format_date, format_instant};
use callback::{Callback, Stop};
use input::{read_input, Command, Expecting, Input};
use profile::Walk;

/// What the conversation needs to know of the operator's settings.
#[derive(Clone, Debug)]
pub struct ConversationSettings {
    /// How often each target is probed, told to people when they subscribe.
    pub probe_interval: std::time::Duration,
    /// The booking systems probed automatically; targets on the others are
    /// said plainly to need checking by hand.
    pub probed_systems: Vec<System>,
    /// The chats that may change the catalog with `/target`.
    pub operators: Vec<ChatAddress>,
    /// Files people send as proof are refused above this size.
    pub max_file_bytes: usize,
    /// Where each target's page of the public barometer is, when one is
    /// published (`[web] public_url`): `/stats` links to it.
    pub barometer: Option<PageLinks>,
    /// Where "now" comes from.
    pub clock: Arc<dyn crate::time::Clock>,
}

/// The address of a target's public page in a language: given by whoever
/// publishes the pages, so that the conversation knows nothing of their paths.
#[derive(Clone)]
pub struct PageLinks(Arc<LinkMaker>);

/// Makes a target's public link in a language.
type LinkMaker = dyn Fn(Lang, &str) -> String + Send + Sync;

impl PageLinks {
    /// Links made by `link(lang, target)`.
    pub fn new(link: impl Fn(Lang, &str) -> String + Send + Sync + 'static) -> PageLinks {
        PageLinks(Arc::new(link))
    }

    /// The address of `target`'s page in `lang`.
    pub fn link(&self, lang: Lang, target: &str) -> String {
        (self.0)(lang, target)
    }
}

impl std::fmt::Debug for PageLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageLinks(…)")
    }
}

/// What can go wrong while answering.
#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    /// The store failed; the person's message was not handled.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a chat stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
enum Step {
    #[default]
    Idle,
    Language {
        onboarding: bool,
    },
    Departement,
    Procedure {
        departement: String,
    },
    Confirm {
        departement: String,
        procedure: String,
    },
    Stop,
    /// A captcha of this target was sent: the next text is its code.
    Code {
        target: String,
    },
    /// `/tried`: which kind of attempt.
    Tried,
    /// A registered letter: its number.
    TriedLetter,
    /// An ANTS contact or a request form: its ticket or reference.
    TriedReference {
        kind: AttemptKind,
    },
    /// An attempt of this kind: a note, a file, or "save".
    TriedDetails {
        kind: AttemptKind,
        letter_number: Option<String>,
    },
    /// `/profile`: the value of this field; `walking` through them all, or
    /// through the dates of the person's deadlines only (`dates`).
    ProfileField {
        field: Field,
        walking: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        dates: bool,
    },
    /// `/forget`: erase everything?
    ForgetConfirm,
}

impl Step {
    /// What typed text means at this step (see [`input::read_input`]).
    fn expecting(&self) -> Expecting {
        match self {
            Step::Departement => Expecting::TextWithNumbers,
            Step::ProfileField { field: Field::Stakes | Field::FilingReference, .. } => Expecting::TextWithNumbers,
            Step::Code { .. } | Step::TriedLetter | Step::TriedReference { .. } | Step::TriedDetails { .. } | Step::ProfileField { .. } => {
                Expecting::Text
            }
            _ => Expecting::Options,
        }
    }

    /// The question this step asks, when it is one sentence of the locales
    /// (the others are built by [`Conversation::question`]).
    fn prompt(&self) -> Option<String> {
        Some(match self {
            Step::Stop => "stop-which".into(),
            Step::Code { .. } => "check-code-again".into(),
            Step::Tried => "tried-ask".into(),
            Step::TriedLetter => "tried-letter-number".into(),
            Step::TriedReference { kind } => format!("tried-reference-{}", kind.as_str()),
            Step::TriedDetails { .. } => "tried-details".into(),
            Step::ProfileField { field, .. } => format!("profile-ask-{}", field.as_str()),
            Step::ForgetConfirm => "forget-confirm".into(),
            Step::Idle | Step::Language { .. } | Step::Departement | Step::Procedure { .. } | Step::Confirm { .. } => return None,
        })
    }
}

/// The stored state of a chat: the step, and the options last offered (so
/// that "2" means the second of them on transports without buttons).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct State {
    #[serde(flatten)]
    step: Step,
    #[serde(default)]
    offered: Vec<Choice>,
}

/// The conversation engine shared by every transport.
pub struct Conversation {
    store: Arc<dyn Store>,
    catalog: CatalogHandle,
    localizer: Arc<Localizer>,
    settings: ConversationSettings,
    operator_targets: Option<Arc<OperatorTargets>>,
    checks: Option<Arc<Checks>>,
    vault: Option<Arc<Vault>>,
    hosts: Option<Arc<crate::hosts::Hosts>>,
    /// The language of each chat that erased everything with `/forget`, so
    /// that its next answer is still in that language. Only in memory, and
    /// only until that next message: nothing of the person is stored.
    forgotten_languages: std::sync::Mutex<std::collections::HashMap<ChatAddress, Lang>>,
}

/// One chat's turn: its record, its state and its language.
struct Turn {
    record: ChatRecord,
    state: State,
    lang: Lang,
    /// Whether the language was chosen, kept or suggested by the chat
    /// network, rather than French by default.
    lang_known: bool,
    replies: Vec<Reply>,
    /// The person erased everything: nothing is written back.
    forgotten: bool,
}

impl Conversation {
    /// A conversation over this store, catalog and locales.
    pub fn new(
        store: Arc<dyn Store>,
        catalog: impl Into<CatalogHandle>,
        localizer: Arc<Localizer>,
        settings: ConversationSettings,
    ) -> Self {
        Conversation {
            store,
            catalog: catalog.into(),
            localizer,
            settings,
            operator_targets: None,
            checks: None,
            vault: None,
            hosts: None,
            forgotten_languages: Default::default(),
        }
    }

    /// Shows the operators' chats the state of every booking host under `/status`.
    pub fn with_hosts(mut self, hosts: Arc<crate::hosts::Hosts>) -> Self {
        self.hosts = Some(hosts);
        self
    }

    /// Lets the operators' chats change the catalog through `targets`.
    pub fn with_operator_targets(mut self, targets: Arc<OperatorTargets>) -> Self {
        self.operator_targets = Some(targets);
        self
    }

    /// The catalog in use now.
    fn catalog(&self) -> Arc<Catalog> {
        self.catalog.current()
    }

    /// The same conversation, keeping profiles sealed with `vault` (none:
    /// profiles cannot be given).
    pub fn with_vault(mut self, vault: Option<Arc<Vault>>) -> Self {
        self.vault = vault;
        self
    }

    /// The same conversation, offering checks of captcha-gated pages through `checks`.
    pub fn with_checks(mut self, checks: Arc<Checks>) -> Self {
        self.checks = Some(checks);
        self
    }

    /// Answers one message. The chat's state is saved before returning.
    pub async fn handle(&self, incoming: &Incoming) -> Result<Vec<Reply>, ConversationError> {
        let mut turn = self.load(incoming).await?;
        let input = read_input(&incoming.content, turn.state.step.expecting(), &turn.state.offered);
        // What kind of message, never its words: they may be personal.
        tracing::debug!(transport = %incoming.chat.transport, input = %input.label(), "answering");
        self.dispatch(&mut turn, input, incoming).await?;
        // French by default is not a choice: the first screen asks again.
        if turn.lang_known {
            turn.record.lang = Some(turn.lang);
        }
        turn.record.state = serde_json::to_string(&turn.state).expect("the state always serialises");
        if turn.forgotten {
            self.forgotten_languages.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(turn.record.address.clone(), turn.lang);
        } else {
            self.store.save_chat(&turn.record, self.now()).await?;
        }
        Ok(turn.replies)
    }

    async fn load(&self, incoming: &Incoming) -> Result<Turn, ConversationError> {
        let mut record = self.store.chat(&incoming.chat).await?.unwrap_or_else(|| ChatRecord {
            address: incoming.chat.clone(),
            is_group: false,
            lang: None,
            state: String::new(),
            paused: false,
        });
        // Who can read this chat is what the transport sees now (a private
        // room that gained a member is a group's), never what was stored.
        record.is_group = incoming.kind == ChatKind::Group;
        let forgotten = self.forgotten_languages.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&incoming.chat);
        let known = record.lang.or(forgotten).or_else(|| incoming.lang_hint.as_deref().and_then(Lang::from_hint));
        // A state that does not read back (older version, hand edit) starts over rather than failing.
        let state = serde_json::from_str(&record.state).unwrap_or_default();
        Ok(Turn { record, state, lang: known.unwrap_or(Lang::Fr), lang_known: known.is_some(), replies: Vec::new(), forgotten: false })
    }

    /// The current instant, by the conversation's clock.
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.settings.clock.now()
    }

    fn text(&self, lang: Lang, id: &str, args: Args) -> String {
        self.localizer.text(lang, id, &args)
    }

    /// The messages `ids` in each language, one paragraph per language.
    fn in_every_language(&self, ids: &[&str]) -> String {
        Lang::ALL
            .iter()
            .map(|lang| ids.iter().map(|id| self.text(*lang, id, Args::new())).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn say(&self, turn: &mut Turn, id: &str, args: Args) {
        let text = self.text(turn.lang, id, args);
        turn.replies.push(Reply::text(text));
    }

    async fn dispatch(&self, turn: &mut Turn, input: Input, incoming: &Incoming) -> Result<(), ConversationError> {
        // Someone writing again to a paused chat can be reached again.
        turn.record.paused = false;
        if incoming.kind == ChatKind::Group {
            match group_access(&input, &turn.state.step, incoming.sender_is_admin) {
                GroupAccess::Allowed => {}
                GroupAccess::Ignored => return Ok(()),
                GroupAccess::AdminsOnly => {
                    self.say(turn, "group-admins-only", Args::new());
                    return Ok(());
                }
                GroupAccess::Private => {
                    // A question left open when the chat was private is closed.
                    turn.state = State::default();
                    turn.replies.extend(self.private_only(turn));
                    return Ok(());
                }
            }
        }
        match input {
            Input::Command(Command::Check) => self.check_command(turn, incoming).await,
            Input::Command(Command::Dossier) => self.dossier_command(turn).await,
            Input::Command(Command::Profile) => self.profile_command(turn).await,
            Input::Command(Command::Letter) => self.letter_command(turn).await,
            Input::Command(Command::MyData) => self.mydata_command(turn).await,
            Input::Command(Command::Deadlines) => self.deadlines_command(turn).await,
            Input::Command(Command::Forget) => {
                self.forget_command(turn);
                Ok(())
            }
            Input::Command(Command::Tried) => {
                self.tried_command(turn);
                Ok(())
            }
            Input::File(upload) => self.tried_file(turn, upload).await,
            Input::Command(command) => self.command(turn, command).await,
            Input::TooLong(length) => {
                self.say(turn, "input-too-long", Args::new().with("length", length as u64).with("limit", input::MAX_CHARS as u64));
                self.ask_again(turn);
                Ok(())
            }
            Input::Empty => {
                self.say(turn, "input-empty", Args::new());
                self.ask_again(turn);
                Ok(())
            }
            Input::Secret => {
                self.say(turn, "input-secret", Args::new());
                self.ask_again(turn);
                Ok(())
            }
            Input::Cancel => {
                let id = if turn.state.step == Step::Idle { "idle-hint" } else { "input-cancelled" };
                turn.state = State::default();
                self.say(turn, id, Args::new());
                Ok(())
            }
            // Check buttons live on alerts and reminders: valid at any step.
            Input::Choice(Some(Callback::Check(target))) => self.check_target(turn, incoming, &target).await,
            Input::Choice(Some(Callback::Tried(button))) => self.tried_choice(turn, button).await,
            Input::Choice(Some(Callback::Profile(button))) => self.profile_choice(turn, button).await,
            Input::Choice(Some(Callback::Forget(yes))) => self.forget_choice(turn, incoming, yes).await,
            Input::Choice(Some(Callback::Letter(kind, target))) => self.letter_choice(turn, kind, target).await,
            Input::Choice(Some(callback)) => self.choice(turn, callback).await,
            Input::Choice(None) => {
                self.say(turn, "choice-expired", Args::new());
                self.ask_again(turn);
                Ok(())
            }
            Input::Text(text) => match turn.state.step.clone() {
                Step::Code { target } => self.check_code(turn, incoming, &target, &text).await,
                Step::TriedLetter | Step::TriedReference { .. } | Step::TriedDetails { .. } => self.tried_text(turn, &text).await,
                Step::ProfileField { field, walking, dates } => self.profile_text(turn, field, Walk::of(walking, dates), &text).await,
                _ => {
                    self.free_text(turn, &text);
                    Ok(())
                }
            },
        }
    }

    async fn command(&self, turn: &mut Turn, command: Command) -> Result<(), ConversationError> {
        match command {
            Command::Start if turn.record.is_group => {
                let mut reply = Reply::text(self.text(turn.lang, "group-welcome", Args::new()));
                reply.private_chat = Some(self.text(turn.lang, "button-private-chat", Args::new()));
                turn.replies.push(reply);
            }
            Command::Start if !turn.lang_known => {
                // Nobody knows yet which language the person reads: the first
                // screen speaks all three, and so does its question.
                let welcome = self.in_every_language(&["welcome", "choose-language"]);
                self.ask(turn, Step::Language { onboarding: true });
                if let Some(question) = turn.replies.last_mut() {
                    question.text = welcome;
                }
            }
            Command::Start => {
                self.say(turn, "welcome", Args::new());
                self.ask(turn, Step::Language { onboarding: true });
            }
            Command::Watch => self.ask(turn, Step::Departement),
            Command::Lang => self.ask(turn, Step::Language { onboarding: false }),
            Command::Help => {
                self.say(turn, "help", Args::new());
                turn.state = State::default();
            }
            Command::Status => {
                self.status(turn).await?;
                self.host_status(turn);
            }
            Command::Stats => self.stats(turn).await?,
            Command::Stop { all } => self.stop_command(turn, all).await?,
            // Handled before: they need more than the command.
            Command::Check
            | Command::Tried
            | Command::Dossier
            | Command::Profile
            | Command::Forget
            | Command::MyData
            | Command::Letter
            | Command::Deadlines => {}
            Command::Unwatch => self.stop_command(turn, false).await?,
            Command::Target(arguments) => self.operator_command(turn, &arguments).await?,
            Command::Unknown(name) => self.unknown_command(turn, &name),
        }
        Ok(())
    }

    /// A command the bot does not know: said once, and the open question,
    /// if any, asked again (an idle chat needs no second hint: the message
    /// already points to /help).
    fn unknown_command(&self, turn: &mut Turn, name: &str) {
        self.say(turn, "unknown-command", Args::new().with("command", name.to_string()));
        if turn.state.step != Step::Idle {
            self.ask_again(turn);
        }
    }

    async fn choice(&self, turn: &mut Turn, callback: Callback) -> Result<(), ConversationError> {
        match (turn.state.step.clone(), callback) {
            (Step::Language { onboarding }, Callback::Language(lang)) => self.chose_language(turn, lang, onboarding),
            (Step::Departement, Callback::Departement(code)) => self.chose_departement(turn, &code),
            (Step::Departement, Callback::Region(index)) => self.chose_region(turn, index),
            (Step::Procedure { departement }, Callback::Procedure(procedure)) => {
                self.chose_procedure(turn, &departement, &procedure).await?
            }
            (Step::Confirm { departement, procedure }, Callback::Confirm(yes)) => {
                self.confirmed(turn, &departement, &procedure, yes).await?
            }
            (Step::Stop, Callback::Stop(which)) => self.chose_stop(turn, which).await?,
            // A button from an older message: say so kindly and ask what stands now.
            _ => {
                self.say(turn, "choice-expired", Args::new());
                self.ask_again(turn);
            }
        }
        Ok(())
    }

    fn free_text(&self, turn: &mut Turn, text: &str) {
        match turn.state.step {
            Step::Departement => self.typed_departement(turn, text),
            Step::Idle if !turn.lang_known => turn.replies.push(Reply::text(self.in_every_language(&["idle-hint"]))),
            Step::Idle => self.say(turn, "idle-hint", Args::new()),
            _ => {
                self.say(turn, "choose-an-option", Args::new());
                self.ask_again(turn);
            }
        }
    }

    fn chose_language(&self, turn: &mut Turn, lang: Lang, onboarding: bool) {
        turn.lang = lang;
        turn.lang_known = true;
        if onboarding {
            self.ask(turn, Step::Departement);
        } else {
            self.say(turn, "language-set", Args::new().with("language", self.text(turn.lang, "language-name", Args::new())));
            turn.state = State::default();
        }
    }

    fn typed_departement(&self, turn: &mut Turn, text: &str) {
        match self.catalog().find_departement(text) {
            DepartementMatch::One(departement) => {
                let code = departement.code.clone();
                self.chose_departement(turn, &code);
            }
            DepartementMatch::Several(candidates) => {
                let text = self.text(turn.lang, "departement-several", Args::new());
                self.offer_departements(turn, text, &candidates);
            }
            // The regions were listed with the question: asked again, it
            // is one line, and the shortcuts already offered still work.
            DepartementMatch::None => self.say(turn, "departement-unknown", Args::new().with("input", shorten(text))),
        }
    }

    fn chose_region(&self, turn: &mut Turn, index: usize) {
        let catalog = self.catalog();
        let regions = catalog.regions();
        let Some(region) = regions.get(index) else {
            return self.ask(turn, Step::Departement);
        };
        match self.catalog().departements_in(region).as_slice() {
            [only] => {
                let code = only.code.clone();
                self.chose_departement(turn, &code);
            }
            departements => {
                let text = self.text(turn.lang, "departement-in-region", Args::new().with("region", region.to_string()));
                self.offer_departements(turn, text, departements);
            }
        }
    }

    /// Offers départements as shortcuts; the person may still type one.
    fn offer_departements(&self, turn: &mut Turn, text: String, departements: &[&Departement]) {
        let options: Vec<Choice> =
            departements.iter().map(|d| Callback::Departement(d.code.clone()).choice(departement_label(d))).collect();
        turn.state = State { step: Step::Departement, offered: options.clone() };
        turn.replies.push(Reply { text, options, free_text: true, ..Reply::default() });
    }

    fn chose_departement(&self, turn: &mut Turn, code: &str) {
        if self.catalog().departement(code).is_some() {
            self.ask(turn, Step::Procedure { departement: code.to_string() });
        } else {
            self.ask(turn, Step::Departement);
        }
    }

    async fn chose_procedure(&self, turn: &mut Turn, departement: &str, procedure: &str) -> Result<(), ConversationError> {
        let catalog = self.catalog();
        if catalog.procedure(procedure).is_none() {
            self.ask(turn, Step::Procedure { departement: departement.to_string() });
            return Ok(());
        }
        match catalog.channel(departement, procedure) {
            Channel::Watch(_) => self.ask(turn, Step::Confirm { departement: departement.to_string(), procedure: procedure.to_string() }),
            Channel::Way(way) if matches!(way.kind, WayKind::Anef | WayKind::Form) => {
                self.online_path(turn, departement, procedure, way).await?
            }
            Channel::Way(way) => self.other_way(turn, departement, procedure, Some(way)),
            Channel::Unknown => self.other_way(turn, departement, procedure, None),
        }
        Ok(())
    }

    async fn confirmed(&self, turn: &mut Turn, departement: &str, procedure: &str, yes: bool) -> Result<(), ConversationError> {
        turn.state = State::default();
        if !yes {
            self.say(turn, "subscription-cancelled", Args::new());
            return Ok(());
        }
        let catalog = self.catalog();
        let targets = catalog.targets_for(departement, procedure);
        let ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
        self.store.subscribe(&turn.record.address, &ids, self.now()).await?;
        let minutes = (self.settings.probe_interval.as_secs() / 60).max(1);
        let args = Args::new().with("procedure", self.procedure_label(turn.lang, procedure)).with("minutes", minutes);
        // One short message: the confirmation, then what the pages need said
        // (a captcha, no automatic probe, a link no person checked), once each.
        let mut paragraphs = vec![self.text(turn.lang, "subscribed", args)];
        paragraphs.extend(self.watch_notes(turn, &targets));
        let options = self.check_buttons(turn.lang, &targets);
        turn.replies.push(Reply::with_options(paragraphs.join("\n\n"), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
        Ok(())
    }

    /// What the pages of one watch need said to the person, each note once:
    /// a captcha to solve or a page to check by hand, and a link that no
    /// person confirmed yet (operators see where it was seen in `/target list`).
    fn watch_notes(&self, turn: &Turn, targets: &[&Target]) -> Vec<String> {
        let mut notes: Vec<String> = Vec::new();
        let mut push = |note: String| {
            if !notes.contains(&note) {
                notes.push(note);
            }
        };
        for target in targets {
            if let Some(line) = self.not_probed(turn.lang, target) {
                push(line);
            }
        }
        if targets.iter().any(|t| !t.confidence.is_confirmed()) {
            push(self.text(turn.lang, "target-unconfirmed-plain", Args::new()));
        }
        notes
    }

    /// A "check now" button per captcha-gated page, where checks are offered.
    fn check_buttons(&self, lang: Lang, targets: &[&Target]) -> Vec<Choice> {
        if self.checks.is_none() {
            return Vec::new();
        }
        targets.iter().filter(|t| t.system.has_captcha()).map(|t| self.check_button(lang, &t.id)).collect()
    }

    /// A chat's subscriptions as the person sees them: one watch per
    /// procedure and place, however many booking pages serve it, in the
    /// order they were first subscribed.
    fn watches<'s>(&self, subscriptions: &'s [SubscriptionStatus]) -> Vec<Vec<&'s SubscriptionStatus>> {
        let catalog = self.catalog();
        let mut groups: Vec<(Option<crate::catalog::Watch>, Vec<&SubscriptionStatus>)> = Vec::new();
        for subscription in subscriptions {
            let watch = catalog.watch_of(&subscription.target);
            match groups.iter_mut().find(|(w, members)| watch.is_some() && *w == watch || members[0].target == subscription.target) {
                Some((_, members)) => members.push(subscription),
                None => groups.push((watch, vec![subscription])),
            }
        }
        groups.into_iter().map(|(_, members)| members).collect()
    }

    /// A watch's name: "Procedure — Place (93)".
    fn watch_label(&self, lang: Lang, target: &str) -> String {
        match self.catalog().watch_of(target) {
            Some(watch) => format!("{} — {} ({})", self.procedure_label(lang, &watch.procedure), watch.place, watch.departement),
            None => self.target_label(lang, target),
        }
    }

    async fn stop_command(&self, turn: &mut Turn, all: bool) -> Result<(), ConversationError> {
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        if subscriptions.is_empty() {
            self.say(turn, "status-none", Args::new());
            turn.state = State::default();
        } else if all {
            self.chose_stop(turn, Stop::All).await?;
        } else {
            let mut options: Vec<Choice> = self
                .watches(&subscriptions)
                .iter()
                .map(|watch| Callback::Stop(Stop::Watch(watch[0].target.clone())).choice(self.watch_label(turn.lang, &watch[0].target)))
                .collect();
            options.push(Callback::Stop(Stop::All).choice(self.text(turn.lang, "option-stop-all", Args::new())));
            let text = self.text(turn.lang, "stop-which", Args::new());
            turn.replies.push(Reply::with_options(text, options.clone()));
            turn.state = State { step: Step::Stop, offered: options };
        }
        Ok(())
    }

    /// Stops one watch (every page of it the chat follows), or all.
    async fn chose_stop(&self, turn: &mut Turn, which: Stop) -> Result<(), ConversationError> {
        turn.state = State::default();
        let address = turn.record.address.clone();
        let subscriptions = self.store.subscriptions(&address).await?;
        let Stop::Watch(which) = which else {
            // Counted as the person counts: watches, not pages.
            let watches = self.watches(&subscriptions).len() as u64;
            let stopped = self.store.unsubscribe(&address, None, self.now()).await?;
            let id = if stopped == 0 { "stopped-none" } else { "stopped-all" };
            self.say(turn, id, Args::new().with("count", watches));
            return Ok(());
        };
        let watch = self.watches(&subscriptions).into_iter().find(|w| w.iter().any(|s| s.target == which)).unwrap_or_default();
        let mut stopped = 0;
        for subscription in &watch {
            stopped += self.store.unsubscribe(&address, Some(&subscription.target), self.now()).await?;
        }
        if stopped == 0 {
            self.say(turn, "stopped-none", Args::new());
        } else {
            self.say(turn, "stopped-one", Args::new().with("subscription", self.watch_label(turn.lang, &which)));
        }
        Ok(())
    }

    async fn status(&self, turn: &mut Turn) -> Result<(), ConversationError> {
        let subscriptions = self.store.subscriptions(&turn.record.address).await?;
        if subscriptions.is_empty() {
            self.say(turn, "status-none", Args::new());
            return Ok(());
        }
        let watches = self.watches(&subscriptions);
        let mut lines = vec![self.text(turn.lang, "status-header", Args::new().with("count", watches.len() as u64))];
        let mut options = Vec::new();
        let catalog = self.catalog();
        for watch in &watches {
            lines.push(self.status_lines(turn, watch));
            let targets: Vec<&Target> = watch.iter().filter_map(|s| catalog.target(&s.target)).collect();
            options.extend(self.check_buttons(turn.lang, &targets));
        }
        turn.replies.push(Reply::with_options(lines.join("\n\n"), options.clone()));
        turn.state = State { step: Step::Idle, offered: options };
        Ok(())
    }

    /// One watch in `/status`: its name, its notes, what the last probe of
    /// any of its pages found, and whether its pages fail.
    fn status_lines(&self, turn: &Turn, watch: &[&SubscriptionStatus]) -> String {
        let lang = turn.lang;
        let mut lines = vec![format!("• {}", self.watch_label(lang, &watch[0].target))];
        let catalog = self.catalog();
        let targets: Vec<&Target> = watch.iter().filter_map(|s| catalog.target(&s.target)).collect();
        lines.extend(self.watch_notes(turn, &targets));
        let read_by_probes = targets.iter().any(|t| self.not_probed(lang, t).is_none() || t.system.has_captcha());
        if !read_by_probes && !targets.is_empty() {
            return lines.join("\n");
        }
        let last_success = watch.iter().filter_map(|s| s.last_success.as_ref()).max_by_key(|p| p.finished_at);
        match last_success {
            Some(probe) => lines.push(self.text(
                lang,
                "status-last-success",
                Args::new().with("time", format_instant(probe.finished_at)).with("result", self.result_text(lang, &probe.outcome)),
            )),
            None => lines.push(self.text(lang, "status-never", Args::new())),
        }
        // A page of the watch failing is said, as its notice said it.
        let failing: Vec<&&SubscriptionStatus> =
            watch.iter().filter(|s| s.last_probe.as_ref().is_some_and(|p| !p.outcome.is_success())).collect();
        if !failing.is_empty() {
            if let Some(since) = failing.iter().filter_map(|s| s.failing_since).min() {
                lines.push(self.text(lang, "status-failing-since", Args::new().with("since", format_instant(since))));
            }
            if let Some(failed) = failing.iter().filter_map(|s| s.last_probe.as_ref()).max_by_key(|p| p.finished_at) {
                lines.push(self.failure_line(lang, failed));
            }
        }
        lines.join("\n")
    }

    /// For a target whose calendar automatic probes cannot read: a captcha
    /// stands before it (a person's check reads it), or its booking system
    /// is not probed yet (the page to check by hand).
    fn not_probed(&self, lang: Lang, target: &Target) -> Option<String> {
        let args = Args::new().with("place", target.place.clone()).with("url", target.url.clone());
        if target.system.has_captcha() && self.checks.is_some() {
            return Some(self.text(lang, "target-captcha", args));
        }
        if self.settings.probed_systems.contains(&target.system) {
            return None;
        }
        Some(self.text(lang, "target-not-probed", args))
    }

    fn failure_line(&self, lang: Lang, probe: &StoredProbe) -> String {
        let problem = self.text(lang, &format!("problem-{}", probe.outcome.kind().replace('_', "-")), Args::new());
        self.text(lang, "status-last-failure", Args::new().with("time", format_instant(probe.finished_at)).with("problem", problem))
    }

    fn result_text(&self, lang: Lang, outcome: &Outcome) -> String {
        match outcome {
            Outcome::Slots { first, count, .. } => {
                self.text(lang, "result-slots", Args::new().with("count", *count).with("first", format_date(*first, lang)))
            }
            _ => self.text(lang, "result-no-slot", Args::new()),
        }
    }

    /// Asks the question of `step`, with its options, and moves there.
    fn ask(&self, turn: &mut Turn, step: Step) {
        let reply = self.question(turn.lang, &step);
        turn.state = State { step, offered: reply.options.clone() };
        turn.replies.push(reply);
    }

    /// What a step's prompt may name: the ANTS contact centre's number.
    fn prompt_args(&self) -> Args {
        let phone = self.catalog().contact(crate::catalog::contacts::ANTS_CONTACT_PHONE).unwrap_or_default().to_string();
        Args::new().with("phone", phone)
    }

    /// Asks the current question again (after an answer we could not use),
    /// with the options it offered.
    fn ask_again(&self, turn: &mut Turn) {
        let step = turn.state.step.clone();
        match step.prompt() {
            Some(id) => {
                let reply = Reply {
                    text: self.text(turn.lang, &id, self.prompt_args()),
                    options: turn.state.offered.clone(),
                    free_text: step.expecting() == Expecting::TextWithNumbers,
                    ..Reply::default()
                };
                turn.replies.push(reply);
            }
            None if step == Step::Idle => self.say(turn, "idle-hint", Args::new()),
            None => self.ask(turn, step),
        }
    }

    fn question(&self, lang: Lang, step: &Step) -> Reply {
        match step {
            Step::Language { .. } => Reply::with_options(
                self.text(lang, "choose-language", Args::new()),
                Lang::ALL.iter().map(|l| Callback::Language(*l).choice(self.text(*l, "language-name", Args::new()))).collect(),
            ),
            Step::Departement => Reply {
                text: self.text(lang, "ask-departement", Args::new()),
                options: self
                    .catalog()
                    .regions()
                    .iter()
                    .enumerate()
                    .map(|(i, region)| Callback::Region(i).choice(region.to_string()))
                    .collect(),
                free_text: true,
                ..Reply::default()
            },
            Step::Procedure { departement } => self.procedure_question(lang, departement),
            Step::Confirm { departement, procedure } => self.confirm_question(lang, departement, procedure),
            Step::Idle
            | Step::Stop
            | Step::Code { .. }
            | Step::Tried
            | Step::TriedLetter
            | Step::TriedReference { .. }
            | Step::TriedDetails { .. }
            | Step::ProfileField { .. }
            | Step::ForgetConfirm => Reply::text(self.text(lang, "idle-hint", Args::new())),
        }
    }

    /// The procedures of a département: first those with a page to watch,
    /// then the others, marked with their channel (ANEF, a request form,
    /// another way), which answer with where to go instead.
    fn procedure_question(&self, lang: Lang, departement: &str) -> Reply {
        let catalog = self.catalog();
        let (watched, others): (Vec<_>, Vec<_>) = catalog
            .procedures()
            .iter()
            .map(|p| (p, catalog.channel(departement, &p.id)))
            .partition(|(_, channel)| matches!(channel, Channel::Watch(_)));
        let mut options: Vec<Choice> =
            watched.iter().map(|(p, _)| Callback::Procedure(p.id.clone()).choice(self.procedure_label(lang, &p.id))).collect();
        options.extend(others.iter().map(|(p, channel)| {
            let mark = match channel {
                Channel::Way(way) if way.kind == WayKind::Anef => "procedure-on-anef",
                Channel::Way(way) if way.kind == WayKind::Form => "procedure-by-form",
                _ => "procedure-other-way",
            };
            let label = self.text(lang, mark, Args::new().with("procedure", self.procedure_label(lang, &p.id)));
            Callback::Procedure(p.id.clone()).choice(label)
        }));
        let mut text = self.text(lang, "ask-procedure", Args::new().with("departement", self.departement_name(departement)));
        if !others.is_empty() {
            text.push('\n');
            text.push_str(&self.text(lang, "ask-procedure-other-ways", Args::new()));
        }
        Reply::with_options(text, options)
    }

    /// A procedure with no page to watch here, and its `way` (the
    /// prefecture's site, a first-reception structure) from the catalog, if
    /// any; the procedures stay offered.
    fn other_way(&self, turn: &mut Turn, departement: &str, procedure: &str, way: Option<&Way>) {
        let args = Args::new()
            .with("procedure", self.procedure_label(turn.lang, procedure))
            .with("departement", self.departement_name(departement));
        let text = match way {
            Some(way) => self.text(turn.lang, &format!("way-{}", way.kind.as_str()), args.with("url", way.url.clone())),
            None => self.text(turn.lang, "no-online-booking", args),
        };
        self.say_with_procedures(turn, departement, text, Vec::new());
    }

    /// Says `text` with `first` options, then the département's procedures
    /// offered again: the person may pick another.
    fn say_with_procedures(&self, turn: &mut Turn, departement: &str, text: String, mut options: Vec<Choice>) {
        options.extend(self.procedure_question(turn.lang, departement).options);
        turn.replies.push(Reply::with_options(text, options.clone()));
        turn.state = State { step: Step::Procedure { departement: departement.to_string() }, offered: options };
    }

    fn confirm_question(&self, lang: Lang, departement: &str, procedure: &str) -> Reply {
        let catalog = self.catalog();
        let targets = catalog.targets_for(departement, procedure);
        let mut places: Vec<&str> = Vec::new();
        for target in &targets {
            if !places.contains(&target.place.as_str()) {
                places.push(&target.place);
            }
        }
        let args = Args::new()
            .with("procedure", self.procedure_label(lang, procedure))
            .with("departement", self.departement_name(departement))
            .with("places", places.join(", "))
            .with("count", targets.len() as u64);
        Reply::with_options(
            self.text(lang, "confirm-subscription", args),
            vec![
                Callback::Confirm(true).choice(self.text(lang, "option-yes", Args::new())),
                Callback::Confirm(false).choice(self.text(lang, "option-no", Args::new())),
            ],
        )
    }

    fn procedure_label(&self, lang: Lang, procedure: &str) -> String {
        self.text(lang, &format!("procedure-{procedure}"), Args::new())
    }

    fn departement_name(&self, code: &str) -> String {
        self.catalog().departement(code).map(departement_label).unwrap_or_else(|| code.to_string())
    }

    /// The target's name in the chat's language (see [`crate::catalog::Catalog::target_label`]).
    fn target_label(&self, lang: Lang, target: &str) -> String {
        self.catalog().target_label(target, |procedure| self.procedure_label(lang, procedure))
    }
}

/// What a group member may do.
enum GroupAccess {
    Allowed,
    /// Chatter not meant for the bot: no answer, or the group would drown.
    Ignored,
    AdminsOnly,
    /// Personal: asked again in a private chat, whoever asks.
    Private,
}

/// In a group, anyone may ask for /status, /stats or /help and get the welcome;
/// whatever is personal is asked again in a private chat; only
/// admins change what the group watches. Plain text is only read from an
/// admin while the group is choosing a département.
fn group_access(input: &Input, step: &Step, admin: bool) -> GroupAccess {
    match input {
        Input::Command(Command::Status | Command::Stats | Command::Help | Command::Start | Command::Check) => GroupAccess::Allowed,
        Input::Command(
            Command::Tried | Command::Dossier | Command::Profile | Command::Forget | Command::MyData | Command::Letter | Command::Deadlines,
        ) => GroupAccess::Private,
        Input::Choice(Some(callback)) if callback.is_personal() => GroupAccess::Private,
        // Nothing personal is collected in a group.
        Input::File(_) => GroupAccess::Ignored,
        // Anyone may solve a captcha for the group; only a code is read, not chatter.
        Input::Choice(Some(Callback::Check(_))) => GroupAccess::Allowed,
        Input::Text(text) if matches!(step, Step::Code { .. }) && check::read_code(text).is_some() => GroupAccess::Allowed,
        Input::Command(_) | Input::Choice(_) if admin => GroupAccess::Allowed,
        Input::Command(_) | Input::Choice(_) => GroupAccess::AdminsOnly,
        // Whoever posts a password in a group is told at once to change it.
        Input::Secret => GroupAccess::Allowed,
        Input::Text(_) | Input::Cancel | Input::Empty | Input::TooLong(_) if admin && *step == Step::Departement => GroupAccess::Allowed,
        Input::Text(_) | Input::Cancel | Input::Empty | Input::TooLong(_) => GroupAccess::Ignored,
    }
}

fn departement_label(departement: &Departement) -> String {
    format!("{} — {}", departement.code, departement.name)
}

/// What a person typed, cut short enough to quote back.
fn shorten(text: &str) -> String {
    const QUOTE: usize = 40;
    let mut short: String = text.chars().take(QUOTE).collect();
    if text.chars().count() > QUOTE {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chat's state written before its fields were enums still reads back
    /// (the enums keep the names the strings had).
    #[test]
    fn a_stored_state_reads_back_with_its_enums() {
        for (step, expected) in [
            (Step::ProfileField { field: Field::BirthDate, walking: true, dates: false }, "birth-date"),
            (Step::ProfileField { field: Field::FilingDate, walking: true, dates: true }, "filing-date"),
            (Step::TriedDetails { kind: AttemptKind::Phone, letter_number: None }, "phone"),
        ] {
            let state = State { step: step.clone(), offered: Vec::new() };
            let json = serde_json::to_string(&state).unwrap();
            assert!(json.contains(&format!("\"{expected}\"")), "{json}");
            assert_eq!(serde_json::from_str::<State>(&json).unwrap().step, step);
        }
    }
}
