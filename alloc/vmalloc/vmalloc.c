/*
 * vmalloc.c - vmalloc areas and guard pages: vmalloc, vzalloc, vfree.
 *
 * Owns everything inside the vmalloc address range [arena.vmalloc_start,
 * arena.vmalloc_end) that arena.c reserves PROT_NONE at init. An area is
 * nr_pages order-0 pages from the buddy allocator, each mapped MAP_SHARED
 * from the arena's memfd at its vmalloc address: the same physical page is
 * visible at its linear-map and at its vmalloc address, as in the kernel,
 * and an area is virtually contiguous but physically scattered. Every area is
 * followed by one guard page that stays PROT_NONE (and, under ASan, poisoned
 * in the shadow, so that a stray access is reported where it happens).
 *
 * Data structures:
 *   vmap.areas   every area in address order. The kernel keeps vmap_areas in
 *                an augmented rb-tree; a list does here: the lowest-address
 *                first fit is one walk over the gaps, and the number of areas
 *                is bounded by the size of the range.
 *   vmap.pages   one struct page pointer per page of the range, NULL for free
 *                space and guard pages: vmalloc_to_page() and find_vm_area()
 *                in O(1). An area's pages[] is its slice of this table, as the
 *                kernel's area->pages array.
 *   page->vm     each backing page points back to its area (PG_vmalloc).
 * The vm_structs themselves are host memory (calloc), like mem_map, so that a
 * stray write into the arena cannot corrupt them silently.
 *
 * The range's state is in vmalloc/vmap.h, shared with kvmalloc.c
 * (kvmalloc's vmalloc fallback) and vmalloc_validate.c (the validator).
 *
 * The host mappings behind the areas are vmap_host.c's: they outlive their
 * areas, inaccessible, for the next area that needs the same frames there.
 *
 * Reset contract: every area that exists was made since init, so reset
 * makes the span of all of them inaccessible and forgets them at a cost
 * proportional to the areas and their pages; the pages themselves come
 * back with buddy_reset()/arena_reset().
 */
#include "lib/fault.h"
#include "page/buddy.h"
#include "vmalloc/vmap.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

__machine_state struct vmap_range vmap;

/* ------------------------------------------------------------------ */
/* Warnings                                                            */
/* ------------------------------------------------------------------ */

/*
 * WARN_ON_ONCE(): the kernel prints the "cut here" line, the WARNING line
 * naming the function, then registers and a stack trace. Here the function
 * and the condition stand in for both. "Once" means once per machine life
 * (init or reset), so that what a fuzz input prints does not depend on the
 * inputs run before it.
 */
void warn_on_once(bool *warned, const char *where, const char *cond)
{
	if (*warned)
		return;
	*warned = true;
	printk("------------[ cut here ]------------\n");
	printk("WARNING: CPU: %u PID: %d at %s: WARN_ON_ONCE(%s)\n", kg.cpu,
	       kg.pid, where, cond);
}

/* ------------------------------------------------------------------ */
/* Address space: finding, mapping and unmapping ranges                */
/* ------------------------------------------------------------------ */

/*
 * Lowest-address first fit for need bytes (guard page included), as the
 * kernel's find_vmap_lowest_match(); *prev is the list position to insert
 * after. Deterministic: depends only on the areas that exist.
 */
static char *vmap_find_hole(unsigned long need, struct list_head **prev)
{
	struct list_head *pos;
	char *cand = vmap.start;

	list_for_each(pos, &vmap.areas) {
		struct vm_struct *vm = list_entry(pos, struct vm_struct, list);

		if ((unsigned long)((char *)vm->addr - cand) >= need) {
			*prev = pos->prev;
			return cand;
		}
		cand = vm_end(vm);
	}
	if ((unsigned long)(vmap.end - cand) >= need) {
		*prev = vmap.areas.prev;
		return cand;
	}
	return NULL;
}

/*
 * The shadow of a live area (KASAN's kasan_unpoison_vmalloc()): exactly the
 * requested bytes are addressable; the rest of the last page and the guard
 * page are poisoned.
 */
static void kasan_unpoison_vmalloc(const struct vm_struct *vm)
{
	kasan_poison(vm->addr, vm->size);
	kasan_unpoison(vm->addr, vm->requested_size);
}

/* ------------------------------------------------------------------ */
/* Areas                                                               */
/* ------------------------------------------------------------------ */

/* Reserve address space for size bytes plus the guard page. */
static struct vm_struct *get_vm_area(unsigned long size)
{
	unsigned long need = size + PAGE_SIZE;
	struct list_head *prev;
	struct vm_struct *vm;
	char *addr;

	addr = vmap_find_hole(need, &prev);
	if (!addr)
		return NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->addr = addr;
	vm->size = need;
	vm->flags = VM_ALLOC;
	vm->nr_pages = 0;
	vm->pages = &vmap.pages[vmap_index(addr)];
	__list_add(&vm->list, prev, prev->next);
	vmap.nr_areas++;
	if (vm_end(vm) > vmap.hwm)
		vmap.hwm = vm_end(vm);
	return vm;
}

/* Undo get_vm_area() once no page is left in the area. */
static void free_vm_area(struct vm_struct *vm)
{
	list_del(&vm->list);
	vmap.nr_areas--;
	free(vm);
}

/*
 * Take the page back from the area and give it to the buddy allocator.
 * Called only once the page is no longer mapped at its vmalloc address.
 */
static void vm_free_page(struct vm_struct *vm, unsigned int i)
{
	struct page *page = vm->pages[i];

	vm->pages[i] = NULL;
	page_mark_dirty(page);
	page_clear(page, PG_vmalloc);
	page->vm = NULL;
	page->_mapcount = -1;
	__free_page(page);
	vmap.nr_pages--;
}

/*
 * Order-0 pages one by one, as vm_area_alloc_pages() does after its bulk
 * attempt. Returns how many pages the area got. __GFP_NOWARN because vmalloc
 * warns for itself; __GFP_COMP is meaningless at order 0 and dropped.
 */
static unsigned int vm_area_alloc_pages(struct vm_struct *vm, gfp_t gfp,
					unsigned int nr_pages)
{
	gfp_t page_gfp = (gfp | __GFP_NOWARN) & ~__GFP_COMP;

	while (vm->nr_pages < nr_pages) {
		struct page *page = __alloc_pages(page_gfp, 0);

		if (!page)
			break;
		/*
		 * Mapped once more than the linear map: _mapcount 0, so a
		 * __free_page() on a page still in an area is a Bad page
		 * state. (The kernel leaves vmalloc pages' _mapcount alone.)
		 */
		page_mark_dirty(page);
		page_set(page, PG_vmalloc);
		page->vm = vm;
		page->_mapcount = 0;
		vm->pages[vm->nr_pages++] = page;
		vmap.nr_pages++;
	}
	return vm->nr_pages;
}

/*
 * Tear an area down: back to PROT_NONE first, so that no vmalloc address
 * still reaches a page once it is free, then the pages, then the area.
 */
static void vm_remove_and_free(struct vm_struct *vm)
{
	int err = vmap_host_protect_none(vm->addr, vm->size);

	if (err)
		report_internal("vmalloc: cannot unmap vm area %p-%p: %s",
				vm->addr, (void *)vm_end(vm), strerror(-err));
	kasan_poison(vm->addr, vm->size);
	for (unsigned int i = 0; i < vm->nr_pages; i++)
		vm_free_page(vm, i);
	free_vm_area(vm);
}

static void __noreturn vmalloc_nofail_oom(unsigned long size, gfp_t gfp)
{
	struct report_buf rb;
	char flags[256];

	format_gfp(flags, sizeof(flags), gfp);
	report_init(&rb);
	report_add(&rb, "Out of memory: vmalloc: size %lu, mode:%#x(%s): "
		   "__GFP_NOFAIL and no free range of %lu pages left in the "
		   "vmalloc space\n", size, gfp, flags,
		   PAGE_ALIGN(size) / PAGE_SIZE + 1);
	report_emit(&rb, KALLOC_BUG_OOM, NULL, NULL,
		    "vmalloc: __GFP_NOFAIL allocation failed");
	/* Cannot return NULL, and retrying cannot help in a single thread. */
	abort();
}

/*
 * The kernel's __vmalloc_node_range_noprof() for align 1, PAGE_KERNEL and
 * the whole vmalloc range: the checks in its order, the address space, the
 * pages, the mapping. Any failure undoes everything.
 */
void *__vmalloc_node_range(unsigned long size, gfp_t gfp, unsigned long caller)
{
	unsigned long real_size = size;
	unsigned int nr_pages;
	struct vm_struct *vm;
	gfp_t page_gfp;
	int err;

	if (!vmap.ready)
		return NULL;
	kalloc_tick();
	if (!size) {
		warn_on_once(&vmap.warned_size0,
			     "mm/vmalloc.c __vmalloc_node_range_noprof", "!size");
		return NULL;
	}
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		warn_alloc(gfp, "vmalloc error: size %lu, exceeds total pages",
			   real_size);
		return NULL;
	}
	size = PAGE_ALIGN(size);	/* cannot wrap: bounded by totalram above */
	nr_pages = (unsigned int)(size >> PAGE_SHIFT);

	vm = get_vm_area(size);
	if (!vm) {
		bool nofail = gfp & __GFP_NOFAIL;

		warn_alloc(gfp, "vmalloc error: size %lu, vm_struct allocation failed%s",
			   real_size, nofail ? ". Retrying." : "");
		if (nofail)
			vmalloc_nofail_oom(real_size, gfp);
		return NULL;
	}
	vm->requested_size = real_size;
	vm->caller = caller;

	/* as __vmalloc_area_node(): highmem unless a DMA zone was asked for */
	page_gfp = gfp;
	if (!(page_gfp & (GFP_DMA | GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	/* fail_page_alloc, asked once for the area's pages (kalloc/fault.h) */
	if ((unlikely(fault_hook_armed) &&
	     should_fail_alloc_page(page_gfp, 0, caller)) ||
	    vm_area_alloc_pages(vm, page_gfp, nr_pages) != nr_pages) {
		warn_alloc(page_gfp, "vmalloc error: size %lu, failed to allocate pages",
			   (unsigned long)vm->nr_pages * PAGE_SIZE);
		goto fail;
	}
	err = vmap_host_map(vm);
	if (err) {
		warn_alloc(page_gfp, "vmalloc error: size %lu, failed to map pages",
			   (unsigned long)vm->nr_pages * PAGE_SIZE);
		goto fail;
	}
	kasan_unpoison_vmalloc(vm);
	return vm->addr;

fail:
	vm_remove_and_free(vm);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node_range(size, GFP_KERNEL, _RET_IP_);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node_range(size, GFP_KERNEL | __GFP_ZERO, _RET_IP_);
}

/* ------------------------------------------------------------------ */
/* vfree and bad pointers                                              */
/* ------------------------------------------------------------------ */

static const struct vfree_record *vfree_history_find(const void *addr)
{
	/* newest first */
	for (unsigned int k = 1; k <= VFREE_HISTORY; k++) {
		const struct vfree_record *r =
			&vmap.freed[(vmap.freed_next - k) % VFREE_HISTORY];

		if (r->addr && r->addr == addr)
			return r;
	}
	return NULL;
}

static void vfree_history_add(const struct vm_struct *vm)
{
	struct vfree_record *r = &vmap.freed[vmap.freed_next % VFREE_HISTORY];

	r->addr = vm->addr;
	r->nr_pages = vm->nr_pages;
	r->when = kg.ops;
	vmap.freed_next++;
}

/*
 * vfree() of something that is no area start: the kernel WARNs with
 * "Trying to vfree() nonexistent vm area" (after "bad address" for an
 * unaligned pointer) and frees nothing. The INFO lines say what the pointer
 * is; a double vfree is this same case, recognised from recent history.
 */
static void vfree_bad_area(const void *addr)
{
	struct report_buf rb;
	struct vm_struct *vm = find_vm_area(addr);
	const struct vfree_record *r;

	report_init(&rb);
	report_add(&rb, "------------[ cut here ]------------\n");
	if (!IS_ALIGNED((uintptr_t)addr, PAGE_SIZE))
		report_add(&rb, "Trying to vfree() bad address (%p)\n", addr);
	report_add(&rb, "Trying to vfree() nonexistent vm area (%p)\n", addr);
	report_add(&rb, "WARNING: CPU: %u PID: %d at mm/vmalloc.c vfree\n",
		   kg.cpu, kg.pid);
	if (!is_vmalloc_addr(addr)) {
		report_add(&rb, "INFO: %p is not a vmalloc address (%s)\n", addr,
			   addr_in_arena(addr) ? "linear map" :
			   "outside the kernel's memory");
	} else if (vm && (const char *)addr >= vm_guard(vm)) {
		report_add(&rb, "INFO: %p is in the guard page of the vm area "
			   "%p-%p (%u pages)\n", addr, vm->addr, (void *)vm_guard(vm),
			   vm->nr_pages);
	} else if (vm) {
		report_add(&rb, "INFO: %p is %lu bytes inside the vm area %p-%p "
			   "(%u pages)\n", addr,
			   (unsigned long)((const char *)addr - (char *)vm->addr),
			   vm->addr, (void *)vm_guard(vm), vm->nr_pages);
	} else if ((r = vfree_history_find(addr))) {
		report_add(&rb, "INFO: %p is in free vmalloc space: the vm area of "
			   "%lu pages that started here was vfree()d %lu "
			   "operations ago (double vfree)\n", addr, r->nr_pages,
			   kg.ops - r->when);
	} else {
		report_add(&rb, "INFO: %p is in free vmalloc space\n", addr);
	}
	report_emit(&rb, KALLOC_BUG_VMALLOC, NULL, addr,
		    "vmalloc: vfree of nonexistent vm area");
}

void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	if (!vmap.ready) {
		printk("vfree(%p) before kalloc_init(): ignored\n", addr);
		return;
	}
	kalloc_tick();
	vm = find_vm_area(addr);
	if (!vm || vm->addr != addr) {
		vfree_bad_area(addr);
		return;
	}
	vfree_history_add(vm);
	vm_remove_and_free(vm);
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

bool is_vmalloc_addr(const void *addr)
{
	return (const char *)addr >= vmap.start && (const char *)addr < vmap.end;
}

struct page *vmalloc_to_page(const void *addr)
{
	if (!is_vmalloc_addr(addr))
		return NULL;
	return vmap.pages[vmap_index(addr)];
}

/*
 * The kernel computes page_to_pfn(vmalloc_to_page()) even for an unmapped
 * address; here an address with no page gives ULONG_MAX (never pfn_valid()).
 */
unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : ULONG_MAX;
}

struct vm_struct *find_vm_area(const void *addr)
{
	unsigned long idx;
	struct page *page;

	if (!is_vmalloc_addr(addr))
		return NULL;
	idx = vmap_index(addr);
	page = vmap.pages[idx];
	if (page)
		return page->vm;
	/* a guard page: the area just below, if it ends right here */
	if (idx > 0 && (page = vmap.pages[idx - 1]) && page->vm &&
	    vm_guard(page->vm) == vmap.start + (idx << PAGE_SHIFT))
		return page->vm;
	return NULL;
}

unsigned long vmalloc_nr_pages(void)
{
	return vmap.nr_pages;
}

void *vmalloc_hwm(void)
{
	return vmap.hwm;
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */

int vmalloc_init(const struct kalloc_config *cfg)
{
	(void)cfg;	/* the range itself was sized and reserved by arena.c */
	memset(&vmap, 0, sizeof(vmap));
	INIT_LIST_HEAD(&vmap.areas);
	if (!arena.vmalloc_start || arena.vmalloc_end <= arena.vmalloc_start ||
	    !IS_ALIGNED((uintptr_t)arena.vmalloc_start, PAGE_SIZE) ||
	    !IS_ALIGNED((uintptr_t)arena.vmalloc_end, PAGE_SIZE)) {
		printk("kalloc: vmalloc: no vmalloc range reserved\n");
		return -EINVAL;
	}
	vmap.nr_vpages = (unsigned long)(arena.vmalloc_end -
					 arena.vmalloc_start) >> PAGE_SHIFT;
	/*
	 * One entry per page of the range, all NULL. A parked arena brings
	 * the table the last machine on it left (vmalloc_fini()); otherwise it
	 * is calloc()ed: large, but only what is used gets committed. (Under
	 * ASan a calloc() is a fresh, zeroed chunk every time: with ASan's own
	 * quarantine holding the old one, that was page faults at every
	 * machine switch.)
	 */
	vmap.pages = arena.vmap_pages;
	arena.vmap_pages = NULL;
	if (!vmap.pages)
		vmap.pages = calloc(vmap.nr_vpages, sizeof(*vmap.pages));
	if (!vmap.pages) {
		printk("kalloc: vmalloc: cannot allocate the page table of the "
		       "vmalloc range\n");
		return -ENOMEM;
	}
	vmap.start = arena.vmalloc_start;
	vmap.end = arena.vmalloc_end;
	vmap.hwm = vmap.start;
	vmap.shadow_hwm = vmap.start;
	if (vmap_host_init()) {
		free(vmap.pages);
		vmap.pages = NULL;
		printk("kalloc: vmalloc: cannot allocate the host mapping table\n");
		return -ENOMEM;
	}
	vmap.ready = true;
	return 0;
}

/*
 * Forget every area: one mprotect puts the whole span back to PROT_NONE, then
 * each area's shadow and table slice are cleared. No struct page is touched
 * and no page is freed: the buddy allocator and the arena restore those.
 */
static void vmap_forget_all(void)
{
	struct list_head *pos, *n;
	char *lo = NULL, *hi = NULL;
	int err;

	if (list_empty(&vmap.areas))
		return;
	lo = list_first_entry(&vmap.areas, struct vm_struct, list)->addr;
	hi = vm_end(list_entry(vmap.areas.prev, struct vm_struct, list));
	err = vmap_host_protect_none(lo, (unsigned long)(hi - lo));
	if (err)
		report_internal("vmalloc: cannot unmap %p-%p at reset: %s",
				(void *)lo, (void *)hi, strerror(-err));
	list_for_each_safe(pos, n, &vmap.areas) {
		struct vm_struct *vm = list_entry(pos, struct vm_struct, list);

		kasan_poison(vm->addr, vm->size);
		memset(vm->pages, 0, vm->nr_pages * sizeof(*vm->pages));
		free(vm);
	}
	INIT_LIST_HEAD(&vmap.areas);
	vmap.nr_areas = 0;
	vmap.nr_pages = 0;
}

void vmalloc_reset(void)
{
	if (!vmap.ready)
		return;
	vmap_forget_all();
	/*
	 * The range is as at init again: never used, its shadow clear (a
	 * stray access faults on PROT_NONE, the same report after a fresh
	 * init and after any input and reset). Costs what was used.
	 */
	if (vmap.hwm > vmap.shadow_hwm)
		vmap.shadow_hwm = vmap.hwm;
	kasan_unpoison(vmap.start, (unsigned long)(vmap.shadow_hwm - vmap.start));
	vmap.shadow_hwm = vmap.start;
	vmap.hwm = vmap.start;
	memset(vmap.freed, 0, sizeof(vmap.freed));
	vmap.freed_next = 0;
	vmap.warned_size0 = false;
	vmap.warned_intmax = false;
}

void vmalloc_fini(void)
{
	if (!vmap.ready)
		return;
	vmap_forget_all();
	/*
	 * arena.c parks the range with its arena next, or unmaps it: either
	 * way its shadow is clear, as a reset leaves it, for the next machine
	 * on it or whatever the host maps there later.
	 */
	if (vmap.hwm > vmap.shadow_hwm)
		vmap.shadow_hwm = vmap.hwm;
	kasan_unpoison(vmap.start, (unsigned long)(vmap.shadow_hwm - vmap.start));
	vmap_host_fini();
	/*
	 * Every area's entries went back to NULL with it; what lies below the
	 * high-water mark is cleared all the same, so that the table the arena
	 * parks is as calloc() gives it whatever an area left behind.
	 */
	memset(vmap.pages, 0, vmap_index(vmap.shadow_hwm) * sizeof(*vmap.pages));
	free(arena.vmap_pages);
	arena.vmap_pages = vmap.pages;
	memset(&vmap, 0, sizeof(vmap));
	INIT_LIST_HEAD(&vmap.areas);
}
