/*
 * Limits of the xv6 ABI that programs can observe.
 */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

#define NPROC   64  /* processes in the whole system */
#define NOFILE  16  /* open files per process */
#define MAXARG  32  /* exec arguments, the terminating 0 included */
#define MAXPATH 128 /* longest path, the terminating 0 included */
#define CONSOLE 1   /* major device number of the console */

#endif
