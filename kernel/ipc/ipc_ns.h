/*
 * IPC namespaces: the System V IPC objects (message queues, semaphore
 * sets, shared memory segments) and the POSIX message queue names a task
 * sees.  Every task refers to one; a child inherits its parent's, and
 * ipc_ns_unshare gives a task a new, empty one.  The initial namespace is
 * static and never freed.
 *
 * Two counts: users (tasks and namespace files) and memory.  When the
 * last user goes the namespace dies: its queues and semaphore sets are
 * removed (sleepers get EIDRM), its shared memory segments are marked
 * for removal as by IPC_RMID (one still attached lives until detached,
 * as Linux), and its POSIX queue names go (an open queue lives while
 * open).  What is left of it (the segments and queues still alive hold
 * the memory count) is freed with the last of them.
 */
#ifndef IPC_IPC_NS_H
#define IPC_IPC_NS_H

#include "core/list.h"
#include "core/types.h"
#include "ipc/ipc.h"

struct task;

struct ipc_ns {
	int users;     /* atomic: tasks and namespace files */
	int refs;      /* atomic: memory (the users count one, each live segment or queue one) */
	uint32_t inum; /* the number /proc/PID/ns/ipc shows (ns_new_inum) */
	struct ipc_ids msg_ids, sem_ids, shm_ids;
	uint64_t msg_msgs, msg_bytes; /* messages queued in all (msg_ids.lock) */
	int sem_used;                 /* semaphores in all sets (sem_ids.lock) */
	struct list mq_queues;        /* the named POSIX queues (mqueue.c's lock) */
	int mq_count;                 /* atomic: POSIX queues alive, named or not */
};

/* t's namespace (the initial one for a task without its own). */
struct ipc_ns *ipc_ns_of(struct task *t);
/* The running task's. */
struct ipc_ns *ipc_ns_current(void);
/* A user reference (ipc_ns_put drops it: the last one ends the
 * namespace; no lock held, not under task_tree_lock). */
struct ipc_ns *ipc_ns_get(struct ipc_ns *ns);
void ipc_ns_put(struct ipc_ns *ns);
/* A memory reference, for an object that may outlive the users. */
void ipc_ns_hold(struct ipc_ns *ns);
void ipc_ns_release(struct ipc_ns *ns);

/* Gives t (current, or a child not yet running) a new empty namespace:
 * 0 or -ENOMEM. */
int ipc_ns_unshare(struct task *t);
/* Moves t (current) into ns (a reference is taken). */
void ipc_ns_install(struct task *t, struct ipc_ns *ns);
/* Drops t's reference (exit, a failed fork). */
void ipc_ns_task_end(struct task *t);
/* The namespace of live task pid, with a user reference; NULL if none. */
struct ipc_ns *ipc_ns_of_pid(pid_t pid);

/* What each kind frees when a namespace dies (msg.c, sem.c, shm.c,
 * mqueue.c). */
void msg_ns_end(struct ipc_ns *ns);
void sem_ns_end(struct ipc_ns *ns);
void shm_ns_end(struct ipc_ns *ns);
void mq_ns_end(struct ipc_ns *ns);

#endif
