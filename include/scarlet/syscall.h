/*
 * Scarlet native system call numbers.
 *
 * Calling convention (riscv64): number in a7, arguments in a0..a5,
 * `ecall`; the result comes back in a0: >= 0 on success, -ERRNO on
 * failure.  Descriptor arguments are handles: indexes into the calling
 * task's handle table.  docs/native-syscalls.md documents each call.
 */
#ifndef SCARLET_SYSCALL_H
#define SCARLET_SYSCALL_H

#define SYS_exit      0  /* (int status) -> does not return */
#define SYS_fork      1  /* () -> child pid in parent, 0 in child */
#define SYS_exec      2  /* (path, argv, envp) -> only returns -ERRNO */
#define SYS_wait      3  /* (pid, int *status, options) -> pid */
#define SYS_getpid    4  /* () -> pid */
#define SYS_getppid   5  /* () -> parent pid */
#define SYS_kill      6  /* (pid, sig): pid < 0 signals group -pid */
#define SYS_nanosleep 7  /* (uint64 ns) -> 0 or -EINTR */
#define SYS_clock     8  /* (clock id, uint64 *ns) -> 0 */
#define SYS_brk       9  /* (addr) -> new break (addr 0 queries) */
#define SYS_open      10 /* (path, flags, mode) -> handle */
#define SYS_close     11 /* (h) */
#define SYS_read      12 /* (h, buf, n) -> bytes read, 0 at EOF */
#define SYS_write     13 /* (h, buf, n) -> bytes written */
#define SYS_seek      14 /* (h, off, whence) -> new offset */
#define SYS_stat      15 /* (path, struct sc_stat *) follows symlinks */
#define SYS_lstat     16 /* (path, struct sc_stat *) */
#define SYS_fstat     17 /* (h, struct sc_stat *) */
#define SYS_readdir   18 /* (h, buf, n) -> bytes of struct sc_dirent */
#define SYS_mkdir     19 /* (path, mode) */
#define SYS_unlink    20 /* (path) non-directories */
#define SYS_rmdir     21 /* (path) empty directories */
#define SYS_rename    22 /* (old, new) */
#define SYS_link      23 /* (old, new) hard link */
#define SYS_symlink   24 /* (target, linkpath) */
#define SYS_readlink  25 /* (path, buf, n) -> length, not terminated */
#define SYS_chdir     26 /* (path) */
#define SYS_getcwd    27 /* (buf, n) -> length including the NUL */
#define SYS_dup       28 /* (h) -> lowest free handle */
#define SYS_dup2      29 /* (h, newh) -> newh */
#define SYS_pipe      30 /* (int h[2]) read end, write end */
#define SYS_hctl      31 /* (h, cmd, arg) handle flags: HCTL_* */
#define SYS_ioctl     32 /* (h, cmd, arg) device control: TTY_* */
#define SYS_setpgid   33 /* (pid, pgid) 0 means self */
#define SYS_getpgid   34 /* (pid) */
#define SYS_signal    35 /* (sig, SIG_DFL or SIG_IGN) -> previous */
#define SYS_mount     36 /* (source, target, fstype, flags, data) */
#define SYS_umount    37 /* (target) */
#define SYS_sync      38 /* () */
#define SYS_poweroff  39 /* (exit code) syncs then stops the machine */
#define SYS_uname     40 /* (struct sc_utsname *) */
#define SYS_meminfo   41 /* (struct sc_meminfo *) */
#define SYS_procinfo  42 /* (struct sc_procinfo *buf, max) -> count */
#define SYS_yield     43 /* () */
#define SYS_ftruncate 44 /* (h, length) */
#define SYS_mmap      45 /* (addr, len, prot, flags, h, off) -> addr */
#define SYS_munmap    46 /* (addr, len) */
#define SYS_mounts    47 /* (buf, n) -> "src target fstype rw|ro\n"... */
#define SYS_setsid    48 /* () -> new session/group id */
#define SYS_clone     49 /* (flags, stack, tls) -> child pid; CLONE_* in abi.h */
#define SYS_unshare   50 /* (flags) UNSHARE_NS: private mount namespace */
#define SYS_chroot    51 /* (path) */
#define SYS_exec_abi  52 /* (abi name, path, argv, envp): exec under that ABI */
#define SYS_abi_probe 53 /* (path, buf, n): name of the ABI exec would pick */
#define SYS_chmod     54 /* (path, mode) permission bits */
#define SYS_COUNT     55

#endif
