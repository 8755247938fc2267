//! The POSTed-form parser behind `lws_spa_*`: application/x-www-form-urlencoded
//! and multipart/form-data bodies, fed in pieces of any size.
//!
//! Values of the fields the caller named are kept (urldecoded when urlencoded)
//! within a storage budget; file parts (a `filename=` in their disposition) are
//! handed to an [`UploadSink`] in chunks no larger than the budget's free room,
//! so an upload of any size is parsed in bounded memory. The rules follow lws
//! 4.3.3 (lib/roles/http/server/lws-spa.c) where they are well defined:
//!
//! - storage: a kept value of `L` bytes uses `L + 1` (its NUL); a value fits
//!   while `used + L + 1 < max_storage`, otherwise the call that reaches the
//!   limit fails. Empty values are not kept (the field reads as undefined).
//!   A repeated field keeps its first value; its length counts every value.
//! - file chunks: a chunk is delivered when it reaches
//!   `max_storage - used - 1` bytes less any bytes held back as a possible
//!   boundary, as lws does, then the remainder (possibly empty) as final.
//! - urlencoded names are at most 31 bytes (a longer one is an error) and are
//!   not decoded; `%` must be followed by two hex digits.
//! - multipart names are cut at 31 bytes and filenames at 255; part headers
//!   are matched case-insensitively; a body without a boundary yields nothing.
//!
//! Where lws reads uninitialised memory or overruns its buffer (a bare name
//! followed by `&`, a value filling the storage while a boundary is half
//! matched, a `;` inside a quoted filename), this parser does the evident
//! thing instead; docs/COMPAT.md lists the differences.
#![forbid(unsafe_code)]

use std::ffi::CStr;
use std::fmt;

/// Storage used when the caller passes 0 (lws's default).
pub const DEFAULT_STORAGE: usize = 512;
/// lws reads the Content-Type into 205 bytes: a longer header is unreadable
/// and the body is taken as urlencoded.
pub const CONTENT_TYPE_ROOM: usize = 205;
/// Longest field name, urlencoded (longer is an error) or multipart (cut).
const NAME_MAX: usize = 31;
/// Longest filename kept from a part's disposition.
const FILENAME_MAX: usize = 255;
/// Longest disposition parameter key (`name`, `filename`, ...).
const KEY_MAX: usize = 31;
/// Longest boundary kept from the Content-Type (lws: 128 bytes with the
/// leading CRLF, two dashes and the NUL).
const BOUNDARY_MAX: usize = 123;
/// The part headers lws recognises, lowercase; the empty line ends them.
const PART_HEADERS: [&[u8]; 3] = [b"content-disposition: ", b"content-type: ", b"\r\n"];

/// Where a file upload is (`enum lws_spa_fileupload_states`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadState {
    /// A chunk of the file.
    Content,
    /// The last chunk of the file, possibly empty.
    FinalContent,
    /// A file starts.
    Open,
    /// The parser is finishing (always delivered, file or not).
    Close,
}

/// One call to the upload receiver.
#[derive(Debug)]
pub struct Upload<'a> {
    /// The field name of the part (the last field name for `Close`).
    pub name: &'a CStr,
    /// The client's filename (empty for `Close` after the last part).
    pub filename: &'a CStr,
    /// The bytes (empty for `Open`); None only for `Close`. The receiver may
    /// change them.
    pub data: Option<&'a mut [u8]>,
    pub state: UploadState,
}

/// Receives file parts; returns false to abort parsing (an lws callback that
/// returned a negative value).
pub trait UploadSink {
    fn deliver(&mut self, upload: Upload<'_>) -> bool;
}

/// Why parsing stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    NameTooLong,
    BadEscape(u8),
    StorageExceeded(String),
    UploadRefused,
    /// Input after an earlier error.
    AlreadyFailed,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::NameTooLong => write!(f, "form field name longer than {NAME_MAX} bytes"),
            FormError::BadEscape(b) => write!(f, "bad %-escape in a form value (byte 0x{b:02x})"),
            FormError::StorageExceeded(name) => {
                write!(f, "form field '{name}' exceeds the parser's max_storage")
            }
            FormError::UploadRefused => write!(f, "the file upload callback refused the data"),
            FormError::AlreadyFailed => write!(f, "form body after a parse error"),
        }
    }
}

/// How the body is encoded, from the request's Content-Type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    UrlEncoded,
    /// `delimiter` is CRLF, `--` and the boundary; None when the header named
    /// no boundary (then no part can be found).
    Multipart {
        delimiter: Option<Vec<u8>>,
    },
}

impl Encoding {
    /// lws's reading of the Content-Type (None: absent or unreadable).
    pub fn from_content_type(content_type: Option<&[u8]>) -> Encoding {
        let Some(ct) = content_type else {
            return Encoding::UrlEncoded;
        };
        if !ct.starts_with(b"multipart/form-data") && !ct.starts_with(b"multipart/related") {
            return Encoding::UrlEncoded;
        }
        const KEY: &[u8] = b"boundary=";
        let delimiter = ct.windows(KEY.len()).position(|w| w == KEY).map(|at| {
            let mut rest = &ct[at + KEY.len()..];
            if rest.first() == Some(&b'"') {
                rest = &rest[1..];
            }
            let mut d = b"\r\n--".to_vec();
            d.extend(
                rest.iter()
                    .take_while(|&&c| !matches!(c, b' ' | b';' | b'"' | 0))
                    .take(BOUNDARY_MAX),
            );
            d
        });
        Encoding::Multipart { delimiter }
    }
}

/// A byte string kept NUL-terminated, so that it can be lent to C as it is.
#[derive(Debug)]
struct CText(Vec<u8>);

impl CText {
    fn new() -> CText {
        CText(vec![0])
    }
    fn len(&self) -> usize {
        self.0.len() - 1
    }
    /// Empty as C sees it (lws tests `filename[0]`): a text starting
    /// with a NUL is empty.
    fn is_empty(&self) -> bool {
        self.0.first() == Some(&0)
    }
    fn clear(&mut self) {
        self.0.clear();
        self.0.push(0);
    }
    fn push(&mut self, b: u8) {
        self.0.pop();
        self.0.push(b);
        self.0.push(0);
    }
    /// What C sees: up to the first NUL.
    fn as_cstr(&self) -> &CStr {
        CStr::from_bytes_until_nul(&self.0).unwrap_or(c"")
    }
}

/// Where the bytes of the current value go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Discard,
    Field(usize),
    File,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UrlState {
    /// Between fields: the previous name is still the current one.
    NameStart,
    Name,
    Value,
    Escape1,
    Escape2(u8),
}

/// Which disposition parameter the bytes after `=` belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DispKey {
    /// The disposition type (`form-data`), before the first `;`.
    Kind,
    Name,
    Filename,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartState {
    /// Part data (or the preamble), watching for the delimiter.
    Data,
    /// Just after a delimiter: CRLF starts headers, `--` ends the body.
    AfterDelimiter,
    /// One `-` after a delimiter.
    Dash,
    /// Waiting for the LF that ends a line.
    LineEnd,
    /// At the start of a header line: `matched` bytes agree with the
    /// `candidates` (bit per entry of PART_HEADERS).
    HeaderName { matched: usize, candidates: u8 },
    /// A Content-Disposition value.
    Disposition { key: DispKey, in_key: bool },
    /// A header line that is skipped.
    SkipLine,
    /// After the closing delimiter: the rest is ignored.
    Completed,
}

#[derive(Debug)]
enum Machine {
    UrlEncoded(UrlState),
    Multipart {
        /// Empty when there is no boundary.
        delimiter: Vec<u8>,
        state: PartState,
        /// Delimiter bytes matched so far (held back from the data).
        held: usize,
        /// Inside double quotes in a disposition.
        quoted: bool,
        /// The disposition parameter key being read.
        key: Vec<u8>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Parsing,
    Failed,
    Finalized,
}

/// A kept field: its first value (NUL-terminated) and the length of all.
#[derive(Debug, Default)]
struct Kept {
    first: Option<Box<[u8]>>,
    length: usize,
}

/// The stateful parser of one request body.
#[derive(Debug)]
pub struct FormParser {
    names: Vec<Vec<u8>>,
    kept: Vec<Kept>,
    storage: usize,
    used: usize,
    machine: Machine,
    phase: Phase,
    name: CText,
    filename: CText,
    target: Target,
    /// The current value of a kept field, or the current file chunk.
    pending: Vec<u8>,
}

impl FormParser {
    /// A parser for fields `names` (matched exactly, like strcmp) keeping at
    /// most `max_storage` bytes (0: [`DEFAULT_STORAGE`]).
    pub fn new(encoding: Encoding, names: Vec<Vec<u8>>, max_storage: usize) -> FormParser {
        let storage = if max_storage == 0 {
            DEFAULT_STORAGE
        } else {
            max_storage
        };
        let machine = match encoding {
            Encoding::UrlEncoded => Machine::UrlEncoded(UrlState::NameStart),
            Encoding::Multipart { delimiter } => Machine::Multipart {
                delimiter: delimiter.unwrap_or_default(),
                state: PartState::Data,
                // The body may start with the delimiter without its CRLF.
                held: 2,
                quoted: false,
                key: Vec::new(),
            },
        };
        let kept = names.iter().map(|_| Kept::default()).collect();
        FormParser {
            names,
            kept,
            storage,
            used: 0,
            machine,
            phase: Phase::Parsing,
            name: CText::new(),
            filename: CText::new(),
            target: Target::Discard,
            // A real buffer from the start, so even an empty chunk lends a
            // pointer into allocated memory.
            pending: Vec::with_capacity(storage.min(64 * 1024)),
        }
    }

    /// Whether the body named no boundary although it is multipart.
    pub fn lacks_boundary(&self) -> bool {
        matches!(&self.machine, Machine::Multipart { delimiter, .. } if delimiter.is_empty())
    }

    pub fn is_finalized(&self) -> bool {
        self.phase == Phase::Finalized
    }

    /// The first value of field `n` with its NUL, None when it had none.
    pub fn value(&self, n: usize) -> Option<&[u8]> {
        self.kept.get(n)?.first.as_deref()
    }

    /// The length of all values of field `n` (0 when unknown).
    pub fn length(&self, n: usize) -> usize {
        self.kept.get(n).map_or(0, |k| k.length)
    }

    /// Parses the next piece of the body. Input after finalize is ignored.
    pub fn process(&mut self, input: &[u8], sink: &mut dyn UploadSink) -> Result<(), FormError> {
        match self.phase {
            Phase::Finalized => return Ok(()),
            Phase::Failed => return Err(FormError::AlreadyFailed),
            Phase::Parsing => {}
        }
        let r = if matches!(self.machine, Machine::UrlEncoded(_)) {
            input.iter().try_for_each(|&b| self.url_byte(b))
        } else {
            self.multipart(input, sink)
        };
        if r.is_err() {
            self.phase = Phase::Failed;
        }
        r
    }

    /// The body is complete: an urlencoded value still open is ended (its
    /// storage error, if any, is returned after Close was delivered), then
    /// the sink hears Close. Later calls do nothing.
    pub fn finalize(&mut self, sink: &mut dyn UploadSink) -> Result<(), FormError> {
        if self.phase == Phase::Finalized {
            return Ok(());
        }
        let ended = match (self.phase, &self.machine) {
            (Phase::Parsing, Machine::UrlEncoded(UrlState::Value)) => self.end_value(sink),
            _ => Ok(()),
        };
        self.phase = Phase::Finalized;
        sink.deliver(Upload {
            name: self.name.as_cstr(),
            filename: self.filename.as_cstr(),
            data: None,
            state: UploadState::Close,
        });
        ended
    }

    fn lookup(&self) -> Option<usize> {
        let name = self.name.as_cstr().to_bytes();
        self.names.iter().position(|n| n == name)
    }

    /// Fails when the value being kept has no room for another byte.
    fn check_room(&self) -> Result<(), FormError> {
        match self.target {
            Target::Field(_) if self.used + self.pending.len() + 1 >= self.storage => Err(
                FormError::StorageExceeded(self.name.as_cstr().to_string_lossy().into_owned()),
            ),
            _ => Ok(()),
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.target != Target::Discard {
            self.pending.extend_from_slice(bytes);
        }
    }

    /// Ends the current value: keeps a field's, delivers a file's last chunk.
    fn end_value(&mut self, sink: &mut dyn UploadSink) -> Result<(), FormError> {
        let r = match self.target {
            Target::Discard => Ok(()),
            Target::File => self.emit(sink, UploadState::FinalContent),
            Target::Field(n) => self.keep(n),
        };
        self.pending.clear();
        self.target = Target::Discard;
        r
    }

    fn keep(&mut self, n: usize) -> Result<(), FormError> {
        let len = self.pending.len();
        if len == 0 {
            return Ok(());
        }
        self.check_room()?;
        let kept = &mut self.kept[n];
        if kept.first.is_none() {
            let mut v = Vec::with_capacity(len + 1);
            v.extend_from_slice(&self.pending);
            v.push(0);
            kept.first = Some(v.into_boxed_slice());
        }
        kept.length += len;
        self.used += len + 1;
        Ok(())
    }

    /// Hands the pending bytes to the sink as `state` and empties them.
    fn emit(&mut self, sink: &mut dyn UploadSink, state: UploadState) -> Result<(), FormError> {
        let ok = sink.deliver(Upload {
            name: self.name.as_cstr(),
            filename: self.filename.as_cstr(),
            data: Some(&mut self.pending[..]),
            state,
        });
        self.pending.clear();
        if ok {
            Ok(())
        } else {
            Err(FormError::UploadRefused)
        }
    }

    fn url_byte(&mut self, b: u8) -> Result<(), FormError> {
        let Machine::UrlEncoded(state) = self.machine else {
            return Ok(());
        };
        let next = match state {
            UrlState::NameStart | UrlState::Name => {
                if state == UrlState::NameStart {
                    self.name.clear();
                }
                match b {
                    b'=' => {
                        self.target = self.lookup().map_or(Target::Discard, Target::Field);
                        UrlState::Value
                    }
                    // A bare name: an empty value, not kept.
                    b'&' => UrlState::NameStart,
                    _ if self.name.len() >= NAME_MAX => return Err(FormError::NameTooLong),
                    _ => {
                        self.name.push(b);
                        UrlState::Name
                    }
                }
            }
            UrlState::Value => {
                self.check_room()?;
                match b {
                    b'%' => UrlState::Escape1,
                    b'&' => {
                        self.keep_or_drop()?;
                        UrlState::NameStart
                    }
                    b'+' => {
                        self.take(b" ");
                        UrlState::Value
                    }
                    _ => {
                        self.take(&[b]);
                        UrlState::Value
                    }
                }
            }
            UrlState::Escape1 => {
                self.check_room()?;
                UrlState::Escape2(hex(b).ok_or(FormError::BadEscape(b))?)
            }
            UrlState::Escape2(hi) => {
                self.check_room()?;
                let lo = hex(b).ok_or(FormError::BadEscape(b))?;
                self.take(&[hi << 4 | lo]);
                UrlState::Value
            }
        };
        self.machine = Machine::UrlEncoded(next);
        Ok(())
    }

    /// Ends an urlencoded value (no sink: urlencoded bodies carry no files).
    fn keep_or_drop(&mut self) -> Result<(), FormError> {
        let r = match self.target {
            Target::Field(n) => self.keep(n),
            _ => Ok(()),
        };
        self.pending.clear();
        self.target = Target::Discard;
        r
    }

    fn multipart(&mut self, input: &[u8], sink: &mut dyn UploadSink) -> Result<(), FormError> {
        let mut i = 0;
        while i < input.len() {
            if let Some(n) = self.bulk_data(&input[i..], sink)? {
                i += n;
                continue;
            }
            self.part_byte(input[i], sink)?;
            i += 1;
        }
        Ok(())
    }

    /// The largest chunk a file part may reach with `held` bytes held back:
    /// lws's `out_len - mp - 1`, at least 1.
    fn file_room(&self, held: usize) -> usize {
        self.storage.saturating_sub(self.used + held + 1).max(1)
    }

    /// Fast path for file and skipped data with nothing held back: takes the
    /// bytes before the next CR at once. None when it does not apply.
    fn bulk_data(
        &mut self,
        input: &[u8],
        sink: &mut dyn UploadSink,
    ) -> Result<Option<usize>, FormError> {
        let Machine::Multipart {
            state: PartState::Data,
            held: 0,
            ..
        } = self.machine
        else {
            return Ok(None);
        };
        let run = input
            .iter()
            .position(|&c| c == b'\r')
            .unwrap_or(input.len());
        if run == 0 {
            return Ok(None);
        }
        match self.target {
            Target::Field(_) => Ok(None),
            Target::Discard => Ok(Some(run)),
            Target::File => {
                let room = self.file_room(0);
                let mut rest = &input[..run];
                while !rest.is_empty() {
                    if self.pending.len() >= room {
                        self.emit(sink, UploadState::Content)?;
                    }
                    let n = rest.len().min(room - self.pending.len());
                    self.pending.extend_from_slice(&rest[..n]);
                    rest = &rest[n..];
                }
                Ok(Some(run))
            }
        }
    }

    fn part_byte(&mut self, b: u8, sink: &mut dyn UploadSink) -> Result<(), FormError> {
        let Machine::Multipart {
            state,
            held,
            quoted,
            ..
        } = self.machine
        else {
            return Ok(());
        };
        let next = match state {
            PartState::Data => self.data_byte(b, held, sink)?,
            PartState::AfterDelimiter => match b {
                b'\r' => PartState::LineEnd,
                b'-' => PartState::Dash,
                _ => PartState::AfterDelimiter,
            },
            PartState::Dash => match b {
                b'\r' => PartState::LineEnd,
                b'-' => PartState::Completed,
                _ => PartState::Dash,
            },
            PartState::LineEnd => match b {
                b'\n' => PartState::HeaderName {
                    matched: 0,
                    candidates: (1 << PART_HEADERS.len()) - 1,
                },
                _ => PartState::LineEnd,
            },
            PartState::HeaderName {
                matched,
                candidates,
            } => self.header_name(b.to_ascii_lowercase(), matched, candidates),
            PartState::Disposition { key, in_key } => {
                self.disposition(b, key, in_key, quoted, sink)?
            }
            PartState::SkipLine => match b {
                b'\r' => PartState::LineEnd,
                _ => PartState::SkipLine,
            },
            PartState::Completed => PartState::Completed,
        };
        if let Machine::Multipart { state, .. } = &mut self.machine {
            *state = next;
        }
        Ok(())
    }

    /// One byte of part data, watching for the delimiter.
    fn data_byte(
        &mut self,
        b: u8,
        held: usize,
        sink: &mut dyn UploadSink,
    ) -> Result<PartState, FormError> {
        // Before each byte, as lws: a full file chunk goes out, a field value
        // that cannot grow fails.
        if self.target == Target::File && self.pending.len() >= self.file_room(held) {
            self.emit(sink, UploadState::Content)?;
        }
        self.check_room()?;
        let Machine::Multipart { delimiter, .. } = &self.machine else {
            return Ok(PartState::Data);
        };
        if delimiter.get(held) == Some(&b) {
            if held + 1 < delimiter.len() {
                self.set_held(held + 1);
                return Ok(PartState::Data);
            }
            self.set_held(0);
            self.end_value(sink)?;
            self.name.clear();
            self.filename.clear();
            return Ok(PartState::AfterDelimiter);
        }
        // The held bytes were data after all. The delimiter's only CR is its
        // first byte, so this byte can only start a new match.
        let restart = delimiter.first() == Some(&b);
        if held > 0 && self.target != Target::Discard {
            let flushed = delimiter[..held.min(delimiter.len())].to_vec();
            self.take(&flushed);
        }
        if restart {
            self.set_held(1);
        } else {
            self.set_held(0);
            self.take(&[b]);
        }
        Ok(PartState::Data)
    }

    fn set_held(&mut self, n: usize) {
        if let Machine::Multipart { held, .. } = &mut self.machine {
            *held = n;
        }
    }

    fn header_name(&mut self, c: u8, matched: usize, candidates: u8) -> PartState {
        let mut left = candidates;
        let mut hit = None;
        for (n, h) in PART_HEADERS.iter().enumerate() {
            if left & (1 << n) == 0 {
                continue;
            }
            if h.get(matched) != Some(&c) {
                left &= !(1 << n);
            } else if matched + 1 == h.len() {
                hit = Some(n);
                break;
            }
        }
        match hit {
            None if left == 0 => PartState::SkipLine,
            None => PartState::HeaderName {
                matched: matched + 1,
                candidates: left,
            },
            Some(0) => {
                if let Machine::Multipart { quoted, .. } = &mut self.machine {
                    *quoted = false;
                }
                PartState::Disposition {
                    key: DispKey::Kind,
                    in_key: false,
                }
            }
            Some(1) => PartState::SkipLine,
            Some(_) => {
                // The empty line: the part's data follows.
                self.target = if !self.filename.is_empty() {
                    Target::File
                } else {
                    self.lookup().map_or(Target::Discard, Target::Field)
                };
                PartState::Data
            }
        }
    }

    /// `form-data; name="file"; filename="t.txt"`, a byte at a time.
    fn disposition(
        &mut self,
        b: u8,
        key: DispKey,
        in_key: bool,
        quoted: bool,
        sink: &mut dyn UploadSink,
    ) -> Result<PartState, FormError> {
        let stay = |key, in_key| PartState::Disposition { key, in_key };
        if b == b'\r' {
            if !self.filename.is_empty() {
                self.target = Target::File;
                self.pending.clear();
                self.emit(sink, UploadState::Open)?;
            }
            return Ok(PartState::LineEnd);
        }
        let Machine::Multipart {
            quoted: q,
            key: keybuf,
            ..
        } = &mut self.machine
        else {
            return Ok(PartState::LineEnd);
        };
        if b == b';' && !quoted {
            keybuf.clear();
            return Ok(stay(DispKey::Other, true));
        }
        if b == b'"' {
            *q = !quoted;
            return Ok(stay(key, in_key));
        }
        if in_key {
            if b == b'=' {
                let k = match keybuf.as_slice() {
                    b"name" => DispKey::Name,
                    b"filename" => DispKey::Filename,
                    _ => DispKey::Other,
                };
                match k {
                    DispKey::Name => self.name.clear(),
                    DispKey::Filename => self.filename.clear(),
                    _ => {}
                }
                return Ok(stay(k, false));
            }
            if keybuf.len() < KEY_MAX && (b != b' ' || quoted) {
                keybuf.push(b);
            }
            return Ok(stay(key, true));
        }
        match key {
            DispKey::Name if self.name.len() < NAME_MAX => self.name.push(b),
            DispKey::Filename if self.filename.len() < FILENAME_MAX => self.filename.push(b),
            _ => {}
        }
        Ok(stay(key, false))
    }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests;
