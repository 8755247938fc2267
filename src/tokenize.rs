//! lws's tokenizer (`lws_tokenize`): splits a header value or config line
//! into tokens, delimiters, integers, floats, quoted strings, `name=` and
//! (optionally) `name:` parts, one element per call, with flags that change
//! what counts as a delimiter. Input must be valid UTF-8; multibyte characters
//! are part of tokens.
#![forbid(unsafe_code)]

/// Flags (`LWS_TOKENIZE_F_*`).
pub mod flag {
    pub const MINUS_NONTERM: u16 = 1 << 0;
    pub const AGG_COLON: u16 = 1 << 1;
    pub const COMMA_SEP_LIST: u16 = 1 << 2;
    pub const RFC7230_DELIMS: u16 = 1 << 3;
    pub const DOT_NONTERM: u16 = 1 << 4;
    pub const NO_FLOATS: u16 = 1 << 5;
    pub const NO_INTEGERS: u16 = 1 << 6;
    pub const HASH_COMMENT: u16 = 1 << 7;
    pub const SLASH_NONTERM: u16 = 1 << 8;
    pub const ASTERISK_NONTERM: u16 = 1 << 9;
    pub const EQUALS_NONTERM: u16 = 1 << 10;
}

/// What one call finds (`lws_tokenize_elem`).
pub mod elem {
    pub const ERR_BROKEN_UTF8: i32 = -5;
    pub const ERR_UNTERM_STRING: i32 = -4;
    pub const ERR_MALFORMED_FLOAT: i32 = -3;
    pub const ERR_NUM_ON_LHS: i32 = -2;
    pub const ERR_COMMA_LIST: i32 = -1;
    pub const ENDED: i32 = 0;
    pub const DELIMITER: i32 = 1;
    pub const TOKEN: i32 = 2;
    pub const INTEGER: i32 = 3;
    pub const FLOAT: i32 = 4;
    pub const TOKEN_NAME_EQUALS: i32 = 5;
    pub const TOKEN_NAME_COLON: i32 = 6;
    pub const QUOTED_STRING: i32 = 7;
}

/// Where a comma-separated list is (`LWSTZ_DT_*`), kept between calls.
pub mod list {
    pub const NEED_FIRST_CONTENT: u8 = 0;
    pub const NEED_DELIM: u8 = 1;
    pub const NEED_NEXT_CONTENT: u8 = 2;
}

/// One call's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// An `elem::*` value.
    pub elem: i32,
    /// How many input bytes this call used up.
    pub consumed: usize,
    /// Offset of the token or delimiter in the input, if one was seen.
    pub token: Option<usize>,
    pub token_len: usize,
}

/// Checks UTF-8 one byte at a time: how many continuation bytes are still
/// due, and the range the next one must be in (which rules out overlong
/// forms, surrogates and code points past U+10FFFF).
#[derive(Clone, Copy, Default)]
struct Utf8 {
    pending: u8,
    lo: u8,
    hi: u8,
}

impl Utf8 {
    /// Takes a byte; false when it cannot come here.
    fn take(&mut self, c: u8) -> bool {
        if self.pending == 0 {
            let (n, lo, hi) = match c {
                0x00..=0x7f => return true,
                0xc2..=0xdf => (1, 0x80, 0xbf),
                0xe0 => (2, 0xa0, 0xbf),
                0xed => (2, 0x80, 0x9f),
                0xe1..=0xef => (2, 0x80, 0xbf),
                0xf0 => (3, 0x90, 0xbf),
                0xf4 => (3, 0x80, 0x8f),
                0xf1..=0xf3 => (3, 0x80, 0xbf),
                _ => return false,
            };
            *self = Utf8 { pending: n, lo, hi };
            return true;
        }
        if c < self.lo || c > self.hi {
            return false;
        }
        self.pending -= 1;
        self.lo = 0x80;
        self.hi = 0xbf;
        true
    }

    fn mid_char(&self) -> bool {
        self.pending != 0
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    LeadingWhitespace,
    QuotedString,
    Token,
    /// Whitespace after a token: a `=` (or `:`) may still attach to it.
    TokenPostTerminal,
}

const RFC7230_DELIMS: &[u8] = b"(),/:;<=>?@[\\]{}";

/// Finds the next element of `input`, which ends at its end or at a NUL.
/// `delim` is the comma-list tracking kept between calls.
pub fn next(input: &[u8], flags: u16, delim: &mut u8) -> Found {
    let has = |f: u16| flags & f != 0;
    // Characters that become part of tokens when their NONTERM flag is set.
    let nonterm = |c: u8| match c {
        b'-' => has(flag::MINUS_NONTERM),
        b'.' => has(flag::DOT_NONTERM),
        b'*' => has(flag::ASTERISK_NONTERM),
        b'=' => has(flag::EQUALS_NONTERM),
        _ => false,
    };
    let mut state = State::LeadingWhitespace;
    let mut float = false;
    // Whether the token so far is all digits: unknown (None) until its first
    // byte; tracking is off with NO_INTEGERS.
    let track_num = !has(flag::NO_INTEGERS);
    let mut numeric: Option<bool> = None;
    let mut utf8 = Utf8::default();
    let mut skipping = false;
    let mut found = Found {
        elem: elem::ENDED,
        consumed: 0,
        token: None,
        token_len: 0,
    };
    let mut at = 0;
    let is_number = |n: Option<bool>| track_num && n == Some(true);
    let pending = |found: &mut Found, numeric: Option<bool>, float: bool| {
        found.elem = if !is_number(numeric) {
            elem::TOKEN
        } else if float {
            elem::FLOAT
        } else {
            elem::INTEGER
        };
    };

    while at < input.len() {
        let c = input[at];
        at += 1;
        found.consumed = at;
        if !utf8.take(c) {
            found.elem = elem::ERR_BROKEN_UTF8;
            return found;
        }
        if c == 0 {
            break;
        }
        if skipping {
            if c != b'\r' && c != b'\n' {
                continue;
            }
            skipping = false;
        }
        if has(flag::HASH_COMMENT) && state != State::QuotedString && c == b'#' {
            skipping = true;
            continue;
        }
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
            match state {
                State::LeadingWhitespace | State::TokenPostTerminal => continue,
                State::QuotedString => {
                    found.token_len += 1;
                    continue;
                }
                State::Token => {
                    // Look ahead for a `=`.
                    state = State::TokenPostTerminal;
                    continue;
                }
            }
        }
        if c == b'"' {
            if state == State::QuotedString {
                found.elem = elem::QUOTED_STRING;
                return found;
            }
            if has(flag::COMMA_SEP_LIST) {
                if *delim == list::NEED_DELIM {
                    found.elem = elem::ERR_COMMA_LIST;
                    return found;
                }
                *delim = list::NEED_DELIM;
            }
            state = State::QuotedString;
            found.token = Some(at);
            found.token_len = 0;
            continue;
        }
        let after_token = matches!(state, State::Token | State::TokenPostTerminal);
        if !has(flag::EQUALS_NONTERM) && c == b'=' && after_token {
            // The `=` is swallowed into the element.
            found.elem = if is_number(numeric) {
                elem::ERR_NUM_ON_LHS
            } else {
                elem::TOKEN_NAME_EQUALS
            };
            return found;
        }
        if has(flag::AGG_COLON) && c == b':' && after_token {
            found.elem = elem::TOKEN_NAME_COLON;
            return found;
        }
        if c == b'.' && !has(flag::NO_FLOATS) && state == State::Token && is_number(numeric) {
            if float {
                found.elem = elem::ERR_MALFORMED_FLOAT;
                return found;
            }
            float = true;
            found.token_len += 1;
            continue;
        }
        if is_delimiter(c, flags, utf8.mid_char(), nonterm(c)) {
            match state {
                State::LeadingWhitespace => {
                    if has(flag::COMMA_SEP_LIST) {
                        if c != b',' || *delim != list::NEED_DELIM {
                            found.elem = elem::ERR_COMMA_LIST;
                            return found;
                        }
                        *delim = list::NEED_NEXT_CONTENT;
                    }
                    found.token = Some(at - 1);
                    found.token_len = 1;
                    found.elem = elem::DELIMITER;
                    return found;
                }
                State::QuotedString => {
                    found.token_len += 1;
                    continue;
                }
                State::Token | State::TokenPostTerminal => {
                    // The delimiter is reported by the next call.
                    found.consumed = at - 1;
                    pending(&mut found, numeric, float);
                    return found;
                }
            }
        }
        match state {
            State::LeadingWhitespace => {
                if has(flag::COMMA_SEP_LIST) {
                    if *delim == list::NEED_DELIM {
                        found.elem = elem::ERR_COMMA_LIST;
                        return found;
                    }
                    *delim = list::NEED_DELIM;
                }
                state = State::Token;
                found.token = Some(at - 1);
                found.token_len = 1;
            }
            State::QuotedString | State::Token => found.token_len += 1,
            State::TokenPostTerminal => {
                // A new token: reported by the next call.
                found.consumed = at - 1;
                pending(&mut found, numeric, float);
                return found;
            }
        }
        if track_num {
            if !c.is_ascii_digit() {
                numeric = Some(false);
            } else if numeric.is_none() {
                numeric = Some(true);
            }
        }
    }
    if utf8.mid_char() {
        found.elem = elem::ERR_BROKEN_UTF8;
        return found;
    }
    match state {
        State::QuotedString => found.elem = elem::ERR_UNTERM_STRING,
        State::Token | State::TokenPostTerminal => pending(&mut found, numeric, float),
        State::LeadingWhitespace => {
            found.elem = if has(flag::COMMA_SEP_LIST) && *delim == list::NEED_NEXT_CONTENT {
                elem::ERR_COMMA_LIST
            } else {
                elem::ENDED
            };
        }
    }
    found
}

/// Whether `c` ends a token and is reported on its own. By default anything
/// but ASCII letters, digits and `_` is (including the last byte of a UTF-8
/// sequence, as lws's signed `char` compares it); with RFC7230_DELIMS only
/// that RFC's separators are.
fn is_delimiter(c: u8, flags: u16, mid_char: bool, nonterm: bool) -> bool {
    if mid_char || flags & flag::SLASH_NONTERM != 0 && c == b'/' {
        return false;
    }
    // Delimiters in both modes unless their NONTERM flag is set.
    if matches!(c, b'-' | b'.' | b'*' | b'=') && !nonterm {
        return true;
    }
    if flags & flag::RFC7230_DELIMS != 0 {
        return c > 32 && c < 0x80 && RFC7230_DELIMS.contains(&c);
    }
    !(c.is_ascii_alphanumeric() || c == b'_' || nonterm)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All elements of `s` as (elem, text) until the end or an error.
    fn all(s: &str, flags: u16) -> Vec<(i32, String)> {
        let b = s.as_bytes();
        let mut at = 0;
        let mut delim = 0;
        let mut out = Vec::new();
        for _ in 0..100 {
            let f = next(&b[at..], flags, &mut delim);
            let text = f
                .token
                .map(|t| String::from_utf8_lossy(&b[at + t..at + t + f.token_len]).into_owned())
                .unwrap_or_default();
            at += f.consumed;
            out.push((f.elem, text));
            if f.elem <= 0 {
                break;
            }
        }
        out
    }

    fn e(v: &[(i32, &str)]) -> Vec<(i32, String)> {
        v.iter().map(|(a, b)| (*a, b.to_string())).collect()
    }

    #[test]
    fn tokens_delimiters_numbers() {
        use elem::*;
        assert_eq!(
            all("a=1, b 2.5, \"q s\" x:y", 0),
            e(&[
                (TOKEN_NAME_EQUALS, "a"),
                (INTEGER, "1"),
                (DELIMITER, ","),
                (TOKEN, "b"),
                (FLOAT, "2.5"),
                (DELIMITER, ","),
                (QUOTED_STRING, "q s"),
                (TOKEN, "x"),
                (DELIMITER, ":"),
                (TOKEN, "y"),
                (ENDED, ""),
            ])
        );
        assert_eq!(
            all("x:y", flag::AGG_COLON)[0],
            (TOKEN_NAME_COLON, "x".into())
        );
        assert_eq!(all("1=2", 0)[0].0, ERR_NUM_ON_LHS);
        assert_eq!(all("1.2.3", 0)[0].0, ERR_MALFORMED_FLOAT);
        assert_eq!(all("\"abc", 0)[0].0, ERR_UNTERM_STRING);
        assert_eq!(all("12", flag::NO_INTEGERS)[0].0, TOKEN);
        assert_eq!(all("1.5", flag::NO_FLOATS)[0], (INTEGER, "1".into()));
    }

    #[test]
    fn nonterm_flags_and_rfc7230() {
        use elem::*;
        assert_eq!(
            all("my-tok", flag::MINUS_NONTERM)[0],
            (TOKEN, "my-tok".into())
        );
        assert_eq!(all("my-tok", 0)[0], (TOKEN, "my".into()));
        assert_eq!(all("a.b.c", flag::DOT_NONTERM)[0], (TOKEN, "a.b.c".into()));
        assert_eq!(all("a/b", flag::SLASH_NONTERM)[0], (TOKEN, "a/b".into()));
        assert_eq!(all("a*", flag::ASTERISK_NONTERM)[0], (TOKEN, "a*".into()));
        assert_eq!(all("x=y", flag::EQUALS_NONTERM)[0], (TOKEN, "x=y".into()));
        assert_eq!(
            all("text/html; q=0.5", flag::RFC7230_DELIMS),
            e(&[
                (TOKEN, "text"),
                (DELIMITER, "/"),
                (TOKEN, "html"),
                (DELIMITER, ";"),
                (TOKEN_NAME_EQUALS, "q"),
                (FLOAT, "0.5"),
                (ENDED, ""),
            ])
        );
    }

    #[test]
    fn any_input_ends_in_bounded_steps() {
        let alphabet: &[u8] = b"aZ_09-.*=:,;/\" \t#\n(@\\\xc3\xa9\x80\0";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let input: Vec<u8> = (0..24)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            for flags in [
                0,
                0x7ff,
                flag::RFC7230_DELIMS,
                flag::COMMA_SEP_LIST | flag::AGG_COLON,
            ] {
                let (mut at, mut delim) = (0, 0);
                for _ in 0..=input.len() + 1 {
                    let f = next(&input[at..], flags, &mut delim);
                    if let Some(t) = f.token {
                        assert!(at + t + f.token_len <= input.len());
                    }
                    at += f.consumed;
                    if f.elem <= 0 {
                        break;
                    }
                    assert!(f.consumed > 0 || f.elem == elem::DELIMITER, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn comma_lists() {
        use elem::*;
        let f = flag::COMMA_SEP_LIST;
        assert_eq!(
            all("a, b", f),
            e(&[(TOKEN, "a"), (DELIMITER, ","), (TOKEN, "b"), (ENDED, "")])
        );
        assert_eq!(all(",a", f)[0].0, ERR_COMMA_LIST);
        assert_eq!(all("a b", f)[1].0, ERR_COMMA_LIST);
        assert_eq!(all("a,", f).last().map(|x| x.0), Some(ERR_COMMA_LIST));
    }

    #[test]
    fn utf8_and_comments_and_nul() {
        use elem::*;
        assert_eq!(
            all("a \u{e9}t\u{e9}", flag::RFC7230_DELIMS)[1],
            (TOKEN, "\u{e9}t\u{e9}".into())
        );
        // By default the last byte of a multibyte character ends the token.
        assert_eq!(all("\u{e9}", 0).last().map(|x| x.0), Some(ERR_BROKEN_UTF8));
        let raw = [b'a', b' ', 0x80];
        let mut delim = 0;
        let f = next(&raw[2..], 0, &mut delim);
        assert_eq!(f.elem, ERR_BROKEN_UTF8);
        assert_eq!(next(&[0xe2, 0x82], 0, &mut delim).elem, ERR_BROKEN_UTF8);
        assert_eq!(
            next(&[0xed, 0xa0, 0x80], 0, &mut delim).elem,
            ERR_BROKEN_UTF8
        );
        assert_eq!(
            all("a # comment\nb", flag::HASH_COMMENT),
            e(&[(TOKEN, "a"), (TOKEN, "b"), (ENDED, "")])
        );
        let f = next(b"ab\0cd", 0, &mut delim);
        assert_eq!((f.elem, f.consumed, f.token_len), (TOKEN, 3, 2));
    }
}
