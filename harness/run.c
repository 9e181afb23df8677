/*
 * The executor: the allocator's life cycle across inputs, the op loop with
 * its validation after every op, and the whole-program checks at the end.
 *
 * Life cycle: kalloc_switch() before every input. When the input asks for
 * the layout already running, that is kalloc_reset_config(), whose cost is
 * proportional to what the previous input touched and which also sets the
 * knobs that leave the layout alone (init_on_alloc/free, hardening,
 * merging, quarantine). A layout switch sets the running machine aside,
 * reset, and brings back the one last used with the new layout (a new
 * machine only when none is kept), so a switch costs about what a reset
 * does. Under AFL++ the init/reset
 * work runs with coverage off, so that an input's coverage does not depend
 * on the input before it (stability).
 *
 * Validation: kalloc_validate_touched() after every executed op, so a
 * broken invariant is reported at the op that broke it; the model's
 * pattern checks at ops 1, 4, 16, 64, 256 and every 256th; the full
 * kalloc_validate() at the end of every input.
 *
 * SF_STATS=1 in the environment makes the harness time each phase of every
 * input and print one "slabfuzz-stats:" line at exit (ci/bench reads it).
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "ops.h"

#ifdef __AFL_COVERAGE
__AFL_COVERAGE();
#define COVERAGE_OFF()	__AFL_COVERAGE_OFF()
#define COVERAGE_ON()	__AFL_COVERAGE_ON()
#else
#define COVERAGE_OFF()	do { } while (0)
#define COVERAGE_ON()	do { } while (0)
#endif

/* ------------------------------------------------------------------ */
/* The machine across inputs                                           */
/* ------------------------------------------------------------------ */

static bool raw_mode;
static uint64_t last_digest;
static unsigned long last_ops;
static sf_op_hook_fn op_hook;
static void *op_hook_arg;

/*
 * SF_MEM_MIB=N in the environment runs every input with an N MiB arena
 * (4..4096), whatever its prefix asks: for measuring how the per-input
 * cost depends on the arena's size (ci/bench fuzz --arena). 0 when unset.
 */
static size_t forced_mem_bytes(void)
{
	static long mib = -1;

	if (mib < 0) {
		const char *e = getenv("SF_MEM_MIB");

		mib = e ? strtol(e, NULL, 10) : 0;
		if (mib < 4 || mib > 4096)
			mib = 0;
	}
	return (size_t)mib << 20;
}

static void make_config(const struct sf_config *c, const struct sf_profile *p,
			struct kalloc_config *k)
{
	*k = kalloc_config_defaults();
	k->mem_bytes = sf_mem_sizes[c->mem_idx % SF_NR_MEM_SIZES];
	k->dma_bytes = 1u << 20;
	k->dma32_bytes = c->dma32 ? k->mem_bytes / 2 : 0;
	k->continue_on_report = true;
	/* the seed only orders shuffled freelists (and salts the hardening
	 * cookie, which no finding depends on) */
	k->seed = 0x5f00u + (c->freelist_random ? c->seed : 0);
	k->ncpus = c->ncpus;
	k->slab_debug = p->slab_debug ? p->slab_debug
				      : sf_debug_table[c->debug_idx % SF_NR_DEBUG];
	k->slab_nomerge = c->nomerge;
	k->freelist_random = c->freelist_random;
	k->freelist_hardened = !c->unhardened;
	if (p->pages_only) {
		k->seed = 0x5f00u;
		k->slab_debug = NULL;
		k->ncpus = 1;
		k->slab_nomerge = false;
		k->freelist_random = false;
		k->freelist_hardened = true;
	}
	k->init_on_alloc = c->init_on_alloc;
	k->init_on_free = c->init_on_free;
	k->page_poison = c->page_poison;
	k->quarantine_bytes = p->no_quarantine ? 0 :
			      sf_quarantine_sizes[c->quarantine_idx % SF_NR_QUARANTINE];
	/*
	 * Every area takes its pages plus a guard page, so twice the arena
	 * is room for any set of areas the pages allow; fragmentation is
	 * what the model's hole check accounts for. (A bigger range costs:
	 * init and fini touch ASan's shadow of all of it.)
	 */
	k->vmalloc_bytes = 2 * k->mem_bytes;
	if (forced_mem_bytes()) {
		k->mem_bytes = forced_mem_bytes();
		k->dma32_bytes = c->dma32 ? k->mem_bytes / 2 : 0;
		k->vmalloc_bytes = 2 * k->mem_bytes;
	}
}

/* ------------------------------------------------------------------ */
/* Phase timing (SF_STATS=1)                                           */
/* ------------------------------------------------------------------ */

enum sf_phase { PH_SWITCH, PH_RESET, PH_VALIDATE, PH_OPS, PH_TEARDOWN, NR_PH };

static const char *const phase_names[NR_PH] = {
	[PH_SWITCH] = "switch", [PH_RESET] = "reset",
	[PH_VALIDATE] = "validate", [PH_OPS] = "ops",
	[PH_TEARDOWN] = "teardown",
};

static struct {
	int on;			/* -1: environment not read yet */
	unsigned long inputs, ops, switches, new_machines;
	uint64_t ns[NR_PH];
} stats = { .on = -1 };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void stats_print(void)
{
	double n = stats.inputs ? (double)stats.inputs : 1.0;

	fprintf(stderr, "slabfuzz-stats: inputs %lu ops/input %.1f switches %lu new_machines %lu",
		stats.inputs, (double)stats.ops / n, stats.switches,
		stats.new_machines);
	for (int p = 0; p < NR_PH; p++)
		fprintf(stderr, " %s_us %.2f", phase_names[p],
			(double)stats.ns[p] / n / 1000.0);
	fprintf(stderr, "\n");
}

static bool stats_on(void)
{
	if (stats.on < 0) {
		const char *e = getenv("SF_STATS");

		stats.on = e && *e && strcmp(e, "0") != 0;
		if (stats.on)
			atexit(stats_print);
	}
	return stats.on;
}

/* Phase clock: t = stamp(t, phase) adds the time since t to phase. */
static uint64_t stamp(uint64_t t, enum sf_phase p)
{
	uint64_t n;

	if (!stats.on)
		return 0;
	n = now_ns();
	stats.ns[p] += n - t;
	return n;
}

/* ------------------------------------------------------------------ */
/* The machine                                                         */
/* ------------------------------------------------------------------ */

static void machine_prepare(const struct kalloc_config *k)
{
	uint64_t t = stats.on ? now_ns() : 0;
	int how;

	COVERAGE_OFF();
	sf_install_handlers();
	how = kalloc_switch(k);
	if (how < 0)
		sf_finding("kalloc: init failed",
			   "kalloc_switch() = %d for mem %zu, %u cpus, slab_debug %s",
			   how, k->mem_bytes, k->ncpus,
			   k->slab_debug ? k->slab_debug : "off");
	if (how != KALLOC_SWITCH_RESET) {
		stats.switches++;
		stats.new_machines += how == KALLOC_SWITCH_NEW;
		/* the caller charges all of this to reset: move it */
		if (stats.on) {
			uint64_t d = now_ns() - t;

			stats.ns[PH_SWITCH] += d;
			stats.ns[PH_RESET] -= d;
		}
	}
	sf_register_pool_shrinker();
	COVERAGE_ON();
	sf_model_view_machine(k);
	sf_check_reset_kept_pages();
}

void sf_shutdown(void)
{
	if (kalloc_get_config())
		kalloc_fini();
	kalloc_release_memory();
}

/* ------------------------------------------------------------------ */
/* Running a program                                                   */
/* ------------------------------------------------------------------ */

/*
 * The model's checks of every live object's pattern cost what is live, on
 * every call: they run after ops 1, 4, 16, 64 and 256 of a program, then
 * after every 256th, and always at the end.
 */
static bool patterns_due(unsigned long n)
{
	if (n <= 256)
		return n == 1 || n == 4 || n == 16 || n == 64 || n == 256;
	return n % 256 == 0;
}

/* After every op: what it touched, so a finding names this op. */
static void validate_touched(void)
{
	unsigned long before = kalloc_report_count();
	int problems;

	if (sf.raw)
		return;
	problems = kalloc_validate_touched();
	sf_digest((uint64_t)problems);
	if (problems && kalloc_report_count() == before)
		sf_finding("kalloc: validate failed without a report",
			   "kalloc_validate_touched() returned %d", problems);
}

/* Free everything, destroy every cache, shrink: every page must be back. */
static void end_of_program(void)
{
	sf.op = NULL;
	sf.op_name = "end";
	sf_check_all_patterns();
	while (sf.nall)
		sf_free_object(sf.all[sf.nall - 1]);
	while (sf.ncache_list) {
		unsigned int slot = sf.cache_list[sf.ncache_list - 1];

		if (sf.caches[slot].nobjs || sf.caches[slot].misused) {
			/* misuse victims: leave the cache, forget the slot */
			sf.ncache_list--;
			sf.caches[slot].live = false;
			continue;
		}
		sf_cache_destroy(slot);
	}
	sf.caller_gfp = GFP_KERNEL;
	sf.caller_known = true;
	kalloc_reclaim(GFP_KERNEL);
	if (!sf.raw && !sf.nr_zombies && !sf.misuse_done &&
	    nr_free_pages() != kalloc_init_free_pages())
		sf_model_fail("pages leaked", NULL,
			      "%lu free pages after freeing everything, %lu after init",
			      nr_free_pages(), kalloc_init_free_pages());
}

/*
 * The GFP an op's allocations are made with, which reaches a shrinker's
 * shrink_control: the op's GFP argument; ops without one (vmalloc,
 * kmem_cache_create) allocate with GFP_KERNEL.
 */
static gfp_t op_caller_gfp(unsigned int code, const struct sf_op *op)
{
	for (unsigned int i = 0; i < sf_ops[code].nargs; i++)
		if (sf_ops[code].arg[i] == SF_ARG_GFP)
			return sf_op_gfp(op, i);
	return GFP_KERNEL;
}

void sf_run_program(const struct sf_profile *prof, const struct sf_program *prog)
{
	struct kalloc_config k;
	unsigned long executed = 0;
	uint64_t t = stats_on() ? now_ns() : 0;

	make_config(&prog->cfg, prof, &k);
	/* what the previous input left behind is cleaned up outside coverage */
	COVERAGE_OFF();
	sf_model_reset();
	COVERAGE_ON();
	sf.prof = prof;
	sf.raw = raw_mode;
	machine_prepare(&k);
	t = stamp(t, PH_RESET);
	for (unsigned int i = 0; i < prog->nops; i++) {
		const struct sf_op *op = &prog->ops[i];
		unsigned int code = op->code % SF_NR_OPS;

		if (sf_op_is_misuse(code) && !sf_profile_runs_misuse(prof))
			code = SF_OP_WRITE;
		if (!(prof->groups & (1u << sf_ops[code].group)))
			continue;
		if (sf_exec_table[code].allocates && sf_obj_capacity() < 64)
			continue;
		sf.op = op;
		sf.op_index = i;
		sf.op_name = sf_ops[code].name;
		sf.caller_gfp = op_caller_gfp(code, op);
		sf.caller_known = true;
		sf_digest(code);
		sf_exec_op(code, op);
		executed++;
		if (op_hook)
			op_hook(i, op_hook_arg);
		t = stamp(t, PH_OPS);
		validate_touched();
		if (!sf.raw && patterns_due(executed))
			sf_check_all_patterns();
		t = stamp(t, PH_VALIDATE);
	}
	end_of_program();
	t = stamp(t, PH_TEARDOWN);
	sf_do_validate();
	stamp(t, PH_VALIDATE);
	stats.inputs++;
	stats.ops += executed;
	sf.caller_known = false;
	last_digest = sf.digest;
	last_ops = executed;
	sf.op = NULL;
	sf.op_name = NULL;
}

int sf_run_input(const struct sf_profile *prof, const uint8_t *data, size_t size)
{
	static struct sf_program prog;

	sf_decode(data, size, &prog);
	sf_run_program(prof, &prog);
	return 0;
}

uint64_t sf_last_digest(void)
{
	return last_digest;
}

unsigned long sf_last_ops(void)
{
	return last_ops;
}

void sf_set_raw(bool raw)
{
	raw_mode = raw;
}

void sf_set_op_hook(sf_op_hook_fn fn, void *arg)
{
	op_hook = fn;
	op_hook_arg = arg;
}

void *sf_object(unsigned int kind, unsigned int index, size_t *size)
{
	uint32_t id;

	if (kind >= SF_NR_KINDS || index >= sf.nlist[kind])
		return NULL;
	id = sf.list[kind][index];
	if (size)
		*size = sf.objs[id].size;
	return sf.objs[id].ptr;
}
