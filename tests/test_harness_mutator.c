/*
 * The structure-aware mutator: its output always decodes and re-encodes
 * to the same bytes, stays within the size and op limits and the target's
 * op groups, every edit keeps handles naming the ops they named, crossover
 * splices op lists, and the same seed gives the same result.
 */
#include "ktest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "program.h"

#define MAX_LEN 1024

static struct sf_mutator mut, mut2;
static struct sf_program a, b;

/* The bytes are canonical and every handle names an earlier op. */
static bool canonical(const uint8_t *data, size_t len)
{
	static uint8_t again[MAX_LEN + 64];
	size_t n;

	sf_decode(data, len, &a);
	n = sf_encode(&a, again, sizeof(again));
	if (n != len || memcmp(again, data, len))
		return false;
	for (unsigned int i = 0; i < a.nops; i++)
		for (unsigned int k = 0; k < sf_ops[a.ops[i].code].nargs; k++) {
			enum sf_arg_kind kind = (enum sf_arg_kind)sf_ops[a.ops[i].code].arg[k];

			if ((kind == SF_ARG_SLOT || kind == SF_ARG_CACHE) &&
			    !sf_ref_valid(a.ops[i].arg[k], i))
				return false;
		}
	return true;
}

static size_t parse_encode(const char *text, uint8_t *buf, size_t cap)
{
	char err[256];

	if (sf_parse(text, &b, err, sizeof(err))) {
		fprintf(stderr, "parse: %s\n", err);
		return 0;
	}
	return sf_encode(&b, buf, cap);
}

/* Seed inputs: the checked-in corpus of one target. */
static size_t load_corpus(const char *target, uint8_t (*in)[MAX_LEN], size_t *len, size_t max)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s/corpus/%s", SF_SOURCE_DIR, target);
	d = opendir(dir);
	if (!d)
		return 0;
	while (n < max && (e = readdir(d))) {
		char path[8192];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		len[n] = fread(in[n], 1, MAX_LEN, f);
		fclose(f);
		n++;
	}
	closedir(d);
	return n;
}

KTEST(mutations_decode_and_reencode_canonically)
{
	static uint8_t in[64][MAX_LEN], buf[MAX_LEN];
	static size_t len[64];
	size_t n = load_corpus("fuzz_misuse", in, len, 64);
	unsigned long bad = 0, total = 0;

	CHECK(n > 0);
	sf_mutator_init(&mut, ~0u);
	for (unsigned int seed = 0; seed < 3000; seed++) {
		size_t i = seed % n, out;

		memcpy(buf, in[i], len[i]);
		out = sf_mutate(&mut, buf, len[i], MAX_LEN, seed);
		total++;
		if (out > MAX_LEN || !canonical(buf, out) || a.nops > SF_MAX_OPS)
			bad++;
		/* chains of mutations too: feed some results back */
		if (seed % 3 == 0 && out <= MAX_LEN) {
			memcpy(in[i], buf, out);
			len[i] = out;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(total, 3000);
	for (unsigned int k = 0; k < SF_NR_MUTATIONS; k++)
		CHECK(mut.done[k] > 0);
}

KTEST(output_fits_a_small_max_size)
{
	static uint8_t buf[MAX_LEN];
	size_t len;

	sf_mutator_init(&mut, ~0u);
	len = parse_encode("kmalloc 64 GFP_KERNEL\nkmalloc 96 GFP_KERNEL\nkfree @0\n"
			   "vmalloc 9000\nkfree @1\n", buf, sizeof(buf));
	for (unsigned int seed = 0; seed < 500; seed++) {
		uint8_t copy[MAX_LEN];
		size_t out;

		memcpy(copy, buf, len);
		out = sf_mutate(&mut, copy, len, 12, seed);
		CHECK(out <= 12);
		CHECK(canonical(copy, out));
	}
}

/* fuzz_slab's mutator inserts slab and common ops only. */
KTEST(inserts_only_the_targets_ops)
{
	static uint8_t buf[MAX_LEN];
	size_t len = 3;
	unsigned int groups = SF_GROUP(SLAB) | SF_GROUP(COMMON), outside = 0;

	memset(buf, 0, sizeof(buf));
	sf_mutator_init(&mut, groups);
	for (unsigned int seed = 0; seed < 2000; seed++)
		len = sf_mutate(&mut, buf, len, MAX_LEN, seed);
	sf_decode(buf, len, &a);
	CHECK(a.nops > 10);
	for (unsigned int i = 0; i < a.nops; i++)
		outside += !(groups & (1u << sf_ops[a.ops[i].code].group));
	CHECK_EQ(outside, 0);
}

static uint64_t size_named(const struct sf_program *p, unsigned int op, unsigned int arg)
{
	uint64_t h = p->ops[op].arg[arg];

	return h == SF_REF_LAST ? UINT64_MAX : p->ops[h].arg[0];
}

KTEST(handles_survive_insertion_removal_and_swaps)
{
	char err[256];
	struct sf_op v = { .code = SF_OP_VALIDATE };

	CHECK_EQ(sf_parse("kmalloc 100 GFP_KERNEL\nkmalloc 200 GFP_KERNEL\n"
			  "kfree @0\nkfree @1\n", &b, err, sizeof(err)), 0);
	/* before everything, between the makers, between the uses */
	CHECK(sf_prog_insert(&b, 0, &v));
	CHECK(sf_prog_insert(&b, 2, &v));
	CHECK(sf_prog_insert(&b, 5, &v));
	CHECK_EQ(b.nops, 7);
	CHECK_EQ(b.ops[4].code, SF_OP_KFREE);
	CHECK_EQ(size_named(&b, 4, 0), 100);
	CHECK_EQ(b.ops[6].code, SF_OP_KFREE);
	CHECK_EQ(size_named(&b, 6, 0), 200);
	/* removing other ops keeps them; removing the maker makes @last */
	sf_prog_remove(&b, 0);
	sf_prog_remove(&b, 1);
	CHECK_EQ(size_named(&b, 2, 0), 100);
	CHECK_EQ(size_named(&b, 4, 0), 200);
	sf_prog_remove(&b, 1);		/* kmalloc 200 */
	CHECK_EQ(size_named(&b, 1, 0), 100);
	CHECK_EQ(b.ops[3].arg[0], SF_REF_LAST);
	/* swap the kmalloc with its kfree: the kfree may not name a later op */
	sf_prog_swap(&b, 0);
	CHECK_EQ(b.ops[0].code, SF_OP_KFREE);
	CHECK_EQ(b.ops[0].arg[0], SF_REF_LAST);
}

KTEST(swaps_retarget_later_handles)
{
	char err[256];

	CHECK_EQ(sf_parse("kmalloc 100 GFP_KERNEL\nvmalloc 300\nkfree @0\nvfree @1\n",
			  &b, err, sizeof(err)), 0);
	sf_prog_swap(&b, 0);
	CHECK_EQ(b.ops[0].code, SF_OP_VMALLOC);
	CHECK_EQ(b.ops[2].arg[0], 1);
	CHECK_EQ(b.ops[3].arg[0], 0);
}

KTEST(crossover_splices_op_lists)
{
	static uint8_t p1[MAX_LEN], p2[MAX_LEN], out[MAX_LEN];
	size_t l1 = parse_encode("config mem=8M\nkmalloc 100 GFP_KERNEL\nkmalloc 101 GFP_KERNEL\n"
				 "kfree @0\nkfree @1\n", p1, sizeof(p1));
	size_t l2 = parse_encode("config mem=16M\nvmalloc 5000\nvmalloc 5001\nvfree @1\n"
				 "vfree @0\n", p2, sizeof(p2));
	unsigned int mixed = 0;

	sf_mutator_init(&mut, ~0u);
	for (unsigned int seed = 0; seed < 300; seed++) {
		size_t n = sf_crossover(&mut, p1, l1, p2, l2, out, sizeof(out), seed);
		bool from1 = false, from2 = false;

		CHECK(canonical(out, n));
		CHECK_EQ(a.cfg.mem_idx, 1);	/* the first input's configuration */
		for (unsigned int i = 0; i < a.nops; i++) {
			const struct sf_op *op = &a.ops[i];

			if (op->code == SF_OP_KMALLOC || op->code == SF_OP_KFREE)
				from1 = true;
			else if (op->code == SF_OP_VMALLOC || op->code == SF_OP_VFREE)
				from2 = true;
			else
				CHECK(false);
			/* a vfree still names a vmalloc, and the same one */
			if (op->code == SF_OP_VFREE && op->arg[0] != SF_REF_LAST) {
				CHECK_EQ(a.ops[op->arg[0]].code, SF_OP_VMALLOC);
				CHECK(i == 0 || a.ops[i - 1].code != SF_OP_VFREE ||
				      a.ops[op->arg[0]].arg[0] == 5000);
			}
			if (op->code == SF_OP_KFREE && op->arg[0] != SF_REF_LAST)
				CHECK_EQ(a.ops[op->arg[0]].code, SF_OP_KMALLOC);
		}
		mixed += from1 && from2;
	}
	CHECK(mixed > 50);
}

KTEST(same_seed_same_mutation)
{
	static uint8_t in[32][MAX_LEN], x[MAX_LEN], y[MAX_LEN];
	static size_t len[32];
	size_t n = load_corpus("fuzz_mixed", in, len, 32);

	CHECK(n > 0);
	sf_mutator_init(&mut, ~0u);
	sf_mutator_init(&mut2, ~0u);
	for (unsigned int seed = 0; seed < 1000; seed++) {
		size_t i = seed % n, nx, ny;

		memcpy(x, in[i], len[i]);
		memcpy(y, in[i], len[i]);
		nx = sf_mutate(&mut, x, len[i], MAX_LEN, seed * 7919);
		ny = sf_mutate(&mut2, y, len[i], MAX_LEN, seed * 7919);
		CHECK_EQ(nx, ny);
		CHECK(!memcmp(x, y, nx));
	}
}

/* Configuration changes are rare and mostly land on a seen one. */
KTEST(configuration_changes_are_rare_and_mostly_seen)
{
	static uint8_t in[64][MAX_LEN], buf[MAX_LEN];
	static size_t len[64];
	size_t n = load_corpus("fuzz_mixed", in, len, 64);
	unsigned int changed = 0, seen = 0, runs = 4000;

	sf_mutator_init(&mut, ~0u);
	for (size_t i = 0; i < n; i++) {	/* let it see every seed's config */
		memcpy(buf, in[i], len[i]);
		sf_mutate(&mut, buf, len[i], MAX_LEN, (unsigned int)i);
	}
	for (unsigned int seed = 0; seed < runs; seed++) {
		size_t i = seed % n;

		memcpy(buf, in[i], len[i]);
		sf_mutate(&mut, buf, len[i], MAX_LEN, seed + 1000);
		if (memcmp(buf, in[i], SF_PREFIX_LEN)) {
			changed++;
			for (size_t j = 0; j < n; j++)
				if (!memcmp(buf, in[j], SF_PREFIX_LEN)) {
					seen++;
					break;
				}
		}
	}
	CHECK(changed > 0);
	CHECK(changed < runs / 10);
	CHECK(seen * 2 > changed);
}
