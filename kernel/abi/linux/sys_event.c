/*
 * Linux event descriptors: eventfd2, timerfd_create/settime/gettime and
 * signalfd4, over the kernel's objects (obj/eventfd.h, obj/timerfd.h,
 * obj/signalfd.h).  This file adds Linux's flags, clocks and layouts.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "obj/eventfd.h"
#include "obj/handle.h"
#include "obj/signalfd.h"
#include "obj/timerfd.h"
#include "proc/pid_ns.h"
#include "proc/signal.h"
#include "proc/task.h"

#define NSEC_PER_SEC 1000000000ULL

#define LINUX_EFD_SEMAPHORE 1

#define LINUX_CLOCK_REALTIME       0
#define LINUX_CLOCK_MONOTONIC      1
#define LINUX_CLOCK_BOOTTIME       7
#define LINUX_CLOCK_REALTIME_ALARM 8
#define LINUX_CLOCK_BOOTTIME_ALARM 9

#define LINUX_TFD_TIMER_ABSTIME       1
#define LINUX_TFD_TIMER_CANCEL_ON_SET 2

struct linux_itimerspec {
	struct linux_timespec interval;
	struct linux_timespec value;
};

/* Installs a new object at the lowest free descriptor, with
 * close-on-exec when O_CLOEXEC is in flags. */
static long install(struct kobj *o, uint64_t flags)
{
	int fd = handle_install(current()->handles, o, (flags & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

/* ------------------------------------------------------------ eventfd */

LINUX_SYSCALL(eventfd2)
{
	LINUX_UNUSED();
	if (a1 & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | LINUX_EFD_SEMAPHORE))
		return -EINVAL;
	struct kobj *o;
	int r =
	    eventfd_create((uint32_t)a0, a1 & LINUX_EFD_SEMAPHORE, (unsigned)a1 & O_NONBLOCK, &o);
	return r < 0 ? r : install(o, a1);
}

/* ------------------------------------------------------------ timerfd */

LINUX_SYSCALL(timerfd_create)
{
	LINUX_UNUSED();
	enum timerfd_clock clock;
	switch ((int)a0) {
	case LINUX_CLOCK_REALTIME:
		clock = TIMERFD_REALTIME;
		break;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_BOOTTIME: /* there is no suspend: boot time is monotonic */
		clock = TIMERFD_MONOTONIC;
		break;
	case LINUX_CLOCK_REALTIME_ALARM:
	case LINUX_CLOCK_BOOTTIME_ALARM:
		abi_log_missing("linux: pid %d: timerfd on an alarm clock is not implemented\n",
		                current()->pid);
		return -EINVAL;
	default:
		return -EINVAL;
	}
	if (a1 & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct kobj *o;
	int r = timerfd_create(clock, (unsigned)a1 & O_NONBLOCK, &o);
	return r < 0 ? r : install(o, a1);
}

static bool timespec_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NSEC_PER_SEC;
}

static uint64_t timespec_ns(const struct linux_timespec *ts)
{
	uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC - 1;
	if ((uint64_t)ts->tv_sec >= max_sec)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static struct linux_timespec ns_timespec(uint64_t ns)
{
	return (struct linux_timespec){(int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC)};
}

static long put_itimerspec(uint64_t uaddr, const struct timerfd_spec *spec)
{
	struct linux_itimerspec its = {ns_timespec(spec->interval_ns), ns_timespec(spec->value_ns)};
	return copy_to_user((void *)uaddr, &its, sizeof(its)) < 0 ? -EFAULT : 0;
}

/* The timerfd behind fd, referenced: EBADF, or EINVAL for another kind. */
static long timerfd_get_fd(int fd, struct kobj **out)
{
	struct kobj *o = linux_fd_get_io(fd);
	if (!o)
		return -EBADF;
	if (!timerfd_is(o)) {
		kobj_put(o);
		return -EINVAL;
	}
	*out = o;
	return 0;
}

LINUX_SYSCALL(timerfd_settime)
{
	LINUX_UNUSED();
	struct linux_itimerspec its;
	if (copy_from_user(&its, (void *)a2, sizeof(its)) < 0)
		return -EFAULT;
	if ((a1 & ~(uint64_t)(LINUX_TFD_TIMER_ABSTIME | LINUX_TFD_TIMER_CANCEL_ON_SET)) ||
	    !timespec_valid(&its.value) || !timespec_valid(&its.interval))
		return -EINVAL;
	struct kobj *o;
	long r = timerfd_get_fd((int)a0, &o);
	if (r < 0)
		return r;
	struct timerfd_spec set = {timespec_ns(&its.value), timespec_ns(&its.interval)}, old;
	timerfd_set(o, a1 & LINUX_TFD_TIMER_ABSTIME, a1 & LINUX_TFD_TIMER_CANCEL_ON_SET, &set,
	            &old);
	kobj_put(o);
	return a3 ? put_itimerspec(a3, &old) : 0;
}

LINUX_SYSCALL(timerfd_gettime)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = timerfd_get_fd((int)a0, &o);
	if (r < 0)
		return r;
	struct timerfd_spec cur;
	timerfd_get(o, &cur);
	kobj_put(o);
	return put_itimerspec(a1, &cur);
}

/* ------------------------------------------------------------ signalfd */

/* struct signalfd_siginfo (<linux/signalfd.h>): 128 bytes. */
struct linux_signalfd_siginfo {
	uint32_t signo;
	int32_t err;
	int32_t code;
	uint32_t pid;
	uint32_t uid;
	int32_t fd;
	uint32_t tid;
	uint32_t band;
	uint32_t overrun;
	uint32_t trapno;
	int32_t status;
	int32_t sival_int;
	uint64_t sival_ptr;
	uint64_t utime;
	uint64_t stime;
	uint64_t addr;
	uint16_t addr_lsb;
	uint16_t pad2;
	int32_t syscall;
	uint64_t call_addr;
	uint32_t arch;
	uint8_t pad[28];
};
_Static_assert(sizeof(struct linux_signalfd_siginfo) == 128, "signalfd_siginfo layout");

static void encode_siginfo(const struct ksiginfo *info, void *record)
{
	struct linux_signalfd_siginfo *s = record;
	s->signo = (uint32_t)info->signo;
	s->err = info->err;
	s->code = info->code;
	switch (info->kind) {
	case SIK_QUEUE:
		s->sival_int = (int32_t)info->value;
		s->sival_ptr = info->value;
		/* fall through */
	case SIK_KILL: /* a sender outside the reader's pid namespace: 0 */
		s->pid = (uint32_t)(info->kind == SIK_KILL ? pid_vnr(info->pid) : info->pid);
		s->uid = info->uid;
		break;
	case SIK_CHILD:
		s->pid = (uint32_t)pid_vnr(info->pid);
		s->uid = info->uid;
		s->status = info->status;
		break;
	case SIK_FAULT:
		s->addr = info->value;
		break;
	case SIK_TIMER:
		s->tid = (uint32_t)info->pid; /* the timer id */
		s->overrun = (uint32_t)info->status;
		s->sival_int = (int32_t)info->value;
		s->sival_ptr = info->value;
		break;
	}
}

static const struct signalfd_format linux_signalfd_format = {
    .record_size = sizeof(struct linux_signalfd_siginfo),
    .encode = encode_siginfo,
};

LINUX_SYSCALL(signalfd4)
{
	LINUX_UNUSED();
	if (a2 != sizeof(uint64_t) || (a3 & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)))
		return -EINVAL;
	uint64_t set;
	if (copy_from_user(&set, (void *)a1, sizeof(set)) < 0)
		return -EFAULT;
	if ((int)a0 == -1) {
		struct kobj *o;
		int r = signalfd_create(set, (unsigned)a3 & O_NONBLOCK, &linux_signalfd_format, &o);
		return r < 0 ? r : install(o, a3);
	}
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = signalfd_is(o) ? (signalfd_set_mask(o, set), (long)(int)a0) : -EINVAL;
	kobj_put(o);
	return r;
}
