/*
 * Sleeping locks for long critical sections that may block (filesystem
 * operations, disk I/O).  Not usable from interrupt handlers.
 */
#ifndef PROC_MUTEX_H
#define PROC_MUTEX_H

#include <stdbool.h>

#include "core/spinlock.h"
#include "proc/wait.h"

struct task;

struct mutex {
	struct spinlock lk;
	struct waitqueue wq;
	bool locked;
	struct task *owner;
};

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_holding(struct mutex *m);

#endif
