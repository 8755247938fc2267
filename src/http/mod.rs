//! HTTP/1.1 pieces of the server: path sanitising, mounts, MIME types, status
//! texts (spec B5.2, B5.3, B9.1). Pure functions; the transaction flow lives in
//! `core::http_server`.
#![forbid(unsafe_code)]

pub mod spa;
pub mod substitute;

/// The headers `LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE` adds
/// to every response head, after the vhost's own `headers`, in lws 4.3.3's order and
/// spelling (Mozilla Observatory's recommendations).
pub const SECURITY_BEST_PRACTICE_HEADERS: [(&str, &str); 5] = [
    (
        "content-security-policy",
        "default-src 'none'; img-src 'self' data: ; script-src 'self'; font-src 'self'; \
         style-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; \
         base-uri 'none';form-action 'self';",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-xss-protection", "1; mode=block"),
    ("x-frame-options", "deny"),
    ("referrer-policy", "no-referrer"),
];

/// What a mount does (`LWSMPRO_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    File,
    Callback,
    RedirHttp,
    RedirHttps,
    /// Proxy and CGI mounts: not built in; requests get 404.
    Unsupported,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub mountpoint: String,
    /// Directory (File), protocol name (Callback) or URL (redirects).
    pub origin: String,
    /// Default file for a directory (File); "index.html" when not given.
    pub def: Option<String>,
    pub kind: MountKind,
    /// Extra "ext" -> MIME type pairs; "*" matches every extension.
    pub extra_mimetypes: Vec<(String, String)>,
    /// `.protocol`: the protocol a CALLBACK mount binds (lws falls back to
    /// `.origin`), or that answers a FILE mount's missing files.
    pub protocol: Option<String>,
    /// `.mountpoint_len` as given: what lws cuts off the URI it hands to the
    /// mount's protocol.
    pub mountpoint_len: usize,
    /// `cache_max_age` and the cache bitfields, for files served from the mount.
    pub cache: CachePolicy,
    /// `basic_auth_login_file`: requests need a `user:password` line of it.
    pub basic_auth_file: Option<String>,
    /// The mode bits of `auth_mask` (`LWSAUTHM_*`, the top four bits).
    pub auth_mode: u32,
}

/// lws's `lws_clean_url`: `//` collapsed to `/` after the scheme's own.
pub fn clean_url(url: &str) -> String {
    let (scheme, rest) = ["https:/", "http:/"]
        .iter()
        .find_map(|s| url.strip_prefix(s).map(|r| (&url[..s.len()], r)))
        .unwrap_or(("", url));
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    for ch in rest.chars() {
        if ch == '/' && out.ends_with('/') && out.len() > scheme.len() {
            continue;
        }
        out.push(ch);
    }
    out
}

/// What a mount's basic auth says about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BasicAuth {
    /// Go on; with the user name when a login was checked.
    Continue(Option<Vec<u8>>),
    /// 401 with the realm (and why, for the log, when there is something to say).
    Unauthorised(Option<&'static str>),
    /// 403: the Authorization header is malformed.
    Forbidden(&'static str),
}

/// lws's `lws_find_string_in_file` matcher: `wanted` followed by CR, LF or the end
/// (its quirk kept: after a mismatch the byte is not tried again as a start).
fn login_in(file: &[u8], wanted: &[u8]) -> bool {
    let mut matched = 0;
    for &b in file {
        if matched == wanted.len() {
            if b == b'\r' || b == b'\n' {
                return true;
            }
            matched = 0;
        }
        if wanted.get(matched) == Some(&b) {
            matched += 1;
        } else {
            matched = 0;
        }
    }
    matched == wanted.len()
}

/// lws's `lws_check_basic_auth` for a mount (`LWSAUTHM_DEFAULT` with a login
/// file; the callback mode is not built here and refuses every login).
pub fn basic_auth(m: &Mount, authorization: Option<&[u8]>) -> BasicAuth {
    if m.basic_auth_file.is_none() && m.auth_mode == 0 {
        return BasicAuth::Continue(None);
    }
    let Some(auth) = authorization.filter(|a| !a.is_empty()) else {
        return BasicAuth::Unauthorised(None);
    };
    // lws copies it into 160 bytes: longer (or under 7) is refused.
    if auth.len() < 7 || auth.len() >= 160 {
        return BasicAuth::Forbidden("authorization too long or short");
    }
    if !auth[..5].eq_ignore_ascii_case(b"Basic") {
        return BasicAuth::Forbidden("auth missing basic");
    }
    let mut plain = [0u8; 119];
    let n = crate::text::base64::decode(&auth[6..], &mut plain);
    if n == 0 {
        return BasicAuth::Forbidden("plain auth too long");
    }
    let plain = &plain[..n];
    let Some(colon) = plain.iter().position(|b| *b == b':') else {
        return BasicAuth::Forbidden("basic auth format broken");
    };
    if m.auth_mode != 0 {
        return BasicAuth::Unauthorised(Some("only LWSAUTHM_DEFAULT is built"));
    }
    let file = m.basic_auth_file.as_deref().unwrap_or("");
    let Ok(text) = std::fs::read(file) else {
        return BasicAuth::Unauthorised(Some("can't open auth file"));
    };
    if !login_in(&text, plain) {
        return BasicAuth::Unauthorised(Some("basic auth lookup failed"));
    }
    BasicAuth::Continue(Some(plain[..colon].to_vec()))
}

/// What a FILE mount says about caching its files (lws-context-vhost.h).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CachePolicy {
    pub max_age: u32,
    pub reusable: bool,
    pub revalidate: bool,
    pub intermediaries: bool,
}

impl CachePolicy {
    /// The cache-control value lws sends for a file: "no-store" unless the mount
    /// gives a max age and marks its files reusable.
    pub fn header_value(&self) -> String {
        if self.max_age == 0 || !self.reusable {
            return "no-store".to_string();
        }
        let who = if self.intermediaries {
            "public"
        } else {
            "private"
        };
        if self.revalidate {
            format!("must-revalidate, {who}, max-age={}", self.max_age)
        } else {
            format!("{who}, max-age={}", self.max_age)
        }
    }
}

impl Mount {
    /// The protocol a CALLBACK mount binds: `.protocol`, else `.origin` (lws).
    pub fn callback_protocol(&self) -> &str {
        self.protocol.as_deref().unwrap_or(&self.origin)
    }

    /// The URI as lws hands it to the mount's named protocol: without the first
    /// `mountpoint_len` bytes.
    pub fn strip<'a>(&self, path: &'a str) -> &'a str {
        path.get(self.mountpoint_len.min(path.len())..)
            .unwrap_or("")
    }
}

/// Decodes `%xx`, collapses `//`, drops `/./` and resolves `/../` without ever
/// climbing above `/`. None for a bad escape or an escaped NUL / CR / LF (the
/// request then gets 403, B9.1).
pub fn sanitise_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let v = hex_byte(bytes.get(i + 1..i + 3)?)?;
            if matches!(v, 0 | b'\r' | b'\n') {
                return None;
            }
            decoded.push(v);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(decoded).ok()?;
    if !text.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in text.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&parts.join("/"));
    if text.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    Some(out)
}

/// Two hex digits as a byte. (Not `u8::from_str_radix`, which also takes a
/// sign: "%+9" would decode to a tab.)
fn hex_byte(hex: &[u8]) -> Option<u8> {
    let digit = |c: u8| char::from(c).to_digit(16);
    match hex {
        [hi, lo] => Some((digit(*hi)? * 16 + digit(*lo)?) as u8),
        _ => None,
    }
}

/// `%xx` and `+` decoding of a URL argument (`lws_get_urlarg_by_name`,
/// `WSI_TOKEN_HTTP_URI_ARGS`); a `%` not followed by two hex digits stays as it is.
pub fn url_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match b.get(i + 1..i + 3).and_then(hex_byte) {
                Some(v) => {
                    out.push(v);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The longest mount whose mountpoint prefixes `path` at a `/` boundary; a
/// mountpoint of "/" matches everything (B5.2).
pub fn match_mount<'a>(mounts: &'a [Mount], path: &str) -> Option<&'a Mount> {
    mounts
        .iter()
        .filter(|m| {
            let mp = m.mountpoint.trim_end_matches('/');
            mp.is_empty() || path == mp || path.starts_with(&format!("{mp}/"))
        })
        .max_by_key(|m| m.mountpoint.trim_end_matches('/').len())
}

/// lws 4.3.3's own MIME types, matched as file-name suffixes in this order.
pub const SERVER_MIMETYPES: [(&str, &str); 19] = [
    (".html", "text/html"),
    (".htm", "text/html"),
    (".js", "text/javascript"),
    (".css", "text/css"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".ico", "image/x-icon"),
    (".gif", "image/gif"),
    (".svg", "image/svg+xml"),
    (".ttf", "application/x-font-ttf"),
    (".otf", "application/font-woff"),
    (".woff", "application/font-woff"),
    (".woff2", "application/font-woff2"),
    (".gz", "application/gzip"),
    (".txt", "text/plain"),
    (".xml", "application/xml"),
    (".json", "application/json"),
    (".mjs", "text/javascript"),
];

/// Where `lws_get_mimetype` found a file's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MimeSource {
    /// The mount's `extra_mimetypes` entry at this index (its name is a suffix of
    /// the file name, or `*` when nothing else matched).
    Extra(usize),
    /// `SERVER_MIMETYPES` at this index.
    Server(usize),
}

fn ends_with_nocase(name: &str, suffix: &str) -> bool {
    name.len() > suffix.len()
        && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// lws's lookup: the mount's extra types by suffix (case-insensitive; the name
/// must be longer than the suffix), then lws's table, then the first `*` entry.
pub fn mime_lookup(name: &str, extra: &[(String, String)]) -> Option<MimeSource> {
    let mut any = None;
    for (i, (suffix, _)) in extra.iter().enumerate() {
        if suffix.starts_with('*') {
            any = any.or(Some(i));
            continue;
        }
        if ends_with_nocase(name, suffix) {
            return Some(MimeSource::Extra(i));
        }
    }
    SERVER_MIMETYPES
        .iter()
        .position(|(suffix, _)| ends_with_nocase(name, suffix))
        .map(MimeSource::Server)
        .or(any.map(MimeSource::Extra))
}

/// The MIME type lws gives a file name (`lws_get_mimetype`); None: unknown
/// (a FILE mount then answers 415).
pub fn mime_for(name: &str, extra: &[(String, String)]) -> Option<String> {
    mime_lookup(name, extra).map(|m| match m {
        MimeSource::Extra(i) => extra[i].1.clone(),
        MimeSource::Server(i) => SERVER_MIMETYPES[i].1.to_string(),
    })
}

/// `lws_http_cookie_get` on an HTTP/1 `Cookie` header, as lws scans it: the
/// first `name=` (no word boundary is checked), its value up to `;` or the end.
/// `Err(1)`: not there; `Err(2)`: the value does not fit `max` bytes with its NUL.
pub fn cookie_value(header: &[u8], name: &[u8], max: usize) -> Result<Vec<u8>, i32> {
    if header.len() < name.len() + 1 {
        return Err(1);
    }
    let at = (name.len()..header.len())
        .find(|&i| header[i] == b'=' && &header[i - name.len()..i] == name)
        .ok_or(1)?;
    let value: Vec<u8> = header[at + 1..]
        .iter()
        .take_while(|b| **b != b';')
        .copied()
        .collect();
    if value.len() >= max {
        return Err(2);
    }
    Ok(value)
}

/// `lws_http_check_retry_after`: the interval a `Retry-After` value asks for, in
/// microseconds, when it is longer than `current` (lws only lengthens it). A value
/// under 9 bytes is a number of seconds (atoi); a longer one an HTTP date, taken
/// relative to the response's `Date` (else `now`); a date not in the future, or
/// one that does not parse, gives None.
pub fn retry_after(value: &[u8], date: Option<&[u8]>, now: i64, current: i64) -> Option<i64> {
    let us = if value.len() < 9 {
        let digits: String = value
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .map(|b| char::from(*b))
            .collect();
        digits.parse::<i64>().unwrap_or(0).saturating_mul(1_000_000)
    } else {
        let t = crate::text::date::parse(value)?;
        let td = date.and_then(crate::text::date::parse).unwrap_or(now);
        if td >= t {
            return None;
        }
        (t - td).saturating_mul(1_000_000)
    };
    (us >= current).then_some(us)
}

/// The reason phrase lws puts in a status line.
pub fn status_text(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        300..=303 | 307 | 308 => "Redirect",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Auth Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request URI too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// A `Range` the body cannot satisfy (answered with 416).
#[derive(Debug, PartialEq, Eq)]
pub struct Unsatisfiable;

/// A `Range: bytes=a-b` request against a body of `len` bytes: the inclusive
/// range to send, or Ok(None) for a whole-body send.
pub fn parse_range(header: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, Unsatisfiable> {
    let Some(h) = header else {
        return Ok(None);
    };
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(Unsatisfiable)?;
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.is_empty(), b.is_empty()) {
        (false, _) => {
            let start: u64 = a.parse().map_err(|_| Unsatisfiable)?;
            let end = if b.is_empty() {
                len.saturating_sub(1)
            } else {
                b.parse::<u64>()
                    .map_err(|_| Unsatisfiable)?
                    .min(len.saturating_sub(1))
            };
            (start, end)
        }
        (true, false) => {
            let n: u64 = b.parse().map_err(|_| Unsatisfiable)?;
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (true, true) => return Err(Unsatisfiable),
    };
    if len == 0 || range.0 > range.1 || range.0 >= len {
        return Err(Unsatisfiable);
    }
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_climb_above_root_spec_b5_2() {
        assert_eq!(sanitise_path("/a//b/./c/../d").as_deref(), Some("/a/b/d"));
        assert_eq!(
            sanitise_path("/../../etc/passwd").as_deref(),
            Some("/etc/passwd")
        );
        assert_eq!(sanitise_path("/%2e%2e/x").as_deref(), Some("/x"));
        assert_eq!(sanitise_path("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(sanitise_path("/dir/").as_deref(), Some("/dir/"));
        assert_eq!(sanitise_path("/%zz"), None);
        assert_eq!(sanitise_path("/%00"), None);
        // Found by the http_url fuzz target: a sign is not a hex digit.
        assert_eq!(sanitise_path("/a%+2e"), None);
        assert_eq!(sanitise_path("/a%-1"), None);
        assert_eq!(sanitise_path("x"), None);
    }

    #[test]
    fn url_arguments_are_decoded() {
        assert_eq!(url_decode("a%20b+c"), b"a b c");
        assert_eq!(url_decode("x=%zz"), b"x=%zz");
        assert_eq!(url_decode("%4"), b"%4");
        // The sign bug the http_url fuzz target found in sanitise_path: "%+1"
        // is no escape ('+' is then a space as usual).
        assert_eq!(url_decode("a=%+1"), b"a=% 1");
    }

    #[test]
    fn longest_mount_wins_at_a_slash_boundary() {
        let m = |mp: &str| Mount {
            mountpoint: mp.into(),
            origin: String::new(),
            def: None,
            kind: MountKind::File,
            extra_mimetypes: vec![],
            protocol: None,
            mountpoint_len: mp.len(),
            cache: CachePolicy::default(),
            basic_auth_file: None,
            auth_mode: 0,
        };
        let mounts = vec![m("/"), m("/static"), m("/static/img")];
        assert_eq!(
            match_mount(&mounts, "/static/img/a.png").map(|x| x.mountpoint.as_str()),
            Some("/static/img")
        );
        assert_eq!(
            match_mount(&mounts, "/static").map(|x| x.mountpoint.as_str()),
            Some("/static")
        );
        assert_eq!(
            match_mount(&mounts, "/staticx").map(|x| x.mountpoint.as_str()),
            Some("/")
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range(Some("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(parse_range(Some("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(parse_range(Some("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(parse_range(Some("bytes=200-300"), 100), Err(Unsatisfiable));
        assert_eq!(parse_range(None, 100), Ok(None));
    }

    #[test]
    fn multipart_parts_frame_a_form() {
        let b = "B";
        let mut body = multipart_part(b, false, Some("a"), None, None);
        body.push('1');
        body.push_str(&multipart_part(
            b,
            true,
            Some("f"),
            Some("x.txt"),
            Some("text/plain"),
        ));
        body.push('2');
        body.push_str(&multipart_part(b, true, None, None, None));
        assert_eq!(
            body,
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\nContent-Type: text/plain\r\n\r\n2\r\n--B--\r\n"
        );
    }

    #[test]
    fn cookies_and_retry_after_as_lws() {
        let h = b"a=1; session=abc; xname=q";
        assert_eq!(cookie_value(h, b"session", 16), Ok(b"abc".to_vec()));
        assert_eq!(cookie_value(h, b"a", 16), Ok(b"1".to_vec()));
        assert_eq!(
            cookie_value(h, b"name", 16),
            Ok(b"q".to_vec()),
            "no word boundary"
        );
        assert_eq!(cookie_value(h, b"none", 16), Err(1));
        assert_eq!(cookie_value(h, b"session", 3), Err(2));
        assert_eq!(cookie_value(h, b"session", 4), Ok(b"abc".to_vec()));
        assert_eq!(retry_after(b"120", None, 0, 0), Some(120_000_000));
        assert_eq!(
            retry_after(b"1", None, 0, 5_000_000),
            None,
            "only lengthens"
        );
        let date = b"Thu, 01 Jan 1970 00:01:40 GMT";
        assert_eq!(retry_after(date, None, 40, 0), Some(60_000_000));
        assert_eq!(
            retry_after(date, Some(b"Thu, 01 Jan 1970 00:01:30 GMT"), 0, 0),
            Some(10_000_000),
            "relative to the server's Date"
        );
        assert_eq!(retry_after(date, None, 100, 0), None);
        assert_eq!(retry_after(b"not a date at all", None, 0, 0), None);
    }

    #[test]
    fn urls_are_cleaned_as_lws() {
        assert_eq!(clean_url("http://h//a//b/"), "http://h/a/b/");
        assert_eq!(clean_url("https://h/x"), "https://h/x");
        assert_eq!(clean_url("a//b"), "a/b");
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_for("a.HTML", &[]).as_deref(), Some("text/html"));
        assert_eq!(mime_for("a.xyz", &[]), None);
        assert_eq!(mime_for("a.js", &[]).as_deref(), Some("text/javascript"));
        assert_eq!(
            mime_for(".js", &[]),
            None,
            "the name must be longer than the suffix"
        );
        let zip = [
            ("*".to_string(), "application/x-any".to_string()),
            (".zip".to_string(), "application/zip".to_string()),
        ];
        assert_eq!(mime_for("a.ZIP", &zip).as_deref(), Some("application/zip"));
        assert_eq!(mime_for("a.css", &zip).as_deref(), Some("text/css"));
        assert_eq!(
            mime_for("a.bin", &zip).as_deref(),
            Some("application/x-any")
        );
        assert_eq!(
            mime_for("a.xyz", &[("*".into(), "application/octet-stream".into())]).as_deref(),
            Some("application/octet-stream")
        );
    }
}

/// One multipart/form-data part header, or with `name` None the closing
/// delimiter; `subsequent` parts start by ending the previous one.
pub fn multipart_part(
    boundary: &str,
    subsequent: bool,
    name: Option<&str>,
    filename: Option<&str>,
    content_type: Option<&str>,
) -> String {
    let Some(name) = name else {
        return format!("\r\n--{boundary}--\r\n");
    };
    let mut s = String::new();
    if subsequent {
        s.push_str("\r\n");
    }
    s.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
    ));
    if let Some(f) = filename {
        s.push_str(&format!("; filename=\"{f}\""));
    }
    if let Some(t) = content_type {
        s.push_str(&format!("\r\nContent-Type: {t}"));
    }
    s.push_str("\r\n\r\n");
    s
}

/// Decodes a response body framed by Content-Length, chunked encoding, or the
/// end of the connection.
#[derive(Debug)]
pub enum BodyDecoder {
    Length(u64),
    Chunked(ChunkState),
    UntilClose,
    Done,
}

/// Where a chunked decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkState {
    Size,
    Data(u64),
    DataEnd,
    Trailers,
}

/// The longest chunk-size, chunk-end or trailer line accepted (without its LF).
const MAX_CHUNK_LINE: usize = 1024;

/// Bad chunked framing.
#[derive(Debug, PartialEq, Eq)]
pub struct BadChunk;

impl BodyDecoder {
    pub fn is_done(&self) -> bool {
        matches!(self, BodyDecoder::Done)
    }

    /// Decodes what it can from `input`, appending body bytes to `out`;
    /// returns how many input bytes were used.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, BadChunk> {
        let mut pos = 0;
        loop {
            match self {
                BodyDecoder::Done => return Ok(pos),
                BodyDecoder::UntilClose => {
                    out.extend_from_slice(&input[pos..]);
                    return Ok(input.len());
                }
                BodyDecoder::Length(left) => {
                    let n = (*left).min((input.len() - pos) as u64) as usize;
                    out.extend_from_slice(&input[pos..pos + n]);
                    *left -= n as u64;
                    pos += n;
                    if *left == 0 {
                        *self = BodyDecoder::Done;
                    }
                    return Ok(pos);
                }
                BodyDecoder::Chunked(state) => {
                    let rest = &input[pos..];
                    match *state {
                        ChunkState::Size | ChunkState::DataEnd | ChunkState::Trailers => {
                            // Lines are capped whether or not their end has
                            // arrived, so the verdict does not depend on read sizes.
                            let nl = rest.iter().position(|b| *b == b'\n');
                            if nl.unwrap_or(rest.len()) > MAX_CHUNK_LINE {
                                return Err(BadChunk);
                            }
                            let Some(nl) = nl else {
                                return Ok(pos);
                            };
                            let line = std::str::from_utf8(&rest[..nl])
                                .map_err(|_| BadChunk)?
                                .trim();
                            pos += nl + 1;
                            match *state {
                                ChunkState::DataEnd => {
                                    if !line.is_empty() {
                                        return Err(BadChunk);
                                    }
                                    *state = ChunkState::Size;
                                }
                                ChunkState::Trailers => {
                                    if line.is_empty() {
                                        *self = BodyDecoder::Done;
                                    }
                                }
                                _ => {
                                    let hex = line.split(';').next().unwrap_or("").trim();
                                    // Digits only: from_str_radix also takes a sign.
                                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                        return Err(BadChunk);
                                    }
                                    let size =
                                        u64::from_str_radix(hex, 16).map_err(|_| BadChunk)?;
                                    *state = if size == 0 {
                                        ChunkState::Trailers
                                    } else {
                                        ChunkState::Data(size)
                                    };
                                }
                            }
                        }
                        ChunkState::Data(left) => {
                            let n = left.min(rest.len() as u64) as usize;
                            if n == 0 {
                                return Ok(pos);
                            }
                            out.extend_from_slice(&rest[..n]);
                            pos += n;
                            *state = if left == n as u64 {
                                ChunkState::DataEnd
                            } else {
                                ChunkState::Data(left - n as u64)
                            };
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;

    #[test]
    fn chunked_bodies_decode_across_splits() {
        let wire = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-T: 1\r\n\r\n";
        for split in 0..wire.len() {
            let mut d = BodyDecoder::Chunked(ChunkState::Size);
            let mut out = Vec::new();
            let mut buf = wire[..split].to_vec();
            let used = d.decode(&buf, &mut out).map_err(|_| ()).unwrap_or(0);
            buf.drain(..used);
            buf.extend_from_slice(&wire[split..]);
            let _ = d.decode(&buf, &mut out);
            assert_eq!(out, b"hello world", "split at {split}");
            assert!(d.is_done(), "split at {split}");
        }
    }

    #[test]
    fn length_bodies_stop_at_the_length() {
        let mut d = BodyDecoder::Length(3);
        let mut out = Vec::new();
        assert_eq!(d.decode(b"abcdef", &mut out), Ok(3));
        assert_eq!(out, b"abc");
        assert!(d.is_done());
    }

    #[test]
    fn bad_chunk_size_is_an_error() {
        let mut d = BodyDecoder::Chunked(ChunkState::Size);
        assert_eq!(d.decode(b"zz\r\n", &mut Vec::new()), Err(BadChunk));
        // Found by the http_chunked fuzz target: a sign is not a hex digit.
        for bad in [&b"+0\n\n"[..], b"+5\r\nhello\r\n0\r\n\r\n", b"-0\r\n"] {
            let mut d = BodyDecoder::Chunked(ChunkState::Size);
            assert_eq!(d.decode(bad, &mut Vec::new()), Err(BadChunk), "{bad:?}");
        }
    }

    #[test]
    fn long_chunk_lines_fail_whatever_the_read_sizes() {
        let mut wire = b"5;".to_vec();
        wire.extend(std::iter::repeat_n(b'x', MAX_CHUNK_LINE));
        wire.extend_from_slice(b"\r\nhello\r\n0\r\n\r\n");
        let mut whole = BodyDecoder::Chunked(ChunkState::Size);
        assert_eq!(whole.decode(&wire, &mut Vec::new()), Err(BadChunk));
        let mut split = BodyDecoder::Chunked(ChunkState::Size);
        assert_eq!(split.decode(&wire[..600], &mut Vec::new()), Ok(0));
        assert_eq!(split.decode(&wire, &mut Vec::new()), Err(BadChunk));
    }
}
