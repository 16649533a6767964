/*
 * xv6: enters an xv6 shell in the xv6 environment (its root is
 * /system/xv6-riscv64 under the per-ABI overlay; the global tree is at
 * /scarlet there).  Arguments go to the xv6 shell.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define XV6_SH "/system/xv6-riscv64/sh"

int main(int argc, char **argv)
{
	argv[0] = "sh";
	(void)argc;
	execve(XV6_SH, argv, environ);
	fprintf(stderr, "xv6: %s: %s\n", XV6_SH, strerror(errno));
	return 127;
}
