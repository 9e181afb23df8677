/*
 * boot.c - the kernel command line of a module run: boot options in the
 * kernel's syntax, onto a struct kalloc_config, and module parameters
 * ("name=value" as insmod takes them, or "module.name=value" as the boot
 * command line does), onto the module's module_param variables.
 *
 * Boot options (one table, below): slab_debug= and its alias slub_debug=
 * (a bare slab_debug is FZPU, as in the kernel), mem=, init_on_alloc=,
 * init_on_free=, slab_nomerge / slub_nomerge / slab_merge, nr_cpus=, and
 * slabfuzz's own kalloc.quarantine=, kalloc.seed=, kalloc.freelist_random=
 * and kalloc.freelist_hardened= for knobs the kernel sets at build time.
 * Sizes take the kernel's memparse() suffixes (K, M, G). Anything else is
 * an error: a run must not silently ignore a misspelt option.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/kalloc.h>
#include "linux/kernel.h"
#include "linux/moduleparam.h"
#include "kmod/boot.h"

/* lib/cmdline.c memparse(): a number with an optional K/M/G/T suffix */
static int memparse(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'T': case 't': v <<= 10; /* fall through */
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; end++; break;
	}
	if (*end)
		return -EINVAL;
	*out = (size_t)v;
	return 0;
}

static int set_bool(const char *val, bool *b)
{
	return val ? kstrtobool(val, b) : -EINVAL;
}

static int opt_slab_debug(struct kmod_boot *b, const char *val)
{
	b->cfg.slab_debug = val && *val ? val : "FZPU";	/* no letters: FZPU */
	return 0;
}

static int opt_mem(struct kmod_boot *b, const char *val)
{
	return val ? memparse(val, &b->cfg.mem_bytes) : -EINVAL;
}

static int opt_init_on_alloc(struct kmod_boot *b, const char *val)
{
	return set_bool(val, &b->cfg.init_on_alloc);
}

static int opt_init_on_free(struct kmod_boot *b, const char *val)
{
	return set_bool(val, &b->cfg.init_on_free);
}

static int opt_nomerge(struct kmod_boot *b, const char *val)
{
	b->cfg.slab_nomerge = true;
	return val ? -EINVAL : 0;
}

static int opt_merge(struct kmod_boot *b, const char *val)
{
	b->cfg.slab_nomerge = false;
	return val ? -EINVAL : 0;
}

static int opt_nr_cpus(struct kmod_boot *b, const char *val)
{
	unsigned int n;
	int err = val ? kstrtouint(val, 0, &n) : -EINVAL;

	if (err)
		return err;
	if (n < 1 || n > KALLOC_MAX_CPUS)
		return -ERANGE;
	b->cfg.ncpus = n;
	return 0;
}

static int opt_quarantine(struct kmod_boot *b, const char *val)
{
	return val ? memparse(val, &b->cfg.quarantine_bytes) : -EINVAL;
}

static int opt_seed(struct kmod_boot *b, const char *val)
{
	unsigned long long v;
	int err = val ? kstrtoull(val, 0, &v) : -EINVAL;

	if (!err)
		b->cfg.seed = v;
	return err;
}

static int opt_freelist_random(struct kmod_boot *b, const char *val)
{
	return set_bool(val, &b->cfg.freelist_random);
}

static int opt_freelist_hardened(struct kmod_boot *b, const char *val)
{
	return set_bool(val, &b->cfg.freelist_hardened);
}

static const struct boot_option {
	const char *name;
	int (*set)(struct kmod_boot *b, const char *val);	/* val NULL: no '=' */
} boot_options[] = {
	{ .name = "slab_debug", .set = opt_slab_debug },
	{ .name = "slub_debug", .set = opt_slab_debug },
	{ .name = "mem", .set = opt_mem },
	{ .name = "init_on_alloc", .set = opt_init_on_alloc },
	{ .name = "init_on_free", .set = opt_init_on_free },
	{ .name = "slab_nomerge", .set = opt_nomerge },
	{ .name = "slub_nomerge", .set = opt_nomerge },
	{ .name = "slab_merge", .set = opt_merge },
	{ .name = "nr_cpus", .set = opt_nr_cpus },
	{ .name = "kalloc.quarantine", .set = opt_quarantine },
	{ .name = "kalloc.seed", .set = opt_seed },
	{ .name = "kalloc.freelist_random", .set = opt_freelist_random },
	{ .name = "kalloc.freelist_hardened", .set = opt_freelist_hardened },
};

void kmod_boot_defaults(struct kmod_boot *b)
{
	memset(b, 0, sizeof(*b));
	b->cfg = kalloc_config_defaults();
	b->cfg.mem_bytes = KMOD_DEFAULT_MEM_BYTES;
	b->cfg.slab_debug = "FZPU";	/* full debugging */
	b->cfg.continue_on_report = true;
	b->quarantine_default = true;
}

/* The module's parameters, registered by module_param (moduleparam.h). */
extern const struct kernel_param *const __start_kmod_param[] __attribute__((weak));
extern const struct kernel_param *const __stop_kmod_param[] __attribute__((weak));

static int set_param(const struct kernel_param *kp, const char *val)
{
	long long v;
	unsigned long long u;
	bool bv;
	int err = 0;

	if (!val && kp->type != KPARAM_bool && kp->type != KPARAM_invbool)
		return -EINVAL;
	switch (kp->type) {
	case KPARAM_int:
		err = kstrtoint(val, 0, kp->arg);
		break;
	case KPARAM_uint:
		err = kstrtouint(val, 0, kp->arg);
		break;
	case KPARAM_long:
		err = kstrtoll(val, 0, &v);
		if (!err)
			*(long *)kp->arg = (long)v;
		break;
	case KPARAM_ulong:
		err = kstrtoull(val, 0, &u);
		if (!err)
			*(unsigned long *)kp->arg = (unsigned long)u;
		break;
	case KPARAM_short:
		err = kstrtoll(val, 0, &v);
		if (!err && (v < -32768 || v > 32767))
			err = -ERANGE;
		if (!err)
			*(short *)kp->arg = (short)v;
		break;
	case KPARAM_ushort:
		err = kstrtoull(val, 0, &u);
		if (!err && u > 65535)
			err = -ERANGE;
		if (!err)
			*(unsigned short *)kp->arg = (unsigned short)u;
		break;
	case KPARAM_bool:
	case KPARAM_invbool:
		/* a bare "name" sets a bool, as the kernel's param_set_bool */
		bv = true;
		if (val)
			err = kstrtobool(val, &bv);
		if (!err)
			*(bool *)kp->arg = kp->type == KPARAM_bool ? bv : !bv;
		break;
	case KPARAM_charp:
		*(const char **)kp->arg = val;
		break;
	}
	return err;
}

static const struct kernel_param *find_param(const char *name, size_t len)
{
	if (!__start_kmod_param)
		return NULL;
	for (const struct kernel_param *const *p = __start_kmod_param;
	     p < __stop_kmod_param; p++)
		if (strlen((*p)->name) == len && !strncmp((*p)->name, name, len))
			return *p;
	return NULL;
}

int kmod_boot_parse(struct kmod_boot *b, const char *arg, const char *modname)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *val = eq ? eq + 1 : NULL;
	size_t mlen = strlen(modname);
	const struct kernel_param *kp;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(boot_options); i++) {
		const struct boot_option *o = &boot_options[i];

		if (strlen(o->name) != len || strncmp(o->name, arg, len))
			continue;
		err = o->set(b, val);
		if (o->set == opt_quarantine)
			b->quarantine_default = false;
		if (err)
			fprintf(stderr, "kmod: bad value for boot option '%s'\n", arg);
		return err ? -EINVAL : 0;
	}
	/* module.name=value, as on the kernel command line */
	if (len > mlen + 1 && !strncmp(arg, modname, mlen) && arg[mlen] == '.') {
		arg += mlen + 1;
		len -= mlen + 1;
	}
	kp = find_param(arg, len);
	if (!kp) {
		fprintf(stderr, "kmod: unknown boot option or module parameter '%s'\n",
			arg);
		return -ENOENT;
	}
	err = set_param(kp, val);
	if (err)
		fprintf(stderr, "kmod: bad value for module parameter '%s'\n", arg);
	return err ? -EINVAL : 0;
}

void kmod_boot_finish(struct kmod_boot *b)
{
	/* KASAN's quarantine: 1/32 of memory */
	if (b->quarantine_default)
		b->cfg.quarantine_bytes = b->cfg.mem_bytes / 32;
}
