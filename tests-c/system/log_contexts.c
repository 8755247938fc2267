/*
 * Log contexts (lws_log_cx_t): the lwsl_cx_* / lwsl_vhost_* macros through a
 * context's info.log_cx with a context-aware emitter, its own level mask,
 * parent prefixes, reference counting with the file helpers, the context hex
 * dump, lwsl_timestamp, _lws_logv, and the process log context.
 */
#include <libwebsockets.h>
#include <fcntl.h>
#include "../harness/harness.h"

static char lines[64][300];
static int nlines, refcb, proc_lines;
static char proc_last[300];

static void cx_emit(struct lws_log_cx *cx, int level, const char *line, size_t len)
{
	(void)cx;
	(void)level;
	H_ASSERT(strlen(line) == len);
	if (nlines < 64)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

static void proc_emit(int level, const char *line)
{
	(void)level;
	proc_lines++;
	snprintf(proc_last, sizeof(proc_last), "%s", line);
}

static void parent_prepend(struct lws_log_cx *cx, void *obj, char **p, char *e)
{
	(void)cx;
	(void)obj;
	*p += lws_snprintf(*p, (size_t)(e - *p), "PARENT: ");
}

static void count_use(struct lws_log_cx *cx, int _new)
{
	(void)cx;
	(void)_new;
	refcb++;
}

static void logv_helper(int filter, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_lws_logv(filter, fmt, ap);
	va_end(ap);
}

/* The text after "[timestamp] L: ". */
static const char *body(const char *line)
{
	const char *p = strstr(line, "] ");

	return p ? p + 5 : line;
}

int main(void)
{
	lws_log_cx_t parent, mine, filecx;
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;
	char ts[64], path[64], got[256];
	static const uint8_t bytes[] = "0123456789abcdefXY";
	int n, fd;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_USER, proc_emit);

	memset(&parent, 0, sizeof(parent));
	parent.prepend = parent_prepend;
	memset(&mine, 0, sizeof(mine));
	mine.u.emit_cx = cx_emit;
	mine.lll_flags = LLL_ERR | LLL_NOTICE | LLLF_LOG_CONTEXT_AWARE;
	mine.refcount_cb = count_use;
	mine.parent = &parent;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "myvh";
	info.log_cx = &mine;
	cx = lws_create_context(&info);
	H_ASSERT(cx);
	/* The context counts itself in as a user of its log context. */
	H_ASSERT_EQ_INT(mine.refcount, 1);
	H_ASSERT_EQ_INT(refcb, 1);
	H_ASSERT(lwsl_context_get_cx(cx) == &mine);
	vh = lws_get_vhost_by_name(cx, "myvh");
	H_ASSERT(vh);
	H_ASSERT(lwsl_vhost_get_cx(vh) == &mine);

	lwsl_cx_notice(cx, "hello %d", 42);
	lwsl_cx_info(cx, "masked out by the context's own flags");
	lwsl_vhost_err(vh, "vh says %s", "hi");
	H_ASSERT_EQ_INT(nlines, 2);
	H_ASSERT(lines[0][0] == '[');
	H_ASSERT_CONTAINS(lines[0], "] N: ");
	H_ASSERT_STREQ(body(lines[0]), "PARENT: myvh: main: hello 42\n");
	H_ASSERT_STREQ(body(lines[1]), "PARENT: myvh: main: vh says hi\n");
	H_ASSERT_EQ_INT(proc_lines, 0);

	/* Hex dump through the context: blank, rows, blank. */
	lwsl_hexdump_cx_notice(cx, bytes, 18);
	H_ASSERT_EQ_INT(nlines, 6);
	H_ASSERT_STREQ(body(lines[2]), "PARENT: myvh: \n");
	H_ASSERT_STREQ(body(lines[3]), "PARENT: myvh: 0000: 30 31 32 33 34 35 36 37 "
		       "38 39 61 62 63 64 65 66    0123456789abcdef\n");
	H_ASSERT_CONTAINS(lines[4], "0010: 58 59 ");
	H_ASSERT_CONTAINS(lines[4], "   XY              \n");
	lwsl_hexdump_level_cx(&mine, NULL, NULL, LLL_NOTICE, NULL, 4);
	H_ASSERT_STREQ(body(lines[6]), "PARENT: (hexdump: NULL ptr)\n");

	/* The process log context: lws_set_log_level's mask and emitter. */
	_lws_log_cx(NULL, NULL, NULL, LLL_USER, "fn", "via %s", "null");
	H_ASSERT_EQ_INT(proc_lines, 1);
	H_ASSERT_STREQ(body(proc_last), "fn: via null\n");
	_lws_log_cx(NULL, NULL, NULL, LLL_NOTICE, "fn", "masked");
	H_ASSERT_EQ_INT(proc_lines, 1);
	logv_helper(LLL_USER, "v%s%d", "list", 7);
	H_ASSERT_EQ_INT(proc_lines, 2);
	H_ASSERT_STREQ(body(proc_last), "vlist7\n");

	/* lwsl_timestamp: one level bit only. */
	n = lwsl_timestamp(LLL_WARN, ts, sizeof(ts));
	H_ASSERT(n > 10 && (size_t)n == strlen(ts));
	H_ASSERT(ts[0] == '[' && !strcmp(ts + n - 5, "] W: "));
	H_ASSERT_EQ_INT(lwsl_timestamp(LLL_WARN | LLL_ERR, ts, sizeof(ts)), 0);
	H_ASSERT_STREQ(ts, "");
	H_ASSERT_EQ_INT(lwsl_timestamp(LLL_WARN, ts, 4), 4);
	H_ASSERT_STREQ(ts, "[20");

	/* File helpers: opened on the first user, written, closed after the last. */
	snprintf(path, sizeof(path), "/tmp/lws-rs-logcx-%d.log", (int)getpid());
	memset(&filecx, 0, sizeof(filecx));
	filecx.u.emit_cx = lws_log_emit_cx_file;
	filecx.refcount_cb = lws_log_use_cx_file;
	filecx.opaque = path;
	filecx.lll_flags = LLL_USER | LLLF_LOG_CONTEXT_AWARE;
	lwsl_refcount_cx(&filecx, 1);
	H_ASSERT((int)(intptr_t)filecx.stg >= 0);
	_lws_log_cx(&filecx, NULL, NULL, LLL_USER, NULL, "to the file");
	lwsl_refcount_cx(&filecx, -1);
	H_ASSERT_EQ_INT((int)(intptr_t)filecx.stg, -1);
	fd = open(path, O_RDONLY);
	H_ASSERT(fd >= 0);
	n = (int)read(fd, got, sizeof(got) - 1);
	close(fd);
	unlink(path);
	H_ASSERT(n > 0);
	got[n] = '\0';
	H_ASSERT_STREQ(body(got), "to the file\n");

	/* Bad arguments: one error line each through the process logger. */
	proc_lines = 0;
	H_ASSERT(!lwsl_context_get_cx(NULL));
	H_ASSERT(!lwsl_vhost_get_cx(NULL));
	H_ASSERT(!lwsl_wsi_get_cx(NULL));
	H_ASSERT_EQ_INT(lwsl_timestamp(LLL_ERR, NULL, 10), 0);
	lwsl_refcount_cx(NULL, 1); /* allowed, as in lws */
	H_ASSERT_EQ_INT(proc_lines, 4);

	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(mine.refcount, 0);
	H_ASSERT_EQ_INT(refcb, 2);
	return h_pass();
}
