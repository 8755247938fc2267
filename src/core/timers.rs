//! The one timer store: every timed thing (user `lws_sul`s, connection timeouts,
//! validity pings, start-up steps) is an entry keyed by (due time, sequence).
//!
//! Invariant: `by_due` and `index` hold exactly the same entries. Re-scheduling a
//! target moves it; it never exists twice (spec B7.1).
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use super::fast_hash::FastMap;
use std::sync::OnceLock;
use std::time::Instant;

use super::conn::ConnId;
use super::VhostId;

/// Identifies a caller-owned sul node by its address; never dereferenced here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SulKey(pub usize);

/// What a timer fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerTarget {
    /// A user `lws_sorted_usec_list_t`.
    Sul(SulKey),
    /// The context's start-up step towards OPERATIONAL (spec B1.1 step 9).
    SystemStart,
    /// A connection's pending timeout (`lws_set_timeout`, handshake limits,
    /// the wait for a close acknowledgement): one per connection.
    ConnTimeout(ConnId),
    /// `lws_set_timer_usecs`.
    ConnTimer(ConnId),
    /// The validity check of a WebSocket connection (spec B6.7).
    ConnValidity(ConnId),
    /// Another try at accepting on a vhost's listener after the process ran
    /// out of descriptors (or memory) for new sockets.
    AcceptRetry(VhostId),
    /// Freed buffer memory is handed back to the system allocator.
    GiveBack,
}

/// Microseconds on the library's monotonic clock (what `lws_now_usecs` returns).
pub fn now_us() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    // Start well above zero so that "0" never looks like a real time.
    let since = BASE.get_or_init(Instant::now).elapsed();
    // (whole seconds and the microseconds of the last one: no 128-bit
    // arithmetic, which `as_micros` does)
    1_000_000 + since.as_secs() * 1_000_000 + u64::from(since.subsec_micros())
}

#[derive(Default)]
pub struct TimerStore {
    by_due: BTreeMap<(u64, u64), TimerTarget>,
    index: FastMap<TimerTarget, (u64, u64)>,
    seq: u64,
}

impl TimerStore {
    /// Arms `target` for the absolute time `due_us`, replacing any earlier arming.
    pub fn schedule(&mut self, target: TimerTarget, due_us: u64) {
        self.cancel(target);
        self.seq += 1;
        let key = (due_us, self.seq);
        self.by_due.insert(key, target);
        self.index.insert(target, key);
    }

    /// Disarms `target`; false when it was not armed.
    pub fn cancel(&mut self, target: TimerTarget) -> bool {
        match self.index.remove(&target) {
            Some(key) => {
                self.by_due.remove(&key);
                true
            }
            None => false,
        }
    }

    pub fn is_armed(&self, target: TimerTarget) -> bool {
        self.index.contains_key(&target)
    }

    /// The earliest due time, if anything is armed.
    pub fn next_due(&self) -> Option<u64> {
        self.by_due.keys().next().map(|k| k.0)
    }

    /// A mark taken before firing: entries armed after it wait for the next pass,
    /// so a timer re-armed for "now" from its own callback cannot loop (B1.4).
    pub fn mark(&self) -> u64 {
        self.seq
    }

    /// Removes and returns the earliest entry due at `now_us` armed before `mark`.
    pub fn pop_due(&mut self, now_us: u64, mark: u64) -> Option<TimerTarget> {
        let key = self
            .by_due
            .keys()
            .take_while(|k| k.0 <= now_us)
            .find(|k| k.1 <= mark)
            .copied()?;
        let target = self.by_due.remove(&key)?;
        self.index.remove(&target);
        Some(target)
    }

    /// Drops every timer (context destruction); returns the user suls that
    /// were still armed.
    pub fn clear(&mut self) -> Vec<SulKey> {
        self.index.clear();
        std::mem::take(&mut self.by_due)
            .into_values()
            .filter_map(|t| match t {
                TimerTarget::Sul(key) => Some(key),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sul(n: usize) -> TimerTarget {
        TimerTarget::Sul(SulKey(n))
    }

    #[test]
    fn fires_in_due_order_spec_b7_t1() {
        let mut t = TimerStore::default();
        t.schedule(sul(30), 30);
        t.schedule(sul(10), 10);
        t.schedule(sul(20), 20);
        let m = t.mark();
        assert_eq!(t.pop_due(5, m), None);
        assert_eq!(t.pop_due(100, m), Some(sul(10)));
        assert_eq!(t.pop_due(100, m), Some(sul(20)));
        assert_eq!(t.pop_due(100, m), Some(sul(30)));
        assert_eq!(t.pop_due(100, m), None);
    }

    #[test]
    fn reschedule_moves_and_cancel_removes_spec_b7_t2() {
        let mut t = TimerStore::default();
        t.schedule(sul(1), 10);
        t.schedule(sul(1), 50);
        assert_eq!(t.next_due(), Some(50));
        assert!(t.cancel(sul(1)));
        assert!(!t.cancel(sul(1)));
        assert_eq!(t.next_due(), None);
    }

    #[test]
    fn entries_armed_after_the_mark_wait_spec_b1_t12() {
        let mut t = TimerStore::default();
        let m = t.mark();
        t.schedule(sul(1), 0);
        assert_eq!(t.pop_due(100, m), None);
        assert_eq!(t.pop_due(100, t.mark()), Some(sul(1)));
    }

    #[test]
    fn clock_is_monotonic_and_nonzero() {
        let a = now_us();
        let b = now_us();
        assert!(a >= 1_000_000 && b >= a);
    }
}
