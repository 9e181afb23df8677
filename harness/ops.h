/*
 * The executor's contract: the exec half of the op table, the exec
 * function of every op (one per optable.h row, defined in the op file of
 * its group), and the helpers the op files share (ops_common.c). The op
 * files (ops_kmalloc.c, ops_slab.c, ops_pages.c, ops_vmalloc.c,
 * ops_machine.c, misuse.c) call the model and these helpers, never each
 * other. Internal to harness/.
 */
#ifndef SF_OPS_H
#define SF_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kalloc/kalloc.h>

#include "model.h"
#include "program.h"

/* The exec columns of an op table row (exec.c). */
struct sf_exec_desc {
	void (*exec)(const struct sf_op *op);
	bool allocates;		/* may add model objects: skipped when the
				 * object table is nearly full */
};
extern const struct sf_exec_desc sf_exec_table[SF_NR_OPS];

/* One exec function per op table row. */
#define SF_OP(code, name, group, alloc, exec, ...) void exec(const struct sf_op *op);
#include "optable.h"
#undef SF_OP

/* ------------------------------------------------------------------ */
/* Shared helpers (ops_common.c)                                       */
/* ------------------------------------------------------------------ */

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
/* The name of a cache slot: sfcache<slot>. */
extern const char *const sf_cache_names[SF_MAX_CACHES];
/* Up to max live objects allocated through a cache slot. */
size_t sf_cache_objects(unsigned int slot, uint32_t *ids, size_t max);
/* Take a cache slot off the live list. */
void sf_cache_unlist(unsigned int slot);
/* Free a cache slot's objects, then destroy it. */
void sf_cache_destroy(unsigned int slot);
/* kalloc_validate() plus the model's pattern checks. */
void sf_do_validate(void);
/* The harness's shrinker over the pool pages (SF_K_POOL). */
void sf_register_pool_shrinker(void);
/* After a reset, every page is free again, as the machine's init left it. */
void sf_check_reset_kept_pages(void);

/* Run one op (the profile has already chosen to). */
static inline void sf_exec_op(unsigned int code, const struct sf_op *op)
{
	sf_exec_table[code].exec(op);
}

#endif /* SF_OPS_H */
