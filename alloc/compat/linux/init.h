/*
 * linux/init.h for slabfuzz's kernel-compat layer: the section annotations
 * of init and exit code. A userspace module keeps all its code, so they
 * mark nothing; module_init/module_exit live in linux/module.h.
 */
#ifndef _SLABFUZZ_LINUX_INIT_H
#define _SLABFUZZ_LINUX_INIT_H

#include "linux/compiler.h"

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __init_or_module
#define __ref
#define __refdata

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#endif /* _SLABFUZZ_LINUX_INIT_H */
