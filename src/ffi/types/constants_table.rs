// The ABI constants of libwebsockets 4.3.3: the one place their names and values
// are written down. This file is not a module: it is `include!`d twice.
// - src/ffi/types/consts.rs expands it into Rust constants (`pub const NAME: ty = value;`).
// - build.rs expands it into include/libwebsockets/lws-constants.h (C enums and #defines).
// Values are checked against shared/abi/constants.tsv by scripts/check-abi.sh.
//
// Grammar (each group is preceded by `///` doc lines, which become C comments):
//   enum TAG: RUST_ALIAS { NAME = value, ... }          -> enum TAG { ... };
//   typedef enum TAG: RUST_ALIAS { NAME = value, ... }  -> typedef enum TAG { ... } RUST_ALIAS;
//   defines GROUP: RUST_TYPE [as "suffix"] { NAME = value, ... }
//                                                       -> #define NAME (value), the suffix is
//                                                          added to literals that are not shift
//                                                          counts (for 64-bit flags: `1ll << n`)
//   const NAME: RUST_TYPE = value => "C text";          -> #define NAME C text
//   anon enum GROUP: RUST_TYPE { NAME = value, ... }    -> enum { ... }; (lws's untagged enums)
// Values must be valid both as Rust and (once stringified) as C expressions: decimal or hex
// literals without `_` separators or type suffixes, `<<`, `|`, and names defined earlier.

lws_abi_constants! {
    /// Why a protocol callback (`lws_callback_function`) is being called.
    enum lws_callback_reasons: lws_callback_reasons {
        LWS_CALLBACK_PROTOCOL_INIT = 27,
        LWS_CALLBACK_PROTOCOL_DESTROY = 28,
        LWS_CALLBACK_WSI_CREATE = 29,
        LWS_CALLBACK_WSI_DESTROY = 30,
        LWS_CALLBACK_WSI_TX_CREDIT_GET = 103,
        LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS = 21,
        LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS = 22,
        LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION = 23,
        LWS_CALLBACK_SSL_INFO = 67,
        LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION = 58,
        LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED = 19,
        LWS_CALLBACK_HTTP = 12,
        LWS_CALLBACK_HTTP_BODY = 13,
        LWS_CALLBACK_HTTP_BODY_COMPLETION = 14,
        LWS_CALLBACK_HTTP_FILE_COMPLETION = 15,
        LWS_CALLBACK_HTTP_WRITEABLE = 16,
        LWS_CALLBACK_CLOSED_HTTP = 5,
        LWS_CALLBACK_FILTER_HTTP_CONNECTION = 18,
        LWS_CALLBACK_ADD_HEADERS = 53,
        LWS_CALLBACK_VERIFY_BASIC_AUTHORIZATION = 102,
        LWS_CALLBACK_CHECK_ACCESS_RIGHTS = 51,
        LWS_CALLBACK_PROCESS_HTML = 52,
        LWS_CALLBACK_HTTP_BIND_PROTOCOL = 49,
        LWS_CALLBACK_HTTP_DROP_PROTOCOL = 50,
        LWS_CALLBACK_HTTP_CONFIRM_UPGRADE = 86,
        LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP = 44,
        LWS_CALLBACK_CLOSED_CLIENT_HTTP = 45,
        LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ = 48,
        LWS_CALLBACK_RECEIVE_CLIENT_HTTP = 46,
        LWS_CALLBACK_COMPLETED_CLIENT_HTTP = 47,
        LWS_CALLBACK_CLIENT_HTTP_WRITEABLE = 57,
        LWS_CALLBACK_CLIENT_HTTP_REDIRECT = 104,
        LWS_CALLBACK_CLIENT_HTTP_BIND_PROTOCOL = 85,
        LWS_CALLBACK_CLIENT_HTTP_DROP_PROTOCOL = 76,
        LWS_CALLBACK_ESTABLISHED = 0,
        LWS_CALLBACK_CLOSED = 4,
        LWS_CALLBACK_SERVER_WRITEABLE = 11,
        LWS_CALLBACK_RECEIVE = 6,
        LWS_CALLBACK_RECEIVE_PONG = 7,
        LWS_CALLBACK_WS_PEER_INITIATED_CLOSE = 38,
        LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION = 20,
        LWS_CALLBACK_CONFIRM_EXTENSION_OKAY = 25,
        LWS_CALLBACK_WS_SERVER_BIND_PROTOCOL = 77,
        LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL = 78,
        LWS_CALLBACK_CLIENT_CONNECTION_ERROR = 1,
        LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH = 2,
        LWS_CALLBACK_CLIENT_ESTABLISHED = 3,
        LWS_CALLBACK_CLIENT_CLOSED = 75,
        LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER = 24,
        LWS_CALLBACK_CLIENT_RECEIVE = 8,
        LWS_CALLBACK_CLIENT_RECEIVE_PONG = 9,
        LWS_CALLBACK_CLIENT_WRITEABLE = 10,
        LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED = 26,
        LWS_CALLBACK_WS_EXT_DEFAULTS = 39,
        LWS_CALLBACK_FILTER_NETWORK_CONNECTION = 17,
        LWS_CALLBACK_WS_CLIENT_BIND_PROTOCOL = 79,
        LWS_CALLBACK_WS_CLIENT_DROP_PROTOCOL = 80,
        LWS_CALLBACK_GET_THREAD_ID = 31,
        LWS_CALLBACK_ADD_POLL_FD = 32,
        LWS_CALLBACK_DEL_POLL_FD = 33,
        LWS_CALLBACK_CHANGE_MODE_POLL_FD = 34,
        LWS_CALLBACK_LOCK_POLL = 35,
        LWS_CALLBACK_UNLOCK_POLL = 36,
        LWS_CALLBACK_CGI = 40,
        LWS_CALLBACK_CGI_TERMINATED = 41,
        LWS_CALLBACK_CGI_STDIN_DATA = 42,
        LWS_CALLBACK_CGI_STDIN_COMPLETED = 43,
        LWS_CALLBACK_CGI_PROCESS_ATTACH = 70,
        LWS_CALLBACK_SESSION_INFO = 54,
        LWS_CALLBACK_GS_EVENT = 55,
        LWS_CALLBACK_HTTP_PMO = 56,
        LWS_CALLBACK_RAW_PROXY_CLI_RX = 89,
        LWS_CALLBACK_RAW_PROXY_SRV_RX = 90,
        LWS_CALLBACK_RAW_PROXY_CLI_CLOSE = 91,
        LWS_CALLBACK_RAW_PROXY_SRV_CLOSE = 92,
        LWS_CALLBACK_RAW_PROXY_CLI_WRITEABLE = 93,
        LWS_CALLBACK_RAW_PROXY_SRV_WRITEABLE = 94,
        LWS_CALLBACK_RAW_PROXY_CLI_ADOPT = 95,
        LWS_CALLBACK_RAW_PROXY_SRV_ADOPT = 96,
        LWS_CALLBACK_RAW_PROXY_CLI_BIND_PROTOCOL = 97,
        LWS_CALLBACK_RAW_PROXY_SRV_BIND_PROTOCOL = 98,
        LWS_CALLBACK_RAW_PROXY_CLI_DROP_PROTOCOL = 99,
        LWS_CALLBACK_RAW_PROXY_SRV_DROP_PROTOCOL = 100,
        LWS_CALLBACK_RAW_RX = 59,
        LWS_CALLBACK_RAW_CLOSE = 60,
        LWS_CALLBACK_RAW_WRITEABLE = 61,
        LWS_CALLBACK_RAW_ADOPT = 62,
        LWS_CALLBACK_RAW_CONNECTED = 101,
        LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL = 81,
        LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL = 82,
        LWS_CALLBACK_RAW_ADOPT_FILE = 63,
        LWS_CALLBACK_RAW_RX_FILE = 64,
        LWS_CALLBACK_RAW_WRITEABLE_FILE = 65,
        LWS_CALLBACK_RAW_CLOSE_FILE = 66,
        LWS_CALLBACK_RAW_FILE_BIND_PROTOCOL = 83,
        LWS_CALLBACK_RAW_FILE_DROP_PROTOCOL = 84,
        LWS_CALLBACK_TIMER = 73,
        LWS_CALLBACK_EVENT_WAIT_CANCELLED = 71,
        LWS_CALLBACK_CHILD_CLOSING = 69,
        LWS_CALLBACK_CONNECTING = 105,
        LWS_CALLBACK_VHOST_CERT_AGING = 72,
        LWS_CALLBACK_VHOST_CERT_UPDATE = 74,
        LWS_CALLBACK_MQTT_NEW_CLIENT_INSTANTIATED = 200,
        LWS_CALLBACK_MQTT_IDLE = 201,
        LWS_CALLBACK_MQTT_CLIENT_ESTABLISHED = 202,
        LWS_CALLBACK_MQTT_SUBSCRIBED = 203,
        LWS_CALLBACK_MQTT_CLIENT_WRITEABLE = 204,
        LWS_CALLBACK_MQTT_CLIENT_RX = 205,
        LWS_CALLBACK_MQTT_UNSUBSCRIBED = 206,
        LWS_CALLBACK_MQTT_DROP_PROTOCOL = 207,
        LWS_CALLBACK_MQTT_CLIENT_CLOSED = 208,
        LWS_CALLBACK_MQTT_ACK = 209,
        LWS_CALLBACK_MQTT_RESEND = 210,
        LWS_CALLBACK_MQTT_UNSUBSCRIBE_TIMEOUT = 211,
        LWS_CALLBACK_MQTT_SHADOW_TIMEOUT = 212,
        LWS_CALLBACK_USER = 1000,
    }
    /// What `lws_write()` sends; the low values pick the kind, the high bits are
    /// flags that may be or-ed in (`LWS_WRITE_NO_FIN`, `LWS_WRITE_H2_STREAM_END`, ...).
    enum lws_write_protocol: lws_write_protocol {
        LWS_WRITE_TEXT = 0,
        LWS_WRITE_BINARY = 1,
        LWS_WRITE_CONTINUATION = 2,
        LWS_WRITE_HTTP = 3,
        LWS_WRITE_PING = 5,
        LWS_WRITE_PONG = 6,
        LWS_WRITE_HTTP_FINAL = 7,
        LWS_WRITE_HTTP_HEADERS = 8,
        LWS_WRITE_HTTP_HEADERS_CONTINUATION = 9,
        LWS_WRITE_BUFLIST = 0x20,
        LWS_WRITE_NO_FIN = 0x40,
        LWS_WRITE_H2_STREAM_END = 0x80,
        LWS_WRITE_CLIENT_IGNORE_XOR_MASK = 0x80,
    }
    /// Indexes of the HTTP header and pseudo-header slots a connection keeps.
    enum lws_token_indexes: lws_token_indexes {
        WSI_TOKEN_GET_URI = 0,
        WSI_TOKEN_POST_URI = 1,
        WSI_TOKEN_OPTIONS_URI = 2,
        WSI_TOKEN_HOST = 3,
        WSI_TOKEN_CONNECTION = 4,
        WSI_TOKEN_UPGRADE = 5,
        WSI_TOKEN_ORIGIN = 6,
        WSI_TOKEN_DRAFT = 7,
        WSI_TOKEN_CHALLENGE = 8,
        WSI_TOKEN_EXTENSIONS = 9,
        WSI_TOKEN_KEY1 = 10,
        WSI_TOKEN_KEY2 = 11,
        WSI_TOKEN_PROTOCOL = 12,
        WSI_TOKEN_ACCEPT = 13,
        WSI_TOKEN_NONCE = 14,
        WSI_TOKEN_HTTP = 15,
        WSI_TOKEN_HTTP2_SETTINGS = 16,
        WSI_TOKEN_HTTP_ACCEPT = 17,
        WSI_TOKEN_HTTP_AC_REQUEST_HEADERS = 18,
        WSI_TOKEN_HTTP_IF_MODIFIED_SINCE = 19,
        WSI_TOKEN_HTTP_IF_NONE_MATCH = 20,
        WSI_TOKEN_HTTP_ACCEPT_ENCODING = 21,
        WSI_TOKEN_HTTP_ACCEPT_LANGUAGE = 22,
        WSI_TOKEN_HTTP_PRAGMA = 23,
        WSI_TOKEN_HTTP_CACHE_CONTROL = 24,
        WSI_TOKEN_HTTP_AUTHORIZATION = 25,
        WSI_TOKEN_HTTP_COOKIE = 26,
        WSI_TOKEN_HTTP_CONTENT_LENGTH = 27,
        WSI_TOKEN_HTTP_CONTENT_TYPE = 28,
        WSI_TOKEN_HTTP_DATE = 29,
        WSI_TOKEN_HTTP_RANGE = 30,
        WSI_TOKEN_HTTP_REFERER = 31,
        WSI_TOKEN_KEY = 32,
        WSI_TOKEN_VERSION = 33,
        WSI_TOKEN_SWORIGIN = 34,
        WSI_TOKEN_HTTP_COLON_AUTHORITY = 35,
        WSI_TOKEN_HTTP_COLON_METHOD = 36,
        WSI_TOKEN_HTTP_COLON_PATH = 37,
        WSI_TOKEN_HTTP_COLON_SCHEME = 38,
        WSI_TOKEN_HTTP_COLON_STATUS = 39,
        WSI_TOKEN_HTTP_ACCEPT_CHARSET = 40,
        WSI_TOKEN_HTTP_ACCEPT_RANGES = 41,
        WSI_TOKEN_HTTP_ACCESS_CONTROL_ALLOW_ORIGIN = 42,
        WSI_TOKEN_HTTP_AGE = 43,
        WSI_TOKEN_HTTP_ALLOW = 44,
        WSI_TOKEN_HTTP_CONTENT_DISPOSITION = 45,
        WSI_TOKEN_HTTP_CONTENT_ENCODING = 46,
        WSI_TOKEN_HTTP_CONTENT_LANGUAGE = 47,
        WSI_TOKEN_HTTP_CONTENT_LOCATION = 48,
        WSI_TOKEN_HTTP_CONTENT_RANGE = 49,
        WSI_TOKEN_HTTP_ETAG = 50,
        WSI_TOKEN_HTTP_EXPECT = 51,
        WSI_TOKEN_HTTP_EXPIRES = 52,
        WSI_TOKEN_HTTP_FROM = 53,
        WSI_TOKEN_HTTP_IF_MATCH = 54,
        WSI_TOKEN_HTTP_IF_RANGE = 55,
        WSI_TOKEN_HTTP_IF_UNMODIFIED_SINCE = 56,
        WSI_TOKEN_HTTP_LAST_MODIFIED = 57,
        WSI_TOKEN_HTTP_LINK = 58,
        WSI_TOKEN_HTTP_LOCATION = 59,
        WSI_TOKEN_HTTP_MAX_FORWARDS = 60,
        WSI_TOKEN_HTTP_PROXY_AUTHENTICATE = 61,
        WSI_TOKEN_HTTP_PROXY_AUTHORIZATION = 62,
        WSI_TOKEN_HTTP_REFRESH = 63,
        WSI_TOKEN_HTTP_RETRY_AFTER = 64,
        WSI_TOKEN_HTTP_SERVER = 65,
        WSI_TOKEN_HTTP_SET_COOKIE = 66,
        WSI_TOKEN_HTTP_STRICT_TRANSPORT_SECURITY = 67,
        WSI_TOKEN_HTTP_TRANSFER_ENCODING = 68,
        WSI_TOKEN_HTTP_USER_AGENT = 69,
        WSI_TOKEN_HTTP_VARY = 70,
        WSI_TOKEN_HTTP_VIA = 71,
        WSI_TOKEN_HTTP_WWW_AUTHENTICATE = 72,
        WSI_TOKEN_PATCH_URI = 73,
        WSI_TOKEN_PUT_URI = 74,
        WSI_TOKEN_DELETE_URI = 75,
        WSI_TOKEN_HTTP_URI_ARGS = 76,
        WSI_TOKEN_PROXY = 77,
        WSI_TOKEN_HTTP_X_REAL_IP = 78,
        WSI_TOKEN_HTTP1_0 = 79,
        WSI_TOKEN_X_FORWARDED_FOR = 80,
        WSI_TOKEN_CONNECT = 81,
        WSI_TOKEN_HEAD_URI = 82,
        WSI_TOKEN_TE = 83,
        WSI_TOKEN_REPLAY_NONCE = 84,
        WSI_TOKEN_COLON_PROTOCOL = 85,
        WSI_TOKEN_X_AUTH_TOKEN = 86,
        WSI_TOKEN_DSS_SIGNATURE = 87,
        _WSI_TOKEN_CLIENT_SENT_PROTOCOLS = 88,
        _WSI_TOKEN_CLIENT_PEER_ADDRESS = 89,
        _WSI_TOKEN_CLIENT_URI = 90,
        _WSI_TOKEN_CLIENT_HOST = 91,
        _WSI_TOKEN_CLIENT_ORIGIN = 92,
        _WSI_TOKEN_CLIENT_METHOD = 93,
        _WSI_TOKEN_CLIENT_IFACE = 94,
        _WSI_TOKEN_CLIENT_ALPN = 95,
        WSI_TOKEN_COUNT = 96,
        WSI_TOKEN_NAME_PART = 97,
        WSI_TOKEN_UNKNOWN_VALUE_PART = 98,
        WSI_TOKEN_SKIPPING = 99,
        WSI_TOKEN_SKIPPING_SAW_CR = 100,
        WSI_PARSING_COMPLETE = 101,
        WSI_INIT_TOKEN_MUXURL = 102,
    }
    /// Websocket close codes (RFC 6455 section 7.4) plus lws-private ones.
    enum lws_close_status: lws_close_status {
        LWS_CLOSE_STATUS_NOSTATUS = 0,
        LWS_CLOSE_STATUS_NORMAL = 1000,
        LWS_CLOSE_STATUS_GOINGAWAY = 1001,
        LWS_CLOSE_STATUS_PROTOCOL_ERR = 1002,
        LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE = 1003,
        LWS_CLOSE_STATUS_RESERVED = 1004,
        LWS_CLOSE_STATUS_NO_STATUS = 1005,
        LWS_CLOSE_STATUS_ABNORMAL_CLOSE = 1006,
        LWS_CLOSE_STATUS_INVALID_PAYLOAD = 1007,
        LWS_CLOSE_STATUS_POLICY_VIOLATION = 1008,
        LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE = 1009,
        LWS_CLOSE_STATUS_EXTENSION_REQUIRED = 1010,
        LWS_CLOSE_STATUS_UNEXPECTED_CONDITION = 1011,
        LWS_CLOSE_STATUS_TLS_FAILURE = 1015,
        LWS_CLOSE_STATUS_CLIENT_TRANSACTION_DONE = 2000,
        LWS_CLOSE_STATUS_NOSTATUS_CONTEXT_DESTROY = 9999,
    }
    /// Why a connection has a timeout pending (`lws_set_timeout()`).
    enum pending_timeout: pending_timeout {
        NO_PENDING_TIMEOUT = 0,
        PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE = 1,
        PENDING_TIMEOUT_AWAITING_CONNECT_RESPONSE = 2,
        PENDING_TIMEOUT_ESTABLISH_WITH_SERVER = 3,
        PENDING_TIMEOUT_AWAITING_SERVER_RESPONSE = 4,
        PENDING_TIMEOUT_AWAITING_PING = 5,
        PENDING_TIMEOUT_CLOSE_ACK = 6,
        PENDING_TIMEOUT_UNUSED1 = 7,
        PENDING_TIMEOUT_SENT_CLIENT_HANDSHAKE = 8,
        PENDING_TIMEOUT_SSL_ACCEPT = 9,
        PENDING_TIMEOUT_HTTP_CONTENT = 10,
        PENDING_TIMEOUT_AWAITING_CLIENT_HS_SEND = 11,
        PENDING_FLUSH_STORED_SEND_BEFORE_CLOSE = 12,
        PENDING_TIMEOUT_SHUTDOWN_FLUSH = 13,
        PENDING_TIMEOUT_CGI = 14,
        PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE = 15,
        PENDING_TIMEOUT_WS_PONG_CHECK_SEND_PING = 16,
        PENDING_TIMEOUT_WS_PONG_CHECK_GET_PONG = 17,
        PENDING_TIMEOUT_CLIENT_ISSUE_PAYLOAD = 18,
        PENDING_TIMEOUT_AWAITING_SOCKS_GREETING_REPLY = 19,
        PENDING_TIMEOUT_AWAITING_SOCKS_CONNECT_REPLY = 20,
        PENDING_TIMEOUT_AWAITING_SOCKS_AUTH_REPLY = 21,
        PENDING_TIMEOUT_KILLED_BY_SSL_INFO = 22,
        PENDING_TIMEOUT_KILLED_BY_PARENT = 23,
        PENDING_TIMEOUT_CLOSE_SEND = 24,
        PENDING_TIMEOUT_HOLDING_AH = 25,
        PENDING_TIMEOUT_UDP_IDLE = 26,
        PENDING_TIMEOUT_CLIENT_CONN_IDLE = 27,
        PENDING_TIMEOUT_LAGGING = 28,
        PENDING_TIMEOUT_THREADPOOL = 29,
        PENDING_TIMEOUT_THREADPOOL_TASK = 30,
        PENDING_TIMEOUT_KILLED_BY_PROXY_CLIENT_CLOSE = 31,
        PENDING_TIMEOUT_USER_OK = 32,
        PENDING_TIMEOUT_USER_REASON_BASE = 1000,
    }
    /// HTTP status codes.
    enum http_status: http_status {
        HTTP_STATUS_CONTINUE = 100,
        HTTP_STATUS_OK = 200,
        HTTP_STATUS_NO_CONTENT = 204,
        HTTP_STATUS_PARTIAL_CONTENT = 206,
        HTTP_STATUS_MOVED_PERMANENTLY = 301,
        HTTP_STATUS_FOUND = 302,
        HTTP_STATUS_SEE_OTHER = 303,
        HTTP_STATUS_NOT_MODIFIED = 304,
        HTTP_STATUS_BAD_REQUEST = 400,
        HTTP_STATUS_UNAUTHORIZED = 401,
        HTTP_STATUS_PAYMENT_REQUIRED = 402,
        HTTP_STATUS_FORBIDDEN = 403,
        HTTP_STATUS_NOT_FOUND = 404,
        HTTP_STATUS_METHOD_NOT_ALLOWED = 405,
        HTTP_STATUS_NOT_ACCEPTABLE = 406,
        HTTP_STATUS_PROXY_AUTH_REQUIRED = 407,
        HTTP_STATUS_REQUEST_TIMEOUT = 408,
        HTTP_STATUS_CONFLICT = 409,
        HTTP_STATUS_GONE = 410,
        HTTP_STATUS_LENGTH_REQUIRED = 411,
        HTTP_STATUS_PRECONDITION_FAILED = 412,
        HTTP_STATUS_REQ_ENTITY_TOO_LARGE = 413,
        HTTP_STATUS_REQ_URI_TOO_LONG = 414,
        HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE = 415,
        HTTP_STATUS_REQ_RANGE_NOT_SATISFIABLE = 416,
        HTTP_STATUS_EXPECTATION_FAILED = 417,
        HTTP_STATUS_INTERNAL_SERVER_ERROR = 500,
        HTTP_STATUS_NOT_IMPLEMENTED = 501,
        HTTP_STATUS_BAD_GATEWAY = 502,
        HTTP_STATUS_SERVICE_UNAVAILABLE = 503,
        HTTP_STATUS_GATEWAY_TIMEOUT = 504,
        HTTP_STATUS_HTTP_VERSION_NOT_SUPPORTED = 505,
    }
    /// Flags for `lws_client_connect_info.ssl_connection`.
    enum lws_client_connect_ssl_connection_flags: lws_client_connect_ssl_connection_flags {
        LCCSCF_USE_SSL = 1 << 0,
        LCCSCF_ALLOW_SELFSIGNED = 1 << 1,
        LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK = 1 << 2,
        LCCSCF_ALLOW_EXPIRED = 1 << 3,
        LCCSCF_ALLOW_INSECURE = 1 << 4,
        LCCSCF_H2_QUIRK_NGHTTP2_END_STREAM = 1 << 5,
        LCCSCF_H2_QUIRK_OVERFLOWS_TXCR = 1 << 6,
        LCCSCF_H2_AUTH_BEARER = 1 << 7,
        LCCSCF_H2_HEXIFY_AUTH_TOKEN = 1 << 8,
        LCCSCF_H2_MANUAL_RXFLOW = 1 << 9,
        LCCSCF_HTTP_MULTIPART_MIME = 1 << 10,
        LCCSCF_HTTP_X_WWW_FORM_URLENCODED = 1 << 11,
        LCCSCF_HTTP_NO_FOLLOW_REDIRECT = 1 << 12,
        LCCSCF_PIPELINE = 1 << 16,
        LCCSCF_MUXABLE_STREAM = 1 << 17,
        LCCSCF_H2_PRIOR_KNOWLEDGE = 1 << 18,
        LCCSCF_WAKE_SUSPEND__VALIDITY = 1 << 19,
        LCCSCF_PRIORITIZE_READS = 1 << 20,
        LCCSCF_SECSTREAM_CLIENT = 1 << 21,
        LCCSCF_SECSTREAM_PROXY_LINK = 1 << 22,
        LCCSCF_SECSTREAM_PROXY_ONWARD = 1 << 23,
        LCCSCF_IP_LOW_LATENCY = 1 << 24,
        LCCSCF_IP_HIGH_THROUGHPUT = 1 << 25,
        LCCSCF_IP_HIGH_RELIABILITY = 1 << 26,
        LCCSCF_IP_LOW_COST = 1 << 27,
        LCCSCF_CONMON = 1 << 28,
        LCCSCF_ACCEPT_TLS_DOWNGRADE_REDIRECTS = 1 << 29,
        LCCSCF_CACHE_COOKIES = 1 << 30,
    }
    /// What an `lws_http_mount` serves (`origin_protocol`).
    enum lws_mount_protocols: lws_mount_protocols {
        LWSMPRO_HTTP = 0,
        LWSMPRO_HTTPS = 1,
        LWSMPRO_FILE = 2,
        LWSMPRO_CGI = 3,
        LWSMPRO_REDIR_HTTP = 4,
        LWSMPRO_REDIR_HTTPS = 5,
        LWSMPRO_CALLBACK = 6,
    }
    /// What `lws_x509_info` / `lws_tls_*_cert_info` are asked for.
    enum lws_tls_cert_info: lws_tls_cert_info {
        LWS_TLS_CERT_INFO_VALIDITY_FROM = 0,
        LWS_TLS_CERT_INFO_VALIDITY_TO = 1,
        LWS_TLS_CERT_INFO_COMMON_NAME = 2,
        LWS_TLS_CERT_INFO_ISSUER_NAME = 3,
        LWS_TLS_CERT_INFO_USAGE = 4,
        LWS_TLS_CERT_INFO_VERIFIED = 5,
        LWS_TLS_CERT_INFO_OPAQUE_PUBLIC_KEY = 6,
        LWS_TLS_CERT_INFO_DER_RAW = 7,
        LWS_TLS_CERT_INFO_AUTHORITY_KEY_ID = 8,
        LWS_TLS_CERT_INFO_AUTHORITY_KEY_ID_ISSUER = 9,
        LWS_TLS_CERT_INFO_AUTHORITY_KEY_ID_SERIAL = 10,
        LWS_TLS_CERT_INFO_SUBJECT_KEY_ID = 11,
    }
    /// Where a file upload is, for an `lws_spa_fileupload_cb`.
    enum lws_spa_fileupload_states: lws_spa_fileupload_states {
        LWS_UFS_CONTENT = 0,
        LWS_UFS_FINAL_CONTENT = 1,
        LWS_UFS_OPEN = 2,
        LWS_UFS_CLOSE = 3,
    }
    /// Why an extension callback is being called.
    enum lws_extension_callback_reasons: lws_extension_callback_reasons {
        LWS_EXT_CB_CONSTRUCT = 4,
        LWS_EXT_CB_CLIENT_CONSTRUCT = 5,
        LWS_EXT_CB_DESTROY = 8,
        LWS_EXT_CB_PACKET_TX_PRESEND = 12,
        LWS_EXT_CB_PAYLOAD_TX = 21,
        LWS_EXT_CB_PAYLOAD_RX = 22,
        LWS_EXT_CB_OPTION_DEFAULT = 23,
        LWS_EXT_CB_OPTION_SET = 24,
        LWS_EXT_CB_OPTION_CONFIRM = 25,
        LWS_EXT_CB_NAMED_OPTION_SET = 26,
    }
    /// Kinds of extension option arguments.
    enum lws_ext_options_types: lws_ext_options_types {
        EXTARG_NONE = 0,
        EXTARG_DEC = 1,
        EXTARG_OPT_DEC = 2,
    }
    /// System states, in the order a context walks through them.
    typedef enum lws_system_states: lws_system_states_t {
        LWS_SYSTATE_UNKNOWN = 0,
        LWS_SYSTATE_CONTEXT_CREATED = 1,
        LWS_SYSTATE_INITIALIZED = 2,
        LWS_SYSTATE_IFACE_COLDPLUG = 3,
        LWS_SYSTATE_DHCP = 4,
        LWS_SYSTATE_CPD_PRE_TIME = 5,
        LWS_SYSTATE_TIME_VALID = 6,
        LWS_SYSTATE_CPD_POST_TIME = 7,
        LWS_SYSTATE_POLICY_VALID = 8,
        LWS_SYSTATE_REGISTERED = 9,
        LWS_SYSTATE_AUTH1 = 10,
        LWS_SYSTATE_AUTH2 = 11,
        LWS_SYSTATE_OPERATIONAL = 12,
        LWS_SYSTATE_POLICY_INVALID = 13,
        LWS_SYSTATE_CONTEXT_DESTROYING = 14,
    }
    /// Captive portal detection results (`lws_system_cpd_set()` / `_state_get()`).
    typedef enum lws_cpd_result: lws_cpd_result_t {
        LWS_CPD_UNKNOWN = 0,
        LWS_CPD_INTERNET_OK = 1,
        LWS_CPD_CAPTIVE_PORTAL = 2,
        LWS_CPD_NO_INTERNET = 3,
    }
    /// What an `lws_dir` entry is (`struct lws_dir_entry.type`).
    typedef enum lws_dir_obj_type: lws_dir_obj_type_t {
        LDOT_UNKNOWN = 0,
        LDOT_FILE = 1,
        LDOT_DIR = 2,
        LDOT_LINK = 3,
        LDOT_FIFO = 4,
        LDOTT_SOCKET = 5,
        LDOT_CHAR = 6,
        LDOT_BLOCK = 7,
    }
    /// The kinds of system blob (`lws_system_get_blob()`).
    typedef enum lws_system_blob_item: lws_system_blob_item_t {
        LWS_SYSBLOB_TYPE_AUTH = 0,
        LWS_SYSBLOB_TYPE_CLIENT_CERT_DER = 2,
        LWS_SYSBLOB_TYPE_CLIENT_KEY_DER = 3,
        LWS_SYSBLOB_TYPE_DEVICE_SERIAL = 4,
        LWS_SYSBLOB_TYPE_DEVICE_FW_VERSION = 5,
        LWS_SYSBLOB_TYPE_DEVICE_TYPE = 6,
        LWS_SYSBLOB_TYPE_NTP_SERVER = 7,
        LWS_SYSBLOB_TYPE_MQTT_CLIENT_ID = 8,
        LWS_SYSBLOB_TYPE_MQTT_USERNAME = 9,
        LWS_SYSBLOB_TYPE_MQTT_PASSWORD = 10,
        LWS_SYSBLOB_TYPE_COUNT = 11,
    }
    /// System message classes (`lws_smd_class_t` bits).
    defines lws_smd_classes: u32 {
        LWSSMDCL_INTERACTION = 1 << 0,
        LWSSMDCL_SYSTEM_STATE = 1 << 1,
        LWSSMDCL_NETWORK = 1 << 2,
        LWSSMDCL_METRICS = 1 << 3,
        LWSSMDCL_USER_BASE_BITNUM = 24,
    }
    /// Limits of system messages.
    defines lws_smd_limits: usize {
        LWS_SMD_MAX_PAYLOAD = 384,
        LWS_SMD_CLASS_BITFIELD_BYTES = 4,
        LWS_SMD_SS_RX_HEADER_LEN = 16,
    }
    /// `lws_smd_register()` flags.
    defines lws_smd_reg_flags: c_int {
        LWSSMDREG_FLAG_PROXIED_SS = 1 << 0,
    }
    /// `LWS_SMD_STREAMTYPENAME`: the streamtype name of the SMD secure stream.
    const LWS_SMD_STREAMTYPENAME: &str = "_lws_smd" => "\"_lws_smd\"";
    /// `lws_system_get_info` flag: render as hex.
    defines lws_sysgauth_flags: c_int {
        LWSSYSGAUTH_HEX = 1 << 0,
    }
    /// `lws_create_adopt_udp()` flags.
    defines lws_caudp_flags: c_int {
        LWS_CAUDP_BIND = 1 << 0,
        LWS_CAUDP_BROADCAST = 1 << 1,
        LWS_CAUDP_PF_PACKET = 1 << 2,
    }
    /// How `lws_adopt_descriptor_vhost()` treats the descriptor it is given.
    typedef enum lws_adoption_type: lws_adoption_type {
        LWS_ADOPT_RAW_FILE_DESC = 0,
        LWS_ADOPT_HTTP = 1 << 0,
        LWS_ADOPT_SOCKET = 1 << 1,
        LWS_ADOPT_ALLOW_SSL = 1 << 2,
        LWS_ADOPT_FLAG_UDP = 1 << 4,
        LWS_ADOPT_FLAG_RAW_PROXY = 1 << 5,
        LWS_ADOPT_RAW_SOCKET_UDP = LWS_ADOPT_SOCKET | LWS_ADOPT_FLAG_UDP,
    }
    /// Which protocol-specific part of `struct lws_conmon` is valid.
    typedef enum lws_conmon_pcol: lws_conmon_pcol_t {
        LWSCONMON_PCOL_NONE = 0,
        LWSCONMON_PCOL_HTTP = 1,
    }
    /// How the DNS lookup of a monitored connection ended.
    typedef enum lws_conmon_dns_disposition: lws_conmon_dns_disposition_t {
        LWSCONMON_DNS_NONE = 0,
        LWSCONMON_DNS_OK = 1,
        LWSCONMON_DNS_SERVER_UNREACHABLE = 2,
        LWSCONMON_DNS_NO_RESULT = 3,
    }
    /// Bits of a LEJP parser state that say how whitespace is treated.
    defines lejp_ws_flags: lejp_states {
        LEJP_FLAG_WS_KEEP = 64,
        LEJP_FLAG_WS_COMMENTLINE = 32,
    }
    /// LEJP per-level parser states (`ctx->st[].s`).
    enum lejp_states: lejp_states {
        LEJP_IDLE = 0,
        LEJP_MEMBERS = 1,
        LEJP_M_P = 2,
        LEJP_MP_STRING = LEJP_FLAG_WS_KEEP | 3,
        LEJP_MP_STRING_ESC = LEJP_FLAG_WS_KEEP | 4,
        LEJP_MP_STRING_ESC_U1 = LEJP_FLAG_WS_KEEP | 5,
        LEJP_MP_STRING_ESC_U2 = LEJP_FLAG_WS_KEEP | 6,
        LEJP_MP_STRING_ESC_U3 = LEJP_FLAG_WS_KEEP | 7,
        LEJP_MP_STRING_ESC_U4 = LEJP_FLAG_WS_KEEP | 8,
        LEJP_MP_DELIM = 9,
        LEJP_MP_VALUE = 10,
        LEJP_MP_VALUE_NUM_INT = LEJP_FLAG_WS_KEEP | 11,
        LEJP_MP_VALUE_NUM_EXP = LEJP_FLAG_WS_KEEP | 12,
        LEJP_MP_VALUE_TOK = LEJP_FLAG_WS_KEEP | 13,
        LEJP_MP_COMMA_OR_END = 14,
        LEJP_MP_ARRAY_END = 15,
    }
    /// What `lejp_parse()` returns: CONTINUE, or why the document was rejected.
    enum lejp_reasons: lejp_reasons {
        LEJP_CONTINUE = -1,
        LEJP_REJECT_IDLE_NO_BRACE = -2,
        LEJP_REJECT_MEMBERS_NO_CLOSE = -3,
        LEJP_REJECT_MP_NO_OPEN_QUOTE = -4,
        LEJP_REJECT_MP_STRING_UNDERRUN = -5,
        LEJP_REJECT_MP_ILLEGAL_CTRL = -6,
        LEJP_REJECT_MP_STRING_ESC_ILLEGAL_ESC = -7,
        LEJP_REJECT_ILLEGAL_HEX = -8,
        LEJP_REJECT_MP_DELIM_MISSING_COLON = -9,
        LEJP_REJECT_MP_DELIM_BAD_VALUE_START = -10,
        LEJP_REJECT_MP_VAL_NUM_INT_NO_FRAC = -11,
        LEJP_REJECT_MP_VAL_NUM_FORMAT = -12,
        LEJP_REJECT_MP_VAL_NUM_EXP_BAD_EXP = -13,
        LEJP_REJECT_MP_VAL_TOK_UNKNOWN = -14,
        LEJP_REJECT_MP_C_OR_E_UNDERF = -15,
        LEJP_REJECT_MP_C_OR_E_NOTARRAY = -16,
        LEJP_REJECT_MP_ARRAY_END_MISSING = -17,
        LEJP_REJECT_STACK_OVERFLOW = -18,
        LEJP_REJECT_MP_DELIM_ISTACK = -19,
        LEJP_REJECT_NUM_TOO_LONG = -20,
        LEJP_REJECT_MP_C_OR_E_NEITHER = -21,
        LEJP_REJECT_UNKNOWN = -22,
        LEJP_REJECT_CALLBACK = -23,
    }
    /// Set on the LEJPCB_ reasons that deliver a value in `ctx->buf`.
    defines lejp_cb_flags: lejp_callbacks {
        LEJP_FLAG_CB_IS_VALUE = 64,
    }
    /// Why a LEJP callback is called.
    enum lejp_callbacks: lejp_callbacks {
        LEJPCB_CONSTRUCTED = 0,
        LEJPCB_DESTRUCTED = 1,
        LEJPCB_START = 2,
        LEJPCB_COMPLETE = 3,
        LEJPCB_FAILED = 4,
        LEJPCB_PAIR_NAME = 5,
        LEJPCB_VAL_TRUE = LEJP_FLAG_CB_IS_VALUE | 6,
        LEJPCB_VAL_FALSE = LEJP_FLAG_CB_IS_VALUE | 7,
        LEJPCB_VAL_NULL = LEJP_FLAG_CB_IS_VALUE | 8,
        LEJPCB_VAL_NUM_INT = LEJP_FLAG_CB_IS_VALUE | 9,
        LEJPCB_VAL_NUM_FLOAT = LEJP_FLAG_CB_IS_VALUE | 10,
        LEJPCB_VAL_STR_START = 11,
        LEJPCB_VAL_STR_CHUNK = LEJP_FLAG_CB_IS_VALUE | 12,
        LEJPCB_VAL_STR_END = LEJP_FLAG_CB_IS_VALUE | 13,
        LEJPCB_ARRAY_START = 14,
        LEJPCB_ARRAY_END = 15,
        LEJPCB_OBJECT_START = 16,
        LEJPCB_OBJECT_END = 17,
    }
    /// The fixed sizes of `struct lejp_ctx` (part of the binary layout).
    defines lejp_limits: usize {
        LEJP_MAX_PARSING_STACK_DEPTH = 5,
        LEJP_MAX_DEPTH = 12,
        LEJP_MAX_INDEX_DEPTH = 8,
        LEJP_MAX_PATH = 128,
        LEJP_STRING_CHUNK = 254,
    }
    /// What a number being parsed has shown so far (`ctx->f`).
    enum num_flags: num_flags {
        LEJP_SEEN_MINUS = 1 << 0,
        LEJP_SEEN_POINT = 1 << 1,
        LEJP_SEEN_POST_POINT = 1 << 2,
        LEJP_SEEN_EXP = 1 << 3,
    }
    /// `lws_tokenize()` behaviour flags.
    defines lws_tokenize_flags: c_int {
        LWS_TOKENIZE_F_MINUS_NONTERM = 1 << 0,
        LWS_TOKENIZE_F_AGG_COLON = 1 << 1,
        LWS_TOKENIZE_F_COMMA_SEP_LIST = 1 << 2,
        LWS_TOKENIZE_F_RFC7230_DELIMS = 1 << 3,
        LWS_TOKENIZE_F_DOT_NONTERM = 1 << 4,
        LWS_TOKENIZE_F_NO_FLOATS = 1 << 5,
        LWS_TOKENIZE_F_NO_INTEGERS = 1 << 6,
        LWS_TOKENIZE_F_HASH_COMMENT = 1 << 7,
        LWS_TOKENIZE_F_SLASH_NONTERM = 1 << 8,
        LWS_TOKENIZE_F_ASTERISK_NONTERM = 1 << 9,
        LWS_TOKENIZE_F_EQUALS_NONTERM = 1 << 10,
    }
    /// What `lws_tokenize()` found: errors are negative, 0 is the end.
    typedef enum lws_tokenize_elem: lws_tokenize_elem {
        LWS_TOKZE_ERRS = 5,
        LWS_TOKZE_ERR_BROKEN_UTF8 = -5,
        LWS_TOKZE_ERR_UNTERM_STRING = -4,
        LWS_TOKZE_ERR_MALFORMED_FLOAT = -3,
        LWS_TOKZE_ERR_NUM_ON_LHS = -2,
        LWS_TOKZE_ERR_COMMA_LIST = -1,
        LWS_TOKZE_ENDED = 0,
        LWS_TOKZE_DELIMITER = 1,
        LWS_TOKZE_TOKEN = 2,
        LWS_TOKZE_INTEGER = 3,
        LWS_TOKZE_FLOAT = 4,
        LWS_TOKZE_TOKEN_NAME_EQUALS = 5,
        LWS_TOKZE_TOKEN_NAME_COLON = 6,
        LWS_TOKZE_QUOTED_STRING = 7,
    }
    /// Where a comma-separated list is (`ts->delim`).
    enum lws_tokenize_delimiter_tracking: lws_tokenize_delimiter_tracking {
        LWSTZ_DT_NEED_FIRST_CONTENT = 0,
        LWSTZ_DT_NEED_DELIM = 1,
        LWSTZ_DT_NEED_NEXT_CONTENT = 2,
    }
    /// What `lws_strexp_expand()` and its callback return.
    defines lws_strexp_results: c_int {
        LSTRX_DONE = 0,
        LSTRX_FILLED_OUT = 1,
        LSTRX_FATAL_NAME_TOO_LONG = -1,
        LSTRX_FATAL_NAME_UNKNOWN = -2,
    }
    /// Log level bits for `lws_set_log_level()` and `_lws_log()`.
    defines lws_log_levels: c_int {
        LLL_ERR = 1 << 0,
        LLL_WARN = 1 << 1,
        LLL_NOTICE = 1 << 2,
        LLL_INFO = 1 << 3,
        LLL_DEBUG = 1 << 4,
        LLL_PARSER = 1 << 5,
        LLL_HEADER = 1 << 6,
        LLL_EXT = 1 << 7,
        LLL_CLIENT = 1 << 8,
        LLL_LATENCY = 1 << 9,
        LLL_USER = 1 << 10,
        LLL_THREAD = 1 << 11,
        LLL_COUNT = 12,
    }
    /// Flags of `lws_log_cx_t.lll_flags` beside the level bits.
    defines lws_log_cx_flags: u32 {
        LLLF_SECRECY_PII = 1 << 16,
        LLLF_SECRECY_BEARER = 1 << 17,
        LLLF_LOG_TIMESTAMP = 1 << 18,
        LLLF_LOG_CONTEXT_AWARE = 1 << 30,
    }
    /// What `lws_interface_to_sa` (and `lws_socket_bind`) report.
    defines lws_itosa: c_int {
        LWS_ITOSA_USABLE = 0,
        LWS_ITOSA_NOT_EXIST = -1,
        LWS_ITOSA_NOT_USABLE = -2,
        LWS_ITOSA_BUSY = -3,
    }
    /// Bits of `lws_context_creation_info.options` (64-bit: `(1ll << n)` in C).
    /// Some options include `LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT` (bit 12).
    defines lws_server_options: u64 as "ll" {
        LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT = (1 << 1) | (1 << 12),
        LWS_SERVER_OPTION_SKIP_SERVER_CANONICAL_NAME = 1 << 2,
        LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT = (1 << 3) | (1 << 12),
        LWS_SERVER_OPTION_LIBEV = 1 << 4,
        LWS_SERVER_OPTION_DISABLE_IPV6 = 1 << 5,
        LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS = 1 << 6,
        LWS_SERVER_OPTION_PEER_CERT_NOT_REQUIRED = 1 << 7,
        LWS_SERVER_OPTION_VALIDATE_UTF8 = 1 << 8,
        LWS_SERVER_OPTION_SSL_ECDH = (1 << 9) | (1 << 12),
        LWS_SERVER_OPTION_LIBUV = 1 << 10,
        LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS = (1 << 11) | (1 << 12),
        LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT = 1 << 12,
        LWS_SERVER_OPTION_EXPLICIT_VHOSTS = 1 << 13,
        LWS_SERVER_OPTION_UNIX_SOCK = 1 << 14,
        LWS_SERVER_OPTION_STS = 1 << 15,
        LWS_SERVER_OPTION_IPV6_V6ONLY_MODIFY = 1 << 16,
        LWS_SERVER_OPTION_IPV6_V6ONLY_VALUE = 1 << 17,
        LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN = 1 << 18,
        LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN = 1 << 19,
        LWS_SERVER_OPTION_FALLBACK_TO_RAW = 1 << 20,
        LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG = 1 << 20,
        LWS_SERVER_OPTION_LIBEVENT = 1 << 21,
        LWS_SERVER_OPTION_ONLY_RAW = 1 << 22,
        LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG = 1 << 22,
        LWS_SERVER_OPTION_ALLOW_LISTEN_SHARE = 1 << 23,
        LWS_SERVER_OPTION_CREATE_VHOST_SSL_CTX = 1 << 24,
        LWS_SERVER_OPTION_SKIP_PROTOCOL_INIT = 1 << 25,
        LWS_SERVER_OPTION_IGNORE_MISSING_CERT = 1 << 26,
        LWS_SERVER_OPTION_VHOST_UPG_STRICT_HOST_CHECK = 1 << 27,
        LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE = 1 << 28,
        LWS_SERVER_OPTION_ALLOW_HTTP_ON_HTTPS_LISTENER = 1 << 29,
        LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND = 1 << 30,
        LWS_SERVER_OPTION_H2_JUST_FIX_WINDOW_UPDATE_OVERFLOW = 1 << 31,
        LWS_SERVER_OPTION_VH_H2_HALF_CLOSED_LONG_POLL = 1 << 32,
        LWS_SERVER_OPTION_GLIB = 1 << 33,
        LWS_SERVER_OPTION_H2_PRIOR_KNOWLEDGE = 1 << 34,
        LWS_SERVER_OPTION_NO_LWS_SYSTEM_STATES = 1 << 35,
        LWS_SERVER_OPTION_SS_PROXY = 1 << 36,
        LWS_SERVER_OPTION_SDEVENT = 1 << 37,
        LWS_SERVER_OPTION_ULOOP = 1 << 38,
        LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE = 1 << 39,
    }

    /// Bytes `lws_write()` needs free in front of the payload pointer it is given.
    const LWS_PRE: usize = 16 => "16";
    /// Old spelling of `LWS_PRE`.
    const LWS_SEND_BUFFER_PRE_PADDING: usize = LWS_PRE => "LWS_PRE";
    /// No padding is needed after the payload.
    const LWS_SEND_BUFFER_POST_PADDING: usize = 0 => "0";
    /// Raw connections are written with the HTTP write protocol.
    const LWS_WRITE_RAW: lws_write_protocol = LWS_WRITE_HTTP => "LWS_WRITE_HTTP";
    /// `lws_context_creation_info.port`: create no listening socket.
    const CONTEXT_PORT_NO_LISTEN: c_int = -1 => "(-1)";
    /// `lws_context_creation_info.port`: no listening socket, but act as a server.
    const CONTEXT_PORT_NO_LISTEN_SERVER: c_int = -2 => "(-2)";
    /// The version as one number: major * 1000000 + minor * 1000 + patch.
    const LWS_LIBRARY_VERSION_NUMBER: c_int = 4003003 => "((LWS_LIBRARY_VERSION_MAJOR * 1000000) + (LWS_LIBRARY_VERSION_MINOR * 1000) + LWS_LIBRARY_VERSION_PATCH)";
    /// Content length meaning "not known".
    const LWS_ILLEGAL_HTTP_CONTENT_LEN: lws_filepos_t = lws_filepos_t::MAX => "((lws_filepos_t)-1ll)";
    /// Binary size units (the humanize schemas use them).
    const LWS_KI: c_int = 1024 => "(1024)";
    /// 1024 KiB.
    const LWS_MI: c_int = LWS_KI * 1024 => "(LWS_KI * 1024)";
    /// 1024 MiB.
    const LWS_GI: c_int = LWS_MI * 1024 => "(LWS_MI * 1024)";
    /// 1024 GiB.
    const LWS_TI: u64 = 1099511627776 => "((uint64_t)LWS_GI * 1024)";
    /// 1024 TiB.
    const LWS_PI: u64 = 1125899906842624 => "((uint64_t)LWS_TI * 1024)";
    /// Microseconds per second.
    const LWS_US_PER_SEC: lws_usec_t = 1000000 => "((lws_usec_t)1000000)";
    /// Milliseconds per second.
    const LWS_MS_PER_SEC: lws_usec_t = 1000 => "((lws_usec_t)1000)";
    /// Microseconds per millisecond.
    const LWS_US_PER_MS: lws_usec_t = 1000 => "((lws_usec_t)1000)";
    /// Microseconds per second (second spelling).
    const LWS_USEC_PER_SEC: lws_usec_t = 1000000 => "((lws_usec_t)1000000)";
    /// `lws_set_timeout()` secs: close the connection at the next service.
    const LWS_TO_KILL_ASYNC: c_int = -1 => "(-1)";
    /// `lws_set_timeout()` secs: close the connection now.
    const LWS_TO_KILL_SYNC: c_int = -2 => "(-2)";
    /// File-operation open flags: read only.
    const LWS_O_RDONLY: c_int = libc::O_RDONLY => "O_RDONLY";
    /// File-operation open flags: write only.
    const LWS_O_WRONLY: c_int = libc::O_WRONLY => "O_WRONLY";
    /// File-operation open flags: create.
    const LWS_O_CREAT: c_int = libc::O_CREAT => "O_CREAT";
    /// File-operation open flags: truncate.
    const LWS_O_TRUNC: c_int = libc::O_TRUNC => "O_TRUNC";
    /// `lws_wsi_tx_credit()` direction.
    defines lws_txcr_direction: c_int {
        LWSTXCR_US_TO_PEER = 0,
        LWSTXCR_PEER_TO_US = 1,
    }
    /// `lws_fop_flags_t`: the open(2) part, and lws's own flags above it.
    defines lws_fop_flags: u32 {
        LWS_FOP_FLAGS_MASK = (1 << 23) - 1,
        LWS_FOP_FLAG_COMPR_ACCEPTABLE_GZIP = 1 << 24,
        LWS_FOP_FLAG_COMPR_IS_GZIP = 1 << 25,
        LWS_FOP_FLAG_MOD_TIME_VALID = 1 << 26,
        LWS_FOP_FLAG_VIRTUAL = 1 << 27,
    }
    /// A header buffer this big holds the headers of a typical response.
    const LWS_RECOMMENDED_MIN_HEADER_SPACE: c_int = 2048 => "2048";
    /// A socket descriptor that is not open.
    const LWS_SOCK_INVALID: lws_sockfd_type = -1 => "(-1)";
    /// `lws_set_timer_usecs()` / `lws_sul_schedule()` delay that cancels instead.
    const LWS_SET_TIMER_USEC_CANCEL: lws_usec_t = -1 => "((lws_usec_t)-1ll)";
    /// `lws_retry_bo.conceal_count`: never give up.
    const LWS_RETRY_CONCEAL_ALWAYS: u16 = 0xffff => "(0xffff)";
}
