/*
 * The slab_debug= option: every letter, '-', the empty option, per-cache
 * lists, ';' blocks, globs, the unknown-letter warning, and the strings
 * kalloc_init() refuses. Parsed with the layer's own entry points, then
 * checked end to end on caches that kalloc_init() and kmem_cache_create()
 * build.
 */
#include <errno.h>

#include "ktest.h"
#include "internal.h"

#define FZPU	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
		 SLAB_STORE_USER)

static int parse(const char *opt)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = opt;
	return setup_slub_debug(&cfg);
}

/* Debug flags a cache called name would get (no flags of its own). */
static slab_flags_t flags_for(const char *name)
{
	return kmem_cache_flags(0, name);
}

KTEST(absent_option_is_off)
{
	CHECK_EQ(parse(NULL), 0);
	CHECK_EQ(flags_for("kmalloc-64"), 0);
	CHECK(!slub_debug_state.enabled);
	slub_debug_teardown();
}

KTEST(empty_option_is_full_debugging)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(flags_for("kmalloc-64"), FZPU);
	CHECK_EQ(flags_for("anything"), FZPU);
	CHECK(slub_debug_state.enabled);
	slub_debug_teardown();
}

KTEST(each_letter_alone)
{
	static const struct { const char *opt; slab_flags_t flags; } t[] = {
		{ "F", SLAB_CONSISTENCY_CHECKS },
		{ "Z", SLAB_RED_ZONE },
		{ "P", SLAB_POISON },
		{ "U", SLAB_STORE_USER },
		{ "T", SLAB_TRACE },
		{ "A", SLAB_FAILSLAB },
		{ "f", SLAB_CONSISTENCY_CHECKS },	/* case does not matter */
		{ "zp", SLAB_RED_ZONE | SLAB_POISON },
		{ "FZPU", FZPU },
		{ "FZPUTA", FZPU | SLAB_TRACE | SLAB_FAILSLAB },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CHECK_EQ(parse(t[i].opt), 0);
		if (flags_for("my_cache") != t[i].flags)
			ktest_fail(__FILE__, __LINE__, "slab_debug=%s gave 0x%x",
				   t[i].opt, flags_for("my_cache"));
		slub_debug_teardown();
	}
	CHECK_STR(ktest_log, "");
}

KTEST(letter_O_sets_higher_order_disable)
{
	CHECK_EQ(parse("FZO"), 0);
	CHECK(slub_debug_state.disable_higher_order);
	CHECK_EQ(flags_for("x"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	slub_debug_teardown();
	CHECK_EQ(parse("FZ"), 0);
	CHECK(!slub_debug_state.disable_higher_order);
	slub_debug_teardown();
}

KTEST(dash_switches_off)
{
	CHECK_EQ(parse("-"), 0);
	CHECK_EQ(flags_for("kmalloc-64"), 0);
	CHECK(!slub_debug_state.enabled);
	slub_debug_teardown();
	/* '-' clears what came before it, letters after it count */
	CHECK_EQ(parse("FZ-P"), 0);
	CHECK_EQ(flags_for("kmalloc-64"), SLAB_POISON);
	slub_debug_teardown();
}

KTEST(unknown_letter_warns_and_is_skipped)
{
	CHECK_EQ(parse("FXZ"), 0);
	CHECK_EQ(flags_for("c"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_STR(ktest_log, "slab_debug option 'X' unknown. skipped\n");
	slub_debug_teardown();

	/* per-cache re-parsing stays quiet: one warning per letter, once */
	ktest_capture_clear();
	CHECK_EQ(parse("Fq,foo"), 0);
	CHECK_EQ(flags_for("foo"), SLAB_CONSISTENCY_CHECKS);
	CHECK_EQ(flags_for("bar"), 0);
	CHECK_STR(ktest_log, "slab_debug option 'q' unknown. skipped\n");
	slub_debug_teardown();
}

KTEST(per_cache_list)
{
	CHECK_EQ(parse("FZ,kmalloc-64,my_cache"), 0);
	CHECK_EQ(flags_for("kmalloc-64"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(flags_for("my_cache"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	/* a list leaves other caches alone */
	CHECK_EQ(flags_for("kmalloc-96"), 0);
	/* names match whole, not as prefixes */
	CHECK_EQ(flags_for("kmalloc-6"), 0);
	CHECK_EQ(flags_for("kmalloc-640"), 0);
	CHECK_EQ(flags_for("my_cach"), 0);
	CHECK(slub_debug_state.enabled);
	slub_debug_teardown();
}

KTEST(list_without_letters_is_full_debugging)
{
	CHECK_EQ(parse(",dentry"), 0);
	CHECK_EQ(flags_for("dentry"), FZPU);
	CHECK_EQ(flags_for("inode"), 0);
	slub_debug_teardown();
}

KTEST(glob_matches_prefix)
{
	CHECK_EQ(parse("P,kmalloc-*"), 0);
	CHECK_EQ(flags_for("kmalloc-8"), SLAB_POISON);
	CHECK_EQ(flags_for("kmalloc-8k"), SLAB_POISON);
	CHECK_EQ(flags_for("kmalloc-rcl-64"), SLAB_POISON);
	CHECK_EQ(flags_for("dma-kmalloc-64"), 0);
	slub_debug_teardown();
}

KTEST(blocks_separated_by_semicolons)
{
	/* global flags from a list-less block, per-cache ones from others */
	CHECK_EQ(parse("Z;FU,kmalloc-64;P,a,b"), 0);
	CHECK_EQ(flags_for("kmalloc-64"), SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER);
	CHECK_EQ(flags_for("a"), SLAB_POISON);
	CHECK_EQ(flags_for("b"), SLAB_POISON);
	CHECK_EQ(flags_for("c"), SLAB_RED_ZONE);
	slub_debug_teardown();

	/* only lists: the global flags stay off */
	CHECK_EQ(parse("F,x;;Z,y;"), 0);
	CHECK_EQ(flags_for("x"), SLAB_CONSISTENCY_CHECKS);
	CHECK_EQ(flags_for("y"), SLAB_RED_ZONE);
	CHECK_EQ(flags_for("z"), 0);
	slub_debug_teardown();

	/* the first block naming a cache wins */
	CHECK_EQ(parse("F,x;Z,x"), 0);
	CHECK_EQ(flags_for("x"), SLAB_CONSISTENCY_CHECKS);
	slub_debug_teardown();

	/* a later list-less block still sets the global flags */
	CHECK_EQ(parse("F,x;U"), 0);
	CHECK_EQ(flags_for("x"), SLAB_CONSISTENCY_CHECKS);
	CHECK_EQ(flags_for("y"), SLAB_STORE_USER);
	slub_debug_teardown();
}

KTEST(own_flags_are_kept)
{
	CHECK_EQ(parse("Z"), 0);
	CHECK_EQ(kmem_cache_flags(SLAB_HWCACHE_ALIGN | SLAB_POISON, "c"),
		 SLAB_HWCACHE_ALIGN | SLAB_POISON | SLAB_RED_ZONE);
	slub_debug_teardown();
	/* no option at all: the cache's own debug flags alone */
	CHECK_EQ(parse(NULL), 0);
	CHECK_EQ(kmem_cache_flags(SLAB_RED_ZONE, "c"), SLAB_RED_ZONE);
	slub_debug_teardown();
}

KTEST(noleaktrace_caches_skip_user_tracking)
{
	CHECK_EQ(parse("FU"), 0);
	CHECK_EQ(kmem_cache_flags(SLAB_NOLEAKTRACE, "kmemleak_object"),
		 SLAB_NOLEAKTRACE | SLAB_CONSISTENCY_CHECKS);
	slub_debug_teardown();
	/* ... unless a list names them */
	CHECK_EQ(parse("U,kmemleak_object"), 0);
	CHECK_EQ(kmem_cache_flags(SLAB_NOLEAKTRACE, "kmemleak_object"),
		 SLAB_NOLEAKTRACE | SLAB_STORE_USER);
	slub_debug_teardown();
}

KTEST(poison_with_init_on_alloc_says_which_wins)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = "P";
	cfg.init_on_alloc = true;
	CHECK_EQ(setup_slub_debug(&cfg), 0);
	CHECK_STR(ktest_log, "mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free\n");
	slub_debug_teardown();
}

/* End to end: kalloc_init() and the caches it and kmem_cache_create() make. */
KTEST(kalloc_init_applies_the_option)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct kmem_cache *s;

	cfg.slab_debug = "FZ,kmalloc-64,my_cache;U,kmalloc-1k";
	ktest_init(cfg);
	CHECK_EQ(kmalloc_slab(64, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(kmalloc_slab(1000, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 SLAB_STORE_USER);
	CHECK(!kmem_cache_debug(kmalloc_slab(128, GFP_KERNEL)));
	s = kmem_cache_create("my_cache", 100, 0, 0, NULL);
	CHECK(kmem_cache_debug(s));
	kmem_cache_destroy(s);
	kalloc_fini();

	cfg.slab_debug = "";
	ktest_init(cfg);
	CHECK_EQ(kmalloc_slab(8, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(kmalloc_slab(8192, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 DEBUG_DEFAULT_FLAGS);
}

KTEST(letter_O_spares_caches_whose_order_would_grow)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = "FZPUO";
	cfg.kasan_off = true;	/* SLUB's own layout */
	ktest_init(cfg);
	/* 64 bytes plus metadata still fit the order-0 pages of 64 */
	CHECK_EQ(kmalloc_slab(64, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 DEBUG_DEFAULT_FLAGS);
	/* 4096 plus metadata would need order 1: only the checks stay */
	CHECK_EQ(kmalloc_slab(4096, GFP_KERNEL)->flags & DEBUG_DEFAULT_FLAGS,
		 SLAB_CONSISTENCY_CHECKS);
	CHECK_EQ(kmalloc_slab(4096, GFP_KERNEL)->size, 4096);
}

/* What the fuzz harness asks to know which objects the allocator poisons:
 * the flags in force, as the parser applied them. */
KTEST(debug_flags_in_force_follow_the_parser)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	struct kmem_cache *s;

	CHECK_EQ(kalloc_cache_debug_flags(NULL), 0);
	/* the first block that names a cache wins over a later one */
	cfg.slab_debug = "P,kmalloc-64;Z,kmalloc-64";
	ktest_init(cfg);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(64, GFP_KERNEL)), SLAB_POISON);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(128, GFP_KERNEL)), 0);
	kalloc_fini();

	/* a glob names every cache with its prefix */
	cfg.slab_debug = "U,kmalloc-1*";
	ktest_init(cfg);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(128, GFP_KERNEL)), SLAB_STORE_USER);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(1000, GFP_KERNEL)), SLAB_STORE_USER);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(64, GFP_KERNEL)), 0);
	/* a cache's own flags count too */
	s = kmem_cache_create("own_poison", 40, 0, SLAB_POISON, NULL);
	CHECK_EQ(kalloc_cache_debug_flags(s), SLAB_POISON);
	kmem_cache_destroy(s);
	kalloc_fini();

	/* 'O' takes the metadata flags from a cache whose order they raise */
	cfg.slab_debug = "FZPUO";
	ktest_init(cfg);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(64, GFP_KERNEL)), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(kalloc_cache_debug_flags(kmalloc_slab(4096, GFP_KERNEL)), SLAB_CONSISTENCY_CHECKS);
}

KTEST(kalloc_init_refuses_a_bad_option)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.slab_debug = "FZ kmalloc-64";
	cfg.continue_on_report = true;
	CHECK_EQ(kalloc_init(&cfg), -EINVAL);
	CHECK(kalloc_get_config() == NULL);
	CHECK_CONTAINS(ktest_log, "kalloc: slab_debug: invalid byte 0x20 at offset 2\n");
	/* nothing was left half-built: a good configuration starts */
	cfg.slab_debug = "P";
	CHECK_EQ(kalloc_init(&cfg), 0);
	CHECK(kmem_cache_debug(kmalloc_slab(64, GFP_KERNEL)));
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(strings_no_command_line_carries_are_refused)
{
	static const char *const bad[] = {
		"F Z", "FZ,kmalloc-64 ", "\tF", "F\n", "F,caf\xc3\xa9",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ktest_capture_clear();
		CHECK_EQ(parse(bad[i]), -EINVAL);
		CHECK_CONTAINS(ktest_log, "kalloc: slab_debug: invalid byte 0x");
		CHECK(!slub_debug_state.enabled);
	}
	ktest_capture_clear();
	CHECK_EQ(parse("F Z"), -EINVAL);
	CHECK_STR(ktest_log, "kalloc: slab_debug: invalid byte 0x20 at offset 1\n");

	char *longopt = malloc(4096);
	CHECK(longopt != NULL);
	if (!longopt)
		return;
	memset(longopt, 'F', 4095);
	longopt[4095] = '\0';
	ktest_capture_clear();
	CHECK_EQ(parse(longopt), -EINVAL);
	CHECK_STR(ktest_log, "kalloc: slab_debug: longer than 2047 bytes\n");
	free(longopt);
	slub_debug_teardown();
}
