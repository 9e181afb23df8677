/*
 * main() of the replay binaries (fuzz_* in builds without a fuzzing
 * engine): runs each file, or each file in each directory, through the
 * target's LLVMFuzzerTestOneInput and prints one line per file.
 *
 *   fuzz_slab [-q] [--no-fork] [--twice] FILE|DIR...
 *
 * By default every file runs in a child process, so that a finding (an
 * abort) is reported with its title and the remaining files still run:
 * slabfuzz's runner and title (tools/slabfuzz/runner.c, title.c), so that
 * a replay binary and `slabfuzz replay` name a finding alike.
 * --no-fork runs them in this process (the first finding ends it).
 * --twice runs every file twice in this process, forward and then in
 * reverse order, and requires the same outcome digest both times: state
 * must not leak from one input to the next. libFuzzer-style "-flag=value"
 * arguments are accepted and ignored, so that scripts can replay with
 * either kind of binary.
 *
 * Exit status: 0 all ok, 1 a finding (or a nondeterministic input),
 * 2 bad usage, 3 an unreadable file or directory.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common.h"
#include "run.h"
#include "runner.h"

#define EXIT_FINDING	1
#define EXIT_USAGE	2
#define EXIT_IO		3

static const char *prog;
static bool quiet;

struct file_list {
	char **v;
	size_t n, cap;
};

static void add_file(struct file_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(EXIT_IO);
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(path);
	if (!l->v[l->n]) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_IO);
	}
	l->n++;
}

/* dir/name into buf; false if it does not fit */
static bool join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of a directory, sorted, hidden ones skipped. */
static int add_dir(struct file_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = l->n;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (!join_path(path, sizeof(path), dir, e->d_name)) {
			fprintf(stderr, "%s: %s/%s: path too long\n", prog, dir, e->d_name);
			continue;
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			add_file(l, path);
	}
	closedir(d);
	qsort(l->v + first, l->n - first, sizeof(char *), cmp_str);
	return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			uint8_t *b;

			cap = cap ? 2 * cap : 4096;
			b = realloc(buf, cap);
			if (!b)
				break;
			buf = b;
		}
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f) || !buf) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Run one input in a child, through the runner slabfuzz uses
 * (tools/slabfuzz/runner.c), titled as slabfuzz titles it. Returns 0 ok,
 * 1 finding. */
static int run_forked(const char *path, const uint8_t *data, size_t len)
{
	struct sfz_run_opts opts = { .echo = !quiet };
	struct sfz_result r;

	switch (sfz_run(sf_target_profile, data, len, &opts, &r)) {
	case SFZ_RUN_CLEAN:
		printf("%s: %s: ok\n", prog, path);
		sfz_result_free(&r);
		return 0;
	case SFZ_RUN_ERROR:
		fprintf(stderr, "%s: %s: %s\n", prog, path, r.title);
		exit(EXIT_IO);
	case SFZ_RUN_FINDING:
		break;
	}
	if (WIFSIGNALED(r.status))
		printf("%s: %s: FINDING (signal %d): %s\n", prog, path,
		       WTERMSIG(r.status), r.title);
	else
		printf("%s: %s: FINDING (exit %d): %s\n", prog, path,
		       WEXITSTATUS(r.status), r.title);
	sfz_result_free(&r);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [-q] [--no-fork] [--twice] FILE|DIR...\n", prog);
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	struct file_list files = { 0 };
	bool fork_mode = true, twice = false, io_error = false;
	int findings = 0, nargs = 0;
	uint64_t *digest = NULL;

	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	sfz_cmd = prog;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct stat st;

		if (!strcmp(a, "-q")) {
			quiet = true;
		} else if (!strcmp(a, "--no-fork")) {
			fork_mode = false;
		} else if (!strcmp(a, "--twice")) {
			twice = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
		} else if (a[0] == '-' && a[1] != '-' && strchr(a, '=')) {
			continue;	/* a libFuzzer flag */
		} else if (a[0] == '-') {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
			usage();
		} else {
			nargs++;
			if (stat(a, &st)) {
				fprintf(stderr, "%s: %s: %s\n", prog, a, strerror(errno));
				io_error = true;
			} else if (S_ISDIR(st.st_mode)) {
				if (add_dir(&files, a)) {
					fprintf(stderr, "%s: %s: %s\n", prog, a, strerror(errno));
					io_error = true;
				}
			} else {
				add_file(&files, a);
			}
		}
	}
	if (!nargs)
		usage();
	if (twice) {
		digest = calloc(files.n ? files.n : 1, sizeof(*digest));
		if (!digest)
			return EXIT_IO;
	}
	for (int pass = 0; pass < (twice ? 2 : 1); pass++) {
		for (size_t k = 0; k < files.n; k++) {
			size_t i = pass ? files.n - 1 - k : k, len = 0;
			uint8_t *data = read_file(files.v[i], &len);

			if (!data) {
				if (!pass)
					fprintf(stderr, "%s: %s: cannot read: %s\n", prog,
						files.v[i], strerror(errno));
				io_error = true;
				continue;
			}
			if (fork_mode && !twice) {
				findings += run_forked(files.v[i], data, len);
			} else {
				LLVMFuzzerTestOneInput(data, len);
				if (!twice) {
					printf("%s: %s: ok (%lu ops)\n", prog, files.v[i],
					       sf_last_ops());
				} else if (!pass) {
					digest[i] = sf_last_digest();
				} else if (digest[i] != sf_last_digest()) {
					printf("%s: %s: NONDETERMINISTIC (digest %016llx, then %016llx)\n",
					       prog, files.v[i], (unsigned long long)digest[i],
					       (unsigned long long)sf_last_digest());
					findings++;
				} else {
					printf("%s: %s: ok twice (%lu ops, digest %016llx)\n",
					       prog, files.v[i], sf_last_ops(),
					       (unsigned long long)digest[i]);
				}
			}
			free(data);
		}
	}
	sf_shutdown();
	printf("%s: %zu file%s, %d finding%s%s\n", prog, files.n,
	       files.n == 1 ? "" : "s", findings, findings == 1 ? "" : "s",
	       io_error ? ", unreadable input" : "");
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	free(digest);
	if (findings)
		return EXIT_FINDING;
	return io_error ? EXIT_IO : 0;
}
