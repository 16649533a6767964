#ifndef SCARLET_ABI_LINUX_LNS_H
#define SCARLET_ABI_LINUX_LNS_H
/* Linux clone/unshare flags shared by sys_spawn.c and sys_ns.c. */
#include "core/types.h"

#define LCLONE_NEWTIME   0x00000080UL
#define LCLONE_VM        0x00000100UL
#define LCLONE_FS        0x00000200UL
#define LCLONE_FILES     0x00000400UL
#define LCLONE_SIGHAND   0x00000800UL
#define LCLONE_THREAD    0x00010000UL
#define LCLONE_NEWNS     0x00020000UL
#define LCLONE_SYSVSEM   0x00040000UL
#define LCLONE_NEWCGROUP 0x02000000UL
#define LCLONE_NEWUTS    0x04000000UL
#define LCLONE_NEWIPC    0x08000000UL
#define LCLONE_NEWUSER   0x10000000UL
#define LCLONE_NEWPID    0x20000000UL
#define LCLONE_NEWNET    0x40000000UL

#define LCLONE_NS_MISSING (LCLONE_NEWNET | LCLONE_NEWCGROUP | LCLONE_NEWTIME)
#define LCLONE_NS_ALL                                                                              \
	(LCLONE_NEWNS | LCLONE_NEWUTS | LCLONE_NEWIPC | LCLONE_NEWPID | LCLONE_NS_MISSING)

/* The namespace part of a clone or unshare: -EINVAL for a kind Scarlet
 * does not have (and any CLONE_NEWUSER), -EPERM without root, else 0. */
long linux_ns_flags_check(uint64_t flags);

#endif
