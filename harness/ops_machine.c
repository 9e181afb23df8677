/*
 * The ops every target runs: write (check an object's pattern, write a
 * new one), set_cpu, reclaim and validate.
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
