/*
 * The verdict of N runs of one input (replay --repeat): the distinct
 * outcomes it gave and how often each. An input is flaky when it gave
 * more than one. Kept apart from the runner so that the verdict can be
 * tested on outcomes of any kind, two different titles included, without
 * an input that really is flaky (test_tally.c).
 */
#ifndef SFZ_TALLY_H
#define SFZ_TALLY_H

#include <stdbool.h>
#include <stdio.h>

#define SFZ_TALLY_MAX		8	/* distinct outcomes kept; more are
					 * counted in runs only */
#define SFZ_OUTCOME_LEN		512

struct sfz_tally {
	unsigned long runs;			/* every outcome added */
	unsigned int distinct;			/* entries of seen[] in use */
	unsigned long count[SFZ_TALLY_MAX];	/* runs that gave seen[k] */
	char seen[SFZ_TALLY_MAX][SFZ_OUTCOME_LEN];
};

/* One run's outcome: "clean", "clean (detected: ...)" or a title. */
void sfz_tally_add(struct sfz_tally *t, const char *outcome);
/* More than one outcome? */
bool sfz_tally_flaky(const struct sfz_tally *t);
/* "PATH: <outcome>", or "PATH: flaky: <a> (n of N), <b> (m of N)". */
void sfz_tally_print(const struct sfz_tally *t, const char *path, FILE *out);

#endif /* SFZ_TALLY_H */
