/*
 * lws_set_allocator: lws_realloc goes through the hook (allocate, resize,
 * size 0 frees) with the caller's reason; NULL restores the libc default.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

static int calls, frees;
static const char *last_reason;

static void *counting(void *ptr, size_t size, const char *reason)
{
	calls++;
	last_reason = reason;
	if (!size) {
		frees++;
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

int main(void)
{
	char *p;

	alarm(20);
	/* default allocator */
	p = lws_realloc(NULL, 16, "t");
	H_ASSERT(p);
	memset(p, 1, 16);
	H_ASSERT(!lws_realloc(p, 0, "t"));

	lws_set_allocator(counting);
	p = lws_realloc(NULL, 8, "first");
	H_ASSERT(p && calls == 1 && !strcmp(last_reason, "first"));
	p = lws_realloc(p, 64, "grow");
	H_ASSERT(p && calls == 2);
	memset(p, 2, 64);
	H_ASSERT(!lws_realloc(p, 0, "lws_free"));
	H_ASSERT_EQ_INT(frees, 1);

	lws_set_allocator(NULL);
	p = lws_realloc(NULL, 8, "after");
	H_ASSERT(p && calls == 3);
	lws_realloc(p, 0, "after");
	H_ASSERT_EQ_INT(calls, 3);
	return 0;
}
