/*
 * `slabfuzz heapmap [--target T] FILE -o OUT.svg`: replay FILE up to its
 * finding (or to its last op, when it runs clean) and draw the machine at
 * that moment as an SVG a person can read instead of hex:
 *
 *   - physical memory, one cell per page frame in rows of 128, banded by
 *     zone: free blocks shaded by order, slabs coloured by cache and
 *     darker the fuller they are, large kmallocs, page blocks, vmalloc
 *     backing pages and quarantined frames in colours of their own;
 *   - the slabs holding the finding's objects, slot by slot: the program's
 *     live objects, the finding's object and its neighbours;
 *   - the vmalloc range: every area and its guard page;
 *   - a legend and each zone's free blocks by order (/proc/buddyinfo).
 *
 * The state comes from the allocator's read-only views (<kalloc/walk.h>)
 * and the model (which objects the program holds); the moment of the
 * finding from the recording harness's finding hook (tools/record.h), so
 * the picture is the state the finding saw. It runs in a child process,
 * since a finding ends the process that replays it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kalloc/kalloc.h>

#include "commands.h"
#include "common.h"
#include "model.h"
#include "tools/record.h"

#define USAGE		"[--target T] FILE -o OUT.svg"
#define WIDTH		1200
#define MARGIN		24
#define COLS		128
#define CELL		8	/* px per frame, gap included */
#define MAX_HIGHLIGHT	16
#define MAX_SLAB_VIEWS	3

/* ------------------------------------------------------------------ */
/* A growing SVG text                                                  */
/* ------------------------------------------------------------------ */

struct svg {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void out(struct svg *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(g->s + g->len, g->cap - g->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < g->cap - g->len)
			break;
		g->cap = g->cap * 2 + (size_t)(n > 0 ? n : 0) + 4096;
		g->s = realloc(g->s, g->cap);
		if (!g->s)
			abort();
	}
	g->len += (size_t)n;
}

/* Text with &, < and > escaped. */
static void text(struct svg *g, int x, int y, const char *attrs, const char *s)
{
	out(g, "<text x=\"%d\" y=\"%d\" %s>", x, y, attrs);
	for (; *s; s++) {
		if (*s == '&')
			out(g, "&amp;");
		else if (*s == '<')
			out(g, "&lt;");
		else if (*s == '>')
			out(g, "&gt;");
		else
			out(g, "%c", *s);
	}
	out(g, "</text>\n");
}

/* ------------------------------------------------------------------ */
/* Colours                                                             */
/* ------------------------------------------------------------------ */

static const char *const use_colour[KALLOC_FRAME__COUNT] = {
	[KALLOC_FRAME_FREE] = "#e4e9ec",
	[KALLOC_FRAME_SLAB] = "#7fb37f",
	[KALLOC_FRAME_LARGE_KMALLOC] = "#f0a04b",
	[KALLOC_FRAME_VMALLOC] = "#9b7fd1",
	[KALLOC_FRAME_QUARANTINE] = "#e58fb4",
	[KALLOC_FRAME_PAGES] = "#5b8fd6",
	[KALLOC_FRAME_RESERVED] = "#3a3a3a",
};

static const char *const use_name[KALLOC_FRAME__COUNT] = {
	[KALLOC_FRAME_FREE] = "free",
	[KALLOC_FRAME_SLAB] = "slab",
	[KALLOC_FRAME_LARGE_KMALLOC] = "large kmalloc",
	[KALLOC_FRAME_VMALLOC] = "vmalloc page",
	[KALLOC_FRAME_QUARANTINE] = "quarantine",
	[KALLOC_FRAME_PAGES] = "alloc_pages",
	[KALLOC_FRAME_RESERVED] = "reserved",
};

/* Free blocks: small orders (fragmentation) dark, large ones pale. */
static void free_colour(unsigned int order, char *buf, size_t len)
{
	snprintf(buf, len, "hsl(200, 25%%, %u%%)", 62 + 3 * (order > 10 ? 10 : order));
}

/* A cache's hue from its name, among hues no other kind of frame uses
 * (greens, yellows, reds, browns, teals); the fuller its slab, the darker. */
static unsigned int cache_hue(const char *name)
{
	static const unsigned short hues[] = { 0, 15, 45, 60, 75, 95, 120, 140, 160, 180 };
	unsigned int h = 2166136261u;

	for (; name && *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return hues[h % (sizeof(hues) / sizeof(hues[0]))];
}

static void slab_colour(const struct kalloc_frame *f, char *buf, size_t len)
{
	unsigned int fill = f->objects ? 100 * f->inuse / f->objects : 0;

	snprintf(buf, len, "hsl(%u, 60%%, %u%%)", cache_hue(f->cache), 80 - fill * 45 / 100);
}

/* ------------------------------------------------------------------ */
/* What to highlight                                                   */
/* ------------------------------------------------------------------ */

struct map {
	const char *title, *file, *target;
	const void *hl[MAX_HIGHLIGHT];	/* the finding's pointers */
	size_t nhl;
	unsigned long hl_pfn[MAX_HIGHLIGHT], hl_head[MAX_HIGHLIGHT];	/* ~0: none */
	unsigned long nframes;
	void *lin_start, *lin_end, *vm_start, *vm_end;
};

/* Is the frame part of the block (or the frame) of one of the finding's
 * pointers? */
static bool frame_highlighted(const struct map *m, const struct kalloc_frame *f)
{
	for (size_t i = 0; i < m->nhl; i++)
		if (m->hl_pfn[i] == f->pfn ||
		    (f->use != KALLOC_FRAME_FREE && m->hl_head[i] == f->head_pfn))
			return true;
	return false;
}

/* The model's live object at p (the program holds it), or NULL. */
static const struct sf_obj *model_object_at(uintptr_t start, uintptr_t end)
{
	for (uint32_t i = 0; i < sf.nall; i++) {
		const struct sf_obj *o = &sf.objs[sf.all[i]];

		if ((uintptr_t)o->ptr >= start && (uintptr_t)o->ptr < end)
			return o;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */
/* ------------------------------------------------------------------ */

static int draw_header(struct svg *g, const struct map *m, int y)
{
	char line[512];
	const struct kalloc_config *c = kalloc_get_config();

	text(g, MARGIN, y + 20, "font-size=\"20\" font-weight=\"bold\" fill=\"#b00020\"",
	     m->title);
	if (sf.op) {
		char op[256];

		sf_format_op(sf.op, op, sizeof(op));
		snprintf(line, sizeof(line), "%s  (target %s), at op %u: %s", m->file,
			 m->target, sf.op_index, op);
	} else {
		snprintf(line, sizeof(line), "%s  (target %s)%s%s", m->file, m->target,
			 sf.op_name ? ", at " : "", sf.op_name ? sf.op_name : "");
	}
	text(g, MARGIN, y + 42, "font-size=\"13\" fill=\"#333\"", line);
	if (c) {
		snprintf(line, sizeof(line),
			 "memory %zu MiB, %u CPU%s, slab_debug=%s, quarantine %zu KiB, "
			 "init_on_alloc %d, init_on_free %d, freelist random %d, hardened %d",
			 c->mem_bytes >> 20, c->ncpus, c->ncpus == 1 ? "" : "s",
			 c->slab_debug ? c->slab_debug : "off", c->quarantine_bytes >> 10,
			 c->init_on_alloc, c->init_on_free, c->freelist_random,
			 c->freelist_hardened);
		text(g, MARGIN, y + 60, "font-size=\"12\" fill=\"#555\"", line);
	}
	return y + 76;
}

static void cell_fill(const struct kalloc_frame *f, char *buf, size_t len)
{
	if (f->use == KALLOC_FRAME_FREE)
		free_colour(f->order, buf, len);
	else if (f->use == KALLOC_FRAME_SLAB)
		slab_colour(f, buf, len);
	else
		snprintf(buf, len, "%s", use_colour[f->use]);
}

/* Physical memory: a cell per frame, zones as bands. */
static int draw_frames(struct svg *g, const struct map *m, int y)
{
	int x0 = MARGIN + 70, rows = (int)((m->nframes + COLS - 1) / COLS);
	int zone_prev = -1;

	text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"",
	     "Physical memory: one cell per 4 KiB page frame, 128 per row");
	y += 24;
	for (unsigned long pfn = 0; pfn < m->nframes; pfn++) {
		struct kalloc_frame f;
		int row = (int)(pfn / COLS), col = (int)(pfn % COLS);
		int cx = x0 + col * CELL, cy = y + row * CELL;
		char fill[48];

		if (kalloc_frame_info(pfn, &f))
			continue;
		if ((int)f.zone != zone_prev) {
			char label[64];

			snprintf(label, sizeof(label), "%s", zone_name(f.zone));
			if (zone_prev >= 0)
				out(g, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
				    "stroke=\"#222\" stroke-width=\"1.5\"/>\n",
				    MARGIN, cy, x0 + COLS * CELL, cy);
			text(g, MARGIN, cy + 10, "font-size=\"11\" fill=\"#222\"", label);
			zone_prev = (int)f.zone;
		}
		cell_fill(&f, fill, sizeof(fill));
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
		    cx, cy, CELL - 1, CELL - 1, fill);
	}
	/* the finding's frames on top, outlined */
	for (unsigned long pfn = 0; pfn < m->nframes; pfn++) {
		struct kalloc_frame f;

		if (kalloc_frame_info(pfn, &f) || !frame_highlighted(m, &f))
			continue;
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		    "stroke=\"#d00000\" stroke-width=\"2\"/>\n",
		    x0 + (int)(pfn % COLS) * CELL - 1, y + (int)(pfn / COLS) * CELL - 1,
		    CELL + 1, CELL + 1);
	}
	return y + rows * CELL + 16;
}

/* One line about the block that starts at f (for the magnified rows). */
static void block_line(const struct kalloc_frame *f, unsigned long last, char *buf, size_t len)
{
	int n = snprintf(buf, len, "pfn %lu", f->pfn);

	if (last > f->pfn)
		n += snprintf(buf + n, len - (size_t)n, "-%lu", last);
	if (f->use == KALLOC_FRAME_SLAB)
		snprintf(buf + n, len - (size_t)n, ": slab of %s, order %u, %u/%u in use",
			 f->cache ? f->cache : "?", f->order, f->inuse, f->objects);
	else if (f->use == KALLOC_FRAME_FREE)
		snprintf(buf + n, len - (size_t)n, ": free block, order %u", f->order);
	else
		snprintf(buf + n, len - (size_t)n, ": %s%s", use_name[f->use],
			 f->order ? ", compound" : "");
}

/* 128 frames around the finding, magnified, with what each block is. */
static int draw_zoom(struct svg *g, const struct map *m, int y)
{
	enum { ZCOLS = 64, ZCELL = 16, ZN = 2 * ZCOLS };
	unsigned long center = ~0UL, start, prev_head = ~0UL, block_first = 0;
	int x0 = MARGIN + 70, nlines = 0;
	char line[160], fill[48];
	struct kalloc_frame f, bf = { 0 };

	for (size_t i = 0; i < m->nhl && center == ~0UL; i++)
		center = m->hl_pfn[i];
	for (unsigned long pfn = 0; center == ~0UL && pfn < m->nframes; pfn++)
		if (!kalloc_frame_info(pfn, &f) && f.use != KALLOC_FRAME_FREE &&
		    f.use != KALLOC_FRAME_RESERVED)
			center = pfn;
	if (center == ~0UL || m->nframes < ZN)
		return y;
	start = center >= ZCOLS / 2 ? (center - ZCOLS / 2) & ~15UL : 0;
	if (start + ZN > m->nframes)
		start = m->nframes - ZN;
	snprintf(line, sizeof(line), "Around the finding: frames %lu-%lu, magnified",
		 start, start + ZN - 1);
	text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"", line);
	y += 24;
	for (unsigned long i = 0; i < ZN; i++) {
		unsigned long pfn = start + i;
		int cx = x0 + (int)(i % ZCOLS) * ZCELL, cy = y + (int)(i / ZCOLS) * (ZCELL + 4);
		bool hl;

		if (kalloc_frame_info(pfn, &f))
			continue;
		if (i % ZCOLS == 0) {
			snprintf(line, sizeof(line), "pfn %lu", pfn);
			text(g, MARGIN, cy + 12, "font-size=\"11\"", line);
		}
		cell_fill(&f, fill, sizeof(fill));
		hl = frame_highlighted(m, &f);
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
		    "stroke=\"%s\" stroke-width=\"%s\"/>\n", cx, cy, ZCELL - 2, ZCELL,
		    fill, hl ? "#d00000" : "#fff", hl ? "2" : "0.5");
		/* a bar under the first frame of every block */
		if (f.head_pfn == pfn || (f.use == KALLOC_FRAME_FREE && f.head_pfn != prev_head))
			out(g, "<rect x=\"%d\" y=\"%d\" width=\"3\" height=\"3\" fill=\"#222\"/>\n",
			    cx, cy + ZCELL + 1);
		if ((f.use == KALLOC_FRAME_VMALLOC ? ~1UL : f.head_pfn) != prev_head) {
			if (i && nlines < 16) {
				block_line(&bf, pfn - 1, line, sizeof(line));
				text(g, MARGIN + (nlines % 2) * 560, y + 2 * (ZCELL + 4) + 16 +
				     (nlines / 2) * 15, "font-size=\"11\" fill=\"#333\"", line);
				nlines++;
			}
			bf = f;
			bf.pfn = pfn;
			block_first = pfn;
		}
		/* a run of vmalloc pages is one line */
		prev_head = f.use == KALLOC_FRAME_VMALLOC ? ~1UL : f.head_pfn;
		if (f.use == KALLOC_FRAME_VMALLOC)
			f.head_pfn = ~1UL;
	}
	if (nlines < 16) {
		block_line(&bf, start + ZN - 1, line, sizeof(line));
		text(g, MARGIN + (nlines % 2) * 560, y + 2 * (ZCELL + 4) + 16 + (nlines / 2) * 15,
		     "font-size=\"11\" fill=\"#333\"", line);
		nlines++;
	}
	(void)block_first;
	return y + 2 * (ZCELL + 4) + 16 + ((nlines + 1) / 2) * 15 + 8;
}

/* The slab holding p, slot by slot. */
static int draw_slab(struct svg *g, const struct map *m, const struct kalloc_frame *f,
		     const void *p, int y)
{
	char line[256], fill[48];
	static const char *const where[] = {
		[KALLOC_SLAB_FULL_UNLISTED] = "full, on no list",
		[KALLOC_SLAB_CPU_ACTIVE] = "a CPU's active slab",	/* + cpu below */
		[KALLOC_SLAB_CPU_PARTIAL] = "on a CPU's partial list",
		[KALLOC_SLAB_NODE_PARTIAL] = "on the node's partial list",
		[KALLOC_SLAB_FULL] = "on the node's full list",
	};
	unsigned int n = f->objects, per_row = 32, target = ~0u;
	int w = (WIDTH - 2 * MARGIN) / (int)per_row;
	uintptr_t base = (uintptr_t)f->slab_addr;

	if (!f->stride)
		return y;
	if ((uintptr_t)p >= base)
		target = (unsigned int)(((uintptr_t)p - base) / f->stride);
	snprintf(line, sizeof(line),
		 "Slab of %s at pfn %lu: order %u, %u objects of %u bytes (slot %u), "
		 "%u in use, %s%s", f->cache ? f->cache : "?", f->head_pfn, f->order,
		 n, f->object_size, f->stride, f->inuse,
		 (unsigned int)f->where < 5 ? where[f->where] : "?",
		 f->where == KALLOC_SLAB_CPU_ACTIVE ? " (its lockless freelist counts as in use)" : "");
	text(g, MARGIN, y + 14, "font-size=\"13\" font-weight=\"bold\"", line);
	y += 22;
	slab_colour(&(struct kalloc_frame){ .cache = f->cache, .objects = 1, .inuse = 1 },
		    fill, sizeof(fill));
	for (unsigned int i = 0; i < n; i++) {
		uintptr_t s = base + (uintptr_t)i * f->stride;
		const struct sf_obj *o = model_object_at(s, s + f->stride);
		int x = MARGIN + (int)(i % per_row) * w, yy = y + (int)(i / per_row) * 34;
		const char *stroke = "#999", *sw = "1";
		char label[32];

		if (i == target) {
			stroke = "#d00000";
			sw = "3";
		} else if (target != ~0u && (i + 1 == target || i == target + 1)) {
			stroke = "#f08000";
			sw = "2.5";
		}
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" rx=\"2\" "
		    "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
		    x + 1, yy, w - 3, o ? fill : "#ffffff", stroke, sw);
		snprintf(label, sizeof(label), "%u", i);
		text(g, x + 4, yy + 15, "font-size=\"10\" fill=\"#222\"", label);
		if (o && o->size) {
			snprintf(label, sizeof(label), "%zu", o->size);
			text(g, x + 4, yy + 31, "font-size=\"8\" fill=\"#555\"", label);
		}
	}
	(void)m;
	return y + (int)((n + per_row - 1) / per_row) * 34 + 12;
}

/* The slabs of the finding's pointers (each once). */
static int draw_slabs(struct svg *g, const struct map *m, int y)
{
	unsigned long seen[MAX_SLAB_VIEWS];
	unsigned int nseen = 0;
	bool title = false;

	for (size_t i = 0; i < m->nhl && nseen < MAX_SLAB_VIEWS; i++) {
		const char *p = m->hl[i];
		struct kalloc_frame f;
		unsigned long pfn;
		bool dup = false;

		if (p < (const char *)m->lin_start || p >= (const char *)m->lin_end)
			continue;
		pfn = (unsigned long)(p - (const char *)m->lin_start) >> PAGE_SHIFT;
		if (kalloc_frame_info(pfn, &f) || f.use != KALLOC_FRAME_SLAB)
			continue;
		for (unsigned int j = 0; j < nseen; j++)
			dup |= seen[j] == f.head_pfn;
		if (dup)
			continue;
		seen[nseen++] = f.head_pfn;
		if (!title) {
			text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"",
			     "The finding's slabs, slot by slot");
			text(g, MARGIN, y + 30, "font-size=\"12\" fill=\"#444\"",
			     "coloured: a live object of the program (its size below); white: "
			     "free or not the program's; red: the finding's object; orange: its neighbours");
			y += 40;
			title = true;
		}
		y = draw_slab(g, m, &f, p, y);
	}
	return y;
}

struct vm_ctx {
	struct svg *g;
	const struct map *m;
	int y, x0, w;
	uintptr_t lo, span;
	unsigned int n;
};

static int draw_area(const struct kalloc_vm_area *a, void *arg)
{
	struct vm_ctx *c = arg;
	uintptr_t s = (uintptr_t)a->addr - c->lo;
	int x = c->x0 + (int)((double)s * c->w / (double)c->span);
	int wa = (int)((double)(a->size - PAGE_SIZE) * c->w / (double)c->span);
	int wg = (int)((double)PAGE_SIZE * c->w / (double)c->span);
	bool hl = false;

	for (size_t i = 0; i < c->m->nhl; i++)
		hl |= (uintptr_t)c->m->hl[i] >= (uintptr_t)a->addr &&
		      (uintptr_t)c->m->hl[i] < (uintptr_t)a->addr + a->size;
	if (wa < 2)
		wa = 2;
	if (wg < 2)
		wg = 2;
	out(c->g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"26\" fill=\"%s\" "
	    "stroke=\"%s\" stroke-width=\"%s\"/>\n", x, c->y, wa,
	    use_colour[KALLOC_FRAME_VMALLOC], hl ? "#d00000" : "#5a4a80", hl ? "3" : "0.5");
	out(c->g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"26\" fill=\"url(#guard)\" "
	    "stroke=\"#333\" stroke-width=\"0.5\"/>\n", x + wa, c->y, wg);
	if (wa > 40) {
		char label[48];

		snprintf(label, sizeof(label), "%lu B", a->requested);
		text(c->g, x + 3, c->y + 17, "font-size=\"10\" fill=\"#fff\"", label);
	}
	c->n++;
	return 0;
}

static int count_area(const struct kalloc_vm_area *a, void *arg)
{
	uintptr_t *end = arg;

	if ((uintptr_t)a->addr + a->size > *end)
		*end = (uintptr_t)a->addr + a->size;
	return 0;
}

static int draw_vmalloc(struct svg *g, const struct map *m, int y)
{
	uintptr_t end = (uintptr_t)m->vm_start;
	struct vm_ctx c = { .g = g, .m = m, .x0 = MARGIN, .w = WIDTH - 2 * MARGIN,
			    .lo = (uintptr_t)m->vm_start };
	char line[160];

	kalloc_for_each_vm_area(count_area, &end);
	c.span = end - c.lo;
	if (c.span < 64 * PAGE_SIZE)
		c.span = 64 * PAGE_SIZE;
	snprintf(line, sizeof(line), "vmalloc range: the first %lu KiB (areas in purple, "
		 "each followed by its guard page, hatched)", (unsigned long)(c.span >> 10));
	text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"", line);
	c.y = y + 22;
	out(g, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"26\" fill=\"#f6f6f6\" "
	    "stroke=\"#ccc\"/>\n", c.x0, c.y, c.w);
	kalloc_for_each_vm_area(draw_area, &c);
	if (!c.n)
		text(g, c.x0 + 8, c.y + 17, "font-size=\"11\" fill=\"#777\"", "no areas");
	return c.y + 40;
}

static int draw_legend(struct svg *g, int y)
{
	static const enum kalloc_frame_use order[] = {
		KALLOC_FRAME_SLAB, KALLOC_FRAME_LARGE_KMALLOC, KALLOC_FRAME_PAGES,
		KALLOC_FRAME_VMALLOC, KALLOC_FRAME_QUARANTINE, KALLOC_FRAME_RESERVED,
	};
	int x = MARGIN;
	char fill[48];

	text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"", "Legend");
	y += 22;
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o += 2) {
		char label[32];

		free_colour(o, fill, sizeof(fill));
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
		    x, y, fill);
		snprintf(label, sizeof(label), "free, order %u", o);
		text(g, x + 18, y + 12, "font-size=\"11\"", label);
		x += 100;
	}
	x = MARGIN;
	y += 22;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		out(g, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
		    x, y, use_colour[order[i]]);
		text(g, x + 18, y + 12, "font-size=\"11\"",
		     order[i] == KALLOC_FRAME_SLAB ? "slab (hue: cache, darker: fuller)"
						   : use_name[order[i]]);
		x += order[i] == KALLOC_FRAME_SLAB ? 220 : 120;
	}
	out(g, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"none\" "
	    "stroke=\"#d00000\" stroke-width=\"2\"/>\n", x, y);
	text(g, x + 18, y + 12, "font-size=\"11\"", "the finding's memory");
	return y + 26;
}

static int draw_buddyinfo(struct svg *g, int y)
{
	text(g, MARGIN, y + 14, "font-size=\"15\" font-weight=\"bold\"",
	     "Free blocks by order (/proc/buddyinfo)");
	y += 20;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		char line[256];
		size_t len;

		if (!zone_present((enum zone_type)z))
			continue;
		len = (size_t)snprintf(line, sizeof(line), "Node 0, zone %8s",
				       zone_name((enum zone_type)z));
		for (unsigned int o = 0; o < NR_PAGE_ORDERS && len < sizeof(line) - 8; o++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %6lu",
						zone_nr_free((enum zone_type)z, o));
		text(g, MARGIN, y + 12, "font-size=\"12\" font-family=\"monospace\" xml:space=\"preserve\"",
		     line);
		y += 16;
	}
	return y + 6;
}

/* ------------------------------------------------------------------ */
/* Drawing, in the child                                               */
/* ------------------------------------------------------------------ */

static struct map map;
static const char *out_path;
static int drawn;

static void draw(const char *title, const void *report_addr, void *arg)
{
	struct svg g = { 0 };
	int y;

	(void)arg;
	map.title = title;
	map.nhl = 0;
	if (report_addr)
		map.hl[map.nhl++] = report_addr;
	map.nhl += sfr_op_pointers(map.hl + map.nhl, MAX_HIGHLIGHT - map.nhl);
	kalloc_linear_range(&map.lin_start, &map.lin_end);
	kalloc_vmalloc_range(&map.vm_start, &map.vm_end);
	map.nframes = (unsigned long)((char *)map.lin_end - (char *)map.lin_start) >> PAGE_SHIFT;
	for (size_t i = 0; i < map.nhl; i++) {
		const char *p = map.hl[i];
		struct kalloc_frame f;

		map.hl_pfn[i] = map.hl_head[i] = ~0UL;
		if (p < (const char *)map.lin_start || p >= (const char *)map.lin_end)
			continue;
		map.hl_pfn[i] = (unsigned long)(p - (const char *)map.lin_start) >> PAGE_SHIFT;
		if (!kalloc_frame_info(map.hl_pfn[i], &f))
			map.hl_head[i] = f.head_pfn;
	}
	out(&g, "%s", "");
	y = draw_header(&g, &map, 8);
	y = draw_frames(&g, &map, y);
	y = draw_zoom(&g, &map, y);
	y = draw_slabs(&g, &map, y);
	y = draw_vmalloc(&g, &map, y);
	y = draw_buddyinfo(&g, y);
	y = draw_legend(&g, y);
	{
		struct svg doc = { 0 };

		out(&doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "font-family=\"sans-serif\">\n<defs><pattern id=\"guard\" width=\"6\" "
		    "height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" "
		    "fill=\"#bbb\"/><path d=\"M0,6 L6,0\" stroke=\"#444\" stroke-width=\"1.2\"/>"
		    "</pattern></defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		    WIDTH, y + MARGIN);
		out(&doc, "%s</svg>\n", g.s);
		if (sfz_write_atomic(out_path, doc.s, doc.len))
			sfz_err("%s: %s", out_path, strerror(errno));
		else
			drawn = 1;
		free(doc.s);
	}
	free(g.s);
}

/* A clean program is drawn after its last op, before the teardown. */
static unsigned int last_op;

static void after_op(unsigned int op_index, void *arg)
{
	(void)arg;
	if (op_index == last_op && !drawn)
		draw("clean: the machine after the last op", NULL, NULL);
}

static unsigned int last_executed(const struct sf_profile *prof, const struct sf_program *p)
{
	for (unsigned int i = p->nops; i-- > 0;) {
		unsigned int code = p->ops[i].code % SF_NR_OPS;

		if (sf_op_is_misuse(code) && !sf_profile_runs_misuse(prof))
			code = SF_OP_WRITE;
		if (prof->groups & (1u << sf_ops[code].group))
			return i;
	}
	return ~0u;
}

int sfz_cmd_heapmap(int argc, char **argv)
{
	const char *target = NULL, *file = NULL;
	static struct sf_program prog;
	const struct sf_profile *prof;
	size_t n;
	pid_t pid;
	int status;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out_path = argv[++i];
		else if (argv[i][0] == '-' || file)
			sfz_usage(USAGE);
		else
			file = argv[i];
	}
	if (!file || !out_path)
		sfz_usage(USAGE);
	prof = sfz_target_or_die(file, target);
	n = strlen(file);
	if (n > 4 && !strcmp(file + n - 4, ".txt")) {
		sfz_parse_text_or_die(file, &prog);
	} else {
		uint8_t *data = sfz_read_or_die(file, SFZ_MAX_INPUT, &n);

		sf_decode(data, n, &prog);
		free(data);
	}
	map.file = file;
	map.target = prof->name;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		sfz_die(SFZ_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		FILE *sink = fopen("/dev/null", "w");
		int devnull = open("/dev/null", O_WRONLY);

		if (!sink)
			_exit(SFZ_IO);
		if (devnull >= 0)
			dup2(devnull, 2);	/* the harness's report of the finding */
		sf_shutdown();
		sfr_start(sink);
		sfr_set_finding_hook(draw, NULL);
		last_op = last_executed(prof, &prog);
		sf_set_op_hook(after_op, NULL);
		sf_run_program(prof, &prog);
		if (!drawn)
			draw("clean: the machine after the last op", NULL, NULL);
		_exit(drawn ? SFZ_CLEAN : SFZ_IO);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			sfz_die(SFZ_IO, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == SFZ_CLEAN) {
		printf("%s: clean\n", out_path);
		return SFZ_CLEAN;
	}
	if (WIFEXITED(status))
		sfz_die(SFZ_IO, "could not draw %s", out_path);
	if (access(out_path, F_OK))
		sfz_die(SFZ_IO, "the finding came before anything could be drawn");
	printf("%s: finding drawn\n", out_path);
	return SFZ_FINDING;
}
