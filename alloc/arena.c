/*
 * Simulated physical memory: the page frames, mem_map, the linear map and
 * the address conversions, and the dirty tracking that makes kalloc_reset()
 * cost what was used rather than what exists.
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
 * free under ASan and is application memory under MSan too.
 *
 * mem_map lives in host memory, outside the arena. The kernel keeps it in
 * memory that kernel code can scribble on too, but here the arena is what
 * the code under test gets pointers into: a wild write into a page frame
 * must never be able to rewrite the allocator's own metadata, or the fuzz
 * oracle could not trust what the allocator says about itself.
 *
 * Dirty tracking: any code that changes a struct page, or hands a frame
 * out, calls page_mark_dirty() first. arena_snapshot() copies mem_map once
 * all layers are initialised; arena_reset() restores each dirty struct page
 * from that copy and restores its frame (zero for frames that were free
 * after init, saved contents for frames some layer held at init).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define ARENA_LINEAR_HINT	((void *)0x520000000000UL)
#define ARENA_VMALLOC_HINT	((void *)0x700000000000UL)

struct arena arena = { .memfd = -1 };

/* Frames held by some layer when the snapshot was taken, with contents. */
static struct init_frame {
	unsigned long pfn;
	void *data;
} *init_frames;
static unsigned long nr_init_frames;

static void *map_at_hint(void *hint, size_t bytes, int prot, int flags, int fd)
{
	void *p = mmap(hint, bytes, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);

	if (p != MAP_FAILED)
		return p;
	/* taken, or a kernel without MAP_FIXED_NOREPLACE: any address */
	p = mmap(NULL, bytes, prot, flags, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

int arena_init(const struct kalloc_config *cfg)
{
	int err;

	memset(&arena, 0, sizeof(arena));
	arena.memfd = -1;
	arena.bytes = cfg->mem_bytes;
	arena.nr_pages = cfg->mem_bytes >> PAGE_SHIFT;

	arena.memfd = memfd_create("kalloc-physmem", MFD_CLOEXEC);
	if (arena.memfd < 0) {
		err = -errno;
		printk("kalloc: memfd_create failed: %s\n", strerror(errno));
		goto fail;
	}
	if (ftruncate(arena.memfd, (off_t)arena.bytes) < 0) {
		err = -errno;
		printk("kalloc: mem_bytes %zu: ftruncate failed: %s\n",
		       arena.bytes, strerror(errno));
		goto fail;
	}
	arena.base = map_at_hint(ARENA_LINEAR_HINT, arena.bytes,
				 PROT_READ | PROT_WRITE, MAP_SHARED,
				 arena.memfd);
	if (!arena.base) {
		err = -ENOMEM;
		printk("kalloc: mem_bytes %zu: cannot map the arena\n",
		       arena.bytes);
		goto fail;
	}
	arena.vmalloc_start = map_at_hint(ARENA_VMALLOC_HINT, cfg->vmalloc_bytes,
					  PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS |
					  MAP_NORESERVE, -1);
	if (!arena.vmalloc_start) {
		err = -ENOMEM;
		printk("kalloc: vmalloc_bytes %zu: cannot reserve the range\n",
		       cfg->vmalloc_bytes);
		goto fail;
	}
	arena.vmalloc_end = arena.vmalloc_start + cfg->vmalloc_bytes;

	arena.mem_map = calloc(arena.nr_pages, sizeof(struct page));
	arena.dirty = calloc(arena.nr_pages, 1);
	arena.dirty_list = malloc(arena.nr_pages * sizeof(unsigned long));
	if (!arena.mem_map || !arena.dirty || !arena.dirty_list) {
		err = -ENOMEM;
		printk("kalloc: mem_bytes %zu: no host memory for mem_map\n",
		       arena.bytes);
		goto fail;
	}
	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++)
		arena.mem_map[pfn]._mapcount = -1;
	return 0;

fail:
	arena_fini();
	return err;
}

static int init_frame_cmp(const void *a, const void *b)
{
	unsigned long x = ((const struct init_frame *)a)->pfn;
	unsigned long y = ((const struct init_frame *)b)->pfn;

	return x < y ? -1 : x > y;
}

/*
 * Called once every layer is initialised. Frames dirtied during init that
 * are still allocated belong to some layer's boot-time state: keep their
 * contents so that a reset can put them back.
 */
void arena_snapshot(void)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < nr_init_frames; i++)
		free(init_frames[i].data);
	free(init_frames);
	init_frames = NULL;
	nr_init_frames = 0;
	free(arena.mem_map_init);
	arena.mem_map_init = malloc(arena.nr_pages * sizeof(struct page));
	if (!arena.mem_map_init) {
		printk("kalloc: no host memory for the mem_map snapshot\n");
		abort();
	}
	memcpy(arena.mem_map_init, arena.mem_map,
	       arena.nr_pages * sizeof(struct page));

	for (unsigned long i = 0; i < arena.nr_dirty; i++)
		if (!page_is_free(&arena.mem_map[arena.dirty_list[i]]))
			n++;
	if (n) {
		init_frames = calloc(n, sizeof(*init_frames));
		if (!init_frames) {
			printk("kalloc: no host memory for the frame snapshot\n");
			abort();
		}
		for (unsigned long i = 0; i < arena.nr_dirty; i++) {
			unsigned long pfn = arena.dirty_list[i];
			void *copy;

			if (page_is_free(&arena.mem_map[pfn]))
				continue;
			copy = malloc(PAGE_SIZE);
			if (!copy) {
				printk("kalloc: no host memory for the frame snapshot\n");
				abort();
			}
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
 * The frame's shadow is cleared first: the debug layer may have left a
 * freed frame poisoned, and the frame is about to be as it was at init.
 */
void arena_reset(void)
{
	for (unsigned long i = 0; i < arena.nr_dirty; i++) {
		unsigned long pfn = arena.dirty_list[i];
		char *frame = arena.base + (pfn << PAGE_SHIFT);
		const void *init = init_frame_data(pfn);

		arena.mem_map[pfn] = arena.mem_map_init[pfn];
		kasan_unpoison(frame, PAGE_SIZE);
		if (init)
			memcpy(frame, init, PAGE_SIZE);
		else
			memset(frame, 0, PAGE_SIZE);
		arena.dirty[pfn] = 0;
	}
	arena.nr_dirty = 0;
}

void arena_fini(void)
{
	/* ASan's shadow outlives munmap(): a later arena at the same address
	 * must not inherit this one's poison */
	if (arena.base) {
		kasan_unpoison(arena.base, arena.bytes);
		munmap(arena.base, arena.bytes);
	}
	if (arena.vmalloc_start) {
		kasan_unpoison(arena.vmalloc_start,
			       (size_t)(arena.vmalloc_end - arena.vmalloc_start));
		munmap(arena.vmalloc_start,
		       (size_t)(arena.vmalloc_end - arena.vmalloc_start));
	}
	if (arena.memfd >= 0)
		close(arena.memfd);
	for (unsigned long i = 0; i < nr_init_frames; i++)
		free(init_frames[i].data);
	free(init_frames);
	init_frames = NULL;
	nr_init_frames = 0;
	free(arena.mem_map);
	free(arena.mem_map_init);
	free(arena.dirty);
	free(arena.dirty_list);
	memset(&arena, 0, sizeof(arena));
	arena.memfd = -1;
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
