/*
 * lws_buflist: segments used in order with LWS_PRE headroom, the 1 / 0 / -1
 * append results, linear copy / use, fragment flags, an emptied list is a
 * NULL head; lws_map: default and custom hooks, replace on re-create, the
 * lwsac allocator; NULL and out-of-range arguments refused without a crash.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

static int frees;

static void count_free(void *p)
{
	frees++;
	free(p);
}

static lws_map_hash_t first_byte(const lws_map_key_t key, size_t kl)
{
	return kl ? *(const uint8_t *)key : 0;
}

int main(void)
{
	struct lws_buflist *bl = NULL;
	uint8_t *p, out[16];
	char ff = 9, fin = 9;
	lws_map_info_t info;
	struct lwsac *ac = NULL;
	struct lws_map_item *it;
	lws_map_t *map;
	int n;

	alarm(20);

	/* buflist */
	H_ASSERT_EQ_INT(lws_buflist_append_segment(&bl, (const uint8_t *)"hello", 5), 1);
	H_ASSERT_EQ_INT(lws_buflist_append_segment(&bl, (const uint8_t *)"world!", 6), 0);
	H_ASSERT_EQ_INT((int)lws_buflist_total_len(&bl), 11);
	H_ASSERT_EQ_INT((int)lws_buflist_next_segment_len(&bl, &p), 5);
	H_ASSERT(!memcmp(p, "hello", 5));
	memset(p - LWS_PRE, 0, LWS_PRE); /* the promised headroom is writable */
	H_ASSERT_EQ_INT((int)lws_buflist_use_segment(&bl, 2), 3);
	/* using more than is left is refused and changes nothing */
	H_ASSERT_EQ_INT((int)lws_buflist_use_segment(&bl, 99), 3);
	H_ASSERT_EQ_INT(lws_buflist_linear_copy(&bl, 3, out, 4), 4);
	H_ASSERT(!memcmp(out, "lowo", 4));
	H_ASSERT_EQ_INT(lws_buflist_fragment_use(&bl, out, 2, &ff, &fin), 2);
	H_ASSERT(!memcmp(out, "ll", 2) && !ff && !fin);
	H_ASSERT_EQ_INT(lws_buflist_linear_use(&bl, out, 5), 5);
	H_ASSERT(!memcmp(out, "oworl", 5));
	H_ASSERT_EQ_INT(lws_buflist_fragment_use(&bl, out, 8, &ff, &fin), 2);
	H_ASSERT(!memcmp(out, "d!", 2) && !ff && fin);
	H_ASSERT(bl == NULL); /* used up: the head is NULL again */
	H_ASSERT_EQ_INT((int)lws_buflist_next_segment_len(&bl, &p), 0);
	H_ASSERT(p == NULL);
	for (n = 0; n < 1023; n++)
		H_ASSERT(lws_buflist_append_segment(&bl, (const uint8_t *)"x", 1) >= 0);
	H_ASSERT_EQ_INT(lws_buflist_append_segment(&bl, (const uint8_t *)"x", 1), -1);
	lws_buflist_destroy_all_segments(&bl);
	H_ASSERT(bl == NULL);
	/* NULL and empty arguments */
	H_ASSERT_EQ_INT(lws_buflist_append_segment(NULL, (const uint8_t *)"x", 1), -1);
	H_ASSERT_EQ_INT(lws_buflist_append_segment(&bl, NULL, 1), -1);
	H_ASSERT_EQ_INT(lws_buflist_append_segment(&bl, (const uint8_t *)"x", 0), -1);
	H_ASSERT_EQ_INT((int)lws_buflist_use_segment(&bl, 1), 0);
	H_ASSERT_EQ_INT((int)lws_buflist_total_len(NULL), 0);
	lws_buflist_destroy_all_segments(NULL);

	/* map with the defaults */
	memset(&info, 0, sizeof(info));
	map = lws_map_create(&info);
	H_ASSERT(map);
	H_ASSERT(lws_map_item_create_ks(map, "alpha", "AAA", 3));
	H_ASSERT(lws_map_item_create_ks(map, "beta", NULL, 4));
	it = lws_map_item_lookup_ks(map, "alpha");
	H_ASSERT(it && lws_map_item_value_len(it) == 3 && lws_map_item_key_len(it) == 5);
	H_ASSERT(!memcmp(lws_map_item_value(it), "AAA", 3));
	H_ASSERT(!memcmp(lws_map_item_key(it), "alpha", 5));
	it = lws_map_item_lookup_ks(map, "beta");
	H_ASSERT(it && !memcmp(lws_map_item_value(it), "\0\0\0\0", 4));
	/* re-creating a key replaces its item */
	H_ASSERT(lws_map_item_create_ks(map, "alpha", "Z", 1));
	it = lws_map_item_lookup_ks(map, "alpha");
	H_ASSERT(it && lws_map_item_value_len(it) == 1);
	lws_map_item_destroy(it);
	H_ASSERT(!lws_map_item_lookup_ks(map, "alpha"));
	lws_map_destroy(&map);
	H_ASSERT(map == NULL);

	/* custom hash and free, one bucket */
	info._hash = first_byte;
	info._free = count_free;
	info.modulo = 1;
	map = lws_map_create(&info);
	H_ASSERT(map);
	for (n = 0; n < 20; n++) {
		char k[8];
		lws_snprintf(k, sizeof(k), "k%d", n);
		H_ASSERT(lws_map_item_create(map, (const lws_map_key_t)k, strlen(k), (const lws_map_value_t)&n, sizeof(n)));
	}
	it = lws_map_item_lookup_ks(map, "k7");
	H_ASSERT(it && *(const int *)lws_map_item_value(it) == 7);
	lws_map_destroy(&map);
	H_ASSERT_EQ_INT(frees, 20);

	/* lwsac-backed items */
	memset(&info, 0, sizeof(info));
	info._alloc = lws_map_alloc_lwsac;
	info._free = lws_map_free_lwsac;
	info.opaque = (void *)&ac;
	map = lws_map_create(&info);
	H_ASSERT(map);
	H_ASSERT(lws_map_item_create_ks(map, "x", "1", 1));
	H_ASSERT(ac != NULL);
	H_ASSERT(lws_map_item_lookup_ks(map, "x"));
	lws_map_destroy(&map);
	lwsac_free(&ac);

	/* NULL arguments */
	H_ASSERT(!lws_map_create(NULL));
	H_ASSERT(!lws_map_item_create(NULL, (const lws_map_key_t)"a", 1, NULL, 0));
	H_ASSERT(!lws_map_item_lookup(NULL, (const lws_map_key_t)"a", 1));
	H_ASSERT(!lws_map_item_key(NULL));
	H_ASSERT_EQ_INT((int)lws_map_item_value_len(NULL), 0);
	lws_map_item_destroy(NULL);
	lws_map_destroy(NULL);
	lws_map_destroy(&map);

	return h_pass();
}
