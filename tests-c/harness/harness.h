/*
 * Header-only helpers for the lws-rs C tests (tests-c/). Each test is one program whose
 * exit status is the verdict: 0 passed, 1 an assertion failed, 2 the watchdog fired.
 *
 *   H_ASSERT(cond)                  fail unless cond
 *   H_ASSERT_EQ_INT(a, b)           fail unless (long long)a == (long long)b
 *   H_ASSERT_STREQ(a, b)            fail unless both strings are equal (NULL-safe)
 *   H_ASSERT_CONTAINS(hay, needle)  fail unless needle occurs in hay (NULL-safe)
 *   H_FAIL(fmt, ...)                fail with a message
 *   h_watchdog(seconds)             kill the test (exit 2) if it is still running then
 *   h_trace_add(reason)             record "cb=<reason>" (callback order)
 *   h_trace_addf(fmt, ...)          record any short event text
 *   h_trace_count(reason)           how many times "cb=<reason>" was recorded
 *   h_trace_index(reason, nth)      position of the nth (0-based) "cb=<reason>", or -1
 *   h_trace_dump()                  print the trace to stderr (done on every failure)
 *   h_pass()                        print "PASS <test>" and return 0 (use: return h_pass();)
 *
 * Everything is static, so each test program (one translation unit) has its own copy.
 * Compiles as C99 and as C++.
 */
#ifndef LWS_RS_TEST_HARNESS_H
#define LWS_RS_TEST_HARNESS_H

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#if defined(__GNUC__)
#define H_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define H_NORETURN __attribute__((noreturn))
#else
#define H_PRINTF(f, a)
#define H_NORETURN
#endif

#define H_TRACE_MAX 512
#define H_TRACE_ENTRY 48

static char h_trace_entries[H_TRACE_MAX][H_TRACE_ENTRY];
static int h_trace_len;
static int h_trace_overflow;

static inline const char *h_test_name(void)
{
	const char *n = getenv("LWS_TEST_NAME");

	return n ? n : "test";
}

static inline void h_trace_dump(void)
{
	int i;

	fprintf(stderr, "trace (%d entries%s):", h_trace_len,
		h_trace_overflow ? ", truncated" : "");
	for (i = 0; i < h_trace_len; i++)
		fprintf(stderr, " %s", h_trace_entries[i]);
	fprintf(stderr, "\n");
}

static inline void h_fail_at(const char *file, int line, const char *fmt, ...)
	H_PRINTF(3, 4) H_NORETURN;
static inline void h_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: FAIL %s: ", file, line, h_test_name());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (h_trace_len)
		h_trace_dump();
	fflush(NULL);
	exit(1);
}

#define H_FAIL(...) h_fail_at(__FILE__, __LINE__, __VA_ARGS__)

#define H_ASSERT(cond)                                                        \
	do {                                                                  \
		if (!(cond))                                                  \
			h_fail_at(__FILE__, __LINE__, "assertion %s", #cond); \
	} while (0)

#define H_ASSERT_EQ_INT(a, b)                                                 \
	do {                                                                  \
		long long h_a_ = (long long)(a), h_b_ = (long long)(b);       \
		if (h_a_ != h_b_)                                             \
			h_fail_at(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				  #a, #b, h_a_, h_b_);                        \
	} while (0)

#define H_ASSERT_STREQ(a, b)                                                  \
	do {                                                                  \
		const char *h_a_ = (a), *h_b_ = (b);                          \
		if (!h_a_ || !h_b_ || strcmp(h_a_, h_b_))                     \
			h_fail_at(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				  #a, #b, h_a_ ? h_a_ : "(null)",             \
				  h_b_ ? h_b_ : "(null)");                    \
	} while (0)

#define H_ASSERT_CONTAINS(hay, needle)                                        \
	do {                                                                  \
		const char *h_h_ = (hay), *h_n_ = (needle);                   \
		if (!h_h_ || !h_n_ || !strstr(h_h_, h_n_))                    \
			h_fail_at(__FILE__, __LINE__, "%s contains %s: \"%s\" lacks \"%s\"", \
				  #hay, #needle, h_h_ ? h_h_ : "(null)",      \
				  h_n_ ? h_n_ : "(null)");                    \
	} while (0)

static inline void h_watchdog_fired(int sig)
{
	static const char msg[] = "FAIL: watchdog expired, test hung\n";
	ssize_t r;

	(void)sig;
	/* Only async-signal-safe calls here. */
	r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(2);
}

/* Ends the process with status 2 after `seconds` (0 disarms). Keep it below the ctest TIMEOUT
 * so that a hang is reported by the test itself, with its trace, rather than killed. */
static inline void h_watchdog(unsigned int seconds)
{
	signal(SIGALRM, h_watchdog_fired);
	alarm(seconds);
}

static inline void h_trace_addf(const char *fmt, ...) H_PRINTF(1, 2);
static inline void h_trace_addf(const char *fmt, ...)
{
	va_list ap;

	if (h_trace_len >= H_TRACE_MAX) {
		h_trace_overflow = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(h_trace_entries[h_trace_len], H_TRACE_ENTRY, fmt, ap);
	va_end(ap);
	h_trace_len++;
}

static inline void h_trace_add(int reason)
{
	h_trace_addf("cb=%d", reason);
}

static inline int h_trace_index(int reason, int nth)
{
	char want[H_TRACE_ENTRY];
	int i;

	snprintf(want, sizeof(want), "cb=%d", reason);
	for (i = 0; i < h_trace_len; i++)
		if (!strcmp(h_trace_entries[i], want) && nth-- == 0)
			return i;

	return -1;
}

static inline int h_trace_count(int reason)
{
	int n = 0;

	while (h_trace_index(reason, n) >= 0)
		n++;

	return n;
}

static inline void h_trace_reset(void)
{
	h_trace_len = 0;
	h_trace_overflow = 0;
}

static inline int h_pass(void)
{
	printf("PASS %s\n", h_test_name());
	fflush(stdout);

	return 0;
}

/*
 * A scratch directory for this test process, /tmp/lws-rs-<tag>-<pid>, made on
 * first use; h_scratch_path(name) is a file in it (four results stay valid at
 * once). h_scratch_cert() puts a self-signed P-256 key and certificate for
 * localhost there (openssl req) and returns 0; h_scratch_remove() deletes the
 * directory.
 */
static char h_scratch_dir[256];

static inline const char *h_scratch_path(const char *tag, const char *name)
{
	static char p[4][320];
	static int n;
	char *r = p[n++ % 4];

	if (!h_scratch_dir[0]) {
		snprintf(h_scratch_dir, sizeof h_scratch_dir, "/tmp/lws-rs-%s-%d", tag, (int)getpid());
		snprintf(r, 320, "mkdir -p %s", h_scratch_dir);
		if (system(r))
			h_fail_at(__FILE__, __LINE__, "cannot make %s", h_scratch_dir);
	}
	snprintf(r, 320, "%s/%s", h_scratch_dir, name);
	return r;
}

static inline int h_scratch_cert(const char *tag, const char *key, const char *cert)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout %s -out %s -days 2 -subj /CN=localhost "
		 "-addext subjectAltName=DNS:localhost >/dev/null 2>&1",
		 h_scratch_path(tag, key), h_scratch_path(tag, cert));
	return system(cmd);
}

static inline int h_scratch_remove(void)
{
	char cmd[300];

	if (!h_scratch_dir[0])
		return 0;
	snprintf(cmd, sizeof cmd, "rm -rf %s", h_scratch_dir);
	return system(cmd);
}

/* A blocking TCP connection to 127.0.0.1:port (a test fails if it is refused). */
static inline int h_loopback_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		h_fail_at(__FILE__, __LINE__, "socket() failed");
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
		h_fail_at(__FILE__, __LINE__, "connect to 127.0.0.1:%d failed", port);
	return fd;
}

#endif /* LWS_RS_TEST_HARNESS_H */
