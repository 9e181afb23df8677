/*
 * The life cycle of the simulated machine: configuration, init, reset,
 * fini and whole-allocator validation; the simulated CPUs and current task;
 * the operation clock and the seeded random numbers.
 *
 * Init order: arena, buddy, slab, vmalloc, then the snapshots that reset
 * returns to. Reset runs top-down (vmalloc, slab, reclaim, buddy, arena),
 * so that each layer can still look at the layer below while it restores
 * itself. Fini is init in reverse.
 *
 * The machine is single-threaded: simulated CPUs are a current-CPU number
 * (kalloc_set_cpu), not threads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page/buddy.h"
#include "reclaim/reclaim.h"
#include "debug/debug.h"
#include "vmalloc/vmalloc.h"
#include "machine/machine.h"

__machine_state struct kalloc_globals kg;

/* kg.cfg.slab_debug points here: the caller's string need not outlive init. */
static __machine_state char *slab_debug_copy;

#define KALLOC_DEFAULT_PID	1
#define KALLOC_DEFAULT_COMM	"swapper/0"

struct kalloc_config kalloc_config_defaults(void)
{
	struct kalloc_config cfg = {
		.mem_bytes = KALLOC_DEFAULT_MEM_BYTES,
		.dma_bytes = KALLOC_DEFAULT_DMA_BYTES,
		.dma32_bytes = 0,
		.ncpus = KALLOC_DEFAULT_NCPUS,
		.seed = 0,
		.slab_debug = NULL,
		.continue_on_report = false,
		.slab_nomerge = false,
		.freelist_random = true,
		.freelist_hardened = true,
		.init_on_alloc = false,
		.init_on_free = false,
		.page_poison = false,	/* opt-in, as the kernel's page_poison= */
		.quarantine_bytes = 0,
		.vmalloc_bytes = KALLOC_DEFAULT_VMALLOC_BYTES,
		.kasan_off = false,
	};

	return cfg;
}

#define MiB	(1UL << 20)
#define GiB	(1UL << 30)

/*
 * Zero in mem_bytes, ncpus or vmalloc_bytes means the default (dma_bytes
 * and dma32_bytes use zero for "no such zone").
 */
void kalloc_config_fill_defaults(struct kalloc_config *cfg)
{
	if (!cfg->mem_bytes)
		cfg->mem_bytes = KALLOC_DEFAULT_MEM_BYTES;
	if (!cfg->ncpus)
		cfg->ncpus = KALLOC_DEFAULT_NCPUS;
	if (!cfg->vmalloc_bytes)
		cfg->vmalloc_bytes = KALLOC_DEFAULT_VMALLOC_BYTES;
}

/* One "kalloc: <field> ..." line per rejected field. */
static int check_config(struct kalloc_config *cfg)
{
	kalloc_config_fill_defaults(cfg);

	if (!IS_ALIGNED(cfg->mem_bytes, PAGE_SIZE)) {
		printk("kalloc: mem_bytes %zu is not a multiple of PAGE_SIZE\n",
		       cfg->mem_bytes);
		return -EINVAL;
	}
	if (cfg->mem_bytes < MiB || cfg->mem_bytes > 4 * GiB) {
		printk("kalloc: mem_bytes %zu is outside [1 MiB, 4 GiB]\n",
		       cfg->mem_bytes);
		return -EINVAL;
	}
	if (!IS_ALIGNED(cfg->dma_bytes, PAGE_SIZE)) {
		printk("kalloc: dma_bytes %zu is not a multiple of PAGE_SIZE\n",
		       cfg->dma_bytes);
		return -EINVAL;
	}
	if (cfg->dma_bytes >= cfg->mem_bytes) {
		printk("kalloc: dma_bytes %zu must be below mem_bytes %zu\n",
		       cfg->dma_bytes, cfg->mem_bytes);
		return -EINVAL;
	}
	if (!IS_ALIGNED(cfg->dma32_bytes, PAGE_SIZE)) {
		printk("kalloc: dma32_bytes %zu is not a multiple of PAGE_SIZE\n",
		       cfg->dma32_bytes);
		return -EINVAL;
	}
	if (cfg->dma32_bytes &&
	    (cfg->dma32_bytes <= cfg->dma_bytes ||
	     cfg->dma32_bytes > cfg->mem_bytes)) {
		printk("kalloc: dma32_bytes %zu must be 0 or in (dma_bytes %zu, mem_bytes %zu]\n",
		       cfg->dma32_bytes, cfg->dma_bytes, cfg->mem_bytes);
		return -EINVAL;
	}
	if (cfg->ncpus < 1 || cfg->ncpus > KALLOC_MAX_CPUS) {
		printk("kalloc: ncpus %u is outside [1, %d]\n", cfg->ncpus,
		       KALLOC_MAX_CPUS);
		return -EINVAL;
	}
	if (!IS_ALIGNED(cfg->vmalloc_bytes, PAGE_SIZE) ||
	    cfg->vmalloc_bytes < MiB) {
		printk("kalloc: vmalloc_bytes %zu must be a multiple of PAGE_SIZE and at least 1 MiB\n",
		       cfg->vmalloc_bytes);
		return -EINVAL;
	}
	return 0;
}

static void kalloc_boot_state(void)
{
	kg.cpu = 0;
	kg.pid = KALLOC_DEFAULT_PID;
	snprintf(kg.comm, sizeof(kg.comm), "%s", KALLOC_DEFAULT_COMM);
	kg.ops = 0;
	kg.rng = kg.cfg.seed;
	ratelimit_new_interval();
}

/* For arena_snapshot(): a frame that is no free buddy block holds what
 * init left there, which reset puts back. */
static bool frame_in_use(const struct page *page)
{
	return !page_is_free(page);
}

int kalloc_init(const struct kalloc_config *user_cfg)
{
	struct kalloc_config cfg;
	int err;

	if (kg.initialised) {
		printk("kalloc: already initialised\n");
		return -EBUSY;
	}
	cfg = user_cfg ? *user_cfg : kalloc_config_defaults();
	err = check_config(&cfg);
	if (err)
		return err;
	if (cfg.slab_debug) {
		slab_debug_copy = strdup(cfg.slab_debug);
		if (!slab_debug_copy) {
			printk("kalloc: slab_debug: out of host memory\n");
			return -ENOMEM;
		}
		cfg.slab_debug = slab_debug_copy;
	}

	memset(&kg, 0, sizeof(kg));
	kg.cfg = cfg;
	kalloc_boot_state();
	report_counts_reset();
	/* layers' init may allocate and report; they see a live machine */
	kg.initialised = true;

	err = arena_init(&kg.cfg);
	if (err)
		goto fail;
	buddy_set_direct_reclaim(kalloc_reclaim);
	err = buddy_init(&kg.cfg);
	if (err)
		goto fail_arena;
	err = slab_init(&kg.cfg);
	if (err)
		goto fail_buddy;
	err = vmalloc_init(&kg.cfg);
	if (err)
		goto fail_slab;

	arena_snapshot(frame_in_use);
	buddy_snapshot();
	reclaim_snapshot();
	kalloc_boot_state();
	report_counts_reset();
	kg.init_free_pages = nr_free_pages();
	return 0;

fail_slab:
	slab_fini();
fail_buddy:
	buddy_fini();
fail_arena:
	arena_fini();
fail:
	kg.initialised = false;
	free(slab_debug_copy);
	slab_debug_copy = NULL;
	return err;
}

/* The fields whose change needs a new machine: they shape memory. */
bool kalloc_config_same_layout(const struct kalloc_config *a,
			       const struct kalloc_config *b)
{
	const char *da = a->slab_debug, *db = b->slab_debug;

	return a->mem_bytes == b->mem_bytes && a->dma_bytes == b->dma_bytes &&
	       a->dma32_bytes == b->dma32_bytes && a->ncpus == b->ncpus &&
	       a->freelist_random == b->freelist_random &&
	       a->vmalloc_bytes == b->vmalloc_bytes &&
	       a->kasan_off == b->kasan_off &&
	       (da == db || (da && db && !strcmp(da, db)));
}

/*
 * kalloc_reset() and then the knobs that no post-init state depends on.
 * Each is read when it acts, never copied into a cache or page at init:
 * init_on_alloc/init_on_free (page_alloc.c, slab_common.c), page_poison
 * (page_alloc.c: a fill left by the other setting is stale), hardening
 * (the boot caches hold no slab, so no encoded free pointer, at reset),
 * merging (read by kmem_cache_create()), the quarantine budget (its tables
 * are sized from it: rebuilt empty), continue_on_report, and the seed: the
 * only draws init makes are the boot caches' hardening cookies and
 * freelist shuffles, which slab_reseed() makes again in init's order.
 */
int kalloc_reset_config(const struct kalloc_config *user_cfg)
{
	struct kalloc_config cfg;
	int err;

	if (!kg.initialised)
		return -ENODEV;
	cfg = *user_cfg;
	err = check_config(&cfg);
	if (err)
		return err;
	if (!kalloc_config_same_layout(&cfg, &kg.cfg))
		return -EINVAL;
	kalloc_reset();
	if (cfg.quarantine_bytes != kg.cfg.quarantine_bytes) {
		err = quarantine_set_budget(&cfg);
		if (err)
			return err;
	}
	kg.cfg.init_on_alloc = cfg.init_on_alloc;
	kg.cfg.init_on_free = cfg.init_on_free;
	kg.cfg.page_poison = cfg.page_poison;
	kg.cfg.freelist_hardened = cfg.freelist_hardened;
	kg.cfg.slab_nomerge = cfg.slab_nomerge;
	kg.cfg.quarantine_bytes = cfg.quarantine_bytes;
	kg.cfg.continue_on_report = cfg.continue_on_report;
	slab_set_knobs(&kg.cfg);
	if (cfg.seed != kg.cfg.seed) {
		kg.cfg.seed = cfg.seed;
		kg.rng = cfg.seed;
		slab_reseed();
		kalloc_boot_state();
	}
	return 0;
}

void kalloc_reset(void)
{
	if (!kg.initialised)
		return;
	vmalloc_reset();
	slab_reset();
	reclaim_reset();
	buddy_reset();
	arena_reset();
	kalloc_boot_state();
	report_counts_reset();
}

void kalloc_fini(void)
{
	if (!kg.initialised)
		return;
	vmalloc_fini();
	slab_fini();
	reclaim_fini();
	buddy_fini();
	arena_fini();
	memset(&kg, 0, sizeof(kg));
	free(slab_debug_copy);
	slab_debug_copy = NULL;
}

const struct kalloc_config *kalloc_get_config(void)
{
	return kg.initialised ? &kg.cfg : NULL;
}

unsigned long kalloc_init_free_pages(void)
{
	return kg.initialised ? kg.init_free_pages : 0;
}

int kalloc_validate(void)
{
	int problems;

	if (!kg.initialised)
		return 0;
	problems = buddy_validate() + slab_validate() + vmalloc_validate();
	/* a full check covers everything touched so far */
	arena_touch_clear();
	return problems;
}

int kalloc_validate_touched(void)
{
	int problems;

	if (!kg.initialised)
		return 0;
	problems = buddy_validate_touched() + slab_validate_touched() +
		   vmalloc_validate_touched();
	arena_touch_clear();
	return problems;
}

int kalloc_validate_range(const void *addr, size_t len)
{
	if (!kg.initialised)
		return 0;
	return slab_validate_range(addr, len) + kalloc_validate_touched();
}

void kalloc_set_cpu(unsigned int cpu)
{
	if (!kg.initialised)
		return;
	if (cpu >= kg.cfg.ncpus) {
		/* a caller error, not an allocator finding */
		printk("kalloc: kalloc_set_cpu(%u): only %u CPUs; ignored\n",
		       cpu, kg.cfg.ncpus);
		return;
	}
	kg.cpu = cpu;
}

unsigned int smp_processor_id(void)
{
	return kg.cpu;
}

unsigned int num_possible_cpus(void)
{
	return kg.initialised ? kg.cfg.ncpus : 1;
}

void kalloc_set_task(int pid, const char *comm)
{
	kg.pid = pid;
	/* the kernel's comm is TASK_COMM_LEN (16) bytes: longer names are cut */
	snprintf(kg.comm, sizeof(kg.comm), "%s", comm ? comm : "");
}

unsigned long kalloc_op_count(void)
{
	return kg.ops;
}

/* splitmix64: small, fast, and every seed (0 included) gives a good stream. */
uint64_t kalloc_random(void)
{
	uint64_t z = (kg.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
