/*
 * Shared by the tests-c/http tests that drive a server with curl: run curl on
 * one URL (or a list of arguments) while servicing the context, its response
 * head kept in a file.
 * Header-only, for the test programs beside it (harness/ holds the general helpers).
 */
#ifndef LWS_RS_TEST_CURL_HEAD_H
#define LWS_RS_TEST_CURL_HEAD_H

#include <libwebsockets.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

/* Runs argv (curl, from PATH; fa may redirect its descriptors) while servicing
 * the context until it exits (bounded: 20 s). Returns its exit status. */
static inline int spawn_serviced(struct lws_context *cx, char **argv, const posix_spawn_file_actions_t *fa)
{
	int st = 0, i;
	pid_t pid;

	if (posix_spawnp(&pid, argv[0], fa, NULL, argv, environ))
		H_FAIL("cannot run %s: %s", argv[0], strerror(errno));
	for (i = 0; i < 100000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		lws_service(cx, -1);
		usleep(200);
	}
	H_ASSERT(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* curl -s -D out -o body [-H hdr] url, the context serviced until it exits (bounded: 20 s). */
static inline int curl_to(struct lws_context *cx, const char *out, const char *body, const char *hdr,
			  const char *url)
{
	char *argv[16];
	int n = 0;

	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"-D";
	argv[n++] = (char *)out;
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)body;
	argv[n++] = (char *)"--max-time";
	argv[n++] = (char *)"10";
	if (hdr) {
		argv[n++] = (char *)"-H";
		argv[n++] = (char *)hdr;
	}
	argv[n++] = (char *)url;
	argv[n] = NULL;
	return spawn_serviced(cx, argv, NULL);
}

/* curl -s -D out [-H hdr] url, the body dropped. */
static inline int curl(struct lws_context *cx, const char *out, const char *hdr, const char *url)
{
	return curl_to(cx, out, "/dev/null", hdr, url);
}

/*
 * curl -s --max-time 10 -D head -w '%{num_connects} ' <args...> (NULL-ended),
 * its stdout into wout (one number per URL: 1 a new connection, 0 a reused
 * one); both files start empty; the context serviced until curl exits
 * (bounded: 20 s). Returns curl's exit status.
 */
static inline int curl_args(struct lws_context *cx, const char *head, const char *wout,
			    const char *const *args)
{
	posix_spawn_file_actions_t fa;
	char *argv[40];
	int n = 0, st;
	FILE *f = fopen(head, "w");

	H_ASSERT(f != NULL);
	fclose(f);
	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"--max-time";
	argv[n++] = (char *)"10";
	argv[n++] = (char *)"-D";
	argv[n++] = (char *)head;
	argv[n++] = (char *)"-w";
	argv[n++] = (char *)"%{num_connects} ";
	while (*args && n < 39)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	H_ASSERT(!posix_spawn_file_actions_init(&fa));
	H_ASSERT(!posix_spawn_file_actions_addopen(&fa, 1, wout, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	st = spawn_serviced(cx, argv, &fa);
	posix_spawn_file_actions_destroy(&fa);
	return st;
}

/* The response head curl wrote to path, CRs removed. */
static inline const char *head_of(const char *path)
{
	static char text[4096];
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	int ch;

	H_ASSERT(f != NULL);
	while ((ch = fgetc(f)) != EOF && n < sizeof(text) - 1)
		if (ch != '\r')
			text[n++] = (char)ch;
	text[n] = '\0';
	fclose(f);
	return text;
}

#endif
