//! Progress events and cancellation shared by the CLI (progress bar) and the GUI (worker thread).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag a caller sets to ask long work to stop at the next safe point.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// What long work reports while it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// A new phase started; `total` is the number of steps when known.
    Phase { phase: Phase, total: Option<u64> },
    /// `done` steps of the current phase are finished.
    Advance { done: u64 },
    /// The client's data root is usable again (what is removed has been moved aside, the
    /// user's data is in place): the client could be started now, deletion goes on.
    ClientCanStart { client: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Scanning,
    Quitting,
    Archiving,
    MovingAside,
    Deleting,
}

impl Phase {
    pub fn key(self) -> &'static str {
        match self {
            Phase::Scanning => "progress.scanning",
            Phase::Quitting => "progress.quitting",
            Phase::Archiving => "progress.archiving",
            Phase::MovingAside => "progress.moving_aside",
            Phase::Deleting => "progress.deleting",
        }
    }
}

/// Receives progress; must be cheap (it is called from worker threads).
pub trait ProgressSink: Send + Sync {
    fn report(&self, progress: Progress);
}

impl<F: Fn(Progress) + Send + Sync> ProgressSink for F {
    fn report(&self, progress: Progress) {
        self(progress)
    }
}

/// A sink that ignores everything.
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&self, _: Progress) {}
}
