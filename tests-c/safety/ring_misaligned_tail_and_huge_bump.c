/*
 * Issue #14: lws_ring_update_oldest_tail with a misaligned tail used to loop
 * for ever, and lws_ring_bump_head(ring, SIZE_MAX) left a head that made
 * lws_ring_destroy loop for ever. Bad tails and bumps are now refused: the
 * lws error value (0 / NULL / nothing changes) and exactly one LLL_ERR line
 * each; the ring stays usable and its destroy releases every element once.
 */
#include <libwebsockets.h>
#include <stdint.h>
#include "../harness/harness.h"

static int errors, destroyed;

static void
emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		errors++;
}

static void
destroy_element(void *e)
{
	(void)e;
	destroyed++;
}

#define REFUSED(expr) do { int _e = errors; expr; H_ASSERT_EQ_INT(errors, _e + 1); } while (0)

int main(void)
{
	uint32_t el[3] = { 1, 2, 3 }, out[3], tail, bad = 2, past = 64;
	struct lws_ring *r;

	h_watchdog(10); /* a hang is the failure being tested */
	lws_set_log_level(LLL_ERR, emit);

	r = lws_ring_create(sizeof(uint32_t), 8, destroy_element);
	H_ASSERT(r != NULL);
	H_ASSERT_EQ_INT(lws_ring_insert(r, el, 3), 3);
	tail = lws_ring_get_oldest_tail(r);

	REFUSED(lws_ring_update_oldest_tail(r, 2));   /* misaligned */
	REFUSED(lws_ring_update_oldest_tail(r, 64));  /* outside the buffer */
	REFUSED(lws_ring_update_oldest_tail(r, 16));  /* past the head */
	H_ASSERT_EQ_INT(destroyed, 0);
	H_ASSERT_EQ_INT(lws_ring_get_count_waiting_elements(r, NULL), 3);

	REFUSED(H_ASSERT(lws_ring_get_element(r, &bad) == NULL));
	REFUSED(H_ASSERT_EQ_INT(lws_ring_consume(r, &bad, out, 1), 0));
	REFUSED(H_ASSERT_EQ_INT(lws_ring_get_count_waiting_elements(r, &past), 0));

	REFUSED(lws_ring_bump_head(r, SIZE_MAX));
	REFUSED(lws_ring_bump_head(r, 3));            /* not whole elements */
	REFUSED(lws_ring_bump_head(r, 5 * sizeof(uint32_t))); /* only 4 free */
	H_ASSERT_EQ_INT(lws_ring_get_count_free_elements(r), 4);

	/* still a working ring */
	H_ASSERT_EQ_INT(lws_ring_consume(r, &tail, out, 3), 3);
	H_ASSERT_EQ_INT(out[2], 3);
	lws_ring_update_oldest_tail(r, tail);
	H_ASSERT_EQ_INT(destroyed, 3);
	H_ASSERT_EQ_INT(lws_ring_insert(r, el, 2), 2);
	lws_ring_destroy(r);
	H_ASSERT_EQ_INT(destroyed, 5);
	return h_pass();
}
