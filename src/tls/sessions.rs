//! The client TLS session cache of a vhost (lws's `LWS_WITH_TLS_SESSIONS`): sessions
//! are kept per peer host and port, as lws tags them (`<vhost>_<host>_<port>`), and
//! offered again by rustls on the next connection to the same peer.
//!
//! rustls keys its store by server name only; each client configuration is made for
//! one port and reaches the cache through a [`PortScoped`] view, so that two ports of
//! one host keep separate sessions as in lws.
//!
//! Dumps (`lws_tls_session_dump_save/load`): rustls has no serialisation for client
//! sessions, so a dump's blob is a process-local token naming a [`Dumped`] session kept
//! in [`DumpStore`] (bounded). A blob from another process is refused on load.
//! TLS 1.3 tickets are single-use (rustls hands each out at most once): saving moves
//! one of the peer's tickets into the dump; loading puts it back in a cache.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

/// lws's default `tls_session_cache_max`.
pub const DEFAULT_CACHE_MAX: usize = 10;

/// TLS 1.3 tickets kept per peer (servers usually issue two per handshake).
const TICKETS_PER_PEER: usize = 8;

/// Dumps kept in one process (the oldest is dropped first).
const DUMPS_MAX: usize = 64;

/// The magic that starts every dump blob, then a 16-byte random id.
const BLOB_MAGIC: &[u8; 8] = b"lwsrsTS1";

#[derive(Clone, Debug, PartialEq, Eq)]
struct Peer {
    host: String,
    port: u16,
}

#[derive(Default)]
struct Entry {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    tls13: VecDeque<Tls13ClientSessionValue>,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.tls12.is_none() && self.tls13.is_empty()
    }
}

/// One vhost's sessions, at most `max` peers (least recently stored dropped first).
pub struct SessionCache {
    max: usize,
    peers: Mutex<VecDeque<(Peer, Entry)>>,
}

impl fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionCache")
            .field("max", &self.max)
            .field("peers", &self.lock().len())
            .finish()
    }
}

/// A session taken out of a cache for a dump.
pub struct Dumped {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    tls13: Option<Tls13ClientSessionValue>,
}

impl SessionCache {
    /// A cache for `max` peers (0: lws's default of 10).
    pub fn new(max: usize) -> Arc<SessionCache> {
        Arc::new(SessionCache {
            max: if max == 0 { DEFAULT_CACHE_MAX } else { max },
            peers: Mutex::new(VecDeque::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(Peer, Entry)>> {
        self.peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn with_entry<R>(&self, peer: Peer, f: impl FnOnce(&mut Entry) -> R) -> R {
        let mut peers = self.lock();
        let entry = match peers.iter().position(|(p, _)| *p == peer) {
            Some(i) => {
                // Most recently used last.
                let e = peers.remove(i).map_or_else(Entry::default, |(_, e)| e);
                peers.push_back((peer, e));
                peers.len() - 1
            }
            None => {
                while peers.len() >= self.max {
                    peers.pop_front();
                }
                peers.push_back((peer, Entry::default()));
                peers.len() - 1
            }
        };
        let r = f(&mut peers[entry].1);
        if peers[entry].1.is_empty() && peers[entry].1.kx_hint.is_none() {
            peers.remove(entry);
        }
        r
    }

    fn peek<R>(&self, peer: &Peer, f: impl FnOnce(&Entry) -> R) -> Option<R> {
        let peers = self.lock();
        peers.iter().find(|(p, _)| p == peer).map(|(_, e)| f(e))
    }

    /// True when a resumable session for `host:port` is cached.
    pub fn has_session(&self, host: &str, port: u16) -> bool {
        let peer = Peer {
            host: host.to_string(),
            port,
        };
        self.peek(&peer, |e| !e.is_empty()).unwrap_or(false)
    }

    /// Takes one session for `host:port` out for a dump (a TLS 1.2 session stays
    /// cached as well; a TLS 1.3 ticket is single-use and moves).
    pub fn take_for_dump(&self, host: &str, port: u16) -> Option<Dumped> {
        let peer = Peer {
            host: host.to_string(),
            port,
        };
        if !self.has_session(host, port) {
            return None;
        }
        Some(self.with_entry(peer, |e| Dumped {
            kx_hint: e.kx_hint,
            tls12: e.tls12.clone(),
            tls13: e.tls13.pop_front(),
        }))
    }

    /// Puts a dumped session back for `host:port`.
    pub fn restore(&self, host: &str, port: u16, d: Dumped) {
        let peer = Peer {
            host: host.to_string(),
            port,
        };
        self.with_entry(peer, |e| {
            if d.kx_hint.is_some() {
                e.kx_hint = d.kx_hint;
            }
            if let Some(s) = d.tls12 {
                e.tls12 = Some(s);
            }
            if let Some(t) = d.tls13 {
                e.tls13.push_back(t);
            }
        });
    }
}

/// The cache as one port's client configuration sees it.
#[derive(Debug)]
pub struct PortScoped {
    pub cache: Arc<SessionCache>,
    pub port: u16,
}

impl PortScoped {
    fn peer(&self, name: &ServerName<'_>) -> Peer {
        Peer {
            host: name.to_str().into_owned(),
            port: self.port,
        }
    }
}

impl ClientSessionStore for PortScoped {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        let peer = self.peer(&server_name);
        self.cache.with_entry(peer, |e| e.kx_hint = Some(group));
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        self.cache
            .peek(&self.peer(server_name), |e| e.kx_hint)
            .flatten()
    }

    fn set_tls12_session(&self, server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        let peer = self.peer(&server_name);
        self.cache.with_entry(peer, |e| e.tls12 = Some(value));
    }

    fn tls12_session(&self, server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.cache
            .peek(&self.peer(server_name), |e| e.tls12.clone())
            .flatten()
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        let peer = self.peer(server_name);
        self.cache.with_entry(peer, |e| e.tls12 = None);
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        let peer = self.peer(&server_name);
        self.cache.with_entry(peer, |e| {
            if e.tls13.len() >= TICKETS_PER_PEER {
                e.tls13.pop_front();
            }
            e.tls13.push_back(value);
        });
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        let peer = self.peer(server_name);
        if self
            .cache
            .peek(&peer, |e| e.tls13.is_empty())
            .unwrap_or(true)
        {
            return None;
        }
        // The newest ticket first, as rustls's own memory cache does.
        self.cache.with_entry(peer, |e| e.tls13.pop_back())
    }
}

/// The process's dumps: blob id → session.
pub struct DumpStore {
    dumps: Mutex<VecDeque<([u8; 16], Dumped)>>,
}

impl DumpStore {
    /// The one store of this process.
    pub fn get() -> &'static DumpStore {
        static STORE: OnceLock<DumpStore> = OnceLock::new();
        STORE.get_or_init(|| DumpStore {
            dumps: Mutex::new(VecDeque::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<([u8; 16], Dumped)>> {
        self.dumps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `d` and returns the blob that names it.
    pub fn save(&self, d: Dumped) -> Vec<u8> {
        let mut id = [0u8; 16];
        // Unique within the process is all that is needed: a counter, and
        // random bytes so that a blob cannot be guessed from the previous one.
        static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _ = getrandom::fill(&mut id[8..]);
        id[..8].copy_from_slice(&n.to_le_bytes());
        let mut dumps = self.lock();
        while dumps.len() >= DUMPS_MAX {
            dumps.pop_front();
        }
        dumps.push_back((id, d));
        let mut blob = BLOB_MAGIC.to_vec();
        blob.extend_from_slice(&id);
        blob
    }

    /// The session a blob names, taken out of the store (a ticket is used once).
    pub fn load(&self, blob: &[u8]) -> Result<Dumped, &'static str> {
        let id = blob
            .strip_prefix(BLOB_MAGIC.as_slice())
            .filter(|id| id.len() == 16)
            .ok_or("not a session dump of this library")?;
        let mut dumps = self.lock();
        let i = dumps
            .iter()
            .position(|(k, _)| k.as_slice() == id)
            .ok_or("session dump not from this process (or already loaded)")?;
        dumps
            .remove(i)
            .map(|(_, d)| d)
            .ok_or("session dump vanished")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_of_other_origins_are_refused() {
        let s = DumpStore::get();
        assert!(s.load(b"garbage").is_err());
        let mut fake = BLOB_MAGIC.to_vec();
        fake.extend_from_slice(&[7u8; 16]);
        assert!(s.load(&fake).is_err());
        let blob = s.save(Dumped {
            kx_hint: Some(NamedGroup::X25519),
            tls12: None,
            tls13: None,
        });
        let d = s
            .load(&blob)
            .map_err(|_| ())
            .unwrap_or_else(|()| panic!("own blob"));
        assert_eq!(d.kx_hint, Some(NamedGroup::X25519));
        assert!(s.load(&blob).is_err(), "a dump loads once");
    }

    #[test]
    fn the_cache_is_bounded_and_keyed_by_port() {
        let c = SessionCache::new(2);
        for port in [1u16, 2, 3] {
            let v = PortScoped {
                cache: c.clone(),
                port,
            };
            let name = ServerName::try_from("example.com")
                .map_err(|_| ())
                .unwrap_or_else(|()| panic!());
            v.set_kx_hint(name.clone(), NamedGroup::X25519);
            assert_eq!(v.kx_hint(&name), Some(NamedGroup::X25519));
        }
        assert_eq!(c.lock().len(), 2);
        let other = PortScoped {
            cache: c.clone(),
            port: 9,
        };
        let name = ServerName::try_from("example.com")
            .map_err(|_| ())
            .unwrap_or_else(|()| panic!());
        assert_eq!(other.kx_hint(&name), None);
        assert!(!c.has_session("example.com", 3));
    }
}
