/*
 * The recorder's state and helpers shared by its two files: record.c (the
 * core: variables, spelling, the op buffer, notes) and record_calls.c
 * (one wrapper per kalloc function the harness calls). Internal to them.
 */
#ifndef SF_RECORD_INT_H
#define SF_RECORD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kalloc/kalloc.h>

#include "tools/record.h"

#define SFR_MAX_VARS	32768
#define SFR_MAX_ANSWERS	64
#define SFR_MAX_POOL	4096
#define SFR_MAX_OP_PTRS	32

/* What a variable v[k] of the emitted program holds. */
enum sfr_vtype { SFR_MEM, SFR_PAGE, SFR_CACHE };

struct sfr_var {
	uintptr_t val;		/* its value in the recording run */
	size_t extent;		/* bytes (SFR_MEM) or pages (SFR_PAGE) it spans */
	uint8_t type;		/* enum sfr_vtype */
	bool live;		/* not freed yet */
};

struct sfr_state {
	FILE *out;
	int depth;			/* nesting of recorded calls */
	unsigned long ncalls;		/* r[] / q[] slots used */
	struct sfr_var vars[SFR_MAX_VARS];
	int nvars;
	/* the current op and its buffered statements */
	const void *cur_op;
	const char *cur_name;
	unsigned int cur_index;
	gfp_t cur_gfp;			/* the caller GFP the program was last told */
	bool cur_known;
	char *op;
	size_t oplen, opcap;
	char answers[SFR_MAX_ANSWERS][160];
	unsigned int nanswers;
	bool keep_questions;
	/* the op's last allocation, for the checks on its result */
	int last_alloc_var;
	char last_alloc_expr[32];
	/* the last pattern and zero checks the model made */
	const void *pc_p;
	size_t pc_len, pc_limit;
	uint16_t pc_seed;
	const void *zc_p;
	size_t zc_len;
	/* the emitted program's view of the harness's pool */
	const struct page *pool[SFR_MAX_POOL];
	uint32_t npool;
	/* misuse.c's memory no allocator owns */
	const void *wild;
	size_t wild_len;
	/* heapmap */
	const void *op_ptrs[SFR_MAX_OP_PTRS];
	unsigned int nops_ptrs;
	const void *report_addr;
	sfr_finding_fn hook;
	void *hook_arg;
};

extern struct sfr_state sfr;

int sfr_var_new(enum sfr_vtype type, const void *val, size_t extent);
void sfr_var_set(int k, const void *val, size_t extent);
int sfr_var_of(enum sfr_vtype type, const void *p);	/* -1: none */
void sfr_var_kill(enum sfr_vtype type, const void *p);
/* C expressions for a pointer, a struct page and a cache (ring buffers) */
const char *sfr_ptr(const void *p);
const char *sfr_page(const struct page *pg);
const char *sfr_cache(const struct kmem_cache *s);
size_t sfr_extent(const void *p, size_t size);
/* a statement of the current op; question ones are kept only at a finding */
void sfr_emitf(bool question, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* one more conjunct of "the answers the model rejected" */
void sfr_answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sfr_sync(void);
void sfr_note_ptr(const void *p);

#endif /* SF_RECORD_INT_H */
