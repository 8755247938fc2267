/*
 * lws_chunked_html_process, as lws-http.h documents it: the names in the
 * state's vars (each starting with '$') are replaced in the buffer by what
 * the state's replace callback returns for their index, in place, the
 * length updated; a name cut by a chunk boundary is carried in the state and
 * completed by the next chunk; with args.chunked the result is framed as an
 * HTTP chunk (hex length + CRLF written before p, CRLF after, the last chunk
 * after the final one); output that does not fit max_len, and NULL
 * arguments, return -1.
 */
#include <libwebsockets.h>

#include "harness.h"

static int calls;

static const char *
replace(void *data, int index)
{
	static const char *const values[] = { "Alice", "example.org", NULL };

	calls++;
	H_ASSERT(data == (void *)&calls);
	return values[index];
}

static const char *const vars[] = { "$name", "${host}", "$nothing" };

static void
state_init(struct lws_process_html_state *s)
{
	memset(s, 0, sizeof *s);
	s->vars = vars;
	s->count_vars = 3;
	s->replace = replace;
	s->data = &calls;
}

/* Runs one chunk through the buffer at buf + 16 (room for a chunk header). */
static int
run(struct lws_process_html_state *s, char *buf, int max, const char *in, int final,
    int chunked, char **out, int *len)
{
	struct lws_process_html_args a;
	int r;

	memset(&a, 0, sizeof a);
	a.p = buf + 16;
	a.len = (int)strlen(in);
	memcpy(a.p, in, (size_t)a.len);
	a.max_len = max;
	a.final = final;
	a.chunked = chunked;
	r = lws_chunked_html_process(&a, s);
	*out = a.p;
	*len = a.len;
	return r;
}

int main(void)
{
	struct lws_process_html_state s;
	char buf[512], got[512], *o;
	int len;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);

	/* One chunk: the names replaced, NULL from replace gives "NULL", the rest kept. */
	state_init(&s);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "Hi $name at ${host}: $nothing, $5 $nam.", 1, 0,
			    &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "Hi Alice at example.org: NULL, $5 $nam.");
	H_ASSERT_EQ_INT(calls, 3);
	H_ASSERT_EQ_INT(s.pos, 0);

	/* A name split over three chunks, then the state carries nothing. */
	state_init(&s);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "<p>${h", 0, 0, &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "<p>");
	H_ASSERT_EQ_INT(s.pos, 3);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "os", 0, 0, &o, &len), 0);
	H_ASSERT_EQ_INT(len, 0);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "t}</p>", 1, 0, &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "example.org</p>");
	H_ASSERT_EQ_INT(s.pos, 0);

	/* A held prefix that turns out not to be a name comes back unchanged. */
	state_init(&s);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "a $na", 0, 0, &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "a ");
	H_ASSERT_EQ_INT(run(&s, buf, 400, "Xb", 1, 0, &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "$naXb");

	/* Chunked: the hex length before p, CRLF after; the final one ends the body. */
	state_init(&s);
	H_ASSERT_EQ_INT(run(&s, buf, 400, "to $name", 0, 1, &o, &len), 0);
	H_ASSERT(o == buf + 16 - 3);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "8\r\nto Alice\r\n");
	H_ASSERT_EQ_INT(run(&s, buf, 400, "!", 1, 1, &o, &len), 0);
	lws_strnncpy(got, o, len, sizeof got);
	H_ASSERT_STREQ(got, "1\r\n!\r\n0\r\n\r\n");

	/* Output past max_len: -1. */
	state_init(&s);
	H_ASSERT_EQ_INT(run(&s, buf, 10, "${host}${host}", 1, 0, &o, &len), -1);
	H_ASSERT_EQ_INT(run(&s, buf, 12, "${host}", 1, 1, &o, &len), -1);
	H_ASSERT_EQ_INT(run(&s, buf, 18, "${host}", 1, 1, &o, &len), 0);

	/* NULL arguments: -1 (and one log line). */
	H_ASSERT_EQ_INT(lws_chunked_html_process(NULL, &s), -1);
	{
		struct lws_process_html_args a;

		memset(&a, 0, sizeof a);
		a.p = buf;
		H_ASSERT_EQ_INT(lws_chunked_html_process(&a, NULL), -1);
	}

	return h_pass();
}
