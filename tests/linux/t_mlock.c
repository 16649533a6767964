/*
 * Locked memory as Linux accounts it: mlock, mlock2, munlock, mlockall,
 * munlockall and MAP_LOCKED show in VmLck (/proc/self/status) and in
 * smaps (Locked, the `lo` flag); locks are not inherited by fork;
 * RLIMIT_MEMLOCK bounds what a non-root process locks (EPERM with a zero
 * limit, ENOMEM for mlock and mlockall over it, EAGAIN for MAP_LOCKED);
 * msync(MS_INVALIDATE) of locked pages is EBUSY.
 *
 * Under qemu-riscv64-static on the host, the calls go to the host's
 * kernel for the same addresses and status is the qemu process's, so the
 * figures are Linux's own.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define PG 4096

static char text[256 * 1024];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while (len < (long)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return n < 0 ? -1 : len;
}

/* VmLck of /proc/self/status in kB, -1 if missing. */
static long vmlck(void)
{
	char *l;

	if (slurp("/proc/self/status") < 0 || !(l = strstr(text, "\nVmLck:")))
		return -1;
	return strtol(l + 7, NULL, 10);
}

static void test_accounting(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long base = vmlck();

	CHECK(p != MAP_FAILED);
	CHECK(base >= 0);
	CHECK_EQ(mlock(p, 3 * PG), 0);
	CHECK_EQ(vmlck(), base + 12);
	/* locking again counts once; a partial page locks the whole page */
	CHECK_EQ(mlock(p + 5, 10), 0);
	CHECK_EQ(vmlck(), base + 12);
	CHECK_EQ(mlock(p + 3 * PG + 100, 1), 0);
	CHECK_EQ(vmlck(), base + 16);
	/* unlocking the middle splits the area */
	CHECK_EQ(munlock(p + PG, PG), 0);
	CHECK_EQ(vmlck(), base + 12);
	CHECK_EQ(munlock(p, 4 * PG), 0);
	CHECK_EQ(vmlck(), base);
	if (mlock2(p, 2 * PG, MLOCK_ONFAULT) == 0) {
		CHECK_EQ(vmlck(), base + 8);
		CHECK_EQ(munlock(p, 2 * PG), 0);
	} else {
		CHECK_EQ(errno, ENOSYS); /* qemu-user 7.2 has no mlock2 */
		SKIP("no mlock2 here (qemu-user 7.2)");
	}
	/* unmapping a locked area takes it out of the count */
	CHECK_EQ(mlock(p, 2 * PG), 0);
	CHECK_EQ(munmap(p, PG), 0);
	CHECK_EQ(vmlck(), base + 4);
	CHECK_EQ(munmap(p + PG, 3 * PG), 0);
	CHECK_EQ(vmlck(), base);
}

static void test_smaps_and_msync(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char want[40], *l;

	CHECK(p != MAP_FAILED);
	CHECK_EQ(msync(p, PG, MS_INVALIDATE), 0);
	CHECK_EQ(mlock(p, 2 * PG), 0);
	CHECK_ERR(msync(p, PG, MS_INVALIDATE), EBUSY);
	CHECK_ERR(msync(p, PG, MS_INVALIDATE | MS_SYNC), EBUSY);
	CHECK_EQ(msync(p, PG, MS_SYNC), 0);
	snprintf(want, sizeof(want), "\n%08lx-", (unsigned long)(uintptr_t)p);
	CHECK(slurp("/proc/self/smaps") > 0 && (l = strstr(text, want)) != NULL);
	if (l) {
		char *lk = strstr(l, "\nLocked:"), *fl = strstr(l, "\nVmFlags:");
		CHECK(lk && strtol(lk + 8, NULL, 10) == 8);
		CHECK(fl && strstr(fl, " lo ") && strchr(fl + 1, '\n') > strstr(fl, " lo "));
	}
	CHECK_EQ(munlock(p, 2 * PG), 0);
	CHECK_EQ(msync(p, PG, MS_INVALIDATE), 0);
	munmap(p, 2 * PG);
}

static void test_fork_and_map_locked(void)
{
	long base = vmlck();
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_EQ(vmlck(), base + 12);
	pid_t pid = fork();
	if (pid == 0)
		_exit(vmlck() == base ? 0 : 1); /* locks are not inherited */
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(p, 3 * PG);
	CHECK_EQ(vmlck(), base);

	/* MCL_FUTURE locks what is mapped afterwards; munlockall undoes all */
	CHECK_EQ(mlockall(MCL_FUTURE), 0);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(vmlck() >= base + 8);
	CHECK_EQ(munlockall(), 0);
	CHECK_EQ(vmlck(), 0);
	munmap(p, 2 * PG);
}

/* Runs in a child: the limits as a non-root process sees them. */
static int limits_child(void)
{
	struct rlimit rl = {0, 2 * PG}; /* a non-root process may not raise the hard limit */
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_EQ(setrlimit(RLIMIT_MEMLOCK, &rl), 0);
	if (geteuid() == 0) {
		/* root (CAP_IPC_LOCK) is not bound by the limit */
		CHECK_EQ(mlock(p, PG), 0);
		CHECK_EQ(munlock(p, PG), 0);
		CHECK_EQ(setuid(65534), 0);
	}
	CHECK_ERR(mlock(p, PG), EPERM);
	CHECK_ERR(mlockall(MCL_CURRENT), EPERM);
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) ==
	          MAP_FAILED &&
	      errno == EPERM);
	CHECK_EQ(munlock(p, PG), 0); /* unlocking needs no allowance */

	rl.rlim_cur = 2 * PG;
	CHECK_EQ(setrlimit(RLIMIT_MEMLOCK, &rl), 0);
	CHECK_ERR(mlock(p, 3 * PG), ENOMEM);
	CHECK_EQ(mlock(p, 2 * PG), 0);
	CHECK_EQ(mlock(p, PG), 0); /* already locked: no more */
	CHECK_ERR(mlock(p + 2 * PG, PG), ENOMEM);
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) ==
	          MAP_FAILED &&
	      errno == EAGAIN);
	CHECK_ERR(mlockall(MCL_CURRENT), ENOMEM);
	CHECK_EQ(munlock(p, 2 * PG), 0);
	CHECK_EQ(mlock(p + 2 * PG, 2 * PG), 0);
	return ltest_failed ? 1 : 0;
}

static void test_limits(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(limits_child());
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_errors(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_EQ(munmap(p + PG, PG), 0);
	CHECK_ERR(mlock(p, 3 * PG), ENOMEM);
	CHECK_ERR(munlock(p, 3 * PG), ENOMEM);
	CHECK_ERR(msync(p, 3 * PG, MS_SYNC), ENOMEM);
	CHECK_ERR(msync(p + 1, PG, MS_SYNC), EINVAL);
	CHECK_ERR(msync(p, PG, 0x40), EINVAL);
	CHECK_ERR(madvise(p + 1, PG, MADV_NORMAL), EINVAL);
	if (madvise(p, PG, 12345) == 0) {
		/* qemu-user takes every advice without asking the kernel */
		SKIP("madvise is not passed on here (qemu-user)");
	} else {
		CHECK_EQ(errno, EINVAL);
		CHECK_ERR(madvise(p, 3 * PG, MADV_WILLNEED), ENOMEM);
		CHECK_ERR(madvise(p, 3 * PG, MADV_NORMAL), ENOMEM);
	}
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERR(mlockall(0x100), EINVAL);
	/* hints Linux takes (since 5.4 for COLD and PAGEOUT) */
	CHECK_EQ(madvise(p, PG, MADV_COLD), 0);
	CHECK_EQ(madvise(p, PG, MADV_PAGEOUT), 0);
	CHECK_EQ(madvise(p, PG, MADV_DONTDUMP), 0);
	CHECK_EQ(madvise(p, PG, MADV_DODUMP), 0);
	munmap(p, 3 * PG);
}

int main(void)
{
	test_accounting();
	test_smaps_and_msync();
	test_fork_and_map_locked();
	test_limits();
	test_errors();
	return ltest_done("mlock");
}
