/*
 * The exec columns of the op table (optable.h): for every opcode, the
 * function that runs it and whether it may add objects to the model. The
 * format's columns (name, group, argument kinds) are expanded by
 * program.c from the same rows, so the two can never disagree.
 */
#include "ops.h"

const struct sf_exec_desc sf_exec_table[SF_NR_OPS] = {
#define SF_OP(code, nm, grp, alloc, fn, ...)				\
	[SF_OP_##code] = { .exec = fn, .allocates = alloc },
#include "optable.h"
#undef SF_OP
};
