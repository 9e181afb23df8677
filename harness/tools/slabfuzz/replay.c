/*
 * slabfuzz replay [--target T] [--trace] [--repeat N] [--timeout S] FILE...
 *
 * Runs each input in a fresh machine (runner.c) and prints one line per
 * file: "FILE: clean" or "FILE: <title>". A clean run in which a misuse
 * window of fuzz_misuse got its expected report says which one:
 * "FILE: clean (detected: kalloc: <title>)".
 *
 * --trace prints every op with its arguments, what it returned and the
 * model's view, then the report of the first finding. --repeat N runs each
 * input N times, each in a fresh machine, and an input whose outcome
 * changes is "FILE: flaky: <title> (n of N), <title> (m of N)" (tally.c).
 * Every run is a new child with its own kalloc_init() (runner.c says why).
 *
 * Exit status: 1 if any input has a finding or is flaky, else 3 or 4 if an
 * input could not be read or is no program (empty, too large), else 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "runner.h"
#include "tally.h"

#define USAGE	"[--target T] [--trace] [--repeat N] [--timeout S] FILE..."
#define BATCH		256	/* runs per sfz_run_n() */

/* The line an outcome is known by: the title, or clean (with what the
 * oracle saw detected). */
static void outcome_text(const struct sfz_result *r, char *buf, size_t len)
{
	if (r->outcome != SFZ_RUN_CLEAN)
		snprintf(buf, len, "%s", r->title);
	else if (r->detected[0])
		snprintf(buf, len, "clean (detected: %s)", r->detected);
	else
		snprintf(buf, len, "clean");
}

/* Replay one file; returns its exit status. */
static int replay_file(const char *path, const char *target, bool trace,
		       unsigned long repeat, unsigned int timeout)
{
	static struct sfz_tally tally;
	char why[4200];
	const struct sf_profile *prof = sfz_target_of(path, target, why, sizeof(why));
	bool finding = false;
	uint8_t *data;
	size_t len;
	int st;

	if (!prof) {
		sfz_err("%s", why);
		return SFZ_USAGE;
	}
	st = sfz_read(path, SFZ_MAX_INPUT, &data, &len, why, sizeof(why));
	if (st) {
		sfz_err("%s", why);
		return st;
	}
	memset(&tally, 0, sizeof(tally));
	for (unsigned long i = 0; i < repeat;) {
		struct sfz_run_opts opts = { .trace = trace && i == 0, .timeout = timeout };
		struct sfz_result rs[BATCH];
		unsigned int n = repeat - i < BATCH ? (unsigned int)(repeat - i) : BATCH;
		unsigned int got = sfz_run_n(prof, data, len, &opts, n, rs);

		for (unsigned int j = 0; j < got; j++) {
			struct sfz_result *r = &rs[j];
			char text[SFZ_OUTCOME_LEN];

			if (r->outcome == SFZ_RUN_ERROR) {
				sfz_err("%s: %s", path, r->title);
				for (; j < got; j++)
					sfz_result_free(&rs[j]);
				free(data);
				return SFZ_IO;
			}
			if (opts.trace && j == 0 && r->outcome == SFZ_RUN_FINDING)
				fwrite(r->log, 1, r->loglen, stdout);
			else if (opts.trace && j == 0 && r->detected_report)
				printf("the expected report (%s):\n%s", r->detected,
				       r->detected_report);
			finding |= r->outcome == SFZ_RUN_FINDING;
			outcome_text(r, text, sizeof(text));
			sfz_result_free(r);
			sfz_tally_add(&tally, text);
		}
		i += got;
	}
	free(data);
	sfz_tally_print(&tally, path, stdout);
	fflush(stdout);
	return finding || sfz_tally_flaky(&tally) ? SFZ_FINDING : SFZ_CLEAN;
}

int sfz_cmd_replay(int argc, char **argv)
{
	const char *target = NULL;
	bool trace = false;
	unsigned long repeat = 1, timeout = SFZ_DEFAULT_TIMEOUT;
	int nfiles = 0, worst = SFZ_CLEAN;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(a, "--trace"))
			trace = true;
		else if (!strcmp(a, "--repeat"))
			repeat = sfz_count_arg(a, i + 1 < argc ? argv[++i] : NULL, 1, 100000, USAGE);
		else if (!strcmp(a, "--timeout"))
			timeout = sfz_count_arg(a, i + 1 < argc ? argv[++i] : NULL, 1, 3600, USAGE);
		else if (!strcmp(a, "--"))
			break;
		else if (a[0] == '-')
			sfz_usage(USAGE);
		else
			nfiles++;
	}
	if (!nfiles)
		sfz_usage(USAGE);
	if (target && !sf_profile_by_name(target))
		sfz_die(SFZ_USAGE, "unknown target '%s' (harness/targets.txt lists them)", target);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int st;

		if (!strcmp(a, "--target") || !strcmp(a, "--repeat") || !strcmp(a, "--timeout")) {
			i++;
			continue;
		}
		if (a[0] == '-')
			continue;
		st = replay_file(a, target, trace, repeat, (unsigned int)timeout);
		/* a finding outranks an unreadable file; a usage error stops */
		if (st == SFZ_FINDING || (worst != SFZ_FINDING && st > worst))
			worst = st;
	}
	return worst;
}
