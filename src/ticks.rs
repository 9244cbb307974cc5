//! The rhythm of background loops: a tick every period, until shutdown.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// Ticks every `period` until `shutdown` is cancelled.
pub struct Ticks {
    interval: tokio::time::Interval,
    shutdown: CancellationToken,
}

impl Ticks {
    /// The first tick comes at once.
    pub fn new(period: Duration, shutdown: CancellationToken) -> Ticks {
        let mut interval = tokio::time::interval(period);
        // A round longer than the period delays the next tick; ticks never pile up.
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Ticks { interval, shutdown }
    }

    /// Waits for the next tick; `false` once shutdown was asked for.
    pub async fn next(&mut self) -> bool {
        tokio::select! {
            // Shutdown first: after a long round the tick is ready too.
            biased;
            _ = self.shutdown.cancelled() => false,
            _ = self.interval.tick() => true,
        }
    }
}
