/*
 * Native system call dispatch.
 */
#include "abi/native/native.h"

#include <scarlet/syscall.h>

#include "abi/abi.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

#define X(name) SYSCALL_DEFINE(name);
#include "abi/native/syscalls.def"
#undef X

static const native_syscall_fn table[SYS_COUNT] = {
#define X(name) [SYS_##name] = sys_##name,
#include "abi/native/syscalls.def"
#undef X
};

static const char *const names[SYS_COUNT] = {
#define X(name) [SYS_##name] = #name,
#include "abi/native/syscalls.def"
#undef X
};

void native_syscall(struct trapframe *tf)
{
	uint64_t nr = tf_syscall_nr(tf);
	long r;
	if (nr < SYS_COUNT && table[nr]) {
		r = table[nr](tf_a(tf, 0), tf_a(tf, 1), tf_a(tf, 2), tf_a(tf, 3), tf_a(tf, 4),
		              tf_a(tf, 5));
	} else {
		abi_log_enosys("scarlet", nr, nr < SYS_COUNT ? names[nr] : NULL);
		r = -ENOSYS;
	}
	tf_a(tf, 0) = (uint64_t)r;
}

long native_get_path(uint64_t upath, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long n = strncpy_from_user(buf, (const char *)upath, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return n;
	}
	if (n == 0) {
		kfree(buf);
		return -ENOENT;
	}
	*out = buf;
	return 0;
}
