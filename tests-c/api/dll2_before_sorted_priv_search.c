/*
 * lws_dll2_add_before, lws_dll2_add_sorted_priv (priv reaches the comparator;
 * equal keys keep insertion order) and lws_dll2_search_sz_pl (exact name match).
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

struct obj {
	int key;
	const char *name;
	lws_dll2_t list;
};

static int calls;

static int cmp_priv(void *priv, const lws_dll2_t *a, const lws_dll2_t *b)
{
	H_ASSERT(priv == &calls);
	calls++;
	return lws_container_of(a, struct obj, list)->key -
	       lws_container_of(b, struct obj, list)->key;
}

int main(void)
{
	struct obj o[5] = {
		{ 3, "three", { 0 } }, { 1, "one", { 0 } }, { 2, "two", { 0 } },
		{ 2, "two-b", { 0 } }, { 0, "zero", { 0 } },
	};
	lws_dll2_owner_t own;
	struct obj *f;
	int i;

	alarm(20);
	memset(&own, 0, sizeof(own));
	for (i = 0; i < 4; i++)
		lws_dll2_add_sorted_priv(&o[i].list, &own, &calls, cmp_priv);
	H_ASSERT(calls > 0);
	H_ASSERT_EQ_INT((int)own.count, 4);
	H_ASSERT(own.head == &o[1].list && own.head->next == &o[2].list);
	H_ASSERT(own.head->next->next == &o[3].list && own.tail == &o[0].list);

	/* before the head: becomes the head */
	lws_dll2_add_before(&o[4].list, &o[1].list);
	H_ASSERT(own.head == &o[4].list && o[1].list.prev == &o[4].list);
	H_ASSERT_EQ_INT((int)own.count, 5);
	lws_dll2_add_before(NULL, NULL);

	f = lws_dll2_search_sz_pl(&own, "two", 3, struct obj, list, name);
	H_ASSERT(f == &o[2]);
	f = lws_dll2_search_sz_pl(&own, "two-bx", 5, struct obj, list, name);
	H_ASSERT(f == &o[3]);
	H_ASSERT(!lws_dll2_search_sz_pl(&own, "tw", 2, struct obj, list, name));
	H_ASSERT(!_lws_dll2_search_sz_pl(NULL, "x", 1, 0, 0));
	return 0;
}
