/*
 * Operation executors (ops.c: the valid operations; misuse.c: deliberate
 * misuse for fuzz_misuse). Internal to harness/.
 */
#ifndef SF_OPS_H
#define SF_OPS_H

#include <stdint.h>

#include "program.h"

#include <stdbool.h>
#include <stddef.h>

#include <kalloc/kalloc.h>

#include "model.h"

void sf_exec_op(unsigned int code, const struct sf_op *op);
void sf_exec_slab_op(unsigned int code, const struct sf_op *op);	/* ops_slab.c */
void sf_exec_page_op(unsigned int code, const struct sf_op *op);	/* ops_pages.c */
void sf_exec_misuse(unsigned int code, const struct sf_op *op);	/* misuse.c */

/* Shared by the op files (ops.c) */
gfp_t sf_op_gfp(const struct sf_op *op, unsigned int i);
/* __GFP_NOFAIL only where the model proves the request can be served */
gfp_t sf_nofail_filter(gfp_t gfp, bool provable);
/* Do init_on_alloc / init_on_free zero an object of such a cache? */
bool sf_slab_init_zeroes(bool poisoned, bool ctor);
bool sf_kmalloc_must_succeed(size_t size, gfp_t gfp);
/* "model: spurious failure ..." */
void sf_spurious(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Describe / check-and-record a kmalloc-family result. */
void sf_kmalloc_newobj(struct sf_newobj *n, enum sf_kind kind, void *p,
		       size_t size, gfp_t gfp);
void sf_kmalloc_result(enum sf_kind kind, void *p, size_t size, gfp_t gfp,
		       bool zero, const char *call);

/* Free a live object the way its kind is freed, checking its pattern. */
void sf_free_object(uint32_t id);
/* Free a cache slot's objects, then destroy it. */
void sf_cache_destroy(unsigned int slot);
/* kalloc_validate() plus the model's pattern checks. */
void sf_do_validate(void);
void sf_register_pool_shrinker(void);

/* Does this op allocate model objects (skipped when the table is full)? */
static inline bool sf_op_allocates(unsigned int code)
{
	switch (code) {
	case SF_OP_KMALLOC: case SF_OP_KZALLOC: case SF_OP_KCALLOC:
	case SF_OP_KMALLOC_ARRAY: case SF_OP_KREALLOC: case SF_OP_KREALLOC_ARRAY:
	case SF_OP_KMEMDUP: case SF_OP_CACHE_ALLOC: case SF_OP_CACHE_ZALLOC:
	case SF_OP_CACHE_ALLOC_BULK: case SF_OP_ALLOC_PAGES: case SF_OP_POOL_ALLOC:
	case SF_OP_VMALLOC: case SF_OP_VZALLOC: case SF_OP_KVMALLOC:
	case SF_OP_KVZALLOC:
		return true;
	default:
		return sf_op_is_misuse((enum sf_opcode)code);
	}
}

#endif /* SF_OPS_H */
