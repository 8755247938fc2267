/*
 * lws-rs: external poll and custom event libraries. Hand-written (the Rust
 * mirrors are in src/ffi/types/eventlib.rs): a host loop polls the descriptors
 * it hears of through LWS_CALLBACK_ADD_POLL_FD / CHANGE_MODE_POLL_FD /
 * DEL_POLL_FD, or through the operations of its own event library, and hands
 * each ready one to lws_service_fd().
 */
#ifndef LWS_RS_EVENTLIB_H
#define LWS_RS_EVENTLIB_H

/* On Linux the poll descriptor is the platform's own. */
#define lws_pollfd pollfd
#define LWS_POLLHUP (POLLHUP | POLLERR)
#define LWS_POLLIN (POLLIN)
#define LWS_POLLOUT (POLLOUT)

enum lws_event_lib_ops_flags {
	LELOF_ISPOLL = (1 >> 0),
	LELOF_DESTROY_FINAL = (1 >> 1),
};

/* Flags of lws_event_loop_ops.io: which interest, started or stopped. */
enum {
	LWS_EV_READ = (1 << 0),
	LWS_EV_WRITE = (1 << 1),
	LWS_EV_START = (1 << 2),
	LWS_EV_STOP = (1 << 3),
};

/*
 * A custom event library (info.event_lib_custom). This library calls
 * init_context, init_pt, init_vhost_listen_wsi, sock_accept, io,
 * wsi_logical_close and destroy_pt; evlib_size_pt bytes of zeroed storage
 * are what lws_evlib_tsi_to_evlib_pt() / lws_evlib_wsi_to_evlib_pt() return.
 */
struct lws_event_loop_ops {
	const char *name;
	int (*init_context)(struct lws_context *context,
			    const struct lws_context_creation_info *info);
	int (*destroy_context1)(struct lws_context *context);
	int (*destroy_context2)(struct lws_context *context);
	int (*init_vhost_listen_wsi)(struct lws *wsi);
	int (*init_pt)(struct lws_context *context, void *_loop, int tsi);
	int (*wsi_logical_close)(struct lws *wsi);
	int (*check_client_connect_ok)(struct lws *wsi);
	void (*close_handle_manually)(struct lws *wsi);
	int (*sock_accept)(struct lws *wsi);
	void (*io)(struct lws *wsi, unsigned int flags);
	void (*run_pt)(struct lws_context *context, int tsi);
	void (*destroy_pt)(struct lws_context *context, int tsi);
	void (*destroy_wsi)(struct lws *wsi);
	int (*foreign_thread)(struct lws_context *context, int tsi);

	uint8_t flags;

	uint16_t evlib_size_ctx;
	uint16_t evlib_size_pt;
	uint16_t evlib_size_vh;
	uint16_t evlib_size_wsi;
};

#define LWS_PLUGIN_API_MAGIC 191

/* The header every plugin object starts with. */
typedef struct lws_plugin_header {
	const char *name;
	const char *_class;
	const char *lws_build_hash;
	unsigned int api_magic;
} lws_plugin_header_t;

/* An event library as a plugin object (info.event_lib_custom points at one). */
typedef struct lws_plugin_evlib {
	lws_plugin_header_t hdr;
	const struct lws_event_loop_ops *ops;
} lws_plugin_evlib_t;

struct lws_context_per_thread;

#endif /* LWS_RS_EVENTLIB_H */
