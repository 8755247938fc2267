/*
 * lws_cache: a heap L1 expires items through the context's event loop,
 * evicts past max_items, calls the destroy hook; chained over an
 * nscookiejar L2, wildcard lookups give lws's results blob with cookie path
 * scoping and are kept until a removal they cover. lws_dir with
 * lws_dir_glob_cb and lws_dir_rm_rf_cb; lwsac_cached_file with reference
 * counting. NULL arguments refused without a crash.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>
#include <sys/stat.h>

#include "harness.h"

static int destroyed, globbed;

static void on_destroy(void *item, size_t size)
{
	(void)item;
	(void)size;
	destroyed++;
}

static int on_glob(void *data, const char *path)
{
	(void)data;
	H_ASSERT(strstr(path, ".txt"));
	globbed++;
	return 0;
}

static int count_entries(const char *dirpath, void *user, struct lws_dir_entry *lde)
{
	(void)dirpath;
	(void)lde;
	(*(int *)user)++;
	return 0;
}

static int walk_count(const void *p, size_t size)
{
	lws_cache_results_t cr;
	int n = 0;

	cr.ptr = p;
	cr.size = size;
	while (!lws_cache_results_walk(&cr)) {
		H_ASSERT_EQ_INT((int)strlen((const char *)cr.tag), (int)cr.tag_len);
		n++;
	}
	return n;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_cache_creation_info ci;
	struct lws_cache_ttl_lru *l1, *jar;
	struct lws_context *cx;
	lwsac_cached_file_t cf = NULL;
	lws_dir_glob_t g;
	char dir[64], path[128];
	const void *pd;
	size_t sz, len;
	int n, tries;
	FILE *f;

	alarm(50);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx);

	/* heap L1: expiry via the event loop, limits, destroy hook */
	memset(&ci, 0, sizeof(ci));
	ci.cx = cx;
	ci.ops = &lws_cache_ops_heap;
	ci.name = "L1";
	ci.cb = on_destroy;
	l1 = lws_cache_create(&ci);
	H_ASSERT(l1);
	H_ASSERT_EQ_INT(lws_cache_write_through(l1, "a", (const uint8_t *)"is_a", 5, lws_now_usecs() + 200000, NULL), 0);
	H_ASSERT_EQ_INT(lws_cache_write_through(l1, "b", (const uint8_t *)"is_b", 5, 0, NULL), 0);
	H_ASSERT_EQ_INT((int)lws_cache_footprint(l1), 10);
	H_ASSERT_EQ_INT(lws_cache_item_get(l1, "a", &pd, &sz), 0);
	H_ASSERT(sz == 5 && !strcmp(pd, "is_a"));
	for (tries = 0; tries < 50 && !lws_cache_item_get(l1, "a", &pd, &sz); tries++)
		lws_service(cx, 20);
	H_ASSERT(lws_cache_item_get(l1, "a", &pd, &sz)); /* expired */
	H_ASSERT_EQ_INT(destroyed, 1);
	H_ASSERT_EQ_INT(lws_cache_item_get(l1, "b", &pd, &sz), 0);
	/* a wildcard lookup over the heap */
	H_ASSERT_EQ_INT(lws_cache_write_through(l1, "b2", (const uint8_t *)"x", 1, 0, NULL), 0);
	H_ASSERT_EQ_INT(lws_cache_write_through(l1, "b3", (const uint8_t *)"y", 1, 0, NULL), 0);
	H_ASSERT_EQ_INT(lws_cache_lookup(l1, "b*", &pd, &sz), 0);
	H_ASSERT_EQ_INT(walk_count(pd, sz), 2);
	H_ASSERT_EQ_INT(lws_cache_expunge(l1), 0);
	H_ASSERT(lws_cache_item_get(l1, "b", &pd, &sz));
	lws_cache_destroy(&l1);
	H_ASSERT(l1 == NULL);

	ci.max_items = 1;
	ci.cb = NULL;
	l1 = lws_cache_create(&ci);
	H_ASSERT(l1);
	lws_cache_write_through(l1, "a", (const uint8_t *)"1", 1, 0, NULL);
	lws_cache_write_through(l1, "b", (const uint8_t *)"2", 1, 0, NULL);
	H_ASSERT(lws_cache_item_get(l1, "a", &pd, &sz));
	H_ASSERT(!lws_cache_item_get(l1, "b", &pd, &sz));
	lws_cache_destroy(&l1);

	/* heap L1 over a cookie jar */
	lws_snprintf(path, sizeof(path), "/tmp/lws-rs-jar-%d.txt", (int)getpid());
	unlink(path);
	memset(&ci, 0, sizeof(ci));
	ci.cx = cx;
	ci.ops = &lws_cache_ops_nscookiejar;
	ci.name = "NSC";
	ci.u.nscookiejar.filepath = path;
	jar = lws_cache_create(&ci);
	H_ASSERT(jar);
	ci.ops = &lws_cache_ops_heap;
	ci.name = "L1";
	ci.parent = jar;
	l1 = lws_cache_create(&ci);
	H_ASSERT(l1);
	{
		static const char *c1 = "h.com\tFALSE\t/\tTRUE\t4000000000\tn1\tv1",
				  *c2 = "h.com\tFALSE\t/deep\tTRUE\t4000000000\tn2\tv2";
		H_ASSERT_EQ_INT(lws_cache_write_through(l1, "h.com|/|n1", (const uint8_t *)c1, strlen(c1), 0, NULL), 0);
		H_ASSERT_EQ_INT(lws_cache_write_through(l1, "h.com|/deep|n2", (const uint8_t *)c2, strlen(c2), 0, NULL), 0);
		/* written through to the file, and readable via the jar alone */
		H_ASSERT_EQ_INT(lws_cache_item_get(jar, "h.com|/deep|n2", &pd, &sz), 0);
		H_ASSERT(sz == strlen(c2) && !memcmp(pd, c2, sz));
		/* "/" sees only the "/" cookie; "/deep/er" sees both */
		H_ASSERT_EQ_INT(lws_cache_lookup(l1, "h.com|/|*", &pd, &sz), 0);
		H_ASSERT_EQ_INT((int)sz, 8 + 11);
		H_ASSERT_EQ_INT(lws_cache_lookup(l1, "h.com|/deep/er|*", &pd, &sz), 0);
		H_ASSERT_EQ_INT(walk_count(pd, sz), 2);
		/* removing n1 invalidates the kept results that listed it */
		H_ASSERT_EQ_INT(lws_cache_item_remove(l1, "h.com|/|n1"), 0);
		H_ASSERT_EQ_INT(lws_cache_lookup(l1, "h.com|/deep/er|*", &pd, &sz), 0);
		H_ASSERT_EQ_INT(walk_count(pd, sz), 1);
		H_ASSERT(lws_cache_item_get(l1, "h.com|/|n1", &pd, &sz));
	}
	lws_cache_debug_dump(jar);
	H_ASSERT_EQ_INT(lws_cache_expunge(jar), 0);
	H_ASSERT(access(path, F_OK) != 0);
	lws_cache_destroy(&jar);
	lws_cache_destroy(&l1);

	/* NULL arguments */
	H_ASSERT(!lws_cache_create(NULL));
	ci.cx = NULL;
	H_ASSERT(!lws_cache_create(&ci));
	H_ASSERT_EQ_INT(lws_cache_write_through(NULL, "k", (const uint8_t *)"v", 1, 0, NULL), 1);
	H_ASSERT_EQ_INT(lws_cache_item_get(NULL, "k", &pd, &sz), 1);
	H_ASSERT_EQ_INT(lws_cache_lookup(NULL, "k", &pd, &sz), 1);
	H_ASSERT_EQ_INT(lws_cache_item_remove(NULL, "k"), 1);
	H_ASSERT_EQ_INT(lws_cache_results_walk(NULL), 1);
	H_ASSERT_EQ_INT((int)lws_cache_footprint(NULL), 0);
	lws_cache_destroy(NULL);
	lws_cache_destroy(&l1);

	/* lws_dir, glob and rm -rf */
	lws_snprintf(dir, sizeof(dir), "/tmp/lws-rs-dir-%d", (int)getpid());
	mkdir(dir, 0700);
	lws_snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	lws_snprintf(path, sizeof(path), "%s/a.txt", dir);
	f = fopen(path, "w");
	H_ASSERT(f);
	fputs("hello", f);
	fclose(f);
	lws_snprintf(path, sizeof(path), "%s/sub/b.txt", dir);
	f = fopen(path, "w");
	H_ASSERT(f);
	fclose(f);
	n = 0;
	H_ASSERT_EQ_INT(lws_dir(dir, &n, count_entries), 1);
	H_ASSERT_EQ_INT(n, 2);
	g.filter = "*.txt";
	g.cb = on_glob;
	g.user = NULL;
	lws_dir(dir, &g, lws_dir_glob_cb);
	H_ASSERT_EQ_INT(globbed, 1); /* the subdirectory is not searched */

	/* lwsac_cached_file */
	lws_snprintf(path, sizeof(path), "%s/a.txt", dir);
	H_ASSERT_EQ_INT(lwsac_cached_file(path, &cf, &len), 0);
	H_ASSERT(cf && len == 5 && !strcmp((const char *)cf, "hello"));
	lwsac_use_cached_file_start(cf);
	H_ASSERT_EQ_INT(lwsac_cached_file(path, &cf, &len), 0); /* fresh: kept */
	lwsac_use_cached_file_end(&cf);
	H_ASSERT(cf != NULL);
	lwsac_use_cached_file_detach(&cf);
	H_ASSERT(cf == NULL);
	H_ASSERT_EQ_INT(lwsac_cached_file("/nonexistent/x", &cf, &len), 1);
	H_ASSERT_EQ_INT(lwsac_cached_file(NULL, &cf, &len), 1);
	lwsac_use_cached_file_end(NULL);

	lws_dir(dir, NULL, lws_dir_rm_rf_cb);
	H_ASSERT_EQ_INT(rmdir(dir), 0); /* it was emptied */
	H_ASSERT_EQ_INT(lws_dir(dir, NULL, lws_dir_rm_rf_cb), 1); /* gone: error */
	H_ASSERT_EQ_INT(lws_dir(NULL, NULL, lws_dir_rm_rf_cb), 1);

	lws_context_destroy(cx);
	return h_pass();
}
