//! A transport that keeps what it was asked to send, and when by the test's
//! clock: for the tests that move time and read what went out.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use guichet::chat::{ChatAddress, Reply};
use guichet::time::{Clock, ManualClock};
use guichet::transport::{SendError, Transport};

/// Keeps each message's text with the clock's time.
#[derive(Debug)]
pub struct Recorder {
    pub clock: Arc<ManualClock>,
    pub sent: Mutex<Vec<(DateTime<Utc>, String)>>,
}

impl Recorder {
    /// A recorder on `clock`, nothing sent yet.
    pub fn new(clock: Arc<ManualClock>) -> Arc<Recorder> {
        Arc::new(Recorder { clock, sent: Mutex::default() })
    }
}

#[async_trait::async_trait]
impl Transport for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    async fn send(&self, _chat: &ChatAddress, reply: &Reply) -> Result<(), SendError> {
        self.sent.lock().unwrap().push((self.clock.now(), reply.text.clone()));
        Ok(())
    }
}
