//! The HTTP/1.1 transaction on a server connection (spec B5.2, B5.3): filter,
//! mount routing, LWS_CALLBACK_HTTP, request bodies, file serving, keep-alive.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use super::close::Ending;
use super::conn::{ConnId, Head, Phase};
use super::context::Core;
use super::timers::{now_us, TimerTarget};
use super::{Callout, ConnEvent};
use crate::http::{self, MountKind};
use crate::log::level;
use crate::lwsl;

/// How much of a file is queued per writable turn.
const FILE_CHUNK: usize = 65_536;

/// What is left of a request body.
#[derive(Debug)]
pub enum Body {
    None,
    /// An explicit `Content-Length: 0`: one empty HTTP_BODY still comes (B5.2).
    EmptyExplicit,
    Length(u64),
    /// `Transfer-Encoding: chunked`: decoded as it arrives; `pending` holds
    /// decoded bytes not yet delivered (at most `rx_chunk` go in one HTTP_BODY).
    Chunked {
        decoder: http::BodyDecoder,
        pending: Vec<u8>,
    },
}

/// A file being sent. The open file itself is the host's: it is opened,
/// read and closed through `ConnEvent::FileOpen` / `FileRead` / `FileClose`
/// (the context's file operations, which may be the user's).
#[derive(Debug)]
pub struct FileSend {
    /// Where the next read starts.
    pub at: u64,
    pub left: u64,
    /// A `FileRead` is out: wait for its data.
    pub reading: bool,
}

/// What a file being sent needs next (`Core::file_fragment_step`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStep {
    /// The connection sends no file; `unsent`: output is still queued.
    NoFile { unsent: bool },
    /// A read is out, or output is queued: the socket must drain first.
    Wait,
    /// Read `want` bytes at `at` and hand them to `file_fragment_data`.
    Read { at: u64, want: usize },
    /// All sent: the file is closed and HTTP_FILE_COMPLETION queued.
    Done,
    /// The connection is gone or ending (its socket failed).
    Gone,
}

/// What became of a piece read for a file being sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileData {
    /// The socket took it all (or the file is done): the next step may follow now.
    Next,
    /// Queued; the socket must drain first.
    Wait,
    /// The read failed or came back empty, or the socket failed: the
    /// connection is ending.
    Failed,
}

/// What the host reports about a file it opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileInfo {
    pub len: u64,
    /// Modification time (seconds), 0 when unknown.
    pub mtime: u64,
}

/// Why a file is being opened, and what to answer with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileUse {
    /// A FILE mount (B5.2): a file that cannot be opened falls through to
    /// LWS_CALLBACK_HTTP; no mime type for its name is a 415.
    Mount { mime: Option<String> },
    /// `lws_serve_http_file`: a file that cannot be opened is a 404.
    Serve {
        mime: String,
        other_headers: Vec<u8>,
    },
}

/// One request/response exchange.
#[derive(Debug)]
pub struct HttpTxn {
    pub keepalive: bool,
    pub version_minor: u8,
    pub path: String,
    pub body: Body,
    /// LWS_CALLBACK_HTTP was delivered: body events may follow.
    pub http_delivered: bool,
    pub body_done: bool,
    pub file: Option<FileSend>,
    /// The cache policy of the mount the request hit (lws's `wsi->cache_secs`...).
    pub cache: http::CachePolicy,
    /// How long (µs) the transaction may go without traffic before it is
    /// closed (`timeout_secs`: an unanswered request, a body that does not
    /// come, a response the peer does not read); None once the application
    /// set its own timeout with `lws_set_timeout`.
    pub idle_us: Option<u64>,
}

fn keepalive_of(head: &Head) -> bool {
    let conn = head.header_str("connection").unwrap_or("");
    let has = |t: &str| conn.split(',').any(|x| x.trim().eq_ignore_ascii_case(t));
    if head.version_minor >= 1 {
        !has("close")
    } else {
        has("keep-alive")
    }
}

impl Core {
    /// A request without an upgrade arrived (B5.2).
    pub(super) fn start_http(&mut self, id: ConnId, mut head: Head) {
        let (raw_path, query) = match head.path.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (head.path.clone(), None),
        };
        let Some(path) = http::sanitise_path(&raw_path) else {
            lwsl!(
                level::NOTICE,
                "conn {}: bad path {raw_path:?}: 403",
                id.index
            );
            return self.respond_and_close(id, 403);
        };
        // Later lookups see the sanitised path (the URI args stay attached).
        head.path = match &query {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        let te = head
            .header_str("transfer-encoding")
            .map(str::to_ascii_lowercase);
        let body = match (te, head.header_str("content-length").map(str::trim)) {
            // Chunked framing wins over a content-length (RFC 9112 6.3).
            (Some(te), _) if te.split(',').any(|t| t.trim() == "chunked") => Body::Chunked {
                decoder: http::BodyDecoder::Chunked(http::ChunkState::Size),
                pending: Vec::new(),
            },
            // A framing we cannot decode: refuse rather than misread.
            (Some(_), _) => return self.respond_and_close(id, 411),
            (None, Some("0")) => Body::EmptyExplicit,
            (None, Some(n)) => match n.parse::<u64>() {
                Ok(v) => Body::Length(v),
                Err(_) => return self.respond_and_close(id, 400),
            },
            (None, None) => Body::None,
        };
        let keepalive = keepalive_of(&head);
        let version_minor = head.version_minor;
        let idle_us = u64::from(self.settings.timeout_secs) * 1_000_000;
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.closes_as = super::conn::ClosesAs::Http;
        c.set_phase(Phase::HttpServing(HttpTxn {
            keepalive,
            version_minor,
            path: path.clone(),
            body,
            http_delivered: false,
            body_done: false,
            file: None,
            cache: http::CachePolicy::default(),
            idle_us: Some(idle_us),
        }));
        c.head = Some(head);
        c.traffic_at = now_us();
        self.timers
            .schedule(TimerTarget::ConnTimeout(id), now_us() + idle_us);
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::FilterHttpConnection {
                path: path.into_bytes(),
            },
        });
    }

    /// lws's `lws_http_redirect_hit`: a REDIR mount always redirects to its
    /// origin; a FILE mount deeper than "/" redirects a URI that does not go on
    /// with '/' after the mountpoint to the same URI with '/' added (so relative
    /// links work), on the connection's own scheme. `//` collapsed as lws does.
    fn redirect_for(&self, id: ConnId, m: &http::Mount, path: &str) -> Option<String> {
        let c = self.conn(id)?;
        let redir = matches!(m.kind, MountKind::RedirHttp | MountKind::RedirHttps);
        let rest = m.strip(path);
        let applies = (redir || (m.mountpoint_len > 1 && !rest.starts_with('/')))
            && matches!(
                m.kind,
                MountKind::File | MountKind::RedirHttp | MountKind::RedirHttps
            );
        if !applies {
            return None;
        }
        let url = match m.kind {
            MountKind::RedirHttp => format!("http://{}", m.origin),
            MountKind::RedirHttps => format!("https://{}", m.origin),
            _ => {
                let host = c.head.as_ref()?.header_str("host")?;
                let scheme = if c.tls.is_some() { "https" } else { "http" };
                format!("{scheme}://{host}{path}/")
            }
        };
        Some(http::clean_url(&url))
    }

    /// `lws_http_redirect` then the end of the transaction: status, the vhost's
    /// headers, location, and an empty text/html body.
    fn send_redirect(&mut self, id: ConnId, code: u16, location: &str) {
        let minor = self
            .conn(id)
            .and_then(|c| c.http())
            .map_or(1, |t| t.version_minor);
        let mut resp =
            format!("HTTP/1.{minor} {code} {}\r\n", http::status_text(code)).into_bytes();
        resp.extend_from_slice(&self.vhost_headers(id));
        resp.extend_from_slice(
            format!("location: {location}\r\ncontent-type: text/html\r\ncontent-length: 0\r\n\r\n")
                .as_bytes(),
        );
        self.queue_and_complete(id, resp);
    }

    /// FILTER_HTTP_CONNECTION accepted: pick the mount and hand the request on.
    pub(super) fn route_http(&mut self, id: ConnId) {
        let Some(c) = self.conn(id) else {
            return;
        };
        let Some(txn) = c.http() else {
            return;
        };
        let path = txn.path.clone();
        // Plain text on a TLS listener that redirects (B3.3): after the filter,
        // a 301 to the same URI on https:// (lws: Host of at most 128 bytes,
        // else closed unanswered); keep-alive as for any response.
        if c.redirect_to_https {
            let Some(to) = c.head.as_ref().and_then(|h| {
                let host = h
                    .header_str("host")
                    .filter(|h| !h.is_empty() && h.len() <= 128)?;
                Some(format!("https://{host}{}", h.path))
            }) else {
                return self.finish(id, Ending::Abrupt);
            };
            return self.send_redirect(id, 301, &to);
        }
        let mount = self
            .vhost(c.vhost)
            .and_then(|v| http::match_mount(&v.mounts, &path))
            .cloned();
        if let (Some(m), Some(t)) = (&mount, self.conn_mut(id).and_then(|c| c.http_mut())) {
            t.cache = m.cache;
        }
        if let Some(m) = &mount {
            if let Some(to) = self.redirect_for(id, m, &path) {
                // lws answers these before it reads the request's version and
                // Connection (lws_handshake_server): the status line and the
                // keep-alive are the previous transaction's on this connection,
                // HTTP/1.0 and close on a new one.
                if let Some(c) = self.conn_mut(id) {
                    let (minor, keep) = c.http_prev.unwrap_or((0, false));
                    if let Some(t) = c.http_mut() {
                        t.version_minor = minor;
                        t.keepalive = keep;
                    }
                }
                return self.send_redirect(id, 301, &to);
            }
            if !self.basic_auth_passes(id, m) {
                return;
            }
        }
        let Some(c) = self.conn(id) else {
            return;
        };
        let mut protocol = 0;
        let mut check_access = false;
        // What LWS_CALLBACK_HTTP gets: the URI, or (lws) the part after the
        // mountpoint when the mount names its protocol in `.protocol`.
        let mut http_path = path.clone();
        let is_post = c.head.as_ref().is_some_and(|h| h.method == "POST");
        let vhost = c.vhost;
        let find = |core: &Self, name: &str| {
            core.vhost(vhost)
                .and_then(|v| v.protocols.iter().position(|p| p.name == name))
        };
        match mount.as_ref().map(|m| (m, m.kind)) {
            Some((m, MountKind::File)) => return self.serve_mount_file(id, m, &path),
            Some((m, MountKind::Callback)) => {
                let name = m.callback_protocol();
                let Some(p) = find(self, name) else {
                    // lws: "Unable to find plugin", and the connection closes.
                    lwsl!(level::ERR, "Unable to find plugin '{name}'");
                    return self.finish(id, Ending::Abrupt);
                };
                protocol = p;
                check_access = true;
                if m.protocol.is_some() || is_post {
                    http_path = m.strip(&path).to_string();
                }
            }
            Some(_) => return self.respond_and_close(id, 404),
            None => {}
        }
        self.deliver_http(id, protocol, check_access, http_path);
    }

    /// Binds the request to `protocol` and delivers LWS_CALLBACK_HTTP (after
    /// CHECK_ACCESS_RIGHTS for CALLBACK mounts).
    fn deliver_http(&mut self, id: ConnId, protocol: usize, check_access: bool, path: String) {
        let rx_chunk = self.rx_chunk_for(
            self.conn(id).map_or(super::VhostId(0), |c| c.vhost),
            protocol,
        );
        if let Some(c) = self.conn_mut(id) {
            c.protocol = protocol;
            c.rx_chunk = rx_chunk;
        }
        let mut events = vec![ConnEvent::BindProtocol];
        if check_access {
            events.push(ConnEvent::CheckAccessRights);
        }
        events.push(ConnEvent::Http {
            path: path.into_bytes(),
        });
        for event in events {
            self.outbox.push_back(Callout::Conn { id, event });
        }
    }

    /// The mount's basic auth (lws's `lws_check_basic_auth`): true to go on. A
    /// missing or unknown login gets 401 with lws's realm; a malformed
    /// Authorization gets 403; both end the transaction (keep-alive kept). An
    /// accepted one leaves the user name as the Authorization header, as lws.
    fn basic_auth_passes(&mut self, id: ConnId, m: &http::Mount) -> bool {
        let header = self
            .conn(id)
            .and_then(|c| c.head.as_ref())
            .and_then(|h| h.header("authorization"))
            .map(<[u8]>::to_vec);
        match http::basic_auth(m, header.as_deref()) {
            http::BasicAuth::Continue(None) => true,
            http::BasicAuth::Continue(Some(user)) => {
                if let Some(h) = self.conn_mut(id).and_then(|c| c.head.as_mut()) {
                    for (n, v) in h.headers.iter_mut() {
                        if n == "authorization" {
                            v.clone_from(&user);
                        }
                    }
                }
                true
            }
            http::BasicAuth::Unauthorised(why) => {
                if let Some(why) = why {
                    lwsl!(level::ERR, "basic auth: {why}");
                }
                let minor = self
                    .conn(id)
                    .and_then(|c| c.http())
                    .map_or(1, |t| t.version_minor);
                let mut bytes =
                    format!("HTTP/1.{minor} 401 {}\r\n", http::status_text(401)).into_bytes();
                bytes.extend_from_slice(&self.vhost_headers(id));
                bytes.extend_from_slice(
                    b"www-authenticate: Basic realm=\"lwsws\"\r\ncontent-length: 0\r\n\r\n",
                );
                self.queue_and_complete(id, bytes);
                false
            }
            http::BasicAuth::Forbidden(why) => {
                lwsl!(level::ERR, "basic auth: {why}");
                self.queue_status(id, 403, None);
                if self.transaction_completed(id) {
                    self.drain_then_finish(id);
                }
                false
            }
        }
    }

    /// Asks the host to open the file of a FILE mount (B5.2): the answer
    /// (`file_opened`) serves it, or falls through to LWS_CALLBACK_HTTP when
    /// it cannot be opened.
    fn serve_mount_file(&mut self, id: ConnId, m: &http::Mount, path: &str) {
        let rest = path[m.mountpoint.trim_end_matches('/').len()..].trim_start_matches('/');
        let mut file = PathBuf::from(&m.origin);
        if !rest.is_empty() {
            file.push(rest);
        }
        if rest.is_empty() || path.ends_with('/') || file.is_dir() {
            file.push(m.def.as_deref().unwrap_or("index.html"));
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mime = http::mime_for(&name, &m.extra_mimetypes);
        self.open_file(
            id,
            file.to_string_lossy().into_owned(),
            FileUse::Mount { mime },
        );
    }

    /// `lws_serve_http_file`: the file is opened through the host, then sent
    /// with `mime` and `other_headers` (or a 404 when it cannot be opened).
    pub fn serve_file(&mut self, id: ConnId, file: &str, mime: &str, other_headers: &[u8]) {
        self.open_file(
            id,
            file.to_string(),
            FileUse::Serve {
                mime: mime.to_string(),
                other_headers: other_headers.to_vec(),
            },
        );
    }

    fn open_file(&mut self, id: ConnId, path: String, usage: FileUse) {
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::FileOpen {
                path,
                usage: Box::new(usage),
                opened: None,
            },
        });
    }

    /// The host's answer to a `FileOpen`.
    pub(super) fn file_opened(&mut self, id: ConnId, usage: FileUse, opened: Option<FileInfo>) {
        let Some(info) = opened else {
            return match usage {
                FileUse::Mount { .. } => self.mount_file_missing(id),
                FileUse::Serve { .. } => self.queue_status(id, 404, None),
            };
        };
        match usage {
            FileUse::Mount { mime: None } => {
                self.close_file(id);
                self.respond_and_close(id, 415)
            }
            FileUse::Mount { mime: Some(mime) } => {
                self.send_opened_file(id, info, &mime, b"", true)
            }
            FileUse::Serve {
                mime,
                other_headers,
            } => self.send_opened_file(id, info, &mime, &other_headers, false),
        }
    }

    /// A FILE mount's file is not there: LWS_CALLBACK_HTTP of protocols[0] with
    /// the URI, or (lws) of the mount's `.protocol` with the URI after the
    /// mountpoint; a `.protocol` the vhost lacks closes the connection.
    fn mount_file_missing(&mut self, id: ConnId) {
        let Some(c) = self.conn(id) else {
            return;
        };
        let path = c.http().map(|t| t.path.clone()).unwrap_or_default();
        let named = self.vhost(c.vhost).and_then(|v| {
            let m = http::match_mount(&v.mounts, &path)?;
            let name = m.protocol.as_deref()?;
            Some((
                v.protocols.iter().position(|p| p.name == name),
                m.strip(&path).to_string(),
            ))
        });
        match named {
            None => self.deliver_http(id, 0, false, path),
            Some((Some(p), rest)) => self.deliver_http(id, p, false, rest),
            Some((None, _)) => self.finish(id, Ending::Abrupt),
        }
    }

    fn close_file(&mut self, id: ConnId) {
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::FileClose,
        });
    }

    /// Headers now, the body as the socket takes it, then HTTP_FILE_COMPLETION.
    /// ETag / If-None-Match give 304; `Range` gives 206 (B5.T1).
    fn send_opened_file(
        &mut self,
        id: ConnId,
        info: FileInfo,
        mime: &str,
        other_headers: &[u8],
        etag: bool,
    ) {
        let FileInfo { len, mtime } = info;
        let Some(c) = self.conn(id) else {
            return;
        };
        let head = c.head.as_ref();
        let minor = c.http().map_or(1, |t| t.version_minor);
        let cache = c.http().map(|t| t.cache).unwrap_or_default();
        let cache_control = cache.header_value();
        let tag = format!("{len:08X}{:08X}", mtime & 0xffff_ffff);
        if etag && head.and_then(|h| h.header_str("if-none-match")) == Some(tag.as_str()) {
            let mut resp = format!("HTTP/1.{minor} 304 Not Modified\r\n").into_bytes();
            resp.extend_from_slice(&self.vhost_headers(id));
            resp.extend_from_slice(
                format!("etag: {tag}\r\ncache-control: {cache_control}\r\n\r\n").as_bytes(),
            );
            self.close_file(id);
            return self.queue_and_complete(id, resp);
        }
        let range = match http::parse_range(head.and_then(|h| h.header_str("range")), len) {
            Ok(r) => r,
            Err(http::Unsatisfiable) => {
                let resp = format!("HTTP/1.{minor} 416 Requested Range Not Satisfiable\r\ncontent-range: bytes */{len}\r\ncontent-length: 0\r\n\r\n");
                self.close_file(id);
                return self.queue_and_complete(id, resp.into_bytes());
            }
        };
        let (status, first, count) = match range {
            Some((a, b)) => (206, a, b - a + 1),
            None => (200, 0, len),
        };
        let mut bytes =
            format!("HTTP/1.{minor} {status} {}\r\n", http::status_text(status)).into_bytes();
        bytes.extend_from_slice(&self.vhost_headers(id));
        if !mime.is_empty() {
            bytes.extend_from_slice(format!("content-type: {mime}\r\n").as_bytes());
        }
        if let Some((a, b)) = range {
            bytes.extend_from_slice(
                format!("content-range: bytes {a}-{b}/{len}\r\naccept-ranges: bytes\r\n")
                    .as_bytes(),
            );
        }
        bytes.extend_from_slice(format!("content-length: {count}\r\n").as_bytes());
        let theirs = String::from_utf8_lossy(other_headers);
        if !theirs.contains("cache-control") && !theirs.contains("Cache-Control") {
            bytes.extend_from_slice(format!("cache-control: {cache_control}\r\n").as_bytes());
        }
        if etag {
            bytes.extend_from_slice(format!("etag: {tag}\r\n").as_bytes());
        }
        bytes.extend_from_slice(other_headers);
        bytes.extend_from_slice(b"\r\n");
        let is_head = self
            .conn(id)
            .and_then(|c| c.head.as_ref())
            .is_some_and(|h| h.method == "HEAD");
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if let Some(t) = c.http_mut() {
            t.file = Some(FileSend {
                at: first,
                left: if is_head { 0 } else { count },
                reading: false,
            });
        }
        if c.queue(&bytes).is_err() {
            return self.finish(id, Ending::Abrupt);
        }
        self.pump_file(id);
    }

    /// Asks for the next piece of a file being sent, or reports its
    /// completion (the host closes the file first).
    pub(super) fn pump_file(&mut self, id: ConnId) {
        if let FileStep::Read { at, want } = self.file_step(id) {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::FileRead {
                    at,
                    want,
                    data: None,
                },
            });
        }
    }

    /// What the file being sent on `id` needs next. A `Read` is marked as
    /// out (answer it with `file_data`); `Done` has queued the close and
    /// HTTP_FILE_COMPLETION.
    fn file_step(&mut self, id: ConnId) -> FileStep {
        let opening = self.outbox.iter().any(|co| {
            matches!(co, Callout::Conn { id: i, event: ConnEvent::FileOpen { .. } } if *i == id)
        });
        let Some(c) = self.conn_mut(id) else {
            return FileStep::Gone;
        };
        let unsent = c.has_unsent();
        let Some(fs) = c.http_mut().and_then(|t| t.file.as_mut()) else {
            // `lws_serve_http_file` asked for it and the host has not opened it yet.
            if opening {
                return FileStep::Wait;
            }
            return FileStep::NoFile { unsent };
        };
        if fs.reading || unsent {
            return FileStep::Wait;
        }
        if fs.left == 0 {
            if let Some(t) = c.http_mut() {
                t.file = None;
            }
            self.close_file(id);
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::HttpFileCompletion,
            });
            return FileStep::Done;
        }
        fs.reading = true;
        FileStep::Read {
            at: fs.at,
            want: (fs.left as usize).min(FILE_CHUNK),
        }
    }

    /// The host's answer to a `FileRead`: queue it and go on while the
    /// socket takes it; a failed or empty read ends the connection.
    pub(super) fn file_read(&mut self, id: ConnId, data: Option<Vec<u8>>) {
        if self.file_data(id, data) == FileData::Next {
            self.pump_file(id);
        }
    }

    /// Queues a piece read for the file being sent.
    fn file_data(&mut self, id: ConnId, data: Option<Vec<u8>>) -> FileData {
        let Some(c) = self.conn_mut(id) else {
            return FileData::Failed;
        };
        let Some(fs) = c.http_mut().and_then(|t| t.file.as_mut()) else {
            return FileData::Wait;
        };
        fs.reading = false;
        let data = match data {
            Some(d) if !d.is_empty() => d,
            _ => {
                lwsl!(
                    level::ERR,
                    "conn {}: file read failed mid-response",
                    id.index
                );
                self.close_file(id);
                self.finish(id, Ending::Abrupt);
                return FileData::Failed;
            }
        };
        let n = (data.len() as u64).min(fs.left);
        fs.left -= n;
        fs.at += n;
        let done = fs.left == 0;
        match c.queue(&data[..n as usize]) {
            Ok(true) if done || c.writable => FileData::Next,
            Ok(_) => FileData::Wait,
            Err(_) => {
                self.close_file(id);
                self.finish(id, Ending::Abrupt);
                FileData::Failed
            }
        }
    }

    /// `lws_serve_http_file_fragment`, one step: what the host does next to
    /// send the file of `id` now rather than on the next writable turn.
    /// Buffered output is flushed first.
    pub fn file_fragment_step(&mut self, id: ConnId) -> FileStep {
        let Some(c) = self.conn_mut(id) else {
            return FileStep::Gone;
        };
        if c.has_unsent() && c.writable {
            if let Err(e) = c.flush() {
                lwsl!(level::INFO, "conn {}: write: {e}", id.index);
                self.close_file(id);
                self.finish(id, Ending::Abrupt);
                return FileStep::Gone;
            }
        }
        self.file_step(id)
    }

    /// `lws_serve_http_file_fragment`: a piece the host read for a `Read` step.
    pub fn file_fragment_data(&mut self, id: ConnId, data: Option<Vec<u8>>) -> FileData {
        self.file_data(id, data)
    }

    /// `lws_serve_http_file_fragment` returns with more to send: the usual
    /// writable-driven sending takes over.
    pub fn file_fragment_resume(&mut self, id: ConnId) {
        self.pump_file(id);
    }

    /// The vhost's `info.headers` and `server_string`, as header lines.
    pub fn vhost_headers(&self, id: ConnId) -> Vec<u8> {
        let Some(v) = self.conn(id).and_then(|c| self.vhost(c.vhost)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (n, val) in &v.headers {
            out.extend_from_slice(
                format!("{} {val}\r\n", n.trim_end_matches(':').to_string() + ":").as_bytes(),
            );
        }
        if let Some(s) = &v.server_string {
            out.extend_from_slice(format!("server: {s}\r\n").as_bytes());
        }
        out
    }

    /// A complete small response with an HTML body (`lws_return_http_status`).
    pub fn queue_status(&mut self, id: ConnId, code: u16, html: Option<&str>) {
        let minor = self
            .conn(id)
            .and_then(|c| c.http())
            .map_or(1, |t| t.version_minor);
        if code == 404 {
            if let Some(doc) = self.error_document_for(id) {
                // lws answers a 404 with a redirect to the vhost's error document
                // (empty body, so a keep-alive client sees the transaction end).
                let mut bytes =
                    format!("HTTP/1.{minor} 302 {}\r\n", http::status_text(302)).into_bytes();
                bytes.extend_from_slice(&self.vhost_headers(id));
                bytes.extend_from_slice(
                    format!(
                        "location: {doc}\r\ncontent-type: text/html\r\ncontent-length: 0\r\n\r\n"
                    )
                    .as_bytes(),
                );
                if let Some(c) = self.conn_mut(id) {
                    if c.queue(&bytes).is_err() {
                        self.finish(id, Ending::Abrupt);
                    }
                }
                return;
            }
        }
        let text = http::status_text(code);
        let body = format!(
            "<html><head><meta charset=utf-8 http-equiv=\"Content-Language\" content=\"en\"/><link rel=\"stylesheet\" type=\"text/css\" href=\"/error.css\"/></head><body><h1>{code}</h1>{}</body></html>",
            html.unwrap_or("")
        );
        let mut bytes = format!("HTTP/1.{minor} {code} {text}\r\n").into_bytes();
        bytes.extend_from_slice(&self.vhost_headers(id));
        bytes.extend_from_slice(
            format!(
                "content-type: text/html\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
        if let Some(c) = self.conn_mut(id) {
            if c.queue(&bytes).is_err() {
                self.finish(id, Ending::Abrupt);
            }
        }
    }

    /// The vhost's `error_document_404`, unless this request is for it (then the
    /// 404 is answered as such, not redirected again).
    fn error_document_for(&self, id: ConnId) -> Option<String> {
        let c = self.conn(id)?;
        let doc = self.vhost(c.vhost)?.error_document_404.as_ref()?;
        let path = c.http().map(|t| t.path.as_str());
        (path != Some(doc.as_str())).then(|| doc.clone())
    }

    fn respond_and_close(&mut self, id: ConnId, code: u16) {
        if let Some(c) = self.conn_mut(id) {
            if let Some(t) = c.http_mut() {
                t.keepalive = false;
            }
        }
        self.queue_status(id, code, None);
        self.drain_then_finish(id);
    }

    fn queue_and_complete(&mut self, id: ConnId, bytes: Vec<u8>) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.queue(&bytes).is_err() {
            return self.finish(id, Ending::Abrupt);
        }
        if self.transaction_completed(id) {
            self.drain_then_finish(id);
        }
    }

    /// Closes once queued output has left (bounded by a timer).
    pub fn drain_then_finish(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if !c.has_unsent() {
            return self.finish(id, Ending::Abrupt);
        }
        c.drain();
        self.timers
            .schedule(TimerTarget::ConnTimeout(id), now_us() + 5_000_000);
    }

    /// `lws_http_headers_detach`: the request head is dropped (the transaction's
    /// own state keeps what it needs: keep-alive, version, path).
    pub fn http_headers_detach(&mut self, id: ConnId) {
        if let Some(c) = self.conn_mut(id) {
            c.head = None;
        }
    }

    /// `lws_http_transaction_completed`: true when the connection must close
    /// now; otherwise it waits for the next request with fresh per-session data.
    /// The response went out without a length (`connection: close`): its end
    /// is the end of the connection, so the transaction cannot be kept alive
    /// (lws's HTTP_CONNECTION_CLOSE).
    pub fn response_ends_with_connection(&mut self, id: ConnId) {
        if let Some(t) = self.conn_mut(id).and_then(|c| c.http_mut()) {
            t.keepalive = false;
        }
    }

    pub fn transaction_completed(&mut self, id: ConnId) -> bool {
        let Some(c) = self.conn_mut(id) else {
            return true;
        };
        let keep = c.http().is_some_and(|t| {
            let body_left = match t.body {
                Body::Length(n) => n > 0,
                Body::Chunked { .. } => !t.body_done,
                Body::None | Body::EmptyExplicit => false,
            };
            t.keepalive && !body_left
        });
        if !keep {
            return true;
        }
        c.http_prev = c.http().map(|t| (t.version_minor, t.keepalive));
        c.head = None;
        c.set_phase(Phase::ReadingHeaders);
        let vh = c.vhost;
        let secs = self.vhost(vh).map_or(5, |v| v.keepalive_secs);
        self.timers.schedule(
            TimerTarget::ConnTimeout(id),
            now_us() + u64::from(secs) * 1_000_000,
        );
        self.ready.push_back(id);
        false
    }

    /// The next request-body event (B5.2), once LWS_CALLBACK_HTTP was delivered.
    pub(super) fn next_body_event(&mut self, id: ConnId) -> Option<Callout> {
        let c = self.conn_mut(id)?;
        let chunk = c.rx_chunk;
        let (t, inbuf, in_pos) = c.http_with_input()?;
        let avail = inbuf.len() - *in_pos;
        if !t.http_delivered || t.body_done {
            return None;
        }
        let event = match t.body {
            Body::None => return None,
            Body::EmptyExplicit => {
                t.body = Body::Length(0);
                ConnEvent::HttpBody(Vec::new())
            }
            Body::Length(0) => {
                t.body_done = true;
                ConnEvent::HttpBodyCompletion
            }
            Body::Length(left) => {
                let n = (left.min(chunk as u64) as usize).min(avail);
                if n == 0 {
                    return None;
                }
                t.body = Body::Length(left - n as u64);
                let data = inbuf[*in_pos..*in_pos + n].to_vec();
                *in_pos += n;
                ConnEvent::HttpBody(data)
            }
            Body::Chunked {
                ref mut decoder,
                ref mut pending,
            } => {
                if pending.len() < chunk && !decoder.is_done() {
                    match decoder.decode(&inbuf[*in_pos..], pending) {
                        Ok(used) => *in_pos += used,
                        Err(http::BadChunk) => {
                            lwsl!(
                                level::ERR,
                                "conn {}: bad chunked request body: closing",
                                id.index
                            );
                            self.finish(id, Ending::Abrupt);
                            return None;
                        }
                    }
                }
                if !pending.is_empty() {
                    let n = pending.len().min(chunk.max(1));
                    ConnEvent::HttpBody(pending.drain(..n).collect())
                } else if decoder.is_done() {
                    t.body_done = true;
                    ConnEvent::HttpBodyCompletion
                } else {
                    return None;
                }
            }
        };
        Some(Callout::Conn { id, event })
    }
}
