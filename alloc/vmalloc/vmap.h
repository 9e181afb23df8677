/*
 * vmalloc/vmap.h - the vmalloc range's state, private to the vmalloc layer.
 *
 * What vmalloc.c (areas, vmalloc, vfree), kvmalloc.c and vmalloc_validate.c
 * share: the range and its per-page table, the list of areas, the vfree
 * history, and the helpers that read them. The layer above (the machine)
 * sees only vmalloc/vmalloc.h.
 */
#ifndef KALLOC_VMALLOC_VMAP_H
#define KALLOC_VMALLOC_VMAP_H

#include "vmalloc/vmalloc.h"

/* Recent vfree()s, to tell a double vfree from any other bad pointer. */
#define VFREE_HISTORY	16

struct vfree_record {
	void *addr;
	unsigned long nr_pages;
	unsigned long when;		/* kg.ops at the vfree */
};

struct vmap_range {
	bool ready;
	char *start, *end;		/* VMALLOC_START, VMALLOC_END */
	unsigned long nr_vpages;	/* pages in the range */
	struct page **pages;		/* per-page table, nr_vpages entries */
	struct list_head areas;		/* by address */
	unsigned long nr_areas;
	unsigned long nr_pages;		/* pages backing areas */
	/* end of the highest area made since init or reset: the page table
	 * holds nothing above it (validation scans below it only) */
	char *hwm;
	/* the highest hwm of the runs before the last reset: the shadow below
	 * max(hwm, shadow_hwm) may be poisoned and is cleared at fini. Folded
	 * in at reset and fini only, so that no path an input takes depends
	 * on the inputs before it. */
	char *shadow_hwm;
	bool warned_size0;		/* WARN_ON_ONCE state, reset with the machine */
	bool warned_intmax;
	struct vfree_record freed[VFREE_HISTORY];
	unsigned int freed_next;
};

extern struct vmap_range vmap;	/* vmalloc.c */

static inline unsigned long vmap_index(const void *addr)
{
	return (unsigned long)((const char *)addr - vmap.start) >> PAGE_SHIFT;
}

static inline char *vm_end(const struct vm_struct *vm)
{
	return (char *)vm->addr + vm->size;
}

static inline char *vm_guard(const struct vm_struct *vm)
{
	return (char *)vm->addr + get_vm_area_size(vm);
}

/* vmalloc.c: the kernel's __vmalloc_node_range_noprof() for the whole
 * range (kvmalloc's fallback). */
void *__vmalloc_node_range(unsigned long size, gfp_t gfp, unsigned long caller);
/* vmap_host.c: the host mappings behind the range (errno codes). */
int vmap_host_init(void);
int vmap_host_map(const struct vm_struct *vm);
int vmap_host_protect_none(void *addr, unsigned long len);
void vmap_host_forget_free(void);
/* The pfn the host maps at a page of the range, or ULONG_MAX if none
 * (what the last mmap() there mapped, whether accessible or not). */
unsigned long vmap_host_pfn(const void *addr);
void vmap_host_fini(void);

/* vmalloc.c: WARN_ON_ONCE(cond) at where; once per machine life. */
void warn_on_once(bool *warned, const char *where, const char *cond);

#endif /* KALLOC_VMALLOC_VMAP_H */
