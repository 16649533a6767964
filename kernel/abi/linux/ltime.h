/*
 * Linux clock ids and time layouts shared by the module's time files
 * (sys_time.c: clocks and sleeps; sys_timer.c: interval and POSIX
 * timers; sys_adjtime.c: adjtimex).
 */
#ifndef ABI_LINUX_LTIME_H
#define ABI_LINUX_LTIME_H

#include <stdint.h>

#include "abi/linux/linux.h"
#include "proc/ptimer.h"

#define LINUX_CLOCK_REALTIME           0
#define LINUX_CLOCK_MONOTONIC          1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2
#define LINUX_CLOCK_THREAD_CPUTIME_ID  3
#define LINUX_CLOCK_MONOTONIC_RAW      4
#define LINUX_CLOCK_REALTIME_COARSE    5
#define LINUX_CLOCK_MONOTONIC_COARSE   6
#define LINUX_CLOCK_BOOTTIME           7
#define LINUX_CLOCK_REALTIME_ALARM     8
#define LINUX_CLOCK_BOOTTIME_ALARM     9
#define LINUX_CLOCK_TAI                11
#define LINUX_TIMER_ABSTIME            1

#define NSEC_PER_SEC  1000000000LL
#define NSEC_PER_USEC 1000LL

struct linux_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* A CPU-time clock id (PROCESS/THREAD_CPUTIME_ID, or the negative ids of
 * clock_getcpuclockid and pthread_getcpuclockid: ~pid << 3, 4 for a
 * thread, and 0 PROF, 1 VIRT, 2 SCHED in the low bits).  Returns 1 and
 * fills clk for one, 0 for another clock, -EINVAL for a malformed one. */
int linux_cpu_clock(int32_t id, struct ptimer_clock *clk);
/* Reads a timespec: EFAULT, or EINVAL when it is not a time (negative,
 * nanoseconds out of range); seconds beyond 2^63 ns are cut there. */
int linux_timespec_read(uint64_t uaddr, int64_t *ns);
struct linux_timespec linux_ns_to_timespec(int64_t ns);
/* The TAI - UTC offset adjtimex keeps (ADJ_TAI), seconds. */
int linux_tai_offset(void);

#endif
