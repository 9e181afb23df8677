/*
 * kasan.c - ASan shadow helpers: KASAN's poisoning, in userspace.
 *
 * Built with -fsanitize=address, the allocator marks in ASan's shadow what a
 * caller may not touch (red zones, free objects, free pages, vmalloc guard
 * pages ...) through ASan's manual poisoning interface, so that a caller's
 * stray access is caught at the faulting instruction with ASan's report and
 * the caller's stack, as KASAN catches it in the kernel. Without ASan this
 * file is empty and the helpers in mem/memory.h are no-ops.
 *
 * The *_nocheck helpers are for the allocator's own metadata accesses to
 * poisoned memory (a debug layer reads red zones and poisoned free objects
 * to check them). They are built without instrumentation and use volatile
 * accesses (or, in the three that run over whole objects and pages, plain
 * word loops the compiler may not turn into a library call) so that they
 * never become memcpy/memset calls, which ASan intercepts and checks.
 */
#include "mem/memory.h"

#if KALLOC_KASAN

#include <sanitizer/asan_interface.h>

#define __no_sanitize_address	__attribute__((no_sanitize_address))
/* Loops the compiler must not turn into a memset() or memcpy() call. */
#if defined(__clang__)
#define __no_memset_idiom	__attribute__((no_builtin("memset")))
#define __no_memcpy_idiom	__attribute__((no_builtin("memcpy")))
#else
#define __no_memset_idiom	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#define __no_memcpy_idiom	__no_memset_idiom
#endif

static void shadow_fill(const void *addr, size_t size, int v);

/*
 * Whole pages (every block the page allocator hands out or frees, every
 * vmalloc page) have ends on shadow granules, where ASan's poisoning
 * writes one value per shadow byte: zero to unpoison, its user-poison
 * magic to poison. That is done here directly, with the mapping ASan
 * reports and the magic read back from a probe that ASan itself poisoned,
 * because __asan_poison_memory_region()'s edge handling around the
 * shadow memset was 3% of fuzz_vmalloc. Anything else, and any
 * build where the probe does not read as expected, goes through ASan.
 */
static struct {
	int ready;		/* 0 not probed, 1 direct writes, -1 ASan only */
	size_t scale, offset;
	uint8_t magic;
} shadow;

static uint64_t shadow_probe[4] __attribute__((aligned(64)));

/* Reads the shadow itself: uninstrumented, or the read would be checked
 * against the shadow of the shadow, which ASan leaves unmapped. */
__no_sanitize_address
static void shadow_probe_once(void)
{
	const volatile uint8_t *sb;
	bool ok;

	shadow.ready = -1;
	__asan_get_shadow_mapping(&shadow.scale, &shadow.offset);
	if (shadow.scale != 3)
		return;
	sb = (const volatile uint8_t *)(((uintptr_t)shadow_probe >> 3) +
					shadow.offset);
	__asan_poison_memory_region(shadow_probe, sizeof(shadow_probe));
	shadow.magic = sb[0];
	ok = shadow.magic && sb[1] == shadow.magic && sb[3] == shadow.magic;
	__asan_unpoison_memory_region(shadow_probe, sizeof(shadow_probe));
	if (ok && !sb[0] && !sb[3])
		shadow.ready = 1;
}

static bool shadow_direct(const void *addr, size_t size)
{
	if (unlikely(!shadow.ready))
		shadow_probe_once();
	return shadow.ready > 0 && size >= PAGE_SIZE &&
	       !(((uintptr_t)addr | size) & 7u);
}

/* Shadow writes for an empty range are no-ops, not errors. */
void kasan_poison(const void *addr, size_t size)
{
	if (!addr || !size)
		return;
	if (shadow_direct(addr, size))
		shadow_fill(addr, size, shadow.magic);
	else
		__asan_poison_memory_region(addr, size);
}

void kasan_unpoison(const void *addr, size_t size)
{
	if (!addr || !size)
		return;
	if (shadow_direct(addr, size))
		shadow_fill(addr, size, 0);
	else
		__asan_unpoison_memory_region(addr, size);
}

const void *kasan_find_poisoned(const void *addr, size_t size)
{
	if (!addr || !size)
		return NULL;
	return __asan_region_is_poisoned((void *)(uintptr_t)addr, size);
}

void kasan_poison_pages(const struct page *page, unsigned int order)
{
	kasan_poison(page_address(page), PAGE_SIZE << order);
}

void kasan_unpoison_pages(const struct page *page, unsigned int order)
{
	kasan_unpoison(page_address(page), PAGE_SIZE << order);
}

/* Unaligned words are read bytewise: UBSan checks alignment too. */
typedef unsigned long __attribute__((may_alias)) ulong_alias;

__no_sanitize_address
unsigned long kasan_read_word_nocheck(const void *addr)
{
	const volatile uint8_t *p = addr;
	unsigned long v = 0;

	if (IS_ALIGNED((uintptr_t)addr, sizeof(unsigned long)))
		return *(const volatile ulong_alias *)addr;
	/* little-endian, as the only targets ASan builds run on here */
	for (size_t i = 0; i < sizeof(v); i++)
		v |= (unsigned long)p[i] << (8 * i);
	return v;
}

__no_sanitize_address
void kasan_write_word_nocheck(void *addr, unsigned long val)
{
	volatile uint8_t *p = addr;

	if (IS_ALIGNED((uintptr_t)addr, sizeof(unsigned long))) {
		*(volatile ulong_alias *)addr = val;
		return;
	}
	for (size_t i = 0; i < sizeof(val); i++)
		p[i] = (uint8_t)(val >> (8 * i));
}

__no_sanitize_address
uint8_t kasan_read_byte_nocheck(const void *addr)
{
	return *(const volatile uint8_t *)addr;
}

/*
 * The helpers that run over whole objects and pages (slab_debug's
 * poisoning and its checks, about a fifth of a debug cache's CPU under
 * ASan; krealloc's copy; reset's restore of struct pages) take 128 bytes a
 * step with AVX2 where the CPU has it: the word loops below do 32, and the
 * fuzz builds are -O1, which vectorises nothing. Each returns how many
 * leading bytes it handled; the word and byte loops do the rest (and find
 * the exact first bad byte).
 */
#if defined(__x86_64__)
#include <immintrin.h>
#define NOCHECK_SIMD_MIN	256

#define nocheck_avx2()		__builtin_cpu_supports("avx2")

static inline bool nocheck_simd(size_t n)
{
	return n >= NOCHECK_SIMD_MIN && nocheck_avx2();
}

__no_sanitize_address __attribute__((target("avx2")))
static size_t memset_avx2(uint8_t *d, int c, size_t n)
{
	const __m256i v = _mm256_set1_epi8((char)c);
	size_t i = 0;

	for (; i + 128 <= n; i += 128) {
		_mm256_storeu_si256((__m256i *)(d + i), v);
		_mm256_storeu_si256((__m256i *)(d + i + 32), v);
		_mm256_storeu_si256((__m256i *)(d + i + 64), v);
		_mm256_storeu_si256((__m256i *)(d + i + 96), v);
	}
	return i;
}

__no_sanitize_address __attribute__((target("avx2")))
static size_t memcpy_avx2(uint8_t *d, const uint8_t *src, size_t n)
{
	size_t i = 0;

	for (; i + 128 <= n; i += 128) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(src + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(src + i + 32));
		__m256i e = _mm256_loadu_si256((const __m256i *)(src + i + 64));
		__m256i f = _mm256_loadu_si256((const __m256i *)(src + i + 96));

		_mm256_storeu_si256((__m256i *)(d + i), a);
		_mm256_storeu_si256((__m256i *)(d + i + 32), b);
		_mm256_storeu_si256((__m256i *)(d + i + 64), e);
		_mm256_storeu_si256((__m256i *)(d + i + 96), f);
	}
	return i;
}

__no_sanitize_address __attribute__((target("avx2")))
static size_t memchr_inv_avx2(const uint8_t *p, int c, size_t n)
{
	const __m256i v = _mm256_set1_epi8((char)c);
	size_t i = 0;

	for (; i + 128 <= n; i += 128) {
		__m256i a = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i)), v);
		__m256i b = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 32)), v);
		__m256i e = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 64)), v);
		__m256i f = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 96)), v);
		__m256i all = _mm256_and_si256(_mm256_and_si256(a, b), _mm256_and_si256(e, f));

		if ((unsigned int)_mm256_movemask_epi8(all) != 0xffffffffu)
			break;
	}
	return i;
}
#else
/* no vector path: the word loops take every byte */
#define nocheck_avx2()		false
static inline bool nocheck_simd(size_t n) { (void)n; return false; }
static size_t memset_avx2(uint8_t *d, int c, size_t n) { (void)d; (void)c; (void)n; return 0; }
static size_t memcpy_avx2(uint8_t *d, const uint8_t *s, size_t n) { (void)d; (void)s; (void)n; return 0; }
static size_t memchr_inv_avx2(const uint8_t *p, int c, size_t n) { (void)p; (void)c; (void)n; return 0; }
#endif

__no_sanitize_address __no_memset_idiom
void kasan_memset_nocheck(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	unsigned long word = 0x0101010101010101UL * (uint8_t)c;
	size_t i = nocheck_simd(n) ? memset_avx2(d, c, n) : 0;

	/* plain (not volatile) word stores: with no instrumentation and no
	 * memset builtin, nothing here can become an intercepted call */
	for (; i < n && !IS_ALIGNED((uintptr_t)(d + i), sizeof(unsigned long)); i++)
		d[i] = (uint8_t)c;
	for (; i + 4 * sizeof(unsigned long) <= n; i += 4 * sizeof(unsigned long)) {
		ulong_alias *w = (ulong_alias *)(d + i);

		w[0] = word;
		w[1] = word;
		w[2] = word;
		w[3] = word;
	}
	for (; i + sizeof(unsigned long) <= n; i += sizeof(unsigned long))
		*(ulong_alias *)(d + i) = word;
	for (; i < n; i++)
		d[i] = (uint8_t)c;
}

/*
 * Plain loads and stores, as in kasan_memset_nocheck(): a 128-byte struct
 * page was 16 volatile word copies, a multi-megabyte krealloc() a million.
 * Callers never pass overlapping ranges (memcpy()'s contract).
 */
__no_sanitize_address __no_memcpy_idiom
void kasan_memcpy_nocheck(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t i = n >= 128 && nocheck_avx2() ? memcpy_avx2(d, s, n) : 0;

	if (IS_ALIGNED((uintptr_t)(d + i) | (uintptr_t)(s + i), sizeof(unsigned long))) {
		for (; i + 4 * sizeof(unsigned long) <= n; i += 4 * sizeof(unsigned long)) {
			ulong_alias *w = (ulong_alias *)(d + i);
			const ulong_alias *r = (const ulong_alias *)(s + i);

			w[0] = r[0];
			w[1] = r[1];
			w[2] = r[2];
			w[3] = r[3];
		}
		for (; i + sizeof(unsigned long) <= n; i += sizeof(unsigned long))
			*(ulong_alias *)(d + i) = *(const ulong_alias *)(s + i);
	}
	for (; i < n; i++)
		d[i] = s[i];
}

/* The shadow bytes of [addr, addr + size), both ends granule-aligned. */
static void shadow_fill(const void *addr, size_t size, int v)
{
	kasan_memset_nocheck((void *)(((uintptr_t)addr >> 3) + shadow.offset), v,
			     size >> 3);
}

__no_sanitize_address
const void *kasan_memchr_inv_nocheck(const void *start, int c, size_t n)
{
	const uint8_t *p = start;
	unsigned long word = 0x0101010101010101UL * (uint8_t)c;
	size_t i = nocheck_simd(n) ? memchr_inv_avx2(p, c, n) : 0;

	for (; i < n && !IS_ALIGNED((uintptr_t)(p + i), sizeof(unsigned long)); i++)
		if (p[i] != (uint8_t)c)
			return p + i;
	/* four words at a time, then single words; the byte loop below pins
	 * down the first bad byte */
	for (; i + 4 * sizeof(unsigned long) <= n; i += 4 * sizeof(unsigned long)) {
		const ulong_alias *w = (const ulong_alias *)(p + i);

		if ((w[0] ^ word) | (w[1] ^ word) | (w[2] ^ word) | (w[3] ^ word))
			break;
	}
	for (; i + sizeof(unsigned long) <= n; i += sizeof(unsigned long))
		if (*(const ulong_alias *)(p + i) != word)
			break;
	for (; i < n; i++)
		if (p[i] != (uint8_t)c)
			return p + i;
	return NULL;
}

#endif /* KALLOC_KASAN */
