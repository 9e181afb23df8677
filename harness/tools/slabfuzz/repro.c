/*
 * `slabfuzz repro [--target T] FILE -o OUT.c` and `slabfuzz repro --run
 * [--target T] FILE`: a standalone C program that makes the same calls as
 * the program in FILE, through the public kalloc API, with the machine its
 * prefix chose, and ends with the check that failed (syzkaller's prog2c).
 *
 * The program is run once in a child with the recording harness
 * (tools/record.h): every top-level allocator call becomes a statement,
 * and the finding's check becomes the last one. The emitted file is the
 * build command (first line), the runtime of repro_runtime.c (embedded at
 * build time), the recorded statements and main(). `--run` writes it to a
 * scratch directory, builds it with its own first line against this
 * tree's kalloc and passes the program's exit status through.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "common.h"
#include "repro.h"
#include "tools/record.h"

#include "repro_runtime.inc"	/* static const char sf_repro_runtime[] */

/* The command on the first line: from the source root, against the build
 * this tool belongs to, with that build's sanitizer flags. */
static void build_command(const char *c_file, const char *exe, char *out, size_t len)
{
	snprintf(out, len, SF_REPRO_CC "%s%s -Ialloc/include %s %s/alloc/libkalloc.a"
		 SF_REPRO_LIBS " -lpthread -ldl -lm -o %s",
		 *SF_REPRO_CFLAGS ? " " : "", SF_REPRO_CFLAGS, c_file, SF_REPRO_BUILD, exe);
}

/* Record the program in a child; the trace goes to trace_path. Returns 0
 * with *found set, or -1 on a system error. */
static int record(const struct sf_profile *prof, const struct sf_program *prog,
		  const char *trace_path, bool *found)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		FILE *t = fopen(trace_path, "w");
		int devnull = open("/dev/null", O_WRONLY);

		if (!t)
			_exit(3);
		if (devnull >= 0)
			dup2(devnull, 2);	/* the harness's own report of it */
		sf_shutdown();
		sfr_start(t);
		sf_run_program(prof, prog);
		sfr_finish();
		fclose(t);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return -1;
	*found = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

/* Assemble OUT.c from the trace. Returns an exit status. */
static int emit(const char *trace_path, const char *out_path, const char *input,
		const char *target, char *title, size_t tlen)
{
	size_t n;
	uint8_t *bytes = NULL;
	char why[256], *trace;
	char cmd[PATH_MAX * 2 + 256], tmp[PATH_MAX + 16], *p;
	int nv = 0;
	unsigned long nc = 0;
	FILE *o;

	if (sfz_read(trace_path, 1u << 30, &bytes, &n, why, sizeof(why)) != SFZ_CLEAN) {
		sfz_err("cannot read the recording: %s", why);
		return SFZ_IO;
	}
	trace = (char *)bytes;
	title[0] = 0;
	for (p = trace; (p = strstr(p, "/* SLABFUZZ-")); p++) {
		if (sscanf(p, "/* SLABFUZZ-COUNTS: %d %lu */", &nv, &nc) == 2)
			continue;
		if (!strncmp(p, "/* SLABFUZZ-FINDING: ", 21)) {
			const char *e = strstr(p, " */");

			snprintf(title, tlen, "%.*s", e ? (int)(e - p - 21) : 0, p + 21);
		}
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	o = fopen(tmp, "w");
	if (!o) {
		free(trace);
		sfz_err("cannot write %s: %s", tmp, strerror(errno));
		return SFZ_IO;
	}
	build_command(out_path, "repro", cmd, sizeof(cmd));
	fprintf(o, "/* %s */\n", cmd);
	fprintf(o, "/*\n * slabfuzz repro of %s (target %s): %s\n"
		" * Run from the source root. Prints the title and exits 1 while the bug\n"
		" * is there; prints \"clean\" and exits 0 once it is fixed.\n */\n",
		input, target, title[0] ? title : "clean");
	fprintf(o, "#include <kalloc/kalloc.h>\n\n#include <stdarg.h>\n#include <stdbool.h>\n"
		"#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n");
	fprintf(o, "#define SFR_NV %d\n#define SFR_NC %lu\n\n", nv, nc);
	fputs(sf_repro_runtime, o);
	fprintf(o, "\nstatic void sfr_program(void)\n{\n");
	for (char *line = trace, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		if (strncmp(line, "/* SLABFUZZ-COUNTS", 18))
			fprintf(o, "%.*s\n", (int)(nl - line), line);
		if (!nl[1])
			break;
	}
	fprintf(o, "}\n\nint main(void)\n{\n"
		"\tkalloc_set_report_handler(sfr_on_report, NULL);\n"
		"\tkalloc_set_printk(sfr_on_printk, NULL);\n"
		"\tsfr_program();\n"
		"\tkalloc_fini();\n"
		"\tkalloc_release_memory();\n"
		"\tprintf(\"clean\\n\");\n"
		"\treturn 0;\n}\n");
	free(trace);
	if (fclose(o) || rename(tmp, out_path)) {
		unlink(tmp);
		sfz_err("cannot write %s: %s", out_path, strerror(errno));
		return SFZ_IO;
	}
	return title[0] ? SFZ_FINDING : SFZ_CLEAN;
}

/* Build OUT.c with its first line and run it: its exit status. */
static int run_it(const char *c_path, const char *dir)
{
	char cmd[PATH_MAX * 3 + 300], exe[PATH_MAX + 16];
	int st;

	snprintf(exe, sizeof(exe), "%s/repro", dir);
	build_command(c_path, exe, cmd, sizeof(cmd));
	{
		char full[sizeof(cmd) + PATH_MAX + 64];

		snprintf(full, sizeof(full), "cd '%s' && %s", SF_SOURCE_DIR, cmd);
		st = system(full);
	}
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		sfz_err("the reproducer did not build: %s", cmd);
		return SFZ_IO;
	}
	fflush(NULL);
	st = system(exe);
	if (st == -1 || !WIFEXITED(st)) {
		sfz_err("the reproducer did not run");
		return SFZ_IO;
	}
	return WEXITSTATUS(st);
}

#define USAGE "[--target T] FILE -o OUT.c | --run [--target T] FILE"

/* A program from FILE: text when it is a .txt file, else input bytes. */
static void load(const char *file, struct sf_program *prog)
{
	size_t n = strlen(file), len;
	uint8_t *data;

	if (n > 4 && !strcmp(file + n - 4, ".txt")) {
		sfz_parse_text_or_die(file, prog);
		return;
	}
	data = sfz_read_or_die(file, SFZ_MAX_INPUT, &len);
	sf_decode(data, len, prog);
	free(data);
}

int sfz_repro_write(const struct sf_profile *prof, const struct sf_program *prog,
		    const char *input, const char *out_path, char *title, size_t tlen)
{
	char dir[] = "/tmp/slabfuzz-record.XXXXXX", trace[64], rm[128];
	bool found = false;
	int st;

	if (!mkdtemp(dir)) {
		sfz_err("cannot make a scratch directory: %s", strerror(errno));
		return SFZ_IO;
	}
	snprintf(trace, sizeof(trace), "%s/trace", dir);
	if (record(prof, prog, trace, &found)) {
		sfz_err("recording %s failed", input);
		st = SFZ_IO;
	} else {
		st = emit(trace, out_path, input, prof->name, title, tlen);
		if (st == SFZ_CLEAN && found) {
			/* no slabfuzz title: a sanitizer's report in the harness */
			sfz_err("%s ends abnormally without a slabfuzz title; the reproducer "
				"makes its calls but checks nothing of that", input);
			st = SFZ_FINDING;
		}
	}
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		sfz_err("could not remove %s", dir);
	return st;
}

int sfz_cmd_repro(int argc, char **argv)
{
	const char *target = NULL, *file = NULL, *out = NULL;
	bool run = false;
	const struct sf_profile *prof;
	static struct sf_program prog;
	char dir[] = "/tmp/slabfuzz-repro.XXXXXX", c_path[80], rm[128];
	char title[512];
	int st;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--run"))
			run = true;
		else if (argv[i][0] == '-' || file)
			sfz_usage(USAGE);
		else
			file = argv[i];
	}
	if (!file || (!out && !run) || (out && run))
		sfz_usage(USAGE);
	prof = sfz_target_or_die(file, target);
	load(file, &prog);
	if (!run) {
		st = sfz_repro_write(prof, &prog, file, out, title, sizeof(title));
		if (st <= SFZ_FINDING)
			printf("%s: %s\n", out, title[0] ? title : "clean");
		return st;
	}
	if (!mkdtemp(dir))
		sfz_die(SFZ_IO, "cannot make a scratch directory: %s", strerror(errno));
	snprintf(c_path, sizeof(c_path), "%s/repro.c", dir);
	st = sfz_repro_write(prof, &prog, file, c_path, title, sizeof(title));
	if (st <= SFZ_FINDING)
		st = run_it(c_path, dir);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		sfz_err("could not remove %s", dir);
	return st;
}
