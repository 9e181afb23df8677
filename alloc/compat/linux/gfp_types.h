/*
 * linux/gfp_types.h for slabfuzz's kernel-compat layer: the GFP flags, with
 * the kernel's bit values (kalloc/gfp.h).
 */
#ifndef _SLABFUZZ_LINUX_GFP_TYPES_H
#define _SLABFUZZ_LINUX_GFP_TYPES_H

#include <kalloc/gfp.h>

#endif /* _SLABFUZZ_LINUX_GFP_TYPES_H */
