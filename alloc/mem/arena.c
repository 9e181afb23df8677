/*
 * Simulated physical memory: the page frames, mem_map, the linear map and
 * the address conversions, the dirty tracking that makes kalloc_reset()
 * cost what was used rather than what exists, the "touched" tracking of
 * the incremental check, and the fill of free frames.
 *
 * Physical memory is a memfd of mem_bytes, mapped MAP_SHARED at arena.base:
 * that mapping is the kernel's linear ("direct") map, so
 * virt = phys + PAGE_OFFSET with PAGE_OFFSET = arena.base. The memfd stays
 * open because vmalloc.c maps the same frames a second time at vmalloc
 * addresses, as the kernel's page tables do. The vmalloc range itself is
 * reserved here (PROT_NONE) and run by vmalloc.c.
 *
 * Both mappings are first tried at fixed addresses so that addresses in
 * reports read the same from run to run; if the address is taken (another
 * arena, a sanitizer's own region) any address will do. Nothing may depend
 * on the address. The linear map's hint is 0x520000000000 rather than
 * 0x600000000000 because ASan's (and LSan's) allocator owns
 * [0x600000000000, 0x640000000000) on x86-64, so that address would never
 * be free in the sanitizer builds that tests and fuzzing use; 0x52... is
 * free under ASan and is application memory under MSan too. Each power of
 * two of the size has its own 64 GiB window above the hint (the default
 * size at the hint itself), because parked arenas of other sizes stay
 * mapped: [0x520000000000, 0x530000000000) and [0x700000000000,
 * 0x720000000000) hold them all.
 *
 * Parking: kalloc_fini() does not unmap. Creating a memfd, mapping it,
 * faulting its pages in, allocating mem_map and ASan's shadow of both
 * ranges cost about 3 ms, more than a hundred fuzz inputs' worth of work,
 * and a fuzzer switches configuration every few inputs. So fini puts the
 * frames it knows were used back into their just-created state (cost: what
 * was used), and the next kalloc_init() of the same mem_bytes and
 * vmalloc_bytes takes the memory back; only mem_map and the per-pfn arrays
 * are cleared, O(nr_pages) of host memory and no system call. A few sizes
 * stay parked (ARENA_PARKED); arena_release_parked() unmaps them all.
 *
 * mem_map lives in host memory, outside the arena. The kernel keeps it in
 * memory that kernel code can scribble on too, but here the arena is what
 * the code under test gets pointers into: a wild write into a page frame
 * must never be able to rewrite the allocator's own metadata, or the fuzz
 * oracle could not trust what the allocator says about itself. This is
 * also what makes the validators proportional to use: a struct page that
 * no allocator path touched since reset is still byte for byte the one
 * arena_snapshot() saw, whatever the code under test wrote into frames.
 *
 * Dirty tracking: any code that changes a struct page, or hands a frame
 * out, calls page_mark_dirty() first. arena_snapshot() copies mem_map once
 * all layers are initialised; arena_reset() restores each dirty struct page
 * from that copy and the frames some layer held at init; it does not touch
 * any other frame.
 *
 * Free frames: arena.fill[] says what a free frame holds. Under
 * page_poison=1 (kalloc_config.page_poison, off by default as in the
 * kernel) a free writes PAGE_POISON (zero under init_on_free) and sets the
 * fill; handing the frame out checks it ("pagealloc: memory corruption",
 * page_poison.c) and then writes what the caller may see. Without it a free
 * writes nothing (zeros under init_on_free) and the frame keeps what its
 * owner wrote (FRAME_OWNER), as in the kernel, so freeing and allocating a
 * large block costs no frame traffic. A fill from before the last reset is
 * stale: compared at hand-out (an intact frame is not rewritten) but never
 * reported, since an earlier input may have damaged it; a frame whose fill
 * is unknown (a page the kernel never poisoned, fresh memory) is written
 * at hand-out. Reset writes no frame, a frame that was handed out and never
 * written costs nothing there, and a frame a caller gets without
 * __GFP_ZERO for the first time holds PAGE_POISON, never the zeros of
 * fresh memory, so a missing zeroing shows on the first allocation; under
 * page_poison every such frame does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem/memory.h"

#define ARENA_LINEAR_HINT	0x520000000000UL
#define ARENA_VMALLOC_HINT	0x700000000000UL
/* A 64 GiB window per power of two of the size, the default size first. */
#define ARENA_WINDOW		(1UL << 36)
#define ARENA_LINEAR_SLOT(lg)	(((lg) - 24u) & 15u)	/* 16 MiB default */
#define ARENA_VMALLOC_SLOT(lg)	(((lg) - 26u) & 31u)	/* 64 MiB default */
#define ARENA_PARKED		4

__machine_state struct arena arena = { .memfd = -1 };

/* Frames held by some layer when the snapshot was taken, with contents. */
static __machine_state struct init_frame {
	unsigned long pfn;
	void *data;
} *init_frames;
static __machine_state unsigned long nr_init_frames;


/* Memory of finished machines, waiting for an init of the same size. */
static struct arena parked[ARENA_PARKED];
static unsigned long park_clock;
static unsigned long parked_at[ARENA_PARKED];

static unsigned int ilog2_size(size_t x)
{
	return x ? 63u - (unsigned int)__builtin_clzl(x) : 0;
}

/*
 * The first free slot of the size's window: a machine of this size set
 * aside in the pool (machine/pool.c) or parked keeps the first, and the
 * next machine of the size takes the one after, so the address a machine
 * gets depends only on which others are live, never on the host's layout
 * randomisation. Slots are twice the size apart, the window holds at
 * least eight of the largest.
 */
static void *map_at_hint(uintptr_t window, size_t bytes, int prot, int flags,
			 int fd)
{
	size_t stride = (size_t)2 << ilog2_size(bytes);
	void *p;

	for (uintptr_t at = window; at + bytes <= window + ARENA_WINDOW;
	     at += stride) {
		p = mmap((void *)at, bytes, prot, flags | MAP_FIXED_NOREPLACE,
			 fd, 0);
		if (p != MAP_FAILED)
			return p;
		if (errno != EEXIST)
			break;	/* a kernel without MAP_FIXED_NOREPLACE ... */
	}
	/* ... or a full window: any address */
	p = mmap(NULL, bytes, prot, flags, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void arena_unmap(struct arena *a)
{
	/* ASan's shadow outlives munmap(): a later mapping at the same
	 * address must not inherit this one's poison */
	if (a->base) {
		kasan_unpoison(a->base, a->bytes);
		munmap(a->base, a->bytes);
	}
	if (a->vmalloc_start) {
		kasan_unpoison(a->vmalloc_start,
			       (size_t)(a->vmalloc_end - a->vmalloc_start));
		munmap(a->vmalloc_start,
		       (size_t)(a->vmalloc_end - a->vmalloc_start));
	}
	if (a->memfd >= 0)
		close(a->memfd);
	free(a->mem_map);
	free(a->mem_map_init);
	free(a->dirty);
	free(a->dirty_list);
	free(a->touched);
	free(a->touched_list);
	free(a->fill);
	free(a->vmap_host_pfn);
	free(a->vmap_pages);
	memset(a, 0, sizeof(*a));
	a->memfd = -1;
}

/* A parked arena of this geometry becomes the arena (true), or none. */
static bool arena_unpark(size_t bytes, size_t vmalloc_bytes)
{
	for (unsigned int i = 0; i < ARENA_PARKED; i++) {
		struct arena *a = &parked[i];

		if (!a->base || a->bytes != bytes ||
		    (size_t)(a->vmalloc_end - a->vmalloc_start) != vmalloc_bytes)
			continue;
		arena = *a;
		memset(a, 0, sizeof(*a));
		a->memfd = -1;
		return true;
	}
	return false;
}

static int arena_create(const struct kalloc_config *cfg)
{
	unsigned int lg = ilog2_size(cfg->mem_bytes);
	unsigned int vlg = ilog2_size(cfg->vmalloc_bytes);

	arena.memfd = memfd_create("kalloc-physmem", MFD_CLOEXEC);
	if (arena.memfd < 0) {
		printk("kalloc: memfd_create failed: %s\n", strerror(errno));
		return -errno;
	}
	if (ftruncate(arena.memfd, (off_t)arena.bytes) < 0) {
		printk("kalloc: mem_bytes %zu: ftruncate failed: %s\n",
		       arena.bytes, strerror(errno));
		return -errno;
	}
	arena.base = map_at_hint(ARENA_LINEAR_HINT + ARENA_LINEAR_SLOT(lg) * ARENA_WINDOW,
				 arena.bytes, PROT_READ | PROT_WRITE,
				 MAP_SHARED, arena.memfd);
	if (!arena.base) {
		printk("kalloc: mem_bytes %zu: cannot map the arena\n",
		       arena.bytes);
		return -ENOMEM;
	}
	arena.vmalloc_start = map_at_hint(ARENA_VMALLOC_HINT +
					  ARENA_VMALLOC_SLOT(vlg) * ARENA_WINDOW,
					  cfg->vmalloc_bytes, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS |
					  MAP_NORESERVE, -1);
	if (!arena.vmalloc_start) {
		printk("kalloc: vmalloc_bytes %zu: cannot reserve the range\n",
		       cfg->vmalloc_bytes);
		return -ENOMEM;
	}
	arena.vmalloc_end = arena.vmalloc_start + cfg->vmalloc_bytes;

	arena.mem_map = malloc(arena.nr_pages * sizeof(struct page));
	arena.dirty = calloc(arena.nr_pages, 1);
	arena.dirty_list = malloc(arena.nr_pages * sizeof(unsigned long));
	arena.touched = malloc(arena.nr_pages * sizeof(uint32_t));
	arena.touched_list = malloc(arena.nr_pages * sizeof(unsigned long));
	arena.fill = malloc(arena.nr_pages);
	if (!arena.mem_map || !arena.dirty || !arena.dirty_list ||
	    !arena.touched || !arena.touched_list || !arena.fill) {
		printk("kalloc: mem_bytes %zu: no host memory for mem_map\n",
		       arena.bytes);
		return -ENOMEM;
	}
	return 0;
}

int arena_init(const struct kalloc_config *cfg)
{
	bool parked_memory;
	int err;

	memset(&arena, 0, sizeof(arena));
	arena.memfd = -1;
	parked_memory = arena_unpark(cfg->mem_bytes, cfg->vmalloc_bytes);
	if (!parked_memory) {
		arena.bytes = cfg->mem_bytes;
		arena.nr_pages = cfg->mem_bytes >> PAGE_SHIFT;
		err = arena_create(cfg);
		if (err) {
			arena_unmap(&arena);
			return err;
		}
	}
	/*
	 * The state of a new arena, whoever had this memory before. mem_map
	 * is host memory ASan never poisons: the nocheck helpers here and in
	 * arena_snapshot() skip the interceptors' range checks of a whole
	 * mem_map at every machine switch.
	 */
	kasan_memset_nocheck(arena.mem_map, 0, arena.nr_pages * sizeof(struct page));
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++)
		arena.mem_map[pfn]._mapcount = -1;
	memset(arena.touched, 0, arena.nr_pages * sizeof(uint32_t));
	if (parked_memory) {
		/* frames keep what the last machine's frees wrote, unchecked */
		for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++)
			arena.fill[pfn] = frame_fill_stale(arena.fill[pfn]);
	} else {
		memset(arena.fill, FRAME_UNKNOWN, arena.nr_pages);
	}
	arena.touch_gen = 1;
	arena.nr_touched = 0;
	arena.nr_dirty = 0;
	arena.snapshotted = false;
	return 0;
}

void __page_touch(unsigned long pfn)
{
	arena.touched[pfn] = arena.touch_gen;
	arena.touched_list[arena.nr_touched++] = pfn;
	if (!arena.dirty[pfn]) {
		arena.dirty[pfn] = 1;
		arena.dirty_list[arena.nr_dirty++] = pfn;
	}
}

void arena_touch_clear(void)
{
	arena.nr_touched = 0;
	if (++arena.touch_gen == 0) {
		/* wrapped: no stale mark may equal the new generation */
		memset(arena.touched, 0, arena.nr_pages * sizeof(uint32_t));
		arena.touch_gen = 1;
	}
}

static int init_frame_cmp(const void *a, const void *b)
{
	unsigned long x = ((const struct init_frame *)a)->pfn;
	unsigned long y = ((const struct init_frame *)b)->pfn;

	return x < y ? -1 : x > y;
}

static void __noreturn snapshot_oom(void)
{
	printk("kalloc: no host memory for the frame snapshot\n");
	abort();
}

/*
 * Called once every layer is initialised. Frames dirtied during init that
 * are still allocated belong to some layer's boot-time state: keep their
 * contents so that a reset can put them back.
 */
void arena_snapshot(bool (*frame_in_use)(const struct page *page))
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < nr_init_frames; i++)
		free(init_frames[i].data);
	free(init_frames);
	init_frames = NULL;
	nr_init_frames = 0;
	/* a parked arena brings its buffer along */
	if (!arena.mem_map_init)
		arena.mem_map_init = malloc(arena.nr_pages * sizeof(struct page));
	if (!arena.mem_map_init) {
		printk("kalloc: no host memory for the mem_map snapshot\n");
		abort();
	}
	kasan_memcpy_nocheck(arena.mem_map_init, arena.mem_map,
			     arena.nr_pages * sizeof(struct page));
	arena.snapshotted = true;
	arena.shadow_poisoned = false;	/* boot is over: the layers keep it */

	for (unsigned long i = 0; i < arena.nr_dirty; i++)
		if (frame_in_use(&arena.mem_map[arena.dirty_list[i]]))
			n++;
	if (n) {
		init_frames = calloc(n, sizeof(*init_frames));
		if (!init_frames)
			snapshot_oom();
		for (unsigned long i = 0; i < arena.nr_dirty; i++) {
			unsigned long pfn = arena.dirty_list[i];
			void *copy;

			if (!frame_in_use(&arena.mem_map[pfn]))
				continue;
			copy = malloc(PAGE_SIZE);
			if (!copy)
				snapshot_oom();
			kasan_memcpy_nocheck(copy, arena.base + (pfn << PAGE_SHIFT),
					     PAGE_SIZE);
			init_frames[nr_init_frames].pfn = pfn;
			init_frames[nr_init_frames].data = copy;
			nr_init_frames++;
		}
		qsort(init_frames, nr_init_frames, sizeof(*init_frames),
		      init_frame_cmp);
	}

	for (unsigned long i = 0; i < arena.nr_dirty; i++)
		arena.dirty[arena.dirty_list[i]] = 0;
	arena.nr_dirty = 0;
	arena_touch_clear();
}

static const void *init_frame_data(unsigned long pfn)
{
	struct init_frame key = { .pfn = pfn }, *f;

	if (!nr_init_frames)
		return NULL;
	f = bsearch(&key, init_frames, nr_init_frames, sizeof(*init_frames),
		    init_frame_cmp);
	return f ? f->data : NULL;
}

/*
 * Each dirty struct page goes back to its snapshot, and its frame's fill
 * to what the snapshot saw. Its shadow is as init left it, whatever the
 * debug layer or a caller left there: clear for a frame a layer held at
 * init, poisoned for a free one. Frames are not written, except those a
 * layer held at init: a frame some input wrote is free now with its
 * owner's bytes, which the next hand-out overwrites if it must.
 */
void arena_reset(void)
{
	char *run = NULL;		/* consecutive frames to poison */
	unsigned long run_len = 0;

	for (unsigned long i = 0; i < arena.nr_dirty; i++) {
		unsigned long pfn = arena.dirty_list[i];
		char *frame = arena.base + (pfn << PAGE_SHIFT);
		const void *init = init_frame_data(pfn);
		bool held;

		/* mem_map is host memory, outside ASan's say: a struct copy
		 * would be an intercepted memcpy() whose range checks cost
		 * three times the copy (3% of fuzz_kmalloc under ASan) */
		kasan_memcpy_nocheck(&arena.mem_map[pfn], &arena.mem_map_init[pfn],
				     sizeof(struct page));
		arena.dirty[pfn] = 0;
		/* a frame a layer held at init gets its contents back, with a
		 * clear shadow */
		if (init) {
			kasan_unpoison(frame, PAGE_SIZE);
			memcpy(frame, init, PAGE_SIZE);
			arena.fill[pfn] = FRAME_UNKNOWN;
			continue;
		}
		/*
		 * Any other was free at init and is free again: a frame still
		 * handed out is free with its owner's bytes, as if freed
		 * (frame_fill_stale()), one freed keeps its fill, unchecked from
		 * now on. Only a frame still handed out can have a clear shadow
		 * (every free poisons its frames), so only those are poisoned;
		 * frames handed out together are dirty together, so the shadow
		 * is written once per run of consecutive frames.
		 */
		held = arena.fill[pfn] == FRAME_IN_USE;
		arena.fill[pfn] = frame_fill_stale(arena.fill[pfn]);
		if (!held)
			continue;
		if (run && frame == run + run_len) {
			run_len += PAGE_SIZE;
			continue;
		}
		kasan_poison(run, run_len);
		run = frame;
		run_len = PAGE_SIZE;
	}
	kasan_poison(run, run_len);
	arena.nr_dirty = 0;
	arena_touch_clear();
}

/* The slot a finished arena waits in: a free one, else the oldest. */
static struct arena *park_slot(void)
{
	unsigned int oldest = 0;

	for (unsigned int i = 0; i < ARENA_PARKED; i++) {
		if (!parked[i].base)
			return &parked[i];
		if (parked_at[i] < parked_at[oldest])
			oldest = i;
	}
	arena_unmap(&parked[oldest]);
	return &parked[oldest];
}

void arena_fini(void)
{
	struct arena *slot;
	bool whole = arena.base && kg.initialised && arena.snapshotted;

	/*
	 * Parked, every frame's shadow is poisoned, as the free frames of the
	 * next init on this memory must be: the frames handed out since the
	 * last reset and those held at init are poisoned here (what reset left
	 * alone, and every freed frame, is poisoned already), so that neither
	 * fini nor that init writes the whole arena's shadow.
	 */
	for (unsigned long i = 0; whole && i < nr_init_frames; i++)
		kasan_poison(arena.base + (init_frames[i].pfn << PAGE_SHIFT),
			     PAGE_SIZE);
	for (unsigned long i = 0; i < nr_init_frames; i++)
		free(init_frames[i].data);
	free(init_frames);
	init_frames = NULL;
	nr_init_frames = 0;
	if (!arena.base || !kg.initialised || !arena.snapshotted) {
		/* a failed init: nothing worth keeping */
		arena_unmap(&arena);
		return;
	}
	for (unsigned long i = 0; i < arena.nr_dirty; i++) {
		unsigned long pfn = arena.dirty_list[i];

		/* a freed frame's shadow is poisoned already (arena_reset()) */
		if (arena.fill[pfn] == FRAME_IN_USE)
			kasan_poison(arena.base + (pfn << PAGE_SHIFT), PAGE_SIZE);
		arena.dirty[pfn] = 0;
	}
	arena.nr_dirty = 0;
	arena.shadow_poisoned = kasan_enabled();

	slot = park_slot();
	*slot = arena;
	parked_at[slot - parked] = ++park_clock;
	memset(&arena, 0, sizeof(arena));
	arena.memfd = -1;
}

void arena_release_parked(void)
{
	for (unsigned int i = 0; i < ARENA_PARKED; i++)
		if (parked[i].base)
			arena_unmap(&parked[i]);
}

/* ------------------------------------------------------------------ */
/* Conversions                                                         */
/* ------------------------------------------------------------------ */

/*
 * Deviation: the kernel's virt_to_page() and pfn_to_page() are plain
 * arithmetic and return a bogus pointer for a bad input; here they return
 * NULL, so that callers (kfree, the oracles) can test an arbitrary pointer.
 */

unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - arena.mem_map);
}

bool pfn_valid(unsigned long pfn)
{
	return pfn < arena.nr_pages;
}

struct page *pfn_to_page(unsigned long pfn)
{
	return pfn_valid(pfn) ? &arena.mem_map[pfn] : NULL;
}

void *page_address(const struct page *page)
{
	return arena.base + (page_to_pfn(page) << PAGE_SHIFT);
}

bool virt_addr_valid(const void *addr)
{
	return arena.base && addr_in_arena(addr);
}

phys_addr_t virt_to_phys(const void *addr)
{
	return (phys_addr_t)((uintptr_t)addr - (uintptr_t)arena.base);
}

void *phys_to_virt(phys_addr_t phys)
{
	return (void *)((uintptr_t)arena.base + (uintptr_t)phys);
}

unsigned long virt_to_pfn(const void *addr)
{
	return (unsigned long)(virt_to_phys(addr) >> PAGE_SHIFT);
}

struct page *virt_to_page(const void *addr)
{
	if (!virt_addr_valid(addr))
		return NULL;
	return &arena.mem_map[virt_to_pfn(addr)];
}

enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)page->zone;
}

const char *zone_name(enum zone_type zone)
{
	switch (zone) {
	case ZONE_DMA:
		return "DMA";
	case ZONE_DMA32:
		return "DMA32";
	case ZONE_NORMAL:
		return "Normal";
	default:
		return "?";
	}
}

void kalloc_linear_range(void **start, void **end)
{
	if (start)
		*start = arena.base;
	if (end)
		*end = arena.base ? arena.base + arena.bytes : NULL;
}

void kalloc_vmalloc_range(void **start, void **end)
{
	if (start)
		*start = arena.vmalloc_start;
	if (end)
		*end = arena.vmalloc_end;
}
