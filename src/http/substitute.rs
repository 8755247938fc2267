//! lws's variable substitution in HTML chunks (`lws_chunked_html_process`):
//! a variable is one of the caller's names, each starting with `$` (lws
//! begins a match only at a `$`, so `"$name"` or `"${name}"`), replaced by
//! what the caller's `replace` gives for its index. A name is replaced once
//! the text read equals it and no other name starts with that text (lws's
//! unique-hit rule); text that stops matching every name is kept as it is,
//! and scanning goes on after its `$`. A match may span chunks: the text
//! read so far is held (at most [`HELD_MAX`] bytes, lws's 16-byte `swallow`
//! with its NUL) and the next chunk continues it; the last chunk flushes it.
#![forbid(unsafe_code)]

/// Longest text held while matching: lws gives up on a match at 15 bytes,
/// so a name is at most 14 bytes long.
pub const HELD_MAX: usize = 15;

/// Substitutes the names in `input`, continued from the partial match in
/// `held` (updated: what a match at the end of this chunk has read, empty
/// after the last chunk). `replace(n)` gives the text for `vars[n]`.
pub fn substitute(
    held: &mut Vec<u8>,
    input: &[u8],
    last: bool,
    vars: &[&[u8]],
    mut replace: impl FnMut(usize) -> Vec<u8>,
) -> Vec<u8> {
    let mut work = std::mem::take(held);
    work.extend_from_slice(input);
    let mut out = Vec::with_capacity(work.len());
    let mut i = 0;
    while i < work.len() {
        if work[i] != b'$' {
            out.push(work[i]);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            let cand = &work[i..end];
            let mut hits = vars.iter().enumerate().filter(|(_, v)| v.starts_with(cand));
            let first = hits.next();
            let unique = first.is_some() && hits.next().is_none();
            match first {
                None => {
                    out.push(b'$');
                    i += 1;
                    break;
                }
                _ if cand.len() >= HELD_MAX => {
                    out.push(b'$');
                    i += 1;
                    break;
                }
                Some((n, v)) if unique && v.len() == cand.len() => {
                    out.extend_from_slice(&replace(n));
                    i = end;
                    break;
                }
                Some(_) if end == work.len() => {
                    if last {
                        out.extend_from_slice(cand);
                    } else {
                        *held = cand.to_vec();
                    }
                    i = end;
                    break;
                }
                Some(_) => end += 1,
            }
        }
    }
    out
}

/// The chunk header lws writes before a chunk: its length in hex, CRLF.
pub fn chunk_header(len: usize) -> Vec<u8> {
    format!("{len:X}\r\n").into_bytes()
}

/// What follows a chunk: CRLF, and for the last one the terminating chunk.
pub fn chunk_trailer(last: bool) -> &'static [u8] {
    if last {
        b"\r\n0\r\n\r\n"
    } else {
        b"\r\n"
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;

    const VARS: [&[u8]; 3] = [b"$name", b"${host}", b"$names"];

    fn run(chunks: &[&str], vars: &[&[u8]]) -> (String, Vec<usize>) {
        let mut held = Vec::new();
        let mut asked = Vec::new();
        let mut out = Vec::new();
        for (k, c) in chunks.iter().enumerate() {
            let last = k + 1 == chunks.len();
            out.extend(substitute(&mut held, c.as_bytes(), last, vars, |n| {
                asked.push(n);
                format!("<{n}>").into_bytes()
            }));
        }
        assert!(held.is_empty());
        (String::from_utf8(out).expect("utf8"), asked)
    }

    #[test]
    fn names_are_replaced_and_other_text_kept() {
        let (out, asked) = run(&["a ${host} b $$x $ c $nam"], &VARS);
        assert_eq!(out, "a <1> b $$x $ c $nam");
        assert_eq!(asked, [1]);
    }

    #[test]
    fn a_name_that_prefixes_another_is_only_replaced_when_unique() {
        // "$name" and "$names": "$name" alone stays ambiguous, as in lws.
        let (out, _) = run(&["[$names] [$name]"], &VARS);
        assert_eq!(out, "[<2>] [$name]");
        let (out, _) = run(&["[$name]"], &[b"$name"]);
        assert_eq!(out, "[<0>]");
    }

    #[test]
    fn a_match_spans_chunk_boundaries() {
        let (out, asked) = run(&["x $", "{ho", "st} y ${h", "ost}"], &VARS);
        assert_eq!(out, "x <1> y <1>");
        assert_eq!(asked, [1, 1]);
    }

    #[test]
    fn a_held_partial_match_that_fails_or_ends_the_input_is_kept() {
        let (out, _) = run(&["a ${ho", "me} b"], &VARS);
        assert_eq!(out, "a ${home} b");
        let (out, _) = run(&["a ${ho"], &VARS);
        assert_eq!(out, "a ${ho");
        let mut held = Vec::new();
        let out = substitute(&mut held, b"a ${ho", false, &VARS, |_| Vec::new());
        assert_eq!(
            (out.as_slice(), held.as_slice()),
            (&b"a "[..], &b"${ho"[..])
        );
    }

    #[test]
    fn names_longer_than_lws_holds_never_match() {
        let long: &[u8] = b"$abcdefghijklmn"; // 15 bytes
        let ok: &[u8] = b"$abcdefghijklm"; // 14 bytes
        assert_eq!(run(&["$abcdefghijklmn"], &[long]).0, "$abcdefghijklmn");
        assert_eq!(run(&["$abcdefghijklm"], &[ok]).0, "<0>");
    }

    #[test]
    fn chunk_framing() {
        assert_eq!(chunk_header(300), b"12C\r\n");
        assert_eq!(chunk_trailer(false), b"\r\n");
        assert_eq!(chunk_trailer(true), b"\r\n0\r\n\r\n");
    }
}
