/*
 * Byte patterns: every live object holds its own pattern, checked when it
 * is freed, reallocated or validated, which catches the allocator writing
 * into live memory; and the zero checks of fresh memory.
 */
#include "model.h"

#include <string.h>

/*
 * Object byte i with seed s is pat[(start(s) + i) mod P]: a pseudo-random
 * table of prime length, so that a copy shifted by any small distance or a
 * whole page is told apart. Large objects carry the pattern in sampled
 * regions only (the first and last page, and the start of every 16th page
 * between), to keep the cost of a multi-megabyte allocation small: every
 * page touched is a page fault on a freshly built machine.
 */
#define PAT_P		4093u
#define PAT_CHUNK	4096u
#define PAT_FULL	16384u	/* objects up to this size are fully patterned */
#define ZERO_FULL	65536u	/* and fully checked for zeroing */
#define PAT_SAMPLE	64u
#define PAT_STRIDE	(16 * PAGE_SIZE)
static uint8_t pat[PAT_P + PAT_CHUNK];
static bool pat_ready;
static const uint8_t zeros[PAT_CHUNK];

void sf_pattern_init(void)
{
	if (pat_ready)
		return;
	uint32_t x = 0x9e3779b9u;

	for (unsigned int i = 0; i < PAT_P; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pat[i] = (uint8_t)(x % 255 + 1);
	}
	for (unsigned int i = 0; i < PAT_CHUNK; i++)
		pat[PAT_P + i] = pat[i];
	pat_ready = true;
}

struct regions {
	size_t len, next_page;
	int state;
	size_t full;		/* up to this length: one region, everything */
};

static bool region_next(struct regions *r, size_t *start, size_t *n)
{
	if (r->len <= r->full) {
		if (r->state++ || !r->len)
			return false;
		*start = 0;
		*n = r->len;
		return true;
	}
	switch (r->state) {
	case 0:
		r->state = 1;
		r->next_page = PAT_STRIDE;
		*start = 0;
		*n = PAGE_SIZE;
		return true;
	case 1:
		if (r->next_page + PAT_SAMPLE <= r->len - PAGE_SIZE) {
			*start = r->next_page;
			*n = PAT_SAMPLE;
			r->next_page += PAT_STRIDE;
			return true;
		}
		r->state = 2;
		*start = r->len - PAGE_SIZE;
		*n = PAGE_SIZE;
		return true;
	default:
		return false;
	}
}

static size_t seed_start(uint16_t seed)
{
	return ((size_t)seed * 1031u) % PAT_P;
}

static void fill_range(uint8_t *p, size_t off, size_t n, uint16_t seed)
{
	size_t pos = (seed_start(seed) + off) % PAT_P;

	while (n) {
		size_t c = n < PAT_CHUNK ? n : PAT_CHUNK;

		memcpy(p + off, pat + pos, c);
		off += c;
		n -= c;
		pos = (pos + c) % PAT_P;
	}
}

static size_t check_range(const uint8_t *p, size_t off, size_t n, uint16_t seed)
{
	size_t pos = (seed_start(seed) + off) % PAT_P;

	while (n) {
		size_t c = n < PAT_CHUNK ? n : PAT_CHUNK;

		if (memcmp(p + off, pat + pos, c))
			for (size_t i = 0; i < c; i++)
				if (p[off + i] != pat[pos + i])
					return off + i;
		off += c;
		n -= c;
		pos = (pos + c) % PAT_P;
	}
	return SIZE_MAX;
}

void sf_pattern_fill(void *p, size_t len, uint16_t seed)
{
	struct regions r = { len, 0, 0, PAT_FULL };
	size_t s, n;

#ifdef SF_RECORD
	sfr_note_fill(p, len, seed);
#endif
	sf_pattern_init();
	while (region_next(&r, &s, &n))
		fill_range(p, s, n, seed);
}

size_t sf_pattern_check(const void *p, size_t len, size_t limit, uint16_t seed)
{
	struct regions r = { len, 0, 0, PAT_FULL };
	size_t s, n, bad;

#ifdef SF_RECORD
	sfr_note_pattern_check(p, len, limit, seed);
#endif
	sf_pattern_init();
	while (region_next(&r, &s, &n)) {
		if (s >= limit)
			break;
		if (s + n > limit)
			n = limit - s;
		bad = check_range(p, s, n, seed);
		if (bad != SIZE_MAX)
			return bad;
	}
	return SIZE_MAX;
}

size_t sf_zero_check(const void *p, size_t len)
{
	struct regions r = { len, 0, 0, ZERO_FULL };
	const uint8_t *b = p;
	size_t s, n;

#ifdef SF_RECORD
	sfr_note_zero_check(p, len);
#endif
	while (region_next(&r, &s, &n)) {
		for (size_t off = s; off < s + n; off += PAT_CHUNK) {
			size_t c = s + n - off < PAT_CHUNK ? s + n - off : PAT_CHUNK;

			if (memcmp(b + off, zeros, c))
				for (size_t i = 0; i < c; i++)
					if (b[off + i])
						return off + i;
		}
	}
	return SIZE_MAX;
}

uint16_t sf_new_seed(void)
{
	uint16_t s = sf.next_seed;

	sf.next_seed = s >= 3999 ? 1 : s + 1;
	return s;
}

uint16_t sf_ctor_seed(unsigned int slot)
{
	return (uint16_t)(4000 + slot);
}

void sf_obj_write_pattern(uint32_t id)
{
	struct sf_obj *o = &sf.objs[id];

	if (!o->size || sf.raw)
		return;
	o->seed = sf_new_seed();
	sf_pattern_fill(o->ptr, o->size, o->seed);
}

void sf_obj_check_pattern(uint32_t id, const char *why)
{
	const struct sf_obj *o = &sf.objs[id];
	size_t bad;

	if (!o->size || sf.raw)
		return;
	bad = sf_pattern_check(o->ptr, o->size, o->size, o->seed);
	if (bad != SIZE_MAX)
		sf_model_fail("pattern damaged in", o->label,
			      "object %p size %zu (%s): byte %zu is 0x%02x, expected 0x%02x",
			      o->ptr, o->size, why, bad,
			      ((const uint8_t *)o->ptr)[bad],
			      pat[(seed_start(o->seed) + bad) % PAT_P]);
}

void sf_check_all_patterns(void)
{
	for (uint32_t i = 0; i < sf.nall; i++)
		sf_obj_check_pattern(sf.all[i], "validate");
}

