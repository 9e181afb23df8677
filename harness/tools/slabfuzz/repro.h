/*
 * What `slabfuzz repro` does, for other callers (tools/test_repro_finding.c):
 * record a program with the recording harness and write its standalone C
 * reproducer. Defined in repro.c.
 */
#ifndef SFZ_REPRO_H
#define SFZ_REPRO_H

#include <stddef.h>

#include "program.h"
#include "run.h"

/* Write the reproducer of prog (run as prof) to out_path; title gets the
 * finding's title ("" when the program runs clean). Returns SFZ_CLEAN,
 * SFZ_FINDING or SFZ_IO, with a one-line error for the last. */
int sfz_repro_write(const struct sf_profile *prof, const struct sf_program *prog,
		    const char *input, const char *out_path, char *title, size_t tlen);

#endif /* SFZ_REPRO_H */
