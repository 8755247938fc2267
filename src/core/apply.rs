//! What a callback's return value does: `apply` of each delivered callout's
//! answer before the next one is produced.
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{ClosesAs, Conn, ConnId, Role};
use super::context::Core;
use super::{Callout, ConnEvent};
use crate::log::level;
use crate::lwsl;
use crate::ws::close;

impl Core {
    /// Applies a callback's return value (spec B4.3, B5.4, B6.4, B6.5), then
    /// the `lws_client_reset` calls the callback made.
    pub fn apply(&mut self, callout: Callout, ret: i32) {
        self.apply_answer(callout, ret);
        if !self.resets.is_empty() {
            self.run_resets();
        }
    }

    fn apply_answer(&mut self, callout: Callout, ret: i32) {
        let (id, event) = match callout {
            Callout::Conn { id, event } => (id, event),
            Callout::Poll { fd, change, .. } => return self.poll_change_delivered(fd, change),
            _ => return,
        };
        match event {
            ConnEvent::RawAdopt(_)
            | ConnEvent::RawConnected
            | ConnEvent::RawRx { .. }
            | ConnEvent::RawWriteable(_) => self.raw_delivered(id, &event, ret),
            ConnEvent::RawBind | ConnEvent::RawDrop | ConnEvent::RawClose(_) => {}
            ConnEvent::WsiDestroy => self.remove_conn(id),
            ConnEvent::FileOpen { usage, opened, .. } => self.file_opened(id, *usage, opened),
            ConnEvent::FileRead { data, .. } => self.file_read(id, data),
            ConnEvent::ClientHttpRedirect { location, .. } => {
                self.http_redirect_decided(id, &location, ret)
            }
            ConnEvent::FilterProtocolConnection { .. } => {
                if ret != 0 {
                    lwsl!(
                        level::INFO,
                        "conn {}: refused by FILTER_PROTOCOL_CONNECTION",
                        id.index
                    );
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.confirm_extension_then_add_headers(id);
                }
            }
            ConnEvent::ConfirmExtensionOkay { .. } => {
                if ret != 0 {
                    lwsl!(
                        level::INFO,
                        "conn {}: permessage-deflate declined by CONFIRM_EXTENSION_OKAY",
                        id.index
                    );
                    if let Some(h) = self.conn_mut(id).and_then(Conn::handshake_mut) {
                        h.deflate_offer = None;
                    }
                }
                self.push_add_headers(id);
            }
            ConnEvent::ClientConfirmExtensionSupported { .. } => {
                if ret != 0 {
                    if let Some(h) = self.conn_mut(id).and_then(Conn::handshake_mut) {
                        h.deflate_offer = None;
                    }
                }
            }
            ConnEvent::AddHeaders { appended, .. } => {
                if ret != 0 {
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.complete_upgrade(id, &appended);
                }
            }
            ConnEvent::AppendHandshakeHeader { appended, .. } => {
                if ret != 0 {
                    self.finish(
                        id,
                        Ending::ClientError("HS: Rejected by APPEND_HANDSHAKE_HEADER".into()),
                    );
                } else {
                    self.send_client_request(id, &appended);
                }
            }
            // HTTP clients: FILTER_PRE_ESTABLISH comes first and
            // ESTABLISHED_CLIENT_HTTP opens the body phase (B4.5 step 3).
            ConnEvent::EstablishedClientHttp if ret == 0 && self.is_http_client(id) => {
                self.http_client_established(id)
            }
            ConnEvent::ClientFilterPreEstablish if ret == 0 && self.is_http_client(id) => {}
            ConnEvent::EstablishedClientHttp => {
                self.client_handshake_step(id, ret, "HS: disallowed by client filter")
            }
            ConnEvent::ClientFilterPreEstablish => {
                self.client_handshake_step(id, ret, "HS: Rejected by filter cb")
            }
            ConnEvent::Established => {
                let client = self.conn(id).is_some_and(|c| c.role == Role::Client);
                if ret != 0 && client {
                    self.finish(
                        id,
                        Ending::ClientError("HS: Rejected at CLIENT_ESTABLISHED".into()),
                    );
                } else if ret != 0 {
                    self.close_by_callback(id);
                } else if let Some(c) = self.conn_mut(id) {
                    c.closes_as = ClosesAs::WebSocket;
                    // Request headers are readable up to here only (B5.4 step 9).
                    c.head = None;
                    self.mark_valid(id);
                }
            }
            ConnEvent::PeerInitiatedClose(payload) => {
                if ret == 0 {
                    let code = if payload.len() >= 2 {
                        u16::from_be_bytes([payload[0], payload[1]])
                    } else {
                        close::NORMAL
                    };
                    let reason = if payload.len() > 2 {
                        payload[2..].to_vec()
                    } else {
                        Vec::new()
                    };
                    let echo = if payload.is_empty() {
                        Vec::new()
                    } else {
                        let mut p = code.to_be_bytes().to_vec();
                        p.extend_from_slice(&reason);
                        p
                    };
                    self.owe_close(id, echo);
                } else {
                    self.finish(id, Ending::Abrupt);
                }
            }
            ConnEvent::FilterHttpConnection { .. } => {
                if ret != 0 {
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.route_http(id);
                }
            }
            ConnEvent::CheckAccessRights => {
                if ret != 0 {
                    self.outbox
                        .retain(|co| !matches!(co, Callout::Conn { id: i, .. } if *i == id));
                    if let Some(t) = self.conn_mut(id).and_then(|c| c.http_mut()) {
                        t.keepalive = false;
                    }
                    self.queue_status(id, 401, None);
                    self.drain_then_finish(id);
                }
            }
            ConnEvent::Http { .. } => {
                if let Some(t) = self.conn_mut(id).and_then(|c| c.http_mut()) {
                    t.http_delivered = true;
                }
                if ret != 0 {
                    self.close_by_callback(id);
                } else {
                    self.ready.push_back(id);
                }
            }
            ConnEvent::Writeable => {
                if ret != 0 {
                    self.close_by_callback(id);
                } else {
                    self.settle_peer_close(id);
                }
            }
            ConnEvent::Receive { payload, .. } => {
                if payload.input {
                    if let Some(c) = self.conn_mut(id) {
                        if c.inbuf.is_empty() {
                            c.inbuf = payload.buf;
                        }
                    }
                }
                if ret != 0 {
                    self.close_by_callback(id);
                }
            }
            ConnEvent::HttpBody(_)
            | ConnEvent::HttpBodyCompletion
            | ConnEvent::HttpWriteable
            | ConnEvent::HttpFileCompletion
            | ConnEvent::ClientHttpWriteable
            | ConnEvent::ReceiveClientHttp
            | ConnEvent::CompletedClientHttp
            | ConnEvent::ReceivePong(_)
            | ConnEvent::Timer
            | ConnEvent::BindProtocol
            | ConnEvent::NewClientInstantiated => {
                if ret != 0 {
                    self.close_by_callback(id);
                }
            }
            ConnEvent::WsiCreate
            | ConnEvent::Connecting { .. }
            | ConnEvent::DropProtocol
            | ConnEvent::Closed
            | ConnEvent::HttpDropProtocol
            | ConnEvent::ClosedHttp
            | ConnEvent::ConnectionError(_)
            | ConnEvent::FileClose => {}
        }
    }

    /// FILTER_PROTOCOL_CONNECTION accepted: the application is asked about
    /// the client's permessage-deflate offer (when this vhost has it), then
    /// for extra 101 headers (B5.4 step 8).
    fn confirm_extension_then_add_headers(&mut self, id: ConnId) {
        let has_deflate = self.deflate_config(id).is_some();
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let offer = c
            .head
            .as_ref()
            .and_then(|h| h.header_str("sec-websocket-extensions"))
            .filter(|v| {
                crate::ws::deflate::parse_extension_list(v)
                    .is_some_and(|l| l.iter().any(|e| e.name == crate::ws::deflate::NAME))
            })
            .filter(|_| has_deflate)
            .map(str::to_string);
        let Some(hs) = c.handshake_mut() else {
            return;
        };
        hs.deflate_offer = offer;
        if hs.deflate_offer.is_some() {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::ConfirmExtensionOkay {
                    name: crate::ws::deflate::NAME.to_string(),
                },
            });
        } else {
            self.push_add_headers(id);
        }
    }

    fn push_add_headers(&mut self, id: ConnId) {
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::AddHeaders {
                room: 2048,
                appended: Vec::new(),
            },
        });
    }

    pub(super) fn is_http_client(&self, id: ConnId) -> bool {
        self.conn(id).is_some_and(Conn::is_http_client)
    }
}
