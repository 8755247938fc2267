/*
 * Replays the wire fuzz corpus (fuzz/corpus/wire/, minimised by scripts/fuzz.sh)
 * through the C harness tests-c/fuzz/wire/lws_fuzz_wire.c, which drives the
 * exported API over a socketpair (server role) or loopback TCP (client role)
 * and aborts on a broken invariant. Built with gcc like every C test, so ctest
 * runs it plain, under ASan+UBSan and under valgrind. The first byte of each
 * input picks the role (bit 0), as in the libFuzzer target fuzz/src/bin/wire.rs.
 *
 * ctest-sources: wire/lws_fuzz_wire.c
 * ctest-timeout: 600
 */
#include "harness.h"
#include "wire/lws_fuzz_wire.h"

#include <dirent.h>
#include <stdint.h>

#ifndef LWS_FUZZ_CORPUS_DIR
#error "tests-c/CMakeLists.txt defines LWS_FUZZ_CORPUS_DIR"
#endif

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = LWS_FUZZ_CORPUS_DIR "/wire";
	static char *names[8192];
	static uint8_t buf[65536];
	struct dirent *e;
	size_t count = 0, i;
	DIR *d;

	/* Under valgrind on two loaded cores the 1,170 inputs take ~4 min. */
	h_watchdog(560);
	d = opendir(dir);
	if (!d)
		H_FAIL("cannot open %s", dir);
	while ((e = readdir(d)) && count < sizeof(names) / sizeof(names[0]))
		if (e->d_name[0] != '.')
			names[count++] = strdup(e->d_name);
	closedir(d);
	H_ASSERT(count > 0);
	qsort(names, count, sizeof(names[0]), by_name);

	for (i = 0; i < count; i++) {
		char path[1024];
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (!f)
			H_FAIL("cannot open %s", path);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* A broken invariant aborts inside; name the input first. */
		fprintf(stderr, "%s\n", names[i]);
		lws_fuzz_one(n ? buf + 1 : buf, n ? n - 1 : 0, n ? buf[0] & 1 : 0);
		free(names[i]);
	}
	lws_fuzz_cleanup();
	fprintf(stderr, "%zu inputs replayed\n", count);
	return h_pass();
}
