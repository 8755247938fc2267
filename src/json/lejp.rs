//! LEJP, lws's streaming JSON parser: bytes go in in chunks of any size, and a
//! callback hears every structural event (object and array starts and ends,
//! member names, values, string chunks) together with the dotted path of where
//! it is (`a.b[].c`), the index of each enclosing array, and which of the
//! caller's path patterns (with `*` wildcards) the path matches.
//!
//! C programs keep the whole parser state in their own `struct lejp_ctx` and
//! read it directly from the callback (`ctx->path`, `ctx->buf`, `ctx->i[]` ...),
//! so [`Lejp`] holds exactly that state with the same numbers in it, and a
//! [`Host`] gets the state at every callback, may change it, and hands it back.
//! Nothing is allocated: the state is plain data that can be copied around.
#![forbid(unsafe_code)]

/// How many parsers can be stacked with [`Lejp::push`].
pub const PARSING_STACK_DEPTH: usize = 5;
/// How deeply objects, arrays and strings may nest.
pub const MAX_DEPTH: usize = 12;
/// How many enclosing arrays have their index tracked.
pub const INDEX_DEPTH: usize = 8;
/// Size of the path buffer, NUL included.
pub const PATH_LEN: usize = 128;
/// String values are delivered in chunks of this many bytes.
pub const STRING_CHUNK: usize = 254;

/// The per-level parser states (`enum lejp_states`); C code reads them in
/// `ctx->st[].s`.
pub mod state {
    /// Whitespace is significant in this state (strings, numbers, tokens).
    pub const WS_KEEP: u8 = 64;
    /// The rest of the line is a `#` comment.
    pub const COMMENTLINE: u8 = 32;

    pub const IDLE: u8 = 0;
    pub const MEMBERS: u8 = 1;
    pub const M_P: u8 = 2;
    pub const MP_STRING: u8 = WS_KEEP | 3;
    pub const MP_STRING_ESC: u8 = WS_KEEP | 4;
    pub const MP_STRING_ESC_U1: u8 = WS_KEEP | 5;
    pub const MP_STRING_ESC_U2: u8 = WS_KEEP | 6;
    pub const MP_STRING_ESC_U3: u8 = WS_KEEP | 7;
    pub const MP_STRING_ESC_U4: u8 = WS_KEEP | 8;
    pub const MP_DELIM: u8 = 9;
    pub const MP_VALUE: u8 = 10;
    pub const MP_VALUE_NUM_INT: u8 = WS_KEEP | 11;
    pub const MP_VALUE_NUM_EXP: u8 = WS_KEEP | 12;
    pub const MP_VALUE_TOK: u8 = WS_KEEP | 13;
    pub const MP_COMMA_OR_END: u8 = 14;
    pub const MP_ARRAY_END: u8 = 15;
}

/// Why the callback is called (`enum lejp_callbacks`).
pub mod reason {
    /// Set on the reasons that carry a value in `buf`.
    pub const IS_VALUE: u8 = 64;

    pub const CONSTRUCTED: u8 = 0;
    pub const DESTRUCTED: u8 = 1;
    pub const START: u8 = 2;
    pub const COMPLETE: u8 = 3;
    pub const FAILED: u8 = 4;
    pub const PAIR_NAME: u8 = 5;
    pub const VAL_TRUE: u8 = IS_VALUE | 6;
    pub const VAL_FALSE: u8 = IS_VALUE | 7;
    pub const VAL_NULL: u8 = IS_VALUE | 8;
    pub const VAL_NUM_INT: u8 = IS_VALUE | 9;
    pub const VAL_NUM_FLOAT: u8 = IS_VALUE | 10;
    pub const VAL_STR_START: u8 = 11;
    pub const VAL_STR_CHUNK: u8 = IS_VALUE | 12;
    pub const VAL_STR_END: u8 = IS_VALUE | 13;
    pub const ARRAY_START: u8 = 14;
    pub const ARRAY_END: u8 = 15;
    pub const OBJECT_START: u8 = 16;
    pub const OBJECT_END: u8 = 17;
}

/// What [`Lejp::parse`] returns besides the unused byte count
/// (`enum lejp_reasons`).
pub mod code {
    pub const CONTINUE: i32 = -1;
    pub const REJECT_IDLE_NO_BRACE: i32 = -2;
    pub const REJECT_MEMBERS_NO_CLOSE: i32 = -3;
    pub const REJECT_MP_NO_OPEN_QUOTE: i32 = -4;
    pub const REJECT_MP_STRING_UNDERRUN: i32 = -5;
    pub const REJECT_MP_ILLEGAL_CTRL: i32 = -6;
    pub const REJECT_MP_STRING_ESC_ILLEGAL_ESC: i32 = -7;
    pub const REJECT_ILLEGAL_HEX: i32 = -8;
    pub const REJECT_MP_DELIM_MISSING_COLON: i32 = -9;
    pub const REJECT_MP_DELIM_BAD_VALUE_START: i32 = -10;
    pub const REJECT_MP_VAL_NUM_INT_NO_FRAC: i32 = -11;
    pub const REJECT_MP_VAL_NUM_FORMAT: i32 = -12;
    pub const REJECT_MP_VAL_NUM_EXP_BAD_EXP: i32 = -13;
    pub const REJECT_MP_VAL_TOK_UNKNOWN: i32 = -14;
    pub const REJECT_MP_C_OR_E_UNDERF: i32 = -15;
    pub const REJECT_MP_C_OR_E_NOTARRAY: i32 = -16;
    pub const REJECT_MP_ARRAY_END_MISSING: i32 = -17;
    pub const REJECT_STACK_OVERFLOW: i32 = -18;
    pub const REJECT_MP_DELIM_ISTACK: i32 = -19;
    pub const REJECT_NUM_TOO_LONG: i32 = -20;
    pub const REJECT_MP_C_OR_E_NEITHER: i32 = -21;
    pub const REJECT_UNKNOWN: i32 = -22;
    pub const REJECT_CALLBACK: i32 = -23;
}

/// Flags of the number being assembled (`enum num_flags`, in `f`).
mod num {
    pub const SEEN_MINUS: u8 = 1;
    pub const SEEN_POINT: u8 = 2;
    pub const SEEN_POST_POINT: u8 = 4;
    pub const SEEN_EXP: u8 = 8;
}

/// The message for each error code, indexed by its negation.
const MESSAGES: [&str; 24] = [
    "",
    "",
    "No opening '{'",
    "Expected closing '}'",
    "Expected '\"'",
    "String underrun",
    "Illegal unescaped control char",
    "Illegal escape format",
    "Illegal hex number",
    "Expected ':'",
    "Illegal value start",
    "Digit required after decimal point",
    "Bad number format",
    "Bad exponent format",
    "Unknown token",
    "Too many ']'",
    "Mismatched ']'",
    "Expected ']'",
    "JSON nesting limit exceeded",
    "Nesting tracking used up",
    "Number too long",
    "Comma or block end expected",
    "Unknown",
    "Parser callback errored (see earlier error)",
];

/// The text for a [`parse`](Lejp::parse) result: "" for the non-errors
/// (0 and up, and CONTINUE), "Unknown error" for codes beyond the list.
pub fn error_text(code: i32) -> &'static str {
    let index = if code > 0 { 0 } else { code.unsigned_abs() };
    usize::try_from(index)
        .ok()
        .and_then(|i| MESSAGES.get(i))
        .copied()
        .unwrap_or("Unknown error")
}

/// One nesting level (`struct _lejp_stack`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Level {
    /// The level's state (`state::*`, plus the comment flag).
    pub s: u8,
    /// Path length to restore when the level is popped.
    pub p: u8,
    /// Index-stack depth to restore when the level is popped.
    pub i: u8,
    /// Free for the user.
    pub b: u8,
}

/// One stacked parser's share of the state (`struct _lejp_parsing_stack`,
/// without the user's pointers, which only the host knows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parser {
    pub count_paths: u8,
    /// Where this parser writes into the path buffer.
    pub ppos: u8,
    /// The match that was active when a parser was pushed on top of this one.
    pub path_match: u8,
}

/// The parser state, field for field what `struct lejp_ctx` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lejp {
    pub pst: [Parser; PARSING_STACK_DEPTH],
    pub st: [Level; MAX_DEPTH],
    /// Index within each enclosing array, outermost first.
    pub i: [u16; INDEX_DEPTH],
    /// Path offsets where each wildcard of the matched pattern begins.
    pub wild: [u16; INDEX_DEPTH],
    /// NUL-terminated dotted path of the current position.
    pub path: [u8; PATH_LEN],
    /// The value (or string chunk) being delivered, NUL-terminated.
    pub buf: [u8; STRING_CHUNK + 1],
    pub line: u32,
    pub uni: u16,
    pub npos: u8,
    pub dcount: u8,
    pub f: u8,
    pub sp: u8,
    pub ipos: u8,
    pub count_paths: u8,
    /// 1 + the index of the matching path pattern, or 0.
    pub path_match: u8,
    pub path_match_len: u8,
    pub wildcount: u8,
    pub pst_sp: u8,
    pub outer_array: u8,
}

impl Default for Lejp {
    fn default() -> Self {
        Lejp {
            pst: [Parser::default(); PARSING_STACK_DEPTH],
            st: [Level::default(); MAX_DEPTH],
            i: [0; INDEX_DEPTH],
            wild: [0; INDEX_DEPTH],
            path: [0; PATH_LEN],
            buf: [0; STRING_CHUNK + 1],
            line: 0,
            uni: 0,
            npos: 0,
            dcount: 0,
            f: 0,
            sp: 0,
            ipos: 0,
            count_paths: 0,
            path_match: 0,
            path_match_len: 0,
            wildcount: 0,
            pst_sp: 0,
            outer_array: 0,
        }
    }
}

/// Where the path patterns live: the host owns them (in C, arrays of string
/// pointers per stacked parser).
pub trait Patterns {
    /// Pattern `n` of the parser at stack level `level`, without its NUL.
    fn pattern(&self, level: usize, n: usize) -> Option<&[u8]>;
}

/// The user side of a parse.
pub trait Host: Patterns {
    /// Delivers `reason` to the callback of the parser on top of the stack
    /// (`lejp.pst_sp`). The callback sees and may change the whole state.
    fn callback(&mut self, lejp: &mut Lejp, reason: u8) -> i8;
}

/// What to do after one input byte.
enum Flow {
    /// Go on with the next byte.
    Next,
    /// Look at the same byte again in the new state.
    Again,
    /// The outermost object or array closed: parsing is complete.
    Complete,
}

type Step = Result<Flow, i32>;

/// A state machine never needs to look at a byte more than a few times; more
/// means a callback left the state inconsistent.
const MAX_REDO: u32 = 8;

const ESCAPES: [(u8, u8); 9] = [
    (b'"', b'"'),
    (b'\\', b'\\'),
    (b'/', b'/'),
    (b'b', 0x08),
    (b'f', 0x0c),
    (b'n', b'\n'),
    (b'r', b'\r'),
    (b't', b'\t'),
    // lws's escape table is a C string and its terminator matches too.
    (0, 0),
];

/// `true`, `false` and `null` after their first letter, each ended by a space;
/// `uni` walks it while one is being read.
const TOKENS: &[u8] = b"rue alse ull ";

impl Lejp {
    /// A parser at the start of a document with `count_paths` path patterns
    /// for the bottom parser (`lejp_construct`, before the CONSTRUCTED callback).
    pub fn new(count_paths: u8) -> Lejp {
        let mut l = Lejp {
            line: 1,
            ..Lejp::default()
        };
        l.pst[0].count_paths = count_paths;
        l
    }

    fn top(&mut self) -> &mut Level {
        &mut self.st[usize::from(self.sp)]
    }

    fn below(&self) -> Level {
        self.st[usize::from(self.sp) - 1]
    }

    fn parser(&mut self) -> &mut Parser {
        &mut self.pst[usize::from(self.pst_sp)]
    }

    fn ppos(&self) -> u8 {
        self.pst[usize::from(self.pst_sp)].ppos
    }

    fn set_ppos(&mut self, p: u8) {
        self.parser().ppos = p;
    }

    /// The path as a string (up to its NUL).
    pub fn path_str(&self) -> &[u8] {
        let end = self.path.iter().position(|&b| b == 0).unwrap_or(PATH_LEN);
        &self.path[..end]
    }

    /// The value in `buf` (up to its NUL).
    pub fn buf_str(&self) -> &[u8] {
        let end = self
            .buf
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.buf.len());
        &self.buf[..end]
    }

    fn terminate_path(&mut self) {
        let p = usize::from(self.ppos()).min(PATH_LEN - 1);
        self.path[p] = 0;
    }

    /// Appends to the path; a path that would not fit with its NUL is refused.
    fn path_push(&mut self, c: u8) -> Result<(), i32> {
        let p = self.ppos();
        if usize::from(p) >= PATH_LEN - 1 {
            return Err(code::REJECT_UNKNOWN);
        }
        self.path[usize::from(p)] = c;
        self.set_ppos(p + 1);
        Ok(())
    }

    /// A pop shrank the path: a match made on a longer path is over.
    fn forget_outgrown_match(&mut self) {
        if self.path_match != 0 && self.ppos() <= self.path_match_len {
            self.path_match = 0;
        }
    }

    fn cb(&mut self, host: &mut impl Host, reason: u8) -> i8 {
        host.callback(self, reason)
    }

    /// Calls back; any non-zero answer rejects the document.
    fn cb_checked(&mut self, host: &mut impl Host, reason: u8) -> Result<(), i32> {
        if self.cb(host, reason) != 0 {
            return Err(code::REJECT_CALLBACK);
        }
        Ok(())
    }

    /// Sets `path_match` (and `wildcount`/`wild[]`) from the first pattern of
    /// the top parser that the path matches, unless a match is already active.
    /// `*` matches up to the next `.`, or everything when it ends the pattern.
    pub fn check_path_match(&mut self, patterns: &impl Patterns) {
        let level = usize::from(self.pst_sp);
        let count = usize::from(self.pst[level].count_paths);
        let path_len = self.path_str().len();
        let mut n = 0;
        while self.path_match == 0 && n < count {
            self.wildcount = 0;
            let Some(pat) = patterns.pattern(level, n) else {
                n += 1;
                continue;
            };
            let (mut p, mut q) = (0, 0);
            while p < path_len && q < pat.len() {
                if pat[q] != b'*' {
                    if self.path[p] != pat[q] {
                        break;
                    }
                    p += 1;
                    q += 1;
                    continue;
                }
                if usize::from(self.wildcount) < INDEX_DEPTH {
                    self.wild[usize::from(self.wildcount)] = p as u16;
                    self.wildcount += 1;
                }
                q += 1;
                while p < path_len && (self.path[p] != b'.' || q == pat.len()) {
                    p += 1;
                }
            }
            if p == path_len && q == pat.len() {
                self.path_match = (n + 1) as u8;
                self.path_match_len = self.pst[level].ppos;
                return;
            }
            n += 1;
        }
        if self.path_match == 0 {
            self.wildcount = 0;
        }
    }

    /// The path text a wildcard of the current match stands for, cut to
    /// `room - 1` bytes, and lws's return value for it (bytes taken + 1), or
    /// None for a wildcard that does not exist or no room.
    pub fn wildcard(&self, which: usize, room: usize) -> Option<(Vec<u8>, i32)> {
        if which >= usize::from(self.wildcount) || room == 0 {
            return None;
        }
        let start = usize::from(*self.wild.get(which)?);
        let end = usize::from(self.ppos()).min(PATH_LEN);
        let mut out = Vec::new();
        let mut n = start;
        while out.len() + 1 < room && n < end && (n == start || self.path[n] != b'.') {
            out.push(self.path[n]);
            n += 1;
        }
        let ret = (n + 1 - start) as i32;
        Some((out, ret))
    }

    /// Stacks a parser with its own patterns on top (`lejp_parser_push`); its
    /// paths are relative to where it was pushed. The host must already give
    /// the new level's patterns. False (refused) when the stack is full.
    pub fn push(&mut self, patterns: &impl Patterns, count_paths: u8) -> bool {
        if usize::from(self.pst_sp) + 1 >= PARSING_STACK_DEPTH {
            return false;
        }
        self.check_path_match(patterns);
        let pm = self.path_match;
        self.parser().path_match = pm;
        self.pst_sp += 1;
        *self.parser() = Parser {
            count_paths,
            ppos: 0,
            path_match: 0,
        };
        self.path_match = 0;
        self.check_path_match(patterns);
        true
    }

    /// Returns to the parser below (`lejp_parser_pop`) and re-evaluates the
    /// match. False (refused) at the bottom.
    pub fn pop(&mut self, patterns: &impl Patterns) -> bool {
        if self.pst_sp == 0 {
            return false;
        }
        self.pst_sp -= 1;
        self.path_match = 0;
        self.check_path_match(patterns);
        true
    }

    /// Feeds `json`: any split of a document into calls gives the same
    /// callbacks. Returns [`code::CONTINUE`] when all of it was taken and
    /// the document is not finished yet, the number of bytes left over after a
    /// complete document, or a negative `code::REJECT_*` (after the FAILED
    /// callback).
    pub fn parse(&mut self, host: &mut impl Host, json: &[u8]) -> i32 {
        let mut at = 0;
        let mut redo = 0;
        while at < json.len() {
            match self.step(host, json[at]) {
                Ok(Flow::Next) => {
                    at += 1;
                    redo = 0;
                }
                Ok(Flow::Again) if redo < MAX_REDO => redo += 1,
                Ok(Flow::Again) => return self.fail(host, code::REJECT_UNKNOWN),
                Ok(Flow::Complete) => {
                    return i32::try_from(json.len() - at - 1).unwrap_or(i32::MAX);
                }
                Err(e) => return self.fail(host, e),
            }
        }
        code::CONTINUE
    }

    fn fail(&mut self, host: &mut impl Host, e: i32) -> i32 {
        self.cb(host, reason::FAILED);
        e
    }

    fn step(&mut self, host: &mut impl Host, c: u8) -> Step {
        let s = self.top().s;
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'#') {
            if c == b'\n' {
                self.line = self.line.wrapping_add(1);
                self.top().s &= !state::COMMENTLINE;
            }
            if s & state::WS_KEEP == 0 {
                if c == b'#' {
                    self.top().s |= state::COMMENTLINE;
                }
                return Ok(Flow::Next);
            }
        }
        if self.top().s & state::COMMENTLINE != 0 {
            return Ok(Flow::Next);
        }
        match s {
            state::IDLE => self.idle(host, c),
            state::MEMBERS => {
                if c == b'}' {
                    if self.sp >= 1 {
                        return self.pop_object(host);
                    }
                    self.top().s = state::IDLE;
                    return Err(code::REJECT_MEMBERS_NO_CLOSE);
                }
                self.top().s = state::M_P;
                Ok(Flow::Again)
            }
            state::M_P => {
                if c != b'"' {
                    return Err(code::REJECT_MP_NO_OPEN_QUOTE);
                }
                self.top().s = state::MP_DELIM;
                self.push_level(state::MP_STRING)
            }
            state::MP_STRING => self.string(host, c),
            state::MP_STRING_ESC => {
                if c == b'u' {
                    self.top().s = state::MP_STRING_ESC_U1;
                    self.uni = 0;
                    return Ok(Flow::Next);
                }
                let Some(&(_, lit)) = ESCAPES.iter().find(|(e, _)| *e == c) else {
                    return Err(code::REJECT_MP_STRING_ESC_ILLEGAL_ESC);
                };
                self.top().s = state::MP_STRING;
                self.emit(host, lit)
            }
            state::MP_STRING_ESC_U1..=state::MP_STRING_ESC_U4 => self.unicode_escape(host, s, c),
            state::MP_DELIM => {
                if c != b':' {
                    return Err(code::REJECT_MP_DELIM_MISSING_COLON);
                }
                self.top().s = state::MP_VALUE;
                self.terminate_path();
                self.check_path_match(host);
                self.cb_checked(host, reason::PAIR_NAME)?;
                Ok(Flow::Next)
            }
            state::MP_VALUE => self.value(host, c),
            state::MP_VALUE_NUM_INT => self.number(host, c),
            state::MP_VALUE_NUM_EXP => {
                self.top().s = state::MP_VALUE_NUM_INT;
                if c.is_ascii_digit() {
                    return Ok(Flow::Again);
                }
                if c == b'+' || c == b'-' {
                    return self.append_num(c);
                }
                Err(code::REJECT_MP_VAL_NUM_EXP_BAD_EXP)
            }
            state::MP_VALUE_TOK => self.token(host, c),
            state::MP_COMMA_OR_END => self.comma_or_end(host, c),
            state::MP_ARRAY_END => self.array_end(host, c),
            // A state no parser step produces (C code wrote it): skip the byte.
            _ => Ok(Flow::Next),
        }
    }

    fn idle(&mut self, host: &mut impl Host, c: u8) -> Step {
        // START comes with the document's first byte that is not blank, so
        // that how the input is chunked never adds one (lws sends it at every
        // parse call made at the root).
        self.cb(host, reason::START);
        if self.sp == 0 && c == b'[' {
            // A document may also be an array.
            self.outer_array = 1;
            self.top().s = state::MP_ARRAY_END;
            self.path_push(b'[')?;
            self.path_push(b']')?;
            self.terminate_path();
            self.cb_checked(host, reason::ARRAY_START)?;
            self.push_index()?;
            return self.push_level(state::MP_VALUE);
        }
        if c != b'{' {
            return Err(code::REJECT_IDLE_NO_BRACE);
        }
        self.cb_checked(host, reason::OBJECT_START)?;
        self.top().s = state::MEMBERS;
        Ok(Flow::Next)
    }

    fn string(&mut self, host: &mut impl Host, c: u8) -> Step {
        if c == b'"' {
            if self.sp == 0 {
                return Err(code::REJECT_MP_STRING_UNDERRUN);
            }
            if self.below().s != state::MP_DELIM {
                // The end of a string value (not of a member name).
                self.buf[usize::from(self.npos)] = 0;
                if self.cb(host, reason::VAL_STR_END) < 0 {
                    return Err(code::REJECT_CALLBACK);
                }
            }
            self.sp -= 1;
            return Ok(Flow::Next);
        }
        if c == b'\\' {
            self.top().s = state::MP_STRING_ESC;
            return Ok(Flow::Next);
        }
        if c < b' ' {
            return Err(code::REJECT_MP_ILLEGAL_CTRL);
        }
        self.emit(host, c)
    }

    /// One hex digit of `\uXXXX`; the code point comes out as UTF-8 bytes as
    /// soon as each is known (only the basic plane: no surrogate pairing).
    fn unicode_escape(&mut self, host: &mut impl Host, s: u8, c: u8) -> Step {
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return Err(code::REJECT_ILLEGAL_HEX),
        };
        self.uni = (self.uni << 4) | u16::from(digit);
        self.top().s += 1;
        let uni = self.uni;
        match s {
            state::MP_STRING_ESC_U2 if uni >= 0x08 => {
                // Two digits in: a three-byte sequence starts.
                self.emit(host, 0xe0 | ((uni >> 4) & 0xf) as u8)
            }
            state::MP_STRING_ESC_U3 if uni >= 0x080 => {
                self.emit(host, 0x80 | ((uni >> 2) & 0x3f) as u8)
            }
            state::MP_STRING_ESC_U3 if uni >= 0x008 => {
                // Two-byte sequence.
                self.emit(host, 0xc0 | (uni >> 2) as u8)
            }
            state::MP_STRING_ESC_U4 => {
                let b = if uni >= 0x80 {
                    0x80 | (uni & 0x3f) as u8
                } else {
                    uni as u8
                };
                self.top().s = state::MP_STRING;
                self.emit(host, b)
            }
            _ => Ok(Flow::Next),
        }
    }

    fn value(&mut self, host: &mut impl Host, c: u8) -> Step {
        if c == b'-' || c.is_ascii_digit() {
            self.npos = 0;
            self.dcount = 0;
            self.f = 0;
            self.top().s = state::MP_VALUE_NUM_INT;
            return Ok(Flow::Again);
        }
        match c {
            b'"' => {
                self.top().s = state::MP_COMMA_OR_END;
                self.npos = 0;
                self.buf[0] = 0;
                self.cb_checked(host, reason::VAL_STR_START)?;
                self.push_level(state::MP_STRING)
            }
            b'{' => {
                self.top().s = state::MP_COMMA_OR_END;
                self.check_path_match(host);
                self.cb_checked(host, reason::OBJECT_START)?;
                self.path_match = 0;
                self.push_level(state::MEMBERS)
            }
            b'[' => {
                self.top().s = state::MP_ARRAY_END;
                if usize::from(self.ppos()) + 3 >= PATH_LEN {
                    return Err(code::REJECT_UNKNOWN);
                }
                self.path_push(b'[')?;
                self.path_push(b']')?;
                self.terminate_path();
                self.cb_checked(host, reason::ARRAY_START)?;
                self.push_index()?;
                self.push_level(state::MP_VALUE)
            }
            b']' => {
                // An empty array (or a trailing comma before the `]`).
                if self.sp == 0 {
                    return Err(code::REJECT_MP_C_OR_E_UNDERF);
                }
                self.sp -= 1;
                if self.top().s != state::MP_ARRAY_END {
                    return Err(code::REJECT_MP_C_OR_E_NOTARRAY);
                }
                self.leave_array_path();
                if self.outer_array != 0 && self.sp == 0 {
                    return self.complete(host, reason::ARRAY_END);
                }
                self.array_end(host, c)
            }
            b't' => self.start_token(0),
            b'f' => self.start_token(4),
            b'n' => self.start_token(9),
            _ => Err(code::REJECT_MP_DELIM_BAD_VALUE_START),
        }
    }

    fn start_token(&mut self, at: u16) -> Step {
        self.uni = at;
        self.top().s = state::MP_VALUE_TOK;
        Ok(Flow::Next)
    }

    fn token(&mut self, host: &mut impl Host, c: u8) -> Step {
        if TOKENS.get(usize::from(self.uni)) != Some(&c) {
            return Err(code::REJECT_MP_VAL_TOK_UNKNOWN);
        }
        self.uni += 1;
        if TOKENS.get(usize::from(self.uni)) != Some(&b' ') {
            return Ok(Flow::Next);
        }
        let r = match self.uni {
            3 => {
                self.buf[..2].copy_from_slice(b"1\0");
                reason::VAL_TRUE
            }
            8 => {
                self.buf[..2].copy_from_slice(b"0\0");
                reason::VAL_FALSE
            }
            _ => {
                self.buf[0] = 0;
                reason::VAL_NULL
            }
        };
        self.cb_checked(host, r)?;
        self.top().s = state::MP_COMMA_OR_END;
        Ok(Flow::Next)
    }

    fn number(&mut self, host: &mut impl Host, c: u8) -> Step {
        if self.npos == 0 && c == b'-' {
            self.f |= num::SEEN_MINUS;
            return self.append_num(c);
        }
        if self.dcount < 20 && c.is_ascii_digit() {
            if self.f & num::SEEN_POINT != 0 {
                self.f |= num::SEEN_POST_POINT;
            }
            self.dcount += 1;
            return self.append_num(c);
        }
        if c == b'.' {
            if self.dcount == 0 || self.f & num::SEEN_POINT != 0 {
                return Err(code::REJECT_MP_VAL_NUM_FORMAT);
            }
            self.f |= num::SEEN_POINT;
            return self.append_num(c);
        }
        if self.f & (num::SEEN_POINT | num::SEEN_POST_POINT) == num::SEEN_POINT {
            return Err(code::REJECT_MP_VAL_NUM_INT_NO_FRAC);
        }
        if c == b'e' || c == b'E' {
            if self.f & num::SEEN_EXP != 0 {
                return Err(code::REJECT_MP_VAL_NUM_FORMAT);
            }
            self.f |= num::SEEN_EXP;
            self.top().s = state::MP_VALUE_NUM_EXP;
            return self.append_num(c);
        }
        if self.dcount == 0 {
            return Err(code::REJECT_MP_VAL_NUM_FORMAT);
        }
        // `c` ends the number; it is looked at again as what follows a value.
        self.buf[usize::from(self.npos)] = 0;
        let r = if self.f & num::SEEN_POINT != 0 {
            reason::VAL_NUM_FLOAT
        } else {
            reason::VAL_NUM_INT
        };
        self.cb_checked(host, r)?;
        self.top().s = state::MP_COMMA_OR_END;
        Ok(Flow::Again)
    }

    fn append_num(&mut self, c: u8) -> Step {
        if usize::from(self.npos) >= self.buf.len() - 1 {
            return Err(code::REJECT_NUM_TOO_LONG);
        }
        self.buf[usize::from(self.npos)] = c;
        self.npos += 1;
        Ok(Flow::Next)
    }

    fn comma_or_end(&mut self, host: &mut impl Host, c: u8) -> Step {
        self.terminate_path();
        if c == b',' {
            self.top().s = state::M_P;
            if self.sp == 0 {
                // Back at the root: no path can still match.
                self.set_ppos(0);
                self.path_match = 0;
                return Ok(Flow::Next);
            }
            let p = self.below().p;
            self.set_ppos(p);
            self.terminate_path();
            self.forget_outgrown_match();
            if self.below().s != state::MP_ARRAY_END {
                return Ok(Flow::Next);
            }
            // Next element of an array.
            self.bump_index();
            self.top().s = state::MP_VALUE;
            return Ok(Flow::Next);
        }
        if c == b']' {
            if self.sp == 0 {
                return Err(code::REJECT_MP_C_OR_E_UNDERF);
            }
            self.sp -= 1;
            if self.top().s != state::MP_ARRAY_END {
                return Err(code::REJECT_MP_C_OR_E_NOTARRAY);
            }
            self.leave_array_path();
            if self.outer_array != 0 && self.sp == 0 {
                return self.complete(host, reason::ARRAY_END);
            }
            // The array level handles its `]`.
            return Ok(Flow::Again);
        }
        if c != b'}' {
            return Err(code::REJECT_MP_C_OR_E_NEITHER);
        }
        if self.sp == 0 {
            return self.complete(host, reason::OBJECT_END);
        }
        self.pop_object(host)
    }

    fn array_end(&mut self, host: &mut impl Host, c: u8) -> Step {
        self.terminate_path();
        if c == b',' {
            self.bump_index();
            self.top().s = state::MP_VALUE;
            if self.sp > 0 {
                let p = self.below().p;
                self.set_ppos(p);
            }
            self.terminate_path();
            return Ok(Flow::Next);
        }
        if c != b']' {
            return Err(code::REJECT_MP_ARRAY_END_MISSING);
        }
        self.top().s = state::MP_COMMA_OR_END;
        // As in lws, the answer to ARRAY_END here cannot reject.
        self.cb(host, reason::ARRAY_END);
        Ok(Flow::Next)
    }

    /// The outermost value closed: the last end callback, then COMPLETE.
    fn complete(&mut self, host: &mut impl Host, end: u8) -> Step {
        self.check_path_match(host);
        self.cb_checked(host, end)?;
        self.cb_checked(host, reason::COMPLETE)?;
        Ok(Flow::Complete)
    }

    fn pop_object(&mut self, host: &mut impl Host) -> Step {
        self.sp -= 1;
        if self.sp > 0 {
            let l = self.st[usize::from(self.sp)];
            self.set_ppos(l.p);
            self.ipos = l.i.min(INDEX_DEPTH as u8);
        }
        self.terminate_path();
        self.forget_outgrown_match();
        self.check_path_match(host);
        self.cb_checked(host, reason::OBJECT_END)?;
        Ok(Flow::Next)
    }

    /// After an array's `]`: the path and index stack as they were outside it.
    fn leave_array_path(&mut self) {
        if self.sp > 0 {
            let l = self.below();
            self.set_ppos(l.p);
            self.ipos = l.i.min(INDEX_DEPTH as u8);
        }
        self.terminate_path();
        self.forget_outgrown_match();
    }

    fn push_index(&mut self) -> Result<(), i32> {
        let at = usize::from(self.ipos);
        if at >= INDEX_DEPTH {
            return Err(code::REJECT_MP_DELIM_ISTACK);
        }
        self.i[at] = 0;
        self.ipos += 1;
        Ok(())
    }

    fn bump_index(&mut self) {
        if self.ipos > 0 {
            let at = usize::from(self.ipos) - 1;
            self.i[at] = self.i[at].wrapping_add(1);
        }
    }

    /// Opens a nesting level in state `s`, remembering the path and index
    /// depth to return to.
    fn push_level(&mut self, s: u8) -> Step {
        let t = self.top().s;
        if self.ppos() != 0 && t != state::MP_COMMA_OR_END && t != state::MP_ARRAY_END {
            self.path_push(b'.')?;
        }
        let (p, i) = (self.ppos(), self.ipos);
        let top = self.top();
        top.p = p;
        top.i = i;
        if usize::from(self.sp) + 1 >= MAX_DEPTH {
            return Err(code::REJECT_STACK_OVERFLOW);
        }
        self.sp += 1;
        self.terminate_path();
        // The new level's restore points are set when it opens a level itself.
        let top = self.top();
        top.s = s;
        top.b = 0;
        Ok(Flow::Next)
    }

    /// Adds a byte of a string: to the value buffer (delivered in chunks), or
    /// to the path when the string is a member name.
    fn emit(&mut self, host: &mut impl Host, c: u8) -> Step {
        if self.sp == 0 || self.below().s != state::MP_DELIM {
            self.buf[usize::from(self.npos)] = c;
            self.npos += 1;
            if usize::from(self.npos) == STRING_CHUNK {
                self.cb_checked(host, reason::VAL_STR_CHUNK)?;
                self.npos = 0;
            }
            return Ok(Flow::Next);
        }
        self.path_push(c)?;
        Ok(Flow::Next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records every callback as "reason path buf", with patterns.
    struct Recorder {
        pats: Vec<Vec<u8>>,
        events: Vec<String>,
        reject_on: Option<u8>,
    }

    impl Recorder {
        fn new(pats: &[&str]) -> Recorder {
            Recorder {
                pats: pats.iter().map(|p| p.as_bytes().to_vec()).collect(),
                events: Vec::new(),
                reject_on: None,
            }
        }
    }

    impl Patterns for Recorder {
        fn pattern(&self, _level: usize, n: usize) -> Option<&[u8]> {
            self.pats.get(n).map(|p| p.as_slice())
        }
    }

    impl Host for Recorder {
        fn callback(&mut self, l: &mut Lejp, r: u8) -> i8 {
            let value = if r & reason::IS_VALUE != 0 {
                let n = if r == reason::VAL_STR_CHUNK {
                    usize::from(l.npos)
                } else {
                    l.buf_str().len()
                };
                String::from_utf8_lossy(&l.buf[..n]).into_owned()
            } else {
                String::new()
            };
            self.events.push(format!(
                "{r} {} {value} m{} i{}",
                String::from_utf8_lossy(l.path_str()),
                l.path_match,
                if l.ipos > 0 {
                    l.i[usize::from(l.ipos) - 1]
                } else {
                    0
                }
            ));
            if self.reject_on == Some(r) {
                return 1;
            }
            0
        }
    }

    fn run(json: &str, pats: &[&str], chunk: usize) -> (i32, Vec<String>) {
        let mut h = Recorder::new(pats);
        let mut l = Lejp::new(pats.len() as u8);
        let mut ret = code::CONTINUE;
        for part in json.as_bytes().chunks(chunk.max(1)) {
            ret = l.parse(&mut h, part);
            if ret != code::CONTINUE {
                break;
            }
        }
        (ret, h.events)
    }

    #[test]
    fn events_paths_and_values() {
        let (ret, ev) = run(r#"{"a":1,"b":[true,"x"],"c":{"d":null}}"#, &[], 1000);
        assert_eq!(ret, 0);
        let want = [
            "2   m0 i0",
            "16   m0 i0",
            "5 a  m0 i0",
            "73 a 1 m0 i0",
            "5 b  m0 i0",
            "14 b[]  m0 i0",
            "70 b[] 1 m0 i0",
            "11 b[]  m0 i1",
            "77 b[] x m0 i1",
            // As in lws, closing a member of the root object leaves its path
            // and index depth in place until the next member.
            "15 b[]  m0 i1",
            "5 c  m0 i1",
            "16 c  m0 i1",
            "5 c.d  m0 i1",
            "72 c.d  m0 i1",
            "17 c.d  m0 i1",
            "17 c.d  m0 i1",
            "3 c.d  m0 i1",
        ];
        assert_eq!(ev, want);
    }

    #[test]
    fn any_chunking_gives_the_same_callbacks() {
        let doc = r#"{"s":"a\"b\u00e9\u20ac","n":-12.5e+3,"arr":[[1,2],[3]],"o":{"k":false}}"#;
        let whole = run(doc, &["arr[].*", "o.k"], 10_000);
        assert_eq!(whole.0, 0);
        for chunk in 1..12 {
            assert_eq!(run(doc, &["arr[].*", "o.k"], chunk), whole, "chunk {chunk}");
        }
    }

    /// A small deterministic generator (xorshift), so the test needs no crate.
    fn noise(seed: &mut u64, alphabet: &[&str], n: usize) -> String {
        (0..n)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                alphabet[(*seed % alphabet.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn garbled_documents_chunk_alike_and_never_panic() {
        let alphabet = [
            "{", "}", "[", "]", ",", ":", "\"", "\"a\":", "\"*\":", "1", "-2.5e3", "true", "nul",
            "\\u00e9", "\\", " ", "\n", "#", "x", "{\"k\":[", "]}", "\u{e9}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            let doc = format!("{{{}", noise(&mut seed, &alphabet, 40));
            let whole = run(&doc, &["a", "*.*", "k[]"], 100_000);
            for chunk in [1, 2, 5] {
                assert_eq!(run(&doc, &["a", "*.*", "k[]"], chunk), whole, "{doc:?}");
            }
        }
    }

    #[test]
    fn unicode_escapes_become_utf8() {
        let (_, ev) = run(r#"{"s":"\u00e9\u20ac\u0041"}"#, &[], 100);
        assert!(ev.contains(&"77 s é€A m0 i0".to_string()), "{ev:?}");
    }

    #[test]
    fn path_patterns_and_wildcards() {
        let mut h = Recorder::new(&["a.*.c", "x"]);
        let mut l = Lejp::new(2);
        assert_eq!(l.parse(&mut h, br#"{"a":{"bb":{"c":5}}}"#), 0);
        assert!(
            h.events.contains(&"73 a.bb.c 5 m1 i0".to_string()),
            "{:?}",
            h.events
        );
        // At the match, the wildcard is "bb".
        let mut l = Lejp::new(2);
        l.path[..6].copy_from_slice(b"a.bb.c");
        l.pst[0].ppos = 6;
        l.check_path_match(&h);
        assert_eq!(l.path_match, 1);
        assert_eq!(l.wildcount, 1);
        assert_eq!(l.wildcard(0, 10), Some((b"bb".to_vec(), 3)));
        assert_eq!(l.wildcard(0, 2), Some((b"b".to_vec(), 2)));
        assert_eq!(l.wildcard(1, 10), None);
    }

    #[test]
    fn wildcards_beyond_the_index_depth_are_not_recorded() {
        let h = Recorder::new(&["*.*.*.*.*.*.*.*.*.*"]);
        let mut l = Lejp::new(1);
        let path = b"a.b.c.d.e.f.g.h.i.j";
        l.path[..path.len()].copy_from_slice(path);
        l.pst[0].ppos = path.len() as u8;
        l.check_path_match(&h);
        assert_eq!((l.path_match, usize::from(l.wildcount)), (1, INDEX_DEPTH));
        assert_eq!(l.wildcard(7, 8), Some((b"h".to_vec(), 2)));
    }

    #[test]
    fn array_indexes_count_up() {
        let (_, ev) = run(r#"{"a":[5,6,7]}"#, &[], 100);
        let ints: Vec<_> = ev.iter().filter(|e| e.starts_with("73 ")).collect();
        assert_eq!(ints, ["73 a[] 5 m0 i0", "73 a[] 6 m0 i1", "73 a[] 7 m0 i2"]);
    }

    #[test]
    fn outer_array_and_leftover_count() {
        let (ret, ev) = run("[1,2]xyz", &[], 100);
        assert_eq!(ret, 3);
        let tail: Vec<_> = ev.iter().rev().take(2).collect();
        assert_eq!(tail, ["3 []  m0 i1", "15 []  m0 i1"]);
    }

    #[test]
    fn long_strings_arrive_in_chunks() {
        let long = "x".repeat(600);
        let (ret, ev) = run(&format!(r#"{{"s":"{long}"}}"#), &[], 7);
        assert_eq!(ret, 0);
        let chunks = ev.iter().filter(|e| e.starts_with("76 ")).count();
        assert_eq!(chunks, 2);
        let end = ev
            .iter()
            .find(|e| e.starts_with("77 "))
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            end,
            format!("77 s {} m0 i0", "x".repeat(600 - 2 * STRING_CHUNK))
        );
    }

    #[test]
    fn errors_have_lws_codes() {
        let cases = [
            ("x", code::REJECT_IDLE_NO_BRACE),
            ("{x", code::REJECT_MP_NO_OPEN_QUOTE),
            ("{\"a\" 1}", code::REJECT_MP_DELIM_MISSING_COLON),
            ("{\"a\":?}", code::REJECT_MP_DELIM_BAD_VALUE_START),
            ("{\"a\":1.}", code::REJECT_MP_VAL_NUM_INT_NO_FRAC),
            ("{\"a\":1.2.3}", code::REJECT_MP_VAL_NUM_FORMAT),
            ("{\"a\":1e}", code::REJECT_MP_VAL_NUM_EXP_BAD_EXP),
            ("{\"a\":tru}", code::REJECT_MP_VAL_TOK_UNKNOWN),
            ("{\"a\":\"\\q\"}", code::REJECT_MP_STRING_ESC_ILLEGAL_ESC),
            ("{\"a\":\"\\u00g0\"}", code::REJECT_ILLEGAL_HEX),
            ("{\"a\":\"\x01\"}", code::REJECT_MP_ILLEGAL_CTRL),
            ("{\"a\":1]", code::REJECT_MP_C_OR_E_UNDERF),
            ("{\"a\":{\"b\":1]}", code::REJECT_MP_C_OR_E_NOTARRAY),
            ("{\"a\":1 2}", code::REJECT_MP_C_OR_E_NEITHER),
            ("{\"a\":123,\"b\":}}", code::REJECT_MP_DELIM_BAD_VALUE_START),
            ("{\"a\":[[[[[[[[[1]]]]]]]]]}", code::REJECT_MP_DELIM_ISTACK),
        ];
        let deep = format!("{}1{}", "{\"a\":".repeat(12), "}".repeat(12));
        let cases = cases.iter().map(|(d, w)| (d.to_string(), *w));
        let cases = cases.chain([(deep, code::REJECT_STACK_OVERFLOW)]);
        for (doc, want) in cases {
            let (ret, ev) = run(&doc, &[], 100);
            assert_eq!(ret, want, "{doc}");
            assert!(
                ev.last().is_some_and(|e| e.starts_with("4 ")),
                "{doc}: FAILED last"
            );
        }
    }

    #[test]
    fn a_rejecting_callback_stops_the_parse() {
        let mut h = Recorder::new(&[]);
        h.reject_on = Some(reason::PAIR_NAME);
        let mut l = Lejp::new(0);
        assert_eq!(l.parse(&mut h, br#"{"a":1}"#), code::REJECT_CALLBACK);
    }

    #[test]
    fn comments_and_lines() {
        let (ret, _) = run("# intro\n{\"a\": # note\n 1}\n", &[], 1000);
        assert_eq!(ret, 1);
        let mut h = Recorder::new(&[]);
        let mut l = Lejp::new(0);
        l.parse(&mut h, b"\n\n{");
        assert_eq!(l.line, 3);
    }

    #[test]
    fn over_long_names_are_refused_not_overrun() {
        let name = "n".repeat(200);
        let (ret, _) = run(&format!("{{\"{name}\":1}}"), &[], 100);
        assert_eq!(ret, code::REJECT_UNKNOWN);
    }

    #[test]
    fn damaged_restore_points_do_not_panic() {
        let mut h = Recorder::new(&["a"]);
        let mut l = Lejp::new(1);
        l.parse(&mut h, br#"{"a":[1,"#);
        for level in l.st.iter_mut() {
            level.p = 255;
            level.i = 255;
        }
        l.parse(&mut h, br#"[2,3],4],"b":{"c":[5]}}"#);
        assert!(usize::from(l.ipos) <= INDEX_DEPTH);
    }

    #[test]
    fn error_texts() {
        assert_eq!(error_text(code::REJECT_IDLE_NO_BRACE), "No opening '{'");
        assert_eq!(
            error_text(code::REJECT_CALLBACK),
            "Parser callback errored (see earlier error)"
        );
        assert_eq!(error_text(5), "");
        assert_eq!(error_text(code::CONTINUE), "");
        assert_eq!(error_text(-24), "Unknown error");
        assert_eq!(error_text(i32::MIN), "Unknown error");
    }

    #[test]
    fn parser_stack_push_and_pop() {
        let h = Recorder::new(&["a"]);
        let mut l = Lejp::new(1);
        l.path[0] = b'a';
        l.pst[0].ppos = 1;
        for _ in 0..PARSING_STACK_DEPTH - 1 {
            assert!(l.push(&h, 1));
        }
        assert!(!l.push(&h, 1));
        assert_eq!(l.pst[0].path_match, 1);
        for _ in 0..PARSING_STACK_DEPTH - 1 {
            assert!(l.pop(&h));
        }
        assert!(!l.pop(&h));
        assert_eq!(l.path_match, 1);
    }
}
