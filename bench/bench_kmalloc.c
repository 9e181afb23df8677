/*
 * bench_kmalloc: kmalloc+kfree pairs per second for sizes 8, 64, 192, 1024
 * and 8192, in LIFO and random free order, next to the same workload
 * through glibc malloc, jemalloc, mimalloc and tcmalloc.
 *
 * The workload: allocate a batch of BATCH objects (touching the first byte
 * of each), then free the batch, either last-in first-out or in one of a
 * few fixed pseudo-random permutations. The other allocators run it in a
 * child process of this same program, started with LD_PRELOAD set to
 * Debian's library (found under /usr/lib/x86_64-linux-gnu at run time), so
 * that the code measured is byte for byte the same loop; glibc's column is
 * a child without LD_PRELOAD. A library that is not installed prints "not
 * installed" for its column.
 *
 * Usage: bench_kmalloc [--seconds S]   (S per measurement, default 0.3)
 * Meaningful in a release build (ci/bench); a sanitizer build measures the
 * sanitizer and does not run the comparisons.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kalloc/kalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#ifndef BENCH_SANITIZED
#define BENCH_SANITIZED 0
#endif

#define BATCH	256
#define NPERM	8

static const size_t sizes[] = { 8, 64, 192, 1024, 8192 };
static const char *const orders[] = { "lifo", "random" };

static const struct {
	const char *name;
	const char *lib;	/* NULL: glibc, no preload */
} others[] = {
	{ "glibc", NULL },
	{ "jemalloc", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" },
	{ "mimalloc", "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2" },
	{ "tcmalloc", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4" },
};

static unsigned int perm[NPERM][BATCH];

static void make_perms(void)
{
	uint64_t x = 0x2545f4914f6cdd1dULL;

	for (int p = 0; p < NPERM; p++) {
		for (unsigned int i = 0; i < BATCH; i++)
			perm[p][i] = i;
		for (unsigned int i = BATCH - 1; i > 0; i--) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned int j = (unsigned int)(x % (i + 1));
			unsigned int t = perm[p][i];

			perm[p][i] = perm[p][j];
			perm[p][j] = t;
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef void *(*alloc_fn)(size_t);
typedef void (*free_fn)(void *);

static void *k_alloc(size_t n) { return kmalloc(n, GFP_KERNEL); }
static void k_free(void *p) { kfree(p); }
static void *m_alloc(size_t n) { return malloc(n); }
static void m_free(void *p) { free(p); }

/* Pairs per second of one size and order, run for about `seconds`. */
static double run(alloc_fn af, free_fn ff, size_t size, bool random,
		  double seconds)
{
	static void *slot[BATCH];
	unsigned long rounds = 0;
	double t0 = now(), t;

	do {
		for (int r = 0; r < 16; r++, rounds++) {
			const unsigned int *order = perm[rounds % NPERM];

			for (unsigned int i = 0; i < BATCH; i++) {
				slot[i] = af(size);
				if (!slot[i]) {
					fprintf(stderr, "bench_kmalloc: allocation of %zu bytes failed\n",
						size);
					exit(1);
				}
				*(volatile char *)slot[i] = (char)i;
			}
			if (random)
				for (unsigned int i = 0; i < BATCH; i++)
					ff(slot[order[i]]);
			else
				for (unsigned int i = BATCH; i-- > 0;)
					ff(slot[i]);
		}
		t = now() - t0;
	} while (t < seconds);
	return (double)rounds * BATCH / t;
}

/* Child mode: one malloc measurement, printed as a number. */
static int malloc_child(int argc, char **argv)
{
	char *end;
	size_t size;
	double seconds;

	if (argc != 5)
		return 2;
	size = strtoul(argv[2], &end, 10);
	if (*end || !size)
		return 2;
	seconds = strtod(argv[4], &end);
	if (*end || seconds <= 0)
		return 2;
	make_perms();
	printf("%.0f\n", run(m_alloc, m_free, size, !strcmp(argv[3], "random"),
			     seconds));
	return 0;
}

/* Run this program as a malloc child under lib; < 0 when it failed. */
static double measure_other(const char *lib, size_t size, const char *order,
			    double seconds)
{
	char size_s[32], sec_s[32], out[64] = "";
	char *argv[] = { "bench_kmalloc", "--malloc-child", size_s,
			 (char *)order, sec_s, NULL };
	int fds[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	snprintf(size_s, sizeof(size_s), "%zu", size);
	snprintf(sec_s, sizeof(sec_s), "%g", seconds);
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (lib)
			setenv("LD_PRELOAD", lib, 1);
		else
			unsetenv("LD_PRELOAD");
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fds[1]);
	while (got < sizeof(out) - 1 &&
	       (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	out[got] = '\0';
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return strtod(out, NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_kmalloc [--seconds S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double seconds = 0.3;
	bool have[4];

	if (argc > 1 && !strcmp(argv[1], "--malloc-child"))
		return malloc_child(argc, argv);
	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtod(argv[++i], &end);
			if (*end || seconds <= 0 || seconds > 60) {
				fprintf(stderr, "bench_kmalloc: bad --seconds '%s'\n", argv[i]);
				return 2;
			}
		} else {
			usage();
		}
	}

	struct kalloc_config cfg = kalloc_config_defaults();
	cfg.mem_bytes = 64u << 20;
	int err = kalloc_init(&cfg);
	if (err) {
		fprintf(stderr, "bench_kmalloc: kalloc_init failed: %d\n", err);
		return 1;
	}
	make_perms();
	for (int o = 0; o < 4; o++)
		have[o] = !others[o].lib || access(others[o].lib, R_OK) == 0;

	printf("kmalloc+kfree pairs per second (batches of %d, %.2f s each;\n", BATCH, seconds);
	printf("kalloc defaults: hardened, random freelists, no slab_debug; ratio = kalloc / other)\n");
	if (BENCH_SANITIZED)
		printf("sanitizer build: figures measure the sanitizer; other allocators not run\n");
	printf("%-6s %-7s %12s", "size", "order", "kalloc");
	for (int o = 0; o < 4; o++)
		printf(" %22s", others[o].name);
	printf("\n");

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int k = 0; k < 2; k++) {
			double mine = run(k_alloc, k_free, sizes[s], k == 1, seconds);

			printf("%-6zu %-7s %11.1fM", sizes[s], orders[k], mine / 1e6);
			for (int o = 0; o < 4; o++) {
				double theirs;
				char cell[40];

				if (BENCH_SANITIZED) {
					snprintf(cell, sizeof(cell), "skipped");
				} else if (!have[o]) {
					snprintf(cell, sizeof(cell), "not installed");
				} else if ((theirs = measure_other(others[o].lib, sizes[s],
								   orders[k], seconds)) <= 0) {
					snprintf(cell, sizeof(cell), "failed");
				} else {
					snprintf(cell, sizeof(cell), "%.1fM (%.2fx)",
						 theirs / 1e6, mine / theirs);
				}
				printf(" %22s", cell);
			}
			printf("\n");
			fflush(stdout);
		}
	}
	kalloc_fini();
	return 0;
}
