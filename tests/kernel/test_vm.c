/*
 * User address spaces: demand zero, copy-in, COW fork, unmap, brk, stack
 * guard, RSS accounting and freeing (mm/vm.h).  Everything goes through
 * vm_user_ptr / vm_fault; no address space is ever activated.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/ktest.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"

#define A     0x10000000UL /* a scratch area */
#define RW    (PROT_READ | PROT_WRITE)
#define PG(n) ((uint64_t)(n)*PAGE_SIZE)

static unsigned char *uptr(struct mm *mm, uint64_t va, bool write)
{
	return vm_user_ptr(mm, va, write);
}

KTEST(vm_demand_zero)
{
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, A, PG(4), RW, 0) == 0);
	KT_CHECK(vm_rss_bytes(mm) == 0);

	unsigned char *p = uptr(mm, A + 5, false);
	KT_CHECK(p != NULL);
	if (p) {
		KT_CHECK(((uintptr_t)p & (PAGE_SIZE - 1)) == 5);
		bool zero = true;
		for (unsigned i = 0; i < PAGE_SIZE - 5; i++)
			zero = zero && p[i] == 0;
		KT_CHECK(zero);
	}
	KT_CHECK(vm_rss_bytes(mm) == PAGE_SIZE);

	/* a write through the write pointer is seen by a later read */
	unsigned char *w = uptr(mm, A + PG(2) + 17, true);
	KT_CHECK(w != NULL);
	if (w)
		*w = 0x42;
	unsigned char *r = uptr(mm, A + PG(2) + 17, false);
	KT_CHECK(r != NULL && *r == 0x42);
	KT_CHECK(r == w);
	KT_CHECK(vm_rss_bytes(mm) == PG(2));
	/* touching a present page again does not count it twice */
	KT_CHECK(uptr(mm, A + PG(2), true) != NULL);
	KT_CHECK(vm_rss_bytes(mm) == PG(2));

	/* outside every VMA, and beyond the user half */
	KT_CHECK(uptr(mm, A - 1, false) == NULL);
	KT_CHECK(uptr(mm, A + PG(4), false) == NULL);
	KT_CHECK(uptr(mm, 0, false) == NULL);
	KT_CHECK(uptr(mm, USER_TOP, false) == NULL);
	KT_CHECK(uptr(mm, DIRECT_MAP_BASE, false) == NULL);
	KT_CHECK(vm_rss_bytes(mm) == PG(2));
	mm_put(mm);
}

KTEST(vm_protection)
{
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, A, PG(1), PROT_READ, 0) == 0);
	KT_CHECK(vm_map_anon(mm, A + PG(1), PG(1), PROT_NONE, 0) == 0);
	KT_CHECK(vm_map_anon(mm, A + PG(2), PG(1), PROT_READ | PROT_EXEC, 0) == 0);

	KT_CHECK(uptr(mm, A, true) == NULL);
	KT_CHECK(uptr(mm, A, false) != NULL);
	KT_CHECK(uptr(mm, A, true) == NULL); /* present but read-only */
	KT_CHECK(uptr(mm, A + PG(1), false) == NULL);
	KT_CHECK(uptr(mm, A + PG(1), true) == NULL);

	KT_CHECK(vm_fault(mm, A, FAULT_WRITE) == -EFAULT);
	KT_CHECK(vm_fault(mm, A, FAULT_READ) == 0);
	KT_CHECK(vm_fault(mm, A, FAULT_EXEC) == -EFAULT);
	KT_CHECK(vm_fault(mm, A + PG(1), FAULT_READ) == -EFAULT);
	KT_CHECK(vm_fault(mm, A + PG(2), FAULT_EXEC) == 0);
	KT_CHECK(vm_fault(mm, A + PG(2), FAULT_WRITE) == -EFAULT);
	KT_CHECK(vm_fault(mm, A + PG(3), FAULT_READ) == -EFAULT);
	KT_CHECK(vm_fault(mm, USER_TOP + PG(1), FAULT_READ) == -EFAULT);
	KT_CHECK(vm_rss_bytes(mm) == PG(2));
	mm_put(mm);
}

KTEST(vm_map_anon_invalid)
{
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, A, PG(4), RW, 0) == 0);
	/* overlaps: inside, straddling either end, covering */
	KT_CHECK(vm_map_anon(mm, A + PG(1), PG(1), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A - PG(1), PG(2), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A + PG(3), PG(2), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A - PG(1), PG(6), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A, PG(4), PROT_READ, 0) == -EINVAL);
	/* misaligned, empty, past the user half, wrapping */
	KT_CHECK(vm_map_anon(mm, A + PG(8) + 1, PG(1), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A + PG(8), 100, RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A + PG(8), 0, RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, USER_TOP - PG(1), PG(2), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, USER_TOP, PG(1), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A, (uint64_t)0 - PG(1), RW, 0) == -EINVAL);
	/* right next to it on both sides is fine */
	KT_CHECK(vm_map_anon(mm, A + PG(4), PG(1), PROT_READ, 0) == 0);
	KT_CHECK(vm_map_anon(mm, A - PG(1), PG(1), RW, 0) == 0);
	KT_CHECK(vm_map_anon(mm, USER_TOP - PG(1), PG(1), RW, 0) == 0);
	/* failed calls mapped nothing */
	KT_CHECK(uptr(mm, A + PG(8), false) == NULL);
	KT_CHECK(uptr(mm, A + PG(4), true) == NULL); /* the read-only one */
	KT_CHECK(uptr(mm, A - PG(1), true) != NULL);
	KT_CHECK(uptr(mm, A + PG(3), true) != NULL);
	KT_CHECK(uptr(mm, USER_TOP - 1, true) != NULL);
	mm_put(mm);
}

KTEST(vm_copy_in)
{
	static unsigned char src[3 * 4096 + 333];
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	KT_CHECK(vm_map_anon(mm, A, PG(5), RW, 0) == 0);
	KT_CHECK(vm_copy_in(mm, A + 100, src, sizeof(src)) == 0);
	bool same = true;
	for (size_t i = 0; i < sizeof(src); i++) {
		unsigned char *p = uptr(mm, A + 100 + i, false);
		if (!p || *p != src[i]) {
			same = false;
			break;
		}
	}
	KT_CHECK(same);
	/* bytes around the copy stay zero */
	unsigned char *b = uptr(mm, A + 99, false);
	unsigned char *e = uptr(mm, A + 100 + sizeof(src), false);
	KT_CHECK(b && *b == 0);
	KT_CHECK(e && *e == 0);

	/* read-only areas can be filled (exec loading text) */
	KT_CHECK(vm_map_anon(mm, A + PG(8), PG(1), PROT_READ | PROT_EXEC, 0) == 0);
	KT_CHECK(vm_copy_in(mm, A + PG(8) + 8, "text", 4) == 0);
	unsigned char *t = uptr(mm, A + PG(8) + 8, false);
	KT_CHECK(t && memcmp(t, "text", 4) == 0);
	KT_CHECK(uptr(mm, A + PG(8) + 8, true) == NULL);

	/* a copy running off the end of the area fails */
	KT_CHECK(vm_copy_in(mm, A + PG(5) - 2, "abcd", 4) == -EFAULT);
	KT_CHECK(vm_copy_in(mm, A + PG(20), "abcd", 4) == -EFAULT);
	KT_CHECK(vm_copy_in(mm, A, src, 0) == 0);
	mm_put(mm);
}

KTEST(vm_fork_cow)
{
	struct mm *parent = mm_create();
	KT_CHECK(parent != NULL);
	if (!parent)
		return;
	KT_CHECK(vm_map_anon(parent, A, PG(4), RW, 0) == 0);
	KT_CHECK(vm_map_anon(parent, A + PG(8), PG(1), PROT_READ, 0) == 0);
	parent->brk_start = 0x30000000;
	parent->brk = 0x30000010;
	unsigned char *pw = uptr(parent, A + 10, true);
	KT_CHECK(pw != NULL);
	if (!pw) {
		mm_put(parent);
		return;
	}
	*pw = 'P';
	unsigned char *pw2 = uptr(parent, A + PG(1), true);
	KT_CHECK(pw2 != NULL);
	if (pw2)
		*pw2 = 'Q';
	KT_CHECK(uptr(parent, A + PG(8), false) != NULL);
	KT_CHECK(vm_rss_bytes(parent) == PG(3));

	struct mm *child = mm_fork(parent);
	KT_CHECK(child != NULL);
	if (!child) {
		mm_put(parent);
		return;
	}
	KT_CHECK(child != parent && child->root != parent->root);
	KT_CHECK(child->brk_start == 0x30000000 && child->brk == 0x30000010);
	KT_CHECK(vm_rss_bytes(child) == vm_rss_bytes(parent));

	/* reads share the page */
	unsigned char *cr = uptr(child, A + 10, false);
	KT_CHECK(cr == pw);
	KT_CHECK(cr && *cr == 'P');
	KT_CHECK(page_refcount((void *)ALIGN_DOWN((uintptr_t)pw, PAGE_SIZE)) == 2);
	/* read-only areas are shared too, without COW */
	KT_CHECK(uptr(child, A + PG(8), false) == uptr(parent, A + PG(8), false));
	KT_CHECK(uptr(child, A + PG(8), true) == NULL);

	/* a write in the child gets a private copy */
	unsigned char *cw = uptr(child, A + 10, true);
	KT_CHECK(cw != NULL && cw != pw);
	if (cw) {
		KT_CHECK(*cw == 'P');
		*cw = 'C';
	}
	KT_CHECK(*pw == 'P');
	unsigned char *pr = uptr(parent, A + 10, false);
	KT_CHECK(pr && *pr == 'P');
	cr = uptr(child, A + 10, false);
	KT_CHECK(cr && *cr == 'C');
	KT_CHECK(page_refcount((void *)ALIGN_DOWN((uintptr_t)pw, PAGE_SIZE)) == 1);

	/* the parent, now sole owner of its page, writes in place */
	unsigned char *pw_again = uptr(parent, A + 10, true);
	KT_CHECK(pw_again == pw);
	if (pw_again)
		*pw_again = 'p';
	cr = uptr(child, A + 10, false);
	KT_CHECK(cr && *cr == 'C');

	/* a write in the parent leaves the child's view alone */
	unsigned char *pw3 = uptr(parent, A + PG(1), true);
	KT_CHECK(pw3 != NULL && pw3 != pw2);
	if (pw3)
		*pw3 = 'R';
	unsigned char *cr2 = uptr(child, A + PG(1), false);
	KT_CHECK(cr2 && *cr2 == 'Q');

	/* pages faulted in after the fork are private from the start */
	unsigned char *cn = uptr(child, A + PG(3), true);
	KT_CHECK(cn != NULL);
	if (cn)
		*cn = 'N';
	unsigned char *pn = uptr(parent, A + PG(3), false);
	KT_CHECK(pn && *pn == 0);

	KT_CHECK(vm_rss_bytes(child) == PG(4));
	KT_CHECK(vm_rss_bytes(parent) == PG(4));

	/* the parent going away leaves the child's memory intact */
	mm_put(parent);
	cr = uptr(child, A + 10, false);
	KT_CHECK(cr && *cr == 'C');
	cr2 = uptr(child, A + PG(1), true);
	KT_CHECK(cr2 && *cr2 == 'Q');
	mm_put(child);
}

KTEST(vm_fork_of_fork)
{
	struct mm *a = mm_create();
	KT_CHECK(a != NULL);
	if (!a)
		return;
	KT_CHECK(vm_map_anon(a, A, PG(1), RW, 0) == 0);
	unsigned char *p = uptr(a, A, true);
	KT_CHECK(p != NULL);
	if (p)
		*p = 1;
	struct mm *b = mm_fork(a);
	struct mm *c = b ? mm_fork(b) : NULL;
	KT_CHECK(b && c);
	if (b && c) {
		void *page = (void *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
		KT_CHECK(page_refcount(page) == 3);
		unsigned char *bw = uptr(b, A, true);
		KT_CHECK(bw && bw != p);
		if (bw)
			*bw = 2;
		KT_CHECK(page_refcount(page) == 2);
		unsigned char *ar = uptr(a, A, false), *cr = uptr(c, A, false);
		KT_CHECK(ar && *ar == 1);
		KT_CHECK(cr && *cr == 1);
		KT_CHECK(ar == cr);
	}
	if (c)
		mm_put(c);
	if (b)
		mm_put(b);
	mm_put(a);
}

KTEST(vm_unmap)
{
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, A, PG(6), RW, 0) == 0);
	for (int i = 0; i < 6; i++) {
		unsigned char *p = uptr(mm, A + PG(i), true);
		KT_CHECK(p != NULL);
		if (p)
			*p = (unsigned char)(0x10 + i);
	}
	KT_CHECK(vm_rss_bytes(mm) == PG(6));

	/* a hole in the middle splits the area */
	KT_CHECK(vm_unmap(mm, A + PG(2), PG(2)) == 0);
	KT_CHECK(vm_rss_bytes(mm) == PG(4));
	KT_CHECK(uptr(mm, A + PG(2), false) == NULL);
	KT_CHECK(uptr(mm, A + PG(3) + 100, true) == NULL);
	for (int i = 0; i < 6; i++) {
		if (i == 2 || i == 3)
			continue;
		unsigned char *p = uptr(mm, A + PG(i), false);
		KT_CHECK(p && *p == 0x10 + i);
	}
	KT_CHECK(vm_rss_bytes(mm) == PG(4));

	/* the hole can be mapped again, and comes back zero */
	KT_CHECK(vm_map_anon(mm, A + PG(2), PG(3), RW, 0) == -EINVAL);
	KT_CHECK(vm_map_anon(mm, A + PG(2), PG(2), RW, 0) == 0);
	unsigned char *z = uptr(mm, A + PG(2), false);
	KT_CHECK(z && *z == 0);

	/* a range covering several areas and empty space; len rounded up */
	KT_CHECK(vm_unmap(mm, A - PG(3), PG(7) + 1) == 0);
	for (int i = 0; i < 5; i++)
		KT_CHECK(uptr(mm, A + PG(i), false) == NULL);
	unsigned char *last = uptr(mm, A + PG(5), false);
	KT_CHECK(last && *last == 0x15);
	KT_CHECK(vm_rss_bytes(mm) == PG(1));

	/* unmapping nothing is fine; bad arguments are not */
	KT_CHECK(vm_unmap(mm, A + PG(100), PG(1)) == 0);
	KT_CHECK(vm_unmap(mm, A + 1, PG(1)) == -EINVAL);
	KT_CHECK(vm_unmap(mm, A, 0) == -EINVAL);
	KT_CHECK(vm_unmap(mm, USER_TOP, PG(1)) == -EINVAL);

	KT_CHECK(vm_unmap(mm, A + PG(5), PG(1)) == 0);
	KT_CHECK(vm_rss_bytes(mm) == 0);
	KT_CHECK(list_empty(&mm->vmas));
	mm_put(mm);
}

KTEST(vm_unmap_shared_page)
{
	struct mm *a = mm_create();
	KT_CHECK(a != NULL);
	if (!a)
		return;
	KT_CHECK(vm_map_anon(a, A, PG(1), RW, 0) == 0);
	unsigned char *p = uptr(a, A, true);
	KT_CHECK(p != NULL);
	struct mm *b = p ? mm_fork(a) : NULL;
	KT_CHECK(b != NULL);
	if (p && b) {
		*p = 9;
		void *page = (void *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
		KT_CHECK(page_refcount(page) == 2);
		KT_CHECK(vm_unmap(a, A, PG(1)) == 0);
		KT_CHECK(page_refcount(page) == 1);
		unsigned char *bp = uptr(b, A, true); /* sole owner: no copy */
		KT_CHECK(bp == p);
		KT_CHECK(bp && *bp == 9);
	}
	if (b)
		mm_put(b);
	mm_put(a);
}

KTEST(vm_brk)
{
	const uint64_t base = 0x20000000;
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	mm->brk_start = mm->brk = base;
	KT_CHECK(vm_brk(mm, 0) == base);
	KT_CHECK(vm_brk(mm, base - 1) == base);
	KT_CHECK(uptr(mm, base, false) == NULL);

	uint64_t top = base + PG(3) + 10;
	KT_CHECK(vm_brk(mm, top) == top);
	KT_CHECK(mm->brk == top);
	unsigned char *p = uptr(mm, base + PG(3) + 5, true);
	KT_CHECK(p != NULL);
	if (p)
		*p = 0x77;
	unsigned char *q = uptr(mm, base + PG(2), true);
	KT_CHECK(q != NULL);
	if (q)
		*q = 0x66;
	/* the page holding the break is mapped whole */
	KT_CHECK(uptr(mm, base + PG(4) - 1, false) != NULL);
	KT_CHECK(uptr(mm, base + PG(4), false) == NULL);

	/* growing inside the same page changes nothing mapped */
	KT_CHECK(vm_brk(mm, top + 100) == top + 100);
	p = uptr(mm, base + PG(3) + 5, false);
	KT_CHECK(p && *p == 0x77);

	/* shrinking unmaps whole pages above the new break */
	uint64_t rss = vm_rss_bytes(mm);
	KT_CHECK(vm_brk(mm, base + PG(1) + 1) == base + PG(1) + 1);
	KT_CHECK(uptr(mm, base + PG(2), false) == NULL);
	KT_CHECK(uptr(mm, base + PG(3) + 5, false) == NULL);
	KT_CHECK(vm_rss_bytes(mm) == rss - PG(2));
	KT_CHECK(uptr(mm, base + PG(1), true) != NULL);

	/* growing again gives fresh zero pages */
	KT_CHECK(vm_brk(mm, base + PG(5)) == base + PG(5));
	q = uptr(mm, base + PG(2), false);
	KT_CHECK(q && *q == 0);
	p = uptr(mm, base + PG(3) + 5, false);
	KT_CHECK(p && *p == 0);

	/* the heap may not grow into another mapping */
	KT_CHECK(vm_map_anon(mm, base + PG(8), PG(1), PROT_READ, 0) == 0);
	KT_CHECK(vm_brk(mm, base + PG(10)) == base + PG(5));
	KT_CHECK(mm->brk == base + PG(5));
	KT_CHECK(uptr(mm, base + PG(6), false) == NULL);

	/* back to empty */
	KT_CHECK(vm_brk(mm, base) == base);
	KT_CHECK(uptr(mm, base, false) == NULL);
	mm_put(mm);
}

KTEST(vm_stack_guard)
{
	const uint64_t top = USER_STACK_TOP, low = USER_STACK_TOP - PG(4);
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, low, PG(4), RW, VMA_GROWSDOWN) == 0);
	KT_CHECK(vm_map_anon(mm, A, PG(2), RW, 0) == 0);
	KT_CHECK(vm_is_stack_guard(mm, low - 1));
	KT_CHECK(vm_is_stack_guard(mm, low - PG(1)));
	KT_CHECK(!vm_is_stack_guard(mm, low - PG(1) - 1));
	KT_CHECK(!vm_is_stack_guard(mm, low));
	KT_CHECK(!vm_is_stack_guard(mm, top - 1));
	KT_CHECK(!vm_is_stack_guard(mm, top));
	/* below an ordinary area is not a guard */
	KT_CHECK(!vm_is_stack_guard(mm, A - 1));
	KT_CHECK(!vm_is_stack_guard(mm, A + 5));
	/* the guard itself is not mapped */
	KT_CHECK(uptr(mm, low - 1, false) == NULL);
	KT_CHECK(uptr(mm, top - 8, true) != NULL);
	mm_put(mm);
}

KTEST(vm_find_free)
{
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	uint64_t a = vm_find_free(mm, PG(3));
	KT_CHECK(a != 0);
	KT_CHECK((a & (PAGE_SIZE - 1)) == 0);
	KT_CHECK(a + PG(3) <= mm->mmap_base);
	KT_CHECK(vm_map_anon(mm, a, PG(3), RW, 0) == 0);
	uint64_t b = vm_find_free(mm, 5000); /* rounded to two pages */
	KT_CHECK(b != 0 && (b & (PAGE_SIZE - 1)) == 0);
	KT_CHECK(b + PG(2) <= a || b >= a + PG(3));
	KT_CHECK(vm_map_anon(mm, b, PG(2), RW, 0) == 0);
	KT_CHECK(vm_find_free(mm, USER_TOP) == 0);
	mm_put(mm);
}

/* A full life cycle; run twice so the heap's slab pages are warm. */
static void vm_lifecycle(void)
{
	struct mm *mm = mm_create();
	if (!mm)
		return;
	vm_map_anon(mm, A, PG(16), RW, 0);
	vm_map_anon(mm, USER_STACK_TOP - PG(4), PG(4), RW, VMA_GROWSDOWN);
	vm_map_anon(mm, 0x7fe00000UL, PG(1), RW, 0); /* another 2 MiB table */
	mm->brk_start = mm->brk = 0x20000000;
	vm_brk(mm, 0x20000000 + PG(3));
	for (int i = 0; i < 16; i++) {
		unsigned char *p = vm_user_ptr(mm, A + PG(i), true);
		if (p)
			*p = (unsigned char)i;
	}
	vm_user_ptr(mm, USER_STACK_TOP - 8, true);
	vm_user_ptr(mm, 0x7fe00000UL, false);
	vm_user_ptr(mm, 0x20000000 + PG(2), true);
	struct mm *child = mm_fork(mm);
	if (child) {
		for (int i = 0; i < 16; i += 3)
			vm_user_ptr(child, A + PG(i), true);
		vm_unmap(child, A + PG(4), PG(4));
		vm_user_ptr(mm, A + PG(5), true);
		mm_put(child);
	}
	vm_unmap(mm, A + PG(8), PG(2));
	mm_put(mm);
}

KTEST(vm_mm_put_frees_everything)
{
	vm_lifecycle();
	size_t pages = page_free_count();
	size_t heap = kmalloc_bytes_in_use();
	vm_lifecycle();
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);

	/* mm_get keeps it alive until the last mm_put */
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(mm_get(mm) == mm);
	KT_CHECK(vm_map_anon(mm, A, PG(1), RW, 0) == 0);
	KT_CHECK(uptr(mm, A, true) != NULL);
	mm_put(mm);
	KT_CHECK(page_free_count() < pages);
	KT_CHECK(uptr(mm, A, false) != NULL);
	mm_put(mm);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
}

KTEST(vm_brk_unaligned_start)
{
	/* exec puts the break right after .bss, usually inside a page */
	const uint64_t data = 0x20000000, start = data + 0x800;
	struct mm *mm = mm_create();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_map_anon(mm, data, PG(1), RW, 0) == 0);
	KT_CHECK(vm_copy_in(mm, start - 4, "bss!", 4) == 0);
	mm->brk_start = mm->brk = start;
	KT_CHECK(vm_brk(mm, start + 0x100) == start + 0x100); /* same page */
	KT_CHECK(uptr(mm, data + PG(1), false) == NULL);
	KT_CHECK(vm_brk(mm, data + PG(2) + 8) == data + PG(2) + 8);
	unsigned char *h = uptr(mm, data + PG(2) + 4, true);
	KT_CHECK(h != NULL);
	if (h)
		*h = 0x99;
	/* shrinking to the start keeps the data page */
	KT_CHECK(vm_brk(mm, start) == start);
	KT_CHECK(uptr(mm, data + PG(1), false) == NULL);
	KT_CHECK(uptr(mm, data + PG(2) + 4, false) == NULL);
	unsigned char *d = uptr(mm, start - 4, false);
	KT_CHECK(d && memcmp(d, "bss!", 4) == 0);
	KT_CHECK(vm_brk(mm, start - 1) == start);
	mm_put(mm);
}

KTEST(vm_asids)
{
	/* ASID 0 belongs to the kernel's own table (exit switches to it);
	 * user address spaces get the others, round-robin, through a full
	 * wrap of the ASID space. */
	struct mm *a = mm_create(), *b = mm_create();
	KT_CHECK(a && b);
	if (!a || !b) {
		if (a)
			mm_put(a);
		if (b)
			mm_put(b);
		return;
	}
	bool have_asids = a->asid != 0 || b->asid != 0;
	if (have_asids)
		KT_CHECK(a->asid != b->asid);
	mm_put(a);
	mm_put(b);
	if (!have_asids)
		return;
	int zero = 0;
	for (unsigned i = 0; i < 65540; i++) {
		struct mm *mm = mm_create();
		if (!mm)
			break;
		if (mm->asid == 0)
			zero++;
		mm_put(mm);
	}
	KT_CHECK(zero == 0);
}
