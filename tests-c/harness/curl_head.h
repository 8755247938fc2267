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

/* Runs argv (curl, from PATH; fa may redirect its descriptors) while servicing
 * the context until it exits (bounded: 20 s). Returns its exit status. */
static int spawn_serviced(struct lws_context *cx, char **argv, const posix_spawn_file_actions_t *fa)
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

/* curl -s -D out [-H hdr] url, the context serviced until it exits (bounded: 20 s). */
static int curl(struct lws_context *cx, const char *out, const char *hdr, const char *url)
{
	char *argv[16];
	int n = 0;

	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"-D";
	argv[n++] = (char *)out;
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)"/dev/null";
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
