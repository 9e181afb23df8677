/*
 * The executor shared by every fuzz target: one entry point that decodes an
 * input, brings the allocator to its post-init state for the input's
 * configuration (kalloc_init once per distinct configuration, kalloc_reset
 * otherwise), runs the program op by op against the shadow model, and ends
 * with the whole-program checks. A target is nothing but a profile.
 */
#ifndef SF_RUN_H
#define SF_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"

/*
 * A fuzz target is a profile (profiles.c); harness/targets.txt lists the
 * targets, and each binary is harness/target.c built with its profile.
 */
struct sf_profile {
	const char *name;	/* the binary's name: "fuzz_slab" */
	const char *scope;	/* one line: what it covers */
	unsigned int groups;	/* SF_GROUP() bits: the ops it executes; others
				 * are skipped (MISUSE ones run as "write") */
	const char *slab_debug;	/* forced slab_debug= string, NULL = the prefix's */
	bool no_quarantine;	/* force the quarantine off */
	bool pages_only;	/* slab settings (debug, merging, freelist,
				 * CPUs, seed) do not matter: keep them at their
				 * defaults so that inputs share machines */
};

extern const struct sf_profile sf_profile_buddy, sf_profile_slab,
	sf_profile_kmalloc, sf_profile_vmalloc, sf_profile_mixed,
	sf_profile_misuse;
extern const struct sf_profile *const sf_profiles[];
extern const unsigned int sf_nr_profiles;

/* The profile of a target by its binary name ("fuzz_slab"), or NULL. */
const struct sf_profile *sf_profile_by_name(const char *name);

static inline bool sf_profile_runs_misuse(const struct sf_profile *p)
{
	return p->groups & SF_GROUP(MISUSE);
}

/* The libFuzzer entry point each target defines (target.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* The profile of the target linked into this binary (target.c). */
extern const struct sf_profile *const sf_target_profile;

/* One fuzz input. Returns 0; a finding aborts the process. */
int sf_run_input(const struct sf_profile *prof, const uint8_t *data, size_t size);
/* One decoded program. */
void sf_run_program(const struct sf_profile *prof, const struct sf_program *prog);

/* Digest of the outcomes of the last program run (determinism checks). */
uint64_t sf_last_digest(void);
/* Ops executed by the last program (skipped ops not counted). */
unsigned long sf_last_ops(void);

/*
 * Raw mode: the same allocator calls with no oracle (no patterns, index,
 * zero/ctor checks or validation). For measuring the oracle's cost only.
 */
void sf_set_raw(bool raw);

/* Called after every executed op (tests use it to plant bugs). */
typedef void (*sf_op_hook_fn)(unsigned int op_index, void *arg);
void sf_set_op_hook(sf_op_hook_fn fn, void *arg);

/*
 * Every allocator report, with whether the oracle expected it (a misuse
 * window of fuzz_misuse) or it is a finding (then the hook runs before
 * the finding ends the process). The title is the report's ("slab:
 * double free in kmalloc-64"), the text its full kernel-format report. slabfuzz uses it for the title a
 * `detected` regression seed must keep.
 */
typedef void (*sf_report_hook_fn)(const char *title, const char *text,
				  bool expected, void *arg);
void sf_set_report_hook(sf_report_hook_fn fn, void *arg);

/*
 * The model's view of what op i of the running program made, for traces
 * (an op hook may call it for the op just executed): the live object or
 * cache it created, or nothing (a free, a failed allocation, a skipped
 * op). handles.c.
 */
struct sf_op_view {
	bool obj;		/* it made a live object ... */
	unsigned int id;	/* ... the model's object id */
	const void *ptr;	/* what the allocator returned */
	size_t size;		/* bytes asked for */
	const char *label;	/* kmalloc-64, the cache's name, pages, vmalloc ... */
	const char *zone;	/* DMA, DMA32, Normal; "vmalloc" for vmalloc areas */
	unsigned int order;	/* pages: the order */
	bool cache;		/* it made a live cache ... */
	unsigned int slot;	/* ... model cache slot, object size */
	unsigned int object_size;
	unsigned int live;	/* live objects in the model after the op */
};
void sf_op_view(unsigned int op_index, struct sf_op_view *v);

/* For tests and hooks: a live object's pointer and usable size by kind
 * (enum sf_kind in model.h) and position, or NULL. */
void *sf_object(unsigned int kind, unsigned int index, size_t *size);

/*
 * Format-1 handles, for `sfprog upgrade`: with a trace set, handles are
 * resolved as format 1 did (live object number b mod count), and for each
 * op the creating op of what it picked is recorded (SF_V1_NONE: nothing
 * to pick); struct sf_v1_trace is in program.h. NULL: off.
 */
void sf_set_v1_handles(struct sf_v1_trace *trace);

/* Release the allocator and its parked memory (at exit of the replay tool
 * and tests, and in a forked child before it builds its own machine). */
void sf_shutdown(void);

#endif /* SF_RUN_H */
