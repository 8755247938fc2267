// The constants of the lws 4.3.3 headers' other areas (crypto, COSE / JOSE, CBOR, secure
// streams, drivers, metrics, ...): enums and #defines no exported function of lws-rs uses
// yet, so a program written for lws compiles unchanged. Same grammar as constants_table.rs
// (see its header, and `anon enum` for lws's untagged enums); `include!`d by build.rs and
// src/ffi/types/consts.rs after it. Values printed by scripts/ref-probe.py from the
// installed v4.3.3 headers (cmake defaults); each group names its lws header.

lws_abi_constants! {
    /// An untagged enum of lws 4.3.3's lws-metrics.h.
    anon enum metrics_enum_46: c_int {
        LWSMTFL_REPORT_OUTLIERS = 1,
        LWSMTFL_REPORT_OOB = 2,
        LWSMTFL_REPORT_INACTIVITY_AT_PERIODIC = 4,
        LWSMTFL_REPORT_MEAN = 8,
        LWSMTFL_REPORT_ONLY_GO = 16,
        LWSMTFL_REPORT_DUTY_WALLCLOCK_US = 32,
        LWSMTFL_REPORT_HIST = 64,
    }
    /// An untagged enum of lws 4.3.3's lws-metrics.h.
    anon enum metrics_enum_53: c_int {
        LMT_NORMAL = 0,
        LMT_OUTLIER = 1,
        LMT_FAIL = 2,
        LMT_COUNT = 3,
    }
    /// `lws_metric_rpt_kind_t` (lws-metrics.h).
    typedef enum lws_metric_rpt: lws_metric_rpt_kind_t {
        LMR_PERIODIC = 0,
        LMR_OUTLIER = 1,
    }
    /// An untagged enum of lws 4.3.3's lws-system.h.
    anon enum system_enum_78: c_int {
        LWSDH_IPV4_SUBNET_MASK = 0,
        LWSDH_IPV4_BROADCAST = 1,
        LWSDH_LEASE_SECS = 2,
        LWSDH_REBINDING_SECS = 3,
        LWSDH_RENEWAL_SECS = 4,
        _LWSDH_NUMS_COUNT = 5,
        LWSDH_SA46_IP = 0,
        LWSDH_SA46_DNS_SRV_1 = 1,
        LWSDH_SA46_DNS_SRV_2 = 2,
        LWSDH_SA46_DNS_SRV_3 = 3,
        LWSDH_SA46_DNS_SRV_4 = 4,
        LWSDH_SA46_IPV4_ROUTER = 5,
        LWSDH_SA46_NTP_SERVER = 6,
        LWSDH_SA46_DHCP_SERVER = 7,
        _LWSDH_SA46_COUNT = 8,
    }
    /// `enum lws_cert_update_state` (lws-callbacks.h).
    enum lws_cert_update_state: c_uint {
        LWS_CUS_IDLE = 0,
        LWS_CUS_STARTING = 1,
        LWS_CUS_SUCCESS = 2,
        LWS_CUS_FAILED = 3,
        LWS_CUS_CREATE_KEYS = 4,
        LWS_CUS_REG = 5,
        LWS_CUS_AUTH = 6,
        LWS_CUS_CHALLENGE = 7,
        LWS_CUS_CREATE_REQ = 8,
        LWS_CUS_REQ = 9,
        LWS_CUS_CONFIRM = 10,
        LWS_CUS_ISSUE = 11,
    }
    /// An untagged enum of lws 4.3.3's lws-callbacks.h.
    anon enum callbacks_enum_121: c_int {
        LWS_TLS_REQ_ELEMENT_COUNTRY = 0,
        LWS_TLS_REQ_ELEMENT_STATE = 1,
        LWS_TLS_REQ_ELEMENT_LOCALITY = 2,
        LWS_TLS_REQ_ELEMENT_ORGANIZATION = 3,
        LWS_TLS_REQ_ELEMENT_COMMON_NAME = 4,
        LWS_TLS_REQ_ELEMENT_SUBJECT_ALT_NAME = 5,
        LWS_TLS_REQ_ELEMENT_EMAIL = 6,
        LWS_TLS_REQ_ELEMENT_COUNT = 7,
        LWS_TLS_SET_DIR_URL = 7,
        LWS_TLS_SET_AUTH_PATH = 8,
        LWS_TLS_SET_CERT_PATH = 9,
        LWS_TLS_SET_KEY_PATH = 10,
        LWS_TLS_TOTAL_COUNT = 11,
    }
    /// `enum lws_authentication_mode` (lws-context-vhost.h).
    enum lws_authentication_mode: c_uint {
        LWSAUTHM_DEFAULT = 0,
        LWSAUTHM_BASIC_AUTH_CALLBACK = 268435456,
    }
    /// `enum lws_h2_settings` (lws-http.h).
    enum lws_h2_settings: c_uint {
        H2SET_HEADER_TABLE_SIZE = 1,
        H2SET_ENABLE_PUSH = 2,
        H2SET_MAX_CONCURRENT_STREAMS = 3,
        H2SET_INITIAL_WINDOW_SIZE = 4,
        H2SET_MAX_FRAME_SIZE = 5,
        H2SET_MAX_HEADER_LIST_SIZE = 6,
        H2SET_RESERVED7 = 7,
        H2SET_ENABLE_CONNECT_PROTOCOL = 8,
        H2SET_COUNT = 9,
    }
    /// An untagged enum of lws 4.3.3's lws-http.h.
    anon enum http_enum_306: c_int {
        LWSHUMETH_GET = 0,
        LWSHUMETH_POST = 1,
        LWSHUMETH_OPTIONS = 2,
        LWSHUMETH_PUT = 3,
        LWSHUMETH_PATCH = 4,
        LWSHUMETH_DELETE = 5,
        LWSHUMETH_CONNECT = 6,
        LWSHUMETH_HEAD = 7,
        LWSHUMETH_COLON_PATH = 8,
    }
    /// An untagged enum of lws 4.3.3's lws-misc.h.
    anon enum misc_enum_319: c_int {
        LWS_RXFLOW_REASON_USER_BOOL = 1,
        LWS_RXFLOW_REASON_HTTP_RXBUFFER = 64,
        LWS_RXFLOW_REASON_H2_PPS_PENDING = 128,
        LWS_RXFLOW_REASON_APPLIES = 16384,
        LWS_RXFLOW_REASON_APPLIES_ENABLE_BIT = 8192,
        LWS_RXFLOW_REASON_APPLIES_ENABLE = 24576,
        LWS_RXFLOW_REASON_APPLIES_DISABLE = 16384,
        LWS_RXFLOW_REASON_FLAG_PROCESS_NOW = 4096,
    }
    /// `enum lws_enum_stdinouterr` (lws-cgi.h).
    enum lws_enum_stdinouterr: c_uint {
        LWS_STDIN = 0,
        LWS_STDOUT = 1,
        LWS_STDERR = 2,
    }
    /// `enum lws_cgi_hdr_state` (lws-cgi.h).
    enum lws_cgi_hdr_state: c_uint {
        LCHS_HEADER = 0,
        LCHS_CR1 = 1,
        LCHS_LF1 = 2,
        LCHS_CR2 = 3,
        LCHS_LF2 = 4,
        LHCS_RESPONSE = 5,
        LHCS_DUMP_HEADERS = 6,
        LHCS_PAYLOAD = 7,
        LCHS_SINGLE_0A = 8,
    }
    /// `enum lws_gencrypto_kty` (lws-gencrypto.h).
    enum lws_gencrypto_kty: c_uint {
        LWS_GENCRYPTO_KTY_UNKNOWN = 0,
        LWS_GENCRYPTO_KTY_OCT = 1,
        LWS_GENCRYPTO_KTY_RSA = 2,
        LWS_GENCRYPTO_KTY_EC = 3,
    }
    /// `enum lws_gencrypto_oct_tok` (lws-gencrypto.h).
    enum lws_gencrypto_oct_tok: c_uint {
        LWS_GENCRYPTO_OCT_KEYEL_K = 0,
        LWS_GENCRYPTO_OCT_KEYEL_COUNT = 1,
    }
    /// `enum lws_gencrypto_rsa_tok` (lws-gencrypto.h).
    enum lws_gencrypto_rsa_tok: c_uint {
        LWS_GENCRYPTO_RSA_KEYEL_E = 0,
        LWS_GENCRYPTO_RSA_KEYEL_N = 1,
        LWS_GENCRYPTO_RSA_KEYEL_D = 2,
        LWS_GENCRYPTO_RSA_KEYEL_P = 3,
        LWS_GENCRYPTO_RSA_KEYEL_Q = 4,
        LWS_GENCRYPTO_RSA_KEYEL_DP = 5,
        LWS_GENCRYPTO_RSA_KEYEL_DQ = 6,
        LWS_GENCRYPTO_RSA_KEYEL_QI = 7,
        LWS_GENCRYPTO_RSA_KEYEL_OTHER = 8,
        LWS_GENCRYPTO_RSA_KEYEL_RI = 9,
        LWS_GENCRYPTO_RSA_KEYEL_DI = 10,
        LWS_GENCRYPTO_RSA_KEYEL_TI = 11,
        LWS_GENCRYPTO_RSA_KEYEL_COUNT = 12,
    }
    /// `enum lws_gencrypto_ec_tok` (lws-gencrypto.h).
    enum lws_gencrypto_ec_tok: c_uint {
        LWS_GENCRYPTO_EC_KEYEL_CRV = 0,
        LWS_GENCRYPTO_EC_KEYEL_X = 1,
        LWS_GENCRYPTO_EC_KEYEL_D = 2,
        LWS_GENCRYPTO_EC_KEYEL_Y = 3,
        LWS_GENCRYPTO_EC_KEYEL_COUNT = 4,
    }
    /// `enum lws_gencrypto_aes_tok` (lws-gencrypto.h).
    enum lws_gencrypto_aes_tok: c_uint {
        LWS_GENCRYPTO_AES_KEYEL_K = 0,
        LWS_GENCRYPTO_AES_KEYEL_COUNT = 1,
    }
    /// `enum lecp_callbacks` (lws-lecp.h).
    enum lecp_callbacks: c_uint {
        LECPCB_CONSTRUCTED = 0,
        LECPCB_DESTRUCTED = 1,
        LECPCB_COMPLETE = 3,
        LECPCB_FAILED = 4,
        LECPCB_PAIR_NAME = 5,
        LECPCB_VAL_TRUE = 70,
        LECPCB_VAL_FALSE = 71,
        LECPCB_VAL_NULL = 72,
        LECPCB_VAL_NUM_INT = 73,
        LECPCB_VAL_RESERVED = 74,
        LECPCB_VAL_STR_START = 11,
        LECPCB_VAL_STR_CHUNK = 76,
        LECPCB_VAL_STR_END = 77,
        LECPCB_ARRAY_START = 14,
        LECPCB_ARRAY_END = 15,
        LECPCB_OBJECT_START = 16,
        LECPCB_OBJECT_END = 17,
        LECPCB_TAG_START = 18,
        LECPCB_TAG_END = 19,
        LECPCB_VAL_NUM_UINT = 84,
        LECPCB_VAL_UNDEFINED = 85,
        LECPCB_VAL_FLOAT16 = 86,
        LECPCB_VAL_FLOAT32 = 87,
        LECPCB_VAL_FLOAT64 = 88,
        LECPCB_VAL_SIMPLE = 89,
        LECPCB_VAL_BLOB_START = 26,
        LECPCB_VAL_BLOB_CHUNK = 91,
        LECPCB_VAL_BLOB_END = 92,
        LECPCB_ARRAY_ITEM_START = 29,
        LECPCB_ARRAY_ITEM_END = 30,
        LECPCB_LITERAL_CBOR = 31,
    }
    /// `enum lecp_reasons` (lws-lecp.h).
    enum lecp_reasons: c_int {
        LECP_CONTINUE = -1,
        LECP_REJECT_BAD_CODING = -2,
        LECP_REJECT_UNKNOWN = -3,
        LECP_REJECT_CALLBACK = -4,
        LECP_STACK_OVERFLOW = -5,
    }
    /// `enum lws_lec_pctx_ret` (lws-lecp.h).
    enum lws_lec_pctx_ret: c_uint {
        LWS_LECPCTX_RET_FINISHED = 0,
        LWS_LECPCTX_RET_AGAIN = 1,
        LWS_LECPCTX_RET_FAIL = 2,
    }
    /// `enum cbp_state` (lws-lecp.h).
    enum cbp_state: c_uint {
        CBPS_IDLE = 0,
        CBPS_PC1 = 1,
        CBPS_PC2 = 2,
        CBPS_PC3 = 3,
        CBPS_STRING_BODY = 4,
        CBPS_NUM_LIT = 5,
        CBPS_STRING_LIT = 6,
        CBPS_CONTYPE = 7,
    }
    /// An untagged enum of lws 4.3.3's lws-cose.h.
    anon enum cose_enum_506: c_int {
        LWSCOSE_WKL_ALG = 1,
        LWSCOSE_WKL_CRIT = 2,
        LWSCOSE_WKL_CONTENT_TYPE = 3,
        LWSCOSE_WKL_KID = 4,
        LWSCOSE_WKL_IV = 5,
        LWSCOSE_WKL_IV_PARTIAL = 6,
        LWSCOSE_WKL_COUNTERSIG = 7,
        LWSCOSE_WKL_COUNTERSIG0 = 9,
        LWSCOSE_WKL_KID_CONTEXT = 10,
        LWSCOSE_WKL_CUPH_NONCE = 256,
        LWSCOSE_WKL_CUPH_OWNER_PUBKEY = 257,
        LWSCOSE_WKK_KTY = 1,
        LWSCOSE_WKK_KID = 2,
        LWSCOSE_WKK_ALG = 3,
        LWSCOSE_WKK_KEY_OPS = 4,
        LWSCOSE_WKK_BASE_IV = 5,
        LWSCOSE_WKKO_SIGN = 1,
        LWSCOSE_WKKO_VERIFY = 2,
        LWSCOSE_WKKO_ENCRYPT = 3,
        LWSCOSE_WKKO_DECRYPT = 4,
        LWSCOSE_WKKO_WRAP_KEY = 5,
        LWSCOSE_WKKO_UNWRAP_KEY = 6,
        LWSCOSE_WKKO_DERIVE_KEY = 7,
        LWSCOSE_WKKO_DERIVE_BITS = 8,
        LWSCOSE_WKKO_MAC_CREATE = 9,
        LWSCOSE_WKKO_MAC_VERIFY = 10,
        LWSCOSE_WKAECDSA_ALG_ES256 = -7,
        LWSCOSE_WKAECDSA_ALG_ES384 = -35,
        LWSCOSE_WKAECDSA_ALG_ES512 = -36,
        LWSCOSE_WKAEDDSA_ALG_EDDSA = -8,
        LWSCOSE_WKAHMAC_256_64 = 4,
        LWSCOSE_WKAHMAC_256_256 = 5,
        LWSCOSE_WKAHMAC_384_384 = 6,
        LWSCOSE_WKAHMAC_512_512 = 7,
        LWSCOSE_WKAAES_128_64 = 14,
        LWSCOSE_WKAAES_256_64 = 15,
        LWSCOSE_WKAAES_128_128 = 25,
        LWSCOSE_WKAAES_256_128 = 26,
        LWSCOSE_WKAAESGCM_128 = 1,
        LWSCOSE_WKAAESGCM_192 = 2,
        LWSCOSE_WKAAESGCM_256 = 3,
        LWSCOSE_WKAAESCCM_16_64_128 = 10,
        LWSCOSE_WKAAESCCM_16_64_256 = 11,
        LWSCOSE_WKAAESCCM_64_64_128 = 12,
        LWSCOSE_WKAAESCCM_64_64_256 = 13,
        LWSCOSE_WKAAESCCM_16_128_128 = 14,
        LWSCOSE_WKAAESCCM_16_128_256 = 15,
        LWSCOSE_WKAAESCCM_64_128_128 = 16,
        LWSCOSE_WKAAESCCM_64_128_256 = 17,
        LWSCOSE_WKACHACHA_POLY1305 = 24,
        LWSCOSE_WKAPHKDF_SALT = -20,
        LWSCOSE_WKAPCTX_PARTY_U_IDENTITY = -21,
        LWSCOSE_WKAPCTX_PARTY_U_NONCE = -22,
        LWSCOSE_WKAPCTX_PARTY_U_OTHER = -23,
        LWSCOSE_WKAPCTX_PARTY_V_IDENTITY = -24,
        LWSCOSE_WKAPCTX_PARTY_V_NONCE = -25,
        LWSCOSE_WKAPCTX_PARTY_V_OTHER = -26,
        LWSCOSE_WKK_DIRECT_CEK = -6,
        LWSCOSE_WKK_DIRECT_HKDF_SHA_256 = -10,
        LWSCOSE_WKK_DIRECT_HKDF_SHA_512 = -11,
        LWSCOSE_WKK_DIRECT_HKDF_AES_128 = -12,
        LWSCOSE_WKK_DIRECT_HKDF_AES_256 = -13,
        LWSCOSE_WKK_DIRECT_HKDFKW_SHA_256 = -3,
        LWSCOSE_WKK_DIRECT_HKDFKW_SHA_512 = -4,
        LWSCOSE_WKK_DIRECT_HKDFKW_AES_128 = -5,
        LWSCOSE_WKAECDH_ALG_ES_HKDF_256 = -25,
        LWSCOSE_WKAECDH_ALG_ES_HKDF_512 = -26,
        LWSCOSE_WKAECDH_ALG_SS_HKDF_256 = -27,
        LWSCOSE_WKAECDH_ALG_SS_HKDF_512 = -28,
        LWSCOSE_WKAPECDH_EPHEMERAL_KEY = -1,
        LWSCOSE_WKAPECDH_STATIC_KEY = -2,
        LWSCOSE_WKAPECDH_STATIC_KEY_ID = -3,
        LWSCOSE_WKAPECDH_ES_A128KW = -29,
        LWSCOSE_WKAPECDH_ES_A192KW = -30,
        LWSCOSE_WKAPECDH_ES_A256KW = -31,
        LWSCOSE_WKAPECDH_SS_A128KW = -32,
        LWSCOSE_WKAPECDH_SS_A192KW = -33,
        LWSCOSE_WKAPECDH_SS_A256KW = -34,
        LWSCOSE_WKKTV_OKP = 1,
        LWSCOSE_WKKTV_EC2 = 2,
        LWSCOSE_WKKTV_RSA = 3,
        LWSCOSE_WKKTV_SYMMETRIC = 4,
        LWSCOSE_WKKTV_HSS_LMS = 5,
        LWSCOSE_WKKTV_WALNUTDSA = 6,
        LWSCOSE_WKEC_P256 = 1,
        LWSCOSE_WKEC_P384 = 2,
        LWSCOSE_WKEC_P521 = 3,
        LWSCOSE_WKEC_X25519 = 4,
        LWSCOSE_WKEC_X448 = 5,
        LWSCOSE_WKEC_ED25519 = 6,
        LWSCOSE_WKEC_ED448 = 7,
        LWSCOSE_WKEC_SECP256K1 = 8,
        LWSCOSE_WKECKP_CRV = -1,
        LWSCOSE_WKECKP_X = -2,
        LWSCOSE_WKECKP_Y = -3,
        LWSCOSE_WKECKP_D = -4,
        LWSCOSE_WKOKP_CRV = -1,
        LWSCOSE_WKOKP_X = -2,
        LWSCOSE_WKOKP_D = -4,
        LWSCOSE_WKKPRSA_N = -1,
        LWSCOSE_WKKPRSA_E = -2,
        LWSCOSE_WKKPRSA_D = -3,
        LWSCOSE_WKKPRSA_P = -4,
        LWSCOSE_WKKPRSA_Q = -5,
        LWSCOSE_WKKPRSA_DP = -6,
        LWSCOSE_WKKPRSA_DQ = -7,
        LWSCOSE_WKKPRSA_QINV = -8,
        LWSCOSE_WKKPRSA_OTHER = -9,
        LWSCOSE_WKKPRSA_RI = -10,
        LWSCOSE_WKKPRSA_DI = -11,
        LWSCOSE_WKKPRSA_TI = -12,
        LWSCOSE_WKSYMKP_KEY_VALUE = 4,
        LWSCOAP_CONTENTFORMAT_COSE_SIGN = 98,
        LWSCOAP_CONTENTFORMAT_COSE_SIGN1 = 18,
        LWSCOAP_CONTENTFORMAT_COSE_ENCRYPT = 96,
        LWSCOAP_CONTENTFORMAT_COSE_ENCRYPT0 = 16,
        LWSCOAP_CONTENTFORMAT_COSE_MAC = 97,
        LWSCOAP_CONTENTFORMAT_COSE_MAC0 = 17,
        LWSCOAP_CONTENTFORMAT_COSE_KEY = 101,
        LWSCOAP_CONTENTFORMAT_COSE_KEY_SET = 102,
        LWSCOSE_WKL_COUNTERSIGNATURE0 = 9,
        LWSCOSE_WKARSA_ALG_RS256 = -257,
        LWSCOSE_WKARSA_ALG_RS384 = -258,
        LWSCOSE_WKARSA_ALG_RS512 = -259,
    }
    /// `enum enum_cose_key_meta_tok` (lws-cose.h).
    enum enum_cose_key_meta_tok: c_uint {
        COSEKEY_META_KTY = 0,
        COSEKEY_META_KID = 1,
        COSEKEY_META_KEY_OPS = 2,
        COSEKEY_META_BASE_IV = 3,
        COSEKEY_META_ALG = 4,
        LWS_COUNT_COSE_KEY_ELEMENTS = 5,
    }
    /// `enum lws_cose_sig_types` (lws-cose.h).
    enum lws_cose_sig_types: c_uint {
        SIGTYPE_UNKNOWN = 0,
        SIGTYPE_MULTI = 1,
        SIGTYPE_SINGLE = 2,
        SIGTYPE_COUNTERSIGNED = 3,
        SIGTYPE_MAC = 4,
        SIGTYPE_MAC0 = 5,
    }
    /// An untagged enum of lws 4.3.3's lws-cose.h.
    anon enum cose_enum_642: c_int {
        LCOSESIGEXTCB_RET_FINISHED = 0,
        LCOSESIGEXTCB_RET_AGAIN = 1,
        LCOSESIGEXTCB_RET_ERROR = -1,
    }
    /// `lws_struct_map_type_eum` (lws-struct.h).
    typedef enum lws_struct_map_type_eum: lws_struct_map_type_eum {
        LSMT_SIGNED = 0,
        LSMT_UNSIGNED = 1,
        LSMT_BOOLEAN = 2,
        LSMT_STRING_CHAR_ARRAY = 3,
        LSMT_STRING_PTR = 4,
        LSMT_LIST = 5,
        LSMT_CHILD_PTR = 6,
        LSMT_SCHEMA = 7,
        LSMT_BLOB_PTR = 8,
    }
    /// An untagged enum of lws 4.3.3's lws-struct.h.
    anon enum struct_enum_654: c_int {
        LSSERJ_FLAG_PRETTY = 1,
        LSSERJ_FLAG_OMIT_SCHEMA = 2,
    }
    /// `lws_struct_json_serialize_result_t` (lws-struct.h).
    typedef enum lws_struct_json_serialize_result_t: lws_struct_json_serialize_result_t {
        LSJS_RESULT_CONTINUE = 0,
        LSJS_RESULT_FINISH = 1,
        LSJS_RESULT_ERROR = 2,
    }
    /// `enum lws_threadpool_task_status` (lws-threadpool.h).
    enum lws_threadpool_task_status: c_uint {
        LWS_TP_STATUS_QUEUED = 0,
        LWS_TP_STATUS_RUNNING = 1,
        LWS_TP_STATUS_SYNCING = 2,
        LWS_TP_STATUS_STOPPING = 3,
        LWS_TP_STATUS_FINISHED = 4,
        LWS_TP_STATUS_STOPPED = 5,
    }
    /// `enum lws_threadpool_task_return` (lws-threadpool.h).
    enum lws_threadpool_task_return: c_uint {
        LWS_TP_RETURN_CHECKING_IN = 0,
        LWS_TP_RETURN_SYNC = 1,
        LWS_TP_RETURN_FINISHED = 2,
        LWS_TP_RETURN_STOPPED = 3,
        LWS_TP_RETURN_FLAG_OUTLIVE = 64,
    }
    /// `lws_seq_events_t` (lws-sequencer.h).
    typedef enum lws_seq_events_t: lws_seq_events_t {
        LWSSEQ_CREATED = 0,
        LWSSEQ_DESTROYED = 1,
        LWSSEQ_TIMED_OUT = 2,
        LWSSEQ_HEARTBEAT = 3,
        LWSSEQ_WSI_CONNECTED = 4,
        LWSSEQ_WSI_CONN_FAIL = 5,
        LWSSEQ_WSI_CONN_CLOSE = 6,
        LWSSEQ_SS_STATE_BASE = 7,
        LWSSEQ_USER_BASE = 100,
    }
    /// `lws_seq_cb_return_t` (lws-sequencer.h).
    typedef enum lws_seq_cb_return: lws_seq_cb_return_t {
        LWSSEQ_RET_CONTINUE = 0,
        LWSSEQ_RET_DESTROY = 1,
    }
    /// `lws_ss_constate_t` (lws-secure-streams.h).
    typedef enum lws_ss_constate_t: lws_ss_constate_t {
        LWSSSCS_CREATING = 1,
        LWSSSCS_DISCONNECTED = 2,
        LWSSSCS_UNREACHABLE = 3,
        LWSSSCS_AUTH_FAILED = 4,
        LWSSSCS_CONNECTED = 5,
        LWSSSCS_CONNECTING = 6,
        LWSSSCS_DESTROYING = 7,
        LWSSSCS_POLL = 8,
        LWSSSCS_ALL_RETRIES_FAILED = 9,
        LWSSSCS_QOS_ACK_REMOTE = 10,
        LWSSSCS_QOS_NACK_REMOTE = 11,
        LWSSSCS_QOS_ACK_LOCAL = 12,
        LWSSSCS_QOS_NACK_LOCAL = 13,
        LWSSSCS_TIMEOUT = 14,
        LWSSSCS_SERVER_TXN = 15,
        LWSSSCS_SERVER_UPGRADE = 16,
        LWSSSCS_EVENT_WAIT_CANCELLED = 17,
        LWSSSCS_UPSTREAM_LINK_RETRY = 18,
        LWSSSCS_SINK_JOIN = 19,
        LWSSSCS_SINK_PART = 20,
        LWSSSCS_USER_BASE = 1000,
    }
    /// An untagged enum of lws 4.3.3's lws-secure-streams-policy.h.
    anon enum secure_streams_policy_enum_723: c_int {
        LWSSSPOLF_OPPORTUNISTIC = 1,
        LWSSSPOLF_NAILED_UP = 2,
        LWSSSPOLF_URGENT_TX = 4,
        LWSSSPOLF_URGENT_RX = 8,
        LWSSSPOLF_TLS = 16,
        LWSSSPOLF_LONG_POLL = 32,
        LWSSSPOLF_AUTH_BEARER = 64,
        LWSSSPOLF_HTTP_NO_CONTENT_LENGTH = 128,
        LWSSSPOLF_QUIRK_NGHTTP2_END_STREAM = 256,
        LWSSSPOLF_H2_QUIRK_OVERFLOWS_TXCR = 512,
        LWSSSPOLF_H2_QUIRK_UNCLEAN_HPACK_STATE = 1024,
        LWSSSPOLF_HTTP_MULTIPART = 2048,
        LWSSSPOLF_HTTP_X_WWW_FORM_URLENCODED = 4096,
        LWSSSPOLF_LOCAL_SINK = 8192,
        LWSSSPOLF_WAKE_SUSPEND__VALIDITY = 16384,
        LWSSSPOLF_SERVER = 32768,
        LWSSSPOLF_ALLOW_REDIRECTS = 65536,
        LWSSSPOLF_HTTP_MULTIPART_IN = 131072,
        LWSSSPOLF_ATTR_LOW_LATENCY = 262144,
        LWSSSPOLF_ATTR_HIGH_THROUGHPUT = 524288,
        LWSSSPOLF_ATTR_HIGH_RELIABILITY = 1048576,
        LWSSSPOLF_ATTR_LOW_COST = 2097152,
        LWSSSPOLF_PERF = 4194304,
        LWSSSPOLF_DIRECT_PROTO_STR = 8388608,
        LWSSSPOLF_HTTP_CACHE_COOKIES = 16777216,
        LWSSSPOLF_PRIORITIZE_READS = 33554432,
    }
    /// An untagged enum of lws 4.3.3's lws-secure-streams-policy.h.
    anon enum secure_streams_policy_enum_749: c_int {
        LWSSSP_H1 = 0,
        LWSSSP_H2 = 1,
        LWSSSP_WS = 2,
        LWSSSP_MQTT = 3,
        LWSSSP_RAW = 4,
        LWSSS_HBI_AUTH = 0,
        LWSSS_HBI_DSN = 1,
        LWSSS_HBI_FWV = 2,
        LWSSS_HBI_TYPE = 3,
        _LWSSS_HBI_COUNT = 4,
    }
    /// An untagged enum of lws 4.3.3's abstract/abstract.h.
    anon enum abstract_enum_759: c_int {
        LTMI_END_OF_ARRAY = 0,
        LTMI_PROTOCOL_BASE = 2048,
        LTMI_TRANSPORT_BASE = 4096,
    }
    /// An untagged enum of lws 4.3.3's abstract/protocols.h.
    anon enum protocols_enum_762: c_int {
        LWS_AP_FLAG_PIPELINE_TRANSACTIONS = 1,
        LWS_AP_FLAG_MUXABLE_STREAM = 2,
    }
    /// An untagged enum of lws 4.3.3's abstract/transports/raw-skt.h.
    anon enum raw_skt_enum_764: c_int {
        LTMI_PEER_V_DNS_ADDRESS = 4096,
        LTMI_PEER_LV_PORT = 4097,
        LTMI_PEER_LV_TLS_FLAGS = 4098,
    }
    /// An untagged enum of lws 4.3.3's abstract/transports/unit-test.h.
    anon enum unit_test_enum_767: c_int {
        LWS_AUT_EXPECT_TEST_END = 1,
        LWS_AUT_EXPECT_LOCAL_CLOSE = 2,
        LWS_AUT_EXPECT_DO_REMOTE_CLOSE = 4,
        LWS_AUT_EXPECT_TX = 8,
        LWS_AUT_EXPECT_RX = 16,
        LWS_AUT_EXPECT_SHOULD_FAIL = 32,
        LWS_AUT_EXPECT_SHOULD_TIMEOUT = 64,
    }
    /// `lws_unit_test_packet_disposition` (abstract/transports/unit-test.h).
    typedef enum lws_unit_test_packet_disposition: lws_unit_test_packet_disposition {
        LPE_CONTINUE = 0,
        LPE_SUCCEEDED = 1,
        LPE_FAILED = 2,
        LPE_FAILED_UNEXPECTED_TIMEOUT = 3,
        LPE_FAILED_UNEXPECTED_PASS = 4,
        LPE_FAILED_UNEXPECTED_CLOSE = 5,
        LPE_SKIPPED = 6,
        LPE_CLOSING = 7,
    }
    /// An untagged enum of lws 4.3.3's abstract/transports/unit-test.h.
    anon enum unit_test_enum_782: c_int {
        LTMI_PEER_V_EXPECT_TEST = 4096,
        LTMI_PEER_V_EXPECT_RESULT_CB = 4097,
        LTMI_PEER_V_EXPECT_RESULT_CB_ARG = 4098,
    }
    /// `adns_query_type_t` (lws-async-dns.h).
    typedef enum dns_query_type: adns_query_type_t {
        LWS_ADNS_RECORD_A = 1,
        LWS_ADNS_RECORD_CNAME = 5,
        LWS_ADNS_RECORD_MX = 15,
        LWS_ADNS_RECORD_AAAA = 28,
    }
    /// `lws_async_dns_retcode_t` (lws-async-dns.h).
    typedef enum lws_async_dns_retcode_t: lws_async_dns_retcode_t {
        LADNS_RET_FAILED_WSI_CLOSED = -4,
        LADNS_RET_NXDOMAIN = -3,
        LADNS_RET_TIMEDOUT = -2,
        LADNS_RET_FAILED = -1,
        LADNS_RET_FOUND = 0,
        LADNS_RET_CONTINUING = 1,
    }
    /// `enum lws_genhash_types` (lws-genhash.h).
    enum lws_genhash_types: c_uint {
        LWS_GENHASH_TYPE_UNKNOWN = 0,
        LWS_GENHASH_TYPE_MD5 = 1,
        LWS_GENHASH_TYPE_SHA1 = 2,
        LWS_GENHASH_TYPE_SHA256 = 3,
        LWS_GENHASH_TYPE_SHA384 = 4,
        LWS_GENHASH_TYPE_SHA512 = 5,
    }
    /// `enum lws_genhmac_types` (lws-genhash.h).
    enum lws_genhmac_types: c_uint {
        LWS_GENHMAC_TYPE_UNKNOWN = 0,
        LWS_GENHMAC_TYPE_SHA256 = 1,
        LWS_GENHMAC_TYPE_SHA384 = 2,
        LWS_GENHMAC_TYPE_SHA512 = 3,
    }
    /// `enum enum_genrsa_mode` (lws-genrsa.h).
    enum enum_genrsa_mode: c_uint {
        LGRSAM_PKCS1_1_5 = 0,
        LGRSAM_PKCS1_OAEP_PSS = 1,
        LGRSAM_COUNT = 2,
    }
    /// `enum enum_aes_modes` (lws-genaes.h).
    enum enum_aes_modes: c_uint {
        LWS_GAESM_CBC = 0,
        LWS_GAESM_CFB128 = 1,
        LWS_GAESM_CFB8 = 2,
        LWS_GAESM_CTR = 3,
        LWS_GAESM_ECB = 4,
        LWS_GAESM_OFB = 5,
        LWS_GAESM_XTS = 6,
        LWS_GAESM_GCM = 7,
        LWS_GAESM_KW = 8,
    }
    /// `enum enum_aes_operation` (lws-genaes.h).
    enum enum_aes_operation: c_uint {
        LWS_GAESO_ENC = 0,
        LWS_GAESO_DEC = 1,
    }
    /// `enum enum_aes_padding` (lws-genaes.h).
    enum enum_aes_padding: c_uint {
        LWS_GAESP_NO_PADDING = 0,
        LWS_GAESP_WITH_PADDING = 1,
    }
    /// `enum enum_genec_alg` (lws-genec.h).
    enum enum_genec_alg: c_uint {
        LEGENEC_UNKNOWN = 0,
        LEGENEC_ECDH = 1,
        LEGENEC_ECDSA = 2,
    }
    /// `enum enum_lws_dh_side` (lws-genec.h).
    enum enum_lws_dh_side: c_uint {
        LDHS_OURS = 0,
        LDHS_THEIRS = 1,
    }
    /// `enum enum_jwk_meta_tok` (lws-jwk.h).
    enum enum_jwk_meta_tok: c_uint {
        JWK_META_KTY = 0,
        JWK_META_KID = 1,
        JWK_META_USE = 2,
        JWK_META_KEY_OPS = 3,
        JWK_META_X5C = 4,
        JWK_META_ALG = 5,
        LWS_COUNT_JWK_ELEMENTS = 6,
    }
    /// `enum lws_jws_jose_hdr_indexes` (lws-jose.h).
    enum lws_jws_jose_hdr_indexes: c_uint {
        LJJHI_ALG = 0,
        LJJHI_JKU = 1,
        LJJHI_JWK = 2,
        LJJHI_KID = 3,
        LJJHI_X5U = 4,
        LJJHI_X5C = 5,
        LJJHI_X5T = 6,
        LJJHI_X5T_S256 = 7,
        LJJHI_TYP = 8,
        LJJHI_CTY = 9,
        LJJHI_CRIT = 10,
        LJJHI_RECIPS_HDR = 11,
        LJJHI_RECIPS_HDR_ALG = 12,
        LJJHI_RECIPS_HDR_KID = 13,
        LJJHI_RECIPS_EKEY = 14,
        LJJHI_ENC = 15,
        LJJHI_ZIP = 16,
        LJJHI_EPK = 17,
        LJJHI_APU = 18,
        LJJHI_APV = 19,
        LJJHI_IV = 20,
        LJJHI_TAG = 21,
        LJJHI_P2S = 22,
        LJJHI_P2C = 23,
        LWS_COUNT_JOSE_HDR_ELEMENTS = 24,
    }
    /// `enum lws_jose_algtype` (lws-jose.h).
    enum lws_jose_algtype: c_uint {
        LWS_JOSE_ENCTYPE_NONE = 0,
        LWS_JOSE_ENCTYPE_RSASSA_PKCS1_1_5 = 1,
        LWS_JOSE_ENCTYPE_RSASSA_PKCS1_OAEP = 2,
        LWS_JOSE_ENCTYPE_RSASSA_PKCS1_PSS = 3,
        LWS_JOSE_ENCTYPE_ECDSA = 4,
        LWS_JOSE_ENCTYPE_ECDHES = 5,
        LWS_JOSE_ENCTYPE_AES_CBC = 6,
        LWS_JOSE_ENCTYPE_AES_CFB128 = 7,
        LWS_JOSE_ENCTYPE_AES_CFB8 = 8,
        LWS_JOSE_ENCTYPE_AES_CTR = 9,
        LWS_JOSE_ENCTYPE_AES_ECB = 10,
        LWS_JOSE_ENCTYPE_AES_OFB = 11,
        LWS_JOSE_ENCTYPE_AES_XTS = 12,
        LWS_JOSE_ENCTYPE_AES_GCM = 13,
    }
    /// `enum enum_jws_sig_elements` (lws-jws.h).
    enum enum_jws_sig_elements: c_uint {
        LJWS_JOSE = 0,
        LJWS_PYLD = 1,
        LJWS_SIG = 2,
        LJWS_UHDR = 3,
        LJWE_JOSE = 0,
        LJWE_EKEY = 1,
        LJWE_IV = 2,
        LJWE_CTXT = 3,
        LJWE_ATAG = 4,
        LJWE_AAD = 5,
        LWS_JWS_MAX_COMPACT_BLOCKS = 6,
    }
    /// An untagged enum of lws 4.3.3's lws-spi.h.
    anon enum spi_enum_889: c_int {
        LWSSPIMODE_CPOL = 1,
        LWSSPIMODE_CPHA = 2,
        LWS_SPI_BUSMODE_CLK_IDLE_LOW_SAMP_RISING = 0,
        LWS_SPI_BUSMODE_CLK_IDLE_HIGH_SAMP_RISING = 1,
        LWS_SPI_BUSMODE_CLK_IDLE_LOW_SAMP_FALLING = 2,
        LWS_SPI_BUSMODE_CLK_IDLE_HIGH_SAMP_FALLING = 3,
        LWS_SPI_TXN_HALF_DUPLEX_DISCRETE = 0,
    }
    /// `lws_gpio_irq_t` (lws-gpio.h).
    typedef enum lws_gpio_irq_t: lws_gpio_irq_t {
        LWSGGPIO_IRQ_NONE = 0,
        LWSGGPIO_IRQ_RISING = 1,
        LWSGGPIO_IRQ_FALLING = 2,
        LWSGGPIO_IRQ_CHANGE = 3,
        LWSGGPIO_IRQ_LOW = 4,
        LWSGGPIO_IRQ_HIGH = 5,
    }
    /// An untagged enum of lws 4.3.3's lws-gpio.h.
    anon enum gpio_enum_902: c_int {
        LWSGGPIO_FL_READ = 1,
        LWSGGPIO_FL_WRITE = 2,
        LWSGGPIO_FL_PULLUP = 4,
        LWSGGPIO_FL_PULLDOWN = 8,
        LWSGGPIO_FL_START_LOW = 16,
    }
    /// An untagged enum of lws 4.3.3's lws-button.h.
    anon enum button_enum_907: c_int {
        LWSBTNRGMFLAG_CLASSIFY_DOUBLECLICK = 1,
    }
    /// An untagged enum of lws 4.3.3's lws-led.h.
    anon enum led_enum_908: c_int {
        LLSI_CURR = 0,
        LLSI_NEXT = 1,
        LLSI_TRANS = 2,
    }
    /// `enum lws_display_controller_state` (lws-display.h).
    enum lws_display_controller_state: c_uint {
        LWSDISPS_OFF = 0,
        LWSDISPS_AUTODIMMED = 1,
        LWSDISPS_BECOMING_ACTIVE = 2,
        LWSDISPS_ACTIVE = 3,
        LWSDISPS_GOING_OFF = 4,
    }
    /// `lws_netdev_type_t` (lws-netdev.h).
    typedef enum lws_netdev_type_t: lws_netdev_type_t {
        LWSNDTYP_UNKNOWN = 0,
        LWSNDTYP_WIFI = 1,
        LWSNDTYP_ETH = 2,
    }
    /// An untagged enum of lws 4.3.3's lws-netdev.h.
    anon enum netdev_enum_919: c_int {
        LNDIW_ALG_OPEN = 0,
        LNDIW_ALG_WPA2 = 1,
        LNDIW_MODE_STA = 1,
        LNDIW_MODE_AP = 2,
        LNDIW_UP = 128,
        LNDIW_ACQ_IPv4 = 1,
        LNDIW_ACQ_IPv6 = 2,
    }
    /// `lws_netdev_wifi_state_t` (lws-netdev.h).
    typedef enum lws_netdev_wifi_state_t: lws_netdev_wifi_state_t {
        LWSNDVWIFI_STATE_INITIAL = 0,
        LWSNDVWIFI_STATE_SCAN = 1,
        LWSNDVWIFI_STATE_AP = 2,
        LWSNDVWIFI_STATE_AP_SCAN = 3,
        LWSNDVWIFI_STATE_STAT_GRP_AP = 4,
        LWSNDVWIFI_STATE_STAT_GRP_AP_SCAN = 5,
        LWSNDVWIFI_STATE_STAT = 6,
        LWSNDVWIFI_STATE_STAT_HAPPY = 7,
    }
    /// Constants #defined in lws 4.3.3's libwebsockets.h.
    defines libwebsockets_defines: c_int {
        LWS_NS_PER_US = 1000,
        LWS_INVALID_FILE = -1,
    }
    /// Constants #defined in lws 4.3.3's lws-timeout-timer.h.
    defines timeout_timer_defines: c_int {
        LWS_COUNT_PT_SUL_OWNERS = 2,
        LWSSULLI_MISS_IF_SUSPENDED = 0,
        LWSSULLI_WAKE_IF_SUSPENDED = 1,
    }
    /// Constants #defined in lws 4.3.3's lws-metrics.h.
    defines metrics_defines: c_int {
        METRES_GO = 0,
        METRES_NOGO = 1,
    }
    /// Constants #defined in lws 4.3.3's lws-callbacks.h.
    defines callbacks_defines: c_int {
        LWS_CB_REASON_AUX_BF__CGI = 1,
        LWS_CB_REASON_AUX_BF__PROXY = 2,
        LWS_CB_REASON_AUX_BF__CGI_CHUNK_END = 4,
        LWS_CB_REASON_AUX_BF__CGI_HEADERS = 8,
        LWS_CB_REASON_AUX_BF__PROXY_TRANS_END = 16,
        LWS_CB_REASON_AUX_BF__PROXY_HEADERS = 32,
    }
    /// Constants #defined in lws 4.3.3's lws-context-vhost.h.
    defines context_vhost_defines: u32 {
        AUTH_MODE_MASK = 0xf0000000,
    }
    /// Constants #defined in lws 4.3.3's lws-http.h.
    defines http_defines: c_int {
        LWSAHH_CODE_MASK = 65535,
        LWSAHH_FLAG_NO_SERVER_NAME = 1073741824,
        LWS_H2_STREAM_SID = -1,
    }
    /// Constants #defined in lws 4.3.3's lws-write.h.
    defines write_defines: c_int {
        LWS_SIZEOFPTR = 8,
        _LWS_PAD_SIZE = 16,
    }
    /// Constants #defined in lws 4.3.3's lws-gencrypto.h.
    defines gencrypto_defines: c_int {
        LWS_GENCRYPTO_MAX_KEYEL_COUNT = 12,
    }
    /// Constants #defined in lws 4.3.3's lws-lecp.h.
    defines lecp_defines: c_int {
        LECP_MAX_PARSING_STACK_DEPTH = 5,
        LECP_MAX_DEPTH = 12,
        LECP_MAX_INDEX_DEPTH = 8,
        LECP_MAX_PATH = 128,
        LECP_STRING_CHUNK = 254,
        LECP_FLAG_CB_IS_VALUE = 64,
    }
    /// Constants #defined in lws 4.3.3's lws-cose.h.
    defines cose_defines: c_int {
        LCSC_FL_ADD_CBOR_TAG = 1,
        LCSC_FL_ADD_CBOR_PREFER_MAC0 = 2,
    }
    /// Constants #defined in lws 4.3.3's lws-fts.h.
    defines fts_defines: c_int {
        LWSFTS_F_QUERY_AUTOCOMPLETE = 1,
        LWSFTS_F_QUERY_FILES = 2,
        LWSFTS_F_QUERY_FILE_LINES = 4,
        LWSFTS_F_QUERY_QUOTE_LINE = 8,
    }
    /// Constants #defined in lws 4.3.3's lws-diskcache.h.
    defines diskcache_defines: c_int {
        LWS_DISKCACHE_QUERY_NO_CACHE = 0,
        LWS_DISKCACHE_QUERY_EXISTS = 1,
        LWS_DISKCACHE_QUERY_CREATING = 2,
        LWS_DISKCACHE_QUERY_ONGOING = 3,
    }
    /// Constants #defined in lws 4.3.3's lws-sequencer.h.
    defines sequencer_defines: c_int {
        LWSSEQTO_NONE = 0,
    }
    /// Constants #defined in lws 4.3.3's lws-secure-streams.h.
    defines secure_streams_defines: c_int {
        LWS_SS_MTU = 1540,
        LWSSS_TIMEOUT_FROM_POLICY = 0,
    }
    /// Constants #defined in lws 4.3.3's lws-genhash.h.
    defines genhash_defines: c_int {
        LWS_GENHASH_LARGEST = 64,
    }
    /// Constants #defined in lws 4.3.3's lws-genaes.h.
    defines genaes_defines: c_int {
        LWS_AES_BLOCKSIZE = 128,
        LWS_AES_CBC_BLOCKLEN = 16,
    }
    /// Constants #defined in lws 4.3.3's lws-jwk.h.
    defines jwk_defines: c_int {
        LWSJWKF_EXPORT_PRIVATE = 1,
        LWSJWKF_EXPORT_NOCRLF = 2,
    }
    /// Constants #defined in lws 4.3.3's lws-jose.h.
    defines jose_defines: c_int {
        LWS_JWS_MAX_RECIPIENTS = 3,
    }
    /// Constants #defined in lws 4.3.3's lws-jws.h.
    defines jws_defines: c_int {
        LWS_JWS_MAX_SIGS = 3,
    }
    /// Constants #defined in lws 4.3.3's lws-jwe.h.
    defines jwe_defines: c_int {
        LWS_JWE_RFC3394_OVERHEAD_BYTES = 8,
        LWS_JWE_AES_IV_BYTES = 16,
        LWS_JWE_LIMIT_RSA_KEY_BITS = 4096,
        LWS_JWE_LIMIT_AES_KEY_BITS = 576,
        LWS_JWE_LIMIT_EC_KEY_BITS = 528,
        LWS_JWE_LIMIT_HASH_BITS = 512,
        LWS_JWE_LIMIT_KEY_ELEMENT_BYTES = 512,
    }
    /// Constants #defined in lws 4.3.3's lws-bb-spi.h.
    defines bb_spi_defines: c_int {
        LWSBBSPI_FLAG_USE_NCMD3 = 128,
        LWSBBSPI_FLAG_USE_NCMD2 = 64,
        LWSBBSPI_FLAG_USE_NCMD1 = 32,
        LWSBBSPI_FLAG_USE_NCMD0 = 16,
        LWSBBSPI_FLAG_USE_NCS3 = 8,
        LWSBBSPI_FLAG_USE_NCS2 = 4,
        LWSBBSPI_FLAG_USE_NCS1 = 2,
        LWSBBSPI_FLAG_USE_NCS0 = 1,
        LWS_SPI_BB_MAX_CH = 4,
    }
    /// Constants #defined in lws 4.3.3's lws-button.h.
    defines button_defines: c_int {
        LWS_BUTTON_MON_TIMER_MS = 5,
    }
    /// Constants #defined in lws 4.3.3's lws-led.h.
    defines led_defines: c_int {
        LWS_LED_MAX_INTENSITY = 65535,
        LWS_LED_FUNC_PHASE = 65536,
        LWS_SEQ_LEDPHASE_TOTAL_ENDLESS = -1,
        LWS_LED_SEQUENCER_UPDATE_INTERVAL_MS = 33,
    }
    /// Constants #defined in lws 4.3.3's lws-ssd1306-i2c.h.
    defines ssd1306_i2c_defines: c_int {
        SSD1306_I2C7_ADS1 = 60,
        SSD1306_I2C7_ADS2 = 61,
    }
    /// Constants #defined in lws 4.3.3's lws-settings.h.
    defines settings_defines: c_int {
        LSOOPEN_FLAG_WRITEABLE = 1,
    }
    /// Constants #defined in lws 4.3.3's lws-netdev.h.
    defines netdev_defines: c_int {
        LWS_WIFI_MAX_SCAN_TRACK = 16,
        LWS_ETH_ALEN = 6,
    }
    /// An untagged enum of lws 4.3.3's lws-lecp.h.
    anon enum lecp_enum_614: c_int {
        LWS_CBOR_MAJTYP_UINT = 0,
        LWS_CBOR_MAJTYP_INT_NEG = 32,
        LWS_CBOR_MAJTYP_BSTR = 64,
        LWS_CBOR_MAJTYP_TSTR = 96,
        LWS_CBOR_MAJTYP_ARRAY = 128,
        LWS_CBOR_MAJTYP_MAP = 160,
        LWS_CBOR_MAJTYP_TAG = 192,
        LWS_CBOR_MAJTYP_FLOAT = 224,
        LWS_CBOR_MAJTYP_MASK = 224,
        LWS_CBOR_1 = 24,
        LWS_CBOR_2 = 25,
        LWS_CBOR_4 = 26,
        LWS_CBOR_8 = 27,
        LWS_CBOR_RESERVED = 28,
        LWS_CBOR_SUBMASK = 31,
        LWS_CBOR_SWK_FALSE = 20,
        LWS_CBOR_SWK_TRUE = 21,
        LWS_CBOR_SWK_NULL = 22,
        LWS_CBOR_SWK_UNDEFINED = 23,
        LWS_CBOR_M7_SUBTYP_SIMPLE_X8 = 24,
        LWS_CBOR_M7_SUBTYP_FLOAT16 = 25,
        LWS_CBOR_M7_SUBTYP_FLOAT32 = 26,
        LWS_CBOR_M7_SUBTYP_FLOAT64 = 27,
        LWS_CBOR_M7_BREAK = 31,
        LWS_CBOR_INDETERMINITE = 31,
        LWS_CBOR_WKTAG_DATETIME_STD = 0,
        LWS_CBOR_WKTAG_DATETIME_EPOCH = 1,
        LWS_CBOR_WKTAG_BIGNUM_UNSIGNED = 2,
        LWS_CBOR_WKTAG_BIGNUM_NEGATIVE = 3,
        LWS_CBOR_WKTAG_DECIMAL_FRAC = 4,
        LWS_CBOR_WKTAG_BIGFLOAT = 5,
        LWS_CBOR_WKTAG_COSE_ENC0 = 16,
        LWS_CBOR_WKTAG_COSE_MAC0 = 17,
        LWS_CBOR_WKTAG_COSE_SIGN1 = 18,
        LWS_CBOR_WKTAG_TO_B64U = 21,
        LWS_CBOR_WKTAG_TO_B64 = 22,
        LWS_CBOR_WKTAG_TO_B16 = 23,
        LWS_CBOR_WKTAG_CBOR = 24,
        LWS_CBOR_WKTAG_URI = 32,
        LWS_CBOR_WKTAG_B64U = 33,
        LWS_CBOR_WKTAG_B64 = 34,
        LWS_CBOR_WKTAG_MIME = 36,
        LWS_CBOR_WKTAG_COSE_ENC = 96,
        LWS_CBOR_WKTAG_COSE_MAC = 97,
        LWS_CBOR_WKTAG_COSE_SIGN = 98,
        LWS_CBOR_WKTAG_SELFDESCCBOR = 55799,
    }
    /// An untagged enum of lws 4.3.3's lws-secure-streams.h.
    anon enum secure_streams_enum_924: c_int {
        LWSSS_FLAG_SOM = 1,
        LWSSS_FLAG_EOM = 2,
        LWSSS_FLAG_POLL = 4,
        LWSSS_FLAG_RELATED_START = 8,
        LWSSS_FLAG_RELATED_END = 16,
        LWSSS_FLAG_RIDESHARE = 32,
        LWSSS_FLAG_PERF_JSON = 64,
        LWSSS_SER_RXPRE_RX_PAYLOAD = 85,
        LWSSS_SER_RXPRE_CREATE_RESULT = 86,
        LWSSS_SER_RXPRE_CONNSTATE = 87,
        LWSSS_SER_RXPRE_TXCR_UPDATE = 88,
        LWSSS_SER_RXPRE_METADATA = 89,
        LWSSS_SER_RXPRE_TLSNEG_ENCLAVE_SIGN = 90,
        LWSSS_SER_RXPRE_PERF = 91,
        LWSSS_SER_TXPRE_STREAMTYPE = 170,
        LWSSS_SER_TXPRE_ONWARD_CONNECT = 171,
        LWSSS_SER_TXPRE_DESTROYING = 172,
        LWSSS_SER_TXPRE_TX_PAYLOAD = 173,
        LWSSS_SER_TXPRE_METADATA = 174,
        LWSSS_SER_TXPRE_TXCR_UPDATE = 175,
        LWSSS_SER_TXPRE_TIMEOUT_UPDATE = 176,
        LWSSS_SER_TXPRE_PAYLOAD_LENGTH_HINT = 177,
        LWSSS_SER_TXPRE_TLSNEG_ENCLAVE_SIGNED = 178,
    }
    /// `lws_ss_conn_states_t` (lws-secure-streams.h).
    typedef enum lws_ss_conn_states_t: lws_ss_conn_states_t {
        LPCSPROX_WAIT_INITIAL_TX = 1,
        LPCSPROX_REPORTING_FAIL = 2,
        LPCSPROX_REPORTING_OK = 3,
        LPCSPROX_OPERATIONAL = 4,
        LPCSPROX_DESTROYED = 5,
        LPCSCLI_SENDING_INITIAL_TX = 6,
        LPCSCLI_WAITING_CREATE_RESULT = 7,
        LPCSCLI_LOCAL_CONNECTED = 8,
        LPCSCLI_ONWARD_CONNECT = 9,
        LPCSCLI_OPERATIONAL = 10,
    }
    /// `lws_ss_state_return_t` (lws-secure-streams.h).
    typedef enum lws_ss_state_return: lws_ss_state_return_t {
        LWSSSSRET_TX_DONT_SEND = 1,
        LWSSSSRET_OK = 0,
        LWSSSSRET_DISCONNECT_ME = -1,
        LWSSSSRET_DESTROY_ME = -2,
    }
    /// An untagged enum of lws 4.3.3's lws-secure-streams.h.
    anon enum secure_streams_enum_961: c_int {
        LWSSSINFLAGS_REGISTER_SINK = 1,
        LWSSSINFLAGS_PROXIED = 2,
        LWSSSINFLAGS_SERVER = 4,
        LWSSSINFLAGS_ACCEPTED = 8,
    }
}
