//! Who the bot talks with, on any chat network.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A chat on one transport: a person alone with the bot, or a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChatAddress {
    /// The transport's name: `console`, `telegram`, `matrix`.
    pub transport: String,
    /// The chat's id on that transport.
    pub id: String,
}

impl ChatAddress {
    /// A chat on `transport` with the transport's own `id`.
    pub fn new(transport: impl Into<String>, id: impl Into<String>) -> ChatAddress {
        ChatAddress { transport: transport.into(), id: id.into() }
    }

    /// The single key under which the chat is stored: `transport:id`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.transport, self.id)
    }

    /// Reads back a key made by [`ChatAddress::key`].
    pub fn from_key(key: &str) -> Option<ChatAddress> {
        let (transport, id) = key.split_once(':')?;
        Some(ChatAddress::new(transport, id))
    }
}

impl fmt::Display for ChatAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.transport, self.id)
    }
}

/// Whether a chat is private or shared by several people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChatKind {
    /// A person alone with the bot: personal data may be asked here.
    Private,
    /// A group (an association): nothing personal is asked or shown.
    Group,
}

/// One option offered with a message: a button on Telegram, a numbered line elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// What the person sees.
    pub label: String,
    /// What comes back when it is chosen (at most 64 bytes, for Telegram).
    pub value: String,
}

/// A message from the bot.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Reply {
    /// The text, in the chat's language.
    pub text: String,
    /// The options offered, in order.
    pub options: Vec<Choice>,
    /// The options are shortcuts and the person may type anything (a
    /// département): text transports list them without numbers, since a
    /// number typed here is a département code.
    pub free_text: bool,
    /// Offer a way to a private chat with the bot, with this label, where the
    /// transport can (a deep link on Telegram).
    pub private_chat: Option<String>,
    /// Files sent with the text (a captcha's image and sound).
    pub attachments: Vec<Attachment>,
}

/// What kind of file an attachment is, so each transport can show it well.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentKind {
    /// A picture, shown inline.
    Image,
    /// A sound, playable in the chat.
    Audio,
    /// A document to keep or print (a PDF, a CSV).
    Document,
}

/// A file sent with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Image or sound.
    pub kind: AttachmentKind,
    /// A file name with its extension (`captcha.png`).
    pub name: String,
    /// Its media type (`image/png`).
    pub mime: String,
    /// The file itself.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// A message without options.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply { text: text.into(), ..Reply::default() }
    }

    /// A message with numbered options.
    pub fn with_options(text: impl Into<String>, options: Vec<Choice>) -> Reply {
        Reply { text: text.into(), options, ..Reply::default() }
    }
}

/// What a person sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Typed text (commands included).
    Text(String),
    /// An option chosen by its value (a button press).
    Choice(String),
    /// A file (a photo, a document), with the words sent with it.
    File(Upload),
}

/// A file a person sent, as the transport received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// The file; empty when it was too large for the transport to fetch.
    pub bytes: Vec<u8>,
    /// Its size as the chat network declared it.
    pub size: usize,
    /// The caption typed with it, if any.
    pub caption: Option<String>,
}

/// A message to the bot, as every transport hands it over.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// Where it came from.
    pub chat: ChatAddress,
    /// Private chat or group.
    pub kind: ChatKind,
    /// What was sent.
    pub content: Content,
    /// The language the chat network says the person uses (`fr-FR`…), if any.
    pub lang_hint: Option<String>,
    /// Whether the sender may change the chat's subscriptions: always in a
    /// private chat; in a group, only its admins.
    pub sender_is_admin: bool,
    /// Who wrote, on the transport (a user id), where it is known: limits
    /// such as checks per minute apply to a person, not to a group.
    pub sender: Option<String>,
}
