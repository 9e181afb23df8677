/*
 * main.c - the module runner: the main() that `slabfuzz kmod` links with a
 * module. It boots a kalloc machine from the command line's boot options,
 * loads the module as insmod would (module parameters, then init) and
 * unloads it as rmmod would (exit, only if init returned 0), then checks
 * the machine (kalloc_validate) and reports what the module left allocated
 * (leak.c).
 *
 * Fault injection, as failslab/fail_page_alloc driven by syzkaller's
 * fail_nth: --fail-nth N fails the N-th allocation init makes;
 * --fail-each runs the module once per allocation site its init reaches
 * (found by a first run that fails nothing), failing the first allocation
 * from that site, each run in a child process so that the module's static
 * state starts afresh; it prints the log of every run that leaks, reports
 * or crashes.
 *
 * usage: MODULE [--name FILE] [--modname NAME] [--slabinfo] [--buddyinfo] [--fail-nth N]
 *               [--fail-each] [--] [boot options and module parameters]
 * exit: 0 clean, 1 an allocator report (or WARN, BUG, sanitizer report),
 *       2 usage error, 3 a leak.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kalloc/kalloc.h>
#include "linux/module.h"
#include "linux/printk.h"
#include "kmod/boot.h"
#include "kmod/kmod.h"

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "module"
#endif

extern initcall_t const __kmod_initcall __attribute__((weak));
extern exitcall_t const __kmod_exitcall __attribute__((weak));
extern const char *const __start_kmod_modinfo[] __attribute__((weak));
extern const char *const __stop_kmod_modinfo[] __attribute__((weak));

enum { EXIT_CLEAN = 0, EXIT_REPORT = 1, EXIT_USAGE = 2, EXIT_LEAK = 3 };

#define MAX_SITES 256

/* An allocation site as --fail-each passes it from child to parent: a copy,
 * since the child's cache names are not the parent's to read. */
struct site {
	struct kalloc_fault f;
	char cache[64];
};

struct module __this_module;

static struct {
	const char *file;		/* as given to slabfuzz kmod */
	const char *modname;
	bool slabinfo, buddyinfo, fail_each;
	unsigned long fail_nth;		/* 0: none */
	struct kmod_boot boot;
	/* the run */
	bool in_init;
	unsigned long nr_allocs;	/* allocations init made */
	unsigned long fail_site;	/* --fail-each: the caller to fail, once */
	bool failed;
	char first_title[256];
	/* --fail-each discovery */
	bool discover;
	struct site sites[MAX_SITES];
	unsigned int nr_sites;
} run;

/* ------------------------------------------------------------------ */
/* The log's sources                                                   */
/* ------------------------------------------------------------------ */

static void allocator_line(const char *line, void *arg)
{
	char buf[1024];
	size_t n = strlen(line);

	(void)arg;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, line, n);
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	kmod_log_flush();
	kmod_log_line(!strncmp(buf, "FIX ", 4) ? LOGLEVEL_ERR : LOGLEVEL_WARNING, buf);
}

static void allocator_report(const struct kalloc_report *r, void *arg)
{
	const char *t = r->text;

	(void)arg;
	if (!run.first_title[0])
		snprintf(run.first_title, sizeof(run.first_title), "%s", r->title);
	kmod_log_flush();
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);
		char line[1024];

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, t, n);
		line[n] = '\0';
		kmod_log_line(LOGLEVEL_ERR, line);
		t += n + (nl != NULL);
	}
}

/* ------------------------------------------------------------------ */
/* Fault injection                                                     */
/* ------------------------------------------------------------------ */

static void fault_describe(char *buf, size_t len, const struct kalloc_fault *f,
			   const char *cache)
{
	char sym[256];

	kmod_symbol(sym, sizeof(sym), f->caller);
	if (f->kind == KALLOC_FAULT_SLAB)
		snprintf(buf, len, "%s, %s, size %zu", sym,
			 cache ? cache : f->cache, f->size);
	else
		snprintf(buf, len, "%s, pages, order %u", sym, f->order);
}

static bool should_fail(const struct kalloc_fault *f, void *arg)
{
	char what[512];
	bool fail = false;

	(void)arg;
	if (!run.in_init)
		return false;
	run.nr_allocs++;
	if (run.discover) {
		for (unsigned int i = 0; i < run.nr_sites; i++)
			if (run.sites[i].f.caller == f->caller)
				return false;
		if (run.nr_sites < MAX_SITES) {
			struct site *st = &run.sites[run.nr_sites++];

			st->f = *f;
			snprintf(st->cache, sizeof(st->cache), "%s",
				 f->cache ? f->cache : "");
			st->f.cache = NULL;
		}
		return false;
	}
	if (run.fail_nth && run.nr_allocs == run.fail_nth)
		fail = true;
	if (run.fail_site && f->caller == run.fail_site && !run.failed)
		fail = true;
	if (!fail)
		return false;
	run.failed = true;
	fault_describe(what, sizeof(what), f, NULL);
	printk(KERN_INFO "FAULT_INJECTION: forcing a failure.\n");
	printk(KERN_INFO "name %s, interval 1, probability 0, space 0, times 1\n",
	       f->kind == KALLOC_FAULT_SLAB ? "failslab" : "fail_page_alloc");
	printk(KERN_INFO "allocation %lu of init: %s\n", run.nr_allocs, what);
	return true;
}

/* ------------------------------------------------------------------ */
/* One run                                                             */
/* ------------------------------------------------------------------ */

static void check_license(void)
{
	if (__start_kmod_modinfo)
		for (const char *const *p = __start_kmod_modinfo;
		     p < __stop_kmod_modinfo; p++)
			if (!strncmp(*p, "license=", 8))
				return;
	printk(KERN_WARNING "%s: module license 'unspecified' taints kernel.\n",
	       run.modname);
}

static int run_module(void)
{
	unsigned long reports, leaks = 0;
	int ret, err;

	kmod_log_init(run.boot.cfg.seed);
	kmod_kasan_init(run.file);
	kalloc_set_printk(allocator_line, NULL);
	kalloc_set_report_handler(allocator_report, NULL);
	err = kalloc_init(&run.boot.cfg);
	if (err) {
		fprintf(stderr, "kmod: cannot boot the machine: %s\n", strerror(-err));
		return EXIT_USAGE;
	}
	kmod_leak_baseline();
	kalloc_set_task(1, "insmod");
	check_license();
	if (run.fail_nth || run.fail_site || run.discover)
		kalloc_set_fault_hook(should_fail, NULL);
	run.in_init = true;
	ret = __kmod_initcall();
	run.in_init = false;
	kalloc_set_fault_hook(NULL, NULL);
	kmod_log_flush();
	if (ret > 0)
		printk(KERN_WARNING "do_init_module: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
		       run.modname, ret);
	if (ret < 0) {
		fflush(stdout);
		fprintf(stderr, "insmod: ERROR: could not insert module %s: %s\n",
			run.file, strerror(-ret));
	} else {
		if (run.slabinfo)
			kalloc_slabinfo(stdout);
		if (run.buddyinfo)
			kalloc_buddyinfo(stdout);
		fflush(stdout);
	}
	if (ret >= 0 && !&__kmod_exitcall) {
		/* a module without exit cannot be unloaded (it stays loaded) */
		fprintf(stderr, "rmmod: ERROR: could not remove module %s: Device or resource busy\n",
			run.file);
	} else {
		if (ret >= 0) {
			kalloc_set_task(2, "rmmod");
			__kmod_exitcall();
			kmod_log_flush();
		}
		leaks = kmod_leak_report();
	}
	kalloc_validate();
	kmod_log_flush();
	reports = kalloc_report_count() + kmod_warnings;
	kalloc_fini();
	if (run.fail_nth && !run.failed)
		fprintf(stderr, "kmod: --fail-nth %lu: init made only %lu allocations fault injection may fail\n",
			run.fail_nth, run.nr_allocs);
	if (reports) {
		fprintf(stderr, "kmod: %s: %lu report%s%s%s\n", run.file, reports,
			reports == 1 ? "" : "s", run.first_title[0] ? ": " : "",
			run.first_title[0] ? run.first_title : " (WARN)");
		return EXIT_REPORT;
	}
	if (leaks) {
		fprintf(stderr, "kmod: %s: %lu leaked allocation%s\n", run.file,
			leaks, leaks == 1 ? "" : "s");
		return EXIT_LEAK;
	}
	return EXIT_CLEAN;
}

/* ------------------------------------------------------------------ */
/* --fail-each                                                         */
/* ------------------------------------------------------------------ */

/* Run one child, its output captured; returns its exit status (128 + the
 * signal for a crash) and the output in *log (malloc'd). */
static int run_child(unsigned long fail_site, bool discover, char **log,
		     int sites_fd[2])
{
	int out[2], status;
	pid_t pid;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf || pipe(out)) {
		perror("kmod: pipe");
		exit(EXIT_USAGE);
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("kmod: fork");
		exit(EXIT_USAGE);
	}
	if (pid == 0) {
		int rc;

		close(out[0]);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(out[1]);
		run.fail_site = fail_site;
		run.discover = discover;
		rc = run_module();
		fflush(stdout);
		if (discover) {
			ssize_t w = write(sites_fd[1], run.sites,
					  run.nr_sites * sizeof(run.sites[0]));
			(void)w;
		}
		_exit(rc);
	}
	close(out[1]);
	for (;;) {
		ssize_t n;

		if (len + 1024 > cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				break;
			buf = b;
		}
		n = read(out[0], buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(out[0]);
	buf[len] = '\0';
	*log = buf;
	if (waitpid(pid, &status, 0) < 0)
		return EXIT_USAGE;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int fail_each(void)
{
	int sites_fd[2], worst = EXIT_CLEAN, bad = 0;
	char *log;
	ssize_t n;
	unsigned int nr;

	if (pipe(sites_fd)) {
		perror("kmod: pipe");
		return EXIT_USAGE;
	}
	run_child(0, true, &log, sites_fd);
	free(log);
	close(sites_fd[1]);
	n = read(sites_fd[0], run.sites, sizeof(run.sites));
	close(sites_fd[0]);
	nr = n > 0 ? (unsigned int)((size_t)n / sizeof(run.sites[0])) : 0;
	printf("fail-each: init reaches %u allocation site%s\n", nr, nr == 1 ? "" : "s");
	for (unsigned int i = 0; i < nr; i++) {
		char what[512];
		const char *verdict;
		int rc = run_child(run.sites[i].f.caller, false, &log, NULL);

		fault_describe(what, sizeof(what), &run.sites[i].f,
			       run.sites[i].cache);
		verdict = rc == EXIT_CLEAN ? "ok" : rc == EXIT_LEAK ? "leak" :
			  rc == EXIT_REPORT ? "report" : rc > 128 ? "crash" : "error";
		printf("fail-each: site %u/%u (%s): %s\n", i + 1, nr, what, verdict);
		if (rc != EXIT_CLEAN) {
			bad++;
			fputs(log, stdout);
			if (rc > 128)
				printf("fail-each: the run died of signal %d\n", rc - 128);
		}
		free(log);
		if (rc == EXIT_REPORT || rc > 128)
			worst = EXIT_REPORT;
		else if (rc == EXIT_LEAK && worst == EXIT_CLEAN)
			worst = EXIT_LEAK;
		else if (rc == EXIT_USAGE && worst == EXIT_CLEAN)
			worst = EXIT_USAGE;
	}
	printf("fail-each: %d of %u run%s leaked, reported or crashed\n", bad, nr,
	       nr == 1 ? "" : "s");
	return worst;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static int usage(const char *why)
{
	fprintf(stderr, "kmod: %s (usage: MODULE [--name FILE] [--slabinfo] [--buddyinfo] [--fail-nth N] [--fail-each] [-- boot options])\n",
		why);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	run.modname = KBUILD_MODNAME;
	kmod_boot_defaults(&run.boot);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--name") && i + 1 < argc) {
			run.file = argv[++i];
		} else if (!strcmp(a, "--modname") && i + 1 < argc) {
			run.modname = argv[++i];
		} else if (!strcmp(a, "--slabinfo")) {
			run.slabinfo = true;
		} else if (!strcmp(a, "--buddyinfo")) {
			run.buddyinfo = true;
		} else if (!strcmp(a, "--fail-each")) {
			run.fail_each = true;
		} else if (!strcmp(a, "--fail-nth") && i + 1 < argc) {
			char *end;

			errno = 0;
			run.fail_nth = strtoul(argv[++i], &end, 10);
			if (errno || *end || !run.fail_nth || argv[i][0] == '-')
				return usage("--fail-nth takes a number from 1");
		} else if (a[0] == '-' && a[1] == '-') {
			char why[256];

			snprintf(why, sizeof(why), "unknown option %s", a);
			return usage(why);
		} else {
			break;
		}
	}
	if (!run.file)
		run.file = run.modname;
	__this_module.name = run.modname;
	for (; i < argc; i++)
		if (kmod_boot_parse(&run.boot, argv[i], run.modname))
			return EXIT_USAGE;
	kmod_boot_finish(&run.boot);
	if (!&__kmod_initcall) {
		fprintf(stderr, "kmod: %s: no module_init()\n", run.file);
		return EXIT_USAGE;
	}
	if (run.fail_each && run.fail_nth)
		return usage("--fail-each and --fail-nth exclude each other");
	return run.fail_each ? fail_each() : run_module();
}
