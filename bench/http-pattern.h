/*
 * bench/http-pattern.h - the body pattern of the HTTP throughput scenarios,
 * shared by http-peer.c and http-bench.c: byte i of a body is
 * pat[i % PAT_PERIOD], a prime period so a lost or repeated chunk of any
 * power-of-two size shows as a mismatch. Filling and checking are memcpy /
 * memcmp, so the checker costs little beside the transfer it checks.
 */
#ifndef BENCH_HTTP_PATTERN_H
#define BENCH_HTTP_PATTERN_H

#include <stdint.h>
#include <string.h>

#define PAT_PERIOD 65521u

/* two periods, so any window of up to one period is contiguous */
static unsigned char pat[2 * PAT_PERIOD];

static void
pattern_init(void)
{
	uint32_t x = 2463534242u, i;

	for (i = 0; i < PAT_PERIOD; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pat[i] = pat[i + PAT_PERIOD] = (unsigned char)x;
	}
}

/* buf[0..len) = the pattern from body offset off */
static void
pattern_fill(uint64_t off, unsigned char *buf, size_t len)
{
	while (len) {
		size_t at = (size_t)(off % PAT_PERIOD), k = len < PAT_PERIOD ? len : PAT_PERIOD;

		memcpy(buf, pat + at, k);
		buf += k;
		off += k;
		len -= k;
	}
}

/* non-zero if buf[0..len) is not the pattern from body offset off */
static int
pattern_check(uint64_t off, const void *vbuf, size_t len)
{
	const unsigned char *buf = vbuf;

	while (len) {
		size_t at = (size_t)(off % PAT_PERIOD), k = len < PAT_PERIOD ? len : PAT_PERIOD;

		if (memcmp(buf, pat + at, k))
			return 1;
		buf += k;
		off += k;
		len -= k;
	}
	return 0;
}

#endif
