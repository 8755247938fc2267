/*
 * A WebSocket echo server written against the libwebsockets 4.3 API, the way
 * the lws minimal examples are: every message received is sent back, in
 * order, with its type kept; messages are queued per connection while the
 * socket is busy.
 *
 *   echo-server [-p port] [-d loglevel] [--exit-after-clients N] [--timeout-secs N]
 *               [-s --cert server.pem --key server.key]   (wss://)
 *               [--allow-non-tls | --redirect-to-https]   (plain clients on the TLS port)
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct msg {
	struct msg *next;
	size_t len;
	int binary, first, last;
	unsigned char *payload; /* LWS_PRE bytes, then the data */
};

struct pss {
	struct msg *head, *tail;
	int in_binary;
};

static int interrupted, clients_done, exit_after;

static int
callback_echo(struct lws *wsi, enum lws_callback_reasons reason, void *user,
	      void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	struct msg *m;
	int flags, n;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(pss, 0, sizeof(*pss));
		break;

	case LWS_CALLBACK_RECEIVE:
		m = malloc(sizeof(*m));
		if (!m)
			return -1;
		m->payload = malloc(LWS_PRE + len + 1);
		if (!m->payload) {
			free(m);
			return -1;
		}
		memcpy(m->payload + LWS_PRE, in, len);
		m->len = len;
		m->binary = lws_frame_is_binary(wsi);
		m->first = lws_is_first_fragment(wsi);
		m->last = lws_is_final_fragment(wsi);
		m->next = NULL;
		if (pss->tail)
			pss->tail->next = m;
		else
			pss->head = m;
		pss->tail = m;
		lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_SERVER_WRITEABLE:
		m = pss->head;
		if (!m)
			break;
		flags = lws_write_ws_flags(m->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT,
					   m->first, m->last);
		n = lws_write(wsi, m->payload + LWS_PRE, m->len, (enum lws_write_protocol)flags);
		if (n < (int)m->len) {
			lwsl_err("echo: write failed\n");
			return -1;
		}
		pss->head = m->next;
		if (!pss->head)
			pss->tail = NULL;
		free(m->payload);
		free(m);
		if (pss->head)
			lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLOSED:
		while (pss->head) {
			m = pss->head;
			pss->head = m->next;
			free(m->payload);
			free(m);
		}
		pss->tail = NULL;
		if (exit_after && ++clients_done >= exit_after)
			interrupted = 1;
		break;

	default:
		break;
	}

	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "lws-echo", callback_echo, sizeof(struct pss), 4096, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* --pmd: permessage-deflate (RFC 7692), as the lws minimal examples enable it. */
static const struct lws_extension extensions[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_no_context_takeover; client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static struct lws_context *context;

/* Waking the loop matters: a flag alone is only seen after the next event. */
static void
sigint_handler(int sig)
{
	(void)sig;
	interrupted = 1;
	lws_cancel_service(context);
}

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	const char *p;
	int n = 0;

	signal(SIGINT, sigint_handler);
	signal(SIGTERM, sigint_handler);
	memset(&info, 0, sizeof info);
	lws_cmdline_option_handle_builtin(argc, argv, &info);

	info.port = 7681;
	if ((p = lws_cmdline_option(argc, argv, "-p")))
		info.port = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "--exit-after-clients")))
		exit_after = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "--timeout-secs")))
		info.timeout_secs = (unsigned int)atoi(p);
	info.protocols = protocols;
	info.iface = "127.0.0.1";
	if (lws_cmdline_option(argc, argv, "--pmd"))
		info.extensions = extensions;
	if (lws_cmdline_option(argc, argv, "-s")) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = lws_cmdline_option(argc, argv, "--cert");
		info.ssl_private_key_filepath = lws_cmdline_option(argc, argv, "--key");
		/* as in lws, plain text on the TLS port needs ALLOW_NON_SSL_ON_SSL_PORT
		 * and then says what to do with it */
		if (lws_cmdline_option(argc, argv, "--allow-non-tls"))
			info.options |= LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT |
					LWS_SERVER_OPTION_ALLOW_HTTP_ON_HTTPS_LISTENER;
		if (lws_cmdline_option(argc, argv, "--redirect-to-https"))
			info.options |= LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT |
					LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS;
	}

	context = lws_create_context(&info);
	if (!context) {
		lwsl_err("lws init failed\n");
		return 1;
	}
	lwsl_user("echo server on port %d\n",
		  lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "default")));

	while (n >= 0 && !interrupted)
		n = lws_service(context, 0);

	lws_context_destroy(context);
	return 0;
}
