/*
 * Minimal unit-test support shared by tests/test_*.c: registration, checks
 * that name the failing expression, and capture of allocator reports and
 * printk lines so tests can assert exact bug kinds, titles and messages.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kalloc/kalloc.h"

typedef void (*ktest_fn)(void);
void ktest_register(const char *name, ktest_fn fn);

#define KTEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void name##_register(void)	\
	{ ktest_register(#name, name); }				\
	static void name(void)

extern int ktest_failures;
void ktest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond) do {						\
	if (!(cond)) ktest_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) ktest_fail(__FILE__, __LINE__,			\
		"CHECK_EQ(%s, %s): %lld != %lld", #a, #b, _a, _b);	\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || !_b || strcmp(_a, _b)) ktest_fail(__FILE__, __LINE__, \
		"CHECK_STR(%s, %s): \"%s\" != \"%s\"", #a, #b,		\
		_a ? _a : "(null)", _b ? _b : "(null)");		\
} while (0)

#define CHECK_CONTAINS(hay, needle) do {				\
	const char *_h = (hay), *_n = (needle);				\
	if (!_h || !strstr(_h, _n)) ktest_fail(__FILE__, __LINE__,	\
		"CHECK_CONTAINS(%s, \"%s\") in:\n%s", #hay, _n,		\
		_h ? _h : "(null)");					\
} while (0)

/* Captured reports (since the last ktest_capture_clear()). */
#define KTEST_MAX_REPORTS 64
struct ktest_report {
	enum kalloc_bug bug;
	char title[160];
	char cache[64];
	const void *addr;
	char *text;		/* malloc'd copy */
};
extern struct ktest_report ktest_reports[KTEST_MAX_REPORTS];
extern int ktest_nr_reports;
extern char *ktest_log;		/* all printk output, malloc'd, NUL-terminated */

/* Install capture handlers (reports and printk) and clear them. */
void ktest_capture(void);
void ktest_capture_clear(void);
/* Restore the default handlers. */
void ktest_capture_stop(void);

/* Runs fn(arg) in a forked child whose stderr is captured into out
 * (NUL-terminated, truncated to cap-1 bytes; the rest is drained so the
 * child never blocks). In the child, the report/printk capture is
 * stopped and any initialised allocator is torn down first (the arena
 * is a MAP_SHARED memfd, so the child must not touch the parent's
 * frames): fn builds its own machine. The child _exit(0)s if fn returns.
 * Returns the wait status, or -1 if pipe/fork failed. */
int ktest_run_child(void (*fn)(void *arg), void *arg, char *out, size_t cap);

/* kalloc_init with defaults plus continue_on_report; aborts the test on failure. */
void ktest_init_default(void);
/* The defaults with kasan_off: SLUB's own layout and reports, as a build
 * without ASan has them, for tests of those. */
void ktest_init_nokasan(void);
/* Same with a given config (continue_on_report forced on). */
void ktest_init(struct kalloc_config cfg);

#endif /* KTEST_H */
