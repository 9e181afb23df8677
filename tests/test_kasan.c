/*
 * The ASan shadow helpers and vmalloc's use of them: poisoning, the
 * uninstrumented metadata accessors, and ASan catching a caller's stray
 * vmalloc access at the faulting instruction. Meaningful only in an ASan
 * build; elsewhere each case says "skipped".
 */
#include "ktest.h"
#include "internal.h"

#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#if KALLOC_KASAN
#include <sanitizer/asan_interface.h>

#define SKIP_WITHOUT_ASAN() do { } while (0)
#define poisoned(p)	__asan_address_is_poisoned((const void *)(p))
#else
#define SKIP_WITHOUT_ASAN() do {					\
	printf("skipped %s: not built with AddressSanitizer\n", __func__); \
	return;								\
} while (0)
#define poisoned(p)	((void)(p), 0)
#endif

KTEST(kasan_poison_and_unpoison)
{
	SKIP_WITHOUT_ASAN();
	uint8_t *buf = aligned_alloc(64, 128);

	CHECK(!poisoned(buf));
	kasan_poison(buf, 64);
	CHECK(poisoned(buf));
	CHECK(poisoned(buf + 63));
	CHECK(!poisoned(buf + 64));
	CHECK(kasan_find_poisoned(buf, 128) == buf);
	CHECK(kasan_find_poisoned(buf + 64, 64) == NULL);

	/* exact to the byte at the end of an unpoisoned range */
	kasan_unpoison(buf, 13);
	CHECK(!poisoned(buf + 12));
	CHECK(poisoned(buf + 13));
	CHECK(kasan_find_poisoned(buf, 64) == buf + 13);

	/* and from any byte at the start of a poisoned one */
	kasan_unpoison(buf, 128);
	kasan_poison(buf + 21, 107);
	CHECK(!poisoned(buf + 20));
	CHECK(poisoned(buf + 21));
	CHECK(poisoned(buf + 127));

	kasan_unpoison(buf, 128);
	CHECK(kasan_find_poisoned(buf, 128) == NULL);
	/* empty ranges are no-ops */
	kasan_poison(buf, 0);
	kasan_poison(NULL, 8);
	CHECK(!poisoned(buf));
	free(buf);
}

#if KALLOC_KASAN
/* A shadow byte of addr, read without a check of its own. */
static uint8_t shadow_byte(const void *addr)
{
	size_t scale, offset;

	__asan_get_shadow_mapping(&scale, &offset);
	return kasan_read_byte_nocheck((const void *)(((uintptr_t)addr >> scale) +
						      offset));
}
#endif

/*
 * Whole pages are poisoned by writing the shadow directly: it must read
 * exactly as ASan's own poisoning of the same range, byte for byte, and so
 * must the edges around a page-sized range next to one ASan poisoned.
 */
KTEST(kasan_page_poisoning_matches_asan)
{
	SKIP_WITHOUT_ASAN();
#if KALLOC_KASAN
	enum { LEN = 3 * PAGE_SIZE };
	uint8_t *mine = aligned_alloc(PAGE_SIZE, LEN + PAGE_SIZE);
	uint8_t *asan = aligned_alloc(PAGE_SIZE, LEN + PAGE_SIZE);
	unsigned long differ = 0;

	kasan_poison(mine, LEN);
	__asan_poison_memory_region(asan, LEN);
	for (size_t i = 0; i < LEN + PAGE_SIZE; i += 8)
		differ += shadow_byte(mine + i) != shadow_byte(asan + i);
	CHECK_EQ(differ, 0);
	CHECK(poisoned(mine) && poisoned(mine + LEN - 1) && !poisoned(mine + LEN));

	/* unpoisoning a page in the middle, then a byte-exact tail */
	kasan_unpoison(mine + PAGE_SIZE, PAGE_SIZE);
	__asan_unpoison_memory_region(asan + PAGE_SIZE, PAGE_SIZE);
	kasan_unpoison(mine + 2 * PAGE_SIZE, 13);
	__asan_unpoison_memory_region(asan + 2 * PAGE_SIZE, 13);
	for (size_t i = 0; i < LEN + PAGE_SIZE; i += 8)
		differ += shadow_byte(mine + i) != shadow_byte(asan + i);
	CHECK_EQ(differ, 0);
	CHECK(poisoned(mine + PAGE_SIZE - 1) && !poisoned(mine + PAGE_SIZE));
	CHECK(!poisoned(mine + 2 * PAGE_SIZE - 1) && poisoned(mine + 2 * PAGE_SIZE + 13));

	kasan_unpoison(mine, LEN);
	__asan_unpoison_memory_region(asan, LEN);
	CHECK(kasan_find_poisoned(mine, LEN + PAGE_SIZE) == NULL);
	free(mine);
	free(asan);
#endif
}

KTEST(kasan_nocheck_helpers_read_and_write_poisoned_memory)
{
	/* these run in every build; under ASan they touch poisoned bytes */
	uint8_t *buf = aligned_alloc(64, 256), *other = aligned_alloc(64, 256);

	memset(buf, 0, 256);
	kasan_poison(buf, 256);
	kasan_memset_nocheck(buf + 3, 0x6b, 200);
	CHECK(kasan_memchr_inv_nocheck(buf + 3, 0x6b, 200) == NULL);
	CHECK(kasan_memchr_inv_nocheck(buf, 0x6b, 256) == buf);
	CHECK(kasan_memchr_inv_nocheck(buf + 3, 0x6b, 201) == buf + 203);
	kasan_write_word_nocheck(buf + 64, 0x1122334455667788UL);
	CHECK_EQ(kasan_read_word_nocheck(buf + 64), 0x1122334455667788UL);
	CHECK_EQ(kasan_read_byte_nocheck(buf + 64), 0x88);
	CHECK(kasan_memchr_inv_nocheck(buf + 3, 0x6b, 200) == buf + 64);
	/* unaligned words */
	kasan_write_word_nocheck(buf + 101, 0xa5a5a5a5deadbeefUL);
	CHECK_EQ(kasan_read_word_nocheck(buf + 101), 0xa5a5a5a5deadbeefUL);
	CHECK_EQ(kasan_read_byte_nocheck(buf + 101), 0xef);
	CHECK_EQ(kasan_read_byte_nocheck(buf + 108), 0xa5);

	kasan_memcpy_nocheck(other, buf, 256);		/* aligned */
	kasan_unpoison(buf, 256);
	CHECK(memcmp(other, buf, 256) == 0);
	kasan_poison(buf, 256);
	kasan_memcpy_nocheck(other + 1, buf + 2, 77);	/* unaligned */
	kasan_unpoison(buf, 256);
	CHECK(memcmp(other + 1, buf + 2, 77) == 0);
	CHECK(kasan_find_poisoned(buf, 256) == NULL);
	free(buf);
	free(other);
}

/*
 * Long ranges take the vector path where the CPU has one: the first bad
 * byte must still be found wherever it lies, for every start alignment and
 * length, and a fill must cover exactly its range.
 */
KTEST(kasan_nocheck_helpers_long_ranges)
{
	enum { SIZE = 1216 };	/* a multiple of the alignment */
	uint8_t *buf = aligned_alloc(64, SIZE), *ref = malloc(SIZE);

	for (size_t start = 0; start < 40; start += 13) {
		for (size_t len = 250; len + start <= SIZE; len += 317) {
			memset(buf, 0x11, SIZE);
			kasan_poison(buf, SIZE);
			kasan_memset_nocheck(buf + start, 0x6b, len);
			CHECK(kasan_memchr_inv_nocheck(buf + start, 0x6b, len) == NULL);
			for (size_t bad = 0; bad < len; bad += 7) {
				kasan_memset_nocheck(buf + start + bad, 0x6a, 1);
				CHECK(kasan_memchr_inv_nocheck(buf + start, 0x6b, len) ==
				      buf + start + bad);
				kasan_memset_nocheck(buf + start + bad, 0x6b, 1);
			}
			kasan_unpoison(buf, SIZE);
			memset(ref, 0x11, SIZE);
			memset(ref + start, 0x6b, len);
			CHECK(memcmp(buf, ref, SIZE) == 0);
		}
	}
	/* copies: every start and length mix of the vector, word and byte
	 * paths, from a poisoned source into a poisoned destination */
	uint8_t *src = aligned_alloc(64, SIZE);

	for (size_t i = 0; i < SIZE; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	for (size_t start = 0; start < 40; start += 13) {
		for (size_t len = 1; len + start + 8 <= SIZE; len += 127) {
			memset(buf, 0x11, SIZE);
			kasan_poison(buf, SIZE);
			kasan_poison(src, SIZE);
			kasan_memcpy_nocheck(buf + start, src + (start ^ 8), len);
			kasan_unpoison(buf, SIZE);
			kasan_unpoison(src, SIZE);
			memset(ref, 0x11, SIZE);
			memcpy(ref + start, src + (start ^ 8), len);
			CHECK(memcmp(buf, ref, SIZE) == 0);
		}
	}
	free(src);
	free(buf);
	free(ref);
}

/* Frames on the free lists whose shadow is clear anywhere. */
static unsigned long free_frames_not_poisoned(void)
{
	unsigned long bad = 0;

	for (unsigned long pfn = 0; pfn < arena.nr_pages; pfn++) {
		const uint8_t *frame = page_address(pfn_to_page(pfn));

		if (!page_is_free(pfn_to_page(pfn)))
			continue;
		for (size_t g = 0; g < PAGE_SIZE; g += 8)
			if (!poisoned(frame + g)) {
				bad++;
				break;
			}
	}
	return bad;
}

/*
 * Reset and fini poison only the frames still handed out, trusting every
 * free to have poisoned its own: whatever an input held and freed (pages,
 * slabs, large kmallocs, vmalloc's pages), every free frame after a reset,
 * and after a machine on parked memory starts, is poisoned throughout.
 */
KTEST(kasan_reset_leaves_every_free_frame_poisoned)
{
	SKIP_WITHOUT_ASAN();
	struct kalloc_config cfg;
	struct kmem_cache *s;
	void *held[4], *freed[4];

	ktest_init_default();
	cfg = *kalloc_get_config();
	CHECK_EQ(free_frames_not_poisoned(), 0);
	for (int round = 0; round < 2; round++) {
		s = kmem_cache_create("held", 200, 0, 0, NULL);
		held[0] = alloc_pages(GFP_KERNEL, 3);
		held[1] = kmalloc(100, GFP_KERNEL);
		held[2] = kmalloc(40000, GFP_KERNEL);
		held[3] = vmalloc(5 * PAGE_SIZE);
		freed[0] = alloc_pages(GFP_KERNEL, 2);
		freed[1] = kmalloc(20000, GFP_KERNEL);
		freed[2] = vmalloc(3 * PAGE_SIZE);
		freed[3] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(held[0] && held[1] && held[2] && held[3] && freed[0] &&
		      freed[1] && freed[2] && freed[3]);
		CHECK(kmem_cache_alloc(s, GFP_KERNEL) != NULL);
		__free_pages(freed[0], 2);
		kfree(freed[1]);
		vfree(freed[2]);
		kmem_cache_free(s, freed[3]);
		if (round == 0) {
			kalloc_reset();
		} else {
			kalloc_fini();
			CHECK_EQ(kalloc_init(&cfg), 0);
		}
		CHECK_EQ(free_frames_not_poisoned(), 0);
	}
}

KTEST(kasan_vmalloc_shadow)
{
	SKIP_WITHOUT_ASAN();
	ktest_init_default();
	char *p = vmalloc(100), *q;
	void *s, *e;

	CHECK(p != NULL);
	if (!p)
		return;
	/* exactly the requested bytes, as KASAN's kasan_unpoison_vmalloc() */
	CHECK(kasan_find_poisoned(p, 100) == NULL);
	CHECK(poisoned(p + 100));
	CHECK(poisoned(p + PAGE_SIZE - 1));
	CHECK(poisoned(p + PAGE_SIZE));			/* guard */
	CHECK(poisoned(p + 2 * PAGE_SIZE - 1));

	q = vmalloc(2 * PAGE_SIZE);
	CHECK(q == p + 2 * PAGE_SIZE);
	CHECK(kasan_find_poisoned(q, 2 * PAGE_SIZE) == NULL);
	CHECK(poisoned(q + 2 * PAGE_SIZE));

	vfree(p);
	CHECK(poisoned(p));
	CHECK(poisoned(p + 99));
	/* a failed vfree changes nothing */
	vfree(q + 8);
	CHECK(kasan_find_poisoned(q, 2 * PAGE_SIZE) == NULL);

	/* reset: the range is as at init, its shadow clear (a stray access
	 * faults on PROT_NONE, as after a fresh init); the next area exact */
	kalloc_reset();
	CHECK(!poisoned(q));
	p = vmalloc(PAGE_SIZE);
	CHECK(kasan_find_poisoned(p, PAGE_SIZE) == NULL);
	CHECK(poisoned(p + PAGE_SIZE));

	/* nothing stays poisoned once the machine is gone */
	kalloc_vmalloc_range(&s, &e);
	kalloc_fini();
	CHECK(!poisoned(s));
	CHECK(!poisoned((char *)s + PAGE_SIZE));
	CHECK(!poisoned((char *)s + 3 * PAGE_SIZE));
}

/* The frames named in ASan's report: noinline so that they exist. */
static void __attribute__((noinline)) write_vmalloc_guard_page(void *area)
{
	((volatile char *)area)[PAGE_SIZE] = 1;
}

static void __attribute__((noinline)) write_past_vmalloc_request(void *area)
{
	((volatile char *)area)[100] = 1;
}

static void __attribute__((noinline)) read_after_vfree(void *area)
{
	fprintf(stderr, "read %d\n", ((volatile char *)area)[0]);
}

/* The child's own machine, with the areas the parent has at that point. */
struct stray_access {
	void (*fn)(void *area);
	bool after_vfree;	/* on a freed page-sized area, not the live one */
};

static void stray_access_child(void *arg)
{
	const struct stray_access *a = arg;
	char *p, *freed;

	ktest_init_default();
	p = vmalloc(100);
	if (!p)
		_exit(2);
	if (!a->after_vfree) {
		a->fn(p);
		return;
	}
	freed = vmalloc(PAGE_SIZE);
	vfree(freed);
	a->fn(freed);
}

static void expect_asan(void (*fn)(void *), bool after_vfree,
			const char *access, const char *frame)
{
	static char out[65536];
	struct stray_access a = { fn, after_vfree };
	int status = ktest_run_child(stray_access_child, &a, out, sizeof(out));

	/* ASan ends the child: exit 1, or SIGABRT under abort_on_error=1 */
	CHECK(status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	CHECK_CONTAINS(out, "ERROR: AddressSanitizer: use-after-poison");
	CHECK_CONTAINS(out, access);
	CHECK_CONTAINS(out, frame);
}

KTEST(kasan_catches_stray_vmalloc_accesses)
{
	SKIP_WITHOUT_ASAN();
	ktest_init_default();
	char *p = vmalloc(100);

	CHECK(p != NULL);
	if (!p)
		return;
	expect_asan(write_vmalloc_guard_page, false, "WRITE of size 1",
		    "write_vmalloc_guard_page");
	/* the rest of the last page is out of bounds too */
	expect_asan(write_past_vmalloc_request, false, "WRITE of size 1",
		    "write_past_vmalloc_request");
	expect_asan(read_after_vfree, true, "READ of size 1",
		    "read_after_vfree");
	/* the children changed nothing here */
	CHECK_EQ(kalloc_validate(), 0);
	vfree(p);
}
