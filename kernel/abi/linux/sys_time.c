/*
 * Linux clocks and randomness.
 */
#include "abi/linux/linux.h"
#include "core/time.h"
#include "dev/random.h"

#define LINUX_CLOCK_REALTIME  0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_BOOTTIME  7
#define GETRANDOM_MAX         4096

LINUX_SYSCALL(clock_gettime)
{
	LINUX_UNUSED();
	int64_t ns;
	switch (a0) {
	case LINUX_CLOCK_REALTIME:
		ns = time_realtime_ns();
		break;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_BOOTTIME:
		ns = (int64_t)time_monotonic_ns();
		break;
	default:
		return -EINVAL;
	}
	struct linux_timespec ts = {ns / 1000000000, ns % 1000000000};
	return copy_to_user((void *)a1, &ts, sizeof(ts));
}

LINUX_SYSCALL(getrandom)
{
	LINUX_UNUSED();
	uint8_t buf[256];
	size_t n = MIN(a1, (uint64_t)GETRANDOM_MAX), done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(buf));
		random_get_bytes(buf, chunk);
		if (copy_to_user((char *)a0 + done, buf, chunk) < 0)
			return done ? (long)done : -EFAULT;
		done += chunk;
	}
	return (long)done;
}
