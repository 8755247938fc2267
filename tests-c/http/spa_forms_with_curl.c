/*
 * lws_spa_* (lws-spa.h) on a real server driven by curl: a urlencoded form
 * (--data), multipart fields (-F), a file of several MiB streamed to the upload
 * callback in chunks bounded by max_storage (-F file=@...), a value beyond
 * max_storage, a name over 31 bytes, an upload callback that refuses, and the
 * NULL / bad-argument answers. The server uses lws_spa as lws's
 * minimal-http-server-form-post examples do: created on the first
 * LWS_CALLBACK_HTTP_BODY, finalized in BODY_COMPLETION, destroyed in
 * HTTP_DROP_PROTOCOL.
 *
 * ctest-timeout: 120
 */
#include <libwebsockets.h>

#include <errno.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

/* lws_spa_create_info_t as lws 4.3.3 lays it out on x86_64. */
_Static_assert(sizeof(lws_spa_create_info_t) == 56, "size");
_Static_assert(offsetof(lws_spa_create_info_t, count_params) == 8, "count_params");
_Static_assert(offsetof(lws_spa_create_info_t, max_storage) == 12, "max_storage");
_Static_assert(offsetof(lws_spa_create_info_t, opt_cb) == 16, "opt_cb");
_Static_assert(offsetof(lws_spa_create_info_t, opt_data) == 24, "opt_data");
_Static_assert(offsetof(lws_spa_create_info_t, param_names_stride) == 32, "stride");
_Static_assert(offsetof(lws_spa_create_info_t, ac) == 40, "ac");
_Static_assert(offsetof(lws_spa_create_info_t, ac_chunk_size) == 48, "ac_chunk_size");
_Static_assert(LWS_UFS_CONTENT == 0 && LWS_UFS_FINAL_CONTENT == 1 && LWS_UFS_OPEN == 2 &&
	       LWS_UFS_CLOSE == 3, "LWS_UFS_*");

#define STORAGE 1024
#define FILE_SIZE (6 * 1024 * 1024 + 123)

/* Field names inside an array of structs, to use param_names_stride. */
static const struct field {
	const char *name;
	int ordinal;
} fields[] = { { "text1", 0 }, { "send", 1 } };

/* What one request did, filled by the server. */
static struct result {
	int created, process_failed, completed;
	char text1[64], send[64];
	int text1_len, send_len, text1_undefined;
	int opens, contents, finals, closes, bad_order;
	int max_chunk, min_room;
	unsigned long long file_bytes;
	uint32_t file_hash;
	char file_name[64], file_field[32], close_name[32];
} r;

static int refuse_open; /* the upload callback returns -1 at LWS_UFS_OPEN */

struct pss {
	struct lws_spa *spa;
};

static uint32_t fnv1a(uint32_t h, const char *p, int len)
{
	int i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

static int upload_cb(void *data, const char *name, const char *filename, char *buf, int len,
		     enum lws_spa_fileupload_states state)
{
	H_ASSERT(data == &r);
	switch (state) {
	case LWS_UFS_OPEN:
		if (r.opens != r.finals)
			r.bad_order = 1;
		r.opens++;
		H_ASSERT(buf != NULL);
		H_ASSERT_EQ_INT(len, 0);
		snprintf(r.file_name, sizeof(r.file_name), "%s", filename);
		snprintf(r.file_field, sizeof(r.file_field), "%s", name);
		r.file_hash = 2166136261u;
		return refuse_open ? -1 : 0;
	case LWS_UFS_CONTENT:
	case LWS_UFS_FINAL_CONTENT:
		if (r.opens != r.finals + 1)
			r.bad_order = 1;
		H_ASSERT(buf != NULL);
		H_ASSERT(len >= 0);
		if (state == LWS_UFS_CONTENT) {
			r.contents++;
			H_ASSERT(len > 0);
		} else {
			r.finals++;
		}
		if (len > r.max_chunk)
			r.max_chunk = len;
		r.file_bytes += (unsigned long long)len;
		r.file_hash = fnv1a(r.file_hash, buf, len);
		return 0;
	case LWS_UFS_CLOSE:
		r.closes++;
		H_ASSERT(buf == NULL);
		H_ASSERT_EQ_INT(len, 0);
		snprintf(r.close_name, sizeof(r.close_name), "%s", name);
		return 0;
	}
	return 0;
}

static void keep(char *dst, size_t room, int *len, struct lws_spa *spa, int n)
{
	const char *s = lws_spa_get_string(spa, n);

	*len = lws_spa_get_length(spa, n);
	if (s)
		snprintf(dst, room, "%s", s);
	else if (n == 0)
		r.text1_undefined = 1;
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			 void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	uint8_t buf[LWS_PRE + 512], *p = &buf[LWS_PRE], *end = &buf[sizeof(buf) - 1];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (!strcmp((const char *)in, "/form"))
			return 0;
		break;
	case LWS_CALLBACK_HTTP_BODY:
		if (!pss->spa) {
			lws_spa_create_info_t i;

			memset(&i, 0, sizeof(i));
			i.param_names = &fields[0].name;
			i.param_names_stride = sizeof(fields[0]);
			i.count_params = (int)LWS_ARRAY_SIZE(fields);
			i.max_storage = STORAGE;
			i.opt_cb = upload_cb;
			i.opt_data = &r;
			pss->spa = lws_spa_create_via_info(wsi, &i);
			if (!pss->spa)
				return -1;
			r.created++;
		}
		if (lws_spa_process(pss->spa, (const char *)in, (int)len)) {
			r.process_failed = 1;
			return -1;
		}
		break;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		H_ASSERT_EQ_INT(lws_spa_finalize(pss->spa), 0);
		/* A second finalize and late input change nothing. */
		H_ASSERT_EQ_INT(lws_spa_finalize(pss->spa), 0);
		H_ASSERT_EQ_INT(lws_spa_process(pss->spa, "&text1=late", 11), 0);
		keep(r.text1, sizeof(r.text1), &r.text1_len, pss->spa, 0);
		keep(r.send, sizeof(r.send), &r.send_len, pss->spa, 1);
		/* Out of range: lws's answers. */
		H_ASSERT(lws_spa_get_string(pss->spa, 2) == NULL);
		H_ASSERT_EQ_INT(lws_spa_get_length(pss->spa, 2), 0);
		H_ASSERT(lws_spa_get_string(pss->spa, -1) == NULL);
		r.completed = 1;
		if (lws_http_redirect(wsi, HTTP_STATUS_MOVED_PERMANENTLY,
				      (unsigned char *)"/done", 5, &p, end) < 0)
			return -1;
		break;
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (pss->spa) {
			H_ASSERT_EQ_INT(lws_spa_destroy(pss->spa), 0);
			pss->spa = NULL;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", callback_http, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* Runs curl with `args` (NULL-terminated, after "curl") while serving; returns its status. */
static int curl(struct lws_context *cx, int port, const char *const *args)
{
	char url[64], *argv[32];
	int n = 0, st = 0, i;
	pid_t pid;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/form", port);
	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)"/dev/null";
	argv[n++] = (char *)"--max-time";
	argv[n++] = (char *)"30";
	for (i = 0; args[i] && n < 30; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = url;
	argv[n] = NULL;
	memset(&r, 0, sizeof(r));
	r.min_room = STORAGE;
	if (posix_spawnp(&pid, "curl", NULL, NULL, argv, environ))
		H_FAIL("cannot run curl: %s", strerror(errno));
	for (i = 0; i < 100000; i++) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		/* -1: do not wait, so the child's exit is seen promptly. */
		lws_service(cx, -1);
		usleep(200);
	}
	/* Let the server finish the connection (DROP_PROTOCOL) before checking. */
	for (i = 0; i < 20; i++)
		lws_service(cx, -1);
	H_ASSERT(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static uint32_t make_file(const char *path)
{
	FILE *f = fopen(path, "wb");
	uint32_t x = 12345, h = 2166136261u;
	char block[4096];
	int written = 0, n;

	H_ASSERT(f != NULL);
	while (written < FILE_SIZE) {
		int take = FILE_SIZE - written < (int)sizeof(block) ? FILE_SIZE - written
								     : (int)sizeof(block);

		for (n = 0; n < take; n++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* Plenty of CR, LF and '-' so boundary look-alikes occur. */
			block[n] = (x & 7) == 0 ? "\r\n-"[x % 3] : (char)(x >> 8);
		}
		H_ASSERT_EQ_INT(fwrite(block, 1, (size_t)take, f), take);
		h = fnv1a(h, block, take);
		written += take;
	}
	H_ASSERT_EQ_INT(fclose(f), 0);
	return h;
}

static void bad_arguments(void)
{
	static const char *const names[] = { "a" };
	lws_spa_create_info_t i;

	memset(&i, 0, sizeof(i));
	i.param_names = names;
	i.count_params = 1;
	H_ASSERT(lws_spa_create(NULL, names, 1, 0, NULL, NULL) == NULL);
	H_ASSERT(lws_spa_create_via_info(NULL, &i) == NULL);
	H_ASSERT(lws_spa_create_via_info(NULL, NULL) == NULL);
	H_ASSERT_EQ_INT(lws_spa_process(NULL, "a=1", 3), -1);
	H_ASSERT_EQ_INT(lws_spa_finalize(NULL), 0);
	H_ASSERT(lws_spa_get_string(NULL, 0) == NULL);
	H_ASSERT_EQ_INT(lws_spa_get_length(NULL, 0), 0);
	H_ASSERT_EQ_INT(lws_spa_destroy(NULL), -1);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	char path[] = "/tmp/lws-spa-upload-XXXXXX", file_arg[96], name_arg[96];
	char long_value[STORAGE + 40];
	const char *base;
	uint32_t want_hash;
	int port, fd;

	h_watchdog(110);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	bad_arguments();

	memset(&info, 0, sizeof(info));
	info.port = 0;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	H_ASSERT(port > 0);

	/* urlencoded, decoded; names are not; fields nobody asked for are dropped. */
	{
		const char *a[] = { "--data", "text1=hello+world%21%3D&other=1&send=Send", NULL };

		H_ASSERT_EQ_INT(curl(cx, port, a), 0);
		H_ASSERT(r.completed && !r.process_failed);
		H_ASSERT_STREQ(r.text1, "hello world!=");
		H_ASSERT_EQ_INT(r.text1_len, 13);
		H_ASSERT_STREQ(r.send, "Send");
		H_ASSERT_EQ_INT(r.send_len, 4);
		/* No file: only LWS_UFS_CLOSE, naming the last field. */
		H_ASSERT_EQ_INT(r.opens + r.contents + r.finals, 0);
		H_ASSERT_EQ_INT(r.closes, 1);
		H_ASSERT_STREQ(r.close_name, "send");
	}

	/* multipart fields: kept raw. */
	{
		const char *a[] = { "-F", "text1=a+b%21", "-F", "send=Send", NULL };

		H_ASSERT_EQ_INT(curl(cx, port, a), 0);
		H_ASSERT(r.completed);
		H_ASSERT_STREQ(r.text1, "a+b%21");
		H_ASSERT_STREQ(r.send, "Send");
		H_ASSERT_EQ_INT(r.closes, 1);
		H_ASSERT_EQ_INT(r.opens, 0);
	}

	/* A file of 6 MiB between two fields, streamed in bounded chunks. */
	fd = mkstemp(path);
	H_ASSERT(fd >= 0);
	close(fd);
	want_hash = make_file(path);
	base = strrchr(path, '/') + 1;
	snprintf(file_arg, sizeof(file_arg), "file=@%s", path);
	{
		const char *a[] = { "-F", "text1=before", "-F", file_arg, "-F", "send=after", NULL };

		H_ASSERT_EQ_INT(curl(cx, port, a), 0);
		H_ASSERT(r.completed && !r.process_failed);
		H_ASSERT_STREQ(r.text1, "before");
		H_ASSERT_STREQ(r.send, "after");
		H_ASSERT_EQ_INT(r.opens, 1);
		H_ASSERT_EQ_INT(r.finals, 1);
		H_ASSERT_EQ_INT(r.closes, 1);
		H_ASSERT(!r.bad_order);
		H_ASSERT_STREQ(r.file_field, "file");
		H_ASSERT_STREQ(r.file_name, base);
		H_ASSERT_EQ_INT(r.file_bytes, FILE_SIZE);
		H_ASSERT_EQ_INT(r.file_hash, want_hash);
		/* 1024 bytes of storage, 7 used by "before": chunks of at most 1016. */
		H_ASSERT(r.max_chunk <= STORAGE - 7 - 1);
		H_ASSERT(r.contents >= FILE_SIZE / STORAGE);
	}

	/* The upload callback refuses the file: the body is refused. */
	refuse_open = 1;
	{
		const char *a[] = { "-F", file_arg, NULL };
		int st = curl(cx, port, a);

		H_ASSERT(st != 0);
		H_ASSERT(r.process_failed);
		H_ASSERT(!r.completed);
		H_ASSERT_EQ_INT(r.opens, 1);
		/* Destroyed without finalize: lws still says CLOSE. */
		H_ASSERT_EQ_INT(r.closes, 1);
	}
	refuse_open = 0;
	unlink(path);

	/* A value that does not fit max_storage fails the body. */
	memset(long_value, 'v', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	memcpy(long_value, "text1=", 6);
	{
		const char *a[] = { "--data", long_value, "--data", "send=x", NULL };

		H_ASSERT(curl(cx, port, a) != 0);
		H_ASSERT(r.process_failed);
	}
	/* A urlencoded name over 31 bytes fails it too. */
	snprintf(name_arg, sizeof(name_arg), "%s=1", "n23456789012345678901234567890123");
	{
		const char *a[] = { "--data", name_arg, NULL };

		H_ASSERT(curl(cx, port, a) != 0);
		H_ASSERT(r.process_failed);
	}
	/* An empty value reads as undefined, with length 0. */
	{
		const char *a[] = { "--data", "text1=&send=1", NULL };

		H_ASSERT_EQ_INT(curl(cx, port, a), 0);
		H_ASSERT(r.text1_undefined);
		H_ASSERT_EQ_INT(r.text1_len, 0);
		H_ASSERT_STREQ(r.send, "1");
	}

	lws_context_destroy(cx);
	return h_pass();
}
