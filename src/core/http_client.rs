//! The HTTP/1.1 client transaction (spec B4.5): request, optional request body,
//! response headers, and a body handed out only when the application asks for
//! it with `lws_http_client_read` (so a large body is never held whole).
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{ConnId, Head, Phase, PhaseKind};
use super::context::Core;
use super::timers::{now_us, TimerTarget};
use super::{Callout, ConnEvent};
use crate::http::{BodyDecoder, ChunkState};

/// How many redirects one request follows.
const MAX_REDIRECTS: u8 = 8;

/// How long a finished client connection is kept before it closes (`keep_warm_secs`).
const KEEP_WARM_SECS: u64 = 5;

/// An HTTP client's response body while it is read (`Phase::ClientHttpBody`).
#[derive(Debug)]
pub struct ClientBody {
    decoder: BodyDecoder,
    /// Decoded body bytes waiting for `lws_http_client_read`.
    body: Vec<u8>,
    /// RECEIVE_CLIENT_HTTP was sent for what is waiting.
    notified: bool,
    /// COMPLETED_CLIENT_HTTP is queued.
    completed: bool,
}

impl ClientBody {
    /// The body that follows this response head to a request made with
    /// `method`.
    pub fn after(method: &str, head: &Head) -> ClientBody {
        ClientBody {
            decoder: decoder_for(method, head),
            body: Vec::new(),
            notified: false,
            completed: false,
        }
    }

    /// Decoded bytes are waiting for the application to read them.
    pub fn is_waiting(&self) -> bool {
        !self.body.is_empty()
    }

    /// Whether all of the body was read and handed out.
    fn is_finished(&self) -> bool {
        self.decoder.is_done() && self.body.is_empty()
    }
}

/// The request head of a plain HTTP client (B4.5 step 1).
pub fn request_head(
    method: &str,
    path: &str,
    host: &str,
    origin: Option<&str>,
    pipeline: bool,
    form: Option<&super::conn::FormKind>,
) -> Vec<u8> {
    let mut s = format!("{method} {path} HTTP/1.1\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nHost: {host}\r\n");
    if let Some(o) = origin {
        s.push_str(&format!("Origin: {o}\r\n"));
    }
    match form {
        Some(super::conn::FormKind::Multipart { boundary }) => s.push_str(&format!(
            "content-type: multipart/form-data; boundary=\"{boundary}\"\r\n"
        )),
        Some(super::conn::FormKind::UrlEncoded) => {
            s.push_str("content-type: application/x-www-form-urlencoded\r\n")
        }
        None => {}
    }
    if !pipeline {
        s.push_str("connection: close\r\n");
    }
    s.into_bytes()
}

fn decoder_for(method: &str, head: &Head) -> BodyDecoder {
    if method == "HEAD" || matches!(head.status, 100..=199 | 204 | 304) {
        return BodyDecoder::Done;
    }
    if head
        .header_str("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        return BodyDecoder::Chunked(ChunkState::Size);
    }
    match head
        .header_str("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        Some(0) => BodyDecoder::Done,
        Some(n) => BodyDecoder::Length(n),
        None => BodyDecoder::UntilClose,
    }
}

impl Core {
    /// The response head arrived: CLIENT_FILTER_PRE_ESTABLISH, then
    /// ESTABLISHED_CLIENT_HTTP; any status is a successful transaction.
    pub(super) fn http_response_head(&mut self, id: ConnId, head: Head) -> Option<Callout> {
        let c = self.conn_mut(id)?;
        let follow = c
            .client
            .as_ref()
            .is_some_and(|s| s.follow_redirects && s.redirects < MAX_REDIRECTS);
        let redirect = (follow && matches!(head.status, 301 | 302 | 303 | 307 | 308))
            .then(|| head.header_str("location").map(str::to_string))
            .flatten();
        let status = head.status;
        c.head = Some(head);
        c.answer_arrived();
        if let Some(location) = redirect {
            self.timers.cancel(TimerTarget::ConnTimeout(id));
            return Some(Callout::Conn {
                id,
                event: ConnEvent::ClientHttpRedirect {
                    location: location.into_bytes(),
                    status,
                },
            });
        }
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::EstablishedClientHttp,
        });
        Some(Callout::Conn {
            id,
            event: ConnEvent::ClientFilterPreEstablish,
        })
    }

    /// CLIENT_HTTP_REDIRECT answered: follow the redirect, or (refused) treat
    /// the 3xx as the final answer.
    pub(super) fn http_redirect_decided(&mut self, id: ConnId, location: &[u8], ret: i32) {
        if ret != 0 {
            for event in [
                ConnEvent::ClientFilterPreEstablish,
                ConnEvent::EstablishedClientHttp,
            ] {
                self.outbox.push_back(Callout::Conn { id, event });
            }
            return;
        }
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let Some(mut spec) = c.client.as_deref().cloned() else {
            return;
        };
        let status = c.head.as_ref().map_or(0, |h| h.status);
        let location = String::from_utf8_lossy(location).into_owned();
        let (scheme, rest) = match location.split_once("://") {
            Some((s, r)) => (Some(s.to_ascii_lowercase()), r.to_string()),
            None => (None, String::new()),
        };
        match scheme.as_deref() {
            None => {
                spec.path = if location.starts_with('/') {
                    location
                } else {
                    format!("/{location}")
                };
            }
            Some(s @ ("http" | "https")) => {
                let (hostport, path) = match rest.find('/') {
                    Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
                    None => (rest.clone(), "/".to_string()),
                };
                let https = s == "https";
                if spec.tls.is_some() && !https && !spec.allow_tls_downgrade {
                    return self.finish(
                        id,
                        Ending::ClientError("HS: Redirect would downgrade https to http".into()),
                    );
                }
                let (h, port) = match hostport.rsplit_once(':') {
                    Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => {
                        (h.to_string(), p.parse().unwrap_or(0))
                    }
                    _ => (hostport.clone(), if https { 443 } else { 80 }),
                };
                spec.address = h;
                spec.host = hostport;
                spec.port = port;
                spec.path = path;
                spec.tls = if https {
                    Some(
                        spec.tls
                            .clone()
                            .unwrap_or_else(|| (Default::default(), vec![b"http/1.1".to_vec()])),
                    )
                } else {
                    None
                };
            }
            Some(_) => {
                return self.finish(
                    id,
                    Ending::ClientError("HS: Redirect to an unsupported scheme".into()),
                )
            }
        }
        if status == 303 || (matches!(status, 301 | 302) && spec.method.as_deref() == Some("POST"))
        {
            spec.method = Some("GET".into());
            spec.redirected_to_get = true;
            spec.form = None;
        }
        spec.redirects += 1;
        self.restart_client(id, spec);
    }

    /// ESTABLISHED_CLIENT_HTTP accepted: the body phase begins.
    pub(super) fn http_client_established(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let method = c.client.as_ref().and_then(|s| s.method.as_deref());
        let body = match &c.head {
            Some(head) => ClientBody::after(method.unwrap_or_default(), head),
            None => ClientBody::after(method.unwrap_or_default(), &Head::default()),
        };
        c.set_phase(Phase::ClientHttpBody(body));
        c.closes_as = super::conn::ClosesAs::Http;
        self.ready.push_back(id);
        self.check_http_client_complete(id);
    }

    /// Decodes buffered input into the waiting body; announces new bytes once.
    pub(super) fn next_client_body_event(&mut self, id: ConnId) -> Option<Callout> {
        let (hc, input, in_pos) = self.conn_mut(id)?.client_body_with_input()?;
        if hc.body.is_empty() && *in_pos < input.len() {
            let mut out = Vec::new();
            match hc.decoder.decode(&input[*in_pos..], &mut out) {
                Ok(n) => *in_pos += n,
                Err(_) => {
                    self.finish(id, Ending::Abrupt);
                    return None;
                }
            }
            hc.body = out;
        }
        if !hc.body.is_empty() && !hc.notified {
            hc.notified = true;
            return Some(Callout::Conn {
                id,
                event: ConnEvent::ReceiveClientHttp,
            });
        }
        self.check_http_client_complete(id);
        self.outbox.pop_front()
    }

    /// Whether the client is waiting for the application to read the body, so
    /// nothing more should be read from the socket now.
    pub fn http_client_blocked(&self, id: ConnId) -> bool {
        self.conn(id)
            .and_then(|c| c.client_body())
            .is_some_and(ClientBody::is_waiting)
    }

    /// `lws_http_client_read`: hands out the waiting body bytes (none before
    /// the body phase). None when the connection is finished or is no HTTP
    /// client.
    pub fn take_client_body(&mut self, id: ConnId) -> Option<Vec<u8>> {
        let c = self.conn_mut(id)?;
        if c.phase() == PhaseKind::Finished || !c.is_http_client() {
            return None;
        }
        let Some(hc) = c.client_body_mut() else {
            return Some(Vec::new());
        };
        hc.notified = false;
        let body = std::mem::take(&mut hc.body);
        self.ready.push_back(id);
        self.check_http_client_complete(id);
        Some(body)
    }

    /// The peer closed while reading the body.
    pub(super) fn http_client_eof(&mut self, id: ConnId) -> bool {
        let Some(hc) = self.conn_mut(id).and_then(|c| c.client_body_mut()) else {
            return false;
        };
        if matches!(hc.decoder, BodyDecoder::UntilClose) {
            hc.decoder = BodyDecoder::Done;
        }
        self.check_http_client_complete(id);
        // Keep the connection until the completion has been delivered.
        self.conn(id)
            .and_then(|c| c.client_body())
            .is_some_and(|hc| hc.completed && !self.outbox.is_empty())
    }

    fn check_http_client_complete(&mut self, id: ConnId) {
        let Some(hc) = self.conn_mut(id).and_then(|c| c.client_body_mut()) else {
            return;
        };
        if hc.completed || !hc.is_finished() {
            return;
        }
        hc.completed = true;
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::CompletedClientHttp,
        });
        self.timers.schedule(
            TimerTarget::ConnTimeout(id),
            now_us() + KEEP_WARM_SECS * 1_000_000,
        );
    }

    /// `lws_client_http_body_pending`: while the request body is still being
    /// written the answer is not waited for; once it is done, the answer has
    /// the context's `timeout_secs` from then (as lws re-arms its timeout).
    pub fn set_body_pending(&mut self, id: ConnId, pending: bool) {
        let secs = u64::from(self.settings.timeout_secs);
        let Some(a) = self.conn_mut(id).and_then(|c| c.awaiting_mut()) else {
            return;
        };
        let finished = a.body_pending && !pending;
        a.body_pending = pending;
        if finished {
            self.timers
                .schedule(TimerTarget::ConnTimeout(id), now_us() + secs * 1_000_000);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::conn::FormKind;
    use super::request_head;

    /// As lws: a fresh random boundary per request, twelve base64 characters,
    /// quoted in the content-type.
    #[test]
    fn multipart_request_head_quotes_a_random_boundary() {
        let (a, b) = (FormKind::multipart(), FormKind::multipart());
        assert_ne!(a, b);
        let FormKind::Multipart { boundary } = &a else {
            panic!("not multipart: {a:?}");
        };
        assert_eq!(boundary.len(), 12);
        assert!(boundary
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/'));
        let head = request_head("POST", "/f", "h", None, false, Some(&a));
        let head = String::from_utf8_lossy(&head);
        let want = format!("content-type: multipart/form-data; boundary=\"{boundary}\"\r\n");
        assert!(head.contains(&want), "{head}");
    }
}
