/*
 * Sleeping locks (see mutex.h).
 */
#include "proc/mutex.h"

#include "core/kernel.h"
#include "core/might_sleep.h"
#include "proc/task.h"

void mutex_init(struct mutex *m, const char *name)
{
	spin_init(&m->lk, name);
	wq_init(&m->wq, name);
	m->locked = false;
	m->owner = NULL;
}

void mutex_lock(struct mutex *m)
{
	might_sleep();
	spin_lock(&m->lk);
	/* it would wait for itself forever (say, a user copy under a file
	 * system's lock faulting in a page of that file system) */
	if (m->locked && m->owner == current())
		panic("mutex_lock: %s already held by this task", m->lk.name);
	while (m->locked)
		wq_sleep_uninterruptible(&m->wq, &m->lk);
	m->locked = true;
	m->owner = current();
	spin_unlock(&m->lk);
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->lk);
	KASSERT(m->locked && m->owner == current());
	m->locked = false;
	m->owner = NULL;
	wq_wake_one(&m->wq);
	spin_unlock(&m->lk);
}

bool mutex_holding(struct mutex *m)
{
	return m->locked && m->owner == current();
}
