/*
 * Process descriptors (Linux's pidfd): a handle naming one process for as
 * long as it is held.  Pids are never reused here, so the process id
 * itself names it safely; the object also holds the process's thread
 * group, whose end it reports: readable (POLLIN) once every thread of
 * the process has ended, whether or not it has been waited for.
 */
#ifndef OBJ_PIDFD_H
#define OBJ_PIDFD_H

#include <stdbool.h>

#include "core/types.h"

struct kobj;

/* A descriptor of process pid (its leader's pid); status is 0 or
 * O_NONBLOCK.  ESRCH when there is no such process (a reaped one
 * included), EINVAL when pid is a thread other than its leader, ENOMEM. */
int pidfd_create(pid_t pid, unsigned status, struct kobj **out);
bool pidfd_is(struct kobj *o);
/* The process id o names (o a pidfd). */
pid_t pidfd_pid(struct kobj *o);
/* Every thread of o's process has ended. */
bool pidfd_exited(struct kobj *o);

#endif
