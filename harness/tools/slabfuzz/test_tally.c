/*
 * The flaky verdict of replay --repeat (tally.c), on outcomes given here
 * rather than on runs: the same outcome N times is not flaky and prints
 * as one run would; two different titles, or a title and a clean run, are
 * flaky and print each outcome with its count, in the order first seen;
 * more distinct outcomes than are kept still make the input flaky.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

static int failures;

static void expect_line(const char *what, const struct sfz_tally *t, bool flaky,
			const char *want)
{
	char got[4096] = "";
	FILE *f = fmemopen(got, sizeof(got) - 1, "w");

	if (!f) {
		perror("fmemopen");
		exit(2);
	}
	sfz_tally_print(t, "in", f);
	fclose(f);
	if (sfz_tally_flaky(t) != flaky || strcmp(got, want)) {
		printf("FAIL %s: flaky %d (want %d)\n  got  '%s'\n  want '%s'\n", what,
		       sfz_tally_flaky(t), flaky, got, want);
		failures++;
	}
}

int main(void)
{
	static struct sfz_tally same, two, clean_finding, many;
	const char *a = "kalloc: slab: Redzone overwritten in kmalloc-32";
	const char *b = "kalloc: slab: Poison overwritten in kmalloc-32";

	for (int i = 0; i < 100; i++)
		sfz_tally_add(&same, a);
	expect_line("one title 100 times", &same, false,
		    "in: kalloc: slab: Redzone overwritten in kmalloc-32\n");

	for (int i = 0; i < 10; i++)
		sfz_tally_add(&two, i % 5 == 4 ? b : a);
	expect_line("two titles", &two, true,
		    "in: flaky: kalloc: slab: Redzone overwritten in kmalloc-32 (8 of 10), "
		    "kalloc: slab: Poison overwritten in kmalloc-32 (2 of 10)\n");

	sfz_tally_add(&clean_finding, "clean (detected: kalloc: KASAN: double-free in kfree)");
	sfz_tally_add(&clean_finding, "clean");
	sfz_tally_add(&clean_finding, "clean (detected: kalloc: KASAN: double-free in kfree)");
	expect_line("detected once, then not", &clean_finding, true,
		    "in: flaky: clean (detected: kalloc: KASAN: double-free in kfree) (2 of 3), "
		    "clean (1 of 3)\n");

	for (int i = 0; i < SFZ_TALLY_MAX + 3; i++) {
		char t[32];

		snprintf(t, sizeof(t), "title %d", i);
		sfz_tally_add(&many, t);
	}
	if (!sfz_tally_flaky(&many) || many.distinct != SFZ_TALLY_MAX ||
	    many.runs != SFZ_TALLY_MAX + 3) {
		printf("FAIL more outcomes than kept: flaky %d, %u kept, %lu runs\n",
		       sfz_tally_flaky(&many), many.distinct, many.runs);
		failures++;
	}
	if (!failures)
		printf("tally: ok\n");
	return failures != 0;
}
