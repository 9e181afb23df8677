/*
 * The text form of a program: one "config" line, then one op per line, e.g.
 *
 *   config mem=16M cpus=2 debug=off merge=on ...
 *   kmalloc 96 GFP_KERNEL|__GFP_ZERO
 *   kfree @1
 *
 * sf_print writes the canonical spelling; sf_parse also accepts hex and
 * symbolic sizes, omitted config keys and comments, and reports the first
 * error as "line N: ...". Syntax: harness/FORMAT.md.
 */
#include "program.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <kalloc/mm.h>
#include <kalloc/slab.h>

/* Printing */

static const char *onoff(bool b)
{
	return b ? "on" : "off";
}

static int format_size(char *buf, size_t len, uint64_t v)
{
	if (v <= 0xffffffffull)
		return snprintf(buf, len, "%llu", (unsigned long long)v);
	return snprintf(buf, len, "0x%llx", (unsigned long long)v);
}

static int format_cflags(char *buf, size_t len, uint64_t v)
{
	int n = 0;

	if (!v)
		return snprintf(buf, len, "0");
	for (unsigned int i = 0; i < sf_nr_cflags; i++) {
		if (!(v & sf_cflags[i].bit))
			continue;
		n += snprintf(buf + (n < (int)len ? n : (int)len),
			      (size_t)n < len ? len - (size_t)n : 0, "%s%s",
			      n ? "|" : "", sf_cflags[i].name);
	}
	return n;
}

int sf_format_op(const struct sf_op *op, char *buf, size_t len)
{
	const struct sf_op_desc *d = &sf_ops[op->code];
	int n = snprintf(buf, len, "%s", d->name);

	for (unsigned int i = 0; i < d->nargs; i++) {
		char a[256];
		uint64_t v = op->arg[i];

		switch (d->arg[i]) {
		case SF_ARG_SIZE:
			format_size(a, sizeof(a), v);
			break;
		case SF_ARG_GFP:
			snprintf(a, sizeof(a), "%s", sf_gfp_table[v % sf_nr_gfp].name);
			break;
		case SF_ARG_SLOT:
		case SF_ARG_CACHE:
			if (v == SF_REF_LAST)
				snprintf(a, sizeof(a), "@last");
			else
				snprintf(a, sizeof(a), "@%llu", (unsigned long long)v);
			break;
		case SF_ARG_ALIGN:
			snprintf(a, sizeof(a), "%u", sf_align_table[v % SF_NR_ALIGNS]);
			break;
		case SF_ARG_CFLAGS:
			format_cflags(a, sizeof(a), v);
			break;
		default:	/* COUNT, ORDER, CPU, BYTE */
			snprintf(a, sizeof(a), "%u", (unsigned int)v);
			break;
		}
		n += snprintf(buf + (n < (int)len ? n : (int)len),
			      (size_t)n < len ? len - (size_t)n : 0, " %s", a);
	}
	return n;
}

void sf_print_op(const struct sf_op *op, FILE *out)
{
	char buf[512];

	sf_format_op(op, buf, sizeof(buf));
	fprintf(out, "%s\n", buf);
}

static const char *mem_name(unsigned int idx)
{
	static const char *const names[SF_NR_MEM_SIZES] = { "4M", "8M", "16M", "32M" };
	return names[idx % SF_NR_MEM_SIZES];
}

static const char *quarantine_name(unsigned int idx)
{
	static const char *const names[SF_NR_QUARANTINE] = { "0", "64K", "256K", "1M" };
	return names[idx % SF_NR_QUARANTINE];
}

void sf_print(const struct sf_program *prog, FILE *out)
{
	const struct sf_config *c = &prog->cfg;
	const char *dbg = sf_debug_table[c->debug_idx % SF_NR_DEBUG];

	fprintf(out, "config mem=%s cpus=%u debug=%s merge=%s random=%s "
		"hardened=%s dma32=%s quarantine=%s init_on_alloc=%s "
		"init_on_free=%s seed=%u page_poison=%s\n",
		mem_name(c->mem_idx), c->ncpus, dbg ? dbg : "off",
		onoff(!c->nomerge), onoff(c->freelist_random),
		onoff(!c->unhardened), onoff(c->dma32),
		quarantine_name(c->quarantine_idx), onoff(c->init_on_alloc),
		onoff(c->init_on_free), c->seed, onoff(c->page_poison));
	for (unsigned int i = 0; i < prog->nops; i++)
		sf_print_op(&prog->ops[i], out);
}

/* Parsing */

struct parser {
	unsigned int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "line %u: ", p->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Unsigned 64-bit number: decimal or 0x hex, nothing else. */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		if (!isxdigit((unsigned char)*s))
			return false;
		*out = strtoull(s, &end, 16);
	} else {
		*out = strtoull(s, &end, 10);
	}
	return !errno && !*end;
}

static const struct { const char *name; uint64_t value; } size_names[] = {
	{ "SIZE_MAX", UINT64_MAX },
	{ "KMALLOC_MAX_SIZE", KMALLOC_MAX_SIZE },
	{ "KMALLOC_MAX_CACHE_SIZE", KMALLOC_MAX_CACHE_SIZE },
	{ "PAGE_SIZE", PAGE_SIZE },
	{ "INT_MAX", 0x7fffffffull },
};

/* A size: a number, or NAME, NAME+N, NAME-N for the names above. */
static int parse_size(struct parser *p, const char *tok, uint64_t *out)
{
	uint64_t v, off = 0;
	const char *rest = tok;
	bool named = false;

	if (parse_u64(tok, &v))
		goto check;
	for (unsigned int i = 0; i < sizeof(size_names) / sizeof(size_names[0]); i++) {
		size_t n = strlen(size_names[i].name);

		if (!strncmp(tok, size_names[i].name, n) &&
		    (tok[n] == 0 || tok[n] == '+' || tok[n] == '-')) {
			v = size_names[i].value;
			rest = tok + n;
			named = true;
			break;
		}
	}
	if (!named)
		return perr(p, "bad size '%s'", tok);
	if (*rest) {
		if (!parse_u64(rest + 1, &off))
			return perr(p, "bad size '%s'", tok);
		v = *rest == '+' ? v + off : v - off;
	}
check:
	if (!sf_size_encodable(v))
		return perr(p, "size %s is not encodable (nearest: %llu): sizes are a "
			    "size class +-128 or below 2^24 with 16 significant bits",
			    tok, (unsigned long long)sf_size_nearest(v));
	*out = v;
	return 0;
}

static const struct { const char *name; gfp_t gfp; } gfp_names[] = {
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
	{ "GFP_KERNEL", GFP_KERNEL }, { "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT }, { "GFP_NOIO", GFP_NOIO },
	{ "GFP_NOFS", GFP_NOFS }, { "GFP_USER", GFP_USER },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
	{ "GFP_HIGHUSER", GFP_HIGHUSER }, { "GFP_DMA32", GFP_DMA32 },
	{ "GFP_DMA", GFP_DMA },
	{ "__GFP_DMA", __GFP_DMA }, { "__GFP_HIGHMEM", __GFP_HIGHMEM },
	{ "__GFP_DMA32", __GFP_DMA32 }, { "__GFP_MOVABLE", __GFP_MOVABLE },
	{ "__GFP_RECLAIMABLE", __GFP_RECLAIMABLE }, { "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_IO", __GFP_IO }, { "__GFP_FS", __GFP_FS },
	{ "__GFP_ZERO", __GFP_ZERO },
	{ "__GFP_DIRECT_RECLAIM", __GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", __GFP_KSWAPD_RECLAIM },
	{ "__GFP_RECLAIM", __GFP_RECLAIM }, { "__GFP_WRITE", __GFP_WRITE },
	{ "__GFP_NOWARN", __GFP_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", __GFP_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", __GFP_NOFAIL }, { "__GFP_NORETRY", __GFP_NORETRY },
	{ "__GFP_MEMALLOC", __GFP_MEMALLOC }, { "__GFP_COMP", __GFP_COMP },
	{ "__GFP_NOMEMALLOC", __GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL", __GFP_HARDWALL }, { "__GFP_THISNODE", __GFP_THISNODE },
	{ "__GFP_ACCOUNT", __GFP_ACCOUNT },
};

/* A GFP expression (names joined by '|'); its value must be in the table. */
static int parse_gfp(struct parser *p, const char *tok, uint64_t *out)
{
	char buf[256];
	gfp_t gfp = 0;
	char *save = NULL;

	if (strlen(tok) >= sizeof(buf))
		return perr(p, "GFP expression too long");
	strcpy(buf, tok);
	for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		unsigned int i;
		uint64_t v;

		for (i = 0; i < sizeof(gfp_names) / sizeof(gfp_names[0]); i++)
			if (!strcmp(t, gfp_names[i].name))
				break;
		if (i < sizeof(gfp_names) / sizeof(gfp_names[0]))
			gfp |= gfp_names[i].gfp;
		else if (parse_u64(t, &v) && v <= __GFP_BITS_MASK)
			gfp |= (gfp_t)v;
		else
			return perr(p, "unknown GFP flag '%s'", t);
	}
	for (unsigned int i = 0; i < sf_nr_gfp; i++) {
		if (sf_gfp_table[i].gfp == gfp) {
			*out = i;
			return 0;
		}
	}
	return perr(p, "GFP value %#x (%s) is not in the GFP table", gfp, tok);
}

/* A handle: @N, the op number N (from 0) of an earlier op, or @last. */
static int parse_ref(struct parser *p, const char *tok, unsigned int index,
		     const char *what, uint64_t *out)
{
	uint64_t v;

	if (!strcmp(tok, "@last")) {
		*out = SF_REF_LAST;
		return 0;
	}
	if (tok[0] != '@' || !parse_u64(tok + 1, &v))
		return perr(p, "%s must be @N (an earlier op's number) or @last, got '%s'",
			    what, tok);
	if (v >= index)
		return perr(p, "%s %s does not name an earlier op (this is op %u)",
			    what, tok, index);
	*out = v;
	return 0;
}

static int parse_range(struct parser *p, const char *tok, uint64_t lo,
		       uint64_t hi, const char *what, uint64_t *out)
{
	uint64_t v;

	if (!parse_u64(tok, &v) || v < lo || v > hi)
		return perr(p, "%s must be %llu..%llu, got '%s'", what,
			    (unsigned long long)lo, (unsigned long long)hi, tok);
	*out = v;
	return 0;
}

static int parse_cflags(struct parser *p, const char *tok, uint64_t *out)
{
	char buf[256];
	char *save = NULL;
	uint64_t v = 0;

	if (!strcmp(tok, "0")) {
		*out = 0;
		return 0;
	}
	if (strlen(tok) >= sizeof(buf))
		return perr(p, "flags too long");
	strcpy(buf, tok);
	for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		unsigned int i;

		for (i = 0; i < sf_nr_cflags; i++)
			if (!strcmp(t, sf_cflags[i].name))
				break;
		if (i == sf_nr_cflags)
			return perr(p, "unknown cache flag '%s'", t);
		v |= sf_cflags[i].bit;
	}
	*out = v;
	return 0;
}

static int parse_arg(struct parser *p, enum sf_arg_kind kind, const char *tok,
		     unsigned int index, uint64_t *out)
{
	switch (kind) {
	case SF_ARG_SIZE:
		return parse_size(p, tok, out);
	case SF_ARG_GFP:
		return parse_gfp(p, tok, out);
	case SF_ARG_SLOT:
		return parse_ref(p, tok, index, "object", out);
	case SF_ARG_CACHE:
		return parse_ref(p, tok, index, "cache", out);
	case SF_ARG_COUNT:
		return parse_range(p, tok, 1, 16, "count", out);
	case SF_ARG_ORDER:
		return parse_range(p, tok, 0, SF_NR_ORDERS - 1, "order", out);
	case SF_ARG_CPU:
		return parse_range(p, tok, 0, 255, "cpu", out);
	case SF_ARG_BYTE:
		return parse_range(p, tok, 0, 255, "byte", out);
	case SF_ARG_ALIGN: {
		uint64_t v;

		if (parse_u64(tok, &v))
			for (unsigned int i = 0; i < SF_NR_ALIGNS; i++)
				if (sf_align_table[i] == v) {
					*out = i;
					return 0;
				}
		return perr(p, "align must be one of 0 4 8 16 32 64 128 256, got '%s'", tok);
	}
	case SF_ARG_CFLAGS:
		return parse_cflags(p, tok, out);
	case SF_ARG_NONE:
	case SF_NR_ARG_KINDS:
		break;
	}
	return perr(p, "internal: bad argument kind");
}

static bool parse_onoff(const char *v, bool *out)
{
	if (!strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "off"))
		*out = false;
	else
		return false;
	return true;
}

static int parse_config(struct parser *p, char **tok, int ntok, struct sf_config *c)
{
	for (int i = 1; i < ntok; i++) {
		char *k = tok[i], *v = strchr(k, '=');
		bool b;
		uint64_t n;
		unsigned int j;

		if (!v)
			return perr(p, "config: expected key=value, got '%s'", k);
		*v++ = 0;
		if (!strcmp(k, "mem")) {
			for (j = 0; j < SF_NR_MEM_SIZES; j++)
				if (!strcmp(v, mem_name(j)))
					break;
			if (j == SF_NR_MEM_SIZES)
				return perr(p, "config: mem must be 4M, 8M, 16M or 32M");
			c->mem_idx = (uint8_t)j;
		} else if (!strcmp(k, "cpus")) {
			if (!parse_u64(v, &n) || n < 1 || n > 4)
				return perr(p, "config: cpus must be 1..4");
			c->ncpus = (uint8_t)n;
		} else if (!strcmp(k, "debug")) {
			for (j = 0; j < SF_NR_DEBUG; j++)
				if (sf_debug_table[j] ? !strcmp(v, sf_debug_table[j])
						      : !strcmp(v, "off"))
					break;
			if (j == SF_NR_DEBUG)
				return perr(p, "config: debug=%s is not in the slab_debug table", v);
			c->debug_idx = (uint8_t)j;
		} else if (!strcmp(k, "quarantine")) {
			for (j = 0; j < SF_NR_QUARANTINE; j++)
				if (!strcmp(v, quarantine_name(j)))
					break;
			if (j == SF_NR_QUARANTINE)
				return perr(p, "config: quarantine must be 0, 64K, 256K or 1M");
			c->quarantine_idx = (uint8_t)j;
		} else if (!strcmp(k, "seed")) {
			if (!parse_u64(v, &n) || n > 127)
				return perr(p, "config: seed must be 0..127");
			c->seed = (uint8_t)n;
		} else if (!parse_onoff(v, &b)) {
			return perr(p, "config: %s must be on or off", k);
		} else if (!strcmp(k, "merge")) {
			c->nomerge = !b;
		} else if (!strcmp(k, "random")) {
			c->freelist_random = b;
		} else if (!strcmp(k, "hardened")) {
			c->unhardened = !b;
		} else if (!strcmp(k, "dma32")) {
			c->dma32 = b;
		} else if (!strcmp(k, "init_on_alloc")) {
			c->init_on_alloc = b;
		} else if (!strcmp(k, "init_on_free")) {
			c->init_on_free = b;
		} else if (!strcmp(k, "page_poison")) {
			c->page_poison = b;
		} else {
			return perr(p, "config: unknown key '%s'", k);
		}
	}
	return 0;
}

#define MAX_TOKENS 16

/* Split a line in place; a token starting with '#' starts a comment. */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *s = line;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s)
			break;
		if (*s == '#')
			break;
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

static int parse_line(struct parser *p, char *line, struct sf_program *prog,
		      bool *seen_config)
{
	char *tok[MAX_TOKENS];
	int ntok = tokenize(line, tok);
	const struct sf_op_desc *d;
	struct sf_op *op;
	unsigned int code;

	if (ntok < 0)
		return perr(p, "too many tokens");
	if (ntok == 0)
		return 0;
	if (!strcmp(tok[0], "config")) {
		if (*seen_config)
			return perr(p, "a second config line");
		if (prog->nops)
			return perr(p, "config must come before the first op");
		*seen_config = true;
		return parse_config(p, tok, ntok, &prog->cfg);
	}
	for (code = 0; code < SF_NR_OPS; code++)
		if (!strcmp(tok[0], sf_ops[code].name))
			break;
	if (code == SF_NR_OPS)
		return perr(p, "unknown op '%s'", tok[0]);
	d = &sf_ops[code];
	if (ntok - 1 != d->nargs)
		return perr(p, "%s takes %u argument%s, got %d", d->name,
			    d->nargs, d->nargs == 1 ? "" : "s", ntok - 1);
	if (prog->nops == SF_MAX_OPS)
		return perr(p, "more than %d ops", SF_MAX_OPS);
	op = &prog->ops[prog->nops];
	memset(op, 0, sizeof(*op));
	op->code = (uint8_t)code;
	for (unsigned int i = 0; i < d->nargs; i++)
		if (parse_arg(p, d->arg[i], tok[i + 1], prog->nops, &op->arg[i]))
			return -1;
	prog->nops++;
	return 0;
}

int sf_parse(const char *text, struct sf_program *prog, char *err, size_t errlen)
{
	struct parser p = { 0, err, errlen };
	bool seen_config = false;
	const char *s = text;

	sf_config_default(&prog->cfg);
	prog->nops = 0;
	if (errlen)
		err[0] = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[1024];

		p.line++;
		if (n >= sizeof(line))
			return perr(&p, "line too long");
		memcpy(line, s, n);
		line[n] = 0;
		if (parse_line(&p, line, prog, &seen_config))
			return -1;
		s += n + (nl ? 1 : 0);
	}
	return 0;
}
