/*
 * linux/types.h for slabfuzz's kernel-compat layer: the kernel's integer
 * types (u8 ... s64 over the uapi __u8 ... __s64, so u64 is unsigned long
 * long as in the kernel), and the system's size_t, ssize_t, loff_t, bool.
 * gfp_t and phys_addr_t come from kalloc's public headers.
 */
#ifndef _SLABFUZZ_LINUX_TYPES_H
#define _SLABFUZZ_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* the system's (uapi) <linux/types.h> of the same name, which the C
 * library's own headers include: shadowing it must not hide it */
#include_next <linux/types.h>

#include <kalloc/gfp.h>
#include <kalloc/mm.h>
#include "linux/compiler.h"

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef phys_addr_t resource_size_t;
typedef u64 dma_addr_t;

#endif /* _SLABFUZZ_LINUX_TYPES_H */
