/*
 * C start of native programs, called by crt0's _start: records the
 * environment, runs main and exits with its result.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);
void __libc_start(int argc, char **argv, char **envp) __attribute__((noreturn));

char **environ;

void __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	exit(main(argc, argv, envp));
}
