/*
 * Delta debugging of a finding's input (minimize.h), in the order that
 * leaves the smallest readable program:
 *
 *   1. ops: drop chunks of ops, halving the chunk down to single ops and
 *      repeating single-op passes until none can go (ddmin; handles of
 *      the ops left keep naming their ops, sf_prog_remove);
 *   2. arguments toward canonical values: sizes to the smallest power of
 *      two that keeps the title, GFP to GFP_KERNEL, counts to 1, orders
 *      to 0, flags cleared bit by bit, CPUs and variant bytes to 0;
 *   3. the configuration toward the all-zero prefix, field by field, and
 *      then another single-op pass (a simpler machine may need fewer ops);
 *   4. bytes: the encoding truncated (a reader reads zeros past the end)
 *      and single bytes dropped or zeroed, kept only when the program does
 *      not grow.
 *
 * A candidate is kept when a fresh run (runner.c) gives exactly the same
 * title (or, for a detected misuse, runs clean with the same expected
 * report). Every run is a fresh machine, so the result does not depend on
 * the order candidates were tried in, only on the input and the target.
 */
#include "minimize.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mutate.h"
#include "runner.h"

struct minimizer {
	const struct sf_profile *prof;
	const char *title;
	bool detected;
	unsigned int timeout, max_runs, runs;
};

static bool keeps_bytes(struct minimizer *m, const uint8_t *data, size_t len)
{
	struct sfz_run_opts opts = { .timeout = m->timeout };
	struct sfz_result r;
	bool same;

	if (m->runs >= m->max_runs)
		return false;
	m->runs++;
	sfz_run(m->prof, data, len, &opts, &r);
	same = m->detected ? r.outcome == SFZ_RUN_CLEAN && !strcmp(r.detected, m->title)
			   : sfz_same_outcome(&r, m->title);
	sfz_result_free(&r);
	return same;
}

static bool keeps(struct minimizer *m, const struct sf_program *p)
{
	size_t len;
	uint8_t *buf = sfz_encode(p, &len);
	bool same = keeps_bytes(m, buf, len);

	free(buf);
	return same;
}

/* ------------------------------------------------------------------ */
/* 1. ops                                                              */
/* ------------------------------------------------------------------ */

static void remove_range(struct sf_program *p, unsigned int at, unsigned int n)
{
	while (n--)
		sf_prog_remove(p, at + n);
}

/* One pass with chunks of n ops, from the end; true if any went. */
static bool drop_pass(struct minimizer *m, struct sf_program *p, unsigned int n)
{
	static struct sf_program cand;
	bool any = false;

	for (unsigned int end = p->nops; end > 0;) {
		unsigned int at = end >= n ? end - n : 0;

		cand = *p;
		remove_range(&cand, at, end - at);
		if (keeps(m, &cand)) {
			*p = cand;
			any = true;
		}
		end = at;
	}
	return any;
}

static void drop_ops(struct minimizer *m, struct sf_program *p)
{
	for (unsigned int n = p->nops / 2; n > 1; n /= 2)
		drop_pass(m, p, n);
	while (p->nops && drop_pass(m, p, 1) && m->runs < m->max_runs)
		;
}

/* ------------------------------------------------------------------ */
/* 2. arguments                                                        */
/* ------------------------------------------------------------------ */

/* The simpler values of an argument, simplest first; how many. */
static unsigned int simpler(enum sf_arg_kind kind, uint64_t v, uint64_t *out,
			    unsigned int cap)
{
	unsigned int n = 0;

#define PUT(x)	do { if (n < cap && (uint64_t)(x) != v) out[n++] = (x); } while (0)
	switch (kind) {
	case SF_ARG_SIZE:
		if (v == SF_REF_LAST)
			break;
		for (uint64_t s = 8; s < v && s <= (1ull << 24); s <<= 1)
			if (sf_size_encodable(s))
				PUT(s);
		break;
	case SF_ARG_COUNT:
		for (uint64_t c = 1; c < v && c < 4; c++)
			PUT(c);
		break;
	case SF_ARG_ORDER:
		for (uint64_t o = 0; o < v; o++)
			PUT(o);
		break;
	case SF_ARG_CFLAGS:
		if (v)
			PUT(0);
		for (unsigned int b = 0; b < 16; b++)
			if (v & (1ull << b))
				PUT(v & ~(1ull << b));
		break;
	case SF_ARG_GFP:
	case SF_ARG_ALIGN:
	case SF_ARG_CPU:
	case SF_ARG_BYTE:
		if (v)
			PUT(0);
		break;
	default:	/* handles name ops: left as they are */
		break;
	}
#undef PUT
	return n;
}

static void simplify_args(struct minimizer *m, struct sf_program *p)
{
	static struct sf_program cand;

	for (unsigned int i = 0; i < p->nops; i++) {
		const struct sf_op_desc *d = &sf_ops[p->ops[i].code % SF_NR_OPS];

		for (unsigned int a = 0; a < d->nargs; a++) {
			uint64_t vals[24];
			unsigned int n = simpler((enum sf_arg_kind)d->arg[a],
						 p->ops[i].arg[a], vals, 24);

			for (unsigned int k = 0; k < n; k++) {
				cand = *p;
				cand.ops[i].arg[a] = vals[k];
				if (keeps(m, &cand)) {
					*p = cand;
					break;
				}
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* 3. the configuration                                                */
/* ------------------------------------------------------------------ */

static void simplify_config(struct minimizer *m, struct sf_program *p)
{
	static struct sf_program cand;
	struct sf_config def;

	sf_config_default(&def);
	cand = *p;
	cand.cfg = def;
	if (memcmp(&p->cfg, &def, sizeof(def)) && keeps(m, &cand)) {
		*p = cand;
		return;
	}
#define TRY(field)							\
	do {								\
		if (p->cfg.field != def.field) {			\
			cand = *p;					\
			cand.cfg.field = def.field;			\
			if (keeps(m, &cand))				\
				*p = cand;				\
		}							\
	} while (0)
	TRY(mem_idx);
	TRY(ncpus);
	TRY(nomerge);
	TRY(freelist_random);
	TRY(init_on_alloc);
	TRY(init_on_free);
	TRY(debug_idx);
	TRY(quarantine_idx);
	TRY(unhardened);
	TRY(dma32);
	TRY(seed);
#undef TRY
}

/* ------------------------------------------------------------------ */
/* 4. bytes                                                            */
/* ------------------------------------------------------------------ */

static unsigned int ops_of(const uint8_t *data, size_t len)
{
	static struct sf_program p;

	sf_decode(data, len, &p);
	return p.nops;
}

static void minimize_bytes(struct minimizer *m, uint8_t *buf, size_t *len)
{
	unsigned int nops = ops_of(buf, *len);
	uint8_t *cand = malloc(*len ? *len : 1);

	if (!cand)
		sfz_die(SFZ_IO, "out of memory");
	/* the tail: zeros past the end are what the reader reads anyway */
	while (*len > 1 && ops_of(buf, *len - 1) <= nops && keeps_bytes(m, buf, *len - 1))
		(*len)--;
	for (size_t i = *len; i-- > 0;) {
		/* drop byte i */
		memcpy(cand, buf, i);
		memcpy(cand + i, buf + i + 1, *len - i - 1);
		if (*len > 1 && ops_of(cand, *len - 1) <= nops && keeps_bytes(m, cand, *len - 1)) {
			memcpy(buf, cand, *len - 1);
			(*len)--;
			continue;
		}
		if (buf[i]) {
			memcpy(cand, buf, *len);
			cand[i] = 0;
			if (ops_of(cand, *len) <= nops && keeps_bytes(m, cand, *len))
				buf[i] = 0;
		}
	}
	free(cand);
}

/* ------------------------------------------------------------------ */

int sfz_minimize(const struct sf_profile *prof, const uint8_t *data, size_t len,
		 const char *title, bool detected, unsigned int timeout,
		 unsigned int max_runs, uint8_t **out, size_t *outlen,
		 struct sfz_min_stats *st)
{
	static struct sf_program p;
	struct minimizer m = { .prof = prof, .title = title, .detected = detected,
			       .timeout = timeout,
			       .max_runs = max_runs ? max_runs : SFZ_MIN_MAX_RUNS };
	unsigned int nops;
	uint8_t *buf;
	size_t blen;

	memset(st, 0, sizeof(*st));
	sf_decode(data, len, &p);
	st->ops_before = p.nops;
	st->bytes_before = len;
	if (!keeps_bytes(&m, data, len)) {
		st->runs = m.runs;
		return -1;
	}
	drop_ops(&m, &p);
	simplify_args(&m, &p);
	simplify_config(&m, &p);
	nops = p.nops;
	while (p.nops && drop_pass(&m, &p, 1) && m.runs < m.max_runs)
		;
	if (p.nops < nops)
		simplify_args(&m, &p);
	buf = sfz_encode(&p, &blen);
	minimize_bytes(&m, buf, &blen);
	/* never longer than what it started from, and checked once more */
	m.max_runs = m.runs + 1;
	if (blen > len || !keeps_bytes(&m, buf, blen)) {
		free(buf);
		buf = malloc(len);
		if (!buf)
			sfz_die(SFZ_IO, "out of memory");
		memcpy(buf, data, len);
		blen = len;
	}
	st->runs = m.runs;
	st->ops_after = ops_of(buf, blen);
	st->bytes_after = blen;
	*out = buf;
	*outlen = blen;
	return 0;
}
