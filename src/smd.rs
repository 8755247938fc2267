//! System message distribution (`lws_smd`): a bounded queue of small class-tagged
//! messages, delivered on the service thread to every registered peer whose class
//! filter matches.
//!
//! Messages may be sent from any thread; delivery is round-robin as in lws 4.3.3:
//! each pass gives every peer (in registration order) at most one message, the
//! oldest it has not seen, until no peer has anything left. A peer sees only the
//! messages sent after it registered. A message leaves the queue once every peer
//! that wanted it has taken it (or unregistered), or when it is older than the
//! time-to-live. The queue holds at most `depth` messages: a send beyond that is
//! refused, which is how a sender learns it is outrunning the service thread.
//!
//! `P` is what the caller needs to deliver to a peer (its callback); the bus never
//! calls anything itself, so delivery happens with no lock of the bus held.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

/// lws's `LWS_SMD_MAX_PAYLOAD`: the largest payload a message may carry.
pub const MAX_PAYLOAD: usize = 384;

/// lws's defaults for `smd_ttl_us` and `smd_queue_depth` when the creation
/// info leaves them 0.
pub const DEFAULT_TTL: Duration = Duration::from_secs(2);
pub const DEFAULT_DEPTH: usize = 40;

/// Names one registered peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PeerId(u64);

impl PeerId {
    /// Names no peer (ids start at 1): a value to overwrite once registered.
    pub const fn placeholder() -> Self {
        PeerId(0)
    }
}

/// Why a send was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The queue already holds `depth` messages.
    QueueFull(usize),
    /// The payload is longer than [`MAX_PAYLOAD`].
    TooLarge(usize),
}

/// What happened to a message handed to [`Bus::send`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    Queued,
    /// No peer (other than the excluded one) wants the class: dropped, as lws does.
    NobodyInterested,
}

/// One message handed to a peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery<P> {
    pub peer: P,
    pub class: u32,
    pub timestamp_us: i64,
    pub payload: Vec<u8>,
}

struct Peer<P> {
    id: PeerId,
    filter: u32,
    data: P,
    /// Sequence number of the first message this peer has not looked at.
    cursor: u64,
}

struct Message {
    seq: u64,
    class: u32,
    timestamp_us: i64,
    payload: Vec<u8>,
    /// The peer that must not receive it (the sender of a forwarded message).
    exclude: Option<PeerId>,
    /// Peers that wanted it and have not taken it yet.
    pending: usize,
}

struct Inner<P> {
    peers: Vec<Peer<P>>,
    messages: VecDeque<Message>,
    next_seq: u64,
    next_peer: u64,
}

/// The message bus of one context.
pub struct Bus<P> {
    inner: Mutex<Inner<P>>,
    /// Union of the peers' filters: a cheap "does anybody want this class".
    union: AtomicU32,
    /// How many messages are queued, kept beside the queue so that the look
    /// every service pass takes at it needs no lock.
    queued: AtomicUsize,
    ttl: Duration,
    depth: usize,
}

impl<P: Clone> Bus<P> {
    /// A bus whose messages live at most `ttl` and whose queue holds `depth`.
    pub fn new(ttl: Duration, depth: usize) -> Self {
        Bus {
            inner: Mutex::new(Inner {
                peers: Vec::new(),
                messages: VecDeque::new(),
                next_seq: 0,
                next_peer: 1,
            }),
            union: AtomicU32::new(0),
            queued: AtomicUsize::new(0),
            ttl,
            depth,
        }
    }

    /// Whether any registered peer wants some class in `class`.
    pub fn wanted(&self, class: u32) -> bool {
        self.union.load(Ordering::Acquire) & class != 0
    }

    /// Adds a peer at the end of the delivery order.
    pub fn register(&self, filter: u32, data: P) -> PeerId {
        let mut g = self.inner.lock();
        let id = PeerId(g.next_peer);
        g.next_peer += 1;
        let cursor = g.next_seq;
        g.peers.push(Peer {
            id,
            filter,
            data,
            cursor,
        });
        self.update_union(&g);
        id
    }

    /// Removes a peer; messages only it was still waiting for are dropped.
    /// Returns its data, or None if it was not registered.
    pub fn unregister(&self, id: PeerId) -> Option<P> {
        let mut g = self.inner.lock();
        let at = g.peers.iter().position(|p| p.id == id)?;
        let peer = g.peers.remove(at);
        for m in g.messages.iter_mut() {
            if m.seq >= peer.cursor && wants(&peer, m) {
                m.pending = m.pending.saturating_sub(1);
            }
        }
        g.messages.retain(|m| m.pending > 0);
        self.update_union(&g);
        self.note_queued(&g);
        Some(peer.data)
    }

    /// Removes every peer and message, returning the peers' data.
    pub fn clear(&self) -> Vec<P> {
        let mut g = self.inner.lock();
        g.messages.clear();
        self.note_queued(&g);
        let peers = std::mem::take(&mut g.peers);
        self.update_union(&g);
        peers.into_iter().map(|p| p.data).collect()
    }

    /// Called under the lock after every change to the queue.
    fn note_queued(&self, g: &Inner<P>) {
        self.queued.store(g.messages.len(), Ordering::Release);
    }

    fn update_union(&self, g: &Inner<P>) {
        let u = g.peers.iter().fold(0, |acc, p| acc | p.filter);
        self.union.store(u, Ordering::Release);
    }

    /// Queues a message for every interested peer except `exclude`.
    pub fn send(
        &self,
        class: u32,
        timestamp_us: i64,
        payload: Vec<u8>,
        exclude: Option<PeerId>,
    ) -> Result<Sent, SendError> {
        if payload.len() > MAX_PAYLOAD {
            return Err(SendError::TooLarge(payload.len()));
        }
        let mut g = self.inner.lock();
        if g.messages.len() >= self.depth {
            return Err(SendError::QueueFull(g.messages.len()));
        }
        let seq = g.next_seq;
        let mut m = Message {
            seq,
            class,
            timestamp_us,
            payload,
            exclude,
            pending: 0,
        };
        m.pending = g.peers.iter().filter(|p| wants(p, &m)).count();
        if m.pending == 0 {
            return Ok(Sent::NobodyInterested);
        }
        g.next_seq += 1;
        g.messages.push_back(m);
        self.note_queued(&g);
        Ok(Sent::Queued)
    }

    /// How many messages are queued.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    /// Drops messages older than the time-to-live at `now_us`; returns how many.
    pub fn expire(&self, now_us: i64) -> usize {
        let ttl = i64::try_from(self.ttl.as_micros()).unwrap_or(i64::MAX);
        let mut g = self.inner.lock();
        let before = g.messages.len();
        g.messages
            .retain(|m| now_us.saturating_sub(m.timestamp_us) <= ttl);
        self.note_queued(&g);
        before - g.messages.len()
    }

    /// The peers in delivery order.
    pub fn peer_ids(&self) -> Vec<PeerId> {
        self.inner.lock().peers.iter().map(|p| p.id).collect()
    }

    /// Takes the next message for peer `id`, if any: its cursor moves past it and
    /// the message leaves the queue when nobody else waits for it.
    pub fn take_next(&self, id: PeerId) -> Option<Delivery<P>> {
        let mut g = self.inner.lock();
        let g = &mut *g;
        let peer = g.peers.iter_mut().find(|p| p.id == id)?;
        let at = g
            .messages
            .iter()
            .position(|m| m.seq >= peer.cursor && wants(peer, m))?;
        let m = &mut g.messages[at];
        peer.cursor = m.seq + 1;
        m.pending -= 1;
        let d = Delivery {
            peer: peer.data.clone(),
            class: m.class,
            timestamp_us: m.timestamp_us,
            payload: if m.pending == 0 {
                std::mem::take(&mut m.payload)
            } else {
                m.payload.clone()
            },
        };
        if m.pending == 0 {
            g.messages.remove(at);
            self.note_queued(g);
        }
        Some(d)
    }

    /// Delivers everything queued, round-robin, through `deliver` (called with
    /// no lock held; it may send, register or unregister). Stops after `limit`
    /// deliveries so that peers answering every message with another cannot keep
    /// the service thread here forever. Returns how many were delivered.
    pub fn distribute(&self, limit: usize, mut deliver: impl FnMut(Delivery<P>)) -> usize {
        let mut n = 0;
        loop {
            let mut more = false;
            for id in self.peer_ids() {
                if n >= limit {
                    return n;
                }
                if let Some(d) = self.take_next(id) {
                    deliver(d);
                    n += 1;
                    more = true;
                }
            }
            if !more {
                return n;
            }
        }
    }
}

fn wants<P>(p: &Peer<P>, m: &Message) -> bool {
    p.filter & m.class != 0 && m.exclude != Some(p.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bus() -> Bus<&'static str> {
        Bus::new(DEFAULT_TTL, 4)
    }

    fn drain(b: &Bus<&'static str>) -> Vec<(&'static str, Vec<u8>)> {
        let mut out = Vec::new();
        b.distribute(100, |d| out.push((d.peer, d.payload)));
        out
    }

    #[test]
    fn delivers_by_class_round_robin_in_registration_order() {
        let b = bus();
        b.register(1, "a");
        b.register(3, "b");
        assert!(b.wanted(2) && !b.wanted(4));
        assert_eq!(b.send(1, 0, b"x".to_vec(), None), Ok(Sent::Queued));
        assert_eq!(b.send(2, 0, b"y".to_vec(), None), Ok(Sent::Queued));
        assert_eq!(
            b.send(4, 0, b"z".to_vec(), None),
            Ok(Sent::NobodyInterested)
        );
        assert_eq!(
            drain(&b),
            vec![
                ("a", b"x".to_vec()),
                ("b", b"x".to_vec()),
                ("b", b"y".to_vec())
            ]
        );
        assert_eq!(b.queued(), 0);
    }

    #[test]
    fn queue_depth_refuses_then_recovers() {
        let b = bus();
        b.register(1, "a");
        for _ in 0..4 {
            assert_eq!(b.send(1, 0, vec![], None), Ok(Sent::Queued));
        }
        assert_eq!(b.send(1, 0, vec![], None), Err(SendError::QueueFull(4)));
        assert_eq!(drain(&b).len(), 4);
        assert_eq!(b.send(1, 0, vec![], None), Ok(Sent::Queued));
    }

    #[test]
    fn unregistering_drops_what_only_that_peer_wanted() {
        let b = bus();
        b.register(1, "a");
        let u = b.register(1 << 24, "u");
        assert!(b.send(1 << 24, 0, b"user".to_vec(), None).is_ok());
        assert!(b.send(1, 0, b"a".to_vec(), None).is_ok());
        assert_eq!(b.unregister(u), Some("u"));
        assert_eq!(b.unregister(u), None);
        assert_eq!(b.queued(), 1);
        assert_eq!(drain(&b), vec![("a", b"a".to_vec())]);
    }

    #[test]
    fn late_peers_see_only_later_messages_and_exclusion_holds() {
        let b = bus();
        let a = b.register(1, "a");
        assert!(b.send(1, 0, b"1".to_vec(), None).is_ok());
        b.register(1, "late");
        assert!(b.send(1, 0, b"2".to_vec(), Some(a)).is_ok());
        assert_eq!(
            drain(&b),
            vec![("a", b"1".to_vec()), ("late", b"2".to_vec())]
        );
    }

    #[test]
    fn old_messages_expire_and_large_ones_are_refused() {
        let b = bus();
        b.register(1, "a");
        assert!(b.send(1, 0, vec![], None).is_ok());
        assert!(b.send(1, 1_900_000, vec![], None).is_ok());
        assert_eq!(b.expire(2_500_000), 1);
        assert_eq!(b.queued(), 1);
        assert_eq!(
            b.send(1, 0, vec![0; MAX_PAYLOAD + 1], None),
            Err(SendError::TooLarge(MAX_PAYLOAD + 1))
        );
    }

    #[test]
    fn distribution_is_bounded() {
        let b = bus();
        b.register(1, "a");
        assert!(b.send(1, 0, vec![], None).is_ok());
        assert!(b.send(1, 0, vec![], None).is_ok());
        assert_eq!(b.distribute(1, |_| {}), 1);
        assert_eq!(b.queued(), 1);
        assert_eq!(b.clear(), vec!["a"]);
        assert!(!b.wanted(1));
    }
}
