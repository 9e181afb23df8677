/*
 * lib/kernel.h - what every layer of the allocator uses: kernel-style
 * helpers and list_head, the running machine's configuration, CPU, task and
 * op clock (kg, owned by machine/kalloc.c, read by every layer as the
 * kernel's code reads smp_processor_id() and current), printk and the
 * report plumbing (lib/report.c), and the pointer format of reports.
 * The lowest layer: it includes nothing of alloc/ but the public API.
 */
#ifndef KALLOC_LIB_KERNEL_H
#define KALLOC_LIB_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kalloc/kalloc.h"

/* ------------------------------------------------------------------ */
/* Small kernel-style helpers                                          */
/* ------------------------------------------------------------------ */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))
/*
 * Kept out of line: the fuzz builds' coverage ignorelist names per-page
 * helpers, and a helper inlined into an instrumented caller is
 * instrumented as part of that caller.
 */
#define __noinline		__attribute__((__noinline__))
/*
 * The state of one simulated machine: every variable of alloc/ that
 * belongs to the machine and not to the process goes into one section, so
 * that machine/pool.c can set a machine aside and bring it back whole, by
 * copying the section (as the kernel's DEFINE_PER_CPU variables sit in one
 * section that is copied once per CPU). Left out: what the process owns
 * (registered hooks and sinks, report counts, parked memory, caches of
 * host facts) and scratch buffers no state outlives a call in. The name is
 * a C identifier, so the linker provides __start_/__stop_ symbols, and
 * neither ASan puts red zones between the section's variables.
 */
#define __machine_state		__attribute__((section("kalloc_machine")))

struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each(pos, h) \
	for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_for_each_safe(pos, n, h) \
	for (pos = (h)->next, n = pos->next; pos != (h); pos = n, n = pos->next)


/* ------------------------------------------------------------------ */
/* machine/kalloc.c: life cycle, CPUs, tasks, the op clock            */
/* ------------------------------------------------------------------ */

struct kalloc_globals {
	bool initialised;
	struct kalloc_config cfg;
	unsigned int cpu;		/* smp_processor_id() */
	int pid;
	char comm[16];
	unsigned int task_flags;	/* current->flags: PF_MEMALLOC */
	unsigned long ops;		/* allocator operations: "age=" clock */
	uint64_t rng;			/* state of the seeded generator */
	unsigned long init_free_pages;	/* nr_free_pages() once init is done */
};

extern struct kalloc_globals kg;

/* current->flags bits (include/linux/sched.h) */
#define PF_MEMALLOC		0x00000800	/* inside reclaim: may use the reserves */

/* Set while reclaim runs (reclaim/reclaim.c): no nested reclaim, and the
 * allocations it makes may dip into the reserves. */
static inline bool current_in_reclaim(void)
{
	return kg.task_flags & PF_MEMALLOC;
}

/* Counts one allocator operation (for track ages). */
static inline void kalloc_tick(void)
{
	kg.ops++;
}

/* Deterministic random numbers from cfg.seed (splitmix64). */
uint64_t kalloc_random(void);

/* ------------------------------------------------------------------ */
/* lib/report.c                                                       */
/* ------------------------------------------------------------------ */

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* printk("%s", text) without formatting it again: a built report's text */
void printk_text(const char *text);

/*
 * include/linux/ratelimit.h: at most burst messages per interval. The
 * kernel's interval is DEFAULT_RATELIMIT_INTERVAL (5 s of jiffies); here it
 * is one run of the machine, from kalloc_init() or kalloc_reset() to the
 * next reset, so that what an input prints never depends on the clock or
 * on the inputs before it. What was suppressed is dropped: the kernel
 * prints "callbacks suppressed" at the first call of the next interval,
 * which here would be the next input's log (DEVIATIONS.md).
 */
struct ratelimit_state {
	int burst;
	int printed;
	unsigned long interval;		/* ratelimit_interval when last used */
};

#define DEFAULT_RATELIMIT_BURST	10
#define DEFINE_RATELIMIT_STATE(name, burst_init) \
	struct ratelimit_state name = { .burst = (burst_init) }

/* Nonzero when the caller may print. */
int __ratelimit(struct ratelimit_state *rs);
/* A new interval for every ratelimit state: at machine init and reset. */
void ratelimit_new_interval(void);

/*
 * A report under construction: layers append kernel-format text, then
 * report_emit() hands it to the handler (and counts it).
 */
struct report_buf {
	char *text;
	size_t len, cap;
};

void report_init(struct report_buf *rb);
void report_add(struct report_buf *rb, const char *fmt, ...) __printf(2, 3);
void report_puts(struct report_buf *rb, const char *s);	/* as it is */
void report_hexdump(struct report_buf *rb, const char *prefix,
		    const void *addr, size_t len);
/* title: printf-style, stable and free of addresses. Frees rb. */
void report_emit(struct report_buf *rb, enum kalloc_bug bug, const char *cache,
		 const void *addr, const char *title_fmt, ...) __printf(5, 6);
/* One-shot report with a one-line body. */
void report_simple(enum kalloc_bug bug, const char *cache, const void *addr,
		   const char *title, const char *body_fmt, ...) __printf(5, 6);
/* Internal invariant broken: text "kalloc: invariant: ...", title "invariant: ..." */
void report_internal(const char *fmt, ...) __printf(1, 2);
void report_counts_reset(void);
/* Reports of one kind since init or reset. */
unsigned long report_count_kind(enum kalloc_bug bug);

/* The flag names of "gfp_mask=0x%x(GFP_KERNEL|__GFP_ZERO)", as %pGg prints
 * them: buf gets only "GFP_KERNEL|__GFP_ZERO" (empty for 0). */
void format_gfp(char *buf, size_t len, gfp_t gfp);

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/* Pointers in reports print as the kernel's "0x%p" does with hashing off:
 * "0x" and 16 hex digits (glibc's %p would add its own 0x, or "(nil)"). */
#define PTR_FMT		"0x%016lx"
#define PTR(p)		((unsigned long)(uintptr_t)(p))

/* Pointers are printed (PTR_FMT), encoded (freelist_ptr_encode, with a
 * 64-bit byte swap) and stored in free objects as one unsigned long. */
_Static_assert(sizeof(unsigned long) == 8 && sizeof(void *) == 8,
	       "pointers and unsigned long are 64 bits");

#endif /* KALLOC_LIB_KERNEL_H */
