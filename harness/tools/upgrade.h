/*
 * Format 1 -> format 2 (sfprog upgrade). Internal to sfprog.
 */
#ifndef SF_UPGRADE_H
#define SF_UPGRADE_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"
#include "run.h"

struct sf_upgrade_stats {
	unsigned int ops, dropped;	/* v1 ops; those past SF_MAX_OPS */
	unsigned int rounded;		/* sizes v2 cannot encode exactly */
	unsigned int inexact;		/* handles naming a bulk allocation */
	int finding_at;			/* op index of a finding, or -1 */
};

/*
 * Convert one format-1 input of the given target into a format-2 program:
 * runs it under the target's profile in a child process with format-1
 * handles, so each handle becomes the op that created what format 1
 * picked. Returns 0, or -1 with errno set when the child could not run.
 */
int sf_upgrade(const struct sf_profile *prof, const uint8_t *data, size_t len,
	       struct sf_program *out, struct sf_upgrade_stats *st);

#endif /* SF_UPGRADE_H */
