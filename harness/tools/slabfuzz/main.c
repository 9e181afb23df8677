/*
 * slabfuzz: the command-line tool for what a fuzz finding becomes, from a
 * raw crash file to a named, minimized, reproducible bug.
 *
 *   slabfuzz <subcommand> [ARGS...]     slabfuzz help
 *
 * This file is only the table of subcommands and the dispatch; each
 * subcommand lives in its own file (commands.h), and what they share in
 * common.c. Exit statuses are the same everywhere: 0 clean, 1 finding,
 * 2 usage, 3 I/O error, 4 malformed input.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"

struct sfz_subcommand {
	const char *name;
	const char *usage;	/* the arguments, for `help` and errors */
	const char *help;	/* one line: what it does */
	int (*run)(int argc, char **argv);
};

static const struct sfz_subcommand subcommands[] = {
	{ .name = "decode", .usage = "FILE",
	  .help = "print an input as a program in the text form",
	  .run = sfz_cmd_decode },
	{ .name = "encode", .usage = "TEXT -o OUT",
	  .help = "turn a text program back into input bytes",
	  .run = sfz_cmd_encode },
	{ .name = "replay",
	  .usage = "[--target T] [--trace] [--repeat N] [--timeout S] FILE...",
	  .help = "run inputs in fresh machines: FILE: clean, or FILE: <title>",
	  .run = sfz_cmd_replay },
	{ .name = "minimize",
	  .usage = "[--target T] [--detected] [--timeout S] [--max-runs N] FILE -o OUT",
	  .help = "the smallest input that keeps the finding's title (ops, args, config, bytes)",
	  .run = sfz_cmd_minimize },
	{ .name = "triage",
	  .usage = "[--target T] [--json FILE] [--accept] [--crashes DIR] [--out DIR] "
		   "[--detected] [--timeout S] DIR...",
	  .help = "bucket crash files by title, minimize one per bucket, --accept new ones to crashes/",
	  .run = sfz_cmd_triage },
	{ .name = "kmod",
	  .usage = "FILE.c... [--slabinfo] [--buddyinfo] [--fail-nth N] [--fail-each] [-- boot options]",
	  .help = "compile and run kernel-style module code on kalloc, as insmod/rmmod would (exit: 0 clean, 1 report, 2 usage or compile error, 3 leak)",
	  .run = sfz_cmd_kmod },
	{ .name = "repro", .usage = "[--target T] FILE -o OUT.c | --run [--target T] FILE",
	  .help = "a standalone C program that makes the same calls and checks (--run: build and run it)",
	  .run = sfz_cmd_repro },
	{ .name = "heapmap", .usage = "[--target T] FILE -o OUT.svg",
	  .help = "replay up to the finding and draw the machine as an SVG",
	  .run = sfz_cmd_heapmap },
	{ .name = "slug", .usage = "TITLE...",
	  .help = "the bucket folder name of each title (crashes/<target>/<slug>/)",
	  .run = sfz_cmd_slug },
};

#define NR_SUBCOMMANDS	(sizeof(subcommands) / sizeof(subcommands[0]))

static void help(FILE *out)
{
	fprintf(out, "usage: slabfuzz <subcommand> [ARGS...]\n\n");
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n  %-9s   %s\n", subcommands[i].name,
			subcommands[i].usage, "", subcommands[i].help);
	fprintf(out, "\nexit status: 0 clean, 1 finding, 2 usage, 3 I/O error, "
		"4 malformed input\n");
}

/*
 * In sanitized builds, UBSan's reports carry their stack, so that a title
 * can name frames (title.c); the user's UBSAN_OPTIONS still win.
 */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1";
}

int main(int argc, char **argv)
{
	static char cmd[64];

	if (argc < 2) {
		fprintf(stderr, "usage: slabfuzz <subcommand> [ARGS...] "
			"(slabfuzz help lists them)\n");
		return SFZ_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		help(stdout);
		return SFZ_CLEAN;
	}
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++) {
		if (strcmp(argv[1], subcommands[i].name))
			continue;
		snprintf(cmd, sizeof(cmd), "slabfuzz %s", subcommands[i].name);
		sfz_cmd = cmd;
		if (argc == 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
			printf("usage: %s %s\n%s\n", cmd, subcommands[i].usage,
			       subcommands[i].help);
			return SFZ_CLEAN;
		}
		return subcommands[i].run(argc - 2, argv + 2);
	}
	sfz_err("unknown subcommand '%.64s' (slabfuzz help lists them)", argv[1]);
	return SFZ_USAGE;
}
