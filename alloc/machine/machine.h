/*
 * machine.h - what the machine layer's files share: the configuration's
 * defaults, which the pool needs to compare layouts as kalloc_init() will
 * see them.
 */
#ifndef KALLOC_MACHINE_MACHINE_H
#define KALLOC_MACHINE_MACHINE_H

#include "lib/kernel.h"

/* A zero mem_bytes, ncpus or vmalloc_bytes becomes its default. */
void kalloc_config_fill_defaults(struct kalloc_config *cfg);

#endif /* KALLOC_MACHINE_MACHINE_H */
