/*
 * slabfuzz minimize [--target T] [--timeout S] [--max-runs N] FILE -o OUT
 *
 * Minimizes a finding's input while it keeps its title (minimize.c: ops,
 * then arguments, then the configuration, then bytes), writes it to OUT
 * (atomically) and prints its text form, its op count and the title.
 *
 * --detected minimizes a misuse program of fuzz_misuse instead: what it
 * keeps is a clean run whose misuse window gets the same expected report.
 *
 * Exit status: 1 a finding was minimized into OUT; 0 the input is clean
 * (nothing to minimize, nothing written), or with --detected it was
 * minimized; 2 usage; 3 I/O; 4 not a program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "minimize.h"
#include "runner.h"

#define USAGE	"[--target T] [--detected] [--timeout S] [--max-runs N] FILE -o OUT"

int sfz_cmd_minimize(int argc, char **argv)
{
	static struct sf_program prog;
	const char *target = NULL, *in = NULL, *out = NULL;
	unsigned long timeout = SFZ_DEFAULT_TIMEOUT, max_runs = SFZ_MIN_MAX_RUNS;
	struct sfz_run_opts opts;
	const struct sf_profile *prof;
	struct sfz_min_stats st;
	struct sfz_result r;
	uint8_t *data, *min;
	size_t len, minlen;
	char *text;
	const char *title;
	bool detected = false;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(a, "-o") && i + 1 < argc && !out)
			out = argv[++i];
		else if (!strcmp(a, "--detected"))
			detected = true;
		else if (!strcmp(a, "--timeout"))
			timeout = sfz_count_arg(a, i + 1 < argc ? argv[++i] : NULL, 1, 3600, USAGE);
		else if (!strcmp(a, "--max-runs"))
			max_runs = sfz_count_arg(a, i + 1 < argc ? argv[++i] : NULL, 1, 1000000, USAGE);
		else if (a[0] == '-' || in)
			sfz_usage(USAGE);
		else
			in = a;
	}
	if (!in || !out)
		sfz_usage(USAGE);
	prof = sfz_target_or_die(in, target);
	data = sfz_read_or_die(in, SFZ_MAX_INPUT, &len);
	opts = (struct sfz_run_opts){ .timeout = (unsigned int)timeout };
	if (sfz_run(prof, data, len, &opts, &r) == SFZ_RUN_ERROR)
		sfz_die(SFZ_IO, "%s: %s", in, r.title);
	title = detected ? r.detected : r.title;
	if (detected ? r.outcome != SFZ_RUN_CLEAN || !r.detected[0] : r.outcome == SFZ_RUN_CLEAN) {
		printf("%s: %s: nothing to minimize\n", in, r.outcome != SFZ_RUN_CLEAN ? r.title :
		       detected ? "clean, nothing detected" : "clean");
		sfz_result_free(&r);
		free(data);
		return SFZ_CLEAN;
	}
	if (sfz_minimize(prof, data, len, title, detected, (unsigned int)timeout,
			 (unsigned int)max_runs, &min, &minlen, &st))
		sfz_die(SFZ_FINDING, "%s: flaky: '%s' did not come again", in, title);
	sfz_write_or_die(out, min, minlen);
	sf_decode(min, minlen, &prog);
	text = sfz_print(&prog);
	fputs(text, stdout);
	printf("# %s: %u ops (from %u), %zu bytes (from %zu), %u runs\n# title: %s\n",
	       out, st.ops_after, st.ops_before, st.bytes_after, st.bytes_before,
	       st.runs, title);
	free(text);
	free(min);
	free(data);
	sfz_result_free(&r);
	return detected ? SFZ_CLEAN : SFZ_FINDING;
}
