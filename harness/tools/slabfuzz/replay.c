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
 * changes is "FILE: flaky: <title> (n of N), <title> (m of N)". A fresh
 * machine is a new child's kalloc_init() or, after a clean run in the
 * same child, the kalloc_reset() every fuzz input starts from (runner.h);
 * --fork-each makes every run a child of its own.
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

#define USAGE	"[--target T] [--trace] [--repeat N] [--fork-each] [--timeout S] FILE..."
#define MAX_DISTINCT	8
#define BATCH		256	/* runs per child at most */

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
		       unsigned long repeat, unsigned int timeout, bool fork_each)
{
	char why[4200], seen[MAX_DISTINCT][2 * SFZ_TITLE_LEN];
	unsigned long count[MAX_DISTINCT] = { 0 };
	unsigned int distinct = 0;
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
	for (unsigned long i = 0; i < repeat;) {
		struct sfz_run_opts opts = { .trace = trace && i == 0, .timeout = timeout,
					     .fork_each = fork_each };
		struct sfz_result rs[BATCH];
		unsigned int n = repeat - i < BATCH ? (unsigned int)(repeat - i) : BATCH;
		unsigned int got = sfz_run_n(prof, data, len, &opts, n, rs);

		for (unsigned int j = 0; j < got; j++) {
			struct sfz_result *r = &rs[j];
			char text[2 * SFZ_TITLE_LEN];
			unsigned int k;

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
			for (k = 0; k < distinct && strcmp(seen[k], text); k++)
				;
			if (k == distinct && distinct < MAX_DISTINCT)
				snprintf(seen[distinct++], sizeof(seen[0]), "%s", text);
			if (k < MAX_DISTINCT)
				count[k]++;
		}
		i += got;
	}
	free(data);
	if (distinct == 1) {
		printf("%s: %s\n", path, seen[0]);
	} else {
		printf("%s: flaky:", path);
		for (unsigned int k = 0; k < distinct; k++)
			printf("%s %s (%lu of %lu)", k ? "," : "", seen[k], count[k], repeat);
		printf("\n");
	}
	fflush(stdout);
	return finding || distinct > 1 ? SFZ_FINDING : SFZ_CLEAN;
}

int sfz_cmd_replay(int argc, char **argv)
{
	const char *target = NULL;
	bool trace = false, fork_each = false;
	unsigned long repeat = 1, timeout = SFZ_DEFAULT_TIMEOUT;
	int nfiles = 0, worst = SFZ_CLEAN;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(a, "--trace"))
			trace = true;
		else if (!strcmp(a, "--fork-each"))
			fork_each = true;
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
		st = replay_file(a, target, trace, repeat, (unsigned int)timeout, fork_each);
		/* a finding outranks an unreadable file; a usage error stops */
		if (st == SFZ_FINDING || (worst != SFZ_FINDING && st > worst))
			worst = st;
	}
	return worst;
}
