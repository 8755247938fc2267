/*
 * lwsws_get_config_globals: <dir>/conf, then the files of <dir>/conf.d in name order,
 * set the creation info from their "global" sections (ids, names, init-ssl,
 * server-string, timeout-secs, reject-service-keywords, default-alpn,
 * rlimit-nofile, count-threads); the strings live in the caller's buffer,
 * which is advanced past them. A missing <dir>/conf: 1 and a log line.
 */
#include <libwebsockets.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../harness/harness.h"

static int err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	H_ASSERT(f != NULL);
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	struct lws_context_creation_info info;
	char dir[128], p[192], buf[4096], *cs = buf;
	int len = (int)sizeof buf, before;

	lws_set_log_level(LLL_ERR, emit);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-lwsws-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(p, sizeof p, "%s/conf.d", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/conf", dir);
	put(p, "{\"global\": {\"uid\": \"48\", \"gid\": \"49\", \"username\": \"apache\",\n"
	       " \"groupname\": \"web\", \"init-ssl\": \"yes\", \"server-string\": \"myserver\",\n"
	       " \"timeout-secs\": \"7\", \"rlimit-nofile\": \"1000\",\n"
	       " \"reject-service-keywords\": [{\"scumbot\": \"404 Not Found\"}]}}\n");
	snprintf(p, sizeof p, "%s/conf.d/b", dir);
	put(p, "{\"global\": {\"default-alpn\": \"http/1.1\", \"gid\": \"50\"}}\n");
	snprintf(p, sizeof p, "%s/conf.d/a", dir);
	put(p, "{\"global\": {\"count-threads\": \"1\", \"gid\": \"51\"}}\n");

	memset(&info, 0, sizeof info);
	H_ASSERT_EQ_INT(lwsws_get_config_globals(&info, dir, &cs, &len), 0);
	H_ASSERT_EQ_INT((int)info.uid, 48);
	H_ASSERT_EQ_INT((int)info.gid, 50); /* conf, then conf.d/a, then conf.d/b */
	H_ASSERT_STREQ(info.username, "apache");
	H_ASSERT_STREQ(info.groupname, "web");
	H_ASSERT(info.options & LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT);
	H_ASSERT_STREQ(info.server_string, "myserver");
	H_ASSERT_EQ_INT((int)info.timeout_secs, 7);
	H_ASSERT_EQ_INT(info.rlimit_nofile, 1000);
	H_ASSERT_EQ_INT((int)info.count_threads, 1);
	H_ASSERT_STREQ(info.alpn, "http/1.1");
	H_ASSERT(info.reject_service_keywords != NULL);
	H_ASSERT_STREQ(info.reject_service_keywords->name, "scumbot");
	H_ASSERT_STREQ(info.reject_service_keywords->value, "404 Not Found");
	H_ASSERT(info.reject_service_keywords->next == NULL);
	/* the strings are in our buffer, which was advanced past them */
	H_ASSERT(info.username >= buf && info.username < buf + sizeof buf);
	H_ASSERT(cs > info.username && cs <= buf + sizeof buf);
	H_ASSERT_EQ_INT(len, (int)(buf + sizeof buf - 1 - cs));

	/* no <dir>/conf */
	before = err_lines;
	cs = buf;
	len = (int)sizeof buf;
	H_ASSERT_EQ_INT(lwsws_get_config_globals(&info, "/nonexistent/lws-rs", &cs, &len), 1);
	H_ASSERT(err_lines >= before + 1);

	snprintf(p, sizeof p, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(p), 0);
	return h_pass();
}
