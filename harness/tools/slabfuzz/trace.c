/*
 * The trace of a run (replay --trace): every op of the program as it
 * executes, with its arguments, what it returned and the model's view of
 * it (object id, cache, size, zone, live objects), one line each on
 * stdout, flushed at once so that a finding's abort loses none. Ops the
 * target does not run are listed as skipped. The report of the finding
 * follows (replay.c prints the child's stderr).
 *
 * Runs in the child (runner.c), as the executor's op hook.
 */
#include <stdio.h>

#include "runner.h"

static const struct sf_program *traced;
static unsigned int next_op;

static void print_skipped(unsigned int upto)
{
	for (; next_op < upto && next_op < traced->nops; next_op++) {
		char text[256];

		sf_format_op(&traced->ops[next_op], text, sizeof(text));
		printf("op %3u: %s  (skipped: not run by this target)\n", next_op, text);
	}
}

static void trace_op(unsigned int i, void *arg)
{
	struct sf_op_view v;
	char text[256];

	(void)arg;
	print_skipped(i);
	sf_format_op(&traced->ops[i], text, sizeof(text));
	sf_op_view(i, &v);
	printf("op %3u: %s", i, text);
	if (v.obj)
		printf("  = %p  [obj %u %s size %zu zone %s order %u]", v.ptr, v.id,
		       v.label, v.size, v.zone, v.order);
	else if (v.cache)
		printf("  = cache  [slot %u object_size %u]", v.slot, v.object_size);
	else
		printf("  = -");
	printf("  live %u\n", v.live);
	fflush(stdout);
	next_op = i + 1;
}

void sfz_trace_begin(const struct sf_program *prog)
{
	static struct sf_program head;

	traced = prog;
	next_op = 0;
	/* the configuration line of the text form */
	head.cfg = prog->cfg;
	head.nops = 0;
	sf_print(&head, stdout);
	fflush(stdout);
	sf_set_op_hook(trace_op, NULL);
}

void sfz_trace_end(void)
{
	print_skipped(traced->nops);
	printf("end: every object freed, every cache destroyed, every page back\n");
	fflush(stdout);
	sf_set_op_hook(NULL, NULL);
}
