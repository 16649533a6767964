/*
 * Job control on the terminal (see tty.h): which session the terminal
 * belongs to, its foreground process group, and what happens when a
 * process outside that group uses it.  The rules are POSIX's, with
 * Linux's answers where POSIX leaves a choice.
 *
 * The console is the only terminal, so "the caller's controlling
 * terminal" is simply: the console's session is the caller's session.
 * Nothing clears the session when its leader exits; a session with no
 * live member counts as no session at all.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/tty_impl.h"
#include "proc/task.h"

/* Whether the caller ignores or blocks sig, so that job control must
 * not stop it with that signal. */
static bool signal_ignored(struct task *t, int sig)
{
	return (signal_ignored_mask(t) | t->sig_blocked) & (1ULL << (sig - 1));
}

struct group_scan {
	pid_t pgid, sid;
	bool exists;       /* a live task is in the group */
	bool in_session;   /* ... of session sid */
	bool anchored;     /* a member's parent is in another group of the session */
	bool session_live; /* a live task is in session sid */
};

static int scan_fn(struct task *t, void *arg)
{
	struct group_scan *g = arg;
	bool zombie = t->state == TASK_ZOMBIE;
	if (t->state == TASK_UNUSED || (!zombie && !t->mm))
		return 0; /* kernel threads */
	/* As on Linux, a zombie holds its group until it is reaped: a
	 * pipeline's group outlives its first process (ash hands the terminal
	 * to it after that process may have exited). */
	if (t->pgid == g->pgid) {
		g->exists = true;
		if (t->sid == g->sid)
			g->in_session = true;
	}
	if (zombie)
		return 0;
	if (t->sid == g->sid)
		g->session_live = true;
	if (t->pgid != g->pgid)
		return 0;
	struct task *p = t->parent;
	if (p && p->pid != 1 && p->pgid != t->pgid && p->sid == t->sid)
		g->anchored = true;
	return 0;
}

static struct group_scan scan(pid_t pgid, pid_t sid)
{
	struct group_scan g = {.pgid = pgid, .sid = sid};
	task_for_each(scan_fn, &g);
	return g;
}

/* Orphaned (POSIX): no member has a parent in another group of the same
 * session, so nobody is left to continue it after a stop.  As Linux,
 * init does not count as such a parent. */
static bool pgrp_orphaned(pid_t pgid, pid_t sid)
{
	return !scan(pgid, sid).anchored;
}

static bool session_live(pid_t sid)
{
	return sid > 0 && scan(0, sid).session_live;
}

int tty_job_check(struct tty *tty, int sig)
{
	struct task *t = current();
	spin_lock(&tty->lock);
	pid_t session = tty->session, fg = tty->fg_pgrp;
	spin_unlock(&tty->lock);
	if (!t || !session || t->sid != session || fg <= 0 || t->pgid == fg)
		return 0;
	if (signal_ignored(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(t->pgid, t->sid))
		return -EIO;
	signal_send_group(t->pgid, sig);
	/* Linux restarts the call once the group is continued; this tree
	 * has no restart, so the caller sees EINTR after SIGCONT. */
	return -EINTR;
}

void tty_job_open(struct tty *tty, int oflags)
{
	struct task *t = current();
	if (!t || (oflags & O_NOCTTY) || t->pid != t->sid)
		return;
	spin_lock(&tty->lock);
	pid_t owner = tty->session;
	spin_unlock(&tty->lock);
	if (owner == t->sid || session_live(owner))
		return;
	spin_lock(&tty->lock);
	if (tty->session == owner) {
		tty->session = t->sid;
		tty->fg_pgrp = t->pgid;
	}
	spin_unlock(&tty->lock);
}

static bool is_controlling(struct tty *tty)
{
	struct task *t = current();
	spin_lock(&tty->lock);
	bool r = t && tty->session != 0 && tty->session == t->sid;
	spin_unlock(&tty->lock);
	return r;
}

pid_t tty_get_fg(struct tty *tty)
{
	if (!is_controlling(tty))
		return -ENOTTY;
	spin_lock(&tty->lock);
	pid_t pg = tty->fg_pgrp;
	spin_unlock(&tty->lock);
	return pg;
}

int tty_set_fg(struct tty *tty, pid_t pgrp)
{
	if (!is_controlling(tty))
		return -ENOTTY;
	int r = tty_job_check(tty, SIGTTOU);
	if (r == -EIO)
		return -ENOTTY;
	if (r < 0)
		return r;
	if (pgrp < 0)
		return -EINVAL;
	struct group_scan g = scan(pgrp, current()->sid);
	if (!g.exists)
		return -ESRCH;
	if (!g.in_session)
		return -EPERM;
	spin_lock(&tty->lock);
	tty->fg_pgrp = pgrp;
	spin_unlock(&tty->lock);
	return 0;
}

pid_t tty_get_session(struct tty *tty)
{
	if (!is_controlling(tty))
		return -ENOTTY;
	return tty->session;
}

int tty_make_controlling(struct tty *tty, bool steal)
{
	struct task *t = current();
	if (is_controlling(tty) && t->pid == t->sid)
		return 0;
	if (t->pid != t->sid)
		return -EPERM; /* only a session leader */
	spin_lock(&tty->lock);
	pid_t owner = tty->session;
	spin_unlock(&tty->lock);
	if (owner && !steal && session_live(owner))
		return -EPERM;
	spin_lock(&tty->lock);
	tty->session = t->sid;
	tty->fg_pgrp = t->pgid;
	spin_unlock(&tty->lock);
	return 0;
}

int tty_give_up_controlling(struct tty *tty)
{
	struct task *t = current();
	if (!is_controlling(tty))
		return -ENOTTY;
	if (t->pid != t->sid) {
		/* One process of the session letting go alone needs a
		 * per-process controlling terminal, which tasks lack. */
		printk("tty: pid %d: TIOCNOTTY by a process that is not the session leader is not "
		       "supported\n",
		       t->pid);
		return -EINVAL;
	}
	spin_lock(&tty->lock);
	pid_t fg = tty->fg_pgrp;
	tty->session = 0;
	tty->fg_pgrp = 0;
	spin_unlock(&tty->lock);
	if (fg > 0) {
		signal_send_group(fg, SIGHUP);
		signal_send_group(fg, SIGCONT);
	}
	return 0;
}
