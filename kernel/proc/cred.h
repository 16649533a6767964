/*
 * Credentials: the user and group ids a task acts with.  POSIX's real,
 * effective and saved ids, Linux's filesystem ids (what permission checks
 * use; they follow the effective ids unless set on their own) and the
 * supplementary groups.
 *
 * Each task holds its own copy (struct task.cred): copied at fork and
 * clone, kept across exec except for set-user-ID/set-group-ID programs.
 * Threads do not share it: glibc itself applies set*id to every thread.
 * Only the task itself writes its credentials; others read them (kill,
 * /proc) without a lock, one 32-bit field at a time.
 *
 * There are no capabilities: a task whose effective uid is 0 may change
 * ids, groups and signal anyone; one whose fsuid is 0 passes file
 * permission checks (Linux moves its filesystem capabilities with the
 * fsuid the same way).  An all-zero struct is root with no groups, so
 * kernel threads and native tasks start as root.
 */
#ifndef PROC_CRED_H
#define PROC_CRED_H

#include "core/types.h"

/* Linux allows 65536 supplementary groups; we keep a small table. */
#define CRED_NGROUPS_MAX 32
/* "Leave unchanged" for the set*id calls ((uid_t)-1). */
#define CRED_KEEP 0xffffffffu

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	int ngroups;
	uint32_t groups[CRED_NGROUPS_MAX];
};

struct task;
struct vattr;

/* The credentials of the running task (root for kernel threads). */
const struct cred *cred_current(void);
/* The running task's own copy, to change (NULL for kernel threads). */
struct cred *cred_current_mut(void);

/* May change ids and groups, signal anyone (effective uid 0). */
bool cred_is_admin(const struct cred *c);
/* Passes file permission checks (fsuid 0). */
bool cred_is_fs_admin(const struct cred *c);
/* gid is the fsgid or one of the supplementary groups. */
bool cred_in_group(const struct cred *c, uint32_t gid);

/* access(2) checks with the real ids: cred_override_real puts them in
 * place of the running task's fs ids (saving those) for the time of the
 * check, cred_override_end puts the saved ones back. */
struct cred_fs_ids {
	uint32_t fsuid, fsgid;
};
void cred_override_real(struct cred_fs_ids *saved);
void cred_override_end(const struct cred_fs_ids *saved);

/* set*uid/set*gid with POSIX's and Linux's rules for unprivileged
 * callers; CRED_KEEP leaves an id as it is.  EPERM when not allowed
 * (nothing is changed then), EINVAL for an id of CRED_KEEP where an id
 * is required. */
int cred_setuid(struct cred *c, uint32_t uid);
int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid);
int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid, uint32_t suid);
int cred_setgid(struct cred *c, uint32_t gid);
int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid);
int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid, uint32_t sgid);
/* Returns the old fsuid/fsgid whether or not the change was allowed. */
uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid);
uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid);
/* EINVAL beyond CRED_NGROUPS_MAX, EPERM unless admin. */
int cred_setgroups(struct cred *c, const uint32_t *groups, int n);

/* The credentials a program runs with after exec: the saved ids take the
 * effective ones, and a set-user-ID (set-group-ID) regular file makes its
 * owner (group) the effective id, unless nosuid.  Returns true when the
 * program must be treated as secure (AT_SECURE): its effective ids differ
 * from the real ones. */
bool cred_exec(struct cred *c, const struct vattr *file, bool nosuid);

/* kill(2)'s rule: sender is admin, or its real or effective uid is the
 * target's real or saved uid; SIGCONT also within the same session. */
bool cred_may_signal(struct task *sender, struct task *target, int sig);

#endif
