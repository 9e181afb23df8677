/*
 * kmod/boot.h - the module run's command line (boot.c): boot options onto
 * a struct kalloc_config, module parameters onto the module's variables.
 */
#ifndef SLABFUZZ_KMOD_BOOT_H
#define SLABFUZZ_KMOD_BOOT_H

#include <kalloc/kalloc.h>

/* The default machine: 64 MiB, full slab debugging, a quarantine. */
#define KMOD_DEFAULT_MEM_BYTES	(64u << 20)

struct kmod_boot {
	struct kalloc_config cfg;
	bool quarantine_default;	/* no kalloc.quarantine=: mem / 32 */
};

void kmod_boot_defaults(struct kmod_boot *b);
/* One "option[=value]" argument: 0, or a negative errno after a one-line
 * error on stderr. */
int kmod_boot_parse(struct kmod_boot *b, const char *arg, const char *modname);
void kmod_boot_finish(struct kmod_boot *b);

#endif /* SLABFUZZ_KMOD_BOOT_H */
