//! permessage-deflate (RFC 7692): the `Sec-WebSocket-Extensions` grammar, the
//! negotiation each role does, and the per-message codec over raw deflate.
//!
//! The codec never holds a whole message: the sender compresses each fragment as
//! it is written (a sync flush per fragment, the 4-byte `00 00 ff ff` tail removed
//! from the last one), and the receiver inflates in bounded steps so that the
//! caller can hand out chunks of its own size and enforce its own limit on what a
//! small frame may grow into.
#![forbid(unsafe_code)]

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// The extension's registered name.
pub const NAME: &str = "permessage-deflate";

/// What every compressed message's deflate stream ends with, and the sender removes.
const TAIL: [u8; 4] = [0, 0, 0xff, 0xff];

/// One entry of an extension list, with its parameters (names lower-cased, values
/// unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionItem {
    pub name: String,
    pub params: Vec<(String, Option<String>)>,
}

/// Parses a `Sec-WebSocket-Extensions` value (RFC 6455 9.1): a comma-separated
/// list of `name *( ";" param [ "=" (token | quoted-string) ] )`. `None` when the
/// grammar is broken.
pub fn parse_extension_list(value: &str) -> Option<Vec<ExtensionItem>> {
    let mut items = Vec::new();
    for item in split_outside_quotes(value, ',')? {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mut parts = split_outside_quotes(item, ';')?.into_iter();
        let name = parts.next()?.trim();
        if !is_token(name) {
            return None;
        }
        let mut params = Vec::new();
        for part in parts {
            let part = part.trim();
            let (key, val) = match part.split_once('=') {
                Some((k, v)) => (k.trim(), Some(unquote(v.trim())?)),
                None => (part, None),
            };
            if !is_token(key) {
                return None;
            }
            params.push((key.to_ascii_lowercase(), val));
        }
        items.push(ExtensionItem {
            name: name.to_ascii_lowercase(),
            params,
        });
    }
    Some(items)
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Splits on `sep` outside double quotes; `None` for an unterminated quote.
fn split_outside_quotes(s: &str, sep: char) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return None;
    }
    out.push(&s[start..]);
    Some(out)
}

/// A parameter value: a token, or a quoted string whose content is a token
/// (RFC 6455 9.1).
fn unquote(v: &str) -> Option<String> {
    let inner = match v.strip_prefix('"') {
        Some(rest) => {
            let rest = rest.strip_suffix('"')?;
            let mut s = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                s.push(if c == '\\' { chars.next()? } else { c });
            }
            s
        }
        None => v.to_string(),
    };
    is_token(&inner).then_some(inner)
}

/// The agreed parameters of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PmdParams {
    pub server_no_context_takeover: bool,
    pub client_no_context_takeover: bool,
    /// The LZ77 window the server compresses with (8..=15).
    pub server_max_window_bits: u8,
    /// The LZ77 window the client compresses with (8..=15).
    pub client_max_window_bits: u8,
}

impl Default for PmdParams {
    fn default() -> PmdParams {
        PmdParams {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 15,
            client_max_window_bits: 15,
        }
    }
}

/// Why a negotiation parameter set is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegotiationError(pub String);

fn window_bits(name: &str, value: &str) -> Result<u8, NegotiationError> {
    // 1*DIGIT without a leading zero, 8..=15 (RFC 7692 7.1.2).
    match value.parse::<u8>() {
        Ok(n @ 8..=15) if !value.starts_with('0') => Ok(n),
        _ => Err(NegotiationError(format!("{name}={value} is not 8..15"))),
    }
}

/// Reads the parameters of one `permessage-deflate` entry; `offered_by_client`
/// says which grammar applies (an offer may name `client_max_window_bits`
/// without a value; a response may not).
fn read_params(item: &ExtensionItem, offer: bool) -> Result<(PmdParams, bool), NegotiationError> {
    let mut p = PmdParams::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut client_bits_named = false;
    for (key, val) in &item.params {
        if seen.contains(&key.as_str()) {
            return Err(NegotiationError(format!("{key} given twice")));
        }
        seen.push(key);
        match (key.as_str(), val) {
            ("server_no_context_takeover", None) => p.server_no_context_takeover = true,
            ("client_no_context_takeover", None) => p.client_no_context_takeover = true,
            ("server_max_window_bits", Some(v)) => p.server_max_window_bits = window_bits(key, v)?,
            ("client_max_window_bits", Some(v)) => {
                p.client_max_window_bits = window_bits(key, v)?;
                client_bits_named = true;
            }
            ("client_max_window_bits", None) if offer => client_bits_named = true,
            _ => return Err(NegotiationError(format!("unexpected parameter {key}"))),
        }
    }
    Ok((p, client_bits_named))
}

/// Server side: picks the first acceptable `permessage-deflate` offer of the
/// client's list and returns the agreed parameters with the response entry.
/// Offers with unknown or malformed parameters are skipped, as RFC 7692 5 asks.
pub fn accept_offer(offers: &[ExtensionItem]) -> Option<(PmdParams, String)> {
    offers
        .iter()
        .filter(|o| o.name == NAME)
        .find_map(|o| Some((read_params(o, true).ok()?.0, o)))
        .map(|(p, offer)| {
            // An accepted server_max_window_bits is answered, even when it is 15
            // (RFC 7692 7.1.2.1).
            let bits_asked = offer
                .params
                .iter()
                .any(|(k, _)| k == "server_max_window_bits");
            let mut resp = String::from(NAME);
            if p.server_no_context_takeover {
                resp.push_str("; server_no_context_takeover");
            }
            if p.client_no_context_takeover {
                resp.push_str("; client_no_context_takeover");
            }
            if bits_asked {
                resp.push_str(&format!(
                    "; server_max_window_bits={}",
                    p.server_max_window_bits
                ));
            }
            (p, resp)
        })
}

/// Client side: checks the server's answer against what this client offered
/// (`offer`, the extension table's offer string) and returns the parameters to
/// use. An answer naming an extension not offered, or a parameter the client did
/// not allow, fails the handshake (RFC 6455 4.1, RFC 7692 5).
pub fn check_response(offer: &str, response: &str) -> Result<PmdParams, NegotiationError> {
    let bad = |why: &str| NegotiationError(format!("Sec-WebSocket-Extensions: {why}"));
    let offered = parse_extension_list(offer).ok_or_else(|| bad("unparsable offer"))?;
    let answered = parse_extension_list(response).ok_or_else(|| bad("unparsable response"))?;
    let [item] = answered.as_slice() else {
        return Err(bad("expected exactly one extension in the response"));
    };
    if !offered.iter().any(|o| o.name == item.name) {
        return Err(bad(&format!("{} was not offered", item.name)));
    }
    if item.name != NAME {
        return Err(bad(&format!("{} is not supported", item.name)));
    }
    let (agreed, answered_client_bits) = read_params(item, false)?;
    // The answer accepts one of the offers (a client may offer several
    // alternatives): it is good if it fits any; otherwise the first one's
    // objection is the reason.
    let mut first_err = None;
    for ours in offered.iter().filter(|o| o.name == NAME) {
        match answer_fits(agreed, answered_client_bits, ours) {
            Ok(p) => return Ok(p),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| bad("no usable offer")))
}

/// The parameters to use when the server's answer (`agreed`, naming
/// `client_max_window_bits` or not) accepts the offer `ours`.
fn answer_fits(
    mut agreed: PmdParams,
    answered_client_bits: bool,
    ours: &ExtensionItem,
) -> Result<PmdParams, NegotiationError> {
    let bad = |why: &str| NegotiationError(format!("Sec-WebSocket-Extensions: {why}"));
    let (asked, offered_client_bits) = read_params(ours, true)?;
    if answered_client_bits && !offered_client_bits {
        return Err(bad("client_max_window_bits was not offered"));
    }
    if agreed.server_max_window_bits > asked.server_max_window_bits {
        return Err(bad("server_max_window_bits above the offer"));
    }
    if !answered_client_bits {
        // No limit from the server: the client keeps the one it offered
        // (RFC 7692 7.1.2.2), which an answer without the parameter accepts.
        agreed.client_max_window_bits = asked.client_max_window_bits;
    } else if agreed.client_max_window_bits > asked.client_max_window_bits {
        return Err(bad("client_max_window_bits above the offer"));
    }
    // What the client offered to do it does, whether or not the server repeated it.
    agreed.client_no_context_takeover |= asked.client_no_context_takeover;
    Ok(agreed)
}

/// A vhost's permessage-deflate, from its extension table (lws's default
/// compression level is 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeflateConfig {
    /// What a client connection offers (the table entry's `client_offer`).
    pub client_offer: String,
    /// zlib level 0..=9 for what this side sends.
    pub level: u32,
}

/// Which end of the connection we are, for the agreed parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Server,
    Client,
}

impl PmdParams {
    /// The compressor for what `role` sends.
    pub fn deflater(&self, role: Role, level: u32) -> Deflater {
        match role {
            Role::Server => Deflater::new(
                self.server_max_window_bits,
                level,
                self.server_no_context_takeover,
            ),
            Role::Client => Deflater::new(
                self.client_max_window_bits,
                level,
                self.client_no_context_takeover,
            ),
        }
    }

    /// The decompressor for what `role` receives.
    pub fn inflater(&self, role: Role) -> Inflater {
        match role {
            Role::Server => Inflater::new(self.client_no_context_takeover),
            Role::Client => Inflater::new(self.server_no_context_takeover),
        }
    }
}

/// A deflate stream that went wrong: corrupt input, or zlib refusing a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

/// The sending half: compresses messages fragment by fragment.
pub struct Deflater {
    z: Compress,
    reset_each_message: bool,
    /// The window is too small for zlib: only stored blocks are sent.
    stored_only: bool,
}

impl Deflater {
    /// `window_bits` 8..=15 as agreed; zlib cannot make a raw deflate stream with
    /// a 256-byte window, so 8 sends stored blocks, which refer to no window at all.
    pub fn new(window_bits: u8, level: u32, no_context_takeover: bool) -> Deflater {
        let (level, bits) = match window_bits {
            0..=8 => (0, 9),
            b => (level.min(9), b.min(15)),
        };
        Deflater {
            z: Compress::new_with_window_bits(Compression::new(level), false, bits),
            reset_each_message: no_context_takeover,
            stored_only: window_bits <= 8,
        }
    }

    /// Changes the level for what is compressed from now on.
    pub fn set_level(&mut self, level: u32) -> Result<(), CodecError> {
        if self.stored_only {
            return Ok(());
        }
        self.z
            .set_level(Compression::new(level.min(9)))
            .map_err(|e| CodecError(format!("deflate: {e}")))
    }

    /// Appends the compressed form of `input` to `out`; `fin` ends the message,
    /// whose tail is then removed (RFC 7692 7.2.1).
    pub fn compress(
        &mut self,
        input: &[u8],
        fin: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), CodecError> {
        let start = out.len();
        let mut consumed = 0usize;
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(input.len() / 2 + 256);
            }
            let before = self.z.total_in();
            self.z
                .compress_vec(&input[consumed..], out, FlushCompress::Sync)
                .map_err(|e| CodecError(format!("deflate: {e}")))?;
            consumed += (self.z.total_in() - before) as usize;
            // A sync flush is complete once zlib stops with output room left.
            if consumed == input.len() && out.len() < out.capacity() {
                break;
            }
        }
        if fin {
            if out.len() - start >= TAIL.len() && out.ends_with(&TAIL) {
                out.truncate(out.len() - TAIL.len());
            } else if out.len() == start {
                // zlib emits nothing for a sync flush with nothing new since the
                // last one (an empty message, or an empty final fragment), yet the
                // receiver appends the tail to whatever comes: send the header of
                // an empty stored block for it to complete (RFC 7692 7.2.3.6).
                out.push(0);
            }
            if self.reset_each_message {
                self.z.reset();
            }
        }
        Ok(())
    }
}

/// The receiving half: inflates a message in steps of a caller-chosen size.
pub struct Inflater {
    z: Decompress,
    reset_each_message: bool,
    /// Compressed bytes handed over and not yet consumed by zlib.
    input: Vec<u8>,
    /// Bytes of `input` already consumed.
    read: usize,
    /// The message's end was signalled (the tail is in `input`).
    ending: bool,
}

impl Inflater {
    /// Always inflates with a 32 KiB window: a stream made with a smaller one
    /// inflates the same.
    pub fn new(no_context_takeover: bool) -> Inflater {
        Inflater {
            z: Decompress::new_with_window_bits(false, 15),
            reset_each_message: no_context_takeover,
            input: Vec::new(),
            read: 0,
            ending: false,
        }
    }

    /// Hands over compressed payload of the current message.
    pub fn push(&mut self, compressed: &[u8]) {
        if self.read == self.input.len() {
            self.input.clear();
            self.read = 0;
        }
        self.input.extend_from_slice(compressed);
    }

    /// Marks the end of the current message (its final frame's payload was pushed).
    pub fn end_message(&mut self) {
        self.input.extend_from_slice(&TAIL);
        self.ending = true;
    }

    /// Appends up to `max` inflated bytes to `out`; returns how many. Zero means
    /// everything pushed so far has been inflated (and, after `end_message`, that
    /// the message is complete and the inflater ready for the next one).
    pub fn pull(&mut self, out: &mut Vec<u8>, max: usize) -> Result<usize, CodecError> {
        let start = out.len();
        out.resize(start + max, 0);
        let mut filled = start;
        let result = loop {
            if filled == out.len() {
                break Ok(());
            }
            let (in0, out0) = (self.z.total_in(), self.z.total_out());
            let status = self.z.decompress(
                &self.input[self.read..],
                &mut out[filled..],
                FlushDecompress::Sync,
            );
            let used = (self.z.total_in() - in0) as usize;
            let made = (self.z.total_out() - out0) as usize;
            self.read += used;
            filled += made;
            match status {
                Err(e) => break Err(CodecError(format!("inflate: {e}"))),
                // A block with BFINAL set ends this deflate stream (RFC 7692
                // 7.2.3.4): what follows, if more than the tail, is a new one.
                Ok(Status::StreamEnd) => {
                    self.z.reset(false);
                    if self.ending && &self.input[self.read..] == TAIL.as_slice() {
                        self.read = self.input.len();
                    }
                }
                Ok(_) if used == 0 && made == 0 => break Ok(()),
                Ok(_) => {}
            }
        };
        out.truncate(filled);
        result?;
        let produced = filled - start;
        if produced == 0 && self.read == self.input.len() {
            self.input.clear();
            self.read = 0;
            if self.ending {
                self.ending = false;
                if self.reset_each_message {
                    self.z.reset(false);
                }
            }
        }
        Ok(produced)
    }

    /// Compressed input still waiting to be inflated.
    pub fn has_input(&self) -> bool {
        self.read < self.input.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate_all(inf: &mut Inflater, payload: &[u8], step: usize) -> Vec<u8> {
        inf.push(payload);
        inf.end_message();
        let mut out = Vec::new();
        while inf.pull(&mut out, step).map_or(0, |n| n) > 0 {}
        out
    }

    #[test]
    fn rfc7692_hello_examples_spec_7_2_3() {
        // 7.2.3.1: "Hello" as one compressed message.
        let mut inf = Inflater::new(false);
        let msg = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
        assert_eq!(inflate_all(&mut inf, &msg, 1024), b"Hello");
        // 7.2.3.2: a second "Hello" with context takeover refers back to the first.
        assert_eq!(
            inflate_all(&mut inf, &[0xf2, 0x00, 0x11, 0x00, 0x00], 1024),
            b"Hello"
        );
        // 7.2.3.3: stored block.
        let mut inf = Inflater::new(false);
        let stored = [
            0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
        ];
        assert_eq!(inflate_all(&mut inf, &stored, 1024), b"Hello");
        // 7.2.3.4: a block with BFINAL set.
        let mut inf = Inflater::new(false);
        assert_eq!(
            inflate_all(&mut inf, &[0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], 3),
            b"Hello"
        );
    }

    #[test]
    fn every_window_and_takeover_round_trips_across_fragments() {
        let text: Vec<u8> = (0..4_000u32)
            .flat_map(|i| format!("{{\"n\":{},\"k\":\"v{}\"}}", i % 97, i % 13).into_bytes())
            .collect();
        for bits in 8..=15u8 {
            for no_takeover in [false, true] {
                let mut def = Deflater::new(bits, 1, no_takeover);
                let mut inf = Inflater::new(no_takeover);
                for round in 0..3 {
                    let mut wire = Vec::new();
                    for (i, frag) in text.chunks(7001).enumerate() {
                        let fin = (i + 1) * 7001 >= text.len();
                        def.compress(frag, fin, &mut wire)
                            .unwrap_or_else(|e| panic!("{e:?}"));
                    }
                    assert!(!wire.ends_with(&TAIL), "bits {bits} round {round}");
                    if bits > 8 {
                        assert!(
                            wire.len() < text.len() / 2,
                            "bits {bits}: {} bytes",
                            wire.len()
                        );
                    }
                    assert_eq!(
                        inflate_all(&mut inf, &wire, 4096),
                        text,
                        "bits {bits} round {round}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_empty_message_after_a_flush_still_inflates_rfc7692_7_2_3_6() {
        // Each message (and the empty final fragment of a fragmented one) must
        // leave the receiver's appended tail a complete block.
        let mut def = Deflater::new(15, 1, false);
        let mut inf = Inflater::new(false);
        for msg in [&b""[..], b"", b"abc", b"", b"xyz"] {
            let mut wire = Vec::new();
            def.compress(msg, true, &mut wire)
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert!(!wire.is_empty());
            assert_eq!(inflate_all(&mut inf, &wire, 64), msg);
        }
        let mut wire = Vec::new();
        def.compress(b"first part", false, &mut wire)
            .unwrap_or_else(|e| panic!("{e:?}"));
        def.compress(b"", true, &mut wire)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(inflate_all(&mut inf, &wire, 64), b"first part");
    }

    #[test]
    fn empty_message_and_bounded_steps() {
        let mut def = Deflater::new(15, 1, false);
        let mut wire = Vec::new();
        def.compress(b"", true, &mut wire)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut inf = Inflater::new(false);
        assert_eq!(inflate_all(&mut inf, &wire, 16), b"");
        // A 1 MiB run of zeros compresses to ~10 KiB at level 1; each pull gives at most its step.
        let zeros = vec![0u8; 1 << 20];
        let mut wire = Vec::new();
        def.compress(&zeros, true, &mut wire)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(wire.len() < 16 * 1024, "{}", wire.len());
        inf.push(&wire);
        inf.end_message();
        let (mut total, mut out) = (0, Vec::new());
        loop {
            out.clear();
            let n = inf.pull(&mut out, 1000).unwrap_or_else(|e| panic!("{e:?}"));
            assert!(n <= 1000 && out.len() == n);
            if n == 0 {
                break;
            }
            total += n;
        }
        assert_eq!(total, zeros.len());
    }

    #[test]
    fn empty_messages_in_a_row_and_empty_final_fragments() {
        // Found by the ws_roundtrip fuzz target: the second empty message in a
        // row came out as nothing, and the receiver lost the stream's framing.
        for bits in [8, 15] {
            let mut def = Deflater::new(bits, 6, false);
            let mut inf = Inflater::new(false);
            for message in [&[][..], b"", b"abc", b"", b"", b"xyz"] {
                let mut wire = Vec::new();
                def.compress(message, true, &mut wire)
                    .unwrap_or_else(|e| panic!("{e:?}"));
                assert_eq!(inflate_all(&mut inf, &wire, 16), message, "bits {bits}");
            }
            let mut wire = Vec::new();
            for (frag, fin) in [(&b"abc"[..], false), (b"", false), (b"", true)] {
                def.compress(frag, fin, &mut wire)
                    .unwrap_or_else(|e| panic!("{e:?}"));
            }
            assert_eq!(inflate_all(&mut inf, &wire, 16), b"abc", "bits {bits}");
        }
    }

    #[test]
    fn corrupt_data_is_an_error() {
        let mut inf = Inflater::new(false);
        inf.push(&[0xff, 0xff, 0xff, 0xff, 0x12]);
        inf.end_message();
        let mut out = Vec::new();
        assert!(inf.pull(&mut out, 100).is_err());
    }

    #[test]
    fn extension_list_grammar() {
        let l = parse_extension_list(
            "permessage-deflate; client_max_window_bits, permessage-deflate; server_max_window_bits=\"10\" , x-foo",
        )
        .unwrap_or_default();
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].params, vec![("client_max_window_bits".into(), None)]);
        assert_eq!(
            l[1].params,
            vec![("server_max_window_bits".into(), Some("10".into()))]
        );
        assert_eq!(l[2].name, "x-foo");
        for bad in [
            "permessage-deflate; a=\"1",
            "per message",
            "permessage-deflate; =3",
            "a; b=\"x y\"",
        ] {
            assert_eq!(parse_extension_list(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_accepted_window_limit_is_always_answered() {
        let offers = parse_extension_list("permessage-deflate; server_max_window_bits=15")
            .unwrap_or_default();
        let (_, resp) = accept_offer(&offers).unwrap_or_else(|| panic!("not accepted"));
        assert_eq!(resp, "permessage-deflate; server_max_window_bits=15");
    }

    #[test]
    fn server_takes_the_first_acceptable_offer() {
        let offers = parse_extension_list(
            "permessage-deflate; server_max_window_bits=7, permessage-deflate; bogus, \
             permessage-deflate; server_no_context_takeover; client_max_window_bits; server_max_window_bits=10",
        )
        .unwrap_or_default();
        let (p, resp) = accept_offer(&offers).unwrap_or_else(|| panic!("no offer accepted"));
        assert!(p.server_no_context_takeover && !p.client_no_context_takeover);
        assert_eq!(p.server_max_window_bits, 10);
        assert_eq!(
            resp,
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
        );
        let dup = parse_extension_list(
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        )
        .unwrap_or_default();
        assert_eq!(accept_offer(&dup), None);
        assert_eq!(
            accept_offer(&parse_extension_list("x-webkit-deflate-frame").unwrap_or_default()),
            None
        );
    }

    #[test]
    fn client_checks_the_answer_against_its_offer() {
        let offer = "permessage-deflate; client_no_context_takeover; client_max_window_bits";
        let p = check_response(
            offer,
            "permessage-deflate; server_max_window_bits=12; client_max_window_bits=9",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (p.server_max_window_bits, p.client_max_window_bits),
            (12, 9)
        );
        assert!(p.client_no_context_takeover);
        for bad in [
            "x-foo",
            "permessage-deflate, permessage-deflate",
            "permessage-deflate; client_max_window_bits",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=08",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; mystery",
        ] {
            assert!(check_response(offer, bad).is_err(), "{bad}");
        }
        assert!(check_response(
            "permessage-deflate",
            "permessage-deflate; client_max_window_bits=10"
        )
        .is_err());
        assert!(check_response(
            "permessage-deflate; server_max_window_bits=10",
            "permessage-deflate; server_max_window_bits=11"
        )
        .is_err());
    }

    #[test]
    fn client_accepts_what_the_server_answers_to_its_offer() {
        // Found by the ws_extensions fuzz target: our server's answer to an offer
        // with client_max_window_bits=12 omits the parameter, which our client
        // refused ("above the offer"); and an answer to the second of two offers
        // was checked against the first.
        for offer in [
            "permessage-deflate; client_max_window_bits=12",
            "foo; bar=\"baz\", permessage-deflate; client_max_window_bits=12",
            "permessage-deflate; bogus, permessage-deflate; server_no_context_takeover",
            "permessage-deflate; server_max_window_bits=7, permessage-deflate",
        ] {
            let offers = parse_extension_list(offer).unwrap_or_default();
            let (server, answer) =
                accept_offer(&offers).unwrap_or_else(|| panic!("{offer}: not accepted"));
            let client =
                check_response(offer, &answer).unwrap_or_else(|e| panic!("{offer}: {e:?}"));
            assert_eq!(
                client.server_no_context_takeover,
                server.server_no_context_takeover
            );
            assert_eq!(client.server_max_window_bits, server.server_max_window_bits);
            assert_eq!(client.client_max_window_bits, server.client_max_window_bits);
        }
        let p = check_response(
            "permessage-deflate; client_max_window_bits=12",
            "permessage-deflate",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.client_max_window_bits, 12);
    }
}
