/*
 * xv6 time: pause(n) (sleep in older xv6) waits n clock ticks, uptime()
 * counts ticks since boot.  xv6's tick is 1/10 s (1,000,000 cycles of
 * QEMU's 10 MHz timebase); ticks are derived from the monotonic clock.
 */
#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "core/time.h"
#include "proc/wait.h"

XV6_SYSCALL(pause)
{
	(void)a1, (void)a2;
	int n = (int)a0;
	if (n <= 0)
		return 0;
	uint64_t deadline = (xv6_ticks(time_monotonic_ns()) + (uint64_t)n) * XV6_TICK_NS;
	struct waitqueue wq;
	wq_init(&wq, "xv6 pause");
	while (time_monotonic_ns() < deadline) {
		if (wq_sleep_until(&wq, NULL, deadline) == -EINTR)
			return -EINTR; /* killed */
	}
	return 0;
}

XV6_SYSCALL(uptime)
{
	(void)a0, (void)a1, (void)a2;
	return (long)xv6_ticks(time_monotonic_ns());
}
