/*
 * Signal dispositions: the per-process table of actions, its default
 * actions, and what sigaction and exec do to it (see signal.h).
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/thread_group.h"

#define SIGTTIN  21
#define SIGTTOU  22
#define SIGURG   23
#define SIGWINCH 28

#define STOP_SET   (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))
#define IGNORE_SET (SIG_BIT(SIGCHLD) | SIG_BIT(SIGCONT) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH))

enum sig_default signal_default_action(int sig)
{
	if (STOP_SET & SIG_BIT(sig))
		return SIGDFL_STOP;
	if (IGNORE_SET & SIG_BIT(sig))
		return SIGDFL_IGNORE;
	return SIGDFL_TERM; /* core-dumping signals too (exec/coredump.h) */
}

struct sighand *sighand_create(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));
	if (!sh)
		return NULL;
	sh->refcount = 1;
	spin_init(&sh->lock, "sighand");
	return sh;
}

struct sighand *sighand_copy(struct sighand *parent)
{
	struct sighand *sh = sighand_create();
	if (!sh)
		return NULL;
	spin_lock(&parent->lock);
	memcpy(sh->action, parent->action, sizeof(sh->action));
	sh->ignored = parent->ignored;
	spin_unlock(&parent->lock);
	return sh;
}

struct sighand *sighand_get(struct sighand *sh)
{
	__atomic_add_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL);
	return sh;
}

int sighand_unshare(struct task *t)
{
	struct sighand *old = t->sighand;
	if (__atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) == 1)
		return 0;
	struct sighand *sh = sighand_copy(old);
	if (!sh)
		return -ENOMEM;
	spin_lock(&t->lock);
	t->sighand = sh;
	spin_unlock(&t->lock);
	sighand_put(old);
	return 0;
}

uint64_t signal_ignored_mask(struct task *t)
{
	return __atomic_load_n(&t->sighand->ignored, __ATOMIC_RELAXED);
}

void sighand_put(struct sighand *sh)
{
	if (sh && __atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

/* A signal whose action is to do nothing is dropped when sent, and a
 * pending one is dropped when its action becomes that (POSIX). */
static bool action_ignores(const struct ksigaction *a, int sig)
{
	return a->handler == SIG_HANDLER_IGN ||
	       (a->handler == SIG_HANDLER_DFL && signal_default_action(sig) == SIGDFL_IGNORE);
}

/* Recomputes sh->ignored, the cache of SIG_IGN actions other code reads
 * without the table; sh->lock held. */
void sighand_update_ignored(struct sighand *sh)
{
	uint64_t ign = 0;
	for (int i = 0; i < SIG_MAX; i++)
		if (sh->action[i].handler == SIG_HANDLER_IGN)
			ign |= SIG_BIT(i + 1);
	__atomic_store_n(&sh->ignored, ign, __ATOMIC_RELAXED);
}

/* A pending sig whose action became "nothing" is dropped everywhere in
 * the process; tg->lock held. */
static void drop_pending(struct thread_group *tg, int sig)
{
	struct list *pos;
	tg->sig_pending &= ~SIG_BIT(sig);
	list_for_each(pos, &tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		spin_lock(&u->lock);
		u->sig_pending &= ~SIG_BIT(sig);
		spin_unlock(&u->lock);
	}
}

int signal_action(int sig, const struct ksigaction *act, struct ksigaction *old)
{
	struct task *t = current();
	if (sig < 1 || sig > SIG_MAX)
		return -EINVAL;
	if (act && (SIG_BIT(sig) & SIG_UNBLOCKABLE))
		return -EINVAL;
	spin_lock(&t->tg->lock);
	spin_lock(&t->sighand->lock);
	struct ksigaction *a = &t->sighand->action[sig - 1];
	if (old)
		*old = *a;
	bool drop = false;
	if (act) {
		*a = *act;
		a->mask &= ~SIG_UNBLOCKABLE;
		drop = action_ignores(a, sig);
		sighand_update_ignored(t->sighand);
	}
	spin_unlock(&t->sighand->lock);
	if (drop)
		drop_pending(t->tg, sig);
	spin_unlock(&t->tg->lock);
	return 0;
}

bool signal_has_handler(struct task *t, int sig)
{
	spin_lock(&t->sighand->lock);
	uint64_t h = t->sighand->action[sig - 1].handler;
	spin_unlock(&t->sighand->lock);
	return h != SIG_HANDLER_DFL && h != SIG_HANDLER_IGN;
}

void sighand_reset_handlers(struct sighand *sh)
{
	spin_lock(&sh->lock);
	for (int i = 0; i < SIG_MAX; i++) {
		struct ksigaction *a = &sh->action[i];
		if (a->handler != SIG_HANDLER_IGN)
			*a = (struct ksigaction){.handler = SIG_HANDLER_DFL};
		else
			a->flags = a->mask = 0;
	}
	sighand_update_ignored(sh);
	spin_unlock(&sh->lock);
}

void signal_exec_reset(struct task *t)
{
	spin_lock(&t->lock);
	sighand_reset_handlers(t->sighand);
	t->sig_altstack = (struct sigaltstack_k){.flags = SS_DISABLE};
	t->sig_restore_mask = false;
	spin_unlock(&t->lock);
}
