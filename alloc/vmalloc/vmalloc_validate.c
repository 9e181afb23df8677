/*
 * vmalloc_validate.c - the vmalloc layer's invariant checker.
 *
 * vmalloc_validate() walks the area list and the per-page table of the
 * range: each area inside the range and above the previous one (its guard
 * page included), its pages[] its slice of the table, each page allocated,
 * PG_vmalloc, pointing back and mapped at its vmalloc address, no page in
 * the table for a guard page or outside the areas, and the counters
 * matching the list. vmalloc_validate_touched() checks the list and the
 * areas whose pages were touched since the last check. Apart from
 * vmalloc.c, as buddy_validate.c is from page_alloc.c, so that none of it
 * sits among the paths it checks.
 */
#include "page/buddy.h"
#include "vmalloc/vmap.h"

/* Each page of a live area: allocated, PG_vmalloc, pointing back. */
static int vmalloc_validate_page(const struct vm_struct *vm, unsigned int i,
				 struct pfn_run *run)
{
	const struct page *page = vm->pages[i];
	const char *vaddr = (const char *)vm->addr + (unsigned long)i * PAGE_SIZE;
	int bad = 0;

	if (!page) {
		report_internal("vmalloc: vm area %p: page %u has no struct page",
				vm->addr, i);
		return 1;
	}
	if (page < arena.mem_map || page >= arena.mem_map + arena.nr_pages) {
		report_internal("vmalloc: vm area %p: page %u is not in mem_map",
				vm->addr, i);
		return 1;
	}
	if (page_is_free_next(run, page)) {
		report_internal("vmalloc: vm area %p: page %u (pfn %#lx) is on a "
				"buddy free list", vm->addr, i, page_to_pfn(page));
		bad++;
	}
	if (!page_test(page, PG_vmalloc) || page->vm != vm) {
		report_internal("vmalloc: vm area %p: page %u (pfn %#lx) is not "
				"marked as this area's (PG_vmalloc %d, vm %p)",
				vm->addr, i, page_to_pfn(page),
				page_test(page, PG_vmalloc), (void *)page->vm);
		bad++;
	}
	if (page->_mapcount != 0 || page->_refcount < 1) {
		report_internal("vmalloc: vm area %p: page %u (pfn %#lx) has "
				"refcount %d mapcount %d", vm->addr, i,
				page_to_pfn(page), page->_refcount,
				page->_mapcount + 1);
		bad++;
	}
	/*
	 * The frame behind the mapping is the page's: the host's record of
	 * what each mmap() mapped there, and for the first page also the
	 * memory itself (the same frame at both addresses reads the same
	 * word). Reading every page would fault in pages no one touched.
	 */
	if (!bad && (vmap_host_pfn(vaddr) != page_to_pfn(page) ||
		     (i == 0 && kasan_read_word_nocheck(vaddr) !=
				kasan_read_word_nocheck(page_address(page))))) {
		report_internal("vmalloc: vm area %p: page %u is not mapped to "
				"pfn %#lx", vm->addr, i, page_to_pfn(page));
		bad++;
	}
	return bad;
}

static int vmalloc_validate_area(const struct vm_struct *vm, const char *floor)
{
	struct pfn_run run = PFN_RUN_INIT;
	unsigned long idx;
	int bad = 0;

	if (!IS_ALIGNED((uintptr_t)vm->addr, PAGE_SIZE) ||
	    !IS_ALIGNED(vm->size, PAGE_SIZE) || vm->size < 2 * PAGE_SIZE ||
	    (char *)vm->addr < floor || vm_end(vm) > vmap.end ||
	    vm->size / PAGE_SIZE - 1 != vm->nr_pages) {
		report_internal("vmalloc: vm area %p size %#lx (%u pages) is out "
				"of place (previous area ends at %p, range %p-%p)",
				vm->addr, vm->size, vm->nr_pages, (void *)floor,
				(void *)vmap.start, (void *)vmap.end);
		return 1;	/* the rest would read outside the table */
	}
	idx = vmap_index(vm->addr);
	if (vm->pages != &vmap.pages[idx]) {
		report_internal("vmalloc: vm area %p: pages[] is not its slice "
				"of the page table", vm->addr);
		return 1;
	}
	if (vm->flags != VM_ALLOC || !vm->requested_size ||
	    PAGE_ALIGN(vm->requested_size) != get_vm_area_size(vm)) {
		report_internal("vmalloc: vm area %p: flags %#lx, requested size "
				"%lu for %u pages", vm->addr, vm->flags,
				vm->requested_size, vm->nr_pages);
		bad++;
	}
	for (unsigned int i = 0; i < vm->nr_pages; i++)
		bad += vmalloc_validate_page(vm, i, &run);
	if (vmap.pages[idx + vm->nr_pages]) {
		report_internal("vmalloc: vm area %p: its guard page %p has a "
				"page in the table", vm->addr, (void *)vm_guard(vm));
		bad++;
	}
	return bad;
}

/*
 * The area list against the counters; with each_area, every area on its
 * own too. *pages gets the pages the listed areas hold. O(areas) without
 * each_area: the incremental check runs it after every op, which is how a
 * page an area kept after vfree() shows at the vfree().
 */
static int vmalloc_validate_list(bool each_area, unsigned long *pages_out)
{
	const struct list_head *pos;
	const char *floor = vmap.start;
	unsigned long areas = 0, pages = 0;
	int bad = 0;

	for (pos = vmap.areas.next; pos != &vmap.areas; pos = pos->next) {
		const struct vm_struct *vm =
			list_entry(pos, struct vm_struct, list);

		if (pos->next->prev != pos || ++areas > vmap.nr_areas) {
			report_internal("vmalloc: the area list is corrupt after "
					"%lu areas (%lu recorded)", areas,
					vmap.nr_areas);
			*pages_out = vmap.nr_pages;
			return bad + 1;
		}
		if (each_area)
			bad += vmalloc_validate_area(vm, floor);
		if (vm_end(vm) > floor)
			floor = vm_end(vm);	/* guard page included: gaps kept */
		pages += vm->nr_pages;
	}
	if (areas != vmap.nr_areas || pages != vmap.nr_pages) {
		report_internal("vmalloc: %lu areas of %lu pages listed, %lu areas "
				"of %lu pages counted", areas, pages,
				vmap.nr_areas, vmap.nr_pages);
		bad++;
	}
	*pages_out = pages;
	return bad;
}

int vmalloc_validate(void)
{
	unsigned long pages, mapped = 0;
	int bad;

	if (!vmap.ready)
		return 0;
	bad = vmalloc_validate_list(true, &pages);
	/* nothing in the table outside the areas (nothing above the hwm) */
	for (unsigned long i = 0; i < vmap_index(vmap.hwm); i++)
		mapped += vmap.pages[i] != NULL;
	if (mapped != pages) {
		report_internal("vmalloc: %lu pages in the page table, %lu in areas",
				mapped, pages);
		bad++;
	}
	return bad;
}

/*
 * The incremental check: the list and counters (O(areas)), then each area
 * one of whose pages was touched since the last check (allocating, freeing
 * and mapping an area touch its pages), once, against its list neighbour
 * below. The table outside the areas is the full check's.
 */
int vmalloc_validate_touched(void)
{
	const struct vm_struct *last = NULL;
	unsigned long pages;
	int bad;

	if (!vmap.ready)
		return 0;
	bad = vmalloc_validate_list(false, &pages);
	for (unsigned long i = 0; i < arena.nr_touched; i++) {
		const struct page *page = &arena.mem_map[arena.touched_list[i]];
		const struct vm_struct *vm = page->vm;
		const char *floor = vmap.start;

		if (!page_test(page, PG_vmalloc) || !vm || vm == last)
			continue;
		last = vm;
		if (vm->list.prev != &vmap.areas)
			floor = vm_end(list_entry(vm->list.prev,
						  struct vm_struct, list));
		if (vm->list.next->prev != &vm->list ||
		    vm->list.prev->next != &vm->list) {
			report_internal("vmalloc: the area list is corrupt at "
					"area %p", vm->addr);
			bad++;
			continue;
		}
		bad += vmalloc_validate_area(vm, floor);
	}
	return bad;
}
