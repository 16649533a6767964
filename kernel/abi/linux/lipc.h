/*
 * Linux's System V IPC structures of the generic 64-bit layout riscv64
 * uses (asm-generic/ipcbuf.h, shmbuf.h, sembuf.h, msgbuf.h, linux/shm.h,
 * sem.h, msg.h): what the ctl calls read and write.  riscv64 has no old
 * IPC versions, so a command with IPC_64 (0x100) set is just unknown.
 */
#ifndef ABI_LINUX_LIPC_H
#define ABI_LINUX_LIPC_H

#include <stdint.h>

/* ctl commands shared by the three kinds */
#define L_IPC_RMID 0
#define L_IPC_SET  1
#define L_IPC_STAT 2
#define L_IPC_INFO 3

/* get flags and shmat flags */
#define L_IPC_CREAT  01000
#define L_IPC_EXCL   02000
#define L_IPC_NOWAIT 04000

#define L_SHM_HUGETLB 04000 /* shmget */
#define L_SHM_RDONLY  010000
#define L_SHM_RND     020000
#define L_SHM_REMAP   040000
#define L_SHM_EXEC    0100000

#define L_SHM_LOCK     11
#define L_SHM_UNLOCK   12
#define L_SHM_STAT     13
#define L_SHM_INFO     14
#define L_SHM_STAT_ANY 15

struct linux_ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;
	uint16_t seq;
	uint16_t pad2;
	uint64_t unused1, unused2;
};

struct linux_shmid64_ds {
	struct linux_ipc64_perm shm_perm;
	uint64_t shm_segsz;
	int64_t shm_atime, shm_dtime, shm_ctime;
	int32_t shm_cpid, shm_lpid;
	uint64_t shm_nattch;
	uint64_t unused4, unused5;
};

struct linux_shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused1, unused2, unused3, unused4;
};

struct linux_shm_info {
	int32_t used_ids;
	uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

/* semaphores */
#define L_SEM_UNDO 0x1000

#define L_GETPID       11
#define L_GETVAL       12
#define L_GETALL       13
#define L_GETNCNT      14
#define L_GETZCNT      15
#define L_SETVAL       16
#define L_SETALL       17
#define L_SEM_STAT     18
#define L_SEM_INFO     19
#define L_SEM_STAT_ANY 20

struct linux_sembuf {
	uint16_t sem_num;
	int16_t sem_op;
	int16_t sem_flg;
};

struct linux_semid64_ds {
	struct linux_ipc64_perm sem_perm;
	int64_t sem_otime, sem_ctime;
	uint64_t sem_nsems;
	uint64_t unused3, unused4;
};

struct linux_seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

/* message queues */
#define L_MSG_NOERROR  010000
#define L_MSG_EXCEPT   020000
#define L_MSG_COPY     040000
#define L_MSG_STAT     11
#define L_MSG_INFO     12
#define L_MSG_STAT_ANY 13

struct linux_msqid64_ds {
	struct linux_ipc64_perm msg_perm;
	int64_t msg_stime, msg_rtime, msg_ctime;
	uint64_t msg_cbytes, msg_qnum, msg_qbytes;
	int32_t msg_lspid, msg_lrpid;
	uint64_t unused4, unused5;
};

struct linux_msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
};

/* POSIX message queues */
struct linux_mq_attr {
	int64_t mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
	int64_t reserved[4];
};

#define L_SIGEV_SIGNAL    0
#define L_SIGEV_NONE      1
#define L_SIGEV_THREAD    2
#define L_SIGEV_THREAD_ID 4

struct linux_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t un[12];
};

_Static_assert(sizeof(struct linux_ipc64_perm) == 48, "ipc64_perm layout");
_Static_assert(sizeof(struct linux_shmid64_ds) == 112, "shmid64_ds layout");
_Static_assert(sizeof(struct linux_shm_info) == 48, "shm_info layout");
_Static_assert(sizeof(struct linux_sembuf) == 6, "sembuf layout");
_Static_assert(sizeof(struct linux_semid64_ds) == 88, "semid64_ds layout");
_Static_assert(sizeof(struct linux_msqid64_ds) == 120, "msqid64_ds layout");
_Static_assert(sizeof(struct linux_msginfo) == 32, "msginfo layout");
_Static_assert(sizeof(struct linux_mq_attr) == 64, "mq_attr layout");
_Static_assert(sizeof(struct linux_sigevent) == 64, "sigevent layout");

#endif
