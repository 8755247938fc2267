//! `${name}` expansion (`lws_strexp_*`): copies text to an output buffer,
//! replacing each `${name}` with what a host callback writes for it. Input and
//! output are both streamed: when the output fills up the caller drains it,
//! resets it and calls again with the rest of the input, and an expansion that
//! did not fit continues where it stopped.
#![forbid(unsafe_code)]

/// Results (`LSTRX_*`).
pub mod result {
    pub const DONE: i32 = 0;
    pub const FILLED_OUT: i32 = 1;
    pub const FATAL_NAME_TOO_LONG: i32 = -1;
    pub const FATAL_NAME_UNKNOWN: i32 = -2;
    /// A literal `$x` pair did not fit in the output.
    pub const NO_ROOM: i32 = -1;
}

/// Expander states, as kept in the C struct's `state`.
pub mod state {
    pub const LITERAL: u8 = 0;
    pub const OPEN_OR_LIT: u8 = 1;
    pub const NAME_OR_CLOSE: u8 = 2;
    pub const DRAIN: u8 = 3;
}

/// Longest name, NUL included.
pub const NAME_LEN: usize = 32;

/// The expander state (`lws_strexp_t` without the caller's pointers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strexp {
    pub name: [u8; NAME_LEN],
    pub name_pos: u8,
    pub state: u8,
    /// Output written so far (also counted when there is no output buffer).
    pub pos: usize,
    /// Output room.
    pub olen: usize,
    /// How far the current expansion got, for the callback.
    pub exp_ofs: usize,
}

/// The caller's side: the output buffer and the name lookup.
pub trait Host {
    /// Stores a byte at output offset `at` (< `olen`); nothing when there is
    /// no output buffer.
    fn put(&mut self, at: usize, c: u8);
    /// Writes the expansion of the NUL-terminated `st.name` from `st.pos`,
    /// advancing `pos` and `exp_ofs`; returns a `result::*`.
    fn expand(&mut self, st: &mut Strexp) -> i32;
}

/// What one [`Strexp::expand`] call reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub result: i32,
    /// Input bytes used and output position, when the result reports them
    /// (lws leaves them unset on the fatal name-too-long and no-room results).
    pub used: Option<(usize, usize)>,
}

impl Strexp {
    pub fn new(olen: usize) -> Strexp {
        Strexp {
            olen,
            ..Strexp::default()
        }
    }

    /// Gives a fresh output buffer of `olen` bytes.
    pub fn reset_out(&mut self, olen: usize) {
        self.olen = olen;
        self.pos = 0;
    }

    fn name_str(&self) -> &[u8] {
        let end = usize::from(self.name_pos).min(NAME_LEN - 1);
        &self.name[..end]
    }

    /// Expands `input`. DONE: all used (the output is NUL-terminated when
    /// room is left). FILLED_OUT: the output is full; call again with the
    /// input from `used.0` after [`reset_out`](Self::reset_out).
    pub fn expand(&mut self, host: &mut impl Host, input: &[u8]) -> Outcome {
        let mut used = 0;
        while used < input.len() {
            let c = input[used];
            match self.state {
                state::LITERAL => {
                    if c == b'$' {
                        self.state = state::OPEN_OR_LIT;
                    } else {
                        if self.pos >= self.olen {
                            // Called again without draining the full output.
                            return self.stop(result::FILLED_OUT, used);
                        }
                        host.put(self.pos, c);
                        self.pos += 1;
                        if self.pos >= self.olen {
                            return self.stop(result::FILLED_OUT, used + 1);
                        }
                    }
                }
                state::OPEN_OR_LIT => {
                    if c == b'{' {
                        self.state = state::NAME_OR_CLOSE;
                        self.name_pos = 0;
                        self.exp_ofs = 0;
                    } else {
                        // Not an expansion: the `$` and this byte are literal
                        // (and `$$` keeps looking for a `{`).
                        if self.olen.saturating_sub(self.pos) < 3 {
                            return Outcome {
                                result: result::NO_ROOM,
                                used: None,
                            };
                        }
                        host.put(self.pos, b'$');
                        host.put(self.pos + 1, c);
                        self.pos += 2;
                        if c != b'$' {
                            self.state = state::LITERAL;
                        }
                    }
                }
                state::NAME_OR_CLOSE if c == b'}' => {
                    self.name[self.name_str().len()] = 0;
                    self.state = state::DRAIN;
                    if let Some(stop) = self.drain(host, used) {
                        return stop;
                    }
                }
                state::NAME_OR_CLOSE => {
                    if usize::from(self.name_pos) >= NAME_LEN - 1 {
                        return Outcome {
                            result: result::FATAL_NAME_TOO_LONG,
                            used: None,
                        };
                    }
                    self.name[usize::from(self.name_pos)] = c;
                    self.name_pos += 1;
                }
                // DRAIN (or a state C code wrote): the `}` of an expansion
                // that filled the output last time.
                _ => {
                    if let Some(stop) = self.drain(host, used) {
                        return stop;
                    }
                }
            }
            used += 1;
        }
        if self.pos < self.olen {
            host.put(self.pos, 0);
        }
        self.stop(result::DONE, used)
    }

    /// Runs the callback for the name; stops on FILLED_OUT or an unknown name
    /// (with the `}` not yet used, so the next call resumes the expansion).
    fn drain(&mut self, host: &mut impl Host, used: usize) -> Option<Outcome> {
        let n = host.expand(self);
        if n == result::FILLED_OUT || n == result::FATAL_NAME_UNKNOWN {
            return Some(self.stop(n, used));
        }
        self.state = state::LITERAL;
        None
    }

    fn stop(&self, result: i32, used: usize) -> Outcome {
        Outcome {
            result,
            used: Some((used, self.pos)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Output into a Vec of `room` bytes (or counting only), names from a table.
    struct Out {
        buf: Option<Vec<u8>>,
    }

    impl Host for Out {
        fn put(&mut self, at: usize, c: u8) {
            if let Some(b) = self.buf.as_mut() {
                b[at] = c;
            }
        }
        fn expand(&mut self, st: &mut Strexp) -> i32 {
            let value: &[u8] = match st.name_str() {
                b"test" => b"replacement_string",
                _ => return result::FATAL_NAME_UNKNOWN,
            };
            while st.exp_ofs < value.len() {
                if st.pos >= st.olen {
                    return result::FILLED_OUT;
                }
                let c = value[st.exp_ofs];
                self.put(st.pos, c);
                st.pos += 1;
                st.exp_ofs += 1;
            }
            result::DONE
        }
    }

    const INPUT: &[u8] = b"this-is-a-${test}-for-strexp";

    #[test]
    fn expands_into_one_buffer() {
        let mut out = Out {
            buf: Some(vec![0xff; 128]),
        };
        let mut x = Strexp::new(128);
        let r = x.expand(&mut out, INPUT);
        assert_eq!(r.result, result::DONE);
        assert_eq!(r.used, Some((28, 39)));
        let b = out.buf.unwrap_or_default();
        assert_eq!(&b[..40], b"this-is-a-replacement_string-for-strexp\0");
    }

    #[test]
    fn counts_without_a_buffer() {
        let mut out = Out { buf: None };
        let mut x = Strexp::new(usize::MAX);
        let r = x.expand(&mut out, INPUT);
        assert_eq!(
            r,
            Outcome {
                result: result::DONE,
                used: Some((28, 39))
            }
        );
    }

    #[test]
    fn streams_through_a_small_buffer() {
        let mut out = Out {
            buf: Some(vec![0; 16]),
        };
        let mut x = Strexp::new(16);
        let mut input = INPUT;
        let mut text = Vec::new();
        let mut steps = Vec::new();
        for _ in 0..10 {
            let r = x.expand(&mut out, input);
            let (used_in, used_out) = r.used.unwrap_or_default();
            steps.push((r.result, used_in, used_out));
            text.extend_from_slice(
                &out.buf
                    .as_ref()
                    .map(|b| b[..used_out].to_vec())
                    .unwrap_or_default(),
            );
            input = &input[used_in..];
            if r.result != result::FILLED_OUT {
                break;
            }
            x.reset_out(16);
        }
        assert_eq!(steps, [(1, 16, 16), (1, 5, 16), (0, 7, 7)]);
        assert_eq!(text, b"this-is-a-replacement_string-for-strexp");
    }

    #[test]
    fn literal_dollars_and_errors() {
        let mut out = Out {
            buf: Some(vec![0; 64]),
        };
        let mut x = Strexp::new(64);
        let r = x.expand(&mut out, b"a$b$$c");
        // As in lws, a `$` not followed by `{` is copied with the next byte.
        assert_eq!(r.used, Some((6, 7)));
        assert_eq!(
            out.buf.as_ref().map(|b| b[..8].to_vec()),
            Some(b"a$b$$$c\0".to_vec())
        );
        let mut x = Strexp::new(64);
        assert_eq!(
            x.expand(&mut out, b"${nope}").result,
            result::FATAL_NAME_UNKNOWN
        );
        let mut x = Strexp::new(64);
        let long = format!("${{{}}}", "n".repeat(40));
        assert_eq!(
            x.expand(&mut out, long.as_bytes()),
            Outcome {
                result: result::FATAL_NAME_TOO_LONG,
                used: None
            }
        );
        let mut x = Strexp::new(2);
        assert_eq!(x.expand(&mut out, b"$x").result, result::NO_ROOM);
    }

    #[test]
    fn a_full_output_is_never_written_past() {
        let mut out = Out {
            buf: Some(vec![0; 4]),
        };
        let mut x = Strexp::new(4);
        assert_eq!(x.expand(&mut out, b"abcdef").used, Some((4, 4)));
        // Called again without reset_out: still full, nothing written.
        let r = x.expand(&mut out, b"ef");
        assert_eq!(
            r,
            Outcome {
                result: result::FILLED_OUT,
                used: Some((0, 4))
            }
        );
    }
}
