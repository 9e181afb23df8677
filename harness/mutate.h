/*
 * Structure-aware mutation of programs (mutate.c): the one mutator behind
 * libFuzzer's LLVMFuzzerCustomMutator / CustomCrossOver (mutator.c) and
 * the AFL++ custom mutator library (mutator_afl.c). It works on decoded
 * programs and re-encodes them, so its output is always canonical and
 * every handle still names the op it named (or an earlier op of the kind
 * its op takes) after ops are inserted, removed or moved.
 *
 * Format level only: it needs the op table's format columns and a set of
 * op groups (the target's), never the allocator.
 */
#ifndef SF_MUTATE_H
#define SF_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define SF_MUT_SEEN	64	/* configurations remembered */
#define SF_MUT_DONORS	16	/* recent inputs kept to splice from */
#define SF_MUT_DONOR_LEN 1024

/* What the random choice picked (tests and statistics). */
enum sf_mutation {
	SF_MUT_SPLICE,
	SF_MUT_INSERT,
	SF_MUT_ARG,
	SF_MUT_DUPLICATE,
	SF_MUT_SWAP,
	SF_MUT_REMOVE,
	SF_MUT_CONFIG,
	SF_NR_MUTATIONS
};

struct sf_mutator {
	unsigned int groups;		/* SF_GROUP() bits: ops it may insert */
	uint64_t rng;
	/* configuration prefixes seen in inputs, so that a configuration
	 * change mostly lands on a machine the fuzzer already runs */
	uint8_t seen[SF_MUT_SEEN][SF_PREFIX_LEN];
	unsigned int nseen;
	/* recent inputs, ring buffer: what a splice takes ops from */
	uint8_t donor[SF_MUT_DONORS][SF_MUT_DONOR_LEN];
	size_t donor_len[SF_MUT_DONORS];
	unsigned int ndonors, next_donor;
	unsigned long done[SF_NR_MUTATIONS];
};

void sf_mutator_init(struct sf_mutator *m, unsigned int groups);

/*
 * Mutate data (size bytes, room for max_size) in place with randomness
 * from seed alone: one to four structural mutations of the decoded
 * program, re-encoded canonically. Returns the new size (<= max_size).
 */
size_t sf_mutate(struct sf_mutator *m, uint8_t *data, size_t size, size_t max_size,
		 unsigned int seed);

/* A prefix of the first input's ops, a run of the second's, the rest of
 * the first's; handles inside the run keep naming their ops. */
size_t sf_crossover(struct sf_mutator *m, const uint8_t *d1, size_t s1,
		    const uint8_t *d2, size_t s2, uint8_t *out, size_t max_out,
		    unsigned int seed);

/* The edits, exposed for tests. Each keeps every handle naming the same
 * op; a handle to a removed op becomes SF_REF_LAST. */
bool sf_prog_insert(struct sf_program *p, unsigned int at, const struct sf_op *op);
void sf_prog_remove(struct sf_program *p, unsigned int at);
void sf_prog_swap(struct sf_program *p, unsigned int at);	/* at, at + 1 */
/* Insert ops [from, from + n) of q at position at of p. */
unsigned int sf_prog_splice(struct sf_program *p, unsigned int at,
			    const struct sf_program *q, unsigned int from, unsigned int n);

#endif /* SF_MUTATE_H */
