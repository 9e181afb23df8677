/*
 * vmalloc/vmalloc.h - vmalloc areas (the vmalloc/ files): struct vm_struct
 * and what the layers below ask of the vmalloc range.
 */
#ifndef KALLOC_VMALLOC_VMALLOC_H
#define KALLOC_VMALLOC_VMALLOC_H

#include "mem/memory.h"

/* ------------------------------------------------------------------ */
/* life cycle hooks called by machine/kalloc.c                        */
/* ------------------------------------------------------------------ */

int vmalloc_init(const struct kalloc_config *cfg);
void vmalloc_reset(void);
void vmalloc_fini(void);
int vmalloc_validate(void);
int vmalloc_validate_touched(void);

/* ------------------------------------------------------------------ */
/* vmalloc.c: vmalloc areas                                            */
/* ------------------------------------------------------------------ */

#define VM_ALLOC	0x00000002UL	/* the kernel's flag for vmalloc() areas */

/*
 * One vmalloc area, as the kernel's struct vm_struct. As there, size counts
 * the trailing guard page: get_vm_area_size() is the usable part.
 */
struct vm_struct {
	struct list_head list;		/* all areas, in address order */
	void *addr;
	unsigned long size;		/* bytes, guard page included */
	unsigned long flags;		/* VM_ALLOC */
	struct page **pages;		/* nr_pages entries (a slice of the
					 * per-page table of the range) */
	unsigned int nr_pages;
	unsigned long requested_size;	/* the caller's size before rounding */
	unsigned long caller;		/* return address of the vmalloc() call */
};

static inline unsigned long get_vm_area_size(const struct vm_struct *vm)
{
	return vm->size - PAGE_SIZE;
}

/* The area whose range (guard page included) holds addr, or NULL. O(1). */
struct vm_struct *find_vm_area(const void *addr);
/* Pages currently backing vmalloc areas (the kernel's vmalloc_nr_pages()). */
unsigned long vmalloc_nr_pages(void);
/* End of the highest area made since init or reset (VMALLOC_START if none). */
void *vmalloc_hwm(void);

#endif /* KALLOC_VMALLOC_VMALLOC_H */
