//! Chat networks, as adapters at the edge: each hands incoming messages to the
//! [`Conversation`](crate::conversation::Conversation) and delivers replies and alerts.

pub mod console;
#[cfg(feature = "matrix")]
pub mod matrix;
#[cfg(feature = "telegram")]
pub mod telegram;

use std::time::Duration;

use crate::chat::{ChatAddress, Reply};

/// Why a message could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The network asked us to slow down.
    #[error("rate limited, retry after {0:?}")]
    RetryAfter(Duration),
    /// The chat cannot be reached any more (bot blocked, kicked, chat gone).
    #[error("chat unreachable: {0}")]
    Unreachable(String),
    /// The chat has a new address (a Telegram group became a supergroup).
    #[error("chat moved to {0}")]
    Moved(ChatAddress),
    /// The message left, and no answer came (a timeout, a connection cut):
    /// it may have arrived. Worth another try later, counted as in doubt.
    #[error("no answer: {0}")]
    Unanswered(String),
    /// Anything else, the message known not to have arrived; worth another try later.
    #[error("{0}")]
    Failed(String),
}

/// A chat network the bot can write to.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    /// The name used in chat addresses (`console`, `telegram`, `matrix`).
    fn name(&self) -> &'static str;
    /// Delivers one message.
    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError>;
    /// Delivers one message of the outbox, named by `key` (the same for
    /// every send of it). A network that takes an idempotency key (Matrix's
    /// transaction id) delivers it once however often it is sent; the others
    /// send it as [`Transport::send`] does.
    async fn send_keyed(&self, chat: &ChatAddress, reply: &Reply, key: &str) -> Result<(), SendError> {
        let _ = key;
        self.send(chat, reply).await
    }
}
