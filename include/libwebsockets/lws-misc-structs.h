/*
 * lws-rs: the structs of the headers' other areas that have bitfields, which
 * cbindgen cannot print. Hand-written, with the member order, types and widths
 * of lws 4.3.3 (layouts in abi/layouts-misc.tsv, checked by scripts/check-abi.sh);
 * opaque to Rust (src/ffi/types/misc.rs). Included by <libwebsockets.h> after
 * lws-api.h, which defines the types they hold by value.
 */
#ifndef LWS_RS_MISC_STRUCTS_H
#define LWS_RS_MISC_STRUCTS_H

/* A JWE: its JOSE header, the JWS elements and key, and the content key. */
struct lws_jwe {
	struct lws_jose jose;
	struct lws_jws jws;
	struct lws_jwk jwk;
	uint8_t cek[LWS_JWE_LIMIT_KEY_ELEMENT_BYTES];
	unsigned int cek_valid:1;
	int recip;
};

/* One route of the routing table (lws_route_t). */
struct lws_route {
	lws_dll2_t list;
	lws_sockaddr46 src;
	lws_sockaddr46 dest;
	lws_sockaddr46 gateway;
	struct lws_route *source;
	lws_dns_score_t score;
	int if_idx;
	int priority;
	int ifa_flags;
	lws_route_uidx_t uidx;
	uint8_t proto;
	uint8_t dest_len;
	uint8_t src_len;
	uint8_t scope;
	uint8_t af;
	uint8_t source_ads:1;
};

/* A secure-stream metadata item (lws_ss_metadata_t). */
struct lws_ss_metadata {
	struct lws_ss_metadata *next;
	const char *name;
	void *value__may_own_heap;
	size_t length;
	uint8_t value_length;
	uint8_t value_is_http_token;
	uint8_t value_on_lws_heap:1;
};

/* A DER certificate or key of a secure-streams policy (lws_ss_x509_t). */
struct lws_ss_x509 {
	struct lws_ss_x509 *next;
	const char *vhost_name;
	const uint8_t *ca_der;
	size_t ca_der_len;
	uint8_t keep:1;
};

/* How to create a sequencer (lws_seq_info_t). */
struct lws_seq_info {
	struct lws_context *context;
	int tsi;
	size_t user_size;
	void **puser;
	lws_seq_event_cb cb;
	const char *name;
	const lws_retry_bo_t *retry;
	uint8_t wakesuspend:1;
};

/* A secure-streams policy: one streamtype (lws_ss_policy_t). */
struct lws_ss_policy {
	struct lws_ss_policy *next;
	const char *streamtype;
	const char *endpoint;
	const char *rideshare_streamtype;
	const char *payload_fmt;
	const char *socks5_proxy;
	lws_ss_metadata_t *metadata;
	const lws_metric_policy_t *metrics;
	const lws_ss_auth_t *auth;
	union {
		struct {
			const char *method;
			const char *url;
			const char *multipart_name;
			const char *multipart_filename;
			const char *multipart_content_type;
			const char *blob_header[4];
			const char *auth_preamble;
			const lws_ss_http_respmap_t *respmap;
			union {
				struct {
					const char *subprotocol;
					uint8_t binary;
				} ws;
			} u;
			uint16_t resp_expect;
			uint8_t count_respmap;
			uint8_t fail_redirect:1;
		} http;
	} u;
	union {
		const lws_ss_trust_store_t *store;
		struct {
			const lws_ss_x509_t *cert;
			const lws_ss_x509_t *key;
		} server;
	} trust;
	const lws_retry_bo_t *retry_bo;
	uint32_t proxy_buflen;
	uint32_t proxy_buflen_rxflow_on_above;
	uint32_t proxy_buflen_rxflow_off_below;
	uint32_t client_buflen;
	uint32_t client_buflen_rxflow_on_above;
	uint32_t client_buflen_rxflow_off_below;
	uint32_t timeout_ms;
	uint32_t flags;
	uint16_t port;
	uint8_t metadata_count;
	uint8_t protocol;
	uint8_t client_cert;
	uint8_t priority;
};

#endif /* LWS_RS_MISC_STRUCTS_H */
