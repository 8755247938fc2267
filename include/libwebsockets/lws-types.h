/*
 * lws-rs: the type declarations cbindgen cannot print. Hand-written; included
 * by <libwebsockets.h> after lws-constants.h and before the generated lws-api.h.
 */
#ifndef LWS_RS_TYPES_H
#define LWS_RS_TYPES_H

/*
 * Every struct and union tag of the API, declared up front. lws-api.h may use a
 * tag inside a function-pointer typedef before it defines it, and in C a tag
 * first seen in a parameter list would name a different, list-local type.
 */
struct lws;
struct lws_context;
struct lws_vhost;
struct lws_ring;
struct lws_sequencer;
struct lws_buflist;
struct lws_plat_file_ops;
struct lws_plugin_evlib;
struct lws_attach_item;
struct lws_metric_pub;
struct lws_context_creation_info;
struct lws_client_connect_info;
struct lws_protocols;
struct lws_protocol_vhost_options;
struct lws_extension;
struct lws_ext_options;
struct lws_ext_option_arg;
struct lws_http_mount;
struct lws_token_limits;
struct lws_process_html_args;
struct lws_pollargs;
struct lws_dll2;
struct lws_dll2_owner;
struct lws_sorted_usec_list;
struct lws_retry_bo;
struct lws_state_notify_link;
struct lws_state_manager;
struct lws_system_ops;
struct lejp_ctx;
struct lws_tokenize;
struct lws_strexp;
struct lws_conmon;
struct lws_tls_session_dump;
struct lws_log_cx;
struct addrinfo;
struct lws_udp;
union lws_sockaddr46;
union lws_sock_file_fd_type;

/* In lws these two unions are known only by their typedef names. */
typedef union lws_sockaddr46 lws_sockaddr46;
typedef union lws_sock_file_fd_type lws_sock_file_fd_type;

/*
 * A protocol callback. This is a function type, not a pointer type:
 * struct lws_protocols holds an lws_callback_function *.
 *
 * wsi:    the connection (or a stand-in for events of the vhost or context)
 * reason: why it is called
 * user:   the connection's per-session data, if the protocol asked for any
 * in, len: reason-specific data
 *
 * Return 0 to continue; what non-zero means depends on the reason.
 */
typedef int lws_callback_function(struct lws *wsi,
				  enum lws_callback_reasons reason,
				  void *user, void *in, size_t len);

/* A websocket extension callback (a function type, like lws_callback_function). */
typedef int lws_extension_callback_function(struct lws_context *context,
					    const struct lws_extension *ext,
					    struct lws *wsi,
					    enum lws_extension_callback_reasons reason,
					    void *user, void *in, size_t len);

/*
 * lws_dir() calls one of these for each object in the directory (a function
 * type, like lws_callback_function). Return non-zero to stop the scan.
 */
struct lws_dir_entry;
struct lws_cache_creation_info; /* named by struct lws_cache_ops, defined after it */
typedef int lws_dir_callback_function(const char *dirpath, void *user,
				      struct lws_dir_entry *lde);
/* Declared here because cbindgen cannot spell a function-type parameter. */
int lws_dir(const char *dirpath, void *user, lws_dir_callback_function cb);

/*
 * One HTTP mount: requests whose URL starts with mountpoint are served from
 * origin, as origin_protocol (LWSMPRO_*) says. Mounts form a list through
 * mount_next. Written by hand because of its bitfields; the Rust mirror keeps
 * them in one byte (src/ffi/types/protocols.rs).
 */
struct lws_http_mount {
	const struct lws_http_mount *mount_next;
	const char *mountpoint;
	const char *origin;
	const char *def;
	const char *protocol;
	const struct lws_protocol_vhost_options *cgienv;
	const struct lws_protocol_vhost_options *extra_mimetypes;
	const struct lws_protocol_vhost_options *interpret;
	int cgi_timeout;
	int cache_max_age;
	unsigned int auth_mask;
	unsigned int cache_reusable:1;
	unsigned int cache_revalidate:1;
	unsigned int cache_intermediaries:1;
	unsigned char origin_protocol;
	unsigned char mountpoint_len;
	const char *basic_auth_login_file;
};

#endif /* LWS_RS_TYPES_H */
