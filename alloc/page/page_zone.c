/*
 * page_zone.c - the zones and the counters read from them.
 *
 * Owns zones[], the lowest data of the buddy allocator: every other page/
 * file reads it, and this file calls none of them. The zones are laid out
 * and filled by buddy_init() (buddy.c); the counters here are what
 * nr_free_pages(), totalram_pages() and the zone queries report.
 *
 * One node; a zone of size zero is absent, as if the kernel were built
 * without it.
 */
#include <errno.h>

#include "page/buddy.h"

__machine_state struct zone zones[MAX_NR_ZONES];

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;

	for (int t = 0; t < MAX_NR_ZONES; t++)
		n += zones[t].free_pages;
	return n;
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;

	for (int t = 0; t < MAX_NR_ZONES; t++)
		n += zones[t].managed_pages;
	return n;
}

unsigned long zone_free_pages(enum zone_type zone)
{
	return (unsigned)zone < MAX_NR_ZONES ? zones[zone].free_pages : 0;
}

unsigned long zone_managed_pages(enum zone_type zone)
{
	return (unsigned)zone < MAX_NR_ZONES ? zones[zone].managed_pages : 0;
}

unsigned long zone_nr_free(enum zone_type zone, unsigned int order)
{
	if ((unsigned)zone >= MAX_NR_ZONES || order > MAX_PAGE_ORDER)
		return 0;
	return zones[zone].free_area[order].nr_free;
}

bool zone_present(enum zone_type zone)
{
	return zone_managed_pages(zone) != 0;
}

int zone_get_watermarks(enum zone_type zone, struct zone_watermarks *out)
{
	const struct zone *z;

	if ((unsigned)zone >= MAX_NR_ZONES || !out || !kg.initialised)
		return -EINVAL;
	z = &zones[zone];
	if (!z->managed_pages)
		return -ENOENT;
	out->min = z->_watermark[WMARK_MIN];
	out->low = z->_watermark[WMARK_LOW];
	out->high = z->_watermark[WMARK_HIGH];
	for (int t = 0; t < MAX_NR_ZONES; t++)
		out->lowmem_reserve[t] = z->lowmem_reserve[t];
	return 0;
}
