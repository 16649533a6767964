#ifndef SCARLET_PROC_PID_NS_H
#define SCARLET_PROC_PID_NS_H
/*
 * PID namespaces, as Linux's pid_namespaces(7): a tree of namespaces, each
 * with a parent and a level (the initial one is level 0).  A task has a
 * number in its own namespace and in every ancestor up to the initial
 * one; the number in the initial namespace is its global pid (task->pid),
 * which is what the kernel uses inside.  Everything a program names or is
 * told about a pid goes through the translations here, in the caller's
 * namespace: a task outside the caller's namespace (not in it or one of
 * its descendants) has no number there, 0 ("not visible").
 *
 * The first task made in a namespace is its pid 1, its init: orphans in
 * the namespace go to it, its exit kills every other task in the
 * namespace and no task can be made there after it (fork: ENOMEM).
 *
 * Numbers are handed out in increasing order and not reused, as global
 * pids are (task.c).  Locking: the numbers and the reaper are under
 * task_tree_lock; a task's namespace pointers are set before it runs or
 * by the task itself.
 */
#include "core/types.h"

#define PID_NS_MAX_LEVEL 32 /* Linux's MAX_PID_NS_LEVEL */

struct task;

struct pid_ns {
	int refcount;
	struct pid_ns *parent; /* referenced; NULL for the initial one */
	int level;
	uint32_t inum;       /* what /proc/PID/ns/pid shows (ns_new_inum) */
	pid_t last_nr;       /* the number handed out last */
	struct task *reaper; /* the init (its process leader), NULL before */
	bool dead;           /* the init ended: no new tasks */
};

extern struct pid_ns init_pid_ns;

struct pid_ns *pid_ns_get(struct pid_ns *ns);
void pid_ns_put(struct pid_ns *ns);
/* A new namespace below parent: -ENOSPC beyond PID_NS_MAX_LEVEL levels,
 * -ENOMEM otherwise (NULL and *err). */
struct pid_ns *pid_ns_create(struct pid_ns *parent, int *err);

/* The namespace t's pid lives in, and the one its children will. */
struct pid_ns *task_pid_ns(const struct task *t);
struct pid_ns *task_pid_ns_children(const struct task *t);
/* Is ns the same as or a descendant of anc? */
bool pid_ns_within(const struct pid_ns *ns, const struct pid_ns *anc);

/* t's number in ns, 0 when t is not visible there. */
pid_t task_pid_nr_ns(const struct task *t, const struct pid_ns *ns);
/* Same for t's process (its thread group leader). */
pid_t task_tgid_nr_ns(struct task *t, const struct pid_ns *ns);
/* In the current task's namespace. */
pid_t task_pid_vnr(const struct task *t);
pid_t task_tgid_vnr(struct task *t);

/* The task whose number in ns is nr (zombies included), or NULL.
 * task_tree_lock held. */
struct task *task_find_ns(pid_t nr, const struct pid_ns *ns);
/* Same in the current task's namespace. */
struct task *task_find_vnr(pid_t nr);
/* A global pid (of a live or zombie task, a process group or session id)
 * as seen in ns / by the current task: 0 when not visible or gone.  Takes
 * task_tree_lock unless _locked. */
pid_t pid_nr_in_ns(pid_t global, const struct pid_ns *ns);
pid_t pid_nr_in_ns_locked(pid_t global, const struct pid_ns *ns);
pid_t pid_vnr(pid_t global);
/* The global pid of number nr of the current task's namespace: -ESRCH
 * when no task (zombies included) has it.  task_tree_lock held. */
pid_t pid_vnr_to_global_locked(pid_t nr);
pid_t pid_vnr_to_global(pid_t nr);

/* fork's part (proc/fork.c).  Gives the new task c its namespace (ns
 * with a reference, c->ns_nr allocated): 0 or -ENOMEM. */
int pid_ns_fork_prepare(struct task *c, struct pid_ns *ns);
/* Numbers c in each level of its namespace; task_tree_lock held.
 * -ENOMEM when the namespace's init has ended (as Linux). */
int pid_ns_fork_attach(struct task *c);
/* Exec from thread t of leader l: t takes l's numbers (and its place as
 * an init); task_tree_lock held. */
void pid_ns_swap_numbers(struct task *t, struct task *l);
/* Drops t's namespace references (task_free). */
void pid_ns_task_free(struct task *t);

/* Is process leader l the init of a namespace below the initial one? */
bool pid_ns_is_child_init(const struct task *l);
/* The ns init's exit: every other task in its namespace is killed and
 * the init waits until its children are reaped (l the exiting leader,
 * current). */
void pid_ns_init_exit(struct task *l);
/* Whether a signal from sender (NULL: the kernel) to target is dropped
 * by the protection of a namespace init (Linux: only signals it handles,
 * plus SIGKILL and SIGSTOP from the kernel or an ancestor namespace). */
bool pid_ns_signal_dropped(struct task *sender, struct task *target, int sig);

/* unshare(CLONE_NEWPID): the caller's future children go to a new
 * namespace below its own; EINVAL when they already go elsewhere. */
int pid_ns_unshare(struct task *t);
/* setns(CLONE_NEWPID): children go to ns, which must be the caller's
 * namespace or a descendant (EINVAL). */
int pid_ns_install(struct task *t, struct pid_ns *ns);

#endif
