/*
 * The ops every target runs: write (check an object's pattern, write a
 * new one), set_cpu, reclaim, validate and reset.
 */
#include <stdint.h>

#include "model.h"
#include "ops.h"

void sf_exec_write(const struct sf_op *op)
{
	int id = sf_pick_all(op->arg[0]);

	if (id < 0)
		return;
	sf_obj_check_pattern((uint32_t)id, "before write");
	sf_obj_write_pattern((uint32_t)id);
}

void sf_exec_set_cpu(const struct sf_op *op)
{
	kalloc_set_cpu((unsigned int)(op->arg[0] % sf.kcfg.ncpus));
}

void sf_exec_reclaim(const struct sf_op *op)
{
	sf_digest(kalloc_reclaim(sf_op_gfp(op, 0)));
}

void sf_exec_validate(const struct sf_op *op)
{
	(void)op;
	sf_do_validate();
}

/*
 * kalloc_reset() in the middle of a program, with whatever is live: the
 * machine must be as kalloc_init() left it, so every page is free again
 * and every invariant holds before the rest of the program runs. Between
 * inputs the harness resets a machine it has already emptied, which hides
 * state that reset fails to restore; here it is full.
 */
void sf_exec_reset(const struct sf_op *op)
{
	(void)op;
	sf_model_forget_machine();
	kalloc_reset();
	/* reset keeps the shrinkers registered at init only */
	sf_register_pool_shrinker();
	if (sf.raw)
		return;
	sf_check_reset_kept_pages();
	sf_do_validate();
}
