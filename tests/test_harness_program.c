/*
 * The harness's program format: the decoder accepts every byte string,
 * the encoder is its inverse, the text form round-trips, the parser names
 * the line of an error, and the tables are consistent.
 */
#include "ktest.h"
#include <stdio.h>

#include <stdint.h>

#include "program.h"

static struct sf_program a, b, c;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char *print_str(const struct sf_program *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	sf_print(p, f);
	fclose(f);
	return buf;
}

static size_t encode(const struct sf_program *p, uint8_t *buf, size_t cap)
{
	size_t n = sf_encode(p, buf, cap);

	CHECK_EQ(n, sf_encoded_len(p));
	return n;
}

KTEST(decode_empty_is_default_config)
{
	sf_decode(NULL, 0, &a);
	CHECK_EQ(a.nops, 0);
	CHECK_EQ(a.cfg.mem_idx, 0);
	CHECK_EQ(a.cfg.ncpus, 1);
	CHECK_EQ(a.cfg.debug_idx, 0);
	CHECK(!a.cfg.nomerge);
	CHECK(!a.cfg.unhardened);
}

KTEST(decode_prefix_fields)
{
	/* mem 32M, 4 cpus, nomerge, random, init_on_alloc, init_on_free;
	 * debug FZPU, quarantine 1M, unhardened, dma32; seed 77 */
	const uint8_t in[] = { 0xff, 0x09 | 0x30 | 0x40 | 0x80, 77 };

	sf_decode(in, sizeof(in), &a);
	CHECK_EQ(sf_mem_sizes[a.cfg.mem_idx], 32u << 20);
	CHECK_EQ(a.cfg.ncpus, 4);
	CHECK(a.cfg.nomerge && a.cfg.freelist_random);
	CHECK(a.cfg.init_on_alloc && a.cfg.init_on_free);
	CHECK_STR(sf_debug_table[a.cfg.debug_idx], "FZPU");
	CHECK_EQ(sf_quarantine_sizes[a.cfg.quarantine_idx], 1u << 20);
	CHECK(a.cfg.unhardened && a.cfg.dma32);
	CHECK_EQ(a.cfg.seed, 77);
	CHECK(!a.cfg.page_poison);
}

KTEST(decode_prefix_page_poison_is_the_seed_bytes_top_bit)
{
	const uint8_t in[] = { 0, 0, 0x80 | 77 };

	sf_decode(in, sizeof(in), &a);
	CHECK(a.cfg.page_poison);
	CHECK_EQ(a.cfg.seed, 77);
}

KTEST(truncated_arguments_read_as_zero)
{
	const uint8_t in[] = { 0, 0, 0, SF_OP_KCALLOC, 0xa2 };

	sf_decode(in, sizeof(in), &a);
	CHECK_EQ(a.nops, 1);
	CHECK_EQ(a.ops[0].code, SF_OP_KCALLOC);
	/* raw 2^(130 - 0xa0 mod 24): both mantissa bytes missing */
	CHECK_EQ(a.ops[0].arg[0], 4);
	CHECK_EQ(a.ops[0].arg[1], sf_size_classes[0]);
	CHECK_EQ(a.ops[0].arg[2], 0);		/* GFP_KERNEL */
}

KTEST(opcode_and_argument_bytes_wrap)
{
	const uint8_t in[] = { 0, 0, 0, SF_NR_OPS + SF_OP_ALLOC_PAGES, 13, 200,
			       SF_OP_KMALLOC_ARRAY + 2 * SF_NR_OPS, 3, 0, 0, 3, 0, 0, 0 };

	sf_decode(in, sizeof(in), &a);
	CHECK_EQ(a.nops, 2);
	CHECK_EQ(a.ops[0].code, SF_OP_ALLOC_PAGES);
	CHECK_EQ(a.ops[0].arg[0], 13 % SF_NR_ORDERS);
	CHECK_EQ(a.ops[0].arg[1], 200 % sf_nr_gfp);
	CHECK_EQ(a.ops[1].code, SF_OP_KMALLOC_ARRAY);
}

KTEST(size_encodings)
{
	/* class 13 (8192) - 1; class 5 (96) + 127; raw 2^12 + 0x1234 >> 4 */
	const uint8_t minus[] = { 0, 0, 0, SF_OP_VMALLOC, 13, 0xff, 0 };
	const uint8_t plus[] = { 0, 0, 0, SF_OP_VMALLOC, 5, 127, 0 };
	const uint8_t raw[] = { 0, 0, 0, SF_OP_VMALLOC, SF_SIZE_RAW_SEL + 12, 0x34, 0x12 };
	const uint8_t big[] = { 0, 0, 0, SF_OP_VMALLOC, SF_SIZE_RAW_SEL + 20, 1, 0 };
	const uint8_t wrap[] = { 0, 0, 0, SF_OP_VMALLOC, SF_SIZE_RAW_SEL + SF_SIZE_RAW_EXPS, 0, 0 };
	const uint8_t sat[] = { 0, 0, 0, SF_OP_VMALLOC, 1, 0x80, 0 };	/* 8 - 128 */
	const uint8_t top[] = { 0, 0, 0, SF_OP_VMALLOC, (uint8_t)(sf_nr_size_classes - 1), 5, 0 };

	sf_decode(minus, sizeof(minus), &a);
	CHECK_EQ(a.ops[0].arg[0], 8191);
	sf_decode(plus, sizeof(plus), &a);
	CHECK_EQ(a.ops[0].arg[0], 96 + 127);
	sf_decode(raw, sizeof(raw), &a);
	CHECK_EQ(a.ops[0].arg[0], 4096 + (0x1234 >> 4));
	sf_decode(big, sizeof(big), &a);
	CHECK_EQ(a.ops[0].arg[0], (1u << 20) + 16);
	sf_decode(wrap, sizeof(wrap), &a);
	CHECK_EQ(a.ops[0].arg[0], 1);
	sf_decode(sat, sizeof(sat), &a);
	CHECK_EQ(a.ops[0].arg[0], 0);
	sf_decode(top, sizeof(top), &a);
	CHECK_EQ(a.ops[0].arg[0], UINT64_MAX);
	/* past the canonical selectors: kmalloc classes, small exponents,
	 * and an odd third byte shrinks the offset */
	{
		const uint8_t k[] = { 0, 0, 0, SF_OP_VMALLOC, 34 + 13 + 4, 0xff, 1 };
		const uint8_t e[] = { 0, 0, 0, SF_OP_VMALLOC, SF_SIZE_RAW_SEL + 24 + 14 + 3, 0, 0 };

		sf_decode(k, sizeof(k), &a);
		CHECK_EQ(a.ops[0].arg[0], 96);		/* class 5, -1 / 16 = 0 */
		sf_decode(e, sizeof(e), &a);
		CHECK_EQ(a.ops[0].arg[0], 8);		/* 2^3 */
	}

	CHECK(sf_size_encodable((1u << 24) - 256));	/* raw, step 256 */
	CHECK(!sf_size_encodable((1u << 24) - 255));
	CHECK(!sf_size_encodable((1u << 24) + 1000));	/* beyond raw, off classes */
	CHECK(sf_size_encodable((16u << 20) - 128));	/* 16M - 128 */
	CHECK(sf_size_encodable(UINT64_MAX));
	CHECK(sf_size_encodable((4u << 20) + 1));	/* KMALLOC_MAX_SIZE + 1 */
	CHECK(sf_size_encodable(65535));
	CHECK(!sf_size_encodable(150001));		/* 2^17 range: step 2 */
	CHECK_EQ(sf_size_nearest(150001), 150002);
	CHECK_EQ(sf_size_nearest((1u << 24) - 255), (1u << 24) - 256);
	for (uint64_t v = 0; v < 70000; v++)
		CHECK(sf_size_encodable(v));
}

/* The class form is canonical: nearest class, then the lowest index. */
KTEST(size_canonical_bytes)
{
	static const struct { uint64_t size; uint8_t b[3]; } cases[] = {
		{ 0, { 0, 0, 0 } },
		{ 9, { 1, 1, 0 } },		/* 8 + 1 */
		{ 15, { 2, 0xff, 0 } },		/* 16 - 1 */
		{ 100, { 5, 4, 0 } },		/* 96 + 4 */
		{ 8193, { 13, 1, 0 } },
		{ 3000, { SF_SIZE_RAW_SEL + 11, 0x00, 0x77 } },	/* 2048 + 952 */
		{ UINT64_MAX - 1, { 33, 0xff, 0 } },
	};
	uint8_t buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;

		sf_config_default(&a.cfg);
		a.nops = 1;
		a.ops[0] = (struct sf_op){ .code = SF_OP_VMALLOC, .arg = { cases[i].size } };
		n = encode(&a, buf, sizeof(buf));
		CHECK_EQ(n, SF_PREFIX_LEN + 4);
		CHECK(!memcmp(buf + SF_PREFIX_LEN + 1, cases[i].b, 3));
		sf_decode(buf, n, &b);
		CHECK_EQ(b.ops[0].arg[0], cases[i].size);
	}
	CHECK_EQ(sf_size_classes[13], 8192);
	CHECK_EQ(sf_size_classes[33], UINT64_MAX);
}

/* A handle byte is the distance back to the op that made the object. */
KTEST(handles_name_ops_by_distance)
{
	const uint8_t in[] = { 0, 0, 0,
		SF_OP_KMALLOC, 4, 0, 0, 0,	/* op 0 */
		SF_OP_VALIDATE,			/* op 1 */
		SF_OP_KFREE, 2,			/* op 2: op 0 */
		SF_OP_KFREE, 0,			/* op 3: @last */
		SF_OP_KFREE, 9,			/* op 4: before the start: @last */
		SF_OP_CACHE_ALLOC, 4, 0,	/* op 5: op 1 */
	};

	sf_decode(in, sizeof(in), &a);
	CHECK_EQ(a.nops, 6);
	CHECK_EQ(a.ops[2].arg[0], 0);
	CHECK_EQ(a.ops[3].arg[0], SF_REF_LAST);
	CHECK_EQ(a.ops[4].arg[0], SF_REF_LAST);
	CHECK_EQ(a.ops[5].arg[0], 1);
}

/* Format 1 decodes to its own sizes and raw handle bytes. */
KTEST(v1_decoder)
{
	const uint8_t in[] = { 0x01, 0, 0,
		0, 65, 0, 0, 0,			/* kmalloc v1_sizes[65] = 4M-1 */
		0, 224, 1, 0, 5,		/* kmalloc 0x10001, gfp 5 */
		6, 7,				/* kfree #7 */
		42 + 18, 3, 0,			/* alloc_pages (mod 42) */
	};
	struct sf_v1_info info;

	sf_decode_v1(in, sizeof(in), &a, &info);
	CHECK_EQ(info.ops, 4);
	CHECK_EQ(info.dropped, 0);
	CHECK_EQ(a.cfg.mem_idx, 1);
	CHECK_EQ(a.ops[0].arg[0], (4u << 20) - 1);
	CHECK_EQ(a.ops[1].arg[0], 0x10001);
	CHECK_EQ(a.ops[1].arg[1], 5);
	CHECK_EQ(a.ops[2].code, SF_OP_KFREE);
	CHECK_EQ(a.ops[2].arg[0], 7);
	CHECK_EQ(a.ops[3].code, SF_OP_ALLOC_PAGES);
	CHECK_EQ(a.ops[3].arg[0], 3);
}

KTEST(v1_decoder_drops_ops_past_the_cap)
{
	static uint8_t in[SF_PREFIX_LEN + 300];
	struct sf_v1_info info;

	memset(in, SF_OP_VALIDATE, sizeof(in));
	sf_decode_v1(in, sizeof(in), &a, &info);
	CHECK_EQ(info.ops, 300);
	CHECK_EQ(info.dropped, 300 - SF_MAX_OPS);
	CHECK_EQ(a.nops, SF_MAX_OPS);
}

static const char *arg_kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[SF_ARG_NONE] = "-", [SF_ARG_SIZE] = "SIZE", [SF_ARG_GFP] = "GFP",
		[SF_ARG_SLOT] = "SLOT", [SF_ARG_CACHE] = "CACHE",
		[SF_ARG_COUNT] = "COUNT", [SF_ARG_ORDER] = "ORDER",
		[SF_ARG_ALIGN] = "ALIGN", [SF_ARG_CFLAGS] = "CFLAGS",
		[SF_ARG_CPU] = "CPU", [SF_ARG_BYTE] = "BYTE",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

/* FORMAT.md's op list ("| N | `name` | ARGS | ... |") is the op table:
 * every row once, in opcode order, with its argument kinds ("SIZE(n)"
 * annotations aside). */
KTEST(format_md_lists_the_op_table)
{
	FILE *f = fopen(SF_SOURCE_DIR "/harness/FORMAT.md", "r");
	char line[1024];
	unsigned int next = 0;
	bool in_ops = false;

	CHECK(f != NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned int code;
		char name[64], args[256], want[256] = "";
		const struct sf_op_desc *d;
		char *p, *q;

		if (!strncmp(line, "## ", 3))
			in_ops = !strncmp(line, "## Operations", 13);
		if (!in_ops || sscanf(line, "| %u | `%63[^`]` | %255[^|]|", &code, name, args) != 3)
			continue;
		CHECK_EQ(code, next);
		if (code >= SF_NR_OPS || code != next) {
			fprintf(stderr, "FORMAT.md: op row %u out of place: %s", code, line);
			break;
		}
		d = &sf_ops[code];
		CHECK_STR(name, d->name);
		/* "SIZE(n) SIZE GFP " -> "SIZE SIZE GFP" */
		for (p = q = args; *p; p++) {
			if (*p == '(') {
				while (*p && *p != ')')
					p++;
				if (!*p)
					break;
				continue;
			}
			*q++ = *p;
		}
		while (q > args && q[-1] == ' ')
			q--;
		*q = 0;
		for (unsigned int i = 0; i < d->nargs; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
				 i ? " " : "", arg_kind_name(d->arg[i]));
		if (!d->nargs)
			snprintf(want, sizeof(want), "\u2014");
		CHECK_STR(args, want);
		next++;
	}
	fclose(f);
	CHECK_EQ(next, SF_NR_OPS);
}

KTEST(tables_are_consistent)
{
	CHECK(sf_nr_size_classes <= SF_SIZE_RAW_SEL);
	CHECK(sf_nr_gfp <= 256);
	/* a GFP value twice would make the text form ambiguous */
	for (unsigned int i = 0; i < sf_nr_gfp; i++)
		for (unsigned int j = i + 1; j < sf_nr_gfp; j++)
			CHECK(sf_gfp_table[i].gfp != sf_gfp_table[j].gfp);
	for (unsigned int i = 0; i < SF_NR_OPS; i++) {
		CHECK(sf_ops[i].name != NULL);
		for (unsigned int j = i + 1; j < SF_NR_OPS; j++)
			CHECK(strcmp(sf_ops[i].name, sf_ops[j].name) != 0);
	}
	/* every kmalloc class and page order is a size class */
	for (uint64_t cls = 8; cls <= (4u << 20); cls *= 2) {
		bool found = false;

		for (unsigned int i = 0; i < sf_nr_size_classes; i++)
			found |= sf_size_classes[i] == cls;
		CHECK(found);
	}
}

static void random_program(struct sf_program *p)
{
	uint8_t cfg[3] = { (uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)rnd() };

	sf_decode(cfg, 3, p);
	p->nops = (unsigned int)(rnd() % 300);
	if (p->nops > SF_MAX_OPS)
		p->nops = SF_MAX_OPS;
	for (unsigned int i = 0; i < p->nops; i++) {
		struct sf_op *op = &p->ops[i];
		const struct sf_op_desc *d;

		memset(op, 0, sizeof(*op));
		op->code = (uint8_t)(rnd() % SF_NR_OPS);
		d = &sf_ops[op->code];
		for (unsigned int k = 0; k < d->nargs; k++) {
			uint64_t r = rnd();

			switch (d->arg[k]) {
			case SF_ARG_SIZE:
				op->arg[k] = r & 1 ? sf_size_classes[r % sf_nr_size_classes] +
						     (uint64_t)((int)(r >> 8) % 100)
						   : (r >> 8) % 65536;
				if (!sf_size_encodable(op->arg[k]))
					op->arg[k] = 0;
				break;
			case SF_ARG_SLOT:
			case SF_ARG_CACHE:
				op->arg[k] = i && (r & 3) ? (r >> 8) % i : SF_REF_LAST;
				break;
			case SF_ARG_GFP: op->arg[k] = r % sf_nr_gfp; break;
			case SF_ARG_COUNT: op->arg[k] = r % 16 + 1; break;
			case SF_ARG_ORDER: op->arg[k] = r % SF_NR_ORDERS; break;
			case SF_ARG_ALIGN: op->arg[k] = r % SF_NR_ALIGNS; break;
			case SF_ARG_CFLAGS: op->arg[k] = r & SF_CFLAGS_MASK; break;
			default: op->arg[k] = r & 0xff; break;
			}
		}
	}
}

KTEST(encode_then_decode_is_identity)
{
	static uint8_t buf[SF_MAX_OPS * 8];

	for (int i = 0; i < 2000; i++) {
		size_t n;

		random_program(&a);
		n = encode(&a, buf, sizeof(buf));
		sf_decode(buf, n, &b);
		CHECK(sf_program_equal(&a, &b));
	}
}

KTEST(random_bytes_decode_encode_decode_is_a_fixed_point)
{
	static uint8_t in[700], out[SF_MAX_OPS * 8], again[SF_MAX_OPS * 8];

	for (int i = 0; i < 5000; i++) {
		size_t len = rnd() % sizeof(in), n;

		for (size_t k = 0; k < len; k++)
			in[k] = (uint8_t)rnd();
		sf_decode(in, len, &a);
		n = encode(&a, out, sizeof(out));
		sf_decode(out, n, &b);
		CHECK(sf_program_equal(&a, &b));
		/* and encoding is canonical from there on */
		CHECK_EQ(encode(&b, again, sizeof(again)), n);
		CHECK(!memcmp(again, out, n));
	}
}

KTEST(text_round_trip)
{
	static uint8_t buf[SF_MAX_OPS * 8];
	char err[256];

	for (int i = 0; i < 1000; i++) {
		char *t1, *t2;
		size_t n;

		random_program(&a);
		t1 = print_str(&a);
		CHECK_EQ(sf_parse(t1, &b, err, sizeof(err)), 0);
		CHECK(sf_program_equal(&a, &b));
		/* text -> program -> bytes -> program -> text */
		n = encode(&b, buf, sizeof(buf));
		sf_decode(buf, n, &c);
		t2 = print_str(&c);
		CHECK_STR(t1, t2);
		free(t1);
		free(t2);
	}
}

KTEST(canonical_text)
{
	const char *text =
		"config mem=16M cpus=2 debug=FZ,kmalloc-64 merge=off random=on "
		"hardened=on dma32=off quarantine=64K init_on_alloc=on "
		"init_on_free=off seed=9 page_poison=on\n"
		"kmalloc 96 GFP_KERNEL|__GFP_ZERO\n"
		"kcalloc 0xffffffffffffffff 16 GFP_ATOMIC\n"
		"kmem_cache_create 100 64 SLAB_HWCACHE_ALIGN|SLAB_POISON|ctor\n"
		"kmem_cache_alloc_bulk @2 16 GFP_NOWAIT\n"
		"alloc_pages 11 GFP_KERNEL|GFP_DMA\n"
		"kfree @0\n"
		"kfree @last\n"
		"validate\n";
	char err[256], *out;

	CHECK_EQ(sf_parse(text, &a, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_EQ(a.nops, 8);
	CHECK_EQ(a.cfg.ncpus, 2);
	CHECK(a.cfg.nomerge);
	CHECK(a.cfg.page_poison);
	CHECK_EQ(a.ops[1].arg[0], UINT64_MAX);
	CHECK_EQ(a.ops[2].arg[2], SF_CFLAG_CTOR | 1u | 1u << 6);
	CHECK_EQ(a.ops[3].arg[0], 2);
	CHECK_EQ(a.ops[3].arg[1], 16);
	CHECK_EQ(a.ops[6].arg[0], SF_REF_LAST);
	out = print_str(&a);
	CHECK_STR(out, text);
	free(out);
}

KTEST(parser_accepts_symbols_hex_comments_and_any_flag_order)
{
	const char *text =
		"# a comment line\n"
		"\n"
		"   kmalloc KMALLOC_MAX_SIZE+1 __GFP_ZERO|GFP_KERNEL   # trailing\n"
		"kmalloc KMALLOC_MAX_CACHE_SIZE-1 GFP_KERNEL\n"
		"vmalloc 0x2000\n"
		"kvmalloc SIZE_MAX GFP_KERNEL\n"
		"krealloc @3 PAGE_SIZE GFP_NOWAIT\n";
	char err[256];

	CHECK_EQ(sf_parse(text, &a, err, sizeof(err)), 0);
	CHECK_EQ(a.nops, 5);
	CHECK_EQ(a.ops[0].arg[0], (4u << 20) + 1);
	CHECK_STR(sf_gfp_table[a.ops[0].arg[1]].name, "GFP_KERNEL|__GFP_ZERO");
	CHECK_EQ(a.ops[1].arg[0], 8191);
	CHECK_EQ(a.ops[2].arg[0], 0x2000);
	CHECK_EQ(a.ops[3].arg[0], UINT64_MAX);
	CHECK_EQ(a.ops[4].arg[0], 3);
	CHECK_EQ(a.ops[4].arg[1], 4096);
}

static void expect_error(const char *text, const char *msg)
{
	char err[256];

	CHECK_EQ(sf_parse(text, &a, err, sizeof(err)), -1);
	CHECK_STR(err, msg);
}

KTEST(parse_errors_name_the_line)
{
	expect_error("kmalloc 8 GFP_KERNEL\nfrob\n", "line 2: unknown op 'frob'");
	expect_error("\n\nkmalloc 8\n", "line 3: kmalloc takes 2 arguments, got 1");
	expect_error("kmalloc 3000001 GFP_KERNEL\n",
		     "line 1: size 3000001 is not encodable (nearest: 3000000): sizes are a "
		     "size class +-128 or below 2^24 with 16 significant bits");
	expect_error("kmalloc 08x GFP_KERNEL\n", "line 1: bad size '08x'");
	expect_error("kmalloc 8 GFP_KERNEL|__GFP_BOGUS\n",
		     "line 1: unknown GFP flag '__GFP_BOGUS'");
	expect_error("kmalloc 8 __GFP_ZERO\n",
		     "line 1: GFP value 0x100 (__GFP_ZERO) is not in the GFP table");
	expect_error("kfree 3\n",
		     "line 1: object must be @N (an earlier op's number) or @last, got '3'");
	expect_error("validate\nkfree @1\n",
		     "line 2: object @1 does not name an earlier op (this is op 1)");
	expect_error("kmem_cache_alloc $1 GFP_KERNEL\n",
		     "line 1: cache must be @N (an earlier op's number) or @last, got '$1'");
	expect_error("alloc_pages 12 GFP_KERNEL\n", "line 1: order must be 0..11, got '12'");
	expect_error("kmem_cache_create 64 3 0\n",
		     "line 1: align must be one of 0 4 8 16 32 64 128 256, got '3'");
	expect_error("kmem_cache_create 64 8 SLAB_BOGUS\n",
		     "line 1: unknown cache flag 'SLAB_BOGUS'");
	expect_error("kmem_cache_alloc_bulk @last 17 GFP_KERNEL\n",
		     "line 1: count must be 1..16, got '17'");
	expect_error("validate\nconfig mem=8M\n", "line 2: config must come before the first op");
	expect_error("config mem=8M\nconfig mem=8M\n", "line 2: a second config line");
	expect_error("config mem=5M\n", "line 1: config: mem must be 4M, 8M, 16M or 32M");
	expect_error("config cpus=5\n", "line 1: config: cpus must be 1..4");
	expect_error("config debug=FZQ\n",
		     "line 1: config: debug=FZQ is not in the slab_debug table");
	expect_error("config merge=yes\n", "line 1: config: merge must be on or off");
	expect_error("config colour=on\n", "line 1: config: unknown key 'colour'");
	expect_error("config seed\n", "line 1: config: expected key=value, got 'seed'");
	expect_error("config seed=128\n", "line 1: config: seed must be 0..127");
	expect_error("config page_poison=1\n", "line 1: config: page_poison must be on or off");
}

KTEST(missing_config_keys_default)
{
	char err[256];

	CHECK_EQ(sf_parse("config cpus=3 debug=-\nvalidate\n", &a, err, sizeof(err)), 0);
	CHECK_EQ(a.cfg.ncpus, 3);
	CHECK_EQ(a.cfg.mem_idx, 0);
	CHECK_STR(sf_debug_table[a.cfg.debug_idx], "-");
	CHECK_EQ(a.nops, 1);
}

KTEST(op_table_limits_are_enforced)
{
	static char text[SF_MAX_OPS * 10 + 64];
	char err[256];
	size_t n = 0;

	for (int i = 0; i <= SF_MAX_OPS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "validate\n");
	CHECK_EQ(sf_parse(text, &a, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 257: more than 256 ops");
}
