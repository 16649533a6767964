/*
 * System V IPC: shared memory (shmget's keys, flags and limits, shmat's
 * addresses and modes, sharing across fork and between attaches, shmdt,
 * shmctl's STAT/SET/RMID/INFO with Linux's rule that a removed segment
 * lives until its last detach, permissions).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define PAGE 4096

/* A key of our own: tests of other programs may run alongside. */
static key_t test_key(int n)
{
	return (key_t)(0x5c000000 | ((getpid() & 0xfffff) << 4) | n);
}

static struct shmid_ds shm_stat(int id)
{
	struct shmid_ds ds;
	memset(&ds, 0, sizeof(ds)); /* qemu-user writes only 16 bits of mode */
	CHECK_EQ(shmctl(id, IPC_STAT, &ds), 0);
	return ds;
}

/* Runs fn in a child and returns its exit status (or 128 + signal). */
static int in_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_shmget(void)
{
	CHECK_ERR(shmget(IPC_PRIVATE, 0, 0600), EINVAL);
	key_t key = test_key(1);
	CHECK_ERR(shmget(key, PAGE, 0600), ENOENT);
	int id = shmget(key, 10000, IPC_CREAT | 0600);
	CHECK(id >= 0);
	CHECK_ERR(shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	CHECK_EQ(shmget(key, PAGE, IPC_CREAT | 0600), id);
	CHECK_EQ(shmget(key, 0, 0), id);
	CHECK_EQ(shmget(key, 10000, 0), id);
	CHECK_ERR(shmget(key, 10001, 0), EINVAL);
	/* EEXIST comes before the size check */
	CHECK_ERR(shmget(key, 1 << 20, IPC_CREAT | IPC_EXCL), EEXIST);
	int priv = shmget(IPC_PRIVATE, PAGE, 0600);
	int priv2 = shmget(IPC_PRIVATE, PAGE, 0600);
	CHECK(priv >= 0 && priv2 >= 0 && priv != priv2 && priv != id);
	struct shmid_ds ds = shm_stat(id);
	CHECK_EQ(ds.shm_perm.__key, key);
	CHECK_EQ(ds.shm_perm.mode, 0600);
	CHECK_EQ(ds.shm_perm.uid, geteuid());
	CHECK_EQ(ds.shm_perm.cuid, geteuid());
	CHECK_EQ(ds.shm_perm.gid, getegid());
	CHECK_EQ(ds.shm_segsz, 10000);
	CHECK_EQ(ds.shm_nattch, 0);
	CHECK_EQ(ds.shm_cpid, getpid());
	CHECK_EQ(ds.shm_lpid, 0);
	CHECK_EQ(ds.shm_atime, 0);
	CHECK_EQ(ds.shm_dtime, 0);
	CHECK(ds.shm_ctime > 0);
	CHECK_EQ(shm_stat(priv).shm_perm.__key, IPC_PRIVATE);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	CHECK_EQ(shmctl(priv, IPC_RMID, NULL), 0);
	CHECK_EQ(shmctl(priv2, IPC_RMID, NULL), 0);
	/* removed with nothing attached: gone at once */
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL);
	CHECK_ERR(shmctl(id, IPC_RMID, NULL), EINVAL);
	CHECK_ERR(shmget(key, 0, 0), ENOENT);
}

static int child_writes(void *p)
{
	char *m = p;
	if (strcmp(m, "parent") != 0)
		return 1;
	strcpy(m, "child");
	return 0;
}

static void test_attach_share(void)
{
	int id = shmget(IPC_PRIVATE, 10000, 0600);
	CHECK(id >= 0);
	char *a = shmat(id, NULL, 0);
	CHECK(a != (void *)-1);
	CHECK_EQ((uintptr_t)a % PAGE, 0);
	/* demand zero, the whole last page included */
	CHECK_EQ(a[0], 0);
	CHECK_EQ(a[3 * PAGE - 1], 0);
	a[3 * PAGE - 1] = 7;
	strcpy(a, "parent");
	struct shmid_ds ds = shm_stat(id);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_EQ(ds.shm_lpid, getpid());
	CHECK(ds.shm_atime > 0);
	/* a second attach maps the same pages */
	char *b = shmat(id, NULL, SHM_RDONLY);
	CHECK(b != (void *)-1 && b != a);
	CHECK_STR(b, "parent");
	CHECK_EQ(b[3 * PAGE - 1], 7);
	CHECK_EQ(shm_stat(id).shm_nattch, 2);
	/* fork shares the attach (and counts it) */
	CHECK_EQ(in_child(child_writes, a), 0);
	CHECK_STR(b, "child");
	CHECK_EQ(shm_stat(id).shm_nattch, 2);
	CHECK_EQ(shmdt(b), 0);
	ds = shm_stat(id);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK(ds.shm_dtime > 0);
	/* shmdt wants the attach address exactly */
	CHECK_ERR(shmdt(a + 1), EINVAL);
	CHECK_ERR(shmdt(a + PAGE), EINVAL);
	CHECK_ERR(shmdt(b), EINVAL);
	/* a new attach of another process sees the data */
	CHECK_EQ(shmdt(a), 0);
	CHECK_EQ(shm_stat(id).shm_nattch, 0);
	char *c = shmat(id, NULL, 0);
	CHECK(c != (void *)-1);
	CHECK_STR(c, "child");
	CHECK_EQ(shmdt(c), 0);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL); /* nothing held it back */
}

static int child_stores(void *p)
{
	*(volatile char *)p = 1;
	return 0;
}

static void test_attach_modes(void)
{
	int id = shmget(IPC_PRIVATE, 2 * PAGE, 0600);
	CHECK(id >= 0);
	char *r = shmat(id, NULL, SHM_RDONLY);
	CHECK(r != (void *)-1);
	CHECK_EQ(in_child(child_stores, r), 128 + SIGSEGV);
	CHECK_ERR(mprotect(r, PAGE, PROT_READ | PROT_WRITE), EACCES);
	CHECK_EQ(shmdt(r), 0);
	/* an address of our choosing: free, page aligned */
	char *hole = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(hole != MAP_FAILED);
	CHECK_EQ(munmap(hole, 8 * PAGE), 0);
	char *at = shmat(id, hole + 2 * PAGE, 0);
	CHECK(at == hole + 2 * PAGE);
	CHECK_EQ(shmdt(at), 0);
	CHECK(shmat(id, hole + 2 * PAGE + 100, 0) == (void *)-1 && errno == EINVAL);
	at = shmat(id, hole + 2 * PAGE + 100, SHM_RND);
	CHECK(at == hole + 2 * PAGE);
	/* in use: EINVAL, unless SHM_REMAP */
	CHECK(shmat(id, hole + 3 * PAGE, 0) == (void *)-1 && errno == EINVAL);
	char *re = shmat(id, hole + 3 * PAGE, SHM_REMAP);
	CHECK(re == hole + 3 * PAGE);
	/* (SHM_REMAP without an address is EINVAL on Linux; qemu-user lets
	 * it through, so it is not checked here) */
	CHECK_EQ(shmdt(re), 0);
	/* the first attach lost its second page to the second */
	CHECK_EQ(shmdt(at), 0);
	CHECK_EQ(shm_stat(id).shm_nattch, 0);
	/* bad ids */
	CHECK(shmat(-1, NULL, 0) == (void *)-1 && errno == EINVAL);
	CHECK(shmat(id + 1, NULL, 0) == (void *)-1 && errno == EINVAL);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL);
}

static int child_attaches_and_exits(void *p)
{
	int id = *(int *)p;
	char *m = shmat(id, NULL, 0);
	if (m == (void *)-1)
		return 1;
	m[1] = 'x';
	return 0; /* exit detaches */
}

static void test_remove_while_attached(void)
{
	key_t key = test_key(2);
	int id = shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0640);
	CHECK(id >= 0);
	char *m = shmat(id, NULL, 0);
	CHECK(m != (void *)-1);
	m[0] = 'k';
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	/* Linux: the key is gone, the id lives on until the last detach */
	CHECK_ERR(shmget(key, 0, 0), ENOENT);
	struct shmid_ds ds = shm_stat(id);
	CHECK_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	CHECK_EQ(ds.shm_perm.mode, 0640 | SHM_DEST);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_EQ(m[0], 'k');
	/* a new segment with the same key is another one */
	int id2 = shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(id2 >= 0 && id2 != id);
	CHECK_EQ(shmctl(id2, IPC_RMID, NULL), 0);
	/* still attachable by id, and a second RMID is harmless */
	CHECK_EQ(in_child(child_attaches_and_exits, &id), 0);
	CHECK_EQ(m[1], 'x');
	CHECK_EQ(shm_stat(id).shm_nattch, 1);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	CHECK_EQ(shmdt(m), 0);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL);
	/* munmap detaches as well */
	id = shmget(IPC_PRIVATE, 3 * PAGE, 0600);
	m = shmat(id, NULL, 0);
	CHECK(m != (void *)-1);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
	CHECK_EQ(munmap(m, 3 * PAGE), 0);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL);
}

static void test_ctl(void)
{
	int id = shmget(IPC_PRIVATE, 5 * PAGE, 0600);
	CHECK(id >= 0);
	struct shmid_ds ds = shm_stat(id);
	ds.shm_perm.mode = 0444 | SHM_DEST;
	CHECK_EQ(shmctl(id, IPC_SET, &ds), 0);
	CHECK_EQ(shm_stat(id).shm_perm.mode, 0444);
	ds.shm_perm.uid = (uid_t)-1;
	CHECK_ERR(shmctl(id, IPC_SET, &ds), EINVAL);
	CHECK_ERR(shmctl(id, IPC_STAT, (struct shmid_ds *)8), EFAULT);
	CHECK_ERR(shmctl(id, IPC_SET, (struct shmid_ds *)8), EFAULT);
	CHECK_ERR(shmctl(id, 99, &ds), EINVAL);
	CHECK_ERR(shmctl(-1, IPC_STAT, &ds), EINVAL);
	CHECK_EQ(shmctl(id, SHM_LOCK, NULL), 0);
	CHECK(shm_stat(id).shm_perm.mode & SHM_LOCKED);
	CHECK_EQ(shmctl(id, SHM_UNLOCK, NULL), 0);
	CHECK(!(shm_stat(id).shm_perm.mode & SHM_LOCKED));

	struct shminfo info;
	int max = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
	CHECK(max >= 0);
	CHECK_EQ(info.shmmin, 1);
	CHECK(info.shmmni > 0 && info.shmmax >= (1UL << 30) && info.shmall > 0);
	struct shm_info usage;
	CHECK_EQ(shmctl(0, SHM_INFO, (struct shmid_ds *)&usage), max);
	CHECK(usage.used_ids >= 1);
	CHECK(usage.shm_tot >= 5);
	/* SHM_STAT takes a slot index and returns the id */
	int found = 0;
	for (int i = 0; i <= max; i++) {
		struct shmid_ds s;
		int r = shmctl(i, SHM_STAT, &s);
		if (r == id) {
			found = 1;
			CHECK_EQ(s.shm_segsz, 5 * PAGE);
		}
	}
	CHECK(found);
	CHECK_ERR(shmctl(max + 1, SHM_STAT, &ds), EINVAL);
	CHECK_EQ(shmctl(id, IPC_RMID, NULL), 0);
}

struct perm_args {
	int ro, rw;
};

/* Unprivileged: the mode bits decide.  (Run with another uid when root.) */
static int child_permissions(void *p)
{
	struct perm_args *a = p;
	int fail = 0;
	if (getuid() == 0 && setuid(65534) != 0)
		return 100;
	errno = 0;
	/* ro is 0444: reading is allowed, writing not */
	void *m = shmat(a->ro, NULL, 0);
	fail |= !(m == (void *)-1 && errno == EACCES);
	m = shmat(a->ro, NULL, SHM_RDONLY);
	fail |= (m == (void *)-1) << 1;
	/* rw is 0600 and someone else's: nothing at all */
	struct shmid_ds ds;
	errno = 0;
	fail |= !(shmctl(a->rw, IPC_STAT, &ds) == -1 && errno == EACCES) << 2;
	errno = 0;
	fail |= !(shmctl(a->rw, IPC_RMID, NULL) == -1 && errno == EPERM) << 3;
	errno = 0;
	fail |= !(shmat(a->rw, NULL, SHM_RDONLY) == (void *)-1 && errno == EACCES) << 4;
	/* SHM_STAT_ANY skips the read check */
	fail |= (shmctl(0, SHM_STAT_ANY, &ds) == -1 && errno == EACCES) << 5;
	return fail;
}

static void test_permissions(void)
{
	struct perm_args a = {shmget(IPC_PRIVATE, PAGE, 0444), shmget(IPC_PRIVATE, PAGE, 0600)};
	CHECK(a.ro >= 0 && a.rw >= 0);
	if (getuid() == 0) {
		CHECK_EQ(in_child(child_permissions, &a), 0);
		/* root passes every check */
		void *m = shmat(a.ro, NULL, 0);
		CHECK(m != (void *)-1);
		CHECK_EQ(shmdt(m), 0);
	} else {
		/* the owner too is held to the mode */
		CHECK(shmat(a.ro, NULL, 0) == (void *)-1 && errno == EACCES);
		void *m = shmat(a.ro, NULL, SHM_RDONLY);
		CHECK(m != (void *)-1);
		CHECK_EQ(shmdt(m), 0);
		SKIP("checks as another user need root");
	}
	CHECK_EQ(shmctl(a.ro, IPC_RMID, NULL), 0);
	CHECK_EQ(shmctl(a.rw, IPC_RMID, NULL), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_shmget();
	test_attach_share();
	test_attach_modes();
	test_remove_while_attached();
	test_ctl();
	test_permissions();
	return ltest_done("sysvipc");
}
