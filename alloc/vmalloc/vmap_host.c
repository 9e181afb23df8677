/*
 * vmap_host.c - the host mappings behind the vmalloc range.
 *
 * The kernel maps an area's pages into its page tables at vmalloc() and
 * unmaps them at vfree(); here the "page tables" are the host's: each run
 * of consecutive pfns of an area is the memfd mapped MAP_SHARED at the
 * area's address, so that a frame reads the same at both of its addresses.
 *
 * Creating a host mapping costs a system call, and the first touch of each
 * of its pages a page fault; tearing it down costs the unmapping. Fuzz
 * inputs make the same areas over and over (after a reset the buddy
 * allocator hands out the same pages in the same order), so a host mapping
 * is not torn down when its area goes: the range is made PROT_NONE over it
 * (vfree, reset), which keeps the host's page-table entries, and the pfn
 * each page of the range is mapped to is remembered (host_pfn). An area
 * whose pages are already mapped where it needs them is made accessible
 * again with one mprotect() per run and no page fault. Nothing a program
 * can observe depends on this: every address outside a live area is
 * inaccessible as before, and which frame a live address reaches is the
 * area's. Fini leaves the mappings too, all PROT_NONE by then, and hands
 * the record of them to the arena (arena.vmap_host_pfn), which parks it
 * with the range they live in: the next machine on that arena maps its
 * areas as a reset machine does, and the range goes back to the host only
 * with the arena (arena_unmap()).
 */
#include "vmalloc/vmap.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Per page of the range: 1 + the pfn mapped there, 0 for the reservation. */
static __machine_state unsigned long *host_pfn;
/* Nothing at or above this address was ever mapped since init. */
static __machine_state char *host_hwm;

int vmap_host_init(void)
{
	/* an arena of this geometry parked by an earlier machine brings its
	 * record: the range it describes is this one */
	if (arena.vmap_host_pfn) {
		host_pfn = arena.vmap_host_pfn;
		host_hwm = arena.vmap_host_hwm;
		arena.vmap_host_pfn = NULL;
		arena.vmap_host_hwm = NULL;
		return 0;
	}
	host_pfn = calloc(vmap.nr_vpages, sizeof(*host_pfn));
	if (!host_pfn)
		return -ENOMEM;
	host_hwm = vmap.start;
	return 0;
}

/*
 * Put [addr, addr + len) back to the reservation arena.c made: inaccessible,
 * no backing. The same flags as the reservation let the kernel merge the
 * mappings again.
 */
static int host_reserve(char *addr, unsigned long len)
{
	void *p = mmap(addr, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		       -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	memset(&host_pfn[vmap_index(addr)], 0,
	       (len >> PAGE_SHIFT) * sizeof(*host_pfn));
	return 0;
}

/* Does the range already map run [i, j) of vm where vm needs it? */
static bool run_is_mapped(const struct vm_struct *vm, unsigned int i,
			  unsigned int j, unsigned long pfn)
{
	const unsigned long *h = &host_pfn[vmap_index(vm->addr)];

	for (unsigned int k = i; k < j; k++)
		if (h[k] != pfn + (k - i) + 1)
			return false;
	return true;
}

static int map_run(const struct vm_struct *vm, unsigned int i, unsigned int j,
		   unsigned long pfn)
{
	char *want = (char *)vm->addr + (unsigned long)i * PAGE_SIZE;
	unsigned long len = (unsigned long)(j - i) * PAGE_SIZE;
	unsigned long *h = &host_pfn[vmap_index(vm->addr)];
	void *p;

	if (run_is_mapped(vm, i, j, pfn))
		return mprotect(want, len, PROT_READ | PROT_WRITE) ? -errno : 0;
	p = mmap(want, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 arena.memfd, (off_t)(pfn << PAGE_SHIFT));
	if (p == MAP_FAILED)
		return -errno;
	for (unsigned int k = i; k < j; k++)
		h[k] = pfn + (k - i) + 1;
	if (want + len > host_hwm)
		host_hwm = want + len;
	return 0;
}

/*
 * Map each page of the area at its vmalloc address from the memfd; runs of
 * consecutive pfns go in one mapping (the kernel's vmap_pages_range()). If
 * the host runs out of mappings (every remembered run is one), the
 * remembered ones are given back and the area is mapped afresh.
 */
int vmap_host_map(const struct vm_struct *vm)
{
	unsigned int i = 0, n = vm->nr_pages;

	while (i < n) {
		unsigned long pfn = page_to_pfn(vm->pages[i]);
		unsigned int j = i + 1;
		int err;

		while (j < n && page_to_pfn(vm->pages[j]) == pfn + (j - i))
			j++;
		err = map_run(vm, i, j, pfn);
		if (err == -ENOMEM && host_hwm > vmap.start) {
			/* live areas keep their mappings: only the space
			 * outside them is reserved again */
			vmap_host_forget_free();
			err = map_run(vm, i, j, pfn);
		}
		if (err)
			return err;
		i = j;
	}
	return 0;
}

unsigned long vmap_host_pfn(const void *addr)
{
	unsigned long h;

	if (!host_pfn || (const char *)addr < vmap.start ||
	    (const char *)addr >= host_hwm)
		return ULONG_MAX;
	h = host_pfn[vmap_index(addr)];
	return h ? h - 1 : ULONG_MAX;
}

/* No access to [addr, addr + len) any more; the mappings stay for reuse. */
int vmap_host_protect_none(void *addr, unsigned long len)
{
	return mprotect(addr, len, PROT_NONE) ? -errno : 0;
}

/*
 * Give back the remembered mappings outside the live areas (the gaps
 * between areas, guard pages included, and the space above the last).
 */
void vmap_host_forget_free(void)
{
	struct list_head *pos;
	char *lo = vmap.start;

	list_for_each(pos, &vmap.areas) {
		struct vm_struct *vm = list_entry(pos, struct vm_struct, list);
		char *guard = vm_guard(vm);

		if ((char *)vm->addr > lo)
			host_reserve(lo, (unsigned long)((char *)vm->addr - lo));
		host_reserve(guard, (unsigned long)(vm_end(vm) - guard));
		lo = vm_end(vm);
	}
	if (host_hwm > lo)
		host_reserve(lo, (unsigned long)(host_hwm - lo));
}

/*
 * The mappings stay, inaccessible (vmalloc_fini() has made the whole span
 * PROT_NONE), and their record goes to the arena, which keeps or unmaps
 * the range with it.
 */
void vmap_host_fini(void)
{
	free(arena.vmap_host_pfn);
	arena.vmap_host_pfn = host_pfn;
	arena.vmap_host_hwm = host_hwm;
	host_pfn = NULL;
	host_hwm = NULL;
}
