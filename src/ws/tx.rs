//! Frame writing for `lws_write` and the library's own control frames.
#![forbid(unsafe_code)]

use super::deflate::{CodecError, Deflater};

/// Frame opcodes we send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opcode {
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10,
}

/// Appends a frame header for a payload of `len` bytes.
pub fn frame_header(out: &mut Vec<u8>, fin: bool, op: Opcode, len: u64, mask: Option<[u8; 4]>) {
    out.push(if fin { 0x80 } else { 0 } | op as u8);
    let m = if mask.is_some() { 0x80 } else { 0 };
    if len < 126 {
        out.push(m | len as u8);
    } else if len <= u64::from(u16::MAX) {
        out.push(m | 126);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(m | 127);
        out.extend_from_slice(&len.to_be_bytes());
    }
    if let Some(k) = mask {
        out.extend_from_slice(&k);
    }
}

/// The longest frame header (2 + 8 length bytes + 4 mask bytes).
pub const MAX_HEADER: usize = 14;

/// Writes a frame header for a payload of `len` bytes at the end of `room`
/// (the headroom before a payload); returns its size.
pub fn header_before(
    room: &mut [u8],
    fin: bool,
    op: Opcode,
    len: u64,
    mask: Option<[u8; 4]>,
) -> Option<usize> {
    let mut h = [0u8; MAX_HEADER];
    h[0] = if fin { 0x80 } else { 0 } | op as u8;
    let m = if mask.is_some() { 0x80 } else { 0 };
    let mut n = if len < 126 {
        h[1] = m | len as u8;
        2
    } else if len <= u64::from(u16::MAX) {
        h[1] = m | 126;
        h[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        4
    } else {
        h[1] = m | 127;
        h[2..10].copy_from_slice(&len.to_be_bytes());
        10
    };
    if let Some(k) = mask {
        h[n..n + 4].copy_from_slice(&k);
        n += 4;
    }
    let start = room.len().checked_sub(n)?;
    room[start..].copy_from_slice(&h[..n]);
    Some(n)
}

/// Masks a payload in place (client frames).
pub fn mask_in_place(payload: &mut [u8], mask: [u8; 4]) {
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i & 3];
    }
}

/// Appends a whole frame, masking the payload when `mask` is given.
pub fn frame(out: &mut Vec<u8>, fin: bool, op: Opcode, payload: &[u8], mask: Option<[u8; 4]>) {
    frame_header(out, fin, op, payload.len() as u64, mask);
    append_payload(out, payload, mask);
}

fn append_payload(out: &mut Vec<u8>, payload: &[u8], mask: Option<[u8; 4]>) {
    let start = out.len();
    out.extend_from_slice(payload);
    if let Some(k) = mask {
        for (i, b) in out[start..].iter_mut().enumerate() {
            *b ^= k[i & 3];
        }
    }
}

/// Frames data messages compressed with a negotiated permessage-deflate: each
/// fragment is compressed as it is written, and a message's first frame carries
/// RSV1 (RFC 7692 6). Control frames never come here.
pub struct DeflateFramer {
    deflater: Deflater,
    compressed: Vec<u8>,
}

impl DeflateFramer {
    pub fn new(deflater: Deflater) -> DeflateFramer {
        DeflateFramer {
            deflater,
            compressed: Vec::new(),
        }
    }

    /// Changes the compression level of what is sent from now on.
    pub fn set_level(&mut self, level: u32) -> Result<(), CodecError> {
        self.deflater.set_level(level)
    }

    /// Appends one data frame (`op` Text, Binary or Continuation) of a message.
    pub fn frame(
        &mut self,
        out: &mut Vec<u8>,
        fin: bool,
        op: Opcode,
        payload: &[u8],
        mask: Option<[u8; 4]>,
    ) -> Result<(), CodecError> {
        self.compressed.clear();
        self.deflater.compress(payload, fin, &mut self.compressed)?;
        let start = out.len();
        frame_header(out, fin, op, self.compressed.len() as u64, mask);
        if op != Opcode::Continuation {
            out[start] |= 0x40;
        }
        append_payload(out, &self.compressed, mask);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use tungstenite::protocol::frame::FrameHeader;

    #[test]
    fn headers_parse_back_with_tungstenite() {
        for len in [0u64, 125, 126, 65535, 65536, 1 << 40] {
            for mask in [None, Some([9, 8, 7, 6])] {
                let mut out = Vec::new();
                frame_header(&mut out, true, Opcode::Binary, len, mask);
                let (h, l) = FrameHeader::parse(&mut Cursor::new(&out))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                assert_eq!(l, len);
                assert_eq!(h.mask, mask);
                assert!(h.is_final);
            }
        }
    }
}
