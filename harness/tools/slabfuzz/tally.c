/*
 * The verdict of N runs (tally.h): outcomes compared as strings, in the
 * order they first came, so that the line replay prints is the same for
 * the same runs.
 */
#include "tally.h"

#include <string.h>

void sfz_tally_add(struct sfz_tally *t, const char *outcome)
{
	unsigned int k;

	t->runs++;
	for (k = 0; k < t->distinct && strcmp(t->seen[k], outcome); k++)
		;
	if (k == t->distinct) {
		if (t->distinct == SFZ_TALLY_MAX) {
			/* still flaky: distinct stays above 1 */
			return;
		}
		snprintf(t->seen[k], sizeof(t->seen[k]), "%s", outcome);
		t->distinct++;
	}
	t->count[k]++;
}

bool sfz_tally_flaky(const struct sfz_tally *t)
{
	return t->distinct > 1;
}

void sfz_tally_print(const struct sfz_tally *t, const char *path, FILE *out)
{
	if (!sfz_tally_flaky(t)) {
		fprintf(out, "%s: %s\n", path, t->distinct ? t->seen[0] : "no run");
		return;
	}
	fprintf(out, "%s: flaky:", path);
	for (unsigned int k = 0; k < t->distinct; k++)
		fprintf(out, "%s %s (%lu of %lu)", k ? "," : "", t->seen[k], t->count[k],
			t->runs);
	fprintf(out, "\n");
}
