/*
 * linux/module.h for slabfuzz's kernel-compat layer: module_init,
 * module_exit, the MODULE_* tags and module parameters, for the module
 * runner (`slabfuzz kmod`), which calls init as insmod would and exit as
 * rmmod would. module_init names the one init function of the module
 * (__kmod_initcall; a second one is a link error, as in the kernel).
 */
#ifndef _SLABFUZZ_LINUX_MODULE_H
#define _SLABFUZZ_LINUX_MODULE_H

/* the system's (uapi) <linux/module.h> of the same name, which the C
 * library's own headers include: shadowing it must not hide it */
#include_next <linux/module.h>

#include "linux/compiler.h"
#include "linux/init.h"
#include "linux/kernel.h"
#include "linux/moduleparam.h"
#include "linux/types.h"

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "module"
#endif

struct module {
	const char *name;
};
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

#define module_init(initfn)						\
	static inline initcall_t __maybe_unused __inittest(void)	\
	{ return initfn; }						\
	initcall_t const __kmod_initcall = initfn

#define module_exit(exitfn)						\
	static inline exitcall_t __maybe_unused __exittest(void)	\
	{ return exitfn; }						\
	exitcall_t const __kmod_exitcall = exitfn

/* "tag=value" strings in the "kmod_modinfo" section, as .modinfo holds */
#define __MODULE_INFO(tag, name, info)					\
	static const char *const __UNIQUE_ID(name)			\
	__used __attribute__((__section__("kmod_modinfo"))) = #tag "=" info
#define MODULE_INFO(tag, info)		__MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_desc)	MODULE_INFO(description, _desc)
#define MODULE_VERSION(_ver)		MODULE_INFO(version, _ver)
#define MODULE_ALIAS(_alias)		MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_dep)		MODULE_INFO(softdep, _dep)
#define MODULE_PARM_DESC(_parm, _desc)	MODULE_INFO(parm, #_parm ":" _desc)
#define MODULE_DEVICE_TABLE(type, name)
#define MODULE_IMPORT_NS(ns)

/* one module, no symbol table: exports are no-ops */
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif /* _SLABFUZZ_LINUX_MODULE_H */
