/*
 * lwsws_get_config_globals + lwsws_get_config_vhosts on a configuration
 * directory written here: <d>/conf sets globals and one vhost, <d>/conf.d/site
 * a second vhost with a file:// mount, a response header and a ws-protocols
 * entry with an option. Both vhosts are created with the settings of their
 * definition (name, port, interface, keep-alive, headers, mounts, the pvo
 * handed to PROTOCOL_INIT); the mounted file is fetched with curl over a
 * real socket; *cs / *len are advanced past what was placed there. A
 * definition lws refuses (no port) fails the call, a directory without any
 * vhost fails it too ("Need at least one vhost"), and NULL arguments get 1.
 * A unix-socket vhost fails the call (not built here; lws creates it).
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "harness.h"
#include "curl_head.h"

static char opt_seen[64];

static int
cb_b(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	const char *v = NULL;

	if (reason == LWS_CALLBACK_PROTOCOL_INIT && in &&
	    !lws_pvo_get_str(in, "greeting", &v))
		lws_strncpy(opt_seen, v, sizeof opt_seen);
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "proto-b", cb_b, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* A port nothing listens on now (the kernel's pick, released at once). */
static int free_port(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	H_ASSERT(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(!bind(fd, (struct sockaddr *)&sa, sizeof sa));
	H_ASSERT(!getsockname(fd, (struct sockaddr *)&sa, &sl));
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	H_ASSERT(f != NULL);
	fputs(text, f);
	fclose(f);
}

static char arena[8192];

int main(void)
{
	char dir[128], path[256], text[1024], url[128], head[256], body[256], *cs;
	struct lws_context_creation_info info;
	struct lws_vhost *one, *site;
	struct lws_context *cx;
	int len, p1, p2, n;
	FILE *f;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-lwsws-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(path, sizeof path, "%s/conf.d", dir);
	H_ASSERT(!mkdir(path, 0700));
	snprintf(path, sizeof path, "%s/www", dir);
	H_ASSERT(!mkdir(path, 0700));
	snprintf(path, sizeof path, "%s/www/index.html", dir);
	put(path, "<html>from lwsws conf</html>\n");

	p1 = free_port();
	p2 = free_port();
	snprintf(path, sizeof path, "%s/conf", dir);
	snprintf(text, sizeof text,
		 "{ \"global\": { \"server-string\": \"lwsws-test\", \"timeout-secs\": \"9\" },\n"
		 "  \"vhosts\": [ { \"name\": \"one\", \"port\": \"%d\",\n"
		 "                \"interface\": \"127.0.0.1\", \"keepalive_timeout\": \"7\" } ] }\n",
		 p1);
	put(path, text);
	snprintf(path, sizeof path, "%s/conf.d/site", dir);
	snprintf(text, sizeof text,
		 "{ \"vhosts\": [ { \"name\": \"site\", \"port\": %d, \"interface\": \"127.0.0.1\",\n"
		 "    \"headers\": [ { \"x-site\": \"yes\" } ],\n"
		 "    \"ws-protocols\": [ { \"proto-b\": { \"greeting\": \"hello\" } } ],\n"
		 "    \"mounts\": [ { \"mountpoint\": \"/\", \"origin\": \"file://%s/www\",\n"
		 "                  \"default\": \"index.html\", \"cache-max-age\": \"60\",\n"
		 "                  \"cache-reuse\": \"1\" } ] } ] }\n",
		 p2, dir);
	put(path, text);
	snprintf(path, sizeof path, "%s/conf.d/old~", dir);
	put(path, "{ \"vhosts\": [ { \"name\": \"skipped\" } ] }");

	/* NULL arguments. */
	cs = arena;
	len = (int)sizeof arena;
	memset(&info, 0, sizeof info);
	H_ASSERT_EQ_INT(lwsws_get_config_globals(NULL, dir, &cs, &len), 1);
	H_ASSERT_EQ_INT(lwsws_get_config_vhosts(NULL, &info, dir, &cs, &len), 1);

	H_ASSERT_EQ_INT(lwsws_get_config_globals(&info, dir, &cs, &len), 0);
	H_ASSERT_STREQ(info.server_string, "lwsws-test");
	H_ASSERT_EQ_INT(info.timeout_secs, 9);
	info.options |= LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT_EQ_INT(lwsws_get_config_vhosts(cx, NULL, dir, &cs, &len), 1);

	{
		char *before = cs, *end = cs + len;

		H_ASSERT_EQ_INT(lwsws_get_config_vhosts(cx, &info, dir, &cs, &len), 0);
		H_ASSERT(cs > before);
		H_ASSERT_EQ_INT(len, (int)(end - cs));
	}
	/* info is left as the last definition made it (lws). */
	H_ASSERT_STREQ(info.vhost_name, "site");
	H_ASSERT_STREQ(info.server_string, "lwsws-test");
	H_ASSERT(info.protocols == protocols);
	H_ASSERT_EQ_INT(info.keepalive_timeout, 5);
	H_ASSERT(info.mounts && !strcmp(info.mounts->mountpoint, "/"));
	H_ASSERT_EQ_INT(info.mounts->origin_protocol, LWSMPRO_FILE);
	H_ASSERT(info.headers && !strcmp(info.headers->name, "x-site:"));

	one = lws_get_vhost_by_name(cx, "one");
	site = lws_get_vhost_by_name(cx, "site");
	H_ASSERT(one && site);
	H_ASSERT(!lws_get_vhost_by_name(cx, "skipped"));
	H_ASSERT_EQ_INT(lws_get_vhost_listen_port(one), p1);
	H_ASSERT_EQ_INT(lws_get_vhost_listen_port(site), p2);

	/* Serviced: PROTOCOL_INIT got the option, the mounted file comes over TCP. */
	snprintf(head, sizeof head, "%s/head.txt", dir);
	snprintf(body, sizeof body, "%s/body.txt", dir);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", p2);
	H_ASSERT_EQ_INT(curl_to(cx, head, body, NULL, url), 0);
	H_ASSERT_STREQ(opt_seen, "hello");
	H_ASSERT(!strncmp(head_of(head), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT_CONTAINS(head_of(head), "x-site: yes\n");
	H_ASSERT_CONTAINS(head_of(head), "server: lwsws-test\n");
	H_ASSERT_CONTAINS(head_of(head), "content-type: text/html\n");
	H_ASSERT_CONTAINS(head_of(head), "max-age=60");
	f = fopen(body, "rb");
	H_ASSERT(f != NULL);
	n = (int)fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n > 0 ? n : 0] = '\0';
	H_ASSERT_STREQ(text, "<html>from lwsws conf</html>\n");

	/* A definition without a port fails the call; so does no vhost at all. */
	snprintf(path, sizeof path, "%s/conf", dir);
	put(path, "{ \"vhosts\": [ { \"name\": \"portless\" } ] }");
	snprintf(path, sizeof path, "%s/conf.d/site", dir);
	H_ASSERT(!unlink(path));
	H_ASSERT_EQ_INT(lwsws_get_config_vhosts(cx, &info, dir, &cs, &len), 1);
	H_ASSERT(!lws_get_vhost_by_name(cx, "portless"));
	/* Unix-socket vhosts are not built (docs/COMPAT.md): the call fails. */
	snprintf(path, sizeof path, "%s/conf", dir);
	put(path, "{ \"vhosts\": [ { \"name\": \"unixvh\", \"unix-socket\": \"1\", "
		  "\"interface\": \"/tmp/lws-rs-lwsws-unused.sock\" } ] }");
	info.protocols = protocols;
	H_ASSERT_EQ_INT(lwsws_get_config_vhosts(cx, &info, dir, &cs, &len), 1);
	H_ASSERT(!lws_get_vhost_by_name(cx, "unixvh"));
	snprintf(path, sizeof path, "%s/conf", dir);
	put(path, "{ \"global\": { \"uid\": \"0\" } }");
	info.protocols = protocols;
	H_ASSERT_EQ_INT(lwsws_get_config_vhosts(cx, &info, dir, &cs, &len), 1);

	lws_context_destroy(cx);
	snprintf(text, sizeof text, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(text), 0);
	return h_pass();
}
