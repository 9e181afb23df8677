/*
 * The profiles: what makes one fuzz target differ from another. A target
 * selects op groups (optable.h) and may pin parts of the configuration so
 * that its inputs share machines. harness/targets.txt lists the targets
 * that are built; tests/test_harness_model.c checks that every name there
 * has a profile here and the other way round.
 */
#include <string.h>

#include "run.h"

#define VALID_GROUPS	(SF_GROUP(KMALLOC) | SF_GROUP(SLAB) | SF_GROUP(PAGES) | \
			 SF_GROUP(VMALLOC) | SF_GROUP(COMMON))

const struct sf_profile sf_profile_buddy = {
	.name = "fuzz_buddy",
	.scope = "pages, orders, zones, GFP rules, compound pages, refcounts, reclaim",
	.groups = SF_GROUP(PAGES) | SF_GROUP(COMMON),
	.no_quarantine = true,
	.pages_only = true,
};

const struct sf_profile sf_profile_slab = {
	.name = "fuzz_slab",
	.scope = "kmem_cache life cycles, ctors, merging, bulk, shrink, per-CPU and cross-CPU frees",
	.groups = SF_GROUP(SLAB) | SF_GROUP(COMMON),
};

const struct sf_profile sf_profile_kmalloc = {
	.name = "fuzz_kmalloc",
	.scope = "the kmalloc family, krealloc, ksize, kmemdup",
	.groups = SF_GROUP(KMALLOC) | SF_GROUP(COMMON),
};

const struct sf_profile sf_profile_vmalloc = {
	.name = "fuzz_vmalloc",
	.scope = "vmalloc, vzalloc, kvmalloc, kvfree",
	.groups = SF_GROUP(VMALLOC) | SF_GROUP(COMMON),
};

const struct sf_profile sf_profile_mixed = {
	.name = "fuzz_mixed",
	.scope = "every valid operation, several CPUs, memory pressure, debugging as the prefix says",
	.groups = VALID_GROUPS,
};

const struct sf_profile sf_profile_misuse = {
	.name = "fuzz_misuse",
	.scope = "valid operations plus deliberate misuse under slab_debug=FZPU",
	.groups = VALID_GROUPS | SF_GROUP(MISUSE),
	.slab_debug = "FZPU",
};

const struct sf_profile *const sf_profiles[] = {
	&sf_profile_buddy, &sf_profile_slab, &sf_profile_kmalloc,
	&sf_profile_vmalloc, &sf_profile_mixed, &sf_profile_misuse,
};
const unsigned int sf_nr_profiles = sizeof(sf_profiles) / sizeof(sf_profiles[0]);

const struct sf_profile *sf_profile_by_name(const char *name)
{
	for (unsigned int i = 0; i < sf_nr_profiles; i++)
		if (!strcmp(sf_profiles[i]->name, name))
			return sf_profiles[i];
	return NULL;
}
