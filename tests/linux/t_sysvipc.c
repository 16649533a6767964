/*
 * System V IPC: shared memory (shmget's keys, flags and limits, shmat's
 * addresses and modes, sharing across fork and between attaches, shmdt,
 * shmctl's STAT/SET/RMID/INFO with Linux's rule that a removed segment
 * lives until its last detach, permissions) and semaphores (semget,
 * semop's atomic lists, blocking and its ends: wake-up, IPC_NOWAIT,
 * timeout, signal, removal; SEM_UNDO at exit; semctl's commands) and
 * message queues (types 0, >0, <0, MSG_EXCEPT, MSG_NOERROR, MSG_COPY,
 * blocking both ways, removal, msgctl), and their lines in
 * /proc/sysvipc/{shm,sem,msg}.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define PAGE 4096

/* --beyond-qemu: also the checks qemu-user gets wrong (it lays some
 * fields out wrongly and skips some checks); Scarlet and Debian's Linux
 * in tools/linux-vm.sh run them. */
static int beyond_qemu;

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
	/* no huge pages reserved (vm.nr_hugepages is 0 by default) */
	CHECK_ERR(shmget(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600), ENOMEM);
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
	if (beyond_qemu) /* qemu-user lets this through */
		CHECK(shmat(id, NULL, SHM_REMAP) == (void *)-1 && errno == EINVAL);
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
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(child_attaches_and_exits(&id));
	int st;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(m[1], 'x');
	ds = shm_stat(id);
	CHECK_EQ(ds.shm_nattch, 1);
	/* its exit detached it: Linux notes the pid and the time */
	CHECK_EQ(ds.shm_lpid, c);
	CHECK(ds.shm_dtime > 0);
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
	if (beyond_qemu) /* riscv64 has no old IPC versions; qemu-user strips it */
		CHECK_ERR(shmctl(id, IPC_STAT | 0x100, &ds), EINVAL);
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

/* ------------------------------------------------------------ semaphores */

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int semval(int id, int n)
{
	return semctl(id, n, GETVAL);
}

static int sem_do(int id, int num, int op, int flg)
{
	struct sembuf b = {(unsigned short)num, (short)op, (short)flg};
	return semop(id, &b, 1);
}

/* Waits (without asserting any timing) until cmd on sem num reads want. */
static int wait_count(int id, int num, int cmd, int want)
{
	for (int i = 0; i < 2000; i++) {
		int n = semctl(id, num, cmd);
		if (n == want)
			return n;
		usleep(5000);
	}
	return semctl(id, num, cmd);
}

static void test_semget(void)
{
	CHECK_ERR(semget(IPC_PRIVATE, 0, 0600), EINVAL);
	CHECK_ERR(semget(IPC_PRIVATE, -1, 0600), EINVAL);
	CHECK_ERR(semget(IPC_PRIVATE, 32001, 0600), EINVAL);
	key_t key = test_key(3);
	CHECK_ERR(semget(key, 1, 0600), ENOENT);
	int id = semget(key, 3, IPC_CREAT | 0600);
	CHECK(id >= 0);
	CHECK_ERR(semget(key, 3, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	CHECK_EQ(semget(key, 2, 0), id);
	CHECK_EQ(semget(key, 0, 0), id);
	CHECK_ERR(semget(key, 4, 0), EINVAL);
	struct semid_ds ds;
	memset(&ds, 0, sizeof(ds));
	CHECK_EQ(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}), 0);
	CHECK_EQ(ds.sem_nsems, 3);
	CHECK_EQ(ds.sem_perm.__key, key);
	CHECK_EQ(ds.sem_perm.mode, 0600);
	CHECK_EQ(ds.sem_perm.uid, geteuid());
	CHECK_EQ(ds.sem_otime, 0);
	CHECK(ds.sem_ctime > 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(semval(id, i), 0);
		CHECK_EQ(semctl(id, i, GETPID), 0);
	}
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0);
	CHECK_ERR(semget(key, 0, 0), ENOENT);
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL);
}

static void test_semctl_values(void)
{
	int id = semget(IPC_PRIVATE, 3, 0600);
	CHECK(id >= 0);
	CHECK_EQ(semctl(id, 1, SETVAL, (union semun){.val = 5}), 0);
	CHECK_EQ(semval(id, 1), 5);
	CHECK_EQ(semctl(id, 1, GETPID), getpid());
	CHECK_ERR(semctl(id, 1, SETVAL, (union semun){.val = 32768}), ERANGE);
	CHECK_ERR(semctl(id, 1, SETVAL, (union semun){.val = -1}), ERANGE);
	CHECK_EQ(semctl(id, 1, SETVAL, (union semun){.val = 32767}), 0);
	CHECK_ERR(semctl(id, 3, SETVAL, (union semun){.val = 1}), EINVAL);
	CHECK_ERR(semctl(id, 3, GETVAL), EINVAL);
	CHECK_ERR(semctl(id, -1, GETNCNT), EINVAL);
	CHECK_ERR(semctl(-1, 0, GETVAL), EINVAL);
	CHECK_ERR(semctl(id, 0, 99), EINVAL);
	unsigned short set[3] = {1, 2, 3}, got[3] = {0};
	CHECK_EQ(semctl(id, 0, SETALL, (union semun){.array = set}), 0);
	CHECK_EQ(semctl(id, 0, GETALL, (union semun){.array = got}), 0);
	CHECK(got[0] == 1 && got[1] == 2 && got[2] == 3);
	set[2] = 40000;
	CHECK_ERR(semctl(id, 0, SETALL, (union semun){.array = set}), ERANGE);
	CHECK_EQ(semval(id, 2), 3);
	CHECK_ERR(semctl(id, 0, GETALL, (union semun){.array = (unsigned short *)8}), EFAULT);
	CHECK_ERR(semctl(id, 0, IPC_STAT, (union semun){.buf = (struct semid_ds *)8}), EFAULT);
	/* IPC_SET */
	struct semid_ds ds;
	CHECK_EQ(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}), 0);
	ds.sem_perm.mode = 0640;
	CHECK_EQ(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}), 0);
	memset(&ds, 0, sizeof(ds));
	CHECK_EQ(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}), 0);
	CHECK_EQ(ds.sem_perm.mode, 0640);
	/* IPC_INFO, SEM_INFO, SEM_STAT */
	struct seminfo info;
	int max = semctl(0, 0, IPC_INFO, (union semun){.__buf = &info});
	CHECK(max >= 0);
	CHECK_EQ(info.semvmx, 32767);
	CHECK(info.semmsl >= 250 && info.semopm >= 32 && info.semmni > 0);
	CHECK_EQ(semctl(0, 0, SEM_INFO, (union semun){.__buf = &info}), max);
	CHECK(info.semusz >= 1 && info.semaem >= 3);
	int found = 0;
	for (int i = 0; i <= max; i++)
		found |= semctl(i, 0, SEM_STAT, (union semun){.buf = &ds}) == id;
	CHECK(found);
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0);
}

static void test_semop_nowait(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	CHECK(id >= 0);
	CHECK_ERR(sem_do(id, 0, -1, IPC_NOWAIT), EAGAIN);
	CHECK_EQ(sem_do(id, 0, 0, IPC_NOWAIT), 0);
	CHECK_EQ(sem_do(id, 0, 2, 0), 0);
	CHECK_EQ(semval(id, 0), 2);
	CHECK_ERR(sem_do(id, 0, 0, IPC_NOWAIT), EAGAIN);
	CHECK_EQ(sem_do(id, 0, -2, 0), 0);
	/* all or nothing */
	struct sembuf two[2] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
	CHECK_ERR(semop(id, two, 2), EAGAIN);
	CHECK_EQ(semval(id, 0), 0);
	two[1].sem_op = 1;
	CHECK_EQ(semop(id, two, 2), 0);
	CHECK(semval(id, 0) == 1 && semval(id, 1) == 1);
	/* the same semaphore twice, in order */
	struct sembuf same[2] = {{0, -1, IPC_NOWAIT}, {0, -1, IPC_NOWAIT}};
	CHECK_ERR(semop(id, same, 2), EAGAIN);
	same[1].sem_op = 1;
	CHECK_EQ(semop(id, same, 2), 0);
	CHECK_EQ(semval(id, 0), 1);
	/* errors */
	CHECK_ERR(sem_do(id, 2, 1, 0), EFBIG);
	CHECK_ERR(semop(id, two, 0), EINVAL);
	static struct sembuf many[501];
	CHECK_ERR(semop(id, many, 501), E2BIG);
	CHECK_ERR(semop(id, (struct sembuf *)8, 1), EFAULT);
	CHECK_ERR(sem_do(-1, 0, 1, 0), EINVAL);
	CHECK_EQ(semctl(id, 0, SETVAL, (union semun){.val = 32767}), 0);
	CHECK_ERR(sem_do(id, 0, 1, 0), ERANGE);
	/* otime and the pid of the last operation */
	struct semid_ds ds;
	CHECK_EQ(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}), 0);
	CHECK(ds.sem_otime > 0);
	CHECK_EQ(semctl(id, 1, GETPID), getpid());
	/* semtimedop: the timeout ends in EAGAIN; bad timeouts */
	struct timespec ts = {0, 20 * 1000 * 1000};
	struct sembuf dec = {1, -2, 0};
	CHECK_ERR(semtimedop(id, &dec, 1, &ts), EAGAIN);
	CHECK_EQ(semval(id, 1), 1);
	ts.tv_nsec = 1000000000;
	CHECK_ERR(semtimedop(id, &dec, 1, &ts), EINVAL);
	CHECK_ERR(semtimedop(id, &dec, 1, (struct timespec *)8), EFAULT);
	ts = (struct timespec){0, 0};
	dec.sem_op = -1;
	CHECK_EQ(semtimedop(id, &dec, 1, &ts), 0);
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0);
}

static int child_decrements(void *p)
{
	int id = *(int *)p;
	return sem_do(id, 0, -1, 0) == 0 ? 0 : 10 + errno;
}

static int child_waits_zero(void *p)
{
	int id = *(int *)p;
	return sem_do(id, 1, 0, 0) == 0 ? 0 : 10 + errno;
}

/* Starts fn in a child without waiting for it. */
static pid_t start_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static int child_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_semop_blocking(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	CHECK(id >= 0);
	/* woken by an increment */
	pid_t c = start_child(child_decrements, &id);
	CHECK_EQ(wait_count(id, 0, GETNCNT, 1), 1);
	CHECK_EQ(semctl(id, 0, GETZCNT), 0);
	CHECK_EQ(sem_do(id, 0, 1, 0), 0);
	CHECK_EQ(child_status(c), 0);
	CHECK_EQ(semval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETPID), c);
	/* woken when the value reaches zero */
	CHECK_EQ(semctl(id, 1, SETVAL, (union semun){.val = 2}), 0);
	c = start_child(child_waits_zero, &id);
	CHECK_EQ(wait_count(id, 1, GETZCNT, 1), 1);
	CHECK_EQ(semctl(id, 1, GETNCNT), 0);
	CHECK_EQ(sem_do(id, 1, -1, 0), 0);
	CHECK_EQ(semctl(id, 1, GETZCNT), 1);
	CHECK_EQ(sem_do(id, 1, -1, 0), 0);
	CHECK_EQ(child_status(c), 0);
	/* a signal with a handler: EINTR */
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	c = start_child(child_decrements, &id);
	CHECK_EQ(wait_count(id, 0, GETNCNT, 1), 1);
	kill(c, SIGUSR1);
	CHECK_EQ(child_status(c), 10 + EINTR);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	/* stopped and continued with no handler: EINTR all the same (Linux
	 * never restarts semop) */
	c = start_child(child_decrements, &id);
	CHECK_EQ(wait_count(id, 0, GETNCNT, 1), 1);
	int st;
	kill(c, SIGSTOP);
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK(WIFSTOPPED(st));
	kill(c, SIGCONT);
	CHECK_EQ(child_status(c), 10 + EINTR);
	/* removal: EIDRM, for every sleeper */
	c = start_child(child_decrements, &id);
	pid_t c2 = start_child(child_decrements, &id);
	CHECK_EQ(wait_count(id, 0, GETNCNT, 2), 2);
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0);
	CHECK_EQ(child_status(c), 10 + EIDRM);
	CHECK_EQ(child_status(c2), 10 + EIDRM);
	signal(SIGUSR1, SIG_DFL);
}

struct undo_args {
	int id, ready[2], go[2];
};

static int child_undoes(void *p)
{
	struct undo_args *a = p;
	struct sembuf ops[2] = {{0, 3, SEM_UNDO}, {1, -1, SEM_UNDO}};
	if (semop(a->id, ops, 2) != 0)
		return 1;
	if (sem_do(a->id, 2, 2, SEM_UNDO) != 0)
		return 2;
	char c = 0;
	if (write(a->ready[1], &c, 1) != 1 || read(a->go[0], &c, 1) != 1)
		return 3;
	return 0; /* exit undoes */
}

static void test_sem_undo(void)
{
	struct undo_args a = {.id = semget(IPC_PRIVATE, 3, 0600)};
	CHECK(a.id >= 0);
	CHECK(pipe(a.ready) == 0 && pipe(a.go) == 0);
	CHECK_EQ(semctl(a.id, 1, SETVAL, (union semun){.val = 4}), 0);
	pid_t c = start_child(child_undoes, &a);
	char ch;
	CHECK_EQ(read(a.ready[0], &ch, 1), 1);
	CHECK(semval(a.id, 0) == 3 && semval(a.id, 1) == 3 && semval(a.id, 2) == 2);
	/* SETVAL forgets the adjustments to semaphore 2; a value taken
	 * below its adjustment is clamped at 0 on exit */
	CHECK_EQ(semctl(a.id, 2, SETVAL, (union semun){.val = 7}), 0);
	CHECK_EQ(sem_do(a.id, 0, -2, 0), 0);
	CHECK_EQ(write(a.go[1], "g", 1), 1);
	CHECK_EQ(child_status(c), 0);
	CHECK_EQ(semval(a.id, 0), 0);
	CHECK_EQ(semval(a.id, 1), 4);
	CHECK_EQ(semval(a.id, 2), 7);
	CHECK_EQ(semctl(a.id, 1, GETPID), c);
	/* our own undo survives removal and re-creation harmlessly */
	CHECK_EQ(sem_do(a.id, 0, 1, SEM_UNDO), 0);
	CHECK_EQ(semctl(a.id, 0, IPC_RMID), 0);
	close(a.ready[0]);
	close(a.ready[1]);
	close(a.go[0]);
	close(a.go[1]);
}

static int child_sem_permissions(void *p)
{
	int id = *(int *)p, fail = 0;
	if (getuid() == 0 && setuid(65534) != 0)
		return 100;
	errno = 0;
	fail |= !(sem_do(id, 0, 1, 0) == -1 && errno == EACCES);
	errno = 0;
	fail |= !(semctl(id, 0, GETVAL) == -1 && errno == EACCES) << 1;
	errno = 0;
	fail |= !(semctl(id, 0, IPC_RMID) == -1 && errno == EPERM) << 2;
	errno = 0;
	fail |= !(semctl(id, 0, SETVAL, (union semun){.val = 1}) == -1 && errno == EACCES) << 3;
	return fail;
}

static void test_sem_permissions(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600);
	CHECK(id >= 0);
	if (getuid() == 0)
		CHECK_EQ(in_child(child_sem_permissions, &id), 0);
	else
		SKIP("checks as another user need root");
	/* read-only: waiting for zero is reading, changing is not */
	int ro = semget(IPC_PRIVATE, 1, 0400);
	if (getuid() != 0) {
		CHECK_ERR(sem_do(ro, 0, 1, 0), EACCES);
		CHECK_EQ(sem_do(ro, 0, 0, 0), 0);
	}
	CHECK_EQ(semctl(id, 0, IPC_RMID), 0);
	CHECK_EQ(semctl(ro, 0, IPC_RMID), 0);
}

/* ------------------------------------------------------------ message queues */

struct tmsg {
	long type;
	char text[64];
};

static int msg_put(int id, long type, const char *text, int flg)
{
	struct tmsg m = {.type = type};
	strcpy(m.text, text);
	return msgsnd(id, &m, strlen(text) + 1, flg);
}

/* Receives into *m; returns msgrcv's result. */
static long msg_take(int id, long type, int flg, struct tmsg *m)
{
	memset(m, 0, sizeof(*m));
	return msgrcv(id, m, sizeof(m->text), type, flg);
}

static void test_msgget_ctl(void)
{
	key_t key = test_key(4);
	CHECK_ERR(msgget(key, 0600), ENOENT);
	int id = msgget(key, IPC_CREAT | 0600);
	CHECK(id >= 0);
	CHECK_ERR(msgget(key, IPC_CREAT | IPC_EXCL), EEXIST);
	CHECK_EQ(msgget(key, 0), id);
	struct msqid_ds ds;
	memset(&ds, 0, sizeof(ds));
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_perm.__key, key);
	CHECK_EQ(ds.msg_perm.mode, 0600);
	CHECK_EQ(ds.msg_qnum, 0);
	CHECK_EQ(ds.__msg_cbytes, 0);
	CHECK(ds.msg_qbytes > 0);
	CHECK_EQ(ds.msg_stime, 0);
	CHECK(ds.msg_ctime > 0);
	CHECK_EQ(msg_put(id, 5, "hello", 0), 0);
	memset(&ds, 0, sizeof(ds));
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_qnum, 1);
	CHECK_EQ(ds.__msg_cbytes, 6);
	CHECK_EQ(ds.msg_lspid, getpid());
	CHECK(ds.msg_stime > 0);
	/* IPC_SET: mode and a smaller queue */
	ds.msg_perm.mode = 0640;
	ds.msg_qbytes = 100;
	CHECK_EQ(msgctl(id, IPC_SET, &ds), 0);
	memset(&ds, 0, sizeof(ds));
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_perm.mode, 0640);
	CHECK_EQ(ds.msg_qbytes, 100);
	/* info */
	struct msginfo info;
	int max = msgctl(0, IPC_INFO, (struct msqid_ds *)&info);
	CHECK(max >= 0);
	CHECK_EQ(info.msgmax, 8192);
	CHECK(info.msgmnb >= 16384 && info.msgmni > 0);
	CHECK_EQ(msgctl(0, MSG_INFO, (struct msqid_ds *)&info), max);
	CHECK(info.msgpool >= 1 && info.msgmap >= 1 && info.msgtql >= 6);
	int found = 0;
	for (int i = 0; i <= max; i++)
		found |= msgctl(i, MSG_STAT, &ds) == id;
	CHECK(found);
	CHECK_ERR(msgctl(id, 99, &ds), EINVAL);
	CHECK_ERR(msgctl(-1, IPC_STAT, &ds), EINVAL);
	CHECK_ERR(msgctl(id, IPC_STAT, (struct msqid_ds *)8), EFAULT);
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0);
	CHECK_ERR(msgctl(id, IPC_STAT, &ds), EINVAL);
	CHECK_ERR(msgget(key, 0), ENOENT);
}

static void test_msg_types(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	CHECK(id >= 0);
	struct tmsg m;
	CHECK_EQ(msg_put(id, 3, "three", 0), 0);
	CHECK_EQ(msg_put(id, 1, "one", 0), 0);
	CHECK_EQ(msg_put(id, 2, "two", 0), 0);
	CHECK_EQ(msg_put(id, 1, "one-b", 0), 0);
	CHECK_EQ(msg_put(id, 5, "five", 0), 0);
	/* type > 0: the first of that type */
	CHECK_EQ(msg_take(id, 2, IPC_NOWAIT, &m), 4);
	CHECK_EQ(m.type, 2);
	CHECK_STR(m.text, "two");
	/* MSG_EXCEPT: the first of another type */
	CHECK_EQ(msg_take(id, 3, IPC_NOWAIT | MSG_EXCEPT, &m), 4);
	CHECK_STR(m.text, "one");
	/* type < 0: the lowest type up to |type|, first of them */
	CHECK_EQ(msg_take(id, -4, IPC_NOWAIT, &m), 6);
	CHECK_STR(m.text, "one-b");
	CHECK_EQ(msg_take(id, -4, IPC_NOWAIT, &m), 6);
	CHECK_STR(m.text, "three");
	CHECK_ERR(msg_take(id, -4, IPC_NOWAIT, &m), ENOMSG);
	CHECK_ERR(msg_take(id, 9, IPC_NOWAIT, &m), ENOMSG);
	/* MSG_COPY peeks by position */
	CHECK_EQ(msg_put(id, 7, "seven", 0), 0);
	CHECK_EQ(msg_take(id, 1, IPC_NOWAIT | MSG_COPY, &m), 6);
	CHECK_STR(m.text, "seven");
	CHECK_ERR(msg_take(id, 2, IPC_NOWAIT | MSG_COPY, &m), ENOMSG);
	CHECK_ERR(msg_take(id, 0, MSG_COPY, &m), EINVAL);
	/* type 0: the first; too long for the buffer: E2BIG, or cut with
	 * MSG_NOERROR */
	CHECK_ERR(msgrcv(id, &m, 2, 0, IPC_NOWAIT), E2BIG);
	CHECK_EQ(msgrcv(id, &m, 2, 0, IPC_NOWAIT | MSG_NOERROR), 2);
	CHECK_EQ(m.type, 5);
	CHECK(m.text[0] == 'f' && m.text[1] == 'i');
	CHECK_EQ(msg_take(id, 0, IPC_NOWAIT, &m), 6);
	CHECK_STR(m.text, "seven");
	struct msqid_ds ds;
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_qnum, 0);
	if (beyond_qemu) /* qemu-user writes msg_lspid as 8 bytes over it */
		CHECK_EQ(ds.msg_lrpid, getpid());
	CHECK(ds.msg_rtime > 0);
	/* zero-length messages; errors */
	CHECK_EQ(msgsnd(id, &m, 0, 0), 0);
	CHECK_EQ(msgrcv(id, &m, 0, 0, IPC_NOWAIT), 0);
	m.type = 0;
	CHECK_ERR(msgsnd(id, &m, 1, 0), EINVAL);
	/* (a buffer of the claimed size: qemu-user reads it before checking) */
	static struct {
		long type;
		char text[8193];
	} huge = {1, ""};
	CHECK_EQ(msgsnd(id, &huge, 8192, IPC_NOWAIT), 0);
	CHECK_EQ(msgrcv(id, &huge, 8192, 0, IPC_NOWAIT), 8192);
	CHECK_ERR(msgsnd(id, &huge, 8193, 0), EINVAL);
	if (beyond_qemu) /* qemu-user tries to allocate the size first */
		CHECK_ERR(msgsnd(id, &huge, (size_t)-1, 0), EINVAL);
	CHECK_ERR(msgsnd(id, (void *)8, 1, 0), EFAULT);
	CHECK_ERR(msgsnd(-1, &m, 1, 0), EINVAL);
	CHECK_ERR(msgrcv(id, &m, -1, 0, 0), EINVAL);
	CHECK_ERR(msgrcv(-1, &m, 1, 0, 0), EINVAL);
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0);
}

static int child_receives(void *p)
{
	int id = *(int *)p;
	struct tmsg m;
	long n = msg_take(id, 9, 0, &m);
	if (n < 0)
		return 10 + errno;
	return n == 5 && strcmp(m.text, "nine") == 0 ? 0 : 1;
}

static int child_sends_big(void *p)
{
	int id = *(int *)p;
	static struct {
		long type;
		char text[60];
	} m = {1, ""};
	return msgsnd(id, &m, sizeof(m.text), 0) == 0 ? 0 : 10 + errno;
}

/* Waits (without asserting any timing) until pid sleeps, which for our
 * children means blocked in the call under test. */
static void wait_sleeping(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		char *paren = NULL;
		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = 0;
			fclose(f);
			paren = strrchr(buf, ')');
		}
		if (paren && paren[1] == ' ' && paren[2] == 'S')
			return;
		usleep(5000);
	}
	printf("  pid %d never slept\n", (int)pid);
}

static void test_msg_blocking(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	CHECK(id >= 0);
	struct msqid_ds ds;
	/* a receiver waits for its type */
	pid_t c = start_child(child_receives, &id);
	wait_sleeping(c);
	CHECK_EQ(msg_put(id, 8, "eight", 0), 0);
	CHECK_EQ(msg_put(id, 9, "nine", 0), 0);
	CHECK_EQ(child_status(c), 0);
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_qnum, 1);
	if (beyond_qemu)
		CHECK_EQ(ds.msg_lrpid, c);
	struct tmsg m;
	CHECK_EQ(msg_take(id, 8, IPC_NOWAIT, &m), 6);
	/* a sender waits for room */
	ds.msg_qbytes = 100;
	CHECK_EQ(msgctl(id, IPC_SET, &ds), 0);
	static struct {
		long type;
		char text[60];
	} big = {1, ""};
	CHECK_EQ(msgsnd(id, &big, sizeof(big.text), 0), 0);
	CHECK_ERR(msgsnd(id, &big, sizeof(big.text), IPC_NOWAIT), EAGAIN);
	c = start_child(child_sends_big, &id);
	wait_sleeping(c);
	CHECK_EQ(msgrcv(id, &big, sizeof(big.text), 0, IPC_NOWAIT), 60);
	CHECK_EQ(child_status(c), 0);
	CHECK_EQ(msgctl(id, IPC_STAT, &ds), 0);
	CHECK_EQ(ds.msg_qnum, 1);
	/* removal wakes a blocked receiver with EIDRM */
	CHECK_EQ(msgrcv(id, &big, sizeof(big.text), 0, IPC_NOWAIT), 60);
	c = start_child(child_receives, &id);
	pid_t c2 = start_child(child_receives, &id);
	wait_sleeping(c);
	wait_sleeping(c2);
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0);
	CHECK_EQ(child_status(c), 10 + EIDRM);
	CHECK_EQ(child_status(c2), 10 + EIDRM);
	/* stopped and continued with no handler: msgrcv goes on waiting
	 * (Linux restarts it) */
	id = msgget(IPC_PRIVATE, 0600);
	c = start_child(child_receives, &id);
	wait_sleeping(c);
	int st;
	kill(c, SIGSTOP);
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	kill(c, SIGCONT);
	wait_sleeping(c);
	CHECK_EQ(msg_put(id, 9, "nine", 0), 0);
	CHECK_EQ(child_status(c), 0);
	/* a signal with a handler: EINTR */
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	c = start_child(child_receives, &id);
	wait_sleeping(c);
	kill(c, SIGUSR1);
	CHECK_EQ(child_status(c), 10 + EINTR);
	signal(SIGUSR1, SIG_DFL);
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0);
}

static int child_msg_permissions(void *p)
{
	int id = *(int *)p, fail = 0;
	if (getuid() == 0 && setuid(65534) != 0)
		return 100;
	struct tmsg m = {1, "x"};
	errno = 0;
	fail |= !(msgsnd(id, &m, 2, IPC_NOWAIT) == -1 && errno == EACCES);
	errno = 0;
	fail |= !(msgrcv(id, &m, 2, 0, IPC_NOWAIT) == -1 && errno == EACCES) << 1;
	errno = 0;
	fail |= !(msgctl(id, IPC_RMID, NULL) == -1 && errno == EPERM) << 2;
	/* the owner may shrink its queue, not grow it past the default */
	int own = msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	fail |= (own < 0 || msgctl(own, IPC_STAT, &ds) != 0) << 3;
	ds.msg_qbytes = 1 << 20;
	errno = 0;
	fail |= !(msgctl(own, IPC_SET, &ds) == -1 && errno == EPERM) << 4;
	ds.msg_qbytes = 100;
	fail |= (msgctl(own, IPC_SET, &ds) != 0) << 5;
	fail |= (msgctl(own, IPC_RMID, NULL) != 0) << 6;
	return fail;
}

static void test_msg_permissions(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	CHECK(id >= 0);
	if (getuid() == 0) {
		CHECK_EQ(in_child(child_msg_permissions, &id), 0);
	} else {
		SKIP("checks as another user need root");
	}
	CHECK_EQ(msgctl(id, IPC_RMID, NULL), 0);
}

/* ------------------------------------------------------------ /proc/sysvipc */

/* The line of /proc/sysvipc/KIND whose second field is id, in line;
 * also checks that the header's first fields are Linux's. */
static int proc_line(const char *kind, int id, char *line, size_t len)
{
	char path[64], want[32];
	snprintf(path, sizeof(path), "/proc/sysvipc/%s", kind);
	snprintf(want, sizeof(want), "%sid", strcmp(kind, "msg") == 0 ? "msq" : kind);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int found = 0;
	if (fgets(line, (int)len, f)) {
		char k[16], i[16];
		CHECK(sscanf(line, "%15s %15s", k, i) == 2 && strcmp(k, "key") == 0 &&
		      strcmp(i, want) == 0);
	}
	while (!found && fgets(line, (int)len, f)) {
		int key, lid;
		found = sscanf(line, "%d %d", &key, &lid) == 2 && lid == id;
	}
	fclose(f);
	return found;
}

/* The numbers in a /proc/sys file; how many were read. */
static int proc_numbers(const char *path, unsigned long *v, int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;
	while (f && n < max && fscanf(f, "%lu", &v[n]) == 1)
		n++;
	if (f)
		fclose(f);
	return n;
}

/* /proc/sys/kernel's limits are what the INFO commands say. */
static void test_proc_sys_limits(void)
{
	unsigned long v[4];
	struct shminfo si;
	CHECK(shmctl(0, IPC_INFO, (struct shmid_ds *)&si) >= 0);
	CHECK(proc_numbers("/proc/sys/kernel/shmmax", v, 1) == 1 && v[0] == si.shmmax);
	CHECK(proc_numbers("/proc/sys/kernel/shmall", v, 1) == 1 && v[0] == si.shmall);
	CHECK(proc_numbers("/proc/sys/kernel/shmmni", v, 1) == 1 && v[0] == si.shmmni);
	struct seminfo sm;
	CHECK(semctl(0, 0, IPC_INFO, (union semun){.__buf = &sm}) >= 0);
	CHECK_EQ(proc_numbers("/proc/sys/kernel/sem", v, 4), 4);
	CHECK(v[0] == (unsigned long)sm.semmsl && v[1] == (unsigned long)sm.semmns &&
	      v[2] == (unsigned long)sm.semopm && v[3] == (unsigned long)sm.semmni);
	struct msginfo mi;
	CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0);
	CHECK(proc_numbers("/proc/sys/kernel/msgmax", v, 1) == 1 &&
	      v[0] == (unsigned long)mi.msgmax);
	CHECK(proc_numbers("/proc/sys/kernel/msgmnb", v, 1) == 1 &&
	      v[0] == (unsigned long)mi.msgmnb);
	CHECK(proc_numbers("/proc/sys/kernel/msgmni", v, 1) == 1 &&
	      v[0] == (unsigned long)mi.msgmni);
}

static void test_proc_sysvipc(void)
{
	char line[512];
	key_t key = test_key(5);
	int shm = shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640);
	char *m = shmat(shm, NULL, 0);
	CHECK(shm >= 0 && m != (void *)-1);
	m[0] = 1;
	CHECK(proc_line("shm", shm, line, sizeof(line)));
	int k, id, cpid, lpid;
	unsigned perms;
	unsigned long size, nattch, rss;
	CHECK_EQ(sscanf(line, "%d %d %o %lu %d %d %lu %*u %*u %*u %*u %*u %*u %*u %lu", &k, &id,
	                &perms, &size, &cpid, &lpid, &nattch, &rss),
	         8);
	CHECK_EQ(k, key);
	CHECK_EQ(perms, 0640);
	CHECK_EQ(size, 10000);
	CHECK_EQ(cpid, getpid());
	CHECK_EQ(lpid, getpid());
	CHECK_EQ(nattch, 1);
	CHECK_EQ(rss, 4096);
	CHECK_EQ(shmctl(shm, IPC_RMID, NULL), 0);
	CHECK(proc_line("shm", shm, line, sizeof(line)));
	CHECK_EQ(sscanf(line, "%d %d %o", &k, &id, &perms), 3);
	CHECK_EQ(k, 0);
	CHECK_EQ(perms, 01640);
	CHECK_EQ(shmdt(m), 0);
	CHECK(!proc_line("shm", shm, line, sizeof(line)));

	int sem = semget(key, 4, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(sem >= 0);
	CHECK(proc_line("sem", sem, line, sizeof(line)));
	unsigned nsems;
	CHECK_EQ(sscanf(line, "%d %d %o %u", &k, &id, &perms, &nsems), 4);
	CHECK(k == key && perms == 0600 && nsems == 4);
	CHECK_EQ(semctl(sem, 0, IPC_RMID), 0);
	CHECK(!proc_line("sem", sem, line, sizeof(line)));

	int msq = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(msq >= 0);
	CHECK_EQ(msg_put(msq, 1, "abc", 0), 0);
	CHECK(proc_line("msg", msq, line, sizeof(line)));
	unsigned long cbytes, qnum;
	int lspid;
	CHECK_EQ(sscanf(line, "%d %d %o %lu %lu %d", &k, &id, &perms, &cbytes, &qnum, &lspid), 6);
	CHECK(k == key && perms == 0600 && cbytes == 4 && qnum == 1 && lspid == getpid());
	CHECK_EQ(msgctl(msq, IPC_RMID, NULL), 0);
	CHECK(!proc_line("msg", msq, line, sizeof(line)));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	test_shmget();
	test_attach_share();
	test_attach_modes();
	test_remove_while_attached();
	test_ctl();
	test_permissions();
	test_semget();
	test_semctl_values();
	test_semop_nowait();
	test_semop_blocking();
	test_sem_undo();
	test_sem_permissions();
	test_msgget_ctl();
	test_msg_types();
	test_msg_blocking();
	test_msg_permissions();
	test_proc_sysvipc();
	test_proc_sys_limits();
	return ltest_done("sysvipc");
}
