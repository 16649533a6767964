/*
 * Core dumps, as Linux writes them: when a signal whose default action
 * dumps core (SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
 * SIGXCPU, SIGXFSZ, SIGSYS) ends a process that is dumpable and whose
 * soft RLIMIT_CORE allows at least a page, an ELF core file (ET_CORE,
 * RISC-V: NT_PRSTATUS with the registers, NT_PRPSINFO, a PT_LOAD per
 * mapping with the readable ones' contents) named "core" is written in
 * the process's working directory, replacing one there; a core larger
 * than RLIMIT_CORE is cut there.  The wait status then has WCOREDUMP
 * (0x80) and waitid's code is CLD_DUMPED.  There is no core_pattern or
 * core_uses_pid setting yet.
 */
#ifndef EXEC_COREDUMP_H
#define EXEC_COREDUMP_H

#include <stdbool.h>

struct task;

/* sig's default action dumps core. */
bool coredump_signal(int sig);
/* Writes the current task's core for sig; true when a whole core was
 * written.  May sleep; the task holds no lock. */
bool coredump_write(int sig);

#endif
