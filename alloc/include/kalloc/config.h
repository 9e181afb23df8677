/*
 * The configuration of the simulated machine: struct kalloc_config, its
 * defaults and the comparison that says whether a reset can apply a new
 * one. The machine's life cycle (init, reset, fini, validation, CPUs) is
 * in machine.h.
 */
#ifndef KALLOC_CONFIG_H
#define KALLOC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KALLOC_MAX_CPUS 64

struct kalloc_config {
	size_t mem_bytes;	/* simulated physical memory, a multiple of PAGE_SIZE */
	size_t dma_bytes;	/* ZONE_DMA: the first dma_bytes of memory; 0 = none */
	size_t dma32_bytes;	/* ZONE_DMA32 ends at this physical address; 0 = none */
	unsigned int ncpus;	/* simulated CPUs, 1..KALLOC_MAX_CPUS */
	uint64_t seed;		/* the only source of randomness */
	const char *slab_debug;	/* the kernel's slab_debug= syntax; NULL = off */
	bool continue_on_report; /* count reports and go on instead of aborting */
	bool slab_nomerge;	/* no cache aliasing */
	bool freelist_random;	/* CONFIG_SLAB_FREELIST_RANDOM */
	bool freelist_hardened;	/* CONFIG_SLAB_FREELIST_HARDENED */
	bool init_on_alloc;	/* init_on_alloc=1 */
	bool init_on_free;	/* init_on_free=1 */
	bool page_poison;	/* page_poison=1: free frames filled and checked */
	size_t quarantine_bytes; /* KASAN-style free quarantine budget; 0 = off */
	size_t vmalloc_bytes;	/* size of the vmalloc address range */
	/* kasan=off: in an ASan build, slab objects without generic KASAN's
	 * red zones and free/ksize checks (SLUB's own layout and reports,
	 * as without ASan); ignored elsewhere. Default: KASAN on. */
	bool kasan_off;
};

/* The defaults: a small arena that suits fuzzing, hardening on, debug off. */
#define KALLOC_DEFAULT_MEM_BYTES	(16u << 20)
#define KALLOC_DEFAULT_DMA_BYTES	(1u << 20)
#define KALLOC_DEFAULT_NCPUS		2
#define KALLOC_DEFAULT_VMALLOC_BYTES	(64u << 20)

struct kalloc_config kalloc_config_defaults(void);

/* The configuration in force (defaults filled in), or NULL before init. */
const struct kalloc_config *kalloc_get_config(void);

/*
 * Do a and b give memory the same layout (mem_bytes, dma_bytes,
 * dma32_bytes, ncpus, slab_debug, freelist_random, vmalloc_bytes)? Only
 * then can kalloc_reset_config() go from one to the other.
 */
bool kalloc_config_same_layout(const struct kalloc_config *a,
			       const struct kalloc_config *b);

#endif /* KALLOC_CONFIG_H */
