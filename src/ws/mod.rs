//! WebSocket framing (RFC 6455) for lws semantics: a streaming receive parser
//! that delivers payload in chunks as it arrives (never reassembling messages),
//! and frame writers for the transmit side. tungstenite supplies the frame
//! header types, the handshake key functions and, in the tests, the reference
//! header parser our slice parser is checked against; everything above the
//! header is ours, because lws's chunked delivery cannot be had from its
//! `WebSocket` (ecosystem.md §1).
#![forbid(unsafe_code)]

pub mod deflate;
pub mod handshake;
pub mod rx;
pub mod tx;

/// Close codes used by the library itself.
pub mod close {
    pub const NORMAL: u16 = 1000;
    pub const PROTOCOL_ERR: u16 = 1002;
    pub const INVALID_PAYLOAD: u16 = 1007;
    pub const MESSAGE_TOO_BIG: u16 = 1009;
}
