/*
 * The fuzz harness's speed and the cost of its oracle.
 *
 * For every target, each file of its corpus (CORPUS_DIR/<target>/, by
 * default the seeds in corpus/), in name order, runs once to build the
 * machine for its configuration, then REPS more times in a row
 * (kalloc_reset between runs, as when a fuzzer mutates one input):
 * once with the full oracle (shadow model, interval index, patterns, zero
 * and ctor checks, kalloc_validate) and once in raw mode (the same
 * allocator calls, only the bookkeeping needed to free what was
 * allocated). It prints executions per second and microseconds per op in
 * both modes, and their ratio: the per-operation cost of the oracle.
 *
 *   bench_oracle [CORPUS_DIR] [REPS]
 *
 * libFuzzer's own exec/s on the same corpora (mutation, coverage and
 * sanitizers included) is what ci/fuzz prints per target.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run.h"

#ifndef SF_SOURCE_DIR
#define SF_SOURCE_DIR "."
#endif

struct input {
	uint8_t *data;
	size_t len;
};

/* dir/name into buf; false if it does not fit */
static bool join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * Every file of dir, in name order (the same inputs in the same order on
 * every run, whatever order the file system lists them in). *n is how many;
 * NULL with *n == 0 when there are none or the directory cannot be read.
 */
static struct input *load(const char *dir, size_t *n)
{
	struct dirent **names;
	struct input *in;
	int nr = scandir(dir, &names, NULL, by_name);

	*n = 0;
	if (nr <= 0)
		return NULL;
	in = calloc((size_t)nr, sizeof(*in));
	for (int i = 0; i < nr; i++) {
		char path[4096];
		FILE *f = NULL;
		long len;

		if (in && names[i]->d_name[0] != '.' &&
		    join_path(path, sizeof(path), dir, names[i]->d_name))
			f = fopen(path, "rb");
		free(names[i]);
		if (!f)
			continue;
		if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
		    fseek(f, 0, SEEK_SET) == 0 &&
		    (in[*n].data = malloc(len > 0 ? (size_t)len : 1))) {
			in[*n].len = len > 0 ? fread(in[*n].data, 1, (size_t)len, f) : 0;
			(*n)++;
		}
		fclose(f);
	}
	free(names);
	if (!*n) {
		free(in);
		return NULL;
	}
	return in;
}

/* Seconds and ops for REPS runs of every input (after one warm-up each). */
static void measure(const struct sf_profile *p, const struct input *in, size_t n,
		    int reps, bool raw, double *secs, double *ops)
{
	sf_set_raw(raw);
	*secs = 0;
	*ops = 0;
	for (size_t i = 0; i < n; i++) {
		double t0;

		sf_run_input(p, in[i].data, in[i].len);
		t0 = now();
		for (int r = 0; r < reps; r++) {
			sf_run_input(p, in[i].data, in[i].len);
			*ops += (double)sf_last_ops();
		}
		*secs += now() - t0;
	}
	sf_set_raw(false);
}

int main(int argc, char **argv)
{
	/* harness/targets.txt, as CMake read it */
	char list[] = SF_TARGET_LIST, *save = NULL;
	const char *corpus = argc > 1 ? argv[1] : SF_SOURCE_DIR "/corpus";
	int reps = argc > 2 ? atoi(argv[2]) : 20;

	if (reps < 1) {
		fprintf(stderr, "usage: bench_oracle [CORPUS_DIR] [REPS]\n");
		return 2;
	}
	printf("harness speed on the corpora in %s, %d runs per input after a warm-up\n",
	       corpus, reps);
	printf("%-13s %6s %12s %12s %11s %11s %7s\n", "target", "inputs",
	       "exec/s", "raw exec/s", "us/op", "raw us/op", "ratio");
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct sf_profile *p = sf_profile_by_name(name);
		char dir[4096];
		double s_full, o_full, s_raw, o_raw;
		struct input *in = NULL;
		size_t n = 0;

		if (!p) {
			printf("%-13s no profile of that name\n", name);
			continue;
		}
		if (join_path(dir, sizeof(dir), corpus, name))
			in = load(dir, &n);
		if (!in) {
			printf("%-13s no corpus in %s\n", name, dir);
			continue;
		}
		measure(p, in, n, reps, false, &s_full, &o_full);
		/* misuse ops only run under the oracle: raw mode skips them */
		measure(p, in, n, reps, true, &s_raw, &o_raw);
		printf("%-13s %6zu %12.0f %12.0f %11.2f %11.2f %6.2fx\n", name, n,
		       (double)n * reps / s_full, (double)n * reps / s_raw,
		       s_full * 1e6 / o_full, s_raw * 1e6 / o_raw,
		       (s_full / o_full) / (s_raw / o_raw));
		for (size_t i = 0; i < n; i++)
			free(in[i].data);
		free(in);
	}
	sf_shutdown();
	return 0;
}
