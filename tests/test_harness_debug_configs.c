/*
 * No false reports: every slab_debug= string the fuzz targets choose from
 * (harness/program.c's sf_debug_table, so a new entry is covered the day it
 * is added) with init_on_alloc and init_on_free off and on, the quarantine
 * off and on, freelist hardening and randomisation, cache merging and the
 * number of CPUs varied with them, runs correct programs (every
 * kmalloc class and odd sizes in between, kmem_caches of small and odd
 * object sizes, ctor and SLAB_TYPESAFE_BY_RCU caches, krealloc, bulk,
 * shrink, vmalloc and kvmalloc, pages) and expects not one report and a
 * machine that validates. A correct program reported in any configuration
 * a target can reach is a false report, and the fuzzers would stop on it.
 * The corpora, whose inputs run clean as recorded, are replayed under
 * other configurations of the table too (every one of them with
 * SF_ALL_CONFIGS=1 in the environment; a rotating pair per input else).
 */
#include "ktest.h"

#include <dirent.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "program.h"
#include "run.h"

#define FILL	0x3c	/* what the programs write into what they own */

/* What the current configuration is, for the failure message. */
static char config_name[128];

static void fill(void *p, size_t n)
{
	memset(p, FILL, n);
}

static bool holds(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* Every kmalloc class, the sizes just around each, and large kmallocs. */
static const size_t kmalloc_sizes[] = {
	1, 3, 4, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40, 48, 56,
	63, 64, 65, 72, 80, 95, 96, 97, 120, 127, 128, 129, 160, 191, 192, 193,
	200, 255, 256, 257, 300, 511, 512, 513, 777, 1023, 1024, 1025, 2047,
	2048, 2049, 3000, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 4096 + 5,
	65536,
};

static void program_kmalloc(void)
{
	enum { N = sizeof(kmalloc_sizes) / sizeof(kmalloc_sizes[0]) };
	static const gfp_t types[] = {
		GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
		GFP_KERNEL | __GFP_ACCOUNT, GFP_KERNEL | GFP_DMA, GFP_ATOMIC,
	};
	void *p[N];

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t i = 0; i < N; i++) {
			p[i] = kmalloc(kmalloc_sizes[i], types[t]);
			CHECK(p[i] != NULL);
			if (p[i])
				fill(p[i], kmalloc_sizes[i]);
		}
		/* freed in another order than allocated */
		for (size_t i = 0; i < N; i += 2)
			kfree(p[i]);
		for (size_t i = 1; i < N; i += 2) {
			CHECK(holds(p[i], kmalloc_sizes[i], FILL));
			kfree(p[i]);
		}
	}
	for (size_t i = 0; i < N; i++) {
		uint8_t *z = kzalloc(kmalloc_sizes[i], GFP_KERNEL);

		CHECK(z && holds(z, kmalloc_sizes[i], 0));
		kfree_sensitive(z);
	}
	/* after ksize() the whole bucket is the caller's */
	for (size_t i = 0; i < N; i++) {
		uint8_t *k = kmalloc(kmalloc_sizes[i], GFP_KERNEL);
		size_t n = ksize(k);

		CHECK(n >= kmalloc_sizes[i]);
		fill(k, n);
		kfree(k);
	}
	uint32_t *a = kcalloc(33, sizeof(uint32_t), GFP_KERNEL);

	CHECK(a && holds(a, 33 * sizeof(uint32_t), 0));
	char *d = kmemdup(a, 33 * sizeof(uint32_t), GFP_KERNEL);
	char *s = kstrdup("slab_debug", GFP_KERNEL);

	CHECK(d && s && !strcmp(s, "slab_debug"));
	kfree(a);
	kfree(d);
	kfree(s);
}

static void program_krealloc(void)
{
	static const size_t chain[] = {
		5, 17, 24, 31, 100, 64, 9, 1000, 4097, 3, 200, 9000, 192, 1, 8192,
	};
	size_t have = 0;
	uint8_t *p = NULL;

	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		size_t keep = have < chain[i] ? have : chain[i];
		uint8_t *q = krealloc(p, chain[i], GFP_KERNEL);

		CHECK(q != NULL);
		if (!q)
			break;
		CHECK(holds(q, keep, (uint8_t)(FILL + i)));
		memset(q, FILL + i + 1, chain[i]);
		p = q;
		have = chain[i];
	}
	kfree(p);
	p = krealloc(NULL, 40, GFP_KERNEL | __GFP_ZERO);
	CHECK(p && holds(p, 40, 0));
	p = krealloc(p, 0, GFP_KERNEL);		/* frees, ZERO_SIZE_PTR */
	kfree(p);
}

static void ctor_fill(void *obj)
{
	memset(obj, 0xc7, 24);
}

static void program_caches(void)
{
	static const struct {
		unsigned int size, align;
		slab_flags_t flags;
	} shapes[] = {
		{ 4, 0, 0 }, { 8, 0, 0 }, { 17, 0, 0 }, { 1, 0, 0 }, { 24, 8, 0 },
		{ 33, 0, SLAB_HWCACHE_ALIGN }, { 100, 32, 0 }, { 4, 4, 0 },
		{ 250, 0, SLAB_TYPESAFE_BY_RCU }, { 3000, 0, 0 },
		{ 17, 0, SLAB_RECLAIM_ACCOUNT }, { 9000, 0, 0 },
	};
	enum { NOBJ = 70 };
	void *o[NOBJ];

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "cfg_cache%zu", i);
		struct kmem_cache *c = kmem_cache_create(name, shapes[i].size,
							 shapes[i].align,
							 shapes[i].flags, NULL);
		CHECK(c != NULL);
		if (!c)
			continue;
		for (int round = 0; round < 2; round++) {
			for (int j = 0; j < NOBJ; j++) {
				o[j] = kmem_cache_alloc(c, GFP_KERNEL);
				CHECK(o[j] != NULL);
				fill(o[j], shapes[i].size);
				kalloc_set_cpu((unsigned int)j % num_possible_cpus());
			}
			/* frees from other CPUs than the allocating one */
			for (int j = NOBJ - 1; j >= 0; j -= 3)
				kmem_cache_free(c, o[j]);
			for (int j = 0; j < NOBJ; j++)
				if ((NOBJ - 1 - j) % 3) {
					CHECK(holds(o[j], shapes[i].size, FILL));
					kmem_cache_free(c, o[j]);
				}
			kalloc_set_cpu(0);
		}
		uint8_t *z = kmem_cache_zalloc(c, GFP_KERNEL);

		CHECK(z && holds(z, shapes[i].size, 0));
		kmem_cache_free(c, z);
		CHECK(kmem_cache_alloc_bulk(c, GFP_KERNEL, 40, o) == 40);
		for (int j = 0; j < 40; j++)
			fill(o[j], shapes[i].size);
		kmem_cache_free_bulk(c, 40, o);
		kmem_cache_shrink(c);
		kmem_cache_destroy(c);
	}

	/* a constructor: objects come back constructed, and go back so */
	struct kmem_cache *c = kmem_cache_create("cfg_ctor", 24, 0, 0, ctor_fill);

	CHECK(c != NULL);
	for (int round = 0; c && round < 3; round++) {
		for (int j = 0; j < NOBJ; j++) {
			o[j] = kmem_cache_alloc(c, GFP_KERNEL);
			CHECK(o[j] && holds(o[j], 24, 0xc7));
			memset(o[j], FILL, 24);
		}
		for (int j = 0; j < NOBJ; j++) {
			ctor_fill(o[j]);
			kmem_cache_free(c, o[j]);
		}
		kmem_cache_shrink(c);
	}
	kmem_cache_destroy(c);

	/* kfree_bulk over kmalloc caches and a large kmalloc */
	for (int j = 0; j < 16; j++) {
		o[j] = kmalloc(kmalloc_sizes[j * 3], GFP_KERNEL);
		fill(o[j], kmalloc_sizes[j * 3]);
	}
	kfree_bulk(16, o);
}

static void program_vmalloc(void)
{
	static const size_t sizes[] = { 1, 4096, 5000, 3 * 4096, 64 << 10 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *v = vmalloc(sizes[i]);
		uint8_t *z = vzalloc(sizes[i]);
		uint8_t *k = kvmalloc(sizes[i], GFP_KERNEL);
		uint8_t *kz = kvzalloc(sizes[i] * 4, GFP_KERNEL);

		CHECK(v && z && k && kz);
		CHECK(holds(z, sizes[i], 0) && holds(kz, sizes[i] * 4, 0));
		fill(v, sizes[i]);
		fill(k, sizes[i]);
		vfree(v);
		vfree(z);
		kvfree(k);
		kvfree(kz);
	}
}

static void program_pages(void)
{
	struct page *pg[6];

	for (unsigned int order = 0; order < 6; order++) {
		pg[order] = alloc_pages(GFP_KERNEL | (order & 1 ? __GFP_COMP : 0),
					order);
		CHECK(pg[order] != NULL);
		if (pg[order])
			fill(page_address(pg[order]), PAGE_SIZE << order);
	}
	for (unsigned int order = 0; order < 6; order++)
		if (pg[order])
			__free_pages(pg[order], order);
	unsigned long a = get_zeroed_page(GFP_KERNEL);

	CHECK(a && holds((void *)a, PAGE_SIZE, 0));
	free_page(a);
	a = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	CHECK(a && holds((void *)a, PAGE_SIZE << 2, 0));
	free_pages(a, 2);
}

/* Memory pressure: reclaim shrinks every cache under every debug mode. */
static void program_pressure(void)
{
	void *p[256];

	for (int i = 0; i < 256; i++) {
		p[i] = kmalloc(i % 2 ? 17 : 700, GFP_KERNEL);
		CHECK(p[i] != NULL);
	}
	for (int i = 0; i < 256; i++)
		kfree(p[i]);
	kalloc_reclaim(GFP_KERNEL);
}

static void run_config(const char *debug, bool ioa, bool iof, size_t quarantine,
		       bool hardened, bool random)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = 8u << 20;
	cfg.slab_debug = debug;
	cfg.init_on_alloc = ioa;
	cfg.init_on_free = iof;
	cfg.quarantine_bytes = quarantine;
	cfg.freelist_hardened = hardened;
	/* shuffled freelists on one CPU, merged caches on two or four */
	cfg.freelist_random = random;
	cfg.slab_nomerge = random;
	cfg.ncpus = random ? 1 : quarantine ? 4 : 2;
	snprintf(config_name, sizeof(config_name),
		 "slab_debug=%s init_on_alloc=%d init_on_free=%d quarantine=%zu%s%s",
		 debug ? debug : "(none)", ioa, iof, quarantine,
		 hardened ? "" : " unhardened", random ? " random nomerge" : "");
	ktest_init(cfg);
	program_kmalloc();
	program_krealloc();
	program_caches();
	program_vmalloc();
	program_pages();
	program_pressure();
	int bad = kalloc_validate();

	if (ktest_nr_reports || bad)
		fprintf(stderr, "%s: %d reports (first: %s), validate %d\n",
			config_name, ktest_nr_reports,
			ktest_nr_reports ? ktest_reports[0].title : "-", bad);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(bad, 0);
	ktest_capture_clear();
	kalloc_fini();
}

static void run_init_configs(const char *debug)
{
	for (int init = 0; init < 4; init++)
		for (int q = 0; q < 2; q++)
			run_config(debug, init & 1, init & 2, q ? 64u << 10 : 0,
				   init != q, (init + q) & 1);
}

KTEST(debug_table_init_on_alloc_free_correct_programs_are_quiet)
{
	for (unsigned int d = 0; d < SF_NR_DEBUG; d++)
		run_init_configs(sf_debug_table[d]);
}

/* Every other combination of the letters, for a kernel booted with it
 * (the table has no FZU, FU or ZU, where init_on_free and the kmalloc
 * red zone meet). */
KTEST(every_debug_letter_set_correct_programs_are_quiet)
{
	static const char letters[] = "FZPU";
	char debug[8];

	for (unsigned int set = 1; set < 16; set++) {
		unsigned int n = 0;

		for (unsigned int b = 0; b < 4; b++)
			if (set & (1u << b))
				debug[n++] = letters[b];
		debug[n] = 0;
		run_init_configs(debug);
	}
	run_init_configs("FZUO,cfg_cache*;P");
}

/* ------------------------------------------------------------------ */
/* The corpora under other configurations                              */
/* ------------------------------------------------------------------ */

/* A configuration: the debug table entry and the two init knobs. */
#define NR_CONFIGS	(SF_NR_DEBUG * 4)

/* What the child is running, in memory the parent still sees after an
 * abort(). */
static char *running;

struct corpus_child {
	const struct sf_profile *prof;
	bool all;	/* every configuration, else two per input */
};

static void set_config(struct sf_config *c, unsigned int k)
{
	c->debug_idx = (uint8_t)(k % SF_NR_DEBUG);
	c->init_on_alloc = (k / SF_NR_DEBUG) & 1;
	c->init_on_free = (k / SF_NR_DEBUG) & 2;
}

static void corpus_child(void *arg)
{
	const struct corpus_child *cc = arg;
	static struct sf_program prog;
	static uint8_t data[1 << 16];
	char dir[512], path[1024];
	struct dirent **names;
	int n;

	snprintf(dir, sizeof(dir), "%s/corpus/%s", SF_SOURCE_DIR, cc->prof->name);
	n = scandir(dir, &names, NULL, alphasort);	/* a fixed order */
	if (n < 0)
		_exit(3);
	for (int i = 0; i < n; i++) {
		FILE *f;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = names[i]->d_name[0] == '.' ? NULL : fopen(path, "rb");
		if (!f) {
			free(names[i]);
			continue;
		}
		len = fread(data, 1, sizeof(data), f);
		fclose(f);
		free(names[i]);
		for (unsigned int j = 0; j < (cc->all ? NR_CONFIGS : 2); j++) {
			unsigned int k = cc->all ? j : (i * 7u + j * 29u) % NR_CONFIGS;

			sf_decode(data, len, &prog);
			set_config(&prog.cfg, k);
			snprintf(running, 4096, "%s slab_debug=%s init_on_alloc=%d init_on_free=%d",
				 path, sf_debug_table[prog.cfg.debug_idx] ?
				 sf_debug_table[prog.cfg.debug_idx] : "(none)",
				 prog.cfg.init_on_alloc, prog.cfg.init_on_free);
			sf_run_program(cc->prof, &prog);
		}
	}
	free(names);
	sf_shutdown();
}

KTEST(corpora_under_other_configurations_are_quiet)
{
	static const struct sf_profile *const profs[] = {
		&sf_profile_mixed, &sf_profile_slab, &sf_profile_kmalloc,
		&sf_profile_vmalloc, &sf_profile_misuse,
	};
	static char err[8192];
	const char *all = getenv("SF_ALL_CONFIGS");

	running = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(running != MAP_FAILED);
	if (running == MAP_FAILED)
		return;
	for (size_t t = 0; t < sizeof(profs) / sizeof(profs[0]); t++) {
		struct corpus_child cc = { profs[t], all && *all == '1' };
		int status;

		running[0] = 0;
		status = ktest_run_child(corpus_child, &cc, err, sizeof(err));
		if (status != 0)
			fprintf(stderr, "%s: %s\n%s\n", profs[t]->name, running, err);
		CHECK_EQ(status, 0);
	}
	munmap(running, 4096);
}
