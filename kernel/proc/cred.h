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
 * Capabilities are Linux's: effective, permitted and inheritable sets
 * (numbering as Linux, 0..CAP_LAST_CAP).  Privileged checks ask for one
 * capability in the effective set (cred_capable).  The sets follow the
 * ids as on Linux (a uid change away from 0 empties them unless keepcaps
 * is set, an effective uid leaving 0 empties the effective set, coming
 * back to 0 restores it from the permitted set, the fsuid moves the
 * filesystem capabilities; exec gives root all of them and others none,
 * since no file carries capabilities), and capset changes them within
 * Linux's rules.  The effective and permitted sets are kept as what is
 * missing from them, so an all-zero struct is root with every capability
 * and no groups: kernel threads and native tasks start as root.
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
	uint64_t cap_eff_off;  /* capabilities missing from the effective set */
	uint64_t cap_perm_off; /* ... from the permitted set */
	uint64_t cap_inh;      /* the inheritable set */
	bool keepcaps;         /* a uid change away from 0 keeps the permitted set */
};

/* Capabilities (Linux's numbers) that checks here ask for. */
#define CAP_CHOWN           0
#define CAP_DAC_OVERRIDE    1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER          3
#define CAP_FSETID          4
#define CAP_KILL            5
#define CAP_SETGID          6
#define CAP_SETUID          7
#define CAP_SETPCAP         8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_NET_ADMIN       12
#define CAP_IPC_LOCK        14
#define CAP_IPC_OWNER       15
#define CAP_SYS_CHROOT      18
#define CAP_SYS_PTRACE      19
#define CAP_SYS_ADMIN       21
#define CAP_SYS_NICE        23
#define CAP_SYS_RESOURCE    24
#define CAP_SYS_TIME        25
#define CAP_MKNOD           27
#define CAP_MAC_OVERRIDE    32
#define CAP_LAST_CAP        40 /* CAP_CHECKPOINT_RESTORE, as Linux 6.1 */
#define CAP_ALL             ((2ULL << CAP_LAST_CAP) - 1)

struct task;
struct vattr;

/* The credentials of the running task (root for kernel threads). */
const struct cred *cred_current(void);
/* The running task's own copy, to change (NULL for kernel threads). */
struct cred *cred_current_mut(void);

/* cap is in c's effective set. */
bool cred_capable(const struct cred *c, int cap);
/* The three sets of c. */
void cred_caps(const struct cred *c, uint64_t *eff, uint64_t *perm, uint64_t *inh);
/* capset: EPERM unless perm is within the permitted set, eff within perm
 * and inh within the inheritable and permitted sets (or, with
 * CAP_SETPCAP, any inheritable set).  Bits beyond CAP_LAST_CAP are
 * dropped. */
int cred_capset(struct cred *c, uint64_t eff, uint64_t perm, uint64_t inh);
/* gid is the fsgid or one of the supplementary groups. */
bool cred_in_group(const struct cred *c, uint32_t gid);

/* access(2) checks with the real ids: cred_override_real puts them in
 * place of the running task's fs ids (saving those) for the time of the
 * check, cred_override_end puts the saved ones back. */
struct cred_fs_ids {
	uint32_t fsuid, fsgid;
	uint64_t cap_eff_off; /* the real ids' capabilities, as Linux's access() */
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
