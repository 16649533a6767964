/*
 * IPC namespaces: unshare(CLONE_NEWIPC), clone with it and setns into
 * one, each giving a separate set of System V message queues, semaphore
 * sets and shared memory segments and of POSIX message queue names;
 * /proc/PID/ns/ipc with its own inode; /proc/sysvipc per namespace; and
 * what outlives a namespace whose last task left (an attached segment
 * until detached, an open queue while open).
 *
 * Runs as root (namespaces need CAP_SYS_ADMIN); where the host refuses
 * unshare (a container), the checks that need one are skipped.
 *
 * --beyond-qemu: also clone with CLONE_NEWIPC, which qemu-user refuses
 * (EINVAL); Linux's answers are proven with tools/linux-vm.sh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define KEY_MSG 0x1c0ffee1
#define KEY_SEM 0x1c0ffee2
#define KEY_SHM 0x1c0ffee3
#define MQ_NAME "/t_ipcns"

static ino_t ns_ino(pid_t pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Lines of /proc/sysvipc/KIND that name key. */
static int sysvipc_lines(const char *kind, int key)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/sysvipc/%s", kind);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		int k;
		if (sscanf(line, "%d", &k) == 1 && k == key)
			n++;
	}
	fclose(f);
	return n;
}

/* Runs fn in a child; its exit status is the number of failed checks. */
static int in_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		int r = fn(arg);
		fflush(stdout);
		_exit(r ? r : ltest_failed);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* In a new namespace, none of the first one's objects are there, and
 * the same keys and name make new ones. */
static int fresh_namespace(void *arg)
{
	int *ids = arg;
	ino_t before = ns_ino(getpid());
	CHECK_EQ(unshare(CLONE_NEWIPC), 0);
	CHECK(ns_ino(getpid()) != before);
	char link[64] = "";
	CHECK(readlink("/proc/self/ns/ipc", link, sizeof(link) - 1) > 0);
	CHECK_EQ(strncmp(link, "ipc:[", 5), 0);
	CHECK_EQ(atol(link + 5), (long)ns_ino(getpid()));
	CHECK_ERR(msgget(KEY_MSG, 0), ENOENT);
	CHECK_ERR(semget(KEY_SEM, 0, 0), ENOENT);
	CHECK_ERR(shmget(KEY_SHM, 0, 0), ENOENT);
	CHECK_ERR(mq_open(MQ_NAME, O_RDONLY), ENOENT);
	struct msqid_ds mds;
	CHECK_ERR(msgctl(ids[0], IPC_STAT, &mds), EINVAL);
	CHECK_ERR(semctl(ids[1], 0, GETVAL), EINVAL);
	CHECK_ERR(shmat(ids[2], NULL, 0), EINVAL);
	CHECK_EQ(sysvipc_lines("msg", KEY_MSG), 0);
	CHECK_EQ(sysvipc_lines("shm", KEY_SHM), 0);
	struct msginfo mi;
	CHECK_EQ(msgctl(0, MSG_INFO, (struct msqid_ds *)&mi), 0); /* no queues: highest index 0 */
	CHECK_EQ(mi.msgpool, 0);
	/* the same keys make new objects here */
	int q = msgget(KEY_MSG, IPC_CREAT | 0600);
	CHECK(q >= 0);
	CHECK(semget(KEY_SEM, 2, IPC_CREAT | 0600) >= 0);
	CHECK(shmget(KEY_SHM, 4096, IPC_CREAT | 0600) >= 0);
	mqd_t m = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(m != (mqd_t)-1);
	CHECK_EQ(sysvipc_lines("msg", KEY_MSG), 1);
	struct {
		long type;
		char text[8];
	} msg = {7, "child"};
	CHECK_EQ(msgsnd(q, &msg, sizeof(msg.text), 0), 0);
	return 0; /* the namespace ends with this process: its objects go */
}

/* A child cloned with CLONE_NEWIPC starts in a new namespace too. */
static int cloned(void *arg)
{
	(void)arg;
	fflush(stdout);
	long pid = syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		CHECK(ns_ino(getpid()) != ns_ino(getppid()));
		CHECK_ERR(msgget(KEY_MSG, 0), ENOENT);
		CHECK(msgget(KEY_MSG, IPC_CREAT | 0600) >= 0);
		fflush(stdout);
		_exit(ltest_failed);
	}
	CHECK(pid > 0);
	int st;
	CHECK_EQ(waitpid((pid_t)pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* ours is still there, the child's is not */
	CHECK(msgget(KEY_MSG, 0) >= 0);
	return 0;
}

/* setns into a live process's namespace; setns back out of one, with a
 * segment still attached and a queue still open there. */
static int enter_and_leave(void *arg)
{
	(void)arg;
	int home = open("/proc/self/ns/ipc", O_RDONLY);
	CHECK(home >= 0);
	int ready[2], done[2];
	CHECK_EQ(pipe(ready), 0);
	CHECK_EQ(pipe(done), 0);
	fflush(stdout);
	pid_t other = fork();
	if (other == 0) {
		char c = 0;
		if (unshare(CLONE_NEWIPC) < 0 || msgget(0x4242, IPC_CREAT | 0600) < 0)
			c = 1;
		if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(2);
		_exit(0);
	}
	char c = 9;
	CHECK_EQ(read(ready[0], &c, 1), 1);
	CHECK_EQ(c, 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)other);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(setns(fd, CLONE_NEWUTS), EINVAL);
	CHECK_EQ(setns(fd, CLONE_NEWIPC), 0);
	CHECK_EQ(ns_ino(getpid()), ns_ino(other));
	CHECK(msgget(0x4242, 0) >= 0);
	CHECK_ERR(msgget(KEY_MSG, 0), ENOENT);
	/* a segment and a queue made here, in use when we leave */
	int seg = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	CHECK(seg >= 0);
	char *p = shmat(seg, NULL, 0);
	CHECK(p != (char *)-1);
	strcpy(p, "kept");
	mqd_t m = mq_open("/t_ipcns_other", O_RDWR | O_CREAT, 0600, NULL);
	CHECK(m != (mqd_t)-1);
	CHECK_EQ(mq_send(m, "hi", 2, 1), 0);
	/* back home (nstype 0: any kind), then the other namespace's last
	 * process ends */
	CHECK_EQ(setns(home, 0), 0);
	CHECK(msgget(KEY_MSG, 0) >= 0);
	CHECK_ERR(msgget(0x4242, 0), ENOENT);
	CHECK_ERR(mq_open("/t_ipcns_other", O_RDONLY), ENOENT);
	close(fd);
	CHECK_EQ(write(done[1], "x", 1), 1);
	int st;
	CHECK_EQ(waitpid(other, &st, 0), other);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* what we still hold works */
	CHECK_STR(p, "kept");
	strcpy(p, "still");
	CHECK_STR(p, "still");
	CHECK_EQ(shmdt(p), 0);
	char buf[8192];
	unsigned prio;
	CHECK_EQ(mq_receive(m, buf, sizeof(buf), &prio), 2);
	CHECK_EQ(mq_close(m), 0);
	return 0;
}

int main(int argc, char **argv)
{
	bool beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	/* the first namespace's objects */
	int ids[3];
	ids[0] = msgget(KEY_MSG, IPC_CREAT | 0600);
	ids[1] = semget(KEY_SEM, 1, IPC_CREAT | 0600);
	ids[2] = shmget(KEY_SHM, 4096, IPC_CREAT | 0600);
	CHECK(ids[0] >= 0 && ids[1] >= 0 && ids[2] >= 0);
	mq_unlink(MQ_NAME);
	mqd_t m = mq_open(MQ_NAME, O_RDWR | O_CREAT, 0600, NULL);
	CHECK(m != (mqd_t)-1);
	ino_t mine = ns_ino(getpid());
	CHECK(mine != 0);

	fflush(stdout);
	pid_t probe = fork();
	if (probe == 0)
		_exit(unshare(CLONE_NEWIPC) == 0 ? 0 : errno);
	int st;
	waitpid(probe, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		SKIP("unshare(CLONE_NEWIPC) is refused here");
	} else {
		CHECK_EQ(in_child(fresh_namespace, ids), 0);
		/* the child's namespace is gone; ours is as it was */
		CHECK_EQ(msgget(KEY_MSG, 0), ids[0]);
		CHECK_EQ(semget(KEY_SEM, 0, 0), ids[1]);
		CHECK_EQ(shmget(KEY_SHM, 0, 0), ids[2]);
		CHECK_EQ(sysvipc_lines("msg", KEY_MSG), 1);
		struct msqid_ds mds;
		CHECK_EQ(msgctl(ids[0], IPC_STAT, &mds), 0);
		CHECK_EQ(mds.msg_qnum, 0);
		CHECK_EQ(ns_ino(getpid()), mine);
		if (beyond_qemu)
			CHECK_EQ(in_child(cloned, NULL), 0);
		CHECK_EQ(in_child(enter_and_leave, NULL), 0);
	}
	/* without the capability: EPERM */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) < 0)
			_exit(3);
		errno = 0;
		_exit(unshare(CLONE_NEWIPC) == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	msgctl(ids[0], IPC_RMID, NULL);
	semctl(ids[1], 0, IPC_RMID);
	shmctl(ids[2], IPC_RMID, NULL);
	mq_close(m);
	mq_unlink(MQ_NAME);
	return ltest_done("t_ipcns");
}
