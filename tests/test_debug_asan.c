/*
 * KASAN in userspace: with the allocator built under AddressSanitizer, a
 * caller's bad access is caught by ASan at the faulting instruction, with
 * the right kind and the caller's frame. Each case runs in a forked child
 * whose stderr is captured; the parent checks the child died of the report
 * and what the report says.
 *
 * Without ASan there is nothing to check: the file reports "skipped".
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "internal.h"

#if KALLOC_KASAN

#define noinline __attribute__((noinline))

/* Keeps the compiler from dropping or merging the accesses under test. */
static volatile uint8_t sink;

/*
 * The child: a fresh machine that carries on after reports, then the bad
 * access. ASan's report ends the child (exit status 1, or SIGABRT with
 * abort_on_error): either way, not a clean exit.
 */
static void asan_child(void *arg)
{
	void (*const *fn)(void) = arg;
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.continue_on_report = true;
	if (kalloc_init(&cfg))
		_exit(2);
	(*fn)();
	/* returning means nothing caught the access */
}

static noinline void read_one_past_kmalloc17(void)
{
	uint8_t *p = kmalloc(17, GFP_KERNEL);

	sink = p[17];
}

static noinline void read_after_kfree(void)
{
	uint8_t *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	sink = p[8];
}

static noinline void write_into_vmalloc_guard(void)
{
	uint8_t *p = vmalloc(2 * PAGE_SIZE);

	p[2 * PAGE_SIZE] = 1;
}

static noinline void read_before_kmem_cache_object(void)
{
	struct kmem_cache *s = kmem_cache_create("asan_cache", 40, 8, 0, NULL);
	uint8_t *p = kmem_cache_alloc(s, GFP_KERNEL);

	sink = p[-1];
}

static noinline void write_past_large_kmalloc(void)
{
	uint8_t *p = kmalloc(3 * PAGE_SIZE + 100, GFP_KERNEL);

	p[3 * PAGE_SIZE + 100] = 1;
}

static noinline void read_after_large_kfree(void)
{
	uint8_t *p = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);

	kfree(p);
	sink = p[3 * PAGE_SIZE];
}

static noinline void read_after_free_pages(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	uint8_t *p = page_address(page);

	__free_pages(page, 1);
	sink = p[PAGE_SIZE + 5];
}

static noinline void write_after_vfree(void)
{
	uint8_t *p = vmalloc(PAGE_SIZE);

	vfree(p);
	p[10] = 1;
}

static noinline void ksize_makes_bucket_usable(void)
{
	uint8_t *p = kmalloc(17, GFP_KERNEL);
	size_t n = ksize(p);

	/* the whole bucket is the caller's now: no report */
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)i;
	sink = p[n - 1];
	/* ... and not a byte more */
	sink = p[n];
}

static noinline void read_krealloc_shrunk_tail(void)
{
	uint8_t *p = kmalloc(100, GFP_KERNEL);

	p = krealloc(p, 40, GFP_KERNEL);
	sink = p[39];
	sink = p[40];
}

/* The report names the kind, the access, and the function that made it. */
static void expect(void (*fn)(void), const char *kind, const char *access,
		   const char *frame)
{
	static char err[65536];
	int status = ktest_run_child(asan_child, &fn, err, sizeof(err));

	CHECK(status != -1);
	if (status == -1)
		return;
	CHECK(WIFEXITED(status) || WIFSIGNALED(status));
	/* not a clean exit: the access was stopped */
	CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	CHECK_CONTAINS(err, "ERROR: AddressSanitizer: ");
	CHECK_CONTAINS(err, kind);
	CHECK_CONTAINS(err, access);
	CHECK_CONTAINS(err, frame);
}

KTEST(oob_read_one_past_kmalloc17)
{
	expect(read_one_past_kmalloc17, "use-after-poison", "READ of size 1",
	       "read_one_past_kmalloc17");
}

KTEST(read_after_kfree_is_caught)
{
	expect(read_after_kfree, "use-after-poison", "READ of size 1",
	       "read_after_kfree");
}

KTEST(write_into_vmalloc_guard_page_is_caught)
{
	expect(write_into_vmalloc_guard, "use-after-poison", "WRITE of size 1",
	       "write_into_vmalloc_guard");
}

KTEST(left_red_zone_of_cache_object_is_caught)
{
	expect(read_before_kmem_cache_object, "use-after-poison",
	       "READ of size 1", "read_before_kmem_cache_object");
}

KTEST(write_past_large_kmalloc_is_caught)
{
	expect(write_past_large_kmalloc, "use-after-poison", "WRITE of size 1",
	       "write_past_large_kmalloc");
}

KTEST(read_after_large_kfree_is_caught)
{
	expect(read_after_large_kfree, "use-after-poison", "READ of size 1",
	       "read_after_large_kfree");
}

KTEST(read_after_free_pages_is_caught)
{
	expect(read_after_free_pages, "use-after-poison", "READ of size 1",
	       "read_after_free_pages");
}

KTEST(write_after_vfree_is_caught)
{
	expect(write_after_vfree, "use-after-poison", "WRITE of size 1",
	       "write_after_vfree");
}

KTEST(ksize_unpoisons_the_bucket_and_no_more)
{
	expect(ksize_makes_bucket_usable, "use-after-poison", "READ of size 1",
	       "ksize_makes_bucket_usable");
}

KTEST(krealloc_shrink_poisons_the_tail)
{
	expect(read_krealloc_shrunk_tail, "use-after-poison", "READ of size 1",
	       "read_krealloc_shrunk_tail");
}

#else /* !KALLOC_KASAN */

KTEST(asan_cases_need_an_asan_build)
{
	printf("skipped: not built with AddressSanitizer\n");
}

#endif
