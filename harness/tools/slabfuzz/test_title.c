/*
 * Titles from reports (title.c) on reports of each kind: the harness's own
 * line wins; a sanitizer's is its kind (and access) plus the first three
 * frames outside its runtime, libc and the host's malloc, clone suffixes
 * and numbers gone, so two runs of one bug at other addresses agree; and
 * slugs.
 */
#include <stdio.h>
#include <string.h>

#include "title.h"

static int failures;

static void expect_title(const char *what, const char *log, const char *want)
{
	char got[256];

	sfz_title_from_log(log, got, sizeof(got));
	if (strcmp(got, want)) {
		printf("FAIL %s:\n  got  '%s'\n  want '%s'\n", what, got, want);
		failures++;
	}
}

static void expect_slug(const char *title, const char *want)
{
	char got[256];

	sfz_slug(title, got, sizeof(got));
	if (strcmp(got, want)) {
		printf("FAIL slug of '%s': got '%s', want '%s'\n", title, got, want);
		failures++;
	}
}

static void expect_key(const char *title, const char *want)
{
	char got[256];

	sfz_bucket_key(title, got, sizeof(got));
	if (strcmp(got, want)) {
		printf("FAIL key of '%s': got '%s', want '%s'\n", title, got, want);
		failures++;
	}
}

int main(void)
{
	expect_title("harness finding",
		"some noise\n==ERROR: slabfuzz: model: overlap kmalloc-64 with kmalloc-96 at op krealloc\n"
		"new object [0x1, 0x2) overlaps\n==12==ERROR: AddressSanitizer: SEGV on unknown address\n",
		"model: overlap kmalloc-64 with kmalloc-96 at op krealloc");
	expect_title("clean", "fuzz_slab: ok\n", "");
	expect_title("asan use after free, plumbing and clone suffixes skipped",
		"=================================================================\n"
		"==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x55d1 bp 0x7ffc sp 0x7ffc\n"
		"WRITE of size 8 at 0x602000000010 thread T0\n"
		"    #0 0x7f12 in __interceptor_memset ../../../../src/libsanitizer/asan/asan_interceptors.cpp:84\n"
		"    #1 0x55d1 in slab_free_init.part.0 /src/alloc/slab/slub.c:864\n"
		"    #2 0x55d2 in kfree /src/alloc/slab/kmalloc.c:120\n"
		"    #3 0x55d3 in sf_exec_kfree.isra.3 /src/harness/ops_kmalloc.c:77\n"
		"    #4 0x55d4 in sf_exec_op /src/harness/exec.c:12\n"
		"\n"
		"0x602000000010 is located 0 bytes inside of 16-byte region\n"
		"freed by thread T0 here:\n"
		"    #0 0x7f13 in free\n"
		"    #1 0x55d9 in other_function /src/x.c:1\n",
		"AddressSanitizer: heap-use-after-free WRITE in slab_free_init, kfree, sf_exec_kfree");
	expect_title("asan SEGV, frames without symbols skipped",
		"==7==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000010 (pc 0x1 bp 0x2 sp 0x3 T0)\n"
		"==7==The signal is caused by a READ memory access.\n"
		"    #0 0x1 in __GI_memcpy\n"
		"    #1 0x2  (/lib/x86_64-linux-gnu/libc.so.6+0x2718a)\n"
		"    #2 0x3 in buddy_merge /src/alloc/page/buddy.c:10\n",
		"AddressSanitizer: SEGV READ in buddy_merge");
	expect_title("leak",
		"==9==ERROR: LeakSanitizer: detected memory leaks\n\n"
		"Direct leak of 24 byte(s) in 1 object(s) allocated from:\n"
		"    #0 0x4 in malloc\n"
		"    #1 0x5 in sf_model_reset /src/harness/model.c:150\n"
		"    #2 0x6 in sf_run_program /src/harness/run.c:300\n"
		"    #3 0x7 in sf_run_input /src/harness/run.c:350\n"
		"    #4 0x8 in LLVMFuzzerTestOneInput /src/harness/target.c:10\n",
		"LeakSanitizer: detected memory leaks in sf_model_reset, sf_run_program, sf_run_input");
	expect_title("ubsan, numbers scrubbed",
		"/src/alloc/page/buddy.c:55:12: runtime error: shift exponent 64 is too large for 64-bit type 'long unsigned int'\n"
		"    #0 0x1 in pfn_to_block /src/alloc/page/buddy.c:55\n"
		"    #1 0x2 in __free_pages /src/alloc/page/buddy.c:90\n",
		"UndefinedBehaviorSanitizer: shift exponent N is too large for N-bit type 'long unsigned int' in pfn_to_block, __free_pages");
	expect_title("ubsan kind before its colon",
		"x.c:1:2: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'\n",
		"UndefinedBehaviorSanitizer: signed integer overflow");
	{
		/* the same bug at other addresses and line numbers: one title */
		char a[64], b[64];

		sfz_title_from_log("==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1\n"
				   "READ of size 1 at 0x1 thread T0\n    #0 0x9 in f /a.c:1\n", a, sizeof(a));
		sfz_title_from_log("==77==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x7f\n"
				   "READ of size 4 at 0x7f thread T0\n    #0 0x3 in f /a.c:9\n", b, sizeof(b));
		if (strcmp(a, b) || strcmp(a, "AddressSanitizer: heap-buffer-overflow READ in f")) {
			printf("FAIL: one bug, two titles: '%s', '%s'\n", a, b);
			failures++;
		}
	}
	expect_slug("kalloc: slab: double free in kmalloc-64", "kalloc-slab-double-free-in-kmalloc-64");
	expect_slug("model: unreported double-free in kmalloc-64 at op double_free",
		    "model-unreported-double-free-in-kmalloc-64-at-op-double-free");
	expect_slug("::", "untitled");
	expect_slug("kmalloc: invalid free (not a kmalloc allocation)",
		    "kmalloc-invalid-free-not-a-kmalloc-allocation");
	expect_key("model: not zeroed kmalloc-128 at op kcalloc",
		   "model: not zeroed kmalloc-N at op kcalloc");
	expect_key("model: not zeroed kmalloc-2k at op kcalloc",
		   "model: not zeroed kmalloc-N at op kcalloc");
	expect_key("kalloc: slab: Redzone overwritten in sfcache12",
		   "kalloc: slab: Redzone overwritten in sfcacheN");
	/* only a size's own unit goes: a word after the digits stays */
	expect_key("kalloc: page: order-3 kB", "kalloc: page: order-N kB");
	expect_key("kalloc: slab: 2kB", "kalloc: slab: NkB");
	if (!failures)
		printf("titles: ok\n");
	return failures != 0;
}
