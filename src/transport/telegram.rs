//! Telegram, through teloxide: every choice is a button, groups are managed by
//! their admins, alerts are HTML with every outside text escaped, and
//! Telegram's limits are kept by our own pacer: 29 messages/s overall, 1/s
//! per chat, 20/min per group, each evenly spaced.

use std::collections::HashMap;
use std::future::IntoFuture as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::{Dispatcher, UpdateFilterExt};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::net::Download;
use teloxide::payloads::setters::*;
use teloxide::prelude::{dptree, Requester};
use teloxide::types::{
    BotCommand, CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, ParseMode, Update, UserId,
};
use teloxide::{ApiError, Bot, RequestError};

use super::{SendError, Transport};
use crate::chat::{AttachmentKind, ChatAddress, ChatKind, Content, Incoming, Reply, Upload};
use crate::conversation::Conversation;
use crate::i18n::{Args, Lang, Localizer};
use crate::store::Store;
use crate::time::Clock;

/// The name of this transport in chat addresses.
pub const NAME: &str = "telegram";
/// Telegram refuses longer messages.
const MAX_MESSAGE: usize = 4096;
/// Telegram refuses longer callback data.
const MAX_CALLBACK_DATA: usize = 64;
/// The least time between two messages overall: 29 a second, one kept in hand
/// under Telegram's 30. Evenly spaced: teloxide's `Throttle` lets a whole
/// second's worth go at once, and network jitter then lands some of them in
/// the next second, above the limit.
const OVERALL_GAP: Duration = Duration::from_micros(1_000_000 / 29);
/// One message a second in a chat.
const CHAT_GAP: Duration = Duration::from_secs(1);
/// Twenty a minute in a group.
const GROUP_GAP: Duration = Duration::from_secs(3);
/// The commands offered in Telegram's menu, each described by `command-<name>`.
const COMMANDS: [&str; 7] = ["start", "watch", "unwatch", "status", "stop", "lang", "help"];

/// How to reach Telegram.
#[derive(Clone, Debug)]
pub struct TelegramSettings {
    /// The bot's token, from BotFather.
    pub token: String,
    /// Another Bot API server (a local one, or the tests' emulator).
    pub api_url: Option<url::Url>,
    /// Receive updates by webhook instead of long polling.
    pub webhook: Option<Webhook>,
    /// Long polling is one instance's at a time: it takes this lease in
    /// the store, renews it, and another instance takes over when it runs
    /// out (see [`POLLING_LEASE`]).
    pub polling_lease: Duration,
}

/// How long an instance holds Telegram's long polling without renewing it:
/// after a crash, another instance polls within this time.
pub const POLLING_LEASE: Duration = Duration::from_secs(30);

/// The lease's name in the store.
const POLLING: &str = "telegram-polling";

/// Webhook mode: Telegram posts updates to `url`, which reaches `listen`.
#[derive(Clone, Debug)]
pub struct Webhook {
    /// The public HTTPS URL Telegram posts to.
    pub url: url::Url,
    /// The local address the webhook server listens on.
    pub listen: SocketAddr,
}

/// What can go wrong while starting Telegram.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// Telegram refused the token or could not be reached.
    #[error("Telegram: {0}")]
    Request(#[from] RequestError),
    /// The webhook's address cannot be bound.
    #[error("webhook on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// The Telegram transport.
pub struct Telegram {
    bot: Bot,
    username: String,
    localizer: Arc<Localizer>,
    pacer: Pacer,
    polling_lease: Duration,
    /// The pace shared with the other instances of the bot, once given.
    shared_pace: std::sync::OnceLock<(Arc<dyn Store>, Arc<dyn Clock>)>,
}

/// Spaces messages evenly in time, overall and per chat.
struct Pacer {
    gaps: Gaps,
    turns: tokio::sync::Mutex<Turns>,
}

/// The least times between two messages.
#[derive(Clone, Copy, Debug)]
struct Gaps {
    overall: Duration,
    chat: Duration,
    group: Duration,
}

/// Telegram's limits.
const TELEGRAM_GAPS: Gaps = Gaps { overall: OVERALL_GAP, chat: CHAT_GAP, group: GROUP_GAP };

/// When the next message may go, overall and to each chat.
struct Turns {
    overall: tokio::time::Instant,
    chats: HashMap<i64, tokio::time::Instant>,
}

impl Pacer {
    fn new(gaps: Gaps) -> Pacer {
        let now = tokio::time::Instant::now();
        Pacer { gaps, turns: tokio::sync::Mutex::new(Turns { overall: now, chats: HashMap::new() }) }
    }

    /// Waits for the turn of a message to `chat` (groups have negative ids),
    /// and says which instant that turn was.
    async fn wait(&self, chat: i64) -> tokio::time::Instant {
        let turn = {
            let mut turns = self.turns.lock().await;
            let now = tokio::time::Instant::now();
            if turns.chats.len() > 10_000 {
                turns.chats.retain(|_, next| *next > now);
            }
            let chat_next = turns.chats.get(&chat).copied().unwrap_or(now);
            let turn = now.max(turns.overall).max(chat_next);
            turns.overall = turn + self.gaps.overall;
            turns.chats.insert(chat, turn + if chat < 0 { self.gaps.group } else { self.gaps.chat });
            turn
        };
        tokio::time::sleep_until(turn).await;
        turn
    }

    /// Holds every message, to every chat, until `until`: Telegram's 429 is
    /// about the bot's pace, not only the message that met it.
    async fn hold(&self, until: tokio::time::Instant) {
        let mut turns = self.turns.lock().await;
        turns.overall = turns.overall.max(until);
    }
}

/// The longest 429 waited out inside one send (a reply, or an alert); a
/// longer wait is handed back as [`SendError::RetryAfter`] (the outbox
/// tries the alert again then).
const INLINE_RETRY: Duration = Duration::from_secs(60);

/// How many times one message is tried within one send.
const TRIES: usize = 3;

impl Telegram {
    /// Logs in (`getMe`) and sets the command menu in the three languages.
    pub async fn connect(settings: &TelegramSettings, localizer: Arc<Localizer>) -> Result<Arc<Telegram>, TelegramError> {
        let mut bot = Bot::new(&settings.token);
        if let Some(url) = &settings.api_url {
            bot = bot.set_api_url(url.clone());
        }
        let me = bot.get_me().await?;
        let telegram = Telegram {
            bot,
            username: me.username().to_string(),
            localizer,
            pacer: Pacer::new(TELEGRAM_GAPS),
            polling_lease: settings.polling_lease,
            shared_pace: std::sync::OnceLock::new(),
        };
        telegram.set_commands().await;
        Ok(Arc::new(telegram))
    }

    /// Paces every message with the other instances of the bot, through
    /// `store`: Telegram's limit is the bot's, whichever instance sends.
    pub fn pace_with(&self, store: Arc<dyn Store>, clock: Arc<dyn Clock>) {
        let _ = self.shared_pace.set((store, clock));
    }

    /// Waits for the message's turn in the pace shared with the other
    /// instances, if there is one. A store that cannot tell leaves the
    /// message to this instance's own pace.
    async fn shared_turn(&self) {
        let Some((store, clock)) = self.shared_pace.get() else { return };
        match store.next_turn(NAME, clock.now(), OVERALL_GAP).await {
            Ok(turn) => {
                if let Ok(wait) = (turn - clock.now()).to_std() {
                    tokio::time::sleep(wait).await;
                }
            }
            Err(error) => tracing::warn!(%error, "telegram: could not take a turn in the shared pace"),
        }
    }

    /// Holds every instance's messages until `wait` has passed.
    async fn hold_shared(&self, wait: Duration) {
        let Some((store, clock)) = self.shared_pace.get() else { return };
        let until = clock.now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
        if let Err(error) = store.hold_turns(NAME, until).await {
            tracing::warn!(%error, "telegram: could not hold the shared pace");
        }
    }

    /// The menu of commands, described in each language; French for everyone else.
    async fn set_commands(&self) {
        for lang in Lang::ALL {
            let commands: Vec<BotCommand> = COMMANDS
                .iter()
                .map(|name| BotCommand::new(*name, self.localizer.text(lang, &format!("command-{name}"), &Args::new())))
                .collect();
            let mut request = self.bot.set_my_commands(commands);
            if lang != Lang::Fr {
                request = request.language_code(lang.code());
            }
            if let Err(error) = request.await {
                tracing::warn!(%error, %lang, "could not set the command menu");
            }
        }
    }

    /// Receives updates until the task is dropped: by webhook (any
    /// instance may take any update), or by long polling while `instance`
    /// holds the polling lease (one instance at a time).
    pub async fn run(
        self: Arc<Self>,
        conversation: Arc<Conversation>,
        store: Arc<dyn Store>,
        webhook: Option<Webhook>,
        instance: String,
    ) -> Result<(), TelegramError> {
        match webhook {
            None => loop {
                self.wait_for_lease(&store, &instance, &conversation).await;
                tracing::info!("telegram: this instance polls for updates");
                let mut dispatcher = self.dispatcher(conversation.clone(), store.clone());
                let token = dispatcher.shutdown_token();
                let held = self.hold_lease(&store, &instance, &conversation);
                tokio::pin!(held);
                tokio::select! {
                    () = dispatcher.dispatch() => return Ok(()),
                    () = &mut held => {
                        // Lost: stop polling (the request under way ends first), then wait again.
                        if let Ok(stopped) = token.shutdown() {
                            stopped.await;
                        }
                    }
                }
            },
            Some(webhook) => {
                let options = teloxide::update_listeners::webhooks::Options::new(webhook.listen, webhook.url);
                let (listener, stop, router) = teloxide::update_listeners::webhooks::axum_to_router(self.bot.clone(), options).await?;
                let tcp = tokio::net::TcpListener::bind(webhook.listen)
                    .await
                    .map_err(|source| TelegramError::Bind { address: webhook.listen, source })?;
                tokio::spawn(async move { axum::serve(tcp, router).with_graceful_shutdown(stop).await });
                let mut dispatcher = self.dispatcher(conversation, store);
                dispatcher.dispatch_with_listener(listener, LoggingErrorHandler::with_custom_text("webhook")).await;
                Ok(())
            }
        }
    }

    fn dispatcher(
        self: &Arc<Self>,
        conversation: Arc<Conversation>,
        store: Arc<dyn Store>,
    ) -> Dispatcher<Bot, RequestError, teloxide::dispatching::DefaultKey> {
        let handler = dptree::entry()
            .filter_async(first_sight)
            .branch(Update::filter_message().endpoint(on_message))
            .branch(Update::filter_callback_query().endpoint(on_callback));
        Dispatcher::builder(self.bot.clone(), handler)
            .dependencies(dptree::deps![self.clone(), conversation, store])
            .default_handler(|_| async {})
            .build()
    }

    /// Returns once `instance` holds the polling lease.
    async fn wait_for_lease(&self, store: &Arc<dyn Store>, instance: &str, conversation: &Conversation) {
        let mut told = false;
        loop {
            match store.take_lease(POLLING, instance, conversation.now(), self.polling_lease).await {
                Ok(true) => return,
                Ok(false) if !told => {
                    told = true;
                    tracing::info!("telegram: another instance polls for updates; this one waits to take over");
                }
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "telegram: could not read the polling lease"),
            }
            tokio::time::sleep(self.polling_lease / 4).await;
        }
    }

    /// Renews the polling lease a few times per lease; returns when it is
    /// lost: another instance took it, or it could not be renewed before
    /// running out (the database unreachable).
    async fn hold_lease(&self, store: &Arc<dyn Store>, instance: &str, conversation: &Conversation) {
        let mut held_until = tokio::time::Instant::now() + self.polling_lease;
        loop {
            tokio::time::sleep(self.polling_lease / 4).await;
            match store.take_lease(POLLING, instance, conversation.now(), self.polling_lease).await {
                Ok(true) => held_until = tokio::time::Instant::now() + self.polling_lease,
                Ok(false) => {
                    tracing::warn!("telegram: another instance took the polling lease");
                    return;
                }
                Err(error) => tracing::warn!(%error, "telegram: could not renew the polling lease"),
            }
            if tokio::time::Instant::now() + self.polling_lease / 4 >= held_until {
                tracing::warn!("telegram: the polling lease could not be renewed in time; polling stops");
                return;
            }
        }
    }

    /// Whether the user may change a group's subscriptions.
    async fn is_admin(&self, chat: ChatId, user: UserId) -> bool {
        match self.bot.get_chat_member(chat, user).await {
            Ok(member) => member.is_privileged(),
            Err(error) => {
                tracing::warn!(%error, "could not check a group member's rights");
                false
            }
        }
    }

    async fn answer(&self, conversation: &Conversation, incoming: Incoming) {
        let replies = match conversation.handle(&incoming).await {
            Ok(replies) => replies,
            Err(error) => {
                tracing::error!(%error, "could not answer");
                return;
            }
        };
        for reply in replies {
            if let Err(error) = self.send(&incoming.chat, &reply).await {
                tracing::warn!(%error, "reply not delivered");
            }
        }
    }

    fn keyboard(&self, reply: &Reply) -> Option<InlineKeyboardMarkup> {
        let buttons: Vec<InlineKeyboardButton> = reply
            .options
            .iter()
            .filter(|option| option.value.len() <= MAX_CALLBACK_DATA)
            .map(|option| InlineKeyboardButton::callback(option.label.clone(), option.value.clone()))
            .collect();
        // Short labels (regions, départements, languages) go two to a row; sentences alone.
        let width = if reply.options.iter().all(|o| o.label.chars().count() <= 24) { 2 } else { 1 };
        let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(width).map(<[_]>::to_vec).collect();
        if let Some(label) = &reply.private_chat {
            let link = url::Url::parse(&format!("https://t.me/{}?start=private", self.username)).ok()?;
            rows.push(vec![InlineKeyboardButton::url(label.clone(), link)]);
        }
        (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
    }
}

/// Telegram lets bots download files up to 20 MB; larger ones are passed on
/// with their size only, to be refused with a plain message.
const MAX_DOWNLOAD: u32 = 20 * 1024 * 1024;

impl Telegram {
    /// What a message carries: its text, or its photo (the largest size) or
    /// document, downloaded, with its caption.
    async fn content(&self, message: &Message) -> Content {
        let file = message.photo().and_then(|sizes| sizes.last()).map(|photo| &photo.file).or_else(|| message.document().map(|d| &d.file));
        let Some(file) = file else {
            return Content::Text(message.text().unwrap_or_default().to_string());
        };
        let bytes = if file.size <= MAX_DOWNLOAD { self.download(&file.id).await.unwrap_or_default() } else { Vec::new() };
        Content::File(Upload { bytes, size: file.size as usize, caption: message.caption().map(str::to_string) })
    }

    async fn download(&self, id: &teloxide::types::FileId) -> Option<Vec<u8>> {
        let file = self.bot.get_file(id.clone()).await.map_err(|error| tracing::warn!(%error, "could not find a file sent")).ok()?;
        let mut bytes = Vec::new();
        match self.bot.download_file(&file.path, &mut bytes).await {
            Ok(()) => Some(bytes),
            Err(error) => {
                tracing::warn!(%error, "could not download a file sent");
                None
            }
        }
    }
}

/// Whether no instance handled this update before: Telegram retries a
/// webhook delivery it got no answer to, and behind a load balancer the
/// retry may reach another instance. The update is marked before it is
/// handled, so a crash in between loses it rather than answering twice. A
/// store that cannot tell lets the update through: answering twice is better
/// than not at all.
async fn first_sight(update: Update, store: Arc<dyn Store>, conversation: Arc<Conversation>) -> bool {
    match store.first_sight(&format!("{NAME}:{}", update.id.0), conversation.now()).await {
        Ok(first) => {
            if !first {
                tracing::info!(update = update.id.0, "an update delivered again is not handled again");
            }
            first
        }
        Err(error) => {
            tracing::warn!(%error, "could not tell whether an update was handled before");
            true
        }
    }
}

async fn on_message(
    telegram: Arc<Telegram>,
    conversation: Arc<Conversation>,
    store: Arc<dyn Store>,
    message: Message,
) -> Result<(), RequestError> {
    let chat = address(message.chat.id);
    if let Some(new_id) = message.migrate_to_chat_id() {
        // A group became a supergroup: its subscriptions follow the new id.
        if let Err(error) = store.move_chat(&chat, &address(*new_id)).await {
            tracing::error!(%error, "could not follow a group to its supergroup");
        }
        return Ok(());
    }
    let Some(from) = message.from.as_ref().filter(|user| !user.is_bot) else { return Ok(()) };
    let kind = if message.chat.is_private() { ChatKind::Private } else { ChatKind::Group };
    let sender_is_admin = kind == ChatKind::Private || telegram.is_admin(message.chat.id, from.id).await;
    let incoming = Incoming {
        chat,
        kind,
        content: telegram.content(&message).await,
        lang_hint: from.language_code.clone(),
        sender_is_admin,
        sender: Some(from.id.to_string()),
    };
    telegram.answer(&conversation, incoming).await;
    Ok(())
}

async fn on_callback(telegram: Arc<Telegram>, conversation: Arc<Conversation>, query: CallbackQuery) -> Result<(), RequestError> {
    // Every press is answered, or the person's button keeps spinning.
    if let Err(error) = telegram.bot.answer_callback_query(query.id.clone()).await {
        tracing::warn!(%error, "could not answer a button press");
    }
    let (Some(message), Some(data)) = (&query.message, &query.data) else { return Ok(()) };
    let chat = message.chat();
    let kind = if chat.is_private() { ChatKind::Private } else { ChatKind::Group };
    let sender_is_admin = kind == ChatKind::Private || telegram.is_admin(chat.id, query.from.id).await;
    let incoming = Incoming {
        chat: address(chat.id),
        kind,
        content: Content::Choice(data.clone()),
        lang_hint: query.from.language_code.clone(),
        sender_is_admin,
        sender: Some(query.from.id.to_string()),
    };
    telegram.answer(&conversation, incoming).await;
    Ok(())
}

fn address(id: ChatId) -> ChatAddress {
    ChatAddress::new(NAME, id.0.to_string())
}

/// The text as HTML parts of at most `MAX_MESSAGE` characters, cut between
/// lines where it can, inside a line only when a line alone is too long.
pub fn html_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        let line = teloxide::utils::html::escape(line);
        let pieces = split_long(&line);
        for piece in pieces {
            let needed = piece.chars().count() + usize::from(!current.is_empty());
            if current.chars().count() + needed > MAX_MESSAGE && !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(&piece);
        }
    }
    if !current.is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

/// A line longer than a message, cut into pieces that never split an HTML
/// entity (the line is escaped: every `&` starts one, ended by `;`).
fn split_long(line: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut count = 0;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let length = if c == '&' { rest.find(';').map_or(1, |end| end + 1) } else { c.len_utf8() };
        let (token, after) = rest.split_at(length);
        let chars = token.chars().count();
        if count + chars > MAX_MESSAGE {
            pieces.push(String::new());
            count = 0;
        }
        pieces.last_mut().expect("never empty").push_str(token);
        count += chars;
        rest = after;
    }
    pieces
}

fn classify(error: RequestError) -> SendError {
    match error {
        RequestError::RetryAfter(seconds) => SendError::RetryAfter(seconds.duration()),
        RequestError::MigrateToChatId(id) => SendError::Moved(address(id)),
        RequestError::Api(api) if unreachable(&api) => SendError::Unreachable(api.to_string()),
        // A request that could not connect never left; any other network failure may have arrived.
        RequestError::Network(error) if !error.is_connect() => SendError::Unanswered(error.to_string()),
        other => SendError::Failed(other.to_string()),
    }
}

/// Errors that mean the chat is gone for us: retrying would only hammer Telegram.
fn unreachable(error: &ApiError) -> bool {
    match error {
        ApiError::BotBlocked
        | ApiError::UserDeactivated
        | ApiError::ChatNotFound
        | ApiError::BotKicked
        | ApiError::BotKickedFromSupergroup
        | ApiError::BotKickedFromChannel
        | ApiError::GroupDeactivated => true,
        ApiError::Unknown(text) => text.starts_with("Forbidden:"),
        _ => false,
    }
}

#[async_trait::async_trait]
impl Transport for Telegram {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        let id: i64 = chat.id.parse().map_err(|_| SendError::Unreachable(format!("not a Telegram chat id: {}", chat.id)))?;
        // Files first, so that the question under them is the last message.
        for attachment in &reply.attachments {
            let file = || InputFile::memory(attachment.bytes.clone()).file_name(attachment.name.clone());
            match attachment.kind {
                AttachmentKind::Image => self.paced(id, || self.bot.send_photo(ChatId(id), file()).into_future()).await?,
                // A WAV is neither Telegram audio (MP3, M4A) nor voice (OGG): a document plays anywhere.
                AttachmentKind::Audio | AttachmentKind::Document => {
                    self.paced(id, || self.bot.send_document(ChatId(id), file()).into_future()).await?
                }
            }
        }
        let parts = html_parts(&reply.text);
        let last = parts.len() - 1;
        for (index, part) in parts.into_iter().enumerate() {
            let keyboard = if index == last { self.keyboard(reply) } else { None };
            self.paced(id, || {
                let request = self.bot.send_message(ChatId(id), part.clone()).parse_mode(ParseMode::Html);
                match keyboard.clone() {
                    Some(keyboard) => request.reply_markup(keyboard),
                    None => request,
                }
                .into_future()
            })
            .await?;
        }
        Ok(())
    }
}

impl Telegram {
    /// Sends one request in its turn. A 429 holds every message for its
    /// `retry_after`, then this one is tried again (a reply is not lost to
    /// it), unless the wait is longer than [`INLINE_RETRY`].
    async fn paced<T, F, Fut>(&self, chat: i64, request: F) -> Result<(), SendError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, RequestError>>,
    {
        let mut wait = Duration::ZERO;
        for _ in 0..TRIES {
            self.pacer.wait(chat).await;
            self.shared_turn().await;
            match request().await {
                Ok(_) => return Ok(()),
                Err(RequestError::RetryAfter(seconds)) => {
                    wait = seconds.duration();
                    self.pacer.hold(tokio::time::Instant::now() + wait).await;
                    self.hold_shared(wait).await;
                    if wait > INLINE_RETRY {
                        break;
                    }
                    tracing::warn!(seconds = wait.as_secs(), "Telegram asked to slow down: every message waits");
                }
                Err(other) => return Err(classify(other)),
            }
        }
        Err(SendError::RetryAfter(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_at_lines_and_stay_escaped() {
        let line = "<b>Bobigny</b> & co ".repeat(30);
        let text = vec![line.as_str(); 40].join("\n");
        let parts = html_parts(&text);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(part.chars().count() <= MAX_MESSAGE, "{}", part.chars().count());
            assert!(!part.contains("<b>"), "escaped");
            assert!(!part.starts_with('\n'));
        }
        let joined = parts.join("\n");
        assert_eq!(joined.matches("&lt;b&gt;Bobigny").count(), 30 * 40);
    }

    #[test]
    fn a_line_longer_than_a_message_is_cut_between_entities() {
        let text = "é&".repeat(5000);
        let parts = html_parts(&text);
        for part in &parts {
            assert!(part.chars().count() <= MAX_MESSAGE);
            assert!(!part.ends_with("&am") && !part.ends_with('&'), "an entity cut in two");
        }
        assert_eq!(parts.concat().matches("&amp;").count(), 5000);
    }

    #[tokio::test]
    async fn the_pacer_spaces_messages_overall_and_per_chat() {
        let gaps = Gaps { overall: Duration::from_millis(10), chat: Duration::from_millis(60), group: Duration::from_millis(150) };
        let pacer = Pacer::new(gaps);
        let start = tokio::time::Instant::now();
        let mut times = Vec::new();
        // The turns given, not the wake-ups: a loaded machine wakes late.
        for chat in [1, 2, 3, 1, -5, -5] {
            let turn = pacer.wait(chat).await;
            assert!(tokio::time::Instant::now() + Duration::from_millis(1) >= turn, "never before its turn");
            times.push((chat, turn - start));
        }
        for pair in times.windows(2) {
            assert!(pair[1].1 - pair[0].1 >= gaps.overall, "{times:?}");
        }
        let chat_one: Vec<Duration> = times.iter().filter(|t| t.0 == 1).map(|t| t.1).collect();
        assert!(chat_one[1] - chat_one[0] >= gaps.chat, "{times:?}");
        let group: Vec<Duration> = times.iter().filter(|t| t.0 == -5).map(|t| t.1).collect();
        assert!(group[1] - group[0] >= gaps.group, "{times:?}");
    }

    #[test]
    fn short_texts_are_one_part() {
        assert_eq!(html_parts("a < b"), vec!["a &lt; b".to_string()]);
        assert_eq!(html_parts(""), vec![String::new()]);
    }
}
