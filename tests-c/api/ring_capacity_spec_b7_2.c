/*
 * spec B7.2 / B7.T3: lws_ring_create(sizeof(int), 8, destroy) holds count - 1 elements;
 * elements come out in order; destroy_element runs for what is still held at
 * lws_ring_destroy().
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

static int destroyed;

static void destroy_element(void *element)
{
	(void)element;
	destroyed++;
}

int main(void)
{
	struct lws_ring *ring;
	uint32_t tail;
	int i, v, out[4];

	h_watchdog(20);

	ring = lws_ring_create(sizeof(int), 8, destroy_element);
	H_ASSERT(ring != NULL);
	H_ASSERT_EQ_INT(lws_ring_get_count_free_elements(ring), 7);

	for (i = 0; i < 7; i++)
		H_ASSERT_EQ_INT(lws_ring_insert(ring, &i, 1), 1);
	v = 99;
	H_ASSERT_EQ_INT(lws_ring_insert(ring, &v, 1), 0);
	H_ASSERT_EQ_INT(lws_ring_get_count_free_elements(ring), 0);

	tail = lws_ring_get_oldest_tail(ring);
	H_ASSERT_EQ_INT(lws_ring_get_count_waiting_elements(ring, &tail), 7);
	H_ASSERT(lws_ring_get_element(ring, &tail) != NULL);
	H_ASSERT_EQ_INT(*(const int *)lws_ring_get_element(ring, &tail), 0);

	H_ASSERT_EQ_INT(lws_ring_consume(ring, &tail, out, 4), 4);
	for (i = 0; i < 4; i++)
		H_ASSERT_EQ_INT(out[i], i);
	H_ASSERT_EQ_INT(lws_ring_get_count_waiting_elements(ring, &tail), 3);

	/* Consumed but the oldest tail has not moved: nothing destroyed, no space yet. */
	H_ASSERT_EQ_INT(destroyed, 0);
	lws_ring_update_oldest_tail(ring, tail);
	H_ASSERT_EQ_INT(destroyed, 4);
	H_ASSERT_EQ_INT(lws_ring_get_count_free_elements(ring), 4);

	lws_ring_destroy(ring);
	H_ASSERT_EQ_INT(destroyed, 7);

	return h_pass();
}
