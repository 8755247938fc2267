//! `lws_token_to_string`: the text lws matches for each `WSI_TOKEN_*` index
//! (lower case, with the `:` or trailing space lws parses), in the order of
//! `enum lws_token_indexes` under the default configuration (HTTP/2, ws and
//! the uncommon headers all built in).
#![forbid(unsafe_code)]

use std::ffi::CStr;

/// Indexed by `enum lws_token_indexes`; the last, empty, entry is the first
/// client-side pseudo token, which lws never matches.
const NAMES: [&CStr; 89] = [
    c"get ",
    c"post ",
    c"options ",
    c"host:",
    c"connection:",
    c"upgrade:",
    c"origin:",
    c"sec-websocket-draft:",
    c"\r\n",
    c"sec-websocket-extensions:",
    c"sec-websocket-key1:",
    c"sec-websocket-key2:",
    c"sec-websocket-protocol:",
    c"sec-websocket-accept:",
    c"sec-websocket-nonce:",
    c"http/1.1 ",
    c"http2-settings:",
    c"accept:",
    c"access-control-request-headers:",
    c"if-modified-since:",
    c"if-none-match:",
    c"accept-encoding:",
    c"accept-language:",
    c"pragma:",
    c"cache-control:",
    c"authorization:",
    c"cookie:",
    c"content-length:",
    c"content-type:",
    c"date:",
    c"range:",
    c"referer:",
    c"sec-websocket-key:",
    c"sec-websocket-version:",
    c"sec-websocket-origin:",
    c":authority",
    c":method",
    c":path",
    c":scheme",
    c":status",
    c"accept-charset:",
    c"accept-ranges:",
    c"access-control-allow-origin:",
    c"age:",
    c"allow:",
    c"content-disposition:",
    c"content-encoding:",
    c"content-language:",
    c"content-location:",
    c"content-range:",
    c"etag:",
    c"expect:",
    c"expires:",
    c"from:",
    c"if-match:",
    c"if-range:",
    c"if-unmodified-since:",
    c"last-modified:",
    c"link:",
    c"location:",
    c"max-forwards:",
    c"proxy-authenticate:",
    c"proxy-authorization:",
    c"refresh:",
    c"retry-after:",
    c"server:",
    c"set-cookie:",
    c"strict-transport-security:",
    c"transfer-encoding:",
    c"user-agent:",
    c"vary:",
    c"via:",
    c"www-authenticate:",
    c"patch",
    c"put",
    c"delete",
    c"uri-args",
    c"proxy ",
    c"x-real-ip:",
    c"http/1.0 ",
    c"x-forwarded-for:",
    c"connect ",
    c"head ",
    c"te:",
    c"replay-nonce:",
    c":protocol",
    c"x-auth-token:",
    c"x-amzn-dss-signature:",
    c"",
];

/// The text of header token `index`, or `None` past the table.
pub fn token_name(index: u32) -> Option<&'static CStr> {
    NAMES.get(usize::try_from(index).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_line_up_with_the_token_enum() {
        assert_eq!(token_name(0), Some(c"get "));
        assert_eq!(token_name(3), Some(c"host:"), "WSI_TOKEN_HOST");
        assert_eq!(token_name(8), Some(c"\r\n"), "WSI_TOKEN_CHALLENGE");
        assert_eq!(
            token_name(27),
            Some(c"content-length:"),
            "WSI_TOKEN_HTTP_CONTENT_LENGTH"
        );
        assert_eq!(
            token_name(87),
            Some(c"x-amzn-dss-signature:"),
            "WSI_TOKEN_DSS_SIGNATURE"
        );
        assert_eq!(token_name(88), Some(c""));
        assert_eq!(token_name(89), None);
        assert_eq!(token_name(u32::MAX), None);
    }
}
