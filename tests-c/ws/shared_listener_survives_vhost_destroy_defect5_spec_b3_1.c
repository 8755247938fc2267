/*
 * Issue 10 defect 5 (B3.1): vhosts created on one port share a listening
 * socket. Destroying the vhost that opened it hands it to a remaining vhost,
 * which keeps accepting; destroying that one too closes it.
 */
#include <libwebsockets.h>

#include <string.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static char routed_to[64];
static int done, errors;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		lws_strncpy(routed_to, lws_get_vhost_name(lws_get_vhost(wsi)), sizeof routed_to);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		/* our CLIENT_ESTABLISHED returned -1: lws reports that as this error */
		if (!in || strcmp((const char *)in, "HS: Rejected at CLIENT_ESTABLISHED"))
			errors++;
		done = 1;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		done = 1;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "r", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
connect_as(int port, const char *host)
{
	struct lws_client_connect_info ci;
	int n;

	done = 0;
	routed_to[0] = '\0';
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = host;
	ci.protocol = "r";
	ci.vhost = lws_get_vhost_by_name(cx, "client");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (n = 0; n < 500 && !done; n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT(done);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_vhost *first, *second;
	int port, n;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.vhost_name = "first.test";
	first = lws_create_vhost(cx, &info);
	H_ASSERT(first != NULL);
	port = lws_get_vhost_listen_port(first);
	info.port = port;
	info.vhost_name = "second.test";
	second = lws_create_vhost(cx, &info);
	H_ASSERT(second != NULL);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.iface = NULL;
	info.vhost_name = "client";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);

	connect_as(port, "first.test");
	H_ASSERT_STREQ(routed_to, "first.test");

	lws_vhost_destroy(first);
	for (n = 0; n < 3; n++)
		lws_service(cx, -1);
	/* Even a request naming the destroyed vhost reaches the survivor. */
	connect_as(port, "first.test");
	H_ASSERT_EQ_INT(errors, 0);
	H_ASSERT_STREQ(routed_to, "second.test");
	connect_as(port, "second.test");
	H_ASSERT_STREQ(routed_to, "second.test");

	lws_vhost_destroy(second);
	for (n = 0; n < 3; n++)
		lws_service(cx, -1);
	connect_as(port, "second.test");
	H_ASSERT_EQ_INT(errors, 1);

	lws_context_destroy(cx);
	return h_pass();
}
