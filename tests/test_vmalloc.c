/*
 * vmalloc, vzalloc, vfree, vmalloc_to_page/pfn, is_vmalloc_addr and the
 * kvmalloc family: placement, the double mapping of each page, guard pages,
 * misuse reports, failure paths, reset and validation.
 */
#include "ktest.h"
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define VM_TITLE "vmalloc: vfree of nonexistent vm area"

static char *vstart(void)
{
	void *s, *e;

	kalloc_vmalloc_range(&s, &e);
	return s;
}

static char *vend(void)
{
	void *s, *e;

	kalloc_vmalloc_range(&s, &e);
	return e;
}

/*
 * Can the process write (or read) one byte at addr? Asked through raw
 * syscalls, which fail with EFAULT instead of faulting and are not seen by
 * ASan's interceptors.
 */
static int probe(void *addr, bool write)
{
	int fds[2];
	char c = 0x11;
	long r;
	int err;

	if (pipe(fds))
		return -errno;
	if (write) {
		r = syscall(SYS_write, fds[1], &c, 1);
		r = r == 1 ? syscall(SYS_read, fds[0], addr, 1) : -1;
	} else {
		r = syscall(SYS_write, fds[1], addr, 1);
	}
	err = r == 1 ? 0 : -errno;
	close(fds[0]);
	close(fds[1]);
	return err;
}

static void fill(void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)(seed + i * 7);
}

static bool check_fill(const void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

static bool all_zero(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i])
			return false;
	return true;
}

/* Take every page, reserves included, then free those of even pfn:
 * afterwards no two free pages are buddies, the free memory is all order 0. */
struct frag {
	struct page **held;
	unsigned long nr;
};

static void fragment(struct frag *f)
{
	struct page *page;

	f->held = calloc(totalram_pages(), sizeof(*f->held));
	f->nr = 0;
	while ((page = alloc_page(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN)))
		f->held[f->nr++] = page;
	CHECK_EQ(nr_free_pages(), 0);
	for (unsigned long i = 0; i < f->nr; i++) {
		if (page_to_pfn(f->held[i]) % 2 == 0) {
			__free_page(f->held[i]);
			f->held[i] = NULL;
		}
	}
}

static void unfragment(struct frag *f)
{
	for (unsigned long i = 0; i < f->nr; i++)
		if (f->held[i])
			__free_page(f->held[i]);
	free(f->held);
}

/* ------------------------------------------------------------------ */

KTEST(vmalloc_before_init_is_harmless)
{
	CHECK(vmalloc(PAGE_SIZE) == NULL);
	CHECK(!is_vmalloc_addr((void *)0x700000000000UL));
	CHECK(vmalloc_to_page((void *)0x700000000000UL) == NULL);
	vfree(NULL);
}

KTEST(vmalloc_basic)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	unsigned long size = 3 * PAGE_SIZE + 5;
	char *p = vmalloc(size);

	CHECK(p != NULL);
	if (!p)
		return;
	/* first fit in an empty range: its start */
	CHECK(p == vstart());
	CHECK(IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	CHECK(is_vmalloc_addr(p));
	CHECK(is_vmalloc_addr(p + size - 1));
	CHECK(!virt_addr_valid(p));
	CHECK_EQ(free0 - nr_free_pages(), 4);
	CHECK_EQ(vmalloc_nr_pages(), 4);
	fill(p, size, 3);
	CHECK(check_fill(p, size, 3));
	CHECK_EQ(kalloc_validate(), 0);

	vfree(p);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	vfree(NULL);
	CHECK_EQ(kalloc_report_count(), 0);
}

KTEST(vmalloc_range_checks)
{
	ktest_init_default();
	char *s = vstart(), *e = vend();
	char buf[8];

	CHECK(is_vmalloc_addr(s));
	CHECK(is_vmalloc_addr(e - 1));
	CHECK(!is_vmalloc_addr(e));
	CHECK(!is_vmalloc_addr(s - 1));
	CHECK(!is_vmalloc_addr(NULL));
	CHECK(!is_vmalloc_addr(buf));
	CHECK(!is_vmalloc_addr(page_address(pfn_to_page(0))));
	CHECK(vmalloc_to_page(buf) == NULL);
	CHECK(vmalloc_to_page(s) == NULL);		/* nothing mapped yet */
	CHECK(vmalloc_to_pfn(s) == ULONG_MAX);
	CHECK(!pfn_valid(vmalloc_to_pfn(s)));
}

KTEST(vzalloc_is_zeroed)
{
	ktest_init_default();
	unsigned long size = 5 * PAGE_SIZE;
	char *p = vmalloc(size);

	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 0xaa, size);
	vfree(p);
	/* the same pages come back (LIFO), dirty: vzalloc must clear them */
	p = vzalloc(size);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(all_zero(p, size));
	vfree(p);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(vmalloc_same_page_at_two_addresses)
{
	ktest_init_default();
	char *p = vmalloc(3 * PAGE_SIZE);

	CHECK(p != NULL);
	if (!p)
		return;
	for (int i = 0; i < 3; i++) {
		char *v = p + i * PAGE_SIZE;
		struct page *page = vmalloc_to_page(v + 123);
		char *lin;

		CHECK(page != NULL);
		if (!page)
			continue;
		CHECK(page == vmalloc_to_page(v));
		CHECK_EQ(vmalloc_to_pfn(v + 4000), page_to_pfn(page));
		CHECK(!PageBuddy(page) && !PageSlab(page));
		CHECK(page_test(page, PG_vmalloc));
		CHECK(page->vm == find_vm_area(p));
		lin = page_address(page);
		CHECK(virt_to_page(lin) == page);
		CHECK(!is_vmalloc_addr(lin));

		v[123] = (char)(0x50 + i);		/* vmalloc → linear */
		CHECK_EQ(lin[123], 0x50 + i);
		lin[777] = (char)(0x60 + i);		/* linear → vmalloc */
		CHECK_EQ(v[777], 0x60 + i);
	}
	vfree(p);
}

KTEST(vmalloc_pages_scattered_after_fragmentation)
{
	ktest_init_default();
	struct frag f;
	unsigned int n = 16, jumps = 0;
	char *p;

	fragment(&f);
	p = vmalloc(n * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		for (unsigned int i = 0; i + 1 < n; i++)
			jumps += vmalloc_to_pfn(p + (i + 1) * PAGE_SIZE) !=
				 vmalloc_to_pfn(p + i * PAGE_SIZE) + 1;
		/* every free page was isolated: no neighbours line up */
		CHECK_EQ(jumps, n - 1);
		/* still one contiguous array to its user */
		fill(p, n * PAGE_SIZE, 9);
		CHECK(check_fill(p, n * PAGE_SIZE, 9));
		for (unsigned int i = 0; i < n; i++) {
			char *lin = page_address(vmalloc_to_page(p + i * PAGE_SIZE));

			CHECK(check_fill(lin, PAGE_SIZE,
					 (uint8_t)(9 + i * PAGE_SIZE * 7)));
		}
		CHECK_EQ(kalloc_validate(), 0);
		vfree(p);
	}
	unfragment(&f);
	CHECK_EQ(kalloc_validate(), 0);
}

static void write_guard_unchecked(void *addr) __attribute__((noinline,
							     no_sanitize_address));
static void write_guard_unchecked(void *addr)
{
	*(volatile char *)addr = 1;
}

/* The child's own machine: two areas as in the parent, then a write to the
 * guard page between them. */
static void write_guard_child(void *arg)
{
	char *p, *q;

	(void)arg;
	ktest_init_default();
	p = vmalloc(PAGE_SIZE);
	q = vmalloc(PAGE_SIZE);
	if (!p || q != p + 2 * PAGE_SIZE)
		_exit(2);
	write_guard_unchecked(p + PAGE_SIZE);
}

KTEST(vmalloc_guard_page_is_not_mapped)
{
	ktest_init_default();
	char *p = vmalloc(PAGE_SIZE), *q;
	static char out[65536];
	int status;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(probe(p, true), 0);
	CHECK_EQ(probe(p + PAGE_SIZE - 1, true), 0);
	CHECK_EQ(probe(p + PAGE_SIZE, true), -EFAULT);
	CHECK_EQ(probe(p + PAGE_SIZE, false), -EFAULT);
	CHECK(vmalloc_to_page(p + PAGE_SIZE) == NULL);
	CHECK(find_vm_area(p + PAGE_SIZE) == find_vm_area(p));

	/* the next area starts after the guard page, never on it */
	q = vmalloc(PAGE_SIZE);
	CHECK(q == p + 2 * PAGE_SIZE);

	status = ktest_run_child(write_guard_child, NULL, out, sizeof(out));
	if (kasan_enabled()) {
		/* ASan's SEGV handler reports the fault and ends the child:
		 * exit 1, or SIGABRT under abort_on_error=1 */
		CHECK(status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0));
		CHECK_CONTAINS(out, "SEGV on unknown address");
		CHECK_CONTAINS(out, "WRITE memory access");
	} else {
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	}
	vfree(q);
	vfree(p);
	/* freed areas are gone from the address space too */
	CHECK_EQ(probe(p, false), -EFAULT);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(vmalloc_first_fit_placement)
{
	ktest_init_default();
	char *s = vstart();
	char *a = vmalloc(PAGE_SIZE);		/* [s, s+1) guard s+1 */
	char *b = vmalloc(PAGE_SIZE);		/* s+2, guard s+3 */
	char *c, *d;

	CHECK(a == s);
	CHECK(b == s + 2 * PAGE_SIZE);
	vfree(a);				/* hole of 2 pages at s */
	c = vmalloc(2 * PAGE_SIZE);		/* needs 3: after b */
	CHECK(c == s + 4 * PAGE_SIZE);
	d = vmalloc(100);			/* fits the hole */
	CHECK(d == s);
	vfree(b);
	vfree(c);
	vfree(d);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);
}

static void expect_one_vm_report(unsigned long before, const char *line)
{
	CHECK_EQ(kalloc_report_count(), before + 1);
	CHECK(ktest_nr_reports >= 1);
	if (ktest_nr_reports < 1)
		return;
	struct ktest_report *r = &ktest_reports[ktest_nr_reports - 1];

	CHECK_EQ(r->bug, KALLOC_BUG_VMALLOC);
	CHECK_STR(r->title, VM_TITLE);
	CHECK_CONTAINS(r->text, "Trying to vfree() nonexistent vm area");
	CHECK_CONTAINS(r->text, line);
}

KTEST(vfree_misuse_reports)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	char *p = vmalloc(2 * PAGE_SIZE);
	char *k = kmalloc(64, GFP_KERNEL);
	char stack_buf[16];
	unsigned long n;

	CHECK(p != NULL && k != NULL);
	if (!p || !k)
		return;
	fill(p, 2 * PAGE_SIZE, 1);

	n = kalloc_report_count();
	vfree(p + 16);
	expect_one_vm_report(n, "16 bytes inside the vm area");
	CHECK_CONTAINS(ktest_reports[ktest_nr_reports - 1].text,
		       "Trying to vfree() bad address");

	n = kalloc_report_count();
	vfree(p + PAGE_SIZE);
	expect_one_vm_report(n, "4096 bytes inside the vm area");

	n = kalloc_report_count();
	vfree(p + 2 * PAGE_SIZE);
	expect_one_vm_report(n, "in the guard page");

	n = kalloc_report_count();
	vfree(k);
	expect_one_vm_report(n, "is not a vmalloc address (linear map)");

	n = kalloc_report_count();
	vfree(stack_buf);
	expect_one_vm_report(n, "is not a vmalloc address");

	n = kalloc_report_count();
	vfree(vstart() + 64 * PAGE_SIZE);
	expect_one_vm_report(n, "is in free vmalloc space");

	/* nothing was freed by any of them */
	CHECK(check_fill(p, 2 * PAGE_SIZE, 1));
	CHECK_EQ(kalloc_validate(), 0);

	vfree(p);
	CHECK_EQ(kalloc_report_count(), 6);
	n = kalloc_report_count();
	vfree(p);				/* double vfree: the same case */
	expect_one_vm_report(n, "(double vfree)");
	CHECK_EQ(kalloc_report_count(), 7);

	kfree(k);
	kalloc_reclaim(GFP_KERNEL);		/* empty slabs back to the buddy */
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	/* no INTERNAL report, no other kind */
	for (int i = 0; i < ktest_nr_reports; i++)
		CHECK_EQ(ktest_reports[i].bug, KALLOC_BUG_VMALLOC);
}

KTEST(vmalloc_size_checks)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();

	CHECK(vmalloc(0) == NULL);
	CHECK_CONTAINS(ktest_log, "WARN_ON_ONCE(!size)");
	ktest_capture_clear();
	CHECK(vmalloc(0) == NULL);		/* once */
	CHECK(strstr(ktest_log, "WARN_ON_ONCE") == NULL);

	CHECK(vmalloc((totalram_pages() + 1) * PAGE_SIZE) == NULL);
	CHECK_CONTAINS(ktest_log, "exceeds total pages, mode:0xcc0(GFP_KERNEL), "
		       "nodemask=(null)");
	CHECK(vmalloc(ULONG_MAX) == NULL);
	CHECK(vmalloc(ULONG_MAX - PAGE_SIZE + 2) == NULL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK_EQ(kalloc_validate(), 0);

	/* once per machine life: a reset re-arms it */
	kalloc_reset();
	ktest_capture_clear();
	CHECK(vmalloc(0) == NULL);
	CHECK_CONTAINS(ktest_log, "WARN_ON_ONCE(!size)");
}

KTEST(vmalloc_range_exhausted_leaves_nothing)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	char *areas[200];
	int n = 0;

	cfg.vmalloc_bytes = 1 << 20;		/* 256 pages */
	ktest_init(cfg);
	unsigned long free0 = nr_free_pages();
	char *s = vstart();

	/* 256 pages plus a guard page do not fit in 256 */
	CHECK(vmalloc(1 << 20) == NULL);
	CHECK_CONTAINS(ktest_log, "vmalloc error: size 1048576, vm_struct "
		       "allocation failed, mode:0xcc0(GFP_KERNEL), nodemask=(null)");
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);

	/* 255 pages and the guard fill it exactly */
	char *big = vmalloc((1 << 20) - PAGE_SIZE);
	CHECK(big == s);
	CHECK(vmalloc(1) == NULL);
	vfree(big);

	/* one-page areas: two pages each with the guard */
	while (n < 200 && (areas[n] = vmalloc(PAGE_SIZE)))
		n++;
	CHECK_EQ(n, 128);
	CHECK_EQ(vmalloc_nr_pages(), 128);
	CHECK_EQ(kalloc_validate(), 0);
	for (int i = 0; i < n; i += 2)
		vfree(areas[i]);
	/* holes of two pages: a two-page area still does not fit */
	CHECK(vmalloc(2 * PAGE_SIZE) == NULL);
	for (int i = 1; i < n; i += 2)
		vfree(areas[i]);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	CHECK(vmalloc(PAGE_SIZE) == s);
}

KTEST(vmalloc_arena_exhausted_leaves_nothing)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	cfg.mem_bytes = 2 << 20;
	cfg.dma_bytes = 0;
	ktest_init(cfg);
	unsigned long free0 = nr_free_pages();
	char *s = vstart();

	/* within the machine's size, beyond what it has free */
	CHECK(vmalloc(totalram_pages() * PAGE_SIZE) == NULL);
	CHECK_CONTAINS(ktest_log, "failed to allocate pages, "
		       "mode:0xcc2(GFP_KERNEL|__GFP_HIGHMEM), nodemask=(null)");
	CHECK(strstr(ktest_log, "page allocation failure") == NULL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	/* the range was given back too */
	char *p = vmalloc(PAGE_SIZE);
	CHECK(p == s);
	vfree(p);

	/* until NULL with small areas, then everything back */
	char *areas[1024];
	int n = 0;

	while (n < 1024 && (areas[n] = vzalloc(PAGE_SIZE)))
		n++;
	CHECK(n > 100 && n < 1024);
	CHECK_EQ(kalloc_validate(), 0);
	while (n--)
		vfree(areas[n]);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
}

/* Capture is off in the child: the default handler prints. */
static void nofail_child(void *arg)
{
	struct kalloc_config cfg = kalloc_config_defaults();

	(void)arg;
	cfg.vmalloc_bytes = 1 << 20;
	ktest_init(cfg);
	kvmalloc(5 << 20, GFP_KERNEL | __GFP_NOFAIL);
}

KTEST(kvmalloc_nofail_without_vmalloc_space_aborts)
{
	char out[8192];
	int status;

	status = ktest_run_child(nofail_child, NULL, out, sizeof(out));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_CONTAINS(out, "vm_struct allocation failed. Retrying.");
	CHECK_CONTAINS(out, "Out of memory: vmalloc: size 5242880");
}

KTEST(vmalloc_reset_unmaps_everything)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	char *a, *b, *c;
	unsigned long pfn_a;

	a = vmalloc(PAGE_SIZE);
	pfn_a = vmalloc_to_pfn(a);
	b = vmalloc(7 * PAGE_SIZE);
	c = vzalloc(3 * PAGE_SIZE);
	CHECK(a && b && c);
	if (!a || !b || !c)
		return;
	memset(b, 0x77, 7 * PAGE_SIZE);
	vfree(a);
	a = vmalloc(PAGE_SIZE);

	kalloc_reset();
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK(vmalloc_to_page(a) == NULL);
	CHECK(vmalloc_to_page(b) == NULL);
	CHECK(find_vm_area(c) == NULL);
	CHECK_EQ(probe(a, false), -EFAULT);
	CHECK_EQ(probe(b + 3 * PAGE_SIZE, true), -EFAULT);
	CHECK_EQ(probe(c, false), -EFAULT);
	CHECK(is_vmalloc_addr(b));

	/* the same machine again: same address, same frame */
	char *again = vmalloc(PAGE_SIZE);
	CHECK(again == vstart());
	CHECK_EQ(vmalloc_to_pfn(again), pfn_a);
	vfree(again);
	CHECK_EQ(kalloc_report_count(), 0);
}

/*
 * A machine made on a parked arena finds the host mappings and the page
 * table the last one left in its vmalloc range: none of the mappings gives
 * access, the table maps no page, and an area that now gets other frames
 * at an address maps those, so that each address reaches the frame its
 * area owns.
 */
KTEST(vmalloc_mappings_parked_with_the_arena)
{
	struct kalloc_config cfg;
	struct page *first;
	char *a, *b;

	ktest_init_default();
	cfg = *kalloc_get_config();
	a = vmalloc(4 * PAGE_SIZE);
	CHECK(a != NULL);
	if (!a)
		return;
	memset(a, 0x5e, 4 * PAGE_SIZE);
	kalloc_fini();
	CHECK_EQ(kalloc_init(&cfg), 0);
	/* the old area's address: mapped on the host still, but no access,
	 * and no page in the table the arena brought back */
	CHECK_EQ(probe(a, false), -EFAULT);
	CHECK_EQ(probe(a + 3 * PAGE_SIZE, true), -EFAULT);
	for (int i = 0; i < 4; i++)
		CHECK(vmalloc_to_page(a + i * PAGE_SIZE) == NULL);
	/* the same frames at the same address (the mappings are reused), then
	 * one page taken first, so that the address needs other frames */
	for (int round = 0; round < 2; round++) {
		first = round ? alloc_page(GFP_KERNEL) : NULL;
		b = vmalloc(4 * PAGE_SIZE);
		CHECK(b == a);
		if (!b)
			return;
		for (int i = 0; i < 4; i++) {
			char *lin = page_address(vmalloc_to_page(b + i * PAGE_SIZE));

			b[i * PAGE_SIZE] = (char)(0x10 + i + round);
			CHECK_EQ(lin[0], (char)(0x10 + i + round));
		}
		CHECK_EQ(kalloc_validate(), 0);
		vfree(b);
		CHECK_EQ(probe(b, false), -EFAULT);
		if (first)
			__free_page(first);
	}
	CHECK_EQ(kalloc_report_count(), 0);
}

/*
 * Makes areas of 1..n pages, frees every third, and returns the highest
 * address reached; the addresses go to addr[].
 */
static char *many_areas(char **addr, int n)
{
	for (int i = 0; i < n; i++)
		addr[i] = vmalloc((unsigned long)(i % 5 + 1) * PAGE_SIZE);
	for (int i = 0; i < n; i += 3) {
		vfree(addr[i]);
		addr[i] = NULL;
	}
	return vmalloc_hwm();
}

/*
 * The high-water mark of the areas (how far validation scans the page
 * table) is per run: a reset puts it back where init left it, so that a
 * run's work does not depend on how far an earlier run got.
 */
KTEST(vmalloc_reset_restores_the_high_water_mark)
{
	ktest_init_default();
	char *hwm0 = vmalloc_hwm(), *hwm1, *a[40], *b[40];

	CHECK(hwm0 == vstart());
	hwm1 = many_areas(a, 40);
	CHECK(hwm1 > hwm0 + 40 * PAGE_SIZE);
	CHECK_EQ(kalloc_validate(), 0);

	kalloc_reset();
	CHECK(vmalloc_hwm() == hwm0);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	CHECK_EQ(kalloc_validate(), 0);

	/* a smaller run afterwards sees only its own mark */
	char *one = vmalloc(PAGE_SIZE);
	CHECK(one == vstart());
	CHECK(vmalloc_hwm() == vstart() + 2 * PAGE_SIZE);
	vfree(one);
	kalloc_reset();

	/* and the same run again ends where the first one did */
	CHECK(many_areas(b, 40) == hwm1);
	CHECK_EQ(memcmp(a, b, sizeof(a)), 0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(kalloc_report_count(), 0);
}

/* ------------------------------------------------------------------ */
/* kvmalloc                                                            */
/* ------------------------------------------------------------------ */

KTEST(kvmalloc_small_takes_kmalloc)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	size_t sizes[] = { 1, 100, 2048, PAGE_SIZE, PAGE_SIZE + 1, 64 << 10 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *p = kvmalloc(sizes[i], GFP_KERNEL);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK(!is_vmalloc_addr(p));
		CHECK(virt_addr_valid(p));
		CHECK(ksize(p) >= sizes[i]);
		fill(p, sizes[i], (uint8_t)i);
		CHECK(check_fill(p, sizes[i], (uint8_t)i));
		kvfree(p);
	}
	CHECK(kvmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kvfree(ZERO_SIZE_PTR);
	kvfree(NULL);
	CHECK_EQ(vmalloc_nr_pages(), 0);
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(kvmalloc_big_takes_vmalloc)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	size_t size = KMALLOC_MAX_SIZE + 1;
	char *p = kvmalloc(size, GFP_KERNEL);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(is_vmalloc_addr(p));
	CHECK_EQ(vmalloc_nr_pages(), PAGE_ALIGN(size) / PAGE_SIZE);
	/* kmalloc's refusal was silent: __GFP_NOWARN above PAGE_SIZE */
	CHECK(strstr(ktest_log, "WARNING") == NULL);
	fill(p, size, 5);
	CHECK(check_fill(p, size, 5));
	kvfree(p);
	CHECK_EQ(vmalloc_nr_pages(), 0);

	p = kvmalloc(size, GFP_KERNEL);
	CHECK(p != NULL);
	if (p)
		memset(p, 0xee, size);
	kvfree(p);
	p = kvzalloc(size, GFP_KERNEL);
	CHECK(p && is_vmalloc_addr(p) && all_zero(p, size));
	kvfree(p);

	/* non-blocking masks may fall back too (vmalloc takes them now) */
	p = kvmalloc(size, GFP_ATOMIC);
	CHECK(p && is_vmalloc_addr(p));
	kvfree(p);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

KTEST(kvmalloc_falls_back_when_kmalloc_fails)
{
	ktest_init_default();
	unsigned long free0 = nr_free_pages();
	struct frag f;
	char *p, *q, *r;

	fragment(&f);
	ktest_capture_clear();
	/* order 4 cannot be found, order 0 can */
	p = kvmalloc(64 << 10, GFP_KERNEL);
	CHECK(p != NULL && is_vmalloc_addr(p));
	q = kvzalloc(PAGE_SIZE + 1, GFP_KERNEL);
	CHECK(q != NULL && is_vmalloc_addr(q));
	if (q)
		CHECK(all_zero(q, PAGE_SIZE + 1));
	/* asking kmalloc to try hard changes nothing when it cannot */
	r = kvmalloc(32 << 10, GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	CHECK(r != NULL && is_vmalloc_addr(r));
	/* the failed kmalloc attempts did not warn */
	CHECK(strstr(ktest_log, "page allocation failure") == NULL);
	if (p) {
		fill(p, 64 << 10, 2);
		CHECK(check_fill(p, 64 << 10, 2));
	}
	CHECK_EQ(kalloc_validate(), 0);
	kvfree(p);
	kvfree(q);
	kvfree(r);
	unfragment(&f);
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

static unsigned long shrinker_counts;

static unsigned long count_nothing(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	shrinker_counts++;
	return 0;
}

static unsigned long scan_nothing(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return SHRINK_STOP;
}

KTEST(kvmalloc_kmalloc_attempt_skips_direct_reclaim)
{
	ktest_init_default();
	struct shrinker sh = { .count_objects = count_nothing,
			       .scan_objects = scan_nothing };
	struct frag f;
	char *p, *q;

	CHECK_EQ(register_shrinker(&sh, "kvmalloc-test"), 0);
	fragment(&f);
	shrinker_counts = 0;
	/* kmalloc fails at once, without reclaim; vmalloc's order-0 pages
	 * are there without reclaim too */
	p = kvmalloc(64 << 10, GFP_KERNEL);
	CHECK(p != NULL && is_vmalloc_addr(p));
	CHECK_EQ(shrinker_counts, 0);
	/* __GFP_RETRY_MAYFAIL: kmalloc keeps direct reclaim */
	q = kvmalloc(64 << 10, GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	CHECK(q != NULL && is_vmalloc_addr(q));
	CHECK(shrinker_counts > 0);
	kvfree(p);
	kvfree(q);
	unfragment(&f);
	unregister_shrinker(&sh);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(kvmalloc_no_fallback_up_to_a_page)
{
	ktest_init_default();
	struct frag f = { 0 };
	struct page *page;

	f.held = calloc(totalram_pages(), sizeof(*f.held));
	while ((page = alloc_page(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN)))
		f.held[f.nr++] = page;
	ktest_capture_clear();
	CHECK(kvmalloc(100, GFP_KERNEL) == NULL);
	CHECK(kvmalloc(PAGE_SIZE, GFP_KERNEL) == NULL);
	/* kmalloc's answer was final: vmalloc never tried */
	CHECK(strstr(ktest_log, "vmalloc error") == NULL);
	CHECK_CONTAINS(ktest_log, "page allocation failure");
	/* one byte more and vmalloc is tried (and fails here too) */
	CHECK(kvmalloc(PAGE_SIZE + 1, GFP_KERNEL) == NULL);
	/* the kernel's size here is what it did get: nothing */
	CHECK_CONTAINS(ktest_log, "vmalloc error: size 0, failed to allocate pages");
	CHECK_EQ(vmalloc_nr_pages(), 0);
	unfragment(&f);
	CHECK_EQ(kalloc_validate(), 0);
}

KTEST(kvmalloc_int_max)
{
	ktest_init_default();

	CHECK(kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL) == NULL);
	CHECK_CONTAINS(ktest_log, "WARN_ON_ONCE(size > INT_MAX)");
	ktest_capture_clear();
	kalloc_reset();
	CHECK(kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_STR(ktest_log, "");
	/* just below INT_MAX: more than the machine has */
	CHECK(kvmalloc(INT_MAX, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_STR(ktest_log, "");
	CHECK(kvmalloc(INT_MAX, GFP_KERNEL) == NULL);
	CHECK_CONTAINS(ktest_log, "vmalloc error: size 2147483647, exceeds "
		       "total pages");
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}

/* ------------------------------------------------------------------ */
/* validate                                                            */
/* ------------------------------------------------------------------ */

/* validate() finds at least one problem and says what it is */
static void expect_invariant(const char *what)
{
	bool found = false;

	ktest_capture_clear();
	CHECK(kalloc_validate() >= 1);
	for (int i = 0; i < ktest_nr_reports; i++) {
		CHECK_EQ(ktest_reports[i].bug, KALLOC_BUG_INTERNAL);
		found |= strstr(ktest_reports[i].text, what) != NULL;
	}
	if (!found)
		ktest_fail(__FILE__, __LINE__, "no report says \"%s\"", what);
}

KTEST(vmalloc_validate_catches_corruption)
{
	ktest_init_default();
	char *p = vmalloc(3 * PAGE_SIZE), *gone = vmalloc(4 * PAGE_SIZE);
	struct vm_struct *vm = find_vm_area(p);
	struct page *page, **slot, *saved;
	unsigned long size;

	CHECK(p && gone && vm);
	if (!p || !gone || !vm)
		return;
	vfree(gone);				/* free space below the hwm */
	page = vm->pages[1];
	CHECK_EQ(kalloc_validate(), 0);

	page_clear(page, PG_vmalloc);
	expect_invariant("is not marked as this area's");
	page_set(page, PG_vmalloc);
	CHECK_EQ(kalloc_validate(), 0);

	page->vm = NULL;
	expect_invariant("is not marked as this area's");
	page->vm = vm;

	page->_mapcount = -1;
	expect_invariant("mapcount 0");
	page->_mapcount = 0;

	/* a guard page that found its way into the table */
	slot = &vm->pages[vm->nr_pages];
	*slot = page;
	expect_invariant("its guard page");
	*slot = NULL;

	/* a page in the table where no area is */
	slot = &vm->pages[vm->nr_pages + 2];
	*slot = page;
	expect_invariant("pages in the page table");
	*slot = NULL;

	/* an area whose pages[] is not the frame behind the mapping */
	saved = vm->pages[0];
	memset(page_address(saved), 0x11, 8);
	memset(page_address(vm->pages[2]), 0x22, 8);
	vm->pages[0] = vm->pages[2];
	expect_invariant("is not mapped to");
	vm->pages[0] = saved;

	size = vm->size;
	vm->size += PAGE_SIZE;
	expect_invariant("is out of place");
	vm->size = size;

	vm->requested_size = 1;
	expect_invariant("requested size 1");
	vm->requested_size = 3 * PAGE_SIZE;

	/* a page the buddy allocator believes free */
	struct page *spare = alloc_page(GFP_KERNEL);

	__free_page(spare);
	vm->pages[1] = spare;
	expect_invariant("is on a buddy free list");
	vm->pages[1] = page;

	ktest_capture_clear();
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
	vfree(p);
}

/* ------------------------------------------------------------------ */
/* random work                                                         */
/* ------------------------------------------------------------------ */

KTEST(vmalloc_random_work)
{
	struct kalloc_config cfg = kalloc_config_defaults();
	enum { SLOTS = 48, OPS = 3000 };
	struct { char *p; size_t size; uint8_t seed; bool kv; } live[SLOTS];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned long free0;

	cfg.vmalloc_bytes = 4 << 20;		/* small: exhaustion happens */
	ktest_init(cfg);
	free0 = nr_free_pages();
	memset(live, 0, sizeof(live));
	for (int op = 0; op < OPS; op++) {
		unsigned int i;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		i = (unsigned int)(x % SLOTS);
		if (live[i].p) {
			CHECK(check_fill(live[i].p, live[i].size, live[i].seed));
			if (live[i].kv)
				kvfree(live[i].p);
			else
				vfree(live[i].p);
			live[i].p = NULL;
		} else {
			size_t size = 1 + (x >> 20) % (24 * PAGE_SIZE);

			live[i].kv = (x >> 50) & 1;
			live[i].p = live[i].kv ? kvmalloc(size, GFP_KERNEL) :
						  vmalloc(size);
			live[i].size = size;
			live[i].seed = (uint8_t)op;
			if (live[i].p)
				fill(live[i].p, size, live[i].seed);
		}
		if (op % 250 == 0)
			CHECK_EQ(kalloc_validate(), 0);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (!live[i].p)
			continue;
		CHECK(check_fill(live[i].p, live[i].size, live[i].seed));
		kvfree(live[i].p);
	}
	CHECK_EQ(vmalloc_nr_pages(), 0);
	kalloc_reclaim(GFP_KERNEL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(kalloc_validate(), 0);
	CHECK_EQ(ktest_nr_reports, 0);
}
