/*
 * User memory access (core/uaccess.h) and objects moving data to and
 * from user buffers.  These need current()->mm: each test borrows the
 * boot hart's "running task" slot for a zeroed fake task that only has an
 * mm.  The tests run at boot, before the scheduler, with interrupts off
 * (but no spinlock: user copies check might_sleep), so the scheduler never
 * sees the fake task.  Nothing here sleeps.
 */
#include <scarlet/abi.h>

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/ktest.h"
#include "mm/vm.h"
#include "obj/pipe.h"
#include "proc/task.h"

#define A     0x10000000UL
#define RW    (PROT_READ | PROT_WRITE)
#define PG(n) ((uint64_t)(n)*PAGE_SIZE)

static struct task fake;
static struct task *saved;

static void enter(struct mm *mm)
{
	KASSERT(!irq_enabled());
	memset(&fake, 0, sizeof(fake));
	fake.mm = mm;
	saved = this_cpu()->task;
	this_cpu()->task = &fake;
}

static void leave(void)
{
	this_cpu()->task = saved;
}

static struct mm *make_mm(void)
{
	struct mm *mm = mm_create();
	if (!mm)
		return NULL;
	if (vm_map_anon(mm, A, PG(3), RW, 0) < 0 ||
	    vm_map_anon(mm, A + PG(3), PG(1), PROT_READ, 0) < 0) {
		mm_put(mm);
		return NULL;
	}
	return mm;
}

KTEST(uaccess_copy_roundtrip)
{
	static char src[5000], dst[5000];
	struct mm *mm = make_mm();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 13 + 1);
	enter(mm);
	int r1 = copy_to_user((void *)(A + 4000), src, sizeof(src)); /* spans 3 pages */
	int r2 = copy_from_user(dst, (void *)(A + 4000), sizeof(dst));
	int r3 = copy_to_user((void *)A, src, 0);
	leave();
	KT_CHECK(r1 == 0);
	KT_CHECK(r2 == 0);
	KT_CHECK(r3 == 0);
	KT_CHECK(memcmp(src, dst, sizeof(src)) == 0);
	char *k = vm_user_ptr(mm, A + 4000 + 4999, false);
	KT_CHECK(k && *k == src[4999]);
	k = vm_user_ptr(mm, A + 3999, false);
	KT_CHECK(k && *k == 0);
	mm_put(mm);
}

KTEST(uaccess_faults)
{
	char buf[64];
	struct mm *mm = make_mm();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	memset(buf, 'z', sizeof(buf));
	enter(mm);
	/* read-only page: readable, not writable */
	int ro_w = copy_to_user((void *)(A + PG(3)), buf, 8);
	int ro_r = copy_from_user(buf, (void *)(A + PG(3)), 8);
	/* a range that runs off the end of the mappings */
	int tail = copy_from_user(buf, (void *)(A + PG(4) - 8), 16);
	int unm = copy_to_user((void *)(A + PG(10)), buf, 1);
	int low = copy_from_user(buf, (void *)16, 1);
	int kern = copy_from_user(buf, (void *)DIRECT_MAP_BASE, 8);
	int wrap = copy_from_user(buf, (void *)(uintptr_t)-16, 32);
	int top = copy_to_user((void *)(USER_TOP - 4), buf, 8);
	/* the boundary case in bounds */
	int edge = copy_to_user((void *)(A + PG(3) - 8), buf, 8);
	fake.mm = NULL; /* a task without an address space */
	int nomm = copy_from_user(buf, (void *)A, 1);
	leave();
	KT_CHECK(ro_w == -EFAULT);
	KT_CHECK(ro_r == 0);
	KT_CHECK(buf[0] == 0 && buf[7] == 0 && buf[8] == 'z');
	KT_CHECK(tail == -EFAULT);
	KT_CHECK(unm == -EFAULT);
	KT_CHECK(low == -EFAULT);
	KT_CHECK(kern == -EFAULT);
	KT_CHECK(wrap == -EFAULT);
	KT_CHECK(top == -EFAULT);
	KT_CHECK(edge == 0);
	KT_CHECK(nomm == -EFAULT);
	mm_put(mm);
}

KTEST(uaccess_strncpy_from_user)
{
	char dst[32];
	struct mm *mm = make_mm();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(vm_copy_in(mm, A + 10, "hello", 6) == 0);
	KT_CHECK(vm_copy_in(mm, A + PG(1) - 3, "abcdefg", 8) == 0); /* across pages */
	KT_CHECK(vm_copy_in(mm, A + PG(3) - 4, "wxyz", 4) == 0);    /* NUL on the RO page */
	char *ro = vm_user_ptr(mm, A + PG(4) - 2, false);
	KT_CHECK(ro != NULL);
	if (ro)
		memcpy(ro, "qq", 2); /* no NUL before the end of the mappings */
	enter(mm);
	memset(dst, 'X', sizeof(dst));
	long a = strncpy_from_user(dst, (const char *)(A + 10), sizeof(dst));
	bool a_ok = memcmp(dst, "hello", 6) == 0;
	long b = strncpy_from_user(dst, (const char *)(A + PG(1) - 3), sizeof(dst));
	bool b_ok = memcmp(dst, "abcdefg", 8) == 0;
	long c = strncpy_from_user(dst, (const char *)(A + PG(3) - 4), sizeof(dst));
	bool c_ok = memcmp(dst, "wxyz", 5) == 0;
	long tight = strncpy_from_user(dst, (const char *)(A + 10), 6);
	long small = strncpy_from_user(dst, (const char *)(A + 10), 5);
	long empty = strncpy_from_user(dst, (const char *)(A + 9), sizeof(dst));
	long fault = strncpy_from_user(dst, (const char *)(A + PG(4) - 2), sizeof(dst));
	long unm = strncpy_from_user(dst, (const char *)(A + PG(9)), sizeof(dst));
	leave();
	KT_CHECK(a == 5 && a_ok);
	KT_CHECK(b == 7 && b_ok);
	KT_CHECK(c == 4 && c_ok);
	KT_CHECK(tight == 5);
	KT_CHECK(small == -ENAMETOOLONG);
	KT_CHECK(empty == 0);
	KT_CHECK(fault == -EFAULT);
	KT_CHECK(unm == -EFAULT);
	mm_put(mm);
}

KTEST(uaccess_copy_to_user_breaks_cow)
{
	struct mm *parent = make_mm();
	KT_CHECK(parent != NULL);
	if (!parent)
		return;
	KT_CHECK(vm_copy_in(parent, A + 100, "parent", 7) == 0);
	struct mm *child = mm_fork(parent);
	KT_CHECK(child != NULL);
	if (!child) {
		mm_put(parent);
		return;
	}
	char buf[8] = {0};
	enter(child);
	int w = copy_to_user((void *)(A + 100), "child", 6);
	int r = copy_from_user(buf, (void *)(A + 100), 6);
	leave();
	KT_CHECK(w == 0 && r == 0);
	KT_CHECK(memcmp(buf, "child", 6) == 0);
	enter(parent);
	r = copy_from_user(buf, (void *)(A + 100), 7);
	leave();
	KT_CHECK(r == 0 && memcmp(buf, "parent", 7) == 0);
	mm_put(child);
	mm_put(parent);
}

KTEST(uaccess_pipe_user_buffers)
{
	struct kobj *e[2];
	struct mm *mm = make_mm();
	KT_CHECK(mm != NULL);
	if (!mm)
		return;
	KT_CHECK(pipe_create(e, O_NONBLOCK) == 0);
	KT_CHECK(vm_copy_in(mm, A + PG(1) - 5, "0123456789", 10) == 0);
	enter(mm);
	struct iobuf io = iobuf_user((void *)(A + PG(1) - 5), 10);
	ssize_t w = kobj_write(e[1], &io);
	/* into user memory across a page boundary */
	io = iobuf_user((void *)(A + PG(2) - 3), 4);
	ssize_t r1 = kobj_read(e[0], &io);
	/* a read into a read-only buffer fails and loses no data */
	io = iobuf_user((void *)(A + PG(3)), 6);
	ssize_t bad = kobj_read(e[0], &io);
	/* a write from an unmapped buffer fails */
	io = iobuf_user((void *)(A + PG(20)), 6);
	ssize_t badw = kobj_write(e[1], &io);
	leave();
	char got[8] = {0};
	struct iobuf kio = iobuf_kernel(got, sizeof(got));
	ssize_t r2 = kobj_read(e[0], &kio);
	KT_CHECK(w == 10);
	KT_CHECK(r1 == 4);
	char *u1 = vm_user_ptr(mm, A + PG(2) - 3, false);
	char *u2 = vm_user_ptr(mm, A + PG(2), false);
	KT_CHECK(u1 && memcmp(u1, "012", 3) == 0);
	KT_CHECK(u2 && *u2 == '3');
	KT_CHECK(bad == -EFAULT);
	KT_CHECK(badw == -EFAULT);
	KT_CHECK(r2 == 6 && memcmp(got, "456789", 6) == 0);
	kobj_put(e[0]);
	kobj_put(e[1]);
	mm_put(mm);
}
