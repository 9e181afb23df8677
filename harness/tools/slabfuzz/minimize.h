/*
 * Minimizing a finding's input while it keeps its title (minimize.c),
 * shared by `slabfuzz minimize` and `slabfuzz triage`.
 */
#ifndef SFZ_MINIMIZE_H
#define SFZ_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"

struct sfz_min_stats {
	unsigned int runs;		/* replays it took */
	unsigned int ops_before, ops_after;
	size_t bytes_before, bytes_after;
};

#define SFZ_MIN_MAX_RUNS	3000	/* bound on the replays of one input */

/*
 * data must give the finding title (a fresh run says so first; if it does
 * not, returns -1 with data left as it is). On success returns 0 and a
 * malloc'ed *out that gives the same title, no longer than data.
 * detected: title is not a finding's but the report a misuse window
 * expected, in a run that stays clean (a `detected` seed's outcome).
 */
int sfz_minimize(const struct sf_profile *prof, const uint8_t *data, size_t len,
		 const char *title, bool detected, unsigned int timeout,
		 unsigned int max_runs, uint8_t **out, size_t *outlen,
		 struct sfz_min_stats *st);

#endif /* SFZ_MINIMIZE_H */
