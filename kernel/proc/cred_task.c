/*
 * Credentials and tasks (see cred.h): the running task's credentials and
 * kill's permission rule between two tasks.
 */
#include <scarlet/abi.h>

#include "proc/cred.h"
#include "proc/task.h"

static const struct cred root_cred;

const struct cred *cred_current(void)
{
	struct task *t = current();
	return t ? &t->cred : &root_cred;
}

struct cred *cred_current_mut(void)
{
	struct task *t = current();
	return t ? &t->cred : NULL;
}

bool cred_may_signal(struct task *sender, struct task *target, int sig)
{
	const struct cred *s = &sender->cred, *t = &target->cred;

	if (cred_capable(s, CAP_KILL) || sender == target)
		return true;
	if (s->euid == t->uid || s->euid == t->suid || s->uid == t->uid || s->uid == t->suid)
		return true;
	return sig == SIGCONT && sender->sid == target->sid;
}
