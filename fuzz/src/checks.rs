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
use websockets::http::spa::{Encoding, FormError, FormParser, Upload, UploadSink, UploadState};
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
    ("form", form),
    ("form_roundtrip", form_roundtrip),
    ("json", json),
    ("json_roundtrip", json_roundtrip),
    ("tokenize", tokenize),
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
        protocol: None,
        mountpoint_len: mp.len(),
        cache: http::CachePolicy::default(),
        basic_auth_file: None,
        auth_mode: 0,
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

// ---------------------------------------------------------------------------
// POSTed forms (the lws_spa engine)

/// The field names every form target asks the parser to keep.
const FORM_NAMES: [&str; 4] = ["a", "bb", "file", "x_y"];
/// A name the parser is not asked for: its values are dropped.
const FORM_OTHER: &str = "zz";
const FORM_CT: &[u8] = b"multipart/form-data; boundary=b0";
/// The delimiter `FORM_CT` makes: CRLF, two dashes and the boundary.
const FORM_DELIMITER: &[u8] = b"\r\n--b0";

/// One call to the upload sink as it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Delivery {
    name: Vec<u8>,
    filename: Vec<u8>,
    data: Option<Vec<u8>>,
    state: UploadState,
}

/// Records deliveries; refuses the `refuse`-th one (1-based) if set.
struct FormSink {
    seen: Vec<Delivery>,
    refuse: Option<usize>,
}

impl UploadSink for FormSink {
    fn deliver(&mut self, u: Upload<'_>) -> bool {
        self.seen.push(Delivery {
            name: u.name.to_bytes().to_vec(),
            filename: u.filename.to_bytes().to_vec(),
            data: u.data.map(|d| d.to_vec()),
            state: u.state,
        });
        self.refuse != Some(self.seen.len())
    }
}

/// Everything a parse produced that a user can see.
#[derive(Debug, PartialEq, Eq)]
struct FormOutcome {
    /// The kept first values (without their NUL) and the lengths of all values.
    values: Vec<Option<Vec<u8>>>,
    lengths: Vec<usize>,
    seen: Vec<Delivery>,
    /// The first error of process or finalize.
    error: Option<FormError>,
}

/// Parses `body` in the pieces `sizes`, then finalizes (twice: the second
/// call does nothing), checking the per-call rules on the way.
fn run_form(
    multipart: bool,
    storage: usize,
    body: &[u8],
    sizes: &[usize],
    refuse: Option<usize>,
) -> FormOutcome {
    let encoding = Encoding::from_content_type(multipart.then_some(FORM_CT));
    let names = FORM_NAMES.iter().map(|n| n.as_bytes().to_vec()).collect();
    let mut p = FormParser::new(encoding, names, storage);
    let mut sink = FormSink {
        seen: Vec::new(),
        refuse,
    };
    let mut error = None;
    let mut at = 0;
    for &n in sizes {
        if let Err(e) = p.process(&body[at..at + n], &mut sink) {
            error = Some(e);
            // Failed stays failed.
            assert_eq!(
                p.process(b"a=1", &mut sink),
                Err(FormError::AlreadyFailed),
                "input accepted after an error"
            );
            break;
        }
        at += n;
    }
    let delivered = sink.seen.len();
    let fin = p.finalize(&mut sink);
    if error.is_none() {
        error = fin.err();
    }
    assert_eq!(
        sink.seen.len(),
        delivered + 1,
        "finalize delivers Close once"
    );
    assert!(
        sink.seen[delivered].data.is_none() && sink.seen[delivered].state == UploadState::Close
    );
    assert!(p.is_finalized());
    assert_eq!(p.finalize(&mut sink), Ok(()), "second finalize");
    assert_eq!(
        p.process(b"a=1&", &mut sink),
        Ok(()),
        "input after finalize"
    );
    assert_eq!(sink.seen.len(), delivered + 1, "deliveries after finalize");

    let storage = if storage == 0 { 512 } else { storage };
    let values: Vec<Option<Vec<u8>>> = (0..FORM_NAMES.len())
        .map(|n| {
            p.value(n).map(|v| {
                assert_eq!(v.last(), Some(&0), "kept value without its NUL");
                v[..v.len() - 1].to_vec()
            })
        })
        .collect();
    let lengths: Vec<usize> = (0..FORM_NAMES.len()).map(|n| p.length(n)).collect();
    // Bounded memory: what is kept fits the storage, NULs included.
    let kept: usize = lengths.iter().sum::<usize>() + values.iter().filter(|v| v.is_some()).count();
    assert!(
        kept < storage,
        "kept {kept} bytes in a storage of {storage}"
    );
    for (v, l) in values.iter().zip(&lengths) {
        match v {
            Some(v) => assert!(!v.is_empty() && v.len() <= *l, "first value vs length"),
            None => assert_eq!(*l, 0, "a length without a value"),
        }
    }
    for d in &sink.seen {
        if let Some(data) = &d.data {
            assert!(
                data.len() <= storage + FORM_DELIMITER.len(),
                "upload chunk of {} bytes with a storage of {storage}",
                data.len()
            );
            if d.state == UploadState::Open {
                assert!(data.is_empty(), "data with Open");
            }
        }
    }
    if !multipart {
        assert_eq!(sink.seen.len(), 1, "an urlencoded body delivered a file");
    }
    FormOutcome {
        values,
        lengths,
        seen: sink.seen,
        error,
    }
}

/// An independent reading of an urlencoded body: the values of each wanted
/// field (decoded, empty ones included), or whether a strict reader refuses it
/// (a name over 31 bytes, a bad `%` escape). As lws: a name is compared up to
/// a NUL in it, and a value cut off inside an escape at the end is dropped.
/// Also returns the length of a dropped value (it still needed room while it
/// was read).
fn ref_urlencoded(body: &[u8]) -> Option<(Vec<Vec<Vec<u8>>>, usize)> {
    let mut out = vec![Vec::new(); FORM_NAMES.len()];
    let mut dropped = 0;
    let count = body.split(|&c| c == b'&').count();
    for (at, piece) in body.split(|&c| c == b'&').enumerate() {
        let last = at + 1 == count;
        let eq = piece.iter().position(|&c| c == b'=');
        let name = &piece[..eq.unwrap_or(piece.len())];
        if name.len() > 31 {
            return None;
        }
        let Some(eq) = eq else { continue };
        let mut value = Vec::new();
        let mut rest = &piece[eq + 1..];
        let mut cut = false;
        while let Some((&c, tail)) = rest.split_first() {
            rest = tail;
            match c {
                b'+' => value.push(b' '),
                b'%' => {
                    let hexes: Vec<Option<u8>> = rest
                        .iter()
                        .take(2)
                        .map(|&h| (h as char).to_digit(16).map(|d| d as u8))
                        .collect();
                    if hexes.iter().any(Option::is_none) {
                        return None;
                    }
                    if hexes.len() < 2 {
                        // A `&` where a hex digit should be is a bad escape.
                        if !last {
                            return None;
                        }
                        cut = true;
                        break;
                    }
                    value.push(hexes[0]? << 4 | hexes[1]?);
                    rest = &rest[2..];
                }
                _ => value.push(c),
            }
        }
        let name = name.split(|&c| c == 0).next().unwrap_or(&[]);
        if let Some(n) = FORM_NAMES.iter().position(|f| f.as_bytes() == name) {
            if cut {
                dropped = value.len();
            } else {
                out[n].push(value);
            }
        }
    }
    Some((out, dropped))
}

/// Checks an outcome against the values a reader expects, `want[n]` being every
/// value of field `n` in order: the first non-empty one kept, the lengths adding
/// up; an error only when the values did not fit in `storage`.
fn check_form_values(got: &FormOutcome, want: &[Vec<Vec<u8>>], dropped: usize, storage: usize) {
    let storage = if storage == 0 { 512 } else { storage };
    let need: usize = want
        .iter()
        .flatten()
        .filter(|v| !v.is_empty())
        .map(|v| v.len() + 1)
        .sum::<usize>()
        + dropped;
    match &got.error {
        None => {
            for (n, values) in want.iter().enumerate() {
                let first = values.iter().find(|v| !v.is_empty());
                assert_eq!(got.values[n].as_ref(), first, "first value of field {n}");
                let total: usize = values.iter().map(Vec::len).sum();
                assert_eq!(got.lengths[n], total, "bytes of field {n} do not add up");
            }
        }
        Some(FormError::StorageExceeded(_)) => {
            assert!(
                need + 1 >= storage,
                "refused {need} bytes with a storage of {storage}"
            )
        }
        Some(e) => panic!("unexpected error {e:?}"),
    }
}

/// Percent-encodes `v` for an urlencoded body; `style` picks `+` or `%20`
/// for spaces and upper or lower case hex.
fn url_encode(v: &[u8], style: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in v {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b);
        } else if b == b' ' && style & 1 != 0 {
            out.push(b'+');
        } else if style & 2 != 0 {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.extend_from_slice(format!("%{b:02x}").as_bytes());
        }
    }
    out
}

/// The storage a form target's input asks for: lws's default, small, or large.
fn form_storage(b: u8) -> usize {
    match b % 4 {
        0 => 0,
        1 => 1 + usize::from(b >> 2),
        2 => 64 + 4 * usize::from(b),
        _ => 1 << 16,
    }
}

/// Form parsing on hostile bytes, urlencoded or multipart: the same values,
/// lengths, upload chunks and error whatever the read sizes; bounded memory
/// (what is kept fits the storage, chunks are at most the storage); each
/// field's bytes add up to what an independent urlencoded reader finds; and an
/// upload sink that refuses stops the parse.
pub fn form(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let storage = form_storage(input.byte());
    let seed = input.byte();
    let body = input.rest();
    let multipart = flags & 1 != 0;
    let refuse = (flags & 2 != 0).then_some(usize::from(flags >> 2) + 1);

    let whole = run_form(multipart, storage, body, &[body.len()], refuse);
    let split = run_form(multipart, storage, body, &pieces(body.len(), seed), refuse);
    assert_eq!(whole, split, "the outcome depends on read sizes");
    if multipart {
        let refused = whole.error == Some(FormError::UploadRefused);
        assert_eq!(refused, refuse.is_some_and(|r| r < whole.seen.len()));
        // Every file that opened is delivered in order until its end.
        let mut open = false;
        for d in &whole.seen {
            match d.state {
                UploadState::Open => {
                    assert!(!d.filename.is_empty(), "Open without a filename");
                    open = true;
                }
                UploadState::Content | UploadState::FinalContent => {
                    assert!(open, "file data before Open");
                    open = d.state == UploadState::Content;
                }
                UploadState::Close => {}
            }
        }
        return;
    }
    match ref_urlencoded(body) {
        Some((want, dropped)) => check_form_values(&whole, &want, dropped, storage),
        None => assert!(whole.error.is_some(), "a strict reader refuses this body"),
    }
}

/// Fields a form round trip writes: (name index, value, is a file). Name
/// index `FORM_NAMES.len()` is the unwanted [`FORM_OTHER`].
fn form_fields(input: &mut Input<'_>, multipart: bool) -> Vec<(usize, Vec<u8>, bool)> {
    let mut out = Vec::new();
    while !input.is_empty() && out.len() < 16 {
        let b = input.byte();
        let len = usize::from(input.byte()) * if b & 0x80 != 0 { 16 } else { 1 };
        let mut value = input.take(len).to_vec();
        if multipart {
            // A value cannot hold the delimiter itself.
            while let Some(at) = value
                .windows(FORM_DELIMITER.len())
                .position(|w| w == FORM_DELIMITER)
            {
                value.remove(at);
            }
        }
        out.push((
            usize::from(b & 7) % (FORM_NAMES.len() + 1),
            value,
            multipart && b & 8 != 0,
        ));
    }
    out
}

/// Writes a form with our own writer (urlencoded or multipart, with files)
/// and parses it back at the input's read sizes: the same values and lengths,
/// an error only when the values do not fit, and each file delivered whole,
/// in order, as Open, chunks no larger than the storage, and FinalContent.
pub fn form_roundtrip(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let storage = form_storage(input.byte());
    let seed = input.byte();
    let multipart = flags & 1 != 0;
    let fields = form_fields(&mut input, multipart);
    let name = |n: usize| FORM_NAMES.get(n).copied().unwrap_or(FORM_OTHER);

    let mut body = Vec::new();
    if multipart {
        for (i, (n, value, file)) in fields.iter().enumerate() {
            body.extend_from_slice(if i == 0 {
                &FORM_DELIMITER[2..]
            } else {
                FORM_DELIMITER
            });
            body.extend_from_slice(b"\r\n");
            let disposition = if flags & 2 != 0 {
                "content-disposition: "
            } else {
                "Content-Disposition: "
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(format!("form-data; name=\"{}\"", name(*n)).as_bytes());
            if *file {
                body.extend_from_slice(format!("; filename=\"f{i}.bin\"").as_bytes());
                body.extend_from_slice(b"\r\nContent-Type: application/octet-stream");
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(value);
        }
        if !fields.is_empty() {
            body.extend_from_slice(FORM_DELIMITER);
            body.extend_from_slice(b"--\r\n");
        }
    } else {
        for (i, (n, value, _)) in fields.iter().enumerate() {
            if i > 0 {
                body.push(b'&');
            }
            body.extend_from_slice(name(*n).as_bytes());
            body.push(b'=');
            body.extend_from_slice(&url_encode(value, flags >> 1));
        }
        if flags & 8 != 0 && !fields.is_empty() {
            body.push(b'&');
        }
    }

    let got = run_form(multipart, storage, &body, &pieces(body.len(), seed), None);
    let mut want = vec![Vec::new(); FORM_NAMES.len()];
    for (n, value, file) in &fields {
        if *n < FORM_NAMES.len() && !file {
            want[*n].push(value.clone());
        }
    }
    check_form_values(&got, &want, 0, storage);
    if got.error.is_some() {
        return;
    }
    // The files, delivered whole and in order.
    let files: Vec<(usize, &Vec<u8>)> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.2)
        .map(|(i, f)| (i, &f.1))
        .collect();
    let mut seen = got.seen.iter();
    let limit = if storage == 0 { 512 } else { storage };
    for (i, content) in files {
        let fname = format!("f{i}.bin").into_bytes();
        let open = seen.next().unwrap_or_else(|| panic!("file not opened"));
        assert_eq!(open.state, UploadState::Open, "file {i} not opened");
        assert_eq!(open.filename, fname);
        assert_eq!(open.name, name(fields[i].0).as_bytes());
        let mut got_content = Vec::new();
        loop {
            let d = seen.next().unwrap_or_else(|| panic!("file not finished"));
            assert_eq!(d.filename, fname, "chunk of another file");
            let chunk = d
                .data
                .as_ref()
                .unwrap_or_else(|| panic!("chunk without data"));
            // The room lws gives a chunk, plus delimiter bytes that were
            // held back and turned out to be data (lws overruns its buffer
            // there; see src/http/spa.rs).
            assert!(
                chunk.len() < limit.max(2) + FORM_DELIMITER.len(),
                "chunk over the storage"
            );
            got_content.extend_from_slice(chunk);
            match d.state {
                UploadState::Content => assert!(!chunk.is_empty(), "empty middle chunk"),
                UploadState::FinalContent => break,
                s => panic!("{s:?} inside a file"),
            }
        }
        assert_eq!(&got_content, content, "file {i} differs");
    }
    let close = seen.next().unwrap_or_else(|| panic!("no Close"));
    assert_eq!(close.state, UploadState::Close);
    assert!(seen.next().is_none(), "deliveries after Close");
}

// ---------------------------------------------------------------------------
// The tokenizer (lws_tokenize)

/// One element as [`tokenize`] records it: its kind and text.
type Token = (i32, Vec<u8>);

/// Tokenizes all of `input` as a caller of `lws_tokenize` does, checking the
/// per-call rules; the elements up to the end or the first error, and which
/// input bytes they account for.
fn run_tokenize(input: &[u8], flags: u16) -> (Vec<Token>, Vec<bool>) {
    use websockets::tokenize::{elem, flag};
    let mut out = Vec::new();
    let mut covered = vec![false; input.len()];
    let (mut at, mut delim) = (0, 0u8);
    // Every element but the last consumes a byte: bounded by the length.
    for _ in 0..=input.len() + 1 {
        let f = websockets::tokenize::next(&input[at..], flags, &mut delim);
        assert!(f.consumed <= input.len() - at, "consumed past the end");
        assert!(
            (elem::ERR_BROKEN_UTF8..=elem::QUOTED_STRING).contains(&f.elem),
            "unknown element {}",
            f.elem
        );
        let text = match f.token {
            Some(t) => {
                assert!(
                    t + f.token_len <= f.consumed,
                    "token outside what was consumed"
                );
                &input[at + t..at + t + f.token_len]
            }
            None => &[][..],
        };
        if f.elem > 0 {
            assert!(f.consumed > 0, "an element that consumed nothing");
            let t = f
                .token
                .unwrap_or_else(|| panic!("an element without a token"));
            covered[at + t..at + t + f.token_len].fill(true);
            match f.elem {
                elem::QUOTED_STRING => {
                    assert!(!text.contains(&b'"'), "quote inside a quoted string");
                    // The quotes; as lws, a token run straight before the
                    // opening quote is dropped, so all before it counts.
                    covered[at..at + t].fill(true);
                    covered[at + t + f.token_len] = true;
                }
                elem::DELIMITER => {
                    assert_eq!(text.len(), 1, "delimiter of {} bytes", text.len());
                    assert!(
                        !text[0].is_ascii_alphanumeric() && text[0] != b'_',
                        "delimiter {text:?}"
                    );
                }
                elem::TOKEN_NAME_EQUALS | elem::TOKEN_NAME_COLON => {
                    let sep = input[at + f.consumed - 1];
                    assert_eq!(
                        sep,
                        if f.elem == elem::TOKEN_NAME_EQUALS {
                            b'='
                        } else {
                            b':'
                        }
                    );
                    covered[at + f.consumed - 1] = true;
                }
                _ => {}
            }
            if f.elem != elem::QUOTED_STRING {
                assert!(!text.is_empty(), "empty token");
                assert!(
                    !text
                        .iter()
                        .any(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0c | 0 | b'"')),
                    "white space, NUL or quote in token {text:?}"
                );
            }
            if f.elem == elem::INTEGER {
                assert!(text.iter().all(u8::is_ascii_digit), "integer {text:?}");
            }
            if f.elem == elem::FLOAT {
                assert!(text[0].is_ascii_digit(), "float {text:?}");
                assert_eq!(
                    text.iter().filter(|&&c| c == b'.').count(),
                    1,
                    "float {text:?}"
                );
                assert!(text.iter().all(|&c| c == b'.' || c.is_ascii_digit()));
            }
        }
        out.push((f.elem, text.to_vec()));
        at += f.consumed;
        if f.elem <= 0 {
            if f.elem == elem::ENDED {
                assert!(at == input.len() || input[at - 1] == 0, "ended early");
            }
            // Bytes nobody accounts for: white space, NUL, comments.
            let mut comment = false;
            for (i, &c) in input[..at].iter().enumerate() {
                if covered[i] {
                    comment = false;
                    continue;
                }
                if comment {
                    comment = c != b'\r' && c != b'\n';
                    continue;
                }
                if flags & flag::HASH_COMMENT != 0 && c == b'#' {
                    comment = true;
                    continue;
                }
                assert!(
                    f.elem < 0 || matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0c | 0),
                    "byte {i} ({c:#x}) is in no element"
                );
            }
            return (out, covered);
        }
    }
    panic!("tokenizing {} bytes did not end", input.len());
}

/// The tokenizer on hostile bytes with any flags: every element consumes
/// input, stays inside what it consumed and has the shape its kind says (an
/// integer is digits, a float has one point, tokens hold no white space); the
/// elements account for every byte but white space and comments; the calls are
/// bounded by the length; and when it ends cleanly, the elements written back
/// (space separated, strings quoted, `name=`) tokenize to the same elements.
pub fn tokenize(data: &[u8]) {
    use websockets::tokenize::elem;
    let mut input = Input::new(data);
    let flags = u16::from_le_bytes([input.byte(), input.byte()]) & 0x7ff;
    let text = input.rest();
    let (tokens, _) = run_tokenize(text, flags);
    let clean = tokens.last().is_some_and(|t| t.0 == elem::ENDED) && !text.contains(&0);
    // As in lws, a token run straight before an opening quote (even across
    // white space) is dropped, so a token followed by a quoted string cannot
    // be written back.
    let unwritable = tokens.windows(2).any(|w| {
        matches!(w[0].0, elem::TOKEN | elem::INTEGER | elem::FLOAT) && w[1].0 == elem::QUOTED_STRING
    });
    if !clean || unwritable {
        return;
    }
    let mut written = Vec::new();
    for (kind, t) in &tokens {
        match *kind {
            elem::QUOTED_STRING => {
                written.push(b'"');
                written.extend_from_slice(t);
                written.push(b'"');
            }
            elem::TOKEN_NAME_EQUALS => {
                written.extend_from_slice(t);
                written.push(b'=');
            }
            elem::TOKEN_NAME_COLON => {
                written.extend_from_slice(t);
                written.push(b':');
            }
            _ => written.extend_from_slice(t),
        }
        written.push(b' ');
    }
    let (again, _) = run_tokenize(&written, flags);
    assert_eq!(again, tokens, "tokens written back tokenize differently");
}

// ---------------------------------------------------------------------------
// JSON (the lejp engine)

/// One callback as [`JsonRecorder`] saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct JsonEvent {
    reason: u8,
    path: Vec<u8>,
    /// The value bytes for value reasons (`buf[..npos]`), else empty.
    value: Vec<u8>,
    /// The index of each enclosing array (`i[..ipos]`).
    index: Vec<u16>,
    path_match: u8,
}

const JSON_PATTERNS: [&[u8]; 4] = [b"a", b"*.*", b"k[]", b"a[].*"];

/// Records callbacks, checking the bounds of the state C code reads; refuses
/// the `refuse`-th callback if set.
struct JsonRecorder {
    events: Vec<JsonEvent>,
    refuse: Option<usize>,
}

impl websockets::json::lejp::Patterns for JsonRecorder {
    fn pattern(&self, _level: usize, n: usize) -> Option<&[u8]> {
        JSON_PATTERNS.get(n).copied()
    }
}

impl websockets::json::lejp::Host for JsonRecorder {
    fn callback(&mut self, l: &mut websockets::json::lejp::Lejp, r: u8) -> i8 {
        use websockets::json::lejp::{reason, INDEX_DEPTH, MAX_DEPTH, PATH_LEN, STRING_CHUNK};
        assert!(usize::from(l.sp) < MAX_DEPTH, "stack depth {}", l.sp);
        assert!(usize::from(l.ipos) <= INDEX_DEPTH, "index depth {}", l.ipos);
        assert!(l.path_str().len() < PATH_LEN, "path overran");
        assert!(usize::from(l.npos) <= STRING_CHUNK, "string chunk overran");
        assert!(usize::from(l.path_match) <= JSON_PATTERNS.len());
        if let Some(last) = self.events.last() {
            // As in lws, a refused COMPLETE is followed by FAILED.
            let refused_complete = last.reason == reason::COMPLETE
                && self.refuse == Some(self.events.len())
                && r == reason::FAILED;
            assert!(
                last.reason != reason::FAILED
                    && (last.reason != reason::COMPLETE || refused_complete),
                "callback {r} after the end"
            );
        }
        // Strings are `buf[..npos]` (they may hold a NUL), numbers the
        // NUL-terminated text in `buf`; other reasons carry no value.
        let value = match r {
            reason::VAL_STR_CHUNK | reason::VAL_STR_END => l.buf[..usize::from(l.npos)].to_vec(),
            reason::VAL_NUM_INT | reason::VAL_NUM_FLOAT => l.buf_str().to_vec(),
            _ => Vec::new(),
        };
        self.events.push(JsonEvent {
            reason: r,
            path: l.path_str().to_vec(),
            value,
            index: l.i[..usize::from(l.ipos)].to_vec(),
            path_match: l.path_match,
        });
        // Negative: the answer every checked callback site of lws honours.
        -i8::from(self.refuse == Some(self.events.len()))
    }
}

/// Parses `doc` in the pieces `sizes`: the events and the last return value.
fn run_json(doc: &[u8], sizes: &[usize], refuse: Option<usize>) -> (Vec<JsonEvent>, i32) {
    use websockets::json::lejp::{code, Lejp};
    let mut host = JsonRecorder {
        events: Vec::new(),
        refuse,
    };
    let mut l = Lejp::new(JSON_PATTERNS.len() as u8);
    let mut ret = code::CONTINUE;
    let mut at = 0;
    for &n in sizes {
        ret = l.parse(&mut host, &doc[at..at + n]);
        at += n;
        if ret != code::CONTINUE {
            // What is left over is counted from the end of this piece.
            if ret >= 0 {
                ret += (doc.len() - at) as i32;
            }
            break;
        }
    }
    (host.events, ret)
}

/// The JSON parser on hostile bytes: the same callbacks and result whatever
/// the read sizes; bounded state (depth, index depth, path and string chunk
/// inside their arrays) at every callback; a bounded number of callbacks; no
/// callback after the end; a refusing callback stops it with REJECT_CALLBACK;
/// a failure ends with FAILED, a success with COMPLETE.
pub fn json(data: &[u8]) {
    use websockets::json::lejp::{code, reason};
    let mut input = Input::new(data);
    let flags = input.byte();
    let seed = input.byte();
    let doc = input.rest();
    let refuse = (flags & 1 != 0).then_some(usize::from(flags >> 1) + 1);

    let whole = run_json(doc, &[doc.len()], refuse);
    let split = run_json(doc, &pieces(doc.len(), seed), refuse);
    assert_eq!(whole, split, "callbacks depend on read sizes");
    let (events, ret) = whole;
    assert!(
        events.len() <= 4 * doc.len() + 4,
        "{} callbacks for {} bytes",
        events.len(),
        doc.len()
    );
    let last = events.last().map(|e| e.reason);
    match ret {
        code::CONTINUE => assert!(!matches!(last, Some(reason::FAILED | reason::COMPLETE))),
        r if r >= 0 => {
            assert_eq!(last, Some(reason::COMPLETE));
            assert!(r as usize <= doc.len());
        }
        r => {
            assert!(r >= code::REJECT_CALLBACK, "unknown result {r}");
            assert_eq!(last, Some(reason::FAILED));
            if r == code::REJECT_CALLBACK {
                assert!(refuse.is_some_and(|n| n <= events.len()));
            }
        }
    }
    // lws ignores the answer to START, ARRAY_END and FAILED; any other
    // refusal ends the parse.
    if let Some(e) = refuse.and_then(|n| events.get(n - 1)) {
        let ignored = [reason::START, reason::ARRAY_END, reason::FAILED];
        if !ignored.contains(&e.reason) && events.len() > refuse.unwrap_or(0) {
            assert_eq!(
                ret,
                code::REJECT_CALLBACK,
                "a refusing callback was ignored"
            );
        }
    }
}

/// A JSON value of the round trip's documents.
enum JsonValue {
    Int(String),
    Float(String),
    True,
    False,
    Null,
    Str(String),
    Object(Vec<(String, JsonValue)>),
    Array(Vec<JsonValue>),
}

/// Containers nest at most this deep, inside lejp's stacks.
const JSON_NEST: usize = 5;

fn gen_json(input: &mut Input<'_>, depth: usize, budget: &mut usize) -> JsonValue {
    let b = input.byte();
    let kind = if depth == 0 { 6 + b % 2 } else { b % 8 };
    // As in lws, an empty object at the top is refused (MEMBERS_NO_CLOSE).
    let at_least = usize::from(depth == 0 && kind == 6);
    *budget = budget.saturating_sub(1);
    let nest_ok = depth < JSON_NEST && *budget > 0;
    match kind {
        0 => JsonValue::Int(format!(
            "{}",
            i32::from_le_bytes([b, input.byte(), input.byte(), 0]) - (1 << 23)
        )),
        1 => {
            let (i, f, e) = (input.byte(), input.byte(), input.byte());
            let exp = match e % 4 {
                0 => String::new(),
                1 => format!("e{}", e >> 3),
                2 => format!("E-{}", e >> 3),
                _ => format!("e+{}", e >> 3),
            };
            JsonValue::Float(format!("{}{i}.{f}{exp}", if e & 4 != 0 { "-" } else { "" }))
        }
        2 => JsonValue::True,
        3 => JsonValue::False,
        4 => JsonValue::Null,
        6 | 7 if nest_ok || depth == 0 => {
            let n = usize::from(input.byte() % 6).max(at_least);
            if kind == 6 {
                let members = (0..n)
                    .map(|_| {
                        let len = 1 + usize::from(input.byte() % 6);
                        let name = input
                            .take(len)
                            .iter()
                            .map(|c| {
                                char::from(
                                    b"abcdefghijklmnopqrstuvwxyz0123456789_"[usize::from(c % 37)],
                                )
                            })
                            .collect::<String>();
                        let name = if name.is_empty() {
                            "e".to_string()
                        } else {
                            name
                        };
                        (name, gen_json(input, depth + 1, budget))
                    })
                    .collect();
                JsonValue::Object(members)
            } else {
                JsonValue::Array((0..n).map(|_| gen_json(input, depth + 1, budget)).collect())
            }
        }
        _ => {
            let len = usize::from(input.byte()) * if b & 0x80 != 0 { 4 } else { 1 };
            let s = String::from_utf8_lossy(input.take(len)).replace('\0', " ");
            JsonValue::Str(s)
        }
    }
}

/// Serialises `v` as JSON: `style` chooses spacing and whether non-ASCII
/// characters are written as `\u` escapes.
fn write_json(v: &JsonValue, style: u8, out: &mut String) {
    let space = if style & 1 != 0 { " \n\t" } else { "" };
    match v {
        JsonValue::Int(t) | JsonValue::Float(t) => out.push_str(t),
        JsonValue::True => out.push_str("true"),
        JsonValue::False => out.push_str("false"),
        JsonValue::Null => out.push_str("null"),
        JsonValue::Str(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '/' if style & 4 != 0 => out.push_str("\\/"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c if (c as u32) > 0x7f && (c as u32) < 0x10000 && style & 2 != 0 => {
                        out.push_str(&format!("\\u{:04X}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        JsonValue::Object(members) => {
            out.push('{');
            for (i, (name, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space);
                out.push_str(&format!("\"{name}\"{space}:{space}"));
                write_json(value, style, out);
            }
            out.push_str(space);
            out.push('}');
        }
        JsonValue::Array(items) => {
            out.push('[');
            for (i, value) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space);
                write_json(value, style, out);
            }
            out.push_str(space);
            out.push(']');
        }
    }
}

/// The array index worth comparing: as in lws, leaving an array inside a
/// member of the root object leaves its index depth behind until the next
/// member, so only a value directly in an array (its path ends in `[]`) has a
/// meaningful index, the innermost.
fn json_index(path: &[u8], index: &[u16]) -> Vec<u16> {
    if path.ends_with(b"[]") {
        index.last().copied().into_iter().collect()
    } else {
        Vec::new()
    }
}

/// The events (reason, path, value, array indexes) a value must produce, for
/// the reasons [`json_roundtrip`] compares.
fn expect_json(
    v: &JsonValue,
    path: &str,
    index: &mut Vec<u16>,
    out: &mut Vec<(u8, String, Vec<u8>, Vec<u16>)>,
) {
    use websockets::json::lejp::reason;
    let mut push = |r: u8, value: &[u8]| {
        let i = json_index(path.as_bytes(), index);
        out.push((r, path.to_string(), value.to_vec(), i))
    };
    match v {
        JsonValue::Int(t) => push(reason::VAL_NUM_INT, t.as_bytes()),
        JsonValue::Float(t) => push(reason::VAL_NUM_FLOAT, t.as_bytes()),
        JsonValue::True => push(reason::VAL_TRUE, b""),
        JsonValue::False => push(reason::VAL_FALSE, b""),
        JsonValue::Null => push(reason::VAL_NULL, b""),
        JsonValue::Str(s) => push(reason::VAL_STR_END, s.as_bytes()),
        JsonValue::Object(members) => {
            for (name, value) in members {
                let p = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                out.push((
                    reason::PAIR_NAME,
                    p.clone(),
                    Vec::new(),
                    json_index(p.as_bytes(), index),
                ));
                expect_json(value, &p, index, out);
            }
        }
        JsonValue::Array(items) => {
            let p = format!("{path}[]");
            for (i, value) in items.iter().enumerate() {
                index.push(i as u16);
                expect_json(value, &p, index, out);
                index.pop();
            }
        }
    }
}

/// A document we write (objects, arrays, numbers, escaped strings, nested
/// within lejp's limits) parses back completely, at any read sizes, with
/// every value at its path, with its text and array indexes; strings arrive in
/// chunks of at most 254 bytes that add up to the string.
pub fn json_roundtrip(data: &[u8]) {
    use websockets::json::lejp::{reason, STRING_CHUNK};
    let mut input = Input::new(data);
    let style = input.byte();
    let seed = input.byte();
    let mut budget = 64;
    let doc = gen_json(&mut input, 0, &mut budget);
    let mut text = String::new();
    write_json(&doc, style, &mut text);
    let bytes = text.as_bytes();
    let (events, ret) = run_json(bytes, &pieces(bytes.len(), seed), None);
    assert_eq!(ret, 0, "our document was refused: {text}");
    let mut want = Vec::new();
    expect_json(&doc, "", &mut Vec::new(), &mut want);
    // Strings: chunks joined to their end.
    let mut got = Vec::new();
    let mut chunks: Vec<u8> = Vec::new();
    for e in &events {
        match e.reason {
            reason::VAL_STR_CHUNK => {
                assert_eq!(e.value.len(), STRING_CHUNK, "short string chunk");
                chunks.extend_from_slice(&e.value);
            }
            reason::VAL_STR_END => {
                chunks.extend_from_slice(&e.value);
                got.push((
                    e.reason,
                    String::from_utf8_lossy(&e.path).into_owned(),
                    std::mem::take(&mut chunks),
                    json_index(&e.path, &e.index),
                ));
            }
            r if r & reason::IS_VALUE != 0 || r == reason::PAIR_NAME => {
                let index = json_index(&e.path, &e.index);
                let value = if r == reason::PAIR_NAME {
                    Vec::new()
                } else {
                    e.value.clone()
                };
                got.push((
                    r,
                    String::from_utf8_lossy(&e.path).into_owned(),
                    value,
                    index,
                ));
            }
            _ => {}
        }
    }
    assert_eq!(got, want, "values differ from {text}");
    let count = |r: u8| events.iter().filter(|e| e.reason == r).count();
    assert_eq!(
        count(reason::OBJECT_START),
        count(reason::OBJECT_END),
        "unbalanced objects"
    );
    assert_eq!(
        count(reason::ARRAY_START),
        count(reason::ARRAY_END),
        "unbalanced arrays"
    );
}
