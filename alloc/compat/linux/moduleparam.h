/*
 * linux/moduleparam.h for slabfuzz's kernel-compat layer: module_param for
 * int, uint, long, ulong, short, ushort, bool, invbool and charp. Each
 * parameter registers a struct kernel_param (a pointer to it, in the
 * "kmod_param" section) that the module runner sets from its
 * "name=value" or "module.name=value" arguments, as insmod and the boot
 * command line do.
 */
#ifndef _SLABFUZZ_LINUX_MODULEPARAM_H
#define _SLABFUZZ_LINUX_MODULEPARAM_H

#include <sys/stat.h>
#include "linux/compiler.h"
#include "linux/types.h"

/* include/linux/stat.h: what sys/stat.h does not define */
#define S_IRWXUGO	(S_IRWXU | S_IRWXG | S_IRWXO)
#define S_IALLUGO	(S_ISUID | S_ISGID | S_ISVTX | S_IRWXUGO)
#define S_IRUGO		(S_IRUSR | S_IRGRP | S_IROTH)
#define S_IWUGO		(S_IWUSR | S_IWGRP | S_IWOTH)
#define S_IXUGO		(S_IXUSR | S_IXGRP | S_IXOTH)

enum kernel_param_type {
	KPARAM_int, KPARAM_uint, KPARAM_long, KPARAM_ulong,
	KPARAM_short, KPARAM_ushort, KPARAM_bool, KPARAM_invbool,
	KPARAM_charp,
	KPARAM__Bool = KPARAM_bool,	/* <stdbool.h>'s bool is a macro */
};

struct kernel_param {
	const char *name;
	enum kernel_param_type type;
	void *arg;
	unsigned short perm;
};

/* the C type behind each parameter type, for the compile-time check */
#define __kparam_type_int	int
#define __kparam_type_uint	unsigned int
#define __kparam_type_long	long
#define __kparam_type_ulong	unsigned long
#define __kparam_type_short	short
#define __kparam_type_ushort	unsigned short
#define __kparam_type_bool	bool
#define __kparam_type__Bool	bool
#define __kparam_type_invbool	bool
#define __kparam_type_charp	char *

#define module_param_named(_name, _value, _type, _perm)			\
	static inline __kparam_type_##_type __always_unused *		\
	__check_##_name(void) { return &(_value); }			\
	static const struct kernel_param __param_##_name = {		\
		.name = #_name, .type = KPARAM_##_type,			\
		.arg = &(_value), .perm = (_perm),			\
	};								\
	static const struct kernel_param *const __param_ptr_##_name	\
	__used __attribute__((__section__("kmod_param"))) = &__param_##_name

#define module_param(_name, _type, _perm)	module_param_named(_name, _name, _type, _perm)

#endif /* _SLABFUZZ_LINUX_MODULEPARAM_H */
