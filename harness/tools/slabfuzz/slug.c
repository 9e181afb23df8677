/*
 * slabfuzz slug TITLE...: the name of each title's bucket folder, one a
 * line (crashes/<target>/<slug>/, title.h's rule). The campaign scripts
 * (ci/campaign/triage.py) ask here rather than keep a rule of their own,
 * so that a bucket is found under one name whoever made it.
 */
#include <stdio.h>

#include "commands.h"
#include "bucket.h"
#include "common.h"
#include "title.h"

int sfz_cmd_slug(int argc, char **argv)
{
	if (argc < 1)
		sfz_usage("TITLE...");
	for (int i = 0; i < argc; i++) {
		char slug[SFZ_SLUG_LEN];

		sfz_slug(argv[i], slug, sizeof(slug));
		printf("%s\n", slug);
	}
	if (fflush(stdout) || ferror(stdout))
		sfz_die(SFZ_IO, "stdout: write error");
	return SFZ_CLEAN;
}
