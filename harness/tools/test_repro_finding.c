/*
 * A finding through `slabfuzz repro` end to end, in seconds: the program
 * "kmalloc 64; kfree @0" runs with an op hook that, after op 0, frees the
 * object twice behind the model's back through the recorder's kfree
 * wrapper, so the double free is in the recording like any call the
 * harness makes, and the allocator reports it there. The emitted
 * reproducer must build with its first line, print that same "kalloc: "
 * title and exit 1; the reproducer of the same program without the hook
 * must print "clean" and exit 0.
 *
 * usage: test_repro_finding SCRATCH_DIR   (it builds from SF_SOURCE_DIR,
 * as the reproducer's first line says)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common.h"
#include "model.h"
#include "repro.h"
#include "run.h"
/* kfree() below is the recorder's, as in the harness's own files */
#include "tools/record_wrap.h"

static void double_free_behind_the_models_back(unsigned int op_index, void *arg)
{
	(void)arg;
	void *p = sf_object(SF_K_KMALLOC, 0, NULL);

	if (op_index == 0 && p) {
		kfree(p);
		kfree(p);
	}
}

/* Build c_path with its first line, run it: exit status, stdout in out. */
static int build_and_run(const char *c_path, const char *exe, char *out, size_t len)
{
	char line[4096], cmd[8192];
	FILE *f = fopen(c_path, "r"), *p;
	size_t n;
	int st;

	if (!f || !fgets(line, sizeof(line), f))
		return -1;
	fclose(f);
	if (strncmp(line, "/* ", 3) || !strstr(line, " -o repro */"))
		return -1;
	*strstr(line, " -o repro */") = 0;
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s -o '%s'", SF_SOURCE_DIR, line + 3, exe);
	if (system(cmd) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s' 2>'%s.stderr'", exe, exe);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
	static const char text[] =
		"config mem=8M cpus=1\nkmalloc 64 GFP_KERNEL\nkfree @0\n";
	static struct sf_program prog;
	const struct sf_profile *prof = sf_profile_by_name("fuzz_kmalloc");
	char err[256], title[512], out[1024], c_path[4096], exe[4096];
	int fail = 0, st;

	if (argc != 2 || !prof || sf_parse(text, &prog, err, sizeof(err))) {
		fprintf(stderr, "usage: test_repro_finding SCRATCH_DIR\n");
		return 2;
	}
	if (sfz_mkdirs(argv[1])) {
		fprintf(stderr, "test_repro_finding: cannot make %s\n", argv[1]);
		return 2;
	}
	snprintf(c_path, sizeof(c_path), "%s/finding.c", argv[1]);
	snprintf(exe, sizeof(exe), "%s/finding", argv[1]);

	sf_set_op_hook(double_free_behind_the_models_back, NULL);
	st = sfz_repro_write(prof, &prog, "double-free", c_path, title, sizeof(title));
	sf_set_op_hook(NULL, NULL);
	if (st != SFZ_FINDING || strncmp(title, "kalloc: ", 8)) {
		fprintf(stderr, "FAIL: repro gave %d '%s'\n", st, title);
		fail = 1;
	}
	st = build_and_run(c_path, exe, out, sizeof(out));
	if (st != 1 || strncmp(out, title, strlen(title)) || out[strlen(title)] != '\n') {
		fprintf(stderr, "FAIL: the reproducer exited %d printing '%s', not '%s'\n",
			st, out, title);
		fail = 1;
	}

	st = sfz_repro_write(prof, &prog, "no-bug", c_path, title, sizeof(title));
	if (st != SFZ_CLEAN || title[0]) {
		fprintf(stderr, "FAIL: repro of the clean program gave %d '%s'\n", st, title);
		fail = 1;
	}
	st = build_and_run(c_path, exe, out, sizeof(out));
	if (st != 0 || strcmp(out, "clean\n")) {
		fprintf(stderr, "FAIL: the clean reproducer exited %d printing '%s'\n", st, out);
		fail = 1;
	}
	sf_shutdown();
	if (!fail)
		printf("test_repro_finding: ok\n");
	return fail;
}
