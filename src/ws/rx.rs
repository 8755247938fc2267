//! The streaming receive parser.
//!
//! Data frames are handed on in chunks of at most `max_chunk` bytes: a chunk is
//! emitted once `min(max_chunk, bytes left in the frame)` bytes are buffered, so
//! chunk sizes do not depend on how the network split the stream. Control
//! frames are collected whole (they are at most 125 bytes). Protocol violations
//! are reported with the RFC 6455 close code to send (spec B9.3, B12).
#![forbid(unsafe_code)]

use tungstenite::protocol::frame::coding::{Control, Data, OpCode};
use tungstenite::protocol::frame::FrameHeader;

use super::close;
use super::deflate::Inflater;

/// Which side of the connection this parser is on: servers require masked
/// frames, clients require unmasked ones (RFC 6455 §5.1, spec B12.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Server,
    Client,
}

/// One thing the parser found.
#[derive(Debug, PartialEq, Eq)]
pub enum RxEvent {
    /// A piece of a data message.
    Data {
        payload: Vec<u8>,
        /// First piece of its message.
        first: bool,
        /// Last piece of a frame that had FIN: the message is complete.
        last: bool,
        binary: bool,
        /// Bytes still to come in the current frame.
        remaining: u64,
    },
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    /// The peer's close payload (possibly empty).
    Close(Vec<u8>),
}

/// Where the bytes of a data chunk found by [`RxParser::next_in_place`] are.
#[derive(Debug, PartialEq, Eq)]
pub enum DataBytes {
    /// In the caller's input buffer, already unmasked in place: no copy.
    Input(std::ops::Range<usize>),
    /// Inflated (permessage-deflate): the parser's own bytes.
    Inflated(Vec<u8>),
}

/// One thing the parser found, data left where it is ([`RxParser::next_in_place`]).
#[derive(Debug, PartialEq, Eq)]
pub enum RxItem {
    /// A piece of a data message.
    Data {
        bytes: DataBytes,
        first: bool,
        last: bool,
        binary: bool,
        remaining: u64,
    },
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    Close(Vec<u8>),
}

/// A violation: either fail with a close frame carrying `code`, or drop the
/// connection without one (`code` None) as lws does for some (B9.3).
#[derive(Debug, PartialEq, Eq)]
pub struct RxError {
    pub code: Option<u16>,
    pub reason: &'static str,
}

fn fail(code: u16, reason: &'static str) -> RxError {
    RxError {
        code: Some(code),
        reason,
    }
}

enum State {
    Header,
    Payload {
        opcode: OpCode,
        fin: bool,
        mask: Option<[u8; 4]>,
        mask_pos: usize,
        remaining: u64,
        control: Vec<u8>,
    },
}

pub struct RxParser {
    side: Side,
    validate_utf8: bool,
    state: State,
    /// A fragmented data message is open (its type).
    message: Option<bool>,
    /// The next data chunk is the first of its message.
    first_pending: bool,
    /// Bytes of an unfinished UTF-8 sequence carried between chunks (at most
    /// three) and how many there are: no allocation per chunk.
    utf8_carry: [u8; 4],
    utf8_carry_len: usize,
    /// permessage-deflate, once negotiated (RFC 7692).
    deflate: Option<Box<RxDeflate>>,
    /// The RSV bits (0x70 of the first header byte) of the latest frame.
    rsv: u8,
}

/// The receiving state of a negotiated permessage-deflate: compressed messages
/// are inflated as their frames arrive and handed on in chunks of the same
/// size as uncompressed ones (the last chunk of a message may be shorter).
struct RxDeflate {
    inflater: Inflater,
    /// The open data message has RSV1 set: its payload is compressed.
    compressed: bool,
    /// Its final frame has been handed to the inflater.
    ended: bool,
    /// Inflated bytes not handed on yet.
    ready: Vec<u8>,
    /// What the open message has inflated to so far.
    inflated: u64,
    /// What it may inflate to before the connection fails with 1009.
    max_message: u64,
}

/// The most one compressed message may inflate to (on a connection) before
/// it is failed with 1009 (a decompression bomb: 32 KiB of deflate data can stand
/// for 32 MiB). Memory is bounded anyway (messages are handed on in chunks);
/// this bounds what an application that collects whole messages is made to
/// hold, and the CPU a peer can make us spend per byte it sends.
pub const MAX_INFLATED_MESSAGE: u64 = 32 << 20;

impl RxParser {
    pub fn new(side: Side, validate_utf8: bool) -> RxParser {
        RxParser {
            side,
            validate_utf8,
            state: State::Header,
            message: None,
            first_pending: true,
            utf8_carry: [0; 4],
            utf8_carry_len: 0,
            deflate: None,
            rsv: 0,
        }
    }

    /// The RSV bits of the latest frame header, in place (0x40 RSV1, 0x20
    /// RSV2, 0x10 RSV3), as `lws_get_reserved_bits` reports them.
    pub fn reserved_bits(&self) -> u8 {
        self.rsv
    }

    /// Accepts compressed messages (RSV1 on a message's first frame) from now
    /// on, each inflating to at most `max_message` bytes.
    pub fn enable_deflate(&mut self, inflater: Inflater, max_message: u64) {
        self.deflate = Some(Box::new(RxDeflate {
            inflater,
            compressed: false,
            ended: false,
            ready: Vec::new(),
            inflated: 0,
            max_message,
        }));
    }

    fn compressed_message(&self) -> bool {
        self.deflate.as_ref().is_some_and(|d| d.compressed)
    }

    /// The next chunk of the open compressed message, when one is complete:
    /// `max_chunk` bytes with more to follow, or the message's rest once its
    /// final frame is inflated.
    fn inflated_event(&mut self, max_chunk: usize) -> Result<Option<RxItem>, RxError> {
        let Some(d) = self.deflate.as_deref_mut().filter(|d| d.compressed) else {
            return Ok(None);
        };
        let max = max_chunk.max(1);
        let mut drained = false;
        while d.ready.len() <= max {
            let room = max + 1 - d.ready.len();
            let n = d
                .inflater
                .pull(&mut d.ready, room)
                .map_err(|_| fail(close::INVALID_PAYLOAD, "bad deflate data"))?;
            if n == 0 {
                drained = true;
                break;
            }
            d.inflated += n as u64;
            if d.inflated > d.max_message {
                return Err(fail(
                    close::MESSAGE_TOO_BIG,
                    "compressed message inflates past the limit",
                ));
            }
        }
        let (payload, last) = if d.ready.len() > max {
            let rest = d.ready.split_off(max);
            (std::mem::replace(&mut d.ready, rest), false)
        } else if drained && d.ended {
            (std::mem::take(&mut d.ready), true)
        } else {
            return Ok(None);
        };
        let remaining = if last { 0 } else { d.ready.len().max(1) as u64 };
        if last {
            d.compressed = false;
            d.ended = false;
            d.inflated = 0;
        }
        let binary = self.message.unwrap_or(true);
        if self.validate_utf8 && !binary {
            self.check_utf8(&payload, last)?;
        }
        Ok(Some(self.data_item(
            DataBytes::Inflated(payload),
            last,
            binary,
            remaining,
        )))
    }

    /// Parses from `input[*pos..]`, advancing `*pos` over what it used, with
    /// every data chunk copied out ([`RxParser::next_in_place`] is the same
    /// without the copy). Ok(None) means more input is needed.
    pub fn next(
        &mut self,
        input: &[u8],
        pos: &mut usize,
        max_chunk: usize,
    ) -> Result<Option<RxEvent>, RxError> {
        // Unmasking happens in place, so it works on a copy of the input.
        let mut copy = input[*pos..].to_vec();
        let mut at = 0;
        let r = self.next_in_place(&mut copy, &mut at, max_chunk);
        *pos += at;
        Ok(r?.map(|item| match item {
            RxItem::Data {
                bytes,
                first,
                last,
                binary,
                remaining,
            } => RxEvent::Data {
                payload: match bytes {
                    DataBytes::Input(range) => copy[range].to_vec(),
                    DataBytes::Inflated(v) => v,
                },
                first,
                last,
                binary,
                remaining,
            },
            RxItem::Ping(p) => RxEvent::Ping(p),
            RxItem::Pong(p) => RxEvent::Pong(p),
            RxItem::Close(p) => RxEvent::Close(p),
        }))
    }

    /// Parses from `input[*pos..]`, advancing `*pos` over what it used; the
    /// payload of a data chunk stays in `input`, unmasked in place, and is
    /// named by its range. Ok(None) means more input is needed.
    pub fn next_in_place(
        &mut self,
        input: &mut [u8],
        pos: &mut usize,
        max_chunk: usize,
    ) -> Result<Option<RxItem>, RxError> {
        // Nothing left to parse and no inflated bytes waiting: whatever the
        // state, more input is needed (asked after every delivered chunk).
        if *pos >= input.len() && self.deflate.as_deref().is_none_or(|d| !d.compressed) {
            return Ok(None);
        }
        loop {
            if let Some(ev) = self.inflated_event(max_chunk)? {
                return Ok(Some(ev));
            }
            match &mut self.state {
                State::Header => {
                    let (hdr, len, used) = match parse_header(&input[*pos..]) {
                        Ok(Some(h)) => h,
                        Ok(None) => return Ok(None),
                        Err(ReservedOpcode) => return Err(fail(close::PROTOCOL_ERR, "bad opc")),
                    };
                    *pos += used;
                    self.check_header(&hdr, len)?;
                    self.rsv =
                        u8::from(hdr.rsv1) << 6 | u8::from(hdr.rsv2) << 5 | u8::from(hdr.rsv3) << 4;
                    if hdr.opcode == OpCode::Data(Data::Continue) {
                        // continues the open message
                    } else if let OpCode::Data(d) = hdr.opcode {
                        self.message = Some(d == Data::Binary);
                        self.first_pending = true;
                        if let Some(z) = self.deflate.as_deref_mut() {
                            z.compressed = hdr.rsv1;
                        }
                    }
                    self.state = State::Payload {
                        opcode: hdr.opcode,
                        fin: hdr.is_final,
                        mask: hdr.mask,
                        mask_pos: 0,
                        remaining: len,
                        control: Vec::new(),
                    };
                    if len == 0 {
                        if let Some(ev) = self.finish_empty()? {
                            return Ok(Some(ev));
                        }
                    }
                }
                State::Payload {
                    opcode,
                    fin,
                    mask,
                    mask_pos,
                    remaining,
                    control,
                } => {
                    let avail = input.len() - *pos;
                    if let OpCode::Control(c) = *opcode {
                        let take = (*remaining as usize).min(avail);
                        let start = control.len();
                        control.extend_from_slice(&input[*pos..*pos + take]);
                        *pos += take;
                        *remaining -= take as u64;
                        if let Some(m) = mask {
                            unmask(&mut control[start..], *m, mask_pos);
                        }
                        if *remaining > 0 {
                            return Ok(None);
                        }
                        let payload = std::mem::take(control);
                        self.state = State::Header;
                        return self.control_event(c, payload).map(Some);
                    }
                    if let Some(z) = self.deflate.as_deref_mut().filter(|z| z.compressed) {
                        // Compressed: whatever has arrived goes to the inflater.
                        if avail == 0 {
                            return Ok(None);
                        }
                        let take = (*remaining).min(avail as u64) as usize;
                        let part = &mut input[*pos..*pos + take];
                        *pos += take;
                        *remaining -= take as u64;
                        if let Some(m) = mask {
                            unmask(part, *m, mask_pos);
                        }
                        z.inflater.push(part);
                        if *remaining == 0 {
                            if *fin {
                                z.inflater.end_message();
                                z.ended = true;
                            }
                            self.state = State::Header;
                        }
                        continue;
                    }
                    let want = (max_chunk.max(1) as u64).min(*remaining) as usize;
                    if avail < want {
                        return Ok(None);
                    }
                    let range = *pos..*pos + want;
                    *pos += want;
                    *remaining -= want as u64;
                    if let Some(m) = mask {
                        unmask(&mut input[range.clone()], *m, mask_pos);
                    }
                    let frame_done = *remaining == 0;
                    let last = frame_done && *fin;
                    let rem = *remaining;
                    let binary = self.message.unwrap_or(true);
                    if frame_done {
                        self.state = State::Header;
                    }
                    if self.validate_utf8 && !binary {
                        self.check_utf8(&input[range.clone()], last)?;
                    }
                    return Ok(Some(self.data_item(
                        DataBytes::Input(range),
                        last,
                        binary,
                        rem,
                    )));
                }
            }
        }
    }

    fn check_header(&self, hdr: &FrameHeader, len: u64) -> Result<(), RxError> {
        // RSV1 marks a compressed message: only with permessage-deflate, and
        // only on a message's first frame (RFC 7692 6).
        let rsv1_allowed =
            self.deflate.is_some() && matches!(hdr.opcode, OpCode::Data(Data::Text | Data::Binary));
        if (hdr.rsv1 && !rsv1_allowed) || hdr.rsv2 || hdr.rsv3 {
            return Err(fail(close::PROTOCOL_ERR, "rsv bits"));
        }
        match (self.side, hdr.mask.is_some()) {
            (Side::Server, false) => {
                return Err(fail(close::PROTOCOL_ERR, "unmasked client frame"))
            }
            (Side::Client, true) => return Err(fail(close::PROTOCOL_ERR, "masked server frame")),
            _ => {}
        }
        // Failing the connection sends a Close first (RFC 6455 7.1.7); lws
        // drops these two without one (B9.3, docs/COMPAT.md).
        if len >> 63 != 0 {
            return Err(fail(
                close::MESSAGE_TOO_BIG,
                "64-bit length with top bit set",
            ));
        }
        match hdr.opcode {
            OpCode::Control(_) => {
                if len > 125 {
                    return Err(fail(close::PROTOCOL_ERR, "control frame too long"));
                }
                if !hdr.is_final {
                    return Err(fail(close::PROTOCOL_ERR, "frag ctl"));
                }
            }
            OpCode::Data(Data::Continue) => {
                if self.message.is_none() {
                    return Err(fail(close::PROTOCOL_ERR, "bad cont"));
                }
            }
            OpCode::Data(_) => {
                if self.message.is_some() {
                    return Err(fail(close::PROTOCOL_ERR, "bad cont"));
                }
            }
        }
        Ok(())
    }

    /// A frame with no payload: data frames still give one (empty) chunk.
    fn finish_empty(&mut self) -> Result<Option<RxItem>, RxError> {
        let State::Payload { opcode, fin, .. } = &self.state else {
            return Ok(None);
        };
        let (opcode, fin) = (*opcode, *fin);
        self.state = State::Header;
        match opcode {
            OpCode::Control(c) => self.control_event(c, Vec::new()).map(Some),
            OpCode::Data(_) if self.compressed_message() => {
                if let Some(z) = self.deflate.as_deref_mut().filter(|_| fin) {
                    z.inflater.end_message();
                    z.ended = true;
                }
                Ok(None)
            }
            OpCode::Data(_) => {
                let binary = self.message.unwrap_or(true);
                if self.validate_utf8 && !binary {
                    self.check_utf8(&[], fin)?;
                }
                let at = DataBytes::Input(0..0);
                Ok(Some(self.data_item(at, fin, binary, 0)))
            }
        }
    }

    fn data_item(&mut self, bytes: DataBytes, last: bool, binary: bool, remaining: u64) -> RxItem {
        let first = std::mem::replace(&mut self.first_pending, false);
        if last {
            self.message = None;
            self.first_pending = true;
        }
        RxItem::Data {
            bytes,
            first,
            last,
            binary,
            remaining,
        }
    }

    /// UTF-8 of a text message, chunk by chunk: a sequence cut at the end of
    /// a chunk is carried (in a fixed array) into the next one.
    fn check_utf8(&mut self, chunk: &[u8], last: bool) -> Result<(), RxError> {
        let mut rest = chunk;
        if self.utf8_carry_len > 0 {
            let held = self.utf8_carry_len;
            let width = match self.utf8_carry[0] {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            let take = (width - held).min(rest.len());
            let mut seq = [0u8; 4];
            seq[..held].copy_from_slice(&self.utf8_carry[..held]);
            seq[held..held + take].copy_from_slice(&rest[..take]);
            rest = &rest[take..];
            match std::str::from_utf8(&seq[..held + take]) {
                Ok(_) => self.utf8_carry_len = 0,
                Err(e) if e.error_len().is_some() => {
                    return Err(fail(close::INVALID_PAYLOAD, "bad utf8"))
                }
                Err(_) => {
                    // Still cut short: this chunk ended inside the sequence.
                    if last {
                        return Err(fail(close::INVALID_PAYLOAD, "partial utf8"));
                    }
                    self.utf8_carry = seq;
                    self.utf8_carry_len = held + take;
                    return Ok(());
                }
            }
        }
        match std::str::from_utf8(rest) {
            Ok(_) => {}
            Err(e) => {
                if e.error_len().is_some() {
                    return Err(fail(close::INVALID_PAYLOAD, "bad utf8"));
                }
                if last {
                    return Err(fail(close::INVALID_PAYLOAD, "partial utf8"));
                }
                let tail = &rest[e.valid_up_to()..];
                self.utf8_carry[..tail.len()].copy_from_slice(tail);
                self.utf8_carry_len = tail.len();
            }
        }
        Ok(())
    }

    fn control_event(&mut self, c: Control, payload: Vec<u8>) -> Result<RxItem, RxError> {
        Ok(match c {
            Control::Ping => RxItem::Ping(payload),
            Control::Pong => RxItem::Pong(payload),
            Control::Close => {
                check_close_payload(&payload)?;
                RxItem::Close(payload)
            }
            Control::Reserved(_) => return Err(fail(close::PROTOCOL_ERR, "bad opc")),
        })
    }
}

/// RFC 6455 §5.5.1 / §7.4: a close body is empty or a valid code plus UTF-8
/// reason (spec B12.3).
fn check_close_payload(p: &[u8]) -> Result<(), RxError> {
    if p.is_empty() {
        return Ok(());
    }
    if p.len() == 1 {
        return Err(fail(close::PROTOCOL_ERR, "close payload of one byte"));
    }
    let code = u16::from_be_bytes([p[0], p[1]]);
    if !is_valid_close_code(code) {
        return Err(fail(close::PROTOCOL_ERR, "invalid close code"));
    }
    if std::str::from_utf8(&p[2..]).is_err() {
        return Err(fail(close::INVALID_PAYLOAD, "close reason is not UTF-8"));
    }
    Ok(())
}

/// Codes a peer may put on the wire.
pub fn is_valid_close_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// A frame whose opcode RFC 6455 reserves.
#[derive(Debug, PartialEq, Eq)]
struct ReservedOpcode;

/// Parses a frame header straight from the buffer: the header, the payload
/// length and the header's size; None until the whole header is there. (The
/// same result as tungstenite's `FrameHeader::parse`, which the tests use as
/// the oracle, without going through `io::Read`.)
fn parse_header(b: &[u8]) -> Result<Option<(FrameHeader, u64, usize)>, ReservedOpcode> {
    let [first, second, ..] = *b else {
        return Ok(None);
    };
    let (len, mut used) = match second & 0x7f {
        126 => match b.get(2..4) {
            Some(l) => (u64::from(u16::from_be_bytes([l[0], l[1]])), 4),
            None => return Ok(None),
        },
        127 => match b.get(2..10).and_then(|l| <[u8; 8]>::try_from(l).ok()) {
            Some(l) => (u64::from_be_bytes(l), 10),
            None => return Ok(None),
        },
        n => (u64::from(n), 2),
    };
    let mask = if second & 0x80 != 0 {
        let Some(m) = b
            .get(used..used + 4)
            .and_then(|m| <[u8; 4]>::try_from(m).ok())
        else {
            return Ok(None);
        };
        used += 4;
        Some(m)
    } else {
        None
    };
    let opcode = OpCode::from(first & 0x0f);
    if matches!(
        opcode,
        OpCode::Data(Data::Reserved(_)) | OpCode::Control(Control::Reserved(_))
    ) {
        return Err(ReservedOpcode);
    }
    let header = FrameHeader {
        is_final: first & 0x80 != 0,
        rsv1: first & 0x40 != 0,
        rsv2: first & 0x20 != 0,
        rsv3: first & 0x10 != 0,
        opcode,
        mask,
    };
    Ok(Some((header, len, used)))
}

fn unmask(buf: &mut [u8], mask: [u8; 4], pos: &mut usize) {
    for b in buf.iter_mut() {
        *b ^= mask[*pos & 3];
        *pos += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tx::{frame_header, Opcode};
    use super::*;

    fn frame(fin: bool, op: Opcode, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
        let mut out = Vec::new();
        frame_header(&mut out, fin, op, payload.len() as u64, mask);
        let mut p = payload.to_vec();
        if let Some(m) = mask {
            let mut pos = 0;
            unmask(&mut p, m, &mut pos);
        }
        out.extend_from_slice(&p);
        out
    }

    const M: Option<[u8; 4]> = Some([1, 2, 3, 4]);

    fn all(p: &mut RxParser, input: &[u8], chunk: usize) -> Vec<RxEvent> {
        let mut pos = 0;
        let mut out = Vec::new();
        while let Ok(Some(ev)) = p.next(input, &mut pos, chunk) {
            out.push(ev);
        }
        out
    }

    #[test]
    fn chunks_a_frame_and_reports_remaining_spec_b5_5() {
        let mut p = RxParser::new(Side::Server, false);
        let evs = all(&mut p, &frame(true, Opcode::Binary, &[7u8; 10], M), 4);
        let sizes: Vec<(usize, bool, bool, u64)> = evs
            .iter()
            .map(|e| match e {
                RxEvent::Data {
                    payload,
                    first,
                    last,
                    remaining,
                    ..
                } => (payload.len(), *first, *last, *remaining),
                _ => (0, false, false, 99),
            })
            .collect();
        assert_eq!(
            sizes,
            vec![
                (4, true, false, 6),
                (4, false, false, 2),
                (2, false, true, 0)
            ]
        );
    }

    #[test]
    fn fragments_keep_message_type_and_first_last() {
        let mut p = RxParser::new(Side::Client, false);
        let mut input = frame(false, Opcode::Text, b"ab", None);
        input.extend(frame(true, Opcode::Ping, b"x", None));
        input.extend(frame(true, Opcode::Continuation, b"cd", None));
        let evs = all(&mut p, &input, 100);
        assert_eq!(evs.len(), 3);
        assert!(matches!(
            &evs[0],
            RxEvent::Data {
                first: true,
                last: false,
                binary: false,
                ..
            }
        ));
        assert_eq!(evs[1], RxEvent::Ping(b"x".to_vec()));
        assert!(matches!(
            &evs[2],
            RxEvent::Data {
                first: false,
                last: true,
                binary: false,
                ..
            }
        ));
    }

    #[test]
    fn violations_have_rfc_codes_spec_b9_3_b12() {
        let cases: Vec<(Vec<u8>, Option<u16>)> = vec![
            (vec![0x83, 0x80, 0, 0, 0, 0], Some(1002)), // reserved opcode
            (vec![0xC2, 0x80, 0, 0, 0, 0], Some(1002)), // rsv1
            (vec![0x09, 0x80, 0, 0, 0, 0], Some(1002)), // fragmented ping
            (vec![0x80, 0x80, 0, 0, 0, 0], Some(1002)), // bad continuation
            (vec![0x89, 0xFE, 0, 126, 0, 0, 0, 0], Some(1002)), // long ping (RFC 6455 7.1.7)
            (
                vec![0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                Some(1009),
            ), // top-bit length
            (vec![0x82, 0x00], Some(1002)),             // unmasked client frame
            (frame(true, Opcode::Close, &[3], M), Some(1002)), // 1-byte close
            (frame(true, Opcode::Close, &[0x03, 0xE7], M), Some(1002)), // code 999
        ];
        for (input, code) in cases {
            let mut p = RxParser::new(Side::Server, false);
            let mut pos = 0;
            let r = p.next(&input, &mut pos, 100);
            assert_eq!(r.map_err(|e| e.code), Err(code), "input {input:x?}");
        }
    }

    #[test]
    fn utf8_checked_only_when_asked_spec_b9_t6() {
        let bad = frame(true, Opcode::Text, &[0xFF], M);
        let mut lax = RxParser::new(Side::Server, false);
        assert!(matches!(
            lax.next(&bad, &mut 0, 10),
            Ok(Some(RxEvent::Data { .. }))
        ));
        let mut strict = RxParser::new(Side::Server, true);
        assert_eq!(
            strict.next(&bad, &mut 0, 10).map_err(|e| e.code),
            Err(Some(1007))
        );
        // a character split across chunks is fine
        let euro = "€".as_bytes();
        let mut p = RxParser::new(Side::Server, true);
        let evs = all(&mut p, &frame(true, Opcode::Text, euro, M), 1);
        assert_eq!(evs.len(), 3);
    }

    #[test]
    fn header_parser_agrees_with_tungstenite() {
        use std::io::Cursor;
        let mut seed = 0x1234_5678_9abc_def1u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 15) as usize;
            let bytes: Vec<u8> = (0..n)
                .map(|i| (seed >> (i * 4)) as u8 ^ (i as u8).wrapping_mul(37))
                .collect();
            let ours = parse_header(&bytes);
            let mut cur = Cursor::new(&bytes[..]);
            let theirs = FrameHeader::parse(&mut cur);
            match (ours, theirs) {
                (Ok(None), Ok(None)) | (Err(_), Err(_)) => {}
                (Ok(Some((h, l, used))), Ok(Some((th, tl)))) => {
                    assert_eq!((h, l, used as u64), (th, tl, cur.position()), "{bytes:x?}");
                }
                (o, t) => panic!("disagree on {bytes:x?}: ours {o:?}, tungstenite {t:?}"),
            }
        }
    }

    #[test]
    fn empty_frames_are_delivered() {
        let mut p = RxParser::new(Side::Server, false);
        let evs = all(&mut p, &frame(true, Opcode::Text, b"", M), 10);
        assert!(
            matches!(&evs[0], RxEvent::Data { payload, first: true, last: true, .. } if payload.is_empty())
        );
    }
}

#[cfg(test)]
mod deflate_tests {
    use super::super::deflate::{Deflater, Inflater};
    use super::super::tx::{frame, DeflateFramer, Opcode};
    use super::*;

    const M: Option<[u8; 4]> = Some([9, 7, 5, 3]);

    fn events(
        p: &mut RxParser,
        input: &[u8],
        chunk: usize,
        split: usize,
    ) -> Result<Vec<RxEvent>, RxError> {
        // Feeds the stream in pieces of `split` bytes, as a network would.
        let (mut buf, mut pos, mut out) = (Vec::new(), 0, Vec::new());
        for piece in input.chunks(split.max(1)) {
            buf.extend_from_slice(piece);
            while let Some(ev) = p.next(&buf, &mut pos, chunk)? {
                out.push(ev);
            }
        }
        Ok(out)
    }

    /// A chunk's (length, first, last, remaining).
    type Shape = (usize, bool, bool, u64);

    fn message_of(evs: &[RxEvent]) -> (Vec<u8>, Vec<Shape>) {
        let mut all = Vec::new();
        let mut shape = Vec::new();
        for e in evs {
            if let RxEvent::Data {
                payload,
                first,
                last,
                remaining,
                ..
            } = e
            {
                all.extend_from_slice(payload);
                shape.push((payload.len(), *first, *last, *remaining));
            }
        }
        (all, shape)
    }

    /// Issue #13: a small frame that inflates past the limit fails
    /// with 1009 once the limit is passed, having handed on no more than the
    /// limit (in rx-sized chunks: nothing is held whole); a message just under
    /// it, and the messages after it, are fine.
    #[test]
    fn decompression_bomb_fails_with_1009_spec_b12() {
        let limit = 1 << 20;
        let zeros = vec![0u8; limit + 4096];
        let mut tx = DeflateFramer::new(Deflater::new(15, 9, false));
        let mut bomb = Vec::new();
        tx.frame(&mut bomb, true, Opcode::Binary, &zeros, M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(bomb.len() < 4096, "bomb is {} bytes", bomb.len());
        let mut p = RxParser::new(Side::Server, false);
        p.enable_deflate(Inflater::new(false), limit as u64);
        let (mut pos, mut handed, mut biggest) = (0, 0usize, 0usize);
        let err = loop {
            match p.next(&bomb, &mut pos, 4096) {
                Ok(Some(RxEvent::Data { payload, .. })) => {
                    handed += payload.len();
                    biggest = biggest.max(payload.len());
                }
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => break e,
            }
        };
        assert_eq!(err.code, Some(close::MESSAGE_TOO_BIG));
        assert!(handed <= limit && biggest == 4096, "{handed} {biggest}");

        let mut tx = DeflateFramer::new(Deflater::new(15, 9, false));
        let mut wire = Vec::new();
        tx.frame(&mut wire, true, Opcode::Binary, &zeros[..limit], M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        tx.frame(&mut wire, true, Opcode::Text, b"after", M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut p = RxParser::new(Side::Server, false);
        p.enable_deflate(Inflater::new(false), limit as u64);
        let evs = events(&mut p, &wire, 1 << 20, 1 << 20).unwrap_or_else(|e| panic!("{e:?}"));
        let total: usize = evs
            .iter()
            .map(|e| match e {
                RxEvent::Data { payload, .. } => payload.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(total, limit + 5);
    }

    #[test]
    fn compressed_messages_arrive_in_rx_sized_chunks_whatever_the_network_did() {
        let text: Vec<u8> = (0..3000u32)
            .flat_map(|i| format!("line {i} of text\n").into_bytes())
            .collect();
        for split in [1usize, 7, 1500, 1 << 20] {
            let mut tx = DeflateFramer::new(Deflater::new(15, 1, false));
            let mut wire = Vec::new();
            // Three fragments, then a control frame, then a second message.
            for (i, part) in text.chunks(20_000).enumerate() {
                let op = if i == 0 {
                    Opcode::Text
                } else {
                    Opcode::Continuation
                };
                let fin = (i + 1) * 20_000 >= text.len();
                tx.frame(&mut wire, fin, op, part, M)
                    .unwrap_or_else(|e| panic!("{e:?}"));
                if i == 0 {
                    frame(&mut wire, true, Opcode::Ping, b"p", M);
                }
            }
            tx.frame(&mut wire, true, Opcode::Binary, b"", M)
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert!(wire.len() < text.len() / 3);
            let mut p = RxParser::new(Side::Server, true);
            p.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
            let evs = events(&mut p, &wire, 4096, split).unwrap_or_else(|e| panic!("{e:?}"));
            assert!(evs.contains(&RxEvent::Ping(b"p".to_vec())));
            let data: Vec<&RxEvent> = evs
                .iter()
                .filter(|e| matches!(e, RxEvent::Data { .. }))
                .collect();
            let (got, shape) = message_of(&evs[..evs.len() - 1]);
            assert_eq!(got, text, "split {split}");
            let n = shape.len();
            assert!(
                shape[..n - 1]
                    .iter()
                    .all(|&(len, _, last, rem)| len == 4096 && !last && rem > 0),
                "{shape:?}"
            );
            assert_eq!(
                (shape[0].1, shape[n - 1].2, shape[n - 1].3),
                (true, true, 0)
            );
            assert_eq!(shape[n - 1].0, text.len() - 4096 * (n - 1));
            // The empty compressed binary message: one empty, first and last chunk.
            assert!(
                matches!(data[data.len() - 1], RxEvent::Data { payload, first: true, last: true, binary: true, .. } if payload.is_empty())
            );
        }
    }

    #[test]
    fn rsv1_is_refused_where_rfc7692_forbids_it() {
        let mut wire = Vec::new();
        let mut tx = DeflateFramer::new(Deflater::new(15, 1, false));
        tx.frame(&mut wire, true, Opcode::Text, b"hi", M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        // Without negotiation.
        let mut p = RxParser::new(Side::Server, false);
        assert_eq!(
            events(&mut p, &wire, 100, 100).map_err(|e| e.code),
            Err(Some(1002))
        );
        // On a continuation frame.
        let mut wire = Vec::new();
        tx.frame(&mut wire, false, Opcode::Text, b"a", M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let at = wire.len();
        tx.frame(&mut wire, true, Opcode::Continuation, b"b", M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        wire[at] |= 0x40;
        let mut p = RxParser::new(Side::Server, false);
        p.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
        assert_eq!(
            events(&mut p, &wire, 100, 100).map_err(|e| e.code),
            Err(Some(1002))
        );
        // On a control frame.
        let mut wire = Vec::new();
        frame(&mut wire, true, Opcode::Ping, b"", M);
        wire[0] |= 0x40;
        let mut p = RxParser::new(Side::Server, false);
        p.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
        assert_eq!(
            events(&mut p, &wire, 100, 100).map_err(|e| e.code),
            Err(Some(1002))
        );
    }

    #[test]
    fn corrupt_or_non_utf8_compressed_data_fails_with_1007() {
        let mut wire = Vec::new();
        super::super::tx::frame_header(&mut wire, true, Opcode::Text, 5, M);
        wire[0] |= 0x40;
        let mut body = vec![0xff, 0xfe, 0xfd, 0xfc, 0xfb];
        let mut pos = 0;
        unmask(&mut body, [9, 7, 5, 3], &mut pos);
        wire.extend_from_slice(&body);
        let mut p = RxParser::new(Side::Server, true);
        p.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
        assert_eq!(
            events(&mut p, &wire, 100, 100).map_err(|e| e.code),
            Err(Some(1007))
        );
        let mut wire = Vec::new();
        let mut tx = DeflateFramer::new(Deflater::new(15, 1, false));
        tx.frame(&mut wire, true, Opcode::Text, &[0xc3, 0x28], M)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut p = RxParser::new(Side::Server, true);
        p.enable_deflate(Inflater::new(false), MAX_INFLATED_MESSAGE);
        assert_eq!(
            events(&mut p, &wire, 100, 100).map_err(|e| e.code),
            Err(Some(1007))
        );
    }
}
