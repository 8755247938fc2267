//! The invariants every fuzz target checks, one function per target, over the
//! crate's public Rust API. The same file is compiled by the fuzz binaries
//! (`fuzz/src/bin/<target>.rs`) and by the main crate's `tests/fuzz_corpus.rs`,
//! which replays the committed corpus (`fuzz/corpus/<target>/`) through
//! [`TARGETS`]: one copy of the invariants.
//!
//! A violated invariant panics (libFuzzer then saves the input). Each target
//! starts with a few configuration bytes (read by [`Input`]) and treats the rest
//! as hostile input, or as a description of messages to write and read back.
//!
//! To add a target: write `fn name(data: &[u8])` here, list it in [`TARGETS`],
//! and add `fuzz/src/bin/name.rs` (two lines, like the others).

use websockets::core::conn::Head;
use websockets::http::{self, BodyDecoder, ChunkState, Mount, MountKind};
use websockets::ws::deflate::{self, Deflater, Inflater, PmdParams};
use websockets::ws::handshake;
use websockets::ws::rx::{RxError, RxEvent, RxParser, Side, MAX_INFLATED_MESSAGE};
use websockets::ws::tx::{self, DeflateFramer, Opcode};

/// A target's entry point: checks its invariants on one input, panicking on a violation.
pub type Check = fn(&[u8]);

/// Every target by name: the corpus of `name` is `fuzz/corpus/name/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("ws_rx", ws_rx),
    ("ws_rx_deflate", ws_rx_deflate),
    ("ws_roundtrip", ws_roundtrip),
    ("ws_extensions", ws_extensions),
    ("http_request", http_request),
    ("http_response", http_response),
    ("http_chunked", http_chunked),
    ("http_url", http_url),
];

/// Reads configuration bytes from the front of the input; zeros once it is used up.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.data.len())
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// The piece sizes a network might deliver a stream in: a small generator
/// seeded by the input, so that runs are reproducible. Seed 0: one byte at a time.
fn pieces(len: usize, seed: u8) -> Vec<usize> {
    let mut out = Vec::new();
    let mut state = u32::from(seed) | 1;
    let mut left = len;
    while left > 0 {
        let n = if seed == 0 {
            1
        } else {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            1 + (state % 23) as usize
        };
        let n = n.min(left);
        out.push(n);
        left -= n;
    }
    out
}

// ---------------------------------------------------------------------------
// WebSocket receive side

/// What an rx run produced: the events, and how it ended (None: wants more input).
struct RxRun {
    events: Vec<RxEvent>,
    error: Option<RxError>,
}

/// Feeds `stream` to `parser` the way a connection does: read pieces appended to
/// a buffer, events taken until the parser wants more, consumed bytes dropped.
fn feed(parser: &mut RxParser, stream: &[u8], sizes: &[usize], max_chunk: usize) -> RxRun {
    let mut events = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut at = 0;
    for &n in sizes {
        buf.extend_from_slice(&stream[at..at + n]);
        at += n;
        let mut pos = 0;
        loop {
            let before = pos;
            match parser.next(&buf, &mut pos, max_chunk) {
                Ok(Some(ev)) => events.push(ev),
                Ok(None) => break,
                Err(e) => {
                    return RxRun {
                        events,
                        error: Some(e),
                    }
                }
            }
            assert!(pos >= before && pos <= buf.len(), "position out of range");
        }
        assert!(pos <= buf.len());
        buf.drain(..pos);
    }
    RxRun {
        events,
        error: None,
    }
}

/// One frame as RFC 6455 5.2 lays it out, decoded independently of the parser.
struct RefFrame {
    fin: bool,
    rsv1: bool,
    opcode: u8,
    /// The length the header declares.
    len: u64,
    /// The unmasked payload bytes present in the input (all of them when complete).
    payload: Vec<u8>,
}

/// Splits a stream into frames; the last one may be incomplete. None at a
/// header that is itself incomplete.
fn ref_frames(mut b: &[u8]) -> Vec<RefFrame> {
    let mut out = Vec::new();
    while b.len() >= 2 {
        let (first, second) = (b[0], b[1]);
        let (len, mut used) = match second & 0x7f {
            126 if b.len() >= 4 => (u64::from(u16::from_be_bytes([b[2], b[3]])), 4),
            127 if b.len() >= 10 => {
                let mut l = [0u8; 8];
                l.copy_from_slice(&b[2..10]);
                (u64::from_be_bytes(l), 10)
            }
            126 | 127 => break,
            n => (u64::from(n), 2),
        };
        let mask = if second & 0x80 != 0 {
            if b.len() < used + 4 {
                break;
            }
            let m = [b[used], b[used + 1], b[used + 2], b[used + 3]];
            used += 4;
            Some(m)
        } else {
            None
        };
        let avail = (b.len() - used) as u64;
        let take = len.min(avail) as usize;
        let mut payload = b[used..used + take].to_vec();
        if let Some(m) = mask {
            for (i, x) in payload.iter_mut().enumerate() {
                *x ^= m[i & 3];
            }
        }
        out.push(RefFrame {
            fin: first & 0x80 != 0,
            rsv1: first & 0x40 != 0,
            opcode: first & 0x0f,
            len,
            payload,
        });
        b = &b[used + take..];
        if (take as u64) < len {
            break;
        }
    }
    out
}

/// Data events and control events grouped by the frame they came from (a data
/// frame ends with the chunk whose `remaining` is 0).
enum GotFrame {
    Data {
        payload: Vec<u8>,
        /// Its last chunk ended the message.
        last: bool,
        /// Every chunk's `remaining` was 0 only at the end.
        complete: bool,
    },
    Control(u8, Vec<u8>),
}

fn group_frames(events: &[RxEvent]) -> Vec<GotFrame> {
    let mut out: Vec<GotFrame> = Vec::new();
    let mut open = false;
    for ev in events {
        match ev {
            RxEvent::Data {
                payload,
                last,
                remaining,
                ..
            } => {
                if let (true, Some(GotFrame::Data { payload: p, .. })) = (open, out.last_mut()) {
                    p.extend_from_slice(payload);
                } else {
                    out.push(GotFrame::Data {
                        payload: payload.clone(),
                        last: false,
                        complete: false,
                    });
                }
                open = *remaining > 0;
                if let Some(GotFrame::Data {
                    last: l,
                    complete: c,
                    ..
                }) = out.last_mut()
                {
                    *l = *last;
                    *c = !open;
                }
            }
            RxEvent::Ping(p) => out.push(GotFrame::Control(9, p.clone())),
            RxEvent::Pong(p) => out.push(GotFrame::Control(10, p.clone())),
            RxEvent::Close(p) => out.push(GotFrame::Control(8, p.clone())),
        }
    }
    out
}

/// Message-level rules every event sequence follows: `first` opens a message,
/// `last` closes it, control frames are at most 125 bytes, Close payloads are
/// valid, chunks respect `max_chunk` (a chunk with bytes still to come in its
/// frame is exactly `max_chunk` long), text is UTF-8 when validated.
fn check_event_rules(events: &[RxEvent], max_chunk: usize, validate_utf8: bool) {
    let mut in_message: Option<bool> = None;
    let mut text: Vec<u8> = Vec::new();
    for ev in events {
        match ev {
            RxEvent::Data {
                payload,
                first,
                last,
                binary,
                remaining,
            } => {
                assert!(payload.len() <= max_chunk, "chunk over max_chunk");
                if *remaining > 0 {
                    assert_eq!(payload.len(), max_chunk, "short chunk mid-frame");
                    assert!(!last, "last chunk with bytes remaining");
                }
                assert_eq!(*first, in_message.is_none(), "first flag");
                if let Some(b) = in_message {
                    assert_eq!(b, *binary, "message type changed mid-message");
                }
                in_message = if *last { None } else { Some(*binary) };
                if validate_utf8 && !binary {
                    text.extend_from_slice(payload);
                    if *last {
                        assert!(std::str::from_utf8(&text).is_ok(), "invalid UTF-8 passed");
                        text.clear();
                    }
                }
            }
            RxEvent::Ping(p) | RxEvent::Pong(p) => assert!(p.len() <= 125),
            RxEvent::Close(p) => {
                assert!(p.len() <= 125 && p.len() != 1, "close payload size");
                if p.len() >= 2 {
                    let code = u16::from_be_bytes([p[0], p[1]]);
                    assert!(websockets::ws::rx::is_valid_close_code(code));
                    assert!(std::str::from_utf8(&p[2..]).is_ok());
                }
            }
        }
    }
}

fn same_events_ignoring_remaining(a: &[RxEvent], b: &[RxEvent]) -> bool {
    let norm = |e: &RxEvent| match e {
        RxEvent::Data {
            payload,
            first,
            last,
            binary,
            remaining,
        } => RxEvent::Data {
            payload: payload.clone(),
            first: *first,
            last: *last,
            binary: *binary,
            remaining: u64::from(*remaining > 0),
        },
        RxEvent::Ping(p) => RxEvent::Ping(p.clone()),
        RxEvent::Pong(p) => RxEvent::Pong(p.clone()),
        RxEvent::Close(p) => RxEvent::Close(p.clone()),
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| norm(x) == norm(y))
}

struct RxConfig {
    side: Side,
    validate_utf8: bool,
    max_chunk: usize,
    split_seed: u8,
    no_context_takeover: bool,
}

fn rx_config(input: &mut Input<'_>) -> RxConfig {
    let flags = input.byte();
    let size = input.byte();
    RxConfig {
        side: if flags & 1 == 0 {
            Side::Server
        } else {
            Side::Client
        },
        validate_utf8: flags & 2 != 0,
        no_context_takeover: flags & 4 != 0,
        // Small chunks most of the time (more boundaries), sometimes a large one.
        max_chunk: if flags & 8 != 0 {
            4096
        } else {
            1 + usize::from(size % 64)
        },
        split_seed: input.byte(),
    }
}

/// The inflate limit of the hostile-bytes targets: small, so that the fuzzer
/// reaches the 1009 path with inputs of a few KiB.
const MAX_INFLATED: u64 = 1 << 16;

fn new_parser(cfg: &RxConfig, deflate: bool) -> RxParser {
    let mut p = RxParser::new(cfg.side, cfg.validate_utf8);
    if deflate {
        p.enable_deflate(Inflater::new(cfg.no_context_takeover), MAX_INFLATED);
    }
    p
}

/// The ws frame parser and rx chunker on hostile bytes, without
/// permessage-deflate: the same events whatever the read sizes; chunk sizes by
/// the documented rule; the chunks of each frame add up to the frame's payload,
/// unmasked; nothing that was complete in the input is held back.
pub fn ws_rx(data: &[u8]) {
    let mut input = Input::new(data);
    let cfg = rx_config(&mut input);
    let stream = input.rest();

    let whole = feed(
        &mut new_parser(&cfg, false),
        stream,
        &[stream.len()],
        cfg.max_chunk,
    );
    let split = feed(
        &mut new_parser(&cfg, false),
        stream,
        &pieces(stream.len(), cfg.split_seed),
        cfg.max_chunk,
    );
    assert!(whole.events == split.events, "events depend on read sizes");
    assert_eq!(whole.error, split.error, "errors depend on read sizes");
    check_event_rules(&whole.events, cfg.max_chunk, cfg.validate_utf8);
    if let Some(e) = &whole.error {
        assert!(matches!(
            e.code,
            None | Some(1002) | Some(1007) | Some(1009)
        ));
        assert!(e.code != Some(1007) || cfg.validate_utf8 || e.reason.contains("close"));
    }

    let reference = ref_frames(stream);
    let got = group_frames(&whole.events);
    assert!(
        got.len() <= reference.len(),
        "more frames than the input has"
    );
    for (g, r) in got.iter().zip(&reference) {
        match g {
            GotFrame::Data {
                payload,
                last,
                complete,
            } => {
                assert!(r.opcode <= 2, "data event from a control frame");
                if *complete {
                    assert_eq!(payload, &r.payload, "frame payload differs");
                    assert_eq!(payload.len() as u64, r.len);
                    assert_eq!(*last, r.fin, "message end differs from FIN");
                } else {
                    assert!(r.payload.starts_with(payload), "partial frame differs");
                }
            }
            GotFrame::Control(op, payload) => {
                assert_eq!(*op, r.opcode, "control opcode");
                assert_eq!(payload, &r.payload, "control payload");
            }
        }
    }
    if whole.error.is_none() {
        // Stopped for want of input: every complete frame was handed on, and an
        // incomplete data frame holds back less than one chunk.
        let complete = reference
            .iter()
            .filter(|r| r.payload.len() as u64 == r.len)
            .count();
        let handed = got
            .iter()
            .filter(|g| {
                !matches!(
                    g,
                    GotFrame::Data {
                        complete: false,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(handed, complete, "a complete frame was held back");
        if let Some(r) = reference
            .last()
            .filter(|r| (r.payload.len() as u64) < r.len)
        {
            if r.opcode <= 2 {
                let emitted = match got.get(reference.len() - 1) {
                    Some(GotFrame::Data { payload, .. }) => payload.len(),
                    _ => 0,
                };
                let left = (r.len - emitted as u64).min(cfg.max_chunk as u64);
                assert!(
                    ((r.payload.len() - emitted) as u64) < left,
                    "a full chunk was held back"
                );
            }
        }
    }
}

/// The rx chunker with permessage-deflate negotiated, on hostile bytes: the same
/// payloads whatever the read sizes, no chunk over `max_chunk`, chunks with more
/// to come exactly `max_chunk`, and a bound on what a small input can grow into
/// (zlib inflates at most 1032:1; the libFuzzer run also caps each allocation).
pub fn ws_rx_deflate(data: &[u8]) {
    let mut input = Input::new(data);
    let cfg = rx_config(&mut input);
    let stream = input.rest();

    let whole = feed(
        &mut new_parser(&cfg, true),
        stream,
        &[stream.len()],
        cfg.max_chunk,
    );
    let split = feed(
        &mut new_parser(&cfg, true),
        stream,
        &pieces(stream.len(), cfg.split_seed),
        cfg.max_chunk,
    );
    let (mut a, mut b) = (&whole.events[..], &split.events[..]);
    let corrupt = |r: &RxRun| {
        r.error
            .as_ref()
            .is_some_and(|e| e.reason == "bad deflate data")
    };
    if corrupt(&whole) || corrupt(&split) {
        // Corrupt deflate data is found when it is inflated, and the bytes that
        // inflated before the corruption in the same step are not handed on: how
        // much of a failing message comes out first depends on the read sizes,
        // and so does whether the corruption or invalid UTF-8 inflated before it
        // is reported. Either way the connection fails with the same close code,
        // and before that message the runs agree.
        let code = |r: &RxRun| r.error.as_ref().map(|e| e.code);
        assert_eq!(
            code(&whole),
            code(&split),
            "close code depends on read sizes"
        );
        let n = a.len().min(b.len());
        let extra = |ev: &[RxEvent]| ev[n..].iter().all(|e| matches!(e, RxEvent::Data { .. }));
        assert!(
            extra(a) && extra(b),
            "only data differs before a deflate error"
        );
        (a, b) = (&a[..n], &b[..n]);
    } else {
        assert_eq!(whole.error, split.error, "errors depend on read sizes");
    }
    assert!(
        same_events_ignoring_remaining(a, b),
        "events depend on read sizes"
    );
    check_event_rules(&whole.events, cfg.max_chunk, cfg.validate_utf8);
    let out: usize = whole
        .events
        .iter()
        .map(|e| match e {
            RxEvent::Data { payload, .. } => payload.len(),
            _ => 0,
        })
        .sum();
    assert!(
        out <= 1032 * stream.len() + 4096,
        "{out} bytes out of {} in",
        stream.len()
    );
    // Uncompressed frames are still framed exactly as without deflate.
    let reference = ref_frames(stream);
    if !reference.iter().any(|r| r.rsv1) {
        let plain = feed(
            &mut new_parser(&cfg, false),
            stream,
            &[stream.len()],
            cfg.max_chunk,
        );
        assert!(plain.events == whole.events, "deflate changed plain frames");
        assert_eq!(plain.error, whole.error);
    }
}

/// One message as [`ws_roundtrip`] writes it.
struct Message {
    op: Opcode,
    payload: Vec<u8>,
    /// Payload split points: one frame per part.
    fragments: usize,
    /// A Ping goes between this message's first two frames.
    ping_inside: bool,
}

/// Writes messages with our writer (`ws::tx::frame`, `DeflateFramer`),
/// fragmented, masked or not, with pings between fragments, then reads them
/// back with the rx parser at the input's chunk size and read sizes: the same
/// messages come out, in order, and every byte is used.
pub fn ws_roundtrip(data: &[u8]) {
    let mut input = Input::new(data);
    let cfg = rx_config(&mut input);
    let zflags = input.byte();
    let compress = zflags & 1 != 0;
    let window_bits = 8 + (zflags >> 1) % 8;
    let level = u32::from(zflags >> 4) % 10;
    let mask = (cfg.side == Side::Server).then(|| {
        let m = input.take(4);
        let mut k = [0u8; 4];
        k[..m.len()].copy_from_slice(m);
        k
    });

    let mut messages = Vec::new();
    while !input.is_empty() && messages.len() < 16 {
        let h = input.byte();
        let len = usize::from(input.byte()) * (1 + usize::from(h >> 6) * 16);
        let raw = input.take(len);
        let (op, payload) = match h & 3 {
            0 => (Opcode::Binary, raw.to_vec()),
            1 => {
                let text = String::from_utf8_lossy(raw);
                (Opcode::Text, text.as_bytes().to_vec())
            }
            2 => (Opcode::Ping, raw[..raw.len().min(125)].to_vec()),
            _ => (Opcode::Pong, raw[..raw.len().min(125)].to_vec()),
        };
        messages.push(Message {
            op,
            payload,
            fragments: 1 + usize::from((h >> 2) & 3),
            ping_inside: h & 0x10 != 0,
        });
    }
    let mut closing = b"\x03\xe8".to_vec();
    closing.extend_from_slice(b"bye");

    let mut framer = compress.then(|| DeflateFramer::new(Deflater::new(window_bits, level, false)));
    let mut wire = Vec::new();
    for m in &messages {
        if matches!(m.op, Opcode::Ping | Opcode::Pong) {
            tx::frame(&mut wire, true, m.op, &m.payload, mask);
            continue;
        }
        let step = m.payload.len().div_ceil(m.fragments).max(1);
        let parts: Vec<&[u8]> = if m.payload.is_empty() {
            vec![&[]]
        } else {
            m.payload.chunks(step).collect()
        };
        for (i, part) in parts.iter().enumerate() {
            let fin = i + 1 == parts.len();
            let op = if i == 0 { m.op } else { Opcode::Continuation };
            match framer.as_mut() {
                Some(f) => {
                    if f.frame(&mut wire, fin, op, part, mask).is_err() {
                        panic!("DeflateFramer refused a fragment");
                    }
                }
                None => tx::frame(&mut wire, fin, op, part, mask),
            }
            if i == 0 && m.ping_inside && !fin {
                tx::frame(&mut wire, true, Opcode::Ping, b"in", mask);
            }
        }
    }
    tx::frame(&mut wire, true, Opcode::Close, &closing, mask);

    let mut parser = RxParser::new(cfg.side, cfg.validate_utf8);
    if compress {
        // The sender keeps its context; so must the receiver.
        parser.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
    }
    let run = feed(
        &mut parser,
        &wire,
        &pieces(wire.len(), cfg.split_seed),
        cfg.max_chunk,
    );
    if let Some(e) = &run.error {
        panic!("our own frames refused: {e:?}");
    }
    check_event_rules(&run.events, cfg.max_chunk, cfg.validate_utf8);

    let mut got: Vec<(Opcode, Vec<u8>)> = Vec::new();
    let mut open: Option<(Opcode, Vec<u8>)> = None;
    for ev in run.events {
        match ev {
            RxEvent::Data {
                payload,
                last,
                binary,
                ..
            } => {
                let op = if binary { Opcode::Binary } else { Opcode::Text };
                let m = open.get_or_insert_with(|| (op, Vec::new()));
                m.1.extend_from_slice(&payload);
                if last {
                    got.extend(open.take());
                }
            }
            RxEvent::Ping(p) if p == b"in" => {}
            RxEvent::Ping(p) => got.push((Opcode::Ping, p)),
            RxEvent::Pong(p) => got.push((Opcode::Pong, p)),
            RxEvent::Close(p) => got.push((Opcode::Close, p)),
        }
    }
    assert!(open.is_none(), "a message never ended");
    let want: Vec<(Opcode, Vec<u8>)> = messages
        .iter()
        .map(|m| (m.op, m.payload.clone()))
        .chain([(Opcode::Close, closing)])
        .collect();
    assert!(
        got == want,
        "messages differ after the round trip: got {got:?}, wanted {want:?}"
    );
}

// ---------------------------------------------------------------------------
// permessage-deflate negotiation

fn render_extensions(items: &[deflate::ExtensionItem]) -> String {
    let mut s = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&item.name);
        for (k, v) in &item.params {
            s.push_str("; ");
            s.push_str(k);
            if let Some(v) = v {
                s.push('=');
                s.push_str(v);
            }
        }
    }
    s
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A codec made from agreed parameters works: "hello" survives it.
fn codec_works(p: &PmdParams) {
    for bits in [p.client_max_window_bits, p.server_max_window_bits] {
        assert!((8..=15).contains(&bits), "window bits {bits}");
        let mut d = Deflater::new(bits, 6, p.client_no_context_takeover);
        let mut z = Vec::new();
        if d.compress(b"hello hello hello", true, &mut z).is_err() {
            panic!("deflate failed with agreed parameters {p:?}");
        }
        let mut inf = Inflater::new(p.server_no_context_takeover);
        inf.push(&z);
        inf.end_message();
        let mut out = Vec::new();
        while let Ok(n @ 1..) = inf.pull(&mut out, 7) {
            assert!(n <= 7);
        }
        assert_eq!(out, b"hello hello hello");
    }
}

/// The `Sec-WebSocket-Extensions` grammar and both roles' negotiation: parsed
/// lists are tokens and render back to the same list; whatever the server
/// answers to an offer, the client that made that offer accepts, with the same
/// parameters; whatever the client accepts from a hostile answer is usable.
pub fn ws_extensions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (offer, answer) = text.split_once('\n').unwrap_or((text, text));
    for s in [text, offer, answer] {
        let Some(items) = deflate::parse_extension_list(s) else {
            continue;
        };
        for item in &items {
            assert!(is_token(&item.name) && item.name == item.name.to_ascii_lowercase());
            for (k, v) in &item.params {
                assert!(is_token(k) && *k == k.to_ascii_lowercase());
                assert!(v.as_deref().is_none_or(is_token));
            }
        }
        let again = deflate::parse_extension_list(&render_extensions(&items));
        assert!(again.as_ref() == Some(&items), "render/parse round trip");
    }

    if let Some((server, response)) =
        deflate::parse_extension_list(offer).and_then(|o| deflate::accept_offer(&o))
    {
        let answered = deflate::parse_extension_list(&response);
        assert!(
            answered
                .as_deref()
                .is_some_and(|a| a.len() == 1 && a[0].name == deflate::NAME),
            "server response {response:?}"
        );
        match deflate::check_response(offer, &response) {
            Ok(client) => {
                assert_eq!(
                    client.server_no_context_takeover,
                    server.server_no_context_takeover
                );
                assert_eq!(client.server_max_window_bits, server.server_max_window_bits);
                assert!(client.client_max_window_bits <= server.client_max_window_bits);
                assert!(client.client_no_context_takeover || !server.client_no_context_takeover);
                codec_works(&client);
            }
            Err(e) => panic!("client refused the server's answer {response:?} to {offer:?}: {e:?}"),
        }
    }

    if let Ok(p) = deflate::check_response(offer, answer) {
        let items = deflate::parse_extension_list(answer).unwrap_or_default();
        assert!(items.len() == 1 && items[0].name == deflate::NAME);
        let offered = deflate::parse_extension_list(offer).unwrap_or_default();
        assert!(
            offered.iter().any(|o| o.name == deflate::NAME),
            "not offered"
        );
        codec_works(&p);
    }
}

// ---------------------------------------------------------------------------
// HTTP heads and the upgrade handshake

/// A head the way the server builds it from httparse (core/server.rs): names
/// lower-cased, values kept as bytes.
fn request_head(buf: &[u8]) -> Option<(Head, usize)> {
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut req = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(n) = req.parse(buf).ok()? else {
        return None;
    };
    Some((
        Head {
            method: req.method.unwrap_or("").to_string(),
            path: req.path.unwrap_or("").to_string(),
            status: 0,
            version_minor: req.version.unwrap_or(0),
            headers: req
                .headers
                .iter()
                .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                .collect(),
        },
        n,
    ))
}

/// A response head the way the client builds it (core/client.rs).
fn response_head(buf: &[u8]) -> Option<(Head, usize)> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(n) = resp.parse(buf).ok()? else {
        return None;
    };
    Some((
        Head {
            status: resp.code.unwrap_or(0),
            version_minor: resp.version.unwrap_or(0),
            headers: resp
                .headers
                .iter()
                .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                .collect(),
            ..Head::default()
        },
        n,
    ))
}

/// The header table answers what the head holds: the first value of a name.
fn check_header_table(head: &Head) {
    for (name, _) in &head.headers {
        assert_eq!(*name, name.to_ascii_lowercase());
        let first = head.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        assert_eq!(head.header(name), first.map(Vec::as_slice));
        assert_eq!(
            head.header_str(name),
            first.and_then(|v| std::str::from_utf8(v).ok())
        );
    }
    if !head.headers.iter().any(|(n, _)| n == "x-absent") {
        assert_eq!(head.header("x-absent"), None);
    }
}

/// The HTTP request head and header table, and the server's upgrade checks: an
/// accepted upgrade's 101 (with the protocol the server would choose) passes
/// our own client's checks; a refused one gets a well-formed error response.
pub fn http_request(data: &[u8]) {
    let Some((head, n)) = request_head(data) else {
        return;
    };
    assert!(n <= data.len());
    check_header_table(&head);
    check_path(&head.path);
    let verdict = handshake::check_upgrade(&head.method, head.version_minor, &|name| {
        head.header_str(name)
    });
    match verdict {
        Ok(accept) => {
            let key = head.header_str("sec-websocket-key").unwrap_or("").trim();
            let protocol = head
                .header_str("sec-websocket-protocol")
                .and_then(|l| l.split(',').map(str::trim).find(|p| is_token(p)));
            let resp = handshake::response_101(&accept, protocol, None, b"");
            let Some((rhead, rn)) = response_head(&resp) else {
                panic!("our 101 does not parse: {resp:?}");
            };
            assert_eq!(rn, resp.len());
            let checked = handshake::check_response(
                rhead.status,
                &|name| rhead.header_str(name).map(str::to_string),
                key,
                head.header_str("sec-websocket-protocol"),
                None,
            )
            .map(|a| a.protocol);
            assert_eq!(
                checked,
                Ok(protocol.map(str::to_string)),
                "our client refuses our 101"
            );
        }
        Err(refusal) => {
            assert!(matches!(refusal.status, None | Some(400 | 403 | 426)));
            if let Some(status) = refusal.status {
                let resp = handshake::error_response(status);
                let Some((rhead, rn)) = response_head(&resp) else {
                    panic!("our error response does not parse");
                };
                assert_eq!(rhead.status, status);
                let len = rhead.header_str("content-length").unwrap_or("");
                assert_eq!(len.parse::<usize>().ok(), Some(resp.len() - rn));
            }
        }
    }
}

/// The key of RFC 6455 1.3 and its accept value.
const RFC_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const RFC_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// The client's HTTP response / 101 parser and handshake checks: what it accepts
/// is a 101 upgrading to websocket with the right accept key and, if any, an
/// offered subprotocol.
pub fn http_response(data: &[u8]) {
    let mut input = Input::new(data);
    let offered = match input.byte() % 3 {
        0 => None,
        1 => Some("chat"),
        _ => Some("chat, superchat"),
    };
    let Some((head, _)) = response_head(input.rest()) else {
        return;
    };
    check_header_table(&head);
    let checked = handshake::check_response(
        head.status,
        &|name| head.header_str(name).map(str::to_string),
        RFC_KEY,
        offered,
        None,
    );
    match checked {
        Ok(agreed) => {
            // Nothing was offered, so no extension can have been accepted.
            assert_eq!(agreed.deflate, None);
            assert!(head.header_str("sec-websocket-extensions").is_none());
            let chosen = agreed.protocol;
            assert_eq!(head.status, 101);
            let upgrade = head.header_str("upgrade").unwrap_or("");
            assert!(upgrade.trim().eq_ignore_ascii_case("websocket"));
            let connection = head.header_str("connection").unwrap_or("");
            assert!(handshake::has_token(connection, "upgrade"));
            assert_eq!(
                head.header_str("sec-websocket-accept").map(str::trim),
                Some(RFC_ACCEPT)
            );
            if let Some(c) = chosen {
                assert!(offered.is_some_and(|o| o.split(',').any(|x| x.trim() == c)));
            }
        }
        Err(why) => assert!(why.starts_with("HS: ")),
    }
}

// ---------------------------------------------------------------------------
// HTTP bodies

/// Feeds a body decoder in pieces as the client does; the body and whether it
/// ended (Err: bad framing).
fn decode_body(
    mut d: BodyDecoder,
    wire: &[u8],
    sizes: &[usize],
) -> (Vec<u8>, Result<bool, ()>, usize) {
    let mut out = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut used_total = 0;
    let mut at = 0;
    for &n in sizes {
        buf.extend_from_slice(&wire[at..at + n]);
        at += n;
        match d.decode(&buf, &mut out) {
            Ok(used) => {
                assert!(used <= buf.len());
                used_total += used;
                buf.drain(..used);
            }
            Err(_) => return (out, Err(()), used_total),
        }
        assert!(out.len() <= used_total, "more body than input");
        if d.is_done() {
            break;
        }
    }
    (out, Ok(d.is_done()), used_total)
}

/// A strict chunked decoder (RFC 9112 7.1) for comparison: hex size, optional
/// extensions, CRLF or LF line ends, trailers. None for bad framing or
/// incomplete input.
fn ref_chunked(mut b: &[u8]) -> Option<(Vec<u8>, usize)> {
    let total = b.len();
    let mut out = Vec::new();
    let line = |b: &mut &[u8]| -> Option<String> {
        let nl = b.iter().position(|c| *c == b'\n')?;
        let l = std::str::from_utf8(&b[..nl]).ok()?.trim().to_string();
        *b = &b[nl + 1..];
        Some(l)
    };
    loop {
        let l = line(&mut b)?;
        let hex = l.split(';').next().unwrap_or("").trim();
        if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let size = usize::try_from(u64::from_str_radix(hex, 16).ok()?).ok()?;
        if size == 0 {
            break;
        }
        if b.len() < size {
            return None;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        if !line(&mut b)?.is_empty() {
            return None;
        }
    }
    while !line(&mut b)?.is_empty() {}
    Some((out, total - b.len()))
}

/// Chunked body decoding: hostile bytes decode the same whatever the read
/// sizes, never to more bytes than came in, and as a strict decoder does; a
/// body we chunk from the input decodes back to itself and uses exactly its
/// encoding.
pub fn http_chunked(data: &[u8]) {
    let mut input = Input::new(data);
    let seed = input.byte();
    let mode = input.byte();
    let rest = input.rest();
    if mode & 1 == 0 {
        let whole = decode_body(BodyDecoder::Chunked(ChunkState::Size), rest, &[rest.len()]);
        let split = decode_body(
            BodyDecoder::Chunked(ChunkState::Size),
            rest,
            &pieces(rest.len(), seed),
        );
        assert_eq!(whole.1, split.1, "outcome depends on read sizes");
        if whole.1.is_ok() {
            assert_eq!(whole.0, split.0, "body depends on read sizes");
        }
        if whole.1 == Ok(true) {
            match ref_chunked(rest) {
                Some((body, used)) => {
                    assert_eq!(body, whole.0, "body differs from a strict decoder");
                    assert_eq!(used, whole.2);
                }
                None => panic!("accepted framing a strict decoder refuses"),
            }
        }
        let limit = u64::from(seed);
        let (body, end, _) = decode_body(BodyDecoder::Length(limit), rest, &[rest.len()]);
        assert_eq!(body.len() as u64, limit.min(rest.len() as u64));
        assert_eq!(end, Ok(rest.len() as u64 >= limit));
        return;
    }
    // Round trip: chunk `rest` with sizes, extensions and trailers from `mode`.
    let mut wire = Vec::new();
    let mut sizes = pieces(rest.len(), mode).into_iter();
    let mut at = 0;
    while at < rest.len() {
        let n = sizes.next().unwrap_or(rest.len() - at);
        if mode & 2 != 0 {
            wire.extend_from_slice(format!("{n:X};ext=\"v\"\r\n").as_bytes());
        } else {
            wire.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        }
        wire.extend_from_slice(&rest[at..at + n]);
        wire.extend_from_slice(if mode & 4 != 0 { b"\n" } else { b"\r\n" });
        at += n;
    }
    wire.extend_from_slice(b"0\r\n");
    if mode & 8 != 0 {
        wire.extend_from_slice(b"X-Trailer: 1\r\n");
    }
    wire.extend_from_slice(b"\r\n");
    let body_len = wire.len();
    wire.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
    let (body, end, used) = decode_body(
        BodyDecoder::Chunked(ChunkState::Size),
        &wire,
        &pieces(wire.len(), seed),
    );
    assert_eq!(end, Ok(true), "our chunked body did not end");
    assert_eq!(body, rest, "chunked round trip");
    assert_eq!(used, body_len, "decoder read past the body");
}

// ---------------------------------------------------------------------------
// URLs and paths

/// Path sanitising: the result is rooted, has no empty, `.` or `..` segment, and
/// is a fixed point; it only accepts well-formed `%xx` escapes.
fn check_path(raw: &str) {
    let Some(clean) = http::sanitise_path(raw) else {
        return;
    };
    assert!(clean.starts_with('/'));
    let inner = clean.trim_start_matches('/').trim_end_matches('/');
    if !inner.is_empty() {
        for seg in inner.split('/') {
            assert!(
                !matches!(seg, "" | "." | ".."),
                "segment {seg:?} in {clean:?}"
            );
        }
    }
    assert!(!clean.contains(['\0', '\r', '\n']) || raw.contains(['\0', '\r', '\n']));
    let b = raw.as_bytes();
    for (i, _) in raw.match_indices('%') {
        let hex = b.get(i + 1..i + 3).unwrap_or(&[]);
        assert!(
            hex.len() == 2 && hex.iter().all(u8::is_ascii_hexdigit),
            "bad escape accepted in {raw:?}"
        );
    }
    if !clean.contains('%') {
        assert_eq!(http::sanitise_path(&clean).as_deref(), Some(clean.as_str()));
    }
}

/// URL argument decoding: never longer than its input, the identity on text
/// without `%` and `+`, and the inverse of percent-encoding (upper or lower case
/// hex, chosen by the text).
fn check_url_decode(text: &str) {
    let decoded = http::url_decode(text);
    assert!(decoded.len() <= text.len());
    if !text.contains(['%', '+']) {
        assert_eq!(decoded, text.as_bytes());
    }
    let mut encoded = String::new();
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else if i % 2 == 0 {
            encoded.push_str(&format!("%{b:02X}"));
        } else {
            encoded.push_str(&format!("%{b:02x}"));
        }
    }
    assert_eq!(
        http::url_decode(&encoded),
        text.as_bytes(),
        "percent round trip"
    );
}

/// URL / URI pieces of the server: path sanitising, mount matching (longest
/// mountpoint at a `/` boundary), `Range` parsing (a range inside the body) and
/// MIME lookup.
pub fn http_url(data: &[u8]) {
    let mut input = Input::new(data);
    let len = u64::from(input.byte()) << (input.byte() % 40);
    let Ok(text) = std::str::from_utf8(input.rest()) else {
        return;
    };
    check_path(text);

    let mount = |mp: &str| Mount {
        mountpoint: mp.into(),
        origin: String::new(),
        def: None,
        kind: MountKind::File,
        extra_mimetypes: vec![("*".into(), "application/x-any".into())],
    };
    let mounts = [mount("/"), mount("/a"), mount("/a/b/"), mount("/ab")];
    let path = http::sanitise_path(text).unwrap_or_else(|| text.to_string());
    if let Some(m) = http::match_mount(&mounts, &path) {
        let mp = m.mountpoint.trim_end_matches('/');
        assert!(mp.is_empty() || path == mp || path.starts_with(&format!("{mp}/")));
        for other in &mounts {
            let o = other.mountpoint.trim_end_matches('/');
            if o.len() > mp.len() {
                assert!(!(path == o || path.starts_with(&format!("{o}/"))));
            }
        }
    } else {
        panic!("the \"/\" mount matches everything");
    }

    check_url_decode(text);

    if let Ok(Some((a, b))) = http::parse_range(Some(text), len) {
        assert!(a <= b && b < len, "range {a}-{b} outside {len}");
    }
    let mime = http::mime_for(text, &mounts[0].extra_mimetypes);
    assert!(mime.is_some(), "\"*\" matches every extension");
}
