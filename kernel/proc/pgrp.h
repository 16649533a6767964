/*
 * Process groups and sessions with POSIX's rules (setpgid, setsid...).
 */
#ifndef PROC_PGRP_H
#define PROC_PGRP_H

#include "core/types.h"

/* setpgid: pid 0 is the caller, pgid 0 is pid.  EINVAL (pgid < 0), ESRCH
 * (not the caller or its child), EACCES (the child has exec'd), EPERM
 * (session leader, other session, or no such group in the session). */
int pgrp_setpgid(pid_t pid, pid_t pgid);
/* getpgid / getsid: pid 0 is the caller; ESRCH. */
pid_t pgrp_getpgid(pid_t pid);
pid_t pgrp_getsid(pid_t pid);
/* setsid: a new session and group led by the caller; EPERM when a group
 * with the caller's pid as id exists. */
pid_t pgrp_setsid(void);

#endif
