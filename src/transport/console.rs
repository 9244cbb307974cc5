//! A chat in the terminal: the demo's transport, and one tests can drive
//! through any reader and writer.
//!
//! The bot's messages are printed after `guichet ›`, options as numbered
//! lines; the person answers by typing, a number picks an option.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

use super::{SendError, Transport};
use crate::chat::{Attachment, ChatAddress, ChatKind, Content, Incoming, Reply};
use crate::conversation::Conversation;

/// The console's single chat.
pub fn console_chat() -> ChatAddress {
    ChatAddress::new("console", "local")
}

/// Prints the bot's messages on a writer shared by replies and alerts.
pub struct Console<W> {
    out: Mutex<W>,
    /// Where attached files (a captcha's image and sound) are written, to
    /// be opened from the terminal.
    files: PathBuf,
    written: AtomicU64,
}

impl<W: AsyncWrite + Unpin + Send> Console<W> {
    /// A console printing on `out`, writing attached files in the system's
    /// temporary directory.
    pub fn new(out: W) -> Arc<Console<W>> {
        Console::with_files(out, std::env::temp_dir().join("guichet-console"))
    }

    /// A console printing on `out`, writing attached files in `files`.
    pub fn with_files(out: W, files: PathBuf) -> Arc<Console<W>> {
        Arc::new(Console { out: Mutex::new(out), files, written: AtomicU64::new(0) })
    }

    /// Prints one message; its attachments are written to files, whose
    /// paths are printed.
    pub async fn print(&self, reply: &Reply) -> std::io::Result<()> {
        let mut text = render(reply);
        for attachment in &reply.attachments {
            let path = self.write_file(attachment).await?;
            text.push_str(&format!("   📎 {}\n", path.display()));
        }
        let mut out = self.out.lock().await;
        out.write_all(text.as_bytes()).await?;
        out.flush().await
    }

    /// Reads lines from `input` and answers each through the conversation,
    /// until the input ends.
    pub async fn run<R: AsyncBufRead + Unpin>(
        &self,
        input: R,
        conversation: &Conversation,
        lang_hint: Option<String>,
    ) -> std::io::Result<()> {
        let mut lines = input.lines();
        while let Some(line) = next_line(&mut lines).await? {
            let incoming = Incoming {
                chat: console_chat(),
                kind: ChatKind::Private,
                content: Content::Text(line),
                lang_hint: lang_hint.clone(),
                sender_is_admin: true,
                sender: None,
            };
            match conversation.handle(&incoming).await {
                Ok(replies) => {
                    for reply in &replies {
                        self.print(reply).await?;
                    }
                }
                // The store failed: say so on the operator's side, keep the chat going.
                Err(error) => tracing::error!(%error, "could not answer"),
            }
        }
        Ok(())
    }
}

impl<W> Console<W> {
    async fn write_file(&self, attachment: &Attachment) -> std::io::Result<PathBuf> {
        tokio::fs::create_dir_all(&self.files).await?;
        let n = self.written.fetch_add(1, Ordering::Relaxed);
        // Only the extension of the name is kept: a name is never a path.
        let extension = std::path::Path::new(&attachment.name).extension().and_then(|e| e.to_str()).unwrap_or("bin");
        let extension: String = extension.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
        let path = self.files.join(format!("{}-{n}.{extension}", std::process::id()));
        tokio::fs::write(&path, &attachment.bytes).await?;
        Ok(path)
    }
}

/// The next line, with bytes that are not UTF-8 replaced rather than fatal.
async fn next_line<R: AsyncBufRead + Unpin>(lines: &mut tokio::io::Lines<R>) -> std::io::Result<Option<String>> {
    match lines.next_line().await {
        Ok(line) => Ok(line),
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => Ok(Some(String::from("\u{fffd}"))),
        Err(error) => Err(error),
    }
}

fn render(reply: &Reply) -> String {
    let mut text = String::new();
    for (index, line) in reply.text.lines().enumerate() {
        text.push_str(if index == 0 { "guichet › " } else { "          " });
        text.push_str(line);
        text.push('\n');
    }
    for (index, option) in reply.options.iter().enumerate() {
        if reply.free_text {
            text.push_str(&format!("   • {}\n", option.label));
        } else {
            text.push_str(&format!("   [{}] {}\n", index + 1, option.label));
        }
    }
    text
}

#[async_trait::async_trait]
impl<W: AsyncWrite + Unpin + Send> Transport for Console<W> {
    fn name(&self) -> &'static str {
        "console"
    }

    async fn send(&self, chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        if *chat != console_chat() {
            return Err(SendError::Unreachable(format!("the console has no chat {chat}")));
        }
        self.print(reply).await.map_err(|e| SendError::Failed(e.to_string()))
    }
}
