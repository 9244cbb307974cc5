//! Matrix, through matrix-sdk with end-to-end encryption: Element encrypts
//! direct chats by default, so a bot that cannot decrypt cannot talk at all.
//!
//! The crypto store (SQLite, encrypted with a passphrase) and the session live
//! in the data directory, so the bot keeps one device and still decrypts after
//! a restart. Options are numbered: Matrix has no buttons.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::media::{MediaFormat, MediaRequestParameters};
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent, SyncRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent};
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
use matrix_sdk::ruma::{OwnedRoomId, UserId};
use matrix_sdk::store::RoomLoadSettings;
use matrix_sdk::{Client, RoomMemberships, RoomState};

use super::{SendError, Transport};
use crate::chat::{ChatAddress, ChatKind, Content, Incoming, Reply, Upload};
use crate::conversation::Conversation;
use crate::i18n::{Args, Lang, Localizer};
use crate::store::Store;

/// The name of this transport in chat addresses.
pub const NAME: &str = "matrix";
/// Moderators and admins may change what a room watches.
const MODERATOR: i64 = 50;

/// How to reach the homeserver.
#[derive(Clone, Debug)]
pub struct MatrixSettings {
    /// The homeserver's URL.
    pub homeserver: url::Url,
    /// The bot's user (`guichet` or `@guichet:example.org`).
    pub user: String,
    /// Its password (used at the first login only; the session is kept).
    pub password: String,
    /// Encrypts the crypto store at rest.
    pub store_passphrase: String,
    /// Where the crypto store and the session live.
    pub dir: PathBuf,
}

/// What can go wrong while starting Matrix.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// The client could not be built (store, homeserver URL).
    #[error("Matrix client: {0}")]
    Build(Box<matrix_sdk::ClientBuildError>),
    /// Login, restore or sync failed.
    #[error("Matrix: {0}")]
    Sdk(Box<matrix_sdk::Error>),
    /// The saved session cannot be read or written.
    #[error("Matrix session file {path}: {message}")]
    Session {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

// Boxed: the SDK's errors are large, and every result of this module carries them.
impl From<matrix_sdk::ClientBuildError> for MatrixError {
    fn from(error: matrix_sdk::ClientBuildError) -> MatrixError {
        MatrixError::Build(Box::new(error))
    }
}

impl From<matrix_sdk::Error> for MatrixError {
    fn from(error: matrix_sdk::Error) -> MatrixError {
        MatrixError::Sdk(Box::new(error))
    }
}

/// The Matrix transport.
pub struct Matrix {
    client: Client,
    localizer: Arc<Localizer>,
}

impl Matrix {
    /// Opens the store, restores the saved session (or logs in once and saves
    /// it), and syncs once so that history before the first login is not replayed.
    pub async fn connect(settings: &MatrixSettings, localizer: Arc<Localizer>) -> Result<Arc<Matrix>, MatrixError> {
        let client = Client::builder()
            .homeserver_url(settings.homeserver.as_str())
            .sqlite_store(settings.dir.join("store"), Some(&settings.store_passphrase))
            .build()
            .await?;
        let session_file = settings.dir.join("session.json");
        match read_session(&session_file)? {
            Some(session) => client.matrix_auth().restore_session(session, RoomLoadSettings::default()).await?,
            None => {
                client
                    .matrix_auth()
                    .login_username(&settings.user, &settings.password)
                    .initial_device_display_name("Guichet")
                    .send()
                    .await?;
                let session = client
                    .matrix_auth()
                    .session()
                    .ok_or_else(|| MatrixError::Session { path: session_file.clone(), message: "no session after login".into() })?;
                write_session(&session_file, &session)?;
                // The first sync only catches up: old messages are not answered
                // (invites received meanwhile are joined when `run` starts).
                client.sync_once(SyncSettings::default()).await?;
            }
        }
        Ok(Arc::new(Matrix { client, localizer }))
    }

    /// Receives events until the task is dropped.
    pub async fn run(self: Arc<Self>, conversation: Arc<Conversation>, store: Arc<dyn Store>) -> Result<(), MatrixError> {
        self.client.add_event_handler(on_invite);
        let (me, handler_conversation) = (self.clone(), conversation.clone());
        self.client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let (me, conversation) = (me.clone(), handler_conversation.clone());
            async move { me.on_message(event, room, &conversation).await }
        });
        let (me, handler_store) = (self.clone(), store.clone());
        self.client.add_event_handler(move |event: OriginalSyncRoomEncryptedEvent, room: Room| {
            let (me, store) = (me.clone(), handler_store.clone());
            async move { me.on_undecryptable(event, room, store).await }
        });
        self.client.add_event_handler(move |event: SyncRoomMemberEvent, room: Room, client: Client| {
            let store = store.clone();
            async move { on_membership(event, room, client, store).await }
        });
        for room in self.client.invited_rooms() {
            tokio::spawn(join(room));
        }
        self.client.sync(SyncSettings::default()).await?;
        Ok(())
    }

    async fn on_message(&self, event: OriginalSyncRoomMessageEvent, room: Room, conversation: &Conversation) {
        if Some(event.sender.as_ref()) == self.client.user_id() {
            return;
        }
        let content = match message_text(&event) {
            Some(text) => Content::Text(text),
            None => match self.upload(&event).await {
                Some(upload) => Content::File(upload),
                None => return,
            },
        };
        let kind = chat_kind(&room).await;
        let sender_is_admin = kind == ChatKind::Private || power_level(&room, &event.sender).await >= MODERATOR;
        let sender = Some(event.sender.to_string());
        let incoming = Incoming { chat: address(room.room_id()), kind, content, lang_hint: None, sender_is_admin, sender };
        match conversation.handle(&incoming).await {
            Ok(replies) => {
                for reply in replies {
                    if let Err(error) = self.send(&incoming.chat, &reply).await {
                        tracing::warn!(%error, "reply not delivered");
                    }
                    if reply.private_chat.is_some() && kind == ChatKind::Group {
                        self.open_private_chat(&event.sender, conversation).await;
                    }
                }
            }
            Err(error) => tracing::error!(%error, "could not answer"),
        }
    }

    /// In a room, nothing personal: the bot opens a direct chat instead.
    async fn open_private_chat(&self, user: &UserId, conversation: &Conversation) {
        let room = match self.client.create_dm(user).await {
            Ok(room) => room,
            Err(error) => return tracing::warn!(%error, "could not open a direct chat"),
        };
        let incoming = Incoming {
            chat: address(room.room_id()),
            kind: ChatKind::Private,
            content: Content::Text("/start".into()),
            lang_hint: None,
            sender_is_admin: true,
            sender: Some(user.to_string()),
        };
        if let Ok(replies) = conversation.handle(&incoming).await {
            for reply in replies {
                let _ = self.send(&incoming.chat, &reply).await;
            }
        }
    }

    /// A message we could not decrypt (its keys have not reached us): never
    /// silence, ask for it again.
    async fn on_undecryptable(&self, event: OriginalSyncRoomEncryptedEvent, room: Room, store: Arc<dyn Store>) {
        if Some(event.sender.as_ref()) == self.client.user_id() {
            return;
        }
        let chat = address(room.room_id());
        // In the chat's language when we know it, else in all three.
        let known = store.chat(&chat).await.ok().flatten().and_then(|record| record.lang);
        let languages = known.map_or(Lang::ALL.to_vec(), |lang| vec![lang]);
        let texts: Vec<String> = languages.iter().map(|l| self.localizer.text(*l, "matrix-undecryptable", &Args::new())).collect();
        if let Err(error) = self.send(&chat, &Reply::text(texts.join("\n"))).await {
            tracing::warn!(%error, "could not ask for a message again");
        }
    }

    fn room(&self, chat: &ChatAddress) -> Result<Room, SendError> {
        let id = OwnedRoomId::try_from(chat.id.as_str()).map_err(|_| SendError::Unreachable(format!("not a room id: {}", chat.id)))?;
        let room = self.client.get_room(&id).ok_or_else(|| SendError::Unreachable("the bot is not in that room".into()))?;
        if room.state() != RoomState::Joined {
            return Err(SendError::Unreachable("the bot left or was removed from that room".into()));
        }
        Ok(room)
    }
}

async fn on_invite(event: StrippedRoomMemberEvent, room: Room, client: Client) {
    if Some(event.state_key.as_ref()) == client.user_id() && event.content.membership == MembershipState::Invite {
        join(room).await;
    }
}

/// Joins a room the bot was invited to. Homeservers sometimes refuse a join
/// right after the invite: retry a little.
async fn join(room: Room) {
    for attempt in 0..5u64 {
        match room.join().await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, attempt, "could not join a room yet");
                tokio::time::sleep(Duration::from_secs(1 << attempt)).await;
            }
        }
    }
}

/// The bot removed from a room: pause what the room watches.
async fn on_membership(event: SyncRoomMemberEvent, room: Room, client: Client, store: Arc<dyn Store>) {
    if Some(event.state_key().as_ref()) != client.user_id() {
        return;
    }
    let paused = matches!(event.membership(), MembershipState::Leave | MembershipState::Ban);
    if paused {
        if let Err(error) = store.set_chat_paused(&address(room.room_id()), true).await {
            tracing::error!(%error, "could not pause a room's subscriptions");
        }
    }
}

/// The text of a message: the plain body (formatted bodies carry it too), the
/// new text of an edit, a reply without its quoted fallback; `None` for
/// notices (other bots) and non-text messages.
/// Files larger than this are passed on with their size only, to be refused
/// with a plain message, without downloading them.
const MAX_DOWNLOAD: u64 = 20 * 1024 * 1024;

impl Matrix {
    /// An image or a file sent (a screenshot, a PDF), downloaded (and
    /// decrypted, in an encrypted room), with its caption.
    async fn upload(&self, event: &OriginalSyncRoomMessageEvent) -> Option<Upload> {
        let (source, size, caption) = match &event.content.msgtype {
            MessageType::Image(image) => (image.source.clone(), image.info.as_ref().and_then(|i| i.size), image.caption()),
            MessageType::File(file) => (file.source.clone(), file.info.as_ref().and_then(|i| i.size), file.caption()),
            _ => return None,
        };
        let size = size.map_or(0, u64::from);
        let caption = caption.map(str::to_string);
        if size > MAX_DOWNLOAD {
            return Some(Upload { bytes: Vec::new(), size: usize::try_from(size).unwrap_or(usize::MAX), caption });
        }
        let request = MediaRequestParameters { source, format: MediaFormat::File };
        let bytes = match self.client.media().get_media_content(&request, false).await {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::warn!(%error, "could not download a file sent");
                Vec::new()
            }
        };
        Some(Upload { size: bytes.len().max(size as usize), bytes, caption })
    }
}

fn message_text(event: &OriginalSyncRoomMessageEvent) -> Option<String> {
    let msgtype = match &event.content.relates_to {
        Some(Relation::Replacement(replacement)) => &replacement.new_content.msgtype,
        _ => &event.content.msgtype,
    };
    let body = match msgtype {
        MessageType::Text(text) => &text.body,
        MessageType::Emote(emote) => &emote.body,
        _ => return None,
    };
    let without_fallback: Vec<&str> = body.lines().skip_while(|line| line.starts_with("> ")).collect();
    Some(without_fallback.join("\n").trim_start_matches('\n').to_string())
}

/// A room is a private chat when the bot and one person are all it holds,
/// asked at every message: a direct chat that gains a member is a group's
/// from the next message on. Invited members count, and the `m.direct` mark
/// does not (anyone may set it). When the members cannot be read, the room
/// is a group's: nothing personal is said in a room we cannot see.
async fn chat_kind(room: &Room) -> ChatKind {
    // The SDK fetches the members from the homeserver the first time, then
    // keeps them current from the sync, before our handlers run.
    match room.members(RoomMemberships::ACTIVE).await {
        Ok(members) if members.len() <= 2 => ChatKind::Private,
        _ => ChatKind::Group,
    }
}

async fn power_level(room: &Room, user: &UserId) -> i64 {
    match room.get_member(user).await {
        Ok(Some(member)) => match member.power_level() {
            UserPowerLevel::Infinite => i64::MAX,
            UserPowerLevel::Int(level) => level.into(),
            // A kind of power this version does not know: no rights.
            _ => 0,
        },
        _ => 0,
    }
}

fn address(room: &matrix_sdk::ruma::RoomId) -> ChatAddress {
    ChatAddress::new(NAME, room.as_str())
}

fn read_session(path: &Path) -> Result<Option<MatrixSession>, MatrixError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| MatrixError::Session { path: path.into(), message: e.to_string() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(MatrixError::Session { path: path.into(), message: error.to_string() }),
    }
}

/// The session holds the access token: readable by the bot's user only.
fn write_session(path: &Path, session: &MatrixSession) -> Result<(), MatrixError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let text = serde_json::to_string(session).map_err(|e| MatrixError::Session { path: path.into(), message: e.to_string() })?;
    let failed = |e: std::io::Error| MatrixError::Session { path: path.into(), message: e.to_string() };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)
}

/// The reply as plain text and HTML: options numbered (or bulleted where the
/// person may type anything).
pub fn render(reply: &Reply) -> (String, String) {
    let mut plain = reply.text.clone();
    let mut html = escape(&reply.text).replace('\n', "<br>");
    if !reply.options.is_empty() {
        plain.push('\n');
        let (open, close) = if reply.free_text { ("<ul>", "</ul>") } else { ("<ol>", "</ol>") };
        html.push_str(open);
        for (index, option) in reply.options.iter().enumerate() {
            let marker = if reply.free_text { "•".to_string() } else { format!("{}.", index + 1) };
            plain.push_str(&format!("\n{marker} {}", option.label));
            html.push_str(&format!("<li>{}</li>", escape(&option.label)));
        }
        html.push_str(close);
    }
    (plain, html)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn classify(error: matrix_sdk::Error) -> SendError {
    match error.client_api_error_kind() {
        Some(ErrorKind::LimitExceeded(data)) => {
            let wait = match &data.retry_after {
                Some(RetryAfter::Delay(delay)) => *delay,
                Some(RetryAfter::DateTime(at)) => at.duration_since(std::time::SystemTime::now()).unwrap_or_default(),
                None => Duration::from_secs(5),
            };
            SendError::RetryAfter(wait)
        }
        Some(ErrorKind::Forbidden) => SendError::Unreachable(error.to_string()),
        _ => SendError::Failed(error.to_string()),
    }
}

#[async_trait::async_trait]
impl Transport for Matrix {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        let room = self.room(chat)?;
        // Files first, so that the question under them is the last message.
        for attachment in &reply.attachments {
            let mime: mime::Mime = attachment.mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
            room.send_attachment(attachment.name.clone(), &mime, attachment.bytes.clone(), AttachmentConfig::new())
                .await
                .map_err(classify)?;
        }
        let (plain, html) = render(reply);
        room.send(RoomMessageEventContent::notice_html(plain, html)).await.map_err(classify)?;
        Ok(())
    }

    /// An alert sent again after a crash carries the same transaction id: the
    /// homeserver answers with the first event and shows nothing twice.
    async fn send_keyed(&self, chat: &ChatAddress, reply: &Reply, key: &str) -> Result<(), SendError> {
        if !reply.attachments.is_empty() {
            return self.send(chat, reply).await;
        }
        let room = self.room(chat)?;
        let (plain, html) = render(reply);
        let transaction = matrix_sdk::ruma::OwnedTransactionId::from(format!("guichet-{key}"));
        room.send(RoomMessageEventContent::notice_html(plain, html)).with_transaction_id(transaction).await.map_err(classify)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Choice;

    fn message(content: serde_json::Value) -> OriginalSyncRoomMessageEvent {
        serde_json::from_value(serde_json::json!({
            "type": "m.room.message", "event_id": "$e", "sender": "@a:localhost",
            "origin_server_ts": 1, "content": content,
        }))
        .unwrap()
    }

    #[test]
    fn messages_are_read_as_people_meant_them() {
        let formatted = message(
            serde_json::json!({"msgtype": "m.text", "body": "93", "format": "org.matrix.custom.html", "formatted_body": "<b>93</b>"}),
        );
        assert_eq!(message_text(&formatted).as_deref(), Some("93"));
        let edit = message(serde_json::json!({
            "msgtype": "m.text", "body": "* 94",
            "m.new_content": {"msgtype": "m.text", "body": "94"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$old"},
        }));
        assert_eq!(message_text(&edit).as_deref(), Some("94"));
        let reply = message(serde_json::json!({
            "msgtype": "m.text", "body": "> <@guichet:localhost> Which département?\n\nBobigny",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$question"}},
        }));
        assert_eq!(message_text(&reply).as_deref(), Some("Bobigny"));
        let notice = message(serde_json::json!({"msgtype": "m.notice", "body": "I am another bot"}));
        assert_eq!(message_text(&notice), None, "other bots' notices are ignored");
    }

    #[test]
    fn options_are_numbered_or_bulleted_and_escaped() {
        let options = vec![Choice { label: "A & <b>".into(), value: "a".into() }, Choice { label: "B".into(), value: "b".into() }];
        let (plain, html) = render(&Reply::with_options("Pick <one>", options.clone()));
        assert_eq!(plain, "Pick <one>\n\n1. A & <b>\n2. B");
        assert_eq!(html, "Pick &lt;one&gt;<ol><li>A &amp; &lt;b&gt;</li><li>B</li></ol>");
        let (plain, _) = render(&Reply { free_text: true, ..Reply::with_options("Where?", options) });
        assert!(plain.contains("• A & <b>") && !plain.contains("1."));
    }
}
