/*
 * lwsac: pointer-aligned allocations in chunks with lws's header sizes
 * (lwsac_sizeof 32 / 64), backfill, extend, scan_extant, reference counting
 * with detach, NULL arguments; lws_list_ptr_insert with and without a sort.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

struct item {
	int v;
	lws_list_ptr next;
};

static int by_value(lws_list_ptr a, lws_list_ptr b)
{
	return lws_list_ptr_container(a, struct item, next)->v -
	       lws_list_ptr_container(b, struct item, next)->v;
}

int main(void)
{
	struct lwsac *ac = NULL;
	lws_list_ptr head = NULL, it;
	int n, last = -1;
	char *s;

	alarm(20);
	H_ASSERT_EQ_INT((int)lwsac_sizeof(0), 32);
	H_ASSERT_EQ_INT((int)lwsac_sizeof(1), 64);
	H_ASSERT_EQ_INT((int)lwsac_align(9), 16);

	/* NULL arguments: refused or ignored, never a crash */
	H_ASSERT(!lwsac_use(NULL, 8, 0));
	lwsac_free(NULL);
	lwsac_free(&ac);
	lwsac_detach(&ac);
	lwsac_unreference(&ac);
	H_ASSERT_EQ_INT(lwsac_extend(NULL, 8), 1);
	H_ASSERT(lwsac_total_alloc(NULL) == 0);
	H_ASSERT(!lwsac_get_next(NULL));
	lws_list_ptr_insert(NULL, NULL, NULL);

	for (n = 0; n < 500; n++) {
		struct item *i = lwsac_use(&ac, sizeof(*i) + (size_t)(n % 5), 0);
		H_ASSERT(i);
		H_ASSERT(((uintptr_t)i & (sizeof(void *) - 1)) == 0);
		i->v = (n * 7919) % 500;
		lws_list_ptr_insert(&head, &i->next, by_value);
	}
	H_ASSERT(lwsac_get_next(ac)); /* more than one chunk */
	H_ASSERT_EQ_INT((int)lwsac_get_tail_pos(ac) % (int)sizeof(void *), 0);
	H_ASSERT(lwsac_total_alloc(ac) > lwsac_total_overhead(ac));

	for (n = 0, it = head; it; lws_list_ptr_advance(it), n++) {
		struct item *i = lws_list_ptr_container(it, struct item, next);
		H_ASSERT(i->v >= last);
		last = i->v;
	}
	H_ASSERT_EQ_INT(n, 500);

	/* a chunk big enough for an oversized request */
	s = lwsac_use_zero(&ac, 10000, 0);
	H_ASSERT(s && !s[0] && !s[9999]);
	strcpy(s, "needle");
	H_ASSERT((char *)lwsac_scan_extant(ac, (uint8_t *)"needle", 6, 1) == s);
	H_ASSERT(!lwsac_scan_extant(ac, (uint8_t *)"absent!", 7, 0));

	/* backfill reuses room in earlier chunks */
	H_ASSERT(lwsac_use_backfill(&ac, 8, 0));

	/* referenced + detached: freed by the last unreference */
	lwsac_reference(ac);
	lwsac_detach(&ac);
	H_ASSERT(ac);
	lwsac_unreference(&ac);
	H_ASSERT(!ac);

	/* extend grows the latest allocation in place */
	H_ASSERT(lwsac_use(&ac, 16, 64));
	H_ASSERT_EQ_INT(lwsac_extend(ac, 8), 0);
	H_ASSERT_EQ_INT(lwsac_extend(ac, 4096), 1);
	lwsac_free(&ac);
	H_ASSERT(!ac);
	return 0;
}
