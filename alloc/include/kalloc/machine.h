/*
 * The life cycle of the simulated machine: init, reset (with a new
 * configuration), fini, whole-allocator validation, simulated CPUs and
 * tasks, its address ranges and the /proc-style dumps.
 */
#ifndef KALLOC_MACHINE_H
#define KALLOC_MACHINE_H

#include <stdio.h>

#include "config.h"

/*
 * Build the machine. NULL means kalloc_config_defaults(); a zero mem_bytes,
 * ncpus or vmalloc_bytes takes its default. A bad configuration prints one
 * "kalloc: ..." line and returns a negative errno, leaving nothing
 * half-built. Returns -EBUSY if already initialised.
 */
int kalloc_init(const struct kalloc_config *cfg);

/* Back to the state just after kalloc_init(); costs what was used since. */
void kalloc_reset(void);

/*
 * Reset, then apply the knobs of cfg that leave memory's layout alone:
 * init_on_alloc, init_on_free, page_poison, freelist_hardened, slab_nomerge,
 * quarantine_bytes, continue_on_report and seed. Costs what kalloc_reset()
 * costs, plus rebuilding the empty quarantine when its budget changes and
 * redrawing the kmalloc caches' cookies and freelist orders when the seed
 * does; the machine is then the one kalloc_init(cfg) would have built.
 * -EINVAL when a layout field differs (mem_bytes, dma_bytes, dma32_bytes,
 * ncpus, slab_debug, freelist_random, vmalloc_bytes, kasan_off: see
 * kalloc_config_same_layout): fini and init for those. -ENODEV before init.
 */
int kalloc_reset_config(const struct kalloc_config *cfg);

/*
 * Tear the machine down. Its memory (memfd, mappings, mem_map) is parked
 * for the next kalloc_init() of the same mem_bytes and vmalloc_bytes,
 * which then costs no system call; kalloc_release_memory() tears down the
 * machines kalloc_switch() set aside and gives all parked memory back to
 * the host.
 */
void kalloc_fini(void);
void kalloc_release_memory(void);

/*
 * The machine kalloc_init(cfg) would build, whatever ran before, for a
 * caller that moves between configurations (a fuzzer): the running one
 * when its layout is cfg's (kalloc_reset_config()), else one set aside
 * earlier with that layout, else a new one. A machine left for another
 * layout is reset and set aside whole, its memory and host structures
 * kept, rather than torn down; a few are kept (least recently used go
 * first, through kalloc_fini()). Returns how the machine came, or a
 * negative errno as kalloc_init() and kalloc_reset_config() do.
 */
enum kalloc_switch_how {
	KALLOC_SWITCH_RESET,	/* the running machine, reset */
	KALLOC_SWITCH_POOLED,	/* one set aside earlier, reset */
	KALLOC_SWITCH_NEW,	/* built by kalloc_init() */
};
int kalloc_switch(const struct kalloc_config *cfg);

/* nr_free_pages() just after kalloc_init(): what every reset gives back. */
unsigned long kalloc_init_free_pages(void);

/*
 * Check every invariant of every layer; each problem is reported
 * (KALLOC_BUG_INTERNAL or the kind of corruption found). Returns the number
 * of problems.
 */
int kalloc_validate(void);

/*
 * The incremental check: only the struct pages, slabs, caches, zones and
 * vmalloc areas touched since the last kalloc_validate_touched() (or
 * reset), cheap enough to run after every operation. Reports as
 * kalloc_validate() does; returns the number of problems.
 */
int kalloc_validate_touched(void);

/*
 * After a store the allocator did not make into [addr, addr + len) (a
 * stray write, as a fuzz oracle's deliberate misuse is): each slab holding
 * part of it gets the full check, its objects' red zones and poison
 * included (as a write to the cache's sysfs "validate" file would), then
 * kalloc_validate_touched() runs. Costs the slabs hit, not the machine.
 * Addresses outside the linear map are left to the incremental check.
 */
int kalloc_validate_range(const void *addr, size_t len);

/* Simulated CPUs: the current CPU decides which per-CPU slab is used. */
void kalloc_set_cpu(unsigned int cpu);
unsigned int smp_processor_id(void);
unsigned int num_possible_cpus(void);

/* The "current task" recorded in tracks and named in Bad page state reports. */
void kalloc_set_task(int pid, const char *comm);

/* Allocator operations since init or reset: the clock of "age=" in tracks. */
unsigned long kalloc_op_count(void);

/* Address ranges, for checks by callers and fuzz oracles. */
void kalloc_linear_range(void **start, void **end);	/* [start, end) */
void kalloc_vmalloc_range(void **start, void **end);	/* [start, end) */

/* /proc/buddyinfo and /proc/slabinfo formats. */
void kalloc_buddyinfo(FILE *out);
void kalloc_slabinfo(FILE *out);

#endif /* KALLOC_MACHINE_H */
