/*
 * The AFL++ custom mutator library (AFL_CUSTOM_MUTATOR_LIBRARY): the same
 * structure-aware mutator as libFuzzer's (mutate.c), built once per target
 * with its profile (SF_PROFILE) as libsfmutator_<target>.so. ci/fuzz
 * --engine afl loads it. AFL++'s own havoc stage still runs after it, so
 * byte-level mutation keeps its share there.
 *
 * The randomness is the seed afl_custom_init gets, advanced once per call:
 * the same seed and the same sequence of inputs give the same outputs.
 * add_buf, when AFL++ passes one, is spliced in (crossover) one time in
 * four.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "run.h"

#ifndef SF_PROFILE
#error "build with -DSF_PROFILE=sf_profile_<name>"
#endif

struct sf_afl {
	struct sf_mutator mut;
	uint64_t seed;
	uint8_t *out;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct sf_afl *s = calloc(1, sizeof(*s));

	(void)afl;
	if (!s)
		return NULL;
	sf_mutator_init(&s->mut, SF_PROFILE.groups);
	s->seed = seed;
	return s;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct sf_afl *s = data;
	unsigned int seed;
	size_t n;

	s->seed = s->seed * 6364136223846793005ull + 1442695040888963407ull;
	seed = (unsigned int)(s->seed >> 32);

	if (s->cap < max_size || s->cap < buf_size) {
		size_t cap = max_size > buf_size ? max_size : buf_size;
		uint8_t *p = realloc(s->out, cap ? cap : 1);

		if (!p) {
			*out_buf = buf;
			return buf_size;
		}
		s->out = p;
		s->cap = cap;
	}
	if (add_buf && add_buf_size && seed % 4 == 0) {
		n = sf_crossover(&s->mut, buf, buf_size, add_buf, add_buf_size, s->out,
				 max_size, seed / 4);
	} else {
		memcpy(s->out, buf, buf_size);
		n = sf_mutate(&s->mut, s->out, buf_size, max_size, seed / 4);
	}
	*out_buf = s->out;
	return n;
}

void afl_custom_deinit(void *data)
{
	struct sf_afl *s = data;

	if (s)
		free(s->out);
	free(s);
}
