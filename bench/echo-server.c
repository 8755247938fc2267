/*
 * bench/echo-server.c - WebSocket echo server for the side-by-side benchmark.
 *
 * Written only against the public libwebsockets API that both libwebsockets
 * 4.1.x and the 4.3 API implemented by lws-rs provide, so the same source is
 * compiled once against each implementation's own header and library.
 *
 * Every received fragment is queued per connection and sent back from the
 * SERVER_WRITEABLE callback with the same type and the same first/final
 * fragment flags, so a message comes back exactly as it went in.
 *
 *   echo-server [-p port] [-i iface] [-r rx_buffer_size] [-x exit_after_n]
 *               [-z n] [-C cert.pem -K key.pem] [-d loglevel] [-Z]
 *
 * Prints "READY port=<port> pid=<pid>" on stdout once it listens.  Exits on
 * SIGINT/SIGTERM, or after -x connections have closed (used under callgrind,
 * which writes its counts only at a normal exit).  -z n corrupts one byte of
 * the n-th non-empty fragment it echoes: a self-test that the client notices.
 * -C and -K make it serve wss:// (TLS) with that certificate and key.
 * -Z accepts permessage-deflate (when the library has extensions).
 */
#include <libwebsockets.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct chunk {
	struct chunk *next;
	size_t len;
	int flags;
	/* LWS_PRE bytes of headroom, then len bytes of payload */
	unsigned char buf[];
};

struct pss {
	struct chunk *head, *tail;
};

static volatile sig_atomic_t interrupted;
static int exit_after, closed_count, corrupt_at, chunks_seen;
static struct lws_context *context;
static lws_sorted_usec_list_t sul_tick;

static void
free_queue(struct pss *pss)
{
	struct chunk *c;

	while ((c = pss->head)) {
		pss->head = c->next;
		free(c);
	}
	pss->tail = NULL;
}

static int
callback_echo(struct lws *wsi, enum lws_callback_reasons reason, void *user,
	      void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	struct chunk *c;
	int n, proto;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		pss->head = pss->tail = NULL;
		break;

	case LWS_CALLBACK_RECEIVE:
		c = malloc(sizeof(*c) + LWS_PRE + len);
		if (!c)
			return -1;
		if (len) {
			memcpy(c->buf + LWS_PRE, in, len);
			if (corrupt_at && ++chunks_seen == corrupt_at)
				c->buf[LWS_PRE] ^= 0x20;
		}
		c->len = len;
		c->next = NULL;
		proto = lws_frame_is_binary(wsi) ? LWS_WRITE_BINARY :
						   LWS_WRITE_TEXT;
		c->flags = lws_write_ws_flags(proto,
					      lws_is_first_fragment(wsi),
					      lws_is_final_fragment(wsi));
		if (pss->tail)
			pss->tail->next = c;
		else
			pss->head = c;
		pss->tail = c;
		lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_SERVER_WRITEABLE:
		c = pss->head;
		if (!c)
			break;
		n = lws_write(wsi, c->buf + LWS_PRE, c->len,
			      (enum lws_write_protocol)c->flags);
		if (n < (int)c->len) {
			lwsl_err("echo-server: lws_write returned %d of %zu\n",
				 n, c->len);
			return -1;
		}
		pss->head = c->next;
		if (!pss->head)
			pss->tail = NULL;
		free(c);
		if (pss->head)
			lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLOSED:
		free_queue(pss);
		if (exit_after && ++closed_count >= exit_after)
			interrupted = 1;
		break;

	default:
		break;
	}

	return 0;
}

#if !defined(LWS_WITHOUT_EXTENSIONS)
static const struct lws_extension pmd_exts[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_max_window_bits" },
	{ NULL, NULL, NULL }
};
#endif

static const struct lws_protocols protocols[] = {
	{ "bench-echo", callback_echo, sizeof(struct pss), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* A slow tick so a signal is noticed even if the poll wait is restarted. */
static void
tick_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (!interrupted)
		lws_sul_schedule(context, 0, &sul_tick, tick_cb,
				 250 * LWS_US_PER_MS);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct lws_protocols *prots;
	const char *iface = "127.0.0.1", *cert = NULL, *key = NULL;
	int port = 7681, rxbuf = 0, loglevel = LLL_ERR, opt, n = 0, lport;
	int use_pmd = 0;

	while ((opt = getopt(argc, argv, "p:i:r:x:z:C:K:d:Z")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'i': iface = optarg; break;
		case 'r': rxbuf = atoi(optarg); break;
		case 'x': exit_after = atoi(optarg); break;
		case 'z': corrupt_at = atoi(optarg); break;
		case 'C': cert = optarg; break;
		case 'K': key = optarg; break;
		case 'd': loglevel = atoi(optarg); break;
		case 'Z': use_pmd = 1; break;
		default:
			fprintf(stderr, "usage: %s [-p port] [-i iface] "
				"[-r rx_buffer_size] [-x exit_after] "
				"[-z corrupt_nth] [-C cert.pem -K key.pem] "
				"[-d loglevel] [-Z]\n", argv[0]);
			return 2;
		}
	}
	if (!cert != !key) {
		fprintf(stderr, "echo-server: -C and -K go together\n");
		return 2;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(loglevel, NULL);

	prots = calloc(2, sizeof(*prots));
	if (!prots)
		return 1;
	memcpy(prots, protocols, sizeof(protocols));
	prots[0].rx_buffer_size = (size_t)rxbuf;

	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = iface;
	info.protocols = prots;
	info.gid = -1;
	info.uid = -1;
	if (cert) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = cert;
		info.ssl_private_key_filepath = key;
	}
	if (use_pmd) {
#if defined(LWS_WITHOUT_EXTENSIONS)
		fprintf(stderr, "echo-server: -Z: this libwebsockets has no "
			"extensions\n");
		return 2;
#else
		info.extensions = pmd_exts;
#endif
	}

	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "echo-server: lws_create_context failed "
			"(port %d in use?)\n", port);
		return 1;
	}
	lport = lws_get_vhost_listen_port(lws_get_vhost_by_name(context,
								"default"));
	if (lport <= 0) {
		fprintf(stderr, "echo-server: not listening\n");
		lws_context_destroy(context);
		return 1;
	}
	lws_sul_schedule(context, 0, &sul_tick, tick_cb, 250 * LWS_US_PER_MS);

	printf("READY port=%d pid=%d tls=%d\n", lport, (int)getpid(),
	       !!cert);
	fflush(stdout);

	while (n >= 0 && !interrupted)
		n = lws_service(context, 0);

	lws_context_destroy(context);
	free(prots);

	return 0;
}
