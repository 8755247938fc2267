/*
 * B7.T4: with two consumers, destroy_cb runs for an element only once both
 * have consumed it and the oldest tail is updated (the
 * lws_ring_consume_and_update_oldest_tail pattern of the lws examples).
 * Also: wrap-around order, get_element, single-tail consume, linear insert.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

struct consumer {
	struct consumer *next;
	uint32_t tail;
};

static int destroyed[32], n_destroyed;

static void
destroy_cb(void *e)
{
	if (n_destroyed < 32)
		destroyed[n_destroyed++] = *(int *)e;
}

int main(void)
{
	struct lws_ring *r;
	struct consumer a, b, *list;
	const int *e;
	int v, out[4], i;
	void *start;
	size_t bytes;

	h_watchdog(20);
	r = lws_ring_create(sizeof(int), 8, destroy_cb);
	H_ASSERT(r != NULL);
	for (v = 0; v < 5; v++)
		H_ASSERT_EQ_INT(lws_ring_insert(r, &v, 1), 1);

	a.tail = b.tail = lws_ring_get_oldest_tail(r);
	a.next = &b;
	b.next = NULL;
	list = &a;
	H_ASSERT_EQ_INT(lws_ring_get_count_waiting_elements(r, &a.tail), 5);

	e = lws_ring_get_element(r, &a.tail);
	H_ASSERT(e && *e == 0);
	lws_ring_consume_and_update_oldest_tail(r, struct consumer, &a.tail, 3, list, tail, next);
	H_ASSERT_EQ_INT(n_destroyed, 0);             /* b still needs them */
	lws_ring_consume_and_update_oldest_tail(r, struct consumer, &b.tail, 2, list, tail, next);
	H_ASSERT_EQ_INT(n_destroyed, 2);
	H_ASSERT_EQ_INT(destroyed[0], 0);
	H_ASSERT_EQ_INT(destroyed[1], 1);

	/* wrap around: 8 slots hold 7 */
	H_ASSERT_EQ_INT(lws_ring_get_count_free_elements(r), 4);
	for (v = 5; v < 9; v++)
		H_ASSERT_EQ_INT(lws_ring_insert(r, &v, 1), 1);
	H_ASSERT_EQ_INT(lws_ring_insert(r, &v, 1), 0);
	H_ASSERT_EQ_INT(lws_ring_consume(r, &a.tail, out, 4), 4);
	for (i = 0; i < 4; i++)
		H_ASSERT_EQ_INT(out[i], 3 + i);

	lws_ring_destroy(r);
	H_ASSERT_EQ_INT(n_destroyed, 9);             /* every element, once */

	/* single tail: consuming releases at once */
	n_destroyed = 0;
	r = lws_ring_create(sizeof(int), 4, destroy_cb);
	v = 7;
	lws_ring_insert(r, &v, 1);
	H_ASSERT_EQ_INT(lws_ring_consume(r, NULL, out, 1), 1);
	H_ASSERT_EQ_INT(out[0], 7);
	H_ASSERT_EQ_INT(n_destroyed, 1);
	H_ASSERT(lws_ring_get_element(r, NULL) == NULL);

	H_ASSERT_EQ_INT(lws_ring_next_linear_insert_range(r, &start, &bytes), 0);
	H_ASSERT(bytes > 0 && bytes % sizeof(int) == 0);
	*(int *)start = 11;
	lws_ring_bump_head(r, sizeof(int));
	e = lws_ring_get_element(r, NULL);
	H_ASSERT(e && *e == 11);
	lws_ring_destroy(r);
	return h_pass();
}
