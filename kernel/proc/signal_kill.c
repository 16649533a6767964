/*
 * Sending a signal by pid, to a process group or to everyone (kill).
 * Each goes to a process (a thread group), once.  Pids and group ids are
 * the caller's (proc/pid_ns.h); kill(-1) reaches the processes of the
 * caller's pid namespace, and a namespace's init is protected as Linux
 * protects it.
 */
#include "core/kernel.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

/* A process that can still take signals: some thread is alive. */
static bool process_alive(struct task *t)
{
	return __atomic_load_n(&t->tg->nr_live, __ATOMIC_ACQUIRE) > 0;
}

struct kill_ctx {
	pid_t pgid; /* global; 0: every process but init and self */
	struct task *self;
	struct pid_ns *ns; /* the sender's */
	int sig;
	const struct ksiginfo *info;
	int found;
	int allowed; /* targets the sender may signal (cred_may_signal) */
};

static int kill_fn(struct task *t, void *arg)
{
	struct kill_ctx *k = arg;
	if (t != task_leader(t) || !process_alive(t) || (!t->mm && t->state != TASK_ZOMBIE))
		return 0; /* one per process; not kernel threads */
	if (k->pgid ? t->pgid != k->pgid : (t->tg == k->self->tg || task_pid_nr_ns(t, k->ns) <= 1))
		return 0; /* kill(-1): not init, and only what the sender sees */
	k->found++;
	if (k->info && !cred_may_signal(k->self, t, k->sig))
		return 0; /* a user's kill: skipped, EPERM if no one is left */
	k->allowed++;
	/* a kernel sender (no info: the terminal's job control) too */
	if (k->sig && !pid_ns_signal_dropped(k->info ? k->self : NULL, t, k->sig))
		signal_send_info(t, k->sig, k->info);
	return 0;
}

static int kill_many(pid_t pgid, int sig, const struct ksiginfo *info)
{
	struct kill_ctx k = {.pgid = pgid,
	                     .self = current(),
	                     .ns = task_pid_ns(current()),
	                     .sig = sig,
	                     .info = info};
	task_for_each(kill_fn, &k);
	/* as Linux, kill(-1) succeeds even when every target refused */
	return !k.found ? -ESRCH : (k.allowed || !pgid) ? 0 : -EPERM;
}

int signal_send_group(pid_t pgid, int sig)
{
	return kill_many(pgid, sig, NULL);
}

int signal_kill_info(pid_t pid, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > SIG_MAX)
		return -EINVAL;
	if (pid == -1)
		return kill_many(0, sig, info);
	if (pid == 0)
		return kill_many(current()->pgid, sig, info);
	if (pid < 0) {
		pid_t pgid = pid_vnr_to_global(-pid);
		return pgid < 0 ? pgid : kill_many(pgid, sig, info);
	}
	spin_lock(&task_tree_lock);
	struct task *t = task_find_vnr(pid);
	if (!t || !process_alive(t)) {
		spin_unlock(&task_tree_lock);
		return -ESRCH;
	}
	int r = info && !cred_may_signal(current(), t, sig) ? -EPERM
	        : !sig || (info && pid_ns_signal_dropped(current(), t, sig))
	            ? 0
	            : signal_send_info(t, sig, info);
	spin_unlock(&task_tree_lock);
	return r;
}

int signal_kill(pid_t pid, int sig)
{
	struct ksiginfo info = {.code = SI_USER, .kind = SIK_KILL, .pid = task_tgid(current())};
	return signal_kill_info(pid, sig, &info);
}

int signal_kill_thread(pid_t tgid, pid_t tid, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > SIG_MAX)
		return -EINVAL;
	spin_lock(&task_tree_lock);
	struct task *t = task_find_vnr(tid);
	int r = 0;
	if (!t || t->state == TASK_ZOMBIE || list_empty(&t->tg_node) ||
	    (tgid && task_tgid_vnr(t) != tgid))
		r = -ESRCH;
	else if (sig && !(info && pid_ns_signal_dropped(current(), t, sig)))
		r = signal_send_thread_info(t, sig, info);
	spin_unlock(&task_tree_lock);
	return r;
}
