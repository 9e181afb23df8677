/*
 * pool.c - machines set aside by layout, so that a switch of configuration
 * costs a copy of a few KiB instead of a new machine (kalloc_switch()).
 *
 * A fuzzer's inputs each name a configuration, and libFuzzer picks the
 * input to mutate from the whole corpus, so the layout (mem_bytes, CPUs,
 * slab_debug ...) changes every few inputs; building a machine costs
 * hundreds of host allocations, the kmalloc caches and a mem_map. Here a
 * machine left for another layout is reset, as init left it, and its
 * state put aside: every variable of alloc/ that belongs to the machine
 * sits in the kalloc_machine section (__machine_state, lib/kernel.h), and
 * the host memory those variables point to (caches, mem_map, arena,
 * vmalloc range) stays where it is. Bringing it back copies the section
 * back and resets it with the new input's knobs (kalloc_reset_config()),
 * which costs nothing more since it was reset when it left. Each machine
 * keeps its own arena and vmalloc range (arena.c gives a second machine
 * of one size the next address slot), so nothing it holds moves.
 *
 * What a machine that comes back is: the one kalloc_init() would build
 * for that configuration, by the same contract as any reset. A layout
 * that is not in the pool gets a new machine, built from the section as
 * the program was loaded (a copy taken before main()).
 *
 * The pool holds at most POOL_MACHINES machines and POOL_MEM_BYTES of
 * their memory; the least recently used one goes first, through
 * kalloc_fini(), which parks its memory for a later init of its size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mem/memory.h"
#include "machine/machine.h"

/* Most layouts a campaign keeps live at once: 8 miss 0.3-3% of switches. */
#define POOL_MACHINES	8
#define POOL_MEM_BYTES	(128UL << 20)

extern char __start_kalloc_machine[], __stop_kalloc_machine[];

static struct pooled_machine {
	void *state;			/* the section's bytes; NULL: free */
	struct kalloc_config cfg;	/* its layout (slab_debug: its copy) */
	unsigned long last_used;
} pool[POOL_MACHINES];
static unsigned long pool_clock;
static void *section_at_load;

static size_t section_bytes(void)
{
	return (size_t)(__stop_kalloc_machine - __start_kalloc_machine);
}

/* Before main(): nothing has initialised a machine yet. */
__attribute__((constructor)) static void pool_save_section_at_load(void)
{
	section_at_load = malloc(section_bytes());
	if (section_at_load)
		memcpy(section_at_load, __start_kalloc_machine, section_bytes());
}

static void section_load(const void *state)
{
	memcpy(__start_kalloc_machine, state, section_bytes());
}

/* The machine in the section goes; the section is as at load. */
static void section_clear(void)
{
	section_load(section_at_load);
}

/* Room for one more machine with need bytes of arena? */
static bool pool_has_room(size_t need)
{
	unsigned int used = 0;
	size_t bytes = 0;

	for (unsigned int i = 0; i < POOL_MACHINES; i++) {
		if (!pool[i].state)
			continue;
		used++;
		bytes += pool[i].cfg.mem_bytes;
	}
	return used < POOL_MACHINES && bytes + need <= POOL_MEM_BYTES;
}

static struct pooled_machine *least_recently_used(void)
{
	struct pooled_machine *lru = NULL;

	for (unsigned int i = 0; i < POOL_MACHINES; i++)
		if (pool[i].state && (!lru || pool[i].last_used < lru->last_used))
			lru = &pool[i];
	return lru;
}

/* Tear down a pooled machine; the section must hold nothing live. */
static void pool_drop(struct pooled_machine *m)
{
	section_load(m->state);
	kalloc_fini();
	free(m->state);
	m->state = NULL;
	section_clear();
}

/*
 * The running machine, reset, goes into the pool, making room first; the
 * section is then as at load. Without host memory for its copy it is
 * torn down instead, which loses nothing but the time to build it again.
 */
static void pool_put_running(void)
{
	struct kalloc_config cfg = kg.cfg;
	size_t need = cfg.mem_bytes;
	struct pooled_machine *slot = NULL;
	void *state = section_at_load ? malloc(section_bytes()) : NULL;

	if (!state || need > POOL_MEM_BYTES) {
		free(state);
		kalloc_fini();
		return;
	}
	kalloc_reset();
	memcpy(state, __start_kalloc_machine, section_bytes());
	while (!pool_has_room(need))
		pool_drop(least_recently_used());
	for (unsigned int i = 0; i < POOL_MACHINES && !slot; i++)
		if (!pool[i].state)
			slot = &pool[i];
	slot->state = state;
	slot->cfg = cfg;
	slot->last_used = ++pool_clock;
	section_clear();
}

static struct pooled_machine *pool_find(const struct kalloc_config *cfg)
{
	for (unsigned int i = 0; i < POOL_MACHINES; i++)
		if (pool[i].state && kalloc_config_same_layout(cfg, &pool[i].cfg))
			return &pool[i];
	return NULL;
}

int kalloc_switch(const struct kalloc_config *user_cfg)
{
	struct kalloc_config cfg = user_cfg ? *user_cfg : kalloc_config_defaults();
	struct pooled_machine *m;
	int err;

	kalloc_config_fill_defaults(&cfg);
	if (kg.initialised) {
		if (kalloc_config_same_layout(&cfg, &kg.cfg)) {
			err = kalloc_reset_config(&cfg);
			return err ? err : KALLOC_SWITCH_RESET;
		}
		pool_put_running();
	}
	m = pool_find(&cfg);
	if (!m) {
		err = kalloc_init(&cfg);
		return err ? err : KALLOC_SWITCH_NEW;
	}
	section_load(m->state);
	free(m->state);
	m->state = NULL;
	err = kalloc_reset_config(&cfg);
	return err ? err : KALLOC_SWITCH_POOLED;
}

/* The pooled machines go, then the memory parked by fini. */
void kalloc_release_memory(void)
{
	void *running = NULL;

	if (kg.initialised) {
		running = malloc(section_bytes());
		if (!running) {
			printk("kalloc: no host memory to set the machine aside; the pool stays\n");
			return;
		}
		memcpy(running, __start_kalloc_machine, section_bytes());
		section_clear();
	}
	for (unsigned int i = 0; i < POOL_MACHINES; i++)
		if (pool[i].state)
			pool_drop(&pool[i]);
	if (running) {
		section_load(running);
		free(running);
	}
	arena_release_parked();
}
