//! Tests of the form parser: every body is also fed split at every point (and
//! byte by byte), which must not change a single value or upload chunk.
#![forbid(unsafe_code)]

use super::*;

/// One upload call as the sink saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    name: String,
    filename: String,
    data: Option<Vec<u8>>,
    state: UploadState,
}

#[derive(Default)]
struct Recorder {
    seen: Vec<Seen>,
    /// Refuse the first call in this state.
    refuse: Option<UploadState>,
}

impl UploadSink for Recorder {
    fn deliver(&mut self, u: Upload<'_>) -> bool {
        self.seen.push(Seen {
            name: u.name.to_string_lossy().into_owned(),
            filename: u.filename.to_string_lossy().into_owned(),
            data: u.data.map(|d| d.to_vec()),
            state: u.state,
        });
        self.refuse != Some(u.state)
    }
}

/// What a whole parse produced.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    values: Vec<Option<Vec<u8>>>,
    lengths: Vec<usize>,
    seen: Vec<Seen>,
    process: Result<(), FormError>,
    finalize: Result<(), FormError>,
}

const CURL_CT: &[u8] = b"multipart/form-data; boundary=------------------------d74496d66958873e";
const CURL_DELIM: &str = "--------------------------d74496d66958873e";

fn names(list: &[&str]) -> Vec<Vec<u8>> {
    list.iter().map(|n| n.as_bytes().to_vec()).collect()
}

fn run(ct: Option<&[u8]>, fields: &[&str], storage: usize, pieces: &[&[u8]]) -> Outcome {
    let mut p = FormParser::new(Encoding::from_content_type(ct), names(fields), storage);
    let mut rec = Recorder::default();
    let mut process = Ok(());
    for piece in pieces {
        process = p.process(piece, &mut rec);
        if process.is_err() {
            break;
        }
    }
    let finalize = p.finalize(&mut rec);
    Outcome {
        values: (0..fields.len())
            .map(|n| p.value(n).map(<[u8]>::to_vec))
            .collect(),
        lengths: (0..fields.len()).map(|n| p.length(n)).collect(),
        seen: rec.seen,
        process,
        finalize,
    }
}

/// Parses `body` whole, then split at every point and byte by byte; all runs
/// must agree. Returns the whole-body outcome.
fn run_all_splits(ct: Option<&[u8]>, fields: &[&str], storage: usize, body: &[u8]) -> Outcome {
    let whole = run(ct, fields, storage, &[body]);
    for at in 0..=body.len() {
        let (a, b) = body.split_at(at);
        assert_eq!(
            run(ct, fields, storage, &[a, b]),
            whole,
            "split at {at} of {:?}",
            String::from_utf8_lossy(body)
        );
    }
    let bytes: Vec<&[u8]> = body.chunks(1).collect();
    assert_eq!(run(ct, fields, storage, &bytes), whole, "byte by byte");
    whole
}

fn z(s: &str) -> Option<Vec<u8>> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    Some(v)
}

fn close(name: &str, filename: &str) -> Seen {
    Seen {
        name: name.into(),
        filename: filename.into(),
        data: None,
        state: UploadState::Close,
    }
}

fn part(name: &str, filename: Option<&str>, ctype: Option<&str>, body: &str) -> String {
    let mut s = format!("{CURL_DELIM}\r\nContent-Disposition: form-data; name=\"{name}\"");
    if let Some(f) = filename {
        s += &format!("; filename=\"{f}\"");
    }
    s += "\r\n";
    if let Some(t) = ctype {
        s += &format!("Content-Type: {t}\r\n");
    }
    s + "\r\n" + body + "\r\n"
}

fn end() -> String {
    format!("{CURL_DELIM}--\r\n")
}

/// The file bytes the sink received, and the sizes of its chunks.
fn file_bytes(seen: &[Seen]) -> (Vec<u8>, Vec<usize>) {
    let mut all = Vec::new();
    let mut sizes = Vec::new();
    for s in seen {
        if matches!(s.state, UploadState::Content | UploadState::FinalContent) {
            let d = s.data.clone().unwrap_or_default();
            sizes.push(d.len());
            all.extend(d);
        }
    }
    (all, sizes)
}

#[test]
fn urlencoded_values_are_decoded_and_kept() {
    let o = run_all_splits(
        None,
        &["text1", "send"],
        1024,
        b"text1=hello+world%21%3d%2B&send=Send",
    );
    assert_eq!(o.values, vec![z("hello world!=+"), z("Send")]);
    assert_eq!(o.lengths, vec![14, 4]);
    assert_eq!(o.process, Ok(()));
    // Close reaches the receiver even without a file, with the last name.
    assert_eq!(o.seen, vec![close("send", "")]);
}

#[test]
fn urlencoded_unknown_empty_and_repeated_fields() {
    let o = run_all_splits(None, &["a", "b", "c"], 64, b"x=1&a=first&b=&zz&a=again&c");
    // An empty value is not kept; a repeated field keeps its first value and
    // counts both lengths; a bare name is an empty value.
    assert_eq!(o.values, vec![z("first"), None, None]);
    assert_eq!(o.lengths, vec![10, 0, 0]);
    assert_eq!(o.process, Ok(()));
}

#[test]
fn urlencoded_names_are_not_decoded() {
    let o = run(None, &["a+b", "a b"], 64, &[b"a+b=1&a%20b=2"]);
    assert_eq!(o.values, vec![z("1"), None]);
}

#[test]
fn urlencoded_name_of_31_bytes_is_accepted_32_is_an_error() {
    let n31 = "n".repeat(31);
    let o = run(None, &[&n31], 64, &[format!("{n31}=v").as_bytes()]);
    assert_eq!(o.values, vec![z("v")]);
    let n32 = "n".repeat(32);
    let o = run(None, &[], 64, &[format!("{n32}=v").as_bytes()]);
    assert_eq!(o.process, Err(FormError::NameTooLong));
}

#[test]
fn a_mib_long_name_fails_fast_and_later_input_is_refused() {
    let mut p = FormParser::new(Encoding::UrlEncoded, names(&["a"]), 0);
    let mut rec = Recorder::default();
    let long = vec![b'n'; 1 << 20];
    assert_eq!(p.process(&long, &mut rec), Err(FormError::NameTooLong));
    assert_eq!(p.process(b"a=1", &mut rec), Err(FormError::AlreadyFailed));
    assert_eq!(p.finalize(&mut rec), Ok(()));
    assert_eq!(p.value(0), None);
    assert_eq!(rec.seen.len(), 1);
}

#[test]
fn bad_escapes_are_errors() {
    for body in [&b"a=%g1"[..], b"a=%1g", b"zz=%%"] {
        let o = run(None, &["a"], 64, &[body]);
        assert!(
            matches!(o.process, Err(FormError::BadEscape(_))),
            "{body:?}"
        );
        assert_eq!(o.values, vec![None]);
    }
    // A truncated escape at the end is not a value.
    let o = run(None, &["a"], 64, &[b"a=x%4"]);
    assert_eq!((o.process, o.values), (Ok(()), vec![None]));
}

#[test]
fn storage_limit_as_lws_applies_it() {
    // 16 bytes: a value of L bytes fits while used + L + 1 < 16.
    let o = run(None, &["a"], 16, &[b"a=12345678901234"]);
    assert_eq!(
        (o.values.clone(), o.finalize),
        (vec![z("12345678901234")], Ok(()))
    );
    // 15 bytes do not fit: the end of the body is too late to notice, so
    // finalize reports it and the field stays undefined.
    let o = run(None, &["a"], 16, &[b"a=123456789012345"]);
    assert_eq!(o.process, Ok(()));
    assert_eq!(o.finalize, Err(FormError::StorageExceeded("a".into())));
    assert_eq!(o.values, vec![None]);
    // Any byte after a full value fails the call that brings it.
    let o = run(None, &["a"], 16, &[b"a=123456789012345&"]);
    assert_eq!(o.process, Err(FormError::StorageExceeded("a".into())));
    // Values share the budget: 6 used by "a", then b may have 8 bytes.
    let o = run(None, &["a", "b"], 16, &[b"a=12345&b=12345678&"]);
    assert_eq!(o.values, vec![z("12345"), z("12345678")]);
    let o = run(None, &["a", "b"], 16, &[b"a=12345&b=123456789&"]);
    assert_eq!(o.process, Err(FormError::StorageExceeded("b".into())));
    // Values of fields nobody asked for cost nothing, however long.
    let long = format!("x={}&a=1", "y".repeat(100_000));
    let o = run(None, &["a"], 16, &[long.as_bytes()]);
    assert_eq!(o.values, vec![z("1")]);
}

#[test]
fn zero_storage_means_512() {
    let v = "v".repeat(510);
    let o = run(None, &["a"], 0, &[format!("a={v}").as_bytes()]);
    assert_eq!(o.values, vec![z(&v)]);
    let o = run(None, &["a"], 0, &[format!("a={v}v&").as_bytes()]);
    assert!(o.process.is_err());
}

#[test]
fn ten_thousand_fields() {
    let mut body = String::new();
    for n in 0..10_000 {
        body += &format!("f{n}={n}&");
    }
    body += "last=yes";
    let o = run(None, &["f9999", "last"], 0, &[body.as_bytes()]);
    assert_eq!(o.values, vec![z("9999"), z("yes")]);
}

#[test]
fn content_type_decides_the_encoding() {
    let mp = |d: &str| Encoding::Multipart {
        delimiter: Some(format!("\r\n--{d}").into_bytes()),
    };
    assert_eq!(Encoding::from_content_type(None), Encoding::UrlEncoded);
    assert_eq!(
        Encoding::from_content_type(Some(b"application/x-www-form-urlencoded")),
        Encoding::UrlEncoded
    );
    assert_eq!(
        Encoding::from_content_type(Some(b"multipart/form-data; boundary=abc")),
        mp("abc")
    );
    assert_eq!(
        Encoding::from_content_type(Some(b"multipart/form-data; boundary=\"a b\"; x=1")),
        mp("a")
    );
    assert_eq!(
        Encoding::from_content_type(Some(b"multipart/related;boundary=xyz;type=a")),
        mp("xyz")
    );
    // Case matters, as in lws (strncmp).
    assert_eq!(
        Encoding::from_content_type(Some(b"Multipart/form-data; boundary=abc")),
        Encoding::UrlEncoded
    );
    assert_eq!(
        Encoding::from_content_type(Some(b"multipart/form-data")),
        Encoding::Multipart { delimiter: None }
    );
    let long = "b".repeat(200);
    assert_eq!(
        Encoding::from_content_type(Some(
            format!("multipart/form-data; boundary={long}").as_bytes()
        )),
        mp(&long[..123])
    );
}

#[test]
fn multipart_fields_and_a_file_as_curl_sends_them() {
    let body = part("text1", None, None, "hello\r\nworld")
        + &part(
            "file",
            Some("t.txt"),
            Some("text/plain"),
            "line1\r\n--line2\r\n",
        )
        + &part("send", None, None, "Send")
        + &end();
    let o = run_all_splits(Some(CURL_CT), &["text1", "send"], 1024, body.as_bytes());
    assert_eq!(o.process, Ok(()));
    // Multipart values are kept raw.
    assert_eq!(o.values, vec![z("hello\r\nworld"), z("Send")]);
    assert_eq!(o.lengths, vec![12, 4]);
    let file = |data: &str, state| Seen {
        name: "file".into(),
        filename: "t.txt".into(),
        data: Some(data.as_bytes().to_vec()),
        state,
    };
    assert_eq!(
        o.seen,
        vec![
            file("", UploadState::Open),
            file("line1\r\n--line2\r\n", UploadState::FinalContent),
            close("", ""),
        ]
    );
}

#[test]
fn file_chunks_follow_the_storage_room() {
    let data = "x".repeat(3000);
    let body = part("file", Some("f"), None, &data) + &end();
    let o = run(Some(CURL_CT), &[], 1024, &[body.as_bytes()]);
    let (bytes, sizes) = file_bytes(&o.seen);
    assert_eq!(bytes, data.as_bytes());
    assert_eq!(sizes, vec![1023, 1023, 954]);
    // A kept value before the file leaves less room.
    let body = part("a", None, None, "12345") + &part("file", Some("f"), None, &data) + &end();
    let o = run(Some(CURL_CT), &["a"], 1024, &[body.as_bytes()]);
    let (_, sizes) = file_bytes(&o.seen);
    assert_eq!(sizes, vec![1017, 1017, 966]);
}

#[test]
fn file_data_that_resembles_the_delimiter_is_data() {
    // Partial delimiters, CRs and dashes at every offset around chunk edges.
    let mut data = String::new();
    for n in 0..400 {
        data += &"y".repeat(n % 37);
        data += match n % 5 {
            0 => "\r",
            1 => "\r\n",
            2 => "\r\n--",
            3 => &CURL_DELIM[..n % CURL_DELIM.len()],
            _ => "\r\n-----------",
        };
    }
    let prefix = format!("\r\n--{}", &CURL_DELIM[..20]);
    data += &prefix;
    let body = part("file", Some("f"), None, &data) + &end();
    let whole = run(Some(CURL_CT), &[], 128, &[body.as_bytes()]);
    let (bytes, sizes) = file_bytes(&whole.seen);
    assert_eq!(String::from_utf8_lossy(&bytes), data);
    assert!(sizes.iter().all(|&s| s <= 127), "{sizes:?}");
    // Same chunks whatever the pieces.
    for step in [1, 2, 3, 7, 64, 127, 128, 129, 1000] {
        let pieces: Vec<&[u8]> = body.as_bytes().chunks(step).collect();
        assert_eq!(
            run(Some(CURL_CT), &[], 128, &pieces),
            whole,
            "pieces of {step}"
        );
    }
}

#[test]
fn every_split_of_a_small_upload() {
    let body = String::from("preamble\r\n")
        + &part(
            "f",
            Some("a.bin"),
            Some("application/octet-stream"),
            "ab\r\ncd\r",
        )
        + &part("k", None, None, "v")
        + &end()
        + "epilogue";
    let o = run_all_splits(Some(CURL_CT), &["k"], 8, body.as_bytes());
    assert_eq!(o.values, vec![z("v")]);
    let (bytes, sizes) = file_bytes(&o.seen);
    assert_eq!(bytes, b"ab\r\ncd\r");
    // As in lws, the room shrinks while delimiter bytes are held back: the
    // CR that might start the delimiter goes out on its own once 6 are held.
    assert_eq!(sizes, vec![6, 1, 0]);
}

#[test]
fn part_headers_are_case_insensitive_and_unknown_ones_skipped() {
    let body = format!(
        "{CURL_DELIM}\r\nX-Other--: a--b\r\nCONTENT-DISPOSITION: form-data; name=\"k\"\r\n\
         content-type: text/plain\r\n\r\nv\r\n{CURL_DELIM}--"
    );
    let o = run_all_splits(Some(CURL_CT), &["k"], 64, body.as_bytes());
    assert_eq!(o.values, vec![z("v")]);
}

#[test]
fn multipart_names_and_filenames_are_cut() {
    let name = "n".repeat(1 << 20);
    let fname = "f".repeat(1000);
    let body = part(&name, Some(&fname), None, "data") + &end();
    let o = run(Some(CURL_CT), &[], 64, &[body.as_bytes()]);
    let open = &o.seen[0];
    assert_eq!(open.state, UploadState::Open);
    assert_eq!(open.name, "n".repeat(31));
    assert_eq!(open.filename, "f".repeat(255));
    let (bytes, _) = file_bytes(&o.seen);
    assert_eq!(bytes, b"data");
}

#[test]
fn a_quoted_semicolon_stays_in_the_filename() {
    let body = format!(
        "{CURL_DELIM}\r\nContent-Disposition: form-data; name=\"up\"; filename=\"a;b.txt\"\r\n\r\nX\r\n{}",
        end()
    );
    let o = run(Some(CURL_CT), &[], 64, &[body.as_bytes()]);
    assert_eq!(o.seen[0].filename, "a;b.txt");
    assert_eq!(o.seen[0].name, "up");
}

#[test]
fn a_filename_starting_with_nul_is_no_file() {
    // lws tests `filename[0]`: the part is an ordinary field (found by the
    // `form` fuzz target; fuzz/corpus/form/regress-nul-filename).
    let body = format!(
        "{CURL_DELIM}\r\nContent-Disposition: form-data; name=\"up\"; filename=\"\0x\"\r\n\r\nX\r\n{}",
        end()
    );
    let o = run_all_splits(Some(CURL_CT), &["up"], 64, body.as_bytes());
    assert!(
        o.seen.iter().all(|s| s.state == UploadState::Close),
        "{:?}",
        o.seen
    );
    assert_eq!(o.values[0], z("X"));
}

#[test]
fn a_body_without_boundary_yields_nothing() {
    let body = part("k", None, None, "v") + &end();
    let ct = Some(&b"multipart/form-data"[..]);
    let p = FormParser::new(Encoding::from_content_type(ct), vec![], 0);
    assert!(p.lacks_boundary());
    let o = run_all_splits(ct, &["k"], 64, body.as_bytes());
    assert_eq!(o.values, vec![None]);
    assert_eq!(o.seen, vec![close("", "")]);
}

#[test]
fn an_unclosed_upload_ends_with_close_only() {
    let body = format!(
        "{CURL_DELIM}\r\nContent-Disposition: form-data; name=\"up\"; filename=\"x\"\r\n\r\n{}",
        "z".repeat(100)
    );
    let o = run_all_splits(Some(CURL_CT), &[], 64, body.as_bytes());
    let states: Vec<UploadState> = o.seen.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        vec![UploadState::Open, UploadState::Content, UploadState::Close]
    );
    assert_eq!(o.seen[2], close("up", "x"));
}

#[test]
fn a_refusing_receiver_stops_the_parse() {
    let body = part("up", Some("x"), None, &"z".repeat(100)) + &end();
    let mut p = FormParser::new(Encoding::from_content_type(Some(CURL_CT)), vec![], 32);
    let mut rec = Recorder {
        refuse: Some(UploadState::Content),
        ..Recorder::default()
    };
    assert_eq!(
        p.process(body.as_bytes(), &mut rec),
        Err(FormError::UploadRefused)
    );
    // Open's answer is ignored unless refused; only a refusal stops.
    let mut p = FormParser::new(Encoding::from_content_type(Some(CURL_CT)), vec![], 32);
    let mut rec = Recorder {
        refuse: Some(UploadState::Open),
        ..Recorder::default()
    };
    assert_eq!(
        p.process(body.as_bytes(), &mut rec),
        Err(FormError::UploadRefused)
    );
}

#[test]
fn multipart_value_over_storage_fails_at_its_delimiter_or_earlier() {
    let body = part("k", None, None, &"v".repeat(62)) + &end();
    let o = run(Some(CURL_CT), &["k"], 64, &[body.as_bytes()]);
    assert_eq!(o.values, vec![z(&"v".repeat(62))]);
    let body = part("k", None, None, &"v".repeat(63)) + &end();
    let o = run(Some(CURL_CT), &["k"], 64, &[body.as_bytes()]);
    assert_eq!(o.process, Err(FormError::StorageExceeded("k".into())));
}

#[test]
fn input_after_finalize_is_ignored() {
    let mut p = FormParser::new(Encoding::UrlEncoded, names(&["a"]), 0);
    let mut rec = Recorder::default();
    assert_eq!(p.process(b"a=1", &mut rec), Ok(()));
    assert_eq!(p.finalize(&mut rec), Ok(()));
    assert!(p.is_finalized());
    assert_eq!(p.process(b"&a=2", &mut rec), Ok(()));
    assert_eq!(p.finalize(&mut rec), Ok(()));
    assert_eq!(p.value(0), Some(&b"1\0"[..]));
    assert_eq!(rec.seen.len(), 1, "Close once");
}

#[test]
fn a_large_upload_in_bounded_memory() {
    // 8 MiB through a 1 KiB budget: the parser's buffer never grows past it.
    let chunk: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    let head = format!(
        "{CURL_DELIM}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n"
    );
    struct Count(usize, usize);
    impl UploadSink for Count {
        fn deliver(&mut self, u: Upload<'_>) -> bool {
            let n = u.data.map_or(0, |d| d.len());
            self.0 += n;
            self.1 = self.1.max(n);
            true
        }
    }
    let mut p = FormParser::new(Encoding::from_content_type(Some(CURL_CT)), vec![], 1024);
    let mut sink = Count(0, 0);
    assert_eq!(p.process(head.as_bytes(), &mut sink), Ok(()));
    for _ in 0..128 {
        assert_eq!(p.process(&chunk, &mut sink), Ok(()));
        assert!(p.pending.capacity() <= 1024);
    }
    assert_eq!(
        p.process(format!("\r\n{CURL_DELIM}--").as_bytes(), &mut sink),
        Ok(())
    );
    assert_eq!(sink.0, 8 << 20);
    assert_eq!(sink.1, 1023);
}
