/*
 * slub_debug_flags.c - the slab_debug= option: parsing, and applying it to
 * caches as they are created (the kernel's setup_slub_debug(),
 * parse_slub_debug_flags() and kmem_cache_flags()).
 *
 * Syntax and meaning are the kernel's (Documentation/mm/slub.rst):
 *
 *	slab_debug=<Debug-Options>,<slab name1>,<slab name2>;<Debug-Options>,...
 *
 * Letters F Z P U T A O select consistency checks, red zones, poisoning, user
 * tracking, tracing, failslab and "skip caches whose order would grow"; '-'
 * switches everything off; no letters at all means FZPU. A block without a
 * cache list sets the global flags; a block with one applies to the caches it
 * names ('*' at the end of a name is a prefix glob), and the first matching
 * block wins. Unknown letters are skipped with the kernel's warning.
 *
 * One addition: the kernel's parser cannot fail, but it only ever sees what
 * the boot command line could carry. A value holding whitespace, control
 * bytes or non-ASCII bytes, or longer than COMMAND_LINE_SIZE, is refused here
 * with -EINVAL, since such a string is a caller's mistake rather than an
 * option the kernel would have understood.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "debug/slub_debug.h"

/* x86's COMMAND_LINE_SIZE: the longest kernel command line. */
#define COMMAND_LINE_SIZE	2048

__machine_state struct slub_debug_state slub_debug_state;

/*
 * Parse one ';'-separated block starting at str. Sets *flags (the letters, or
 * DEBUG_DEFAULT_FLAGS when there are none) and *slabs (the cache list, or
 * NULL). Warns about unknown letters only when init is set, as the kernel
 * does, so that re-parsing per cache stays quiet. Returns the next block or
 * NULL.
 */
static const char *parse_slub_debug_flags(const char *str, slab_flags_t *flags,
					  const char **slabs, bool init,
					  bool *higher_order_disable)
{
	/* empty blocks (";;") carry nothing */
	while (*str == ';')
		str++;

	if (*str == ',') {
		/* a cache list without letters means full debugging for it */
		*flags = DEBUG_DEFAULT_FLAGS;
		goto check_slabs;
	}

	*flags = 0;
	for (; *str && *str != ',' && *str != ';'; str++) {
		switch (tolower((unsigned char)*str)) {
		case '-':
			*flags = 0;
			break;
		case 'f':
			*flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			*flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			*flags |= SLAB_POISON;
			break;
		case 'u':
			*flags |= SLAB_STORE_USER;
			break;
		case 't':
			*flags |= SLAB_TRACE;
			break;
		case 'a':
			*flags |= SLAB_FAILSLAB;
			break;
		case 'o':
			/* skip debugging where it would raise a cache's order */
			if (higher_order_disable)
				*higher_order_disable = true;
			break;
		default:
			if (init)
				printk("slab_debug option '%c' unknown. skipped\n",
				       *str);
		}
	}

check_slabs:
	if (*str == ',')
		*slabs = ++str;
	else
		*slabs = NULL;

	/* skip the cache list */
	while (*str && *str != ';')
		str++;
	while (*str == ';')
		str++;

	return *str ? str : NULL;
}

/* Refuse what no kernel command line could have carried (see above). */
static int slub_debug_check_chars(const char *str)
{
	size_t len = strnlen(str, COMMAND_LINE_SIZE);

	if (len >= COMMAND_LINE_SIZE) {
		printk("kalloc: slab_debug: longer than %d bytes\n",
		       COMMAND_LINE_SIZE - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)str[i];

		if (c <= ' ' || c >= 0x7f) {
			printk("kalloc: slab_debug: invalid byte 0x%02x at offset %zu\n",
			       c, i);
			return -EINVAL;
		}
	}
	return 0;
}

int setup_slub_debug(const struct kalloc_config *cfg)
{
	const char *str = cfg->slab_debug;
	slab_flags_t global_flags = DEBUG_DEFAULT_FLAGS;
	bool global_changed = false, list_specified = false;
	bool higher_order_disable = false;
	const char *slab_list;
	slab_flags_t flags;
	int err;

	slub_debug_teardown();

	if (!str) {
		/* option absent: CONFIG_SLUB_DEBUG_ON is not set here */
		return 0;
	}

	err = slub_debug_check_chars(str);
	if (err)
		return err;

	/* "slab_debug" with no value switches on full debugging */
	if (*str) {
		for (const char *p = str; p;) {
			p = parse_slub_debug_flags(p, &flags, &slab_list, true,
						   &higher_order_disable);
			if (!slab_list) {
				global_flags = flags;
				global_changed = true;
			} else {
				list_specified = true;
			}
		}
		/*
		 * As in the kernel: blocks with cache lists leave the global
		 * flags alone unless a block without a list also set them.
		 */
		if (list_specified) {
			if (!global_changed)
				global_flags = 0;
			slub_debug_state.string = strdup(str);
			if (!slub_debug_state.string) {
				printk("kalloc: slab_debug: out of memory\n");
				return -ENOMEM;
			}
		}
	}

	slub_debug_state.flags = global_flags;
	slub_debug_state.disable_higher_order = higher_order_disable;
	slub_debug_state.enabled = global_flags || slub_debug_state.string;

	if ((cfg->init_on_alloc || cfg->init_on_free) &&
	    (global_flags & SLAB_POISON))
		printk("mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free\n");
	return 0;
}

void slub_debug_teardown(void)
{
	free(slub_debug_state.string);
	memset(&slub_debug_state, 0, sizeof(slub_debug_state));
}

/*
 * The debug flags a new cache gets: its own flags plus those of the first
 * block whose cache list names it, or else the global flags.
 */
slab_flags_t kalloc_cache_debug_flags(const struct kmem_cache *s)
{
	return s ? s->flags & SLAB_DEBUG_FLAGS : 0;
}

slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	slab_flags_t global = slub_debug_state.flags;
	const char *next_block = slub_debug_state.string;
	size_t len = strlen(name);

	/* caches used by leak tracking do not track users by default */
	if (flags & SLAB_NOLEAKTRACE)
		global &= ~SLAB_STORE_USER;

	while (next_block) {
		slab_flags_t block_flags;
		const char *iter;

		next_block = parse_slub_debug_flags(next_block, &block_flags,
						    &iter, false, NULL);
		if (!iter)
			continue;
		while (*iter) {
			const char *end = strchrnul(iter, ',');
			const char *semi = strchrnul(iter, ';');
			const char *glob;
			size_t cmplen;

			/*
			 * A name ends at ',' or ';'. (The kernel ends it one
			 * character before the next block, which swallows a
			 * ';' into the name when blocks are separated by
			 * ";;" or the option ends in ';'.)
			 */
			if (semi < end)
				end = semi;
			glob = memchr(iter, '*', (size_t)(end - iter));
			if (glob)
				cmplen = (size_t)(glob - iter);
			else
				cmplen = max_t(size_t, len, (size_t)(end - iter));
			if (!strncmp(name, iter, cmplen))
				return flags | block_flags;
			if (!*end || *end == ';')
				break;
			iter = end + 1;
		}
	}
	return flags | global;
}
