/*
 * Shared by the tests-c/http tests that drive a server with curl: run curl on
 * one URL while servicing the context, its response head kept in a file.
 * Header-only, for the test programs beside it (harness/ holds the general helpers).
 */
#ifndef LWS_RS_TEST_CURL_HEAD_H
#define LWS_RS_TEST_CURL_HEAD_H

#include <libwebsockets.h>

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

/* curl -s -D out -o body [-H hdr] url, the context serviced until it exits (bounded: 20 s). */
static int curl_to(struct lws_context *cx, const char *out, const char *body, const char *hdr,
		   const char *url)
{
	char *argv[16];
	int n = 0, st = 0, i;
	pid_t pid;

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
	if (posix_spawnp(&pid, "curl", NULL, NULL, argv, environ))
		H_FAIL("cannot run curl: %s", strerror(errno));
	for (i = 0; i < 100000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		lws_service(cx, -1);
		usleep(200);
	}
	H_ASSERT(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* curl -s -D out [-H hdr] url, the body dropped. */
static inline int curl(struct lws_context *cx, const char *out, const char *hdr, const char *url)
{
	return curl_to(cx, out, "/dev/null", hdr, url);
}

/* The response head curl wrote to path, CRs removed. */
static const char *head_of(const char *path)
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
