/*
 * Linux descriptor waiting: ppoll and pselect6 (riscv64 has no poll or
 * select; glibc builds both on these).  Both scan the descriptors with
 * kobj_poll, registering on the first scan, then sleep on a poll waiter
 * (obj/poll.h) until a registered queue wakes, the timeout passes or a
 * signal comes, and scan again.
 */
#include "abi/linux/linux.h"
#include "abi/linux/lpoll.h"
#include "arch/riscv64/timer.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "obj/poll.h"
#include "proc/signal.h"
#include "proc/task.h"

#define NSEC_PER_SEC 1000000000ULL
/* RLIMIT_NOFILE as prlimit64 reports it: one descriptor per handle. */
#define POLL_NFDS_MAX HANDLE_MAX

/* The three select sets and what makes a descriptor count in each. */
#define SELECT_IN  (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX  (POLLPRI)

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

static uint64_t deadline_after(uint64_t sec, uint64_t nsec)
{
	uint64_t now = timer_now_ns();
	uint64_t max_sec = (UINT64_MAX - now) / NSEC_PER_SEC - 1;
	if (sec >= max_sec)
		return UINT64_MAX;
	return now + sec * NSEC_PER_SEC + nsec;
}

void poll_timeout_ms(int ms, struct poll_timeout *t)
{
	*t = (struct poll_timeout){.forever = ms < 0, .zero = ms == 0};
	if (ms > 0)
		t->deadline = deadline_after((uint64_t)ms / 1000, (uint64_t)ms % 1000 * 1000000);
}

long poll_read_timeout(uint64_t uts, struct poll_timeout *t)
{
	*t = (struct poll_timeout){.forever = uts == 0};
	if (!uts)
		return 0;
	struct linux_timespec ts;
	if (copy_from_user(&ts, (void *)uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec == 0 && ts.tv_nsec == 0) {
		t->zero = true;
		return 0;
	}
	t->deadline = deadline_after((uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec);
	return 0;
}

/* Linux writes the time left back into the caller's timespec.  A
 * read-only timespec is not an error once the wait is over. */
static void write_time_left(uint64_t uts, const struct poll_timeout *t)
{
	if (!uts || t->forever || t->zero)
		return;
	uint64_t now = timer_now_ns();
	uint64_t left = t->deadline > now ? t->deadline - now : 0;
	struct linux_timespec ts = {(int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC)};
	(void)copy_to_user((void *)uts, &ts, sizeof(ts));
}

long poll_sigmask_begin(uint64_t umask, uint64_t size)
{
	if (!umask)
		return 0;
	if (size != sizeof(uint64_t))
		return -EINVAL;
	uint64_t mask;
	if (copy_from_user(&mask, (void *)umask, sizeof(mask)) < 0)
		return -EFAULT;
	signal_mask_temporary(mask);
	return 1;
}

/* An interrupted wait keeps the mask until the signal's handler has its
 * frame, so a signal unblocked only for the wait is the one delivered. */
long poll_sigmask_end(long masked, long r)
{
	if (masked)
		signal_mask_temporary_end(r == -EINTR);
	return r;
}

/* One wait: scan(ctx, table) returns how many descriptors are ready (or
 * -errno); it registers while the waiter is registering. */
typedef long (*poll_scan_fn)(void *ctx, struct poll_table *pt);

static long wait_ready(poll_scan_fn scan, void *ctx, const struct poll_timeout *t)
{
	struct poll_waiter w;
	poll_waiter_init(&w);
	struct poll_table *pt = t->zero ? NULL : poll_waiter_table(&w);
	bool timed_out = false;
	long r;
	for (;;) {
		r = scan(ctx, pt);
		poll_waiter_registered(&w);
		pt = NULL;
		if (r == 0 && w.error)
			r = w.error;
		if (r == 0 && signal_pending(current()))
			r = -EINTR;
		if (r != 0 || timed_out || t->zero)
			break;
		if (poll_waiter_sleep(&w, t->forever ? 0 : t->deadline) == -ETIMEDOUT)
			timed_out = true;
	}
	poll_waiter_destroy(&w);
	return r;
}

/* ------------------------------------------------------------ ppoll */

struct ppoll_ctx {
	struct linux_pollfd *fds;
	unsigned nfds;
};

static long ppoll_scan(void *arg, struct poll_table *pt)
{
	struct ppoll_ctx *c = arg;
	long ready = 0;
	for (unsigned i = 0; i < c->nfds; i++) {
		struct linux_pollfd *p = &c->fds[i];
		unsigned mask = 0;
		if (p->fd >= 0) {
			struct kobj *o = linux_fd_get(p->fd);
			if (o) {
				unsigned want = (uint16_t)p->events | POLL_ALWAYS_REPORTED;
				mask = kobj_poll(o, pt) & want;
				kobj_put(o);
			} else {
				mask = POLLNVAL;
			}
		}
		p->revents = (int16_t)mask;
		if (mask)
			ready++;
	}
	return ready;
}

static long do_ppoll(uint64_t a0, uint64_t a1, uint64_t a2, struct poll_timeout t)
{
	long r;
	struct ppoll_ctx c = {.nfds = (uint32_t)a1};
	size_t size = c.nfds * sizeof(struct linux_pollfd);
	c.fds = kmalloc(size ? size : 1);
	if (!c.fds)
		return -ENOMEM;
	if (copy_from_user(c.fds, (void *)a0, size) < 0) {
		kfree(c.fds);
		return -EFAULT;
	}
	r = wait_ready(ppoll_scan, &c, &t);
	if (r >= 0 && copy_to_user((void *)a0, c.fds, size) < 0)
		r = -EFAULT;
	kfree(c.fds);
	write_time_left(a2, &t);
	return r;
}

LINUX_SYSCALL(ppoll)
{
	LINUX_UNUSED();
	if ((uint32_t)a1 > POLL_NFDS_MAX)
		return -EINVAL;
	struct poll_timeout t;
	long r = poll_read_timeout(a2, &t);
	if (r < 0)
		return r;
	long masked = poll_sigmask_begin(a3, a4);
	if (masked < 0)
		return masked;
	return poll_sigmask_end(masked, do_ppoll(a0, a1, a2, t));
}

/* ------------------------------------------------------------ pselect6 */

#define SET_WORDS (POLL_NFDS_MAX / 64)

struct select_ctx {
	int nfds;
	uint64_t in[SET_WORDS], out[SET_WORDS], ex[SET_WORDS];
	uint64_t res_in[SET_WORDS], res_out[SET_WORDS], res_ex[SET_WORDS];
};

static bool fd_isset(const uint64_t *set, int fd)
{
	return set[fd / 64] & (1ULL << (fd % 64));
}

static void fd_set_bit(uint64_t *set, int fd)
{
	set[fd / 64] |= 1ULL << (fd % 64);
}

static long select_scan(void *arg, struct poll_table *pt)
{
	struct select_ctx *c = arg;
	long ready = 0;
	for (int fd = 0; fd < c->nfds; fd++) {
		bool in = fd_isset(c->in, fd), out = fd_isset(c->out, fd), ex = fd_isset(c->ex, fd);
		if (!in && !out && !ex)
			continue;
		struct kobj *o = linux_fd_get(fd);
		if (!o)
			return -EBADF;
		unsigned mask = kobj_poll(o, pt);
		kobj_put(o);
		if (in && (mask & SELECT_IN)) {
			fd_set_bit(c->res_in, fd);
			ready++;
		}
		if (out && (mask & SELECT_OUT)) {
			fd_set_bit(c->res_out, fd);
			ready++;
		}
		if (ex && (mask & SELECT_EX)) {
			fd_set_bit(c->res_ex, fd);
			ready++;
		}
	}
	return ready;
}

/* Copies nbytes of a user fd_set in (a NULL set is empty). */
static long get_set(uint64_t *set, uint64_t uset, size_t nbytes)
{
	memset(set, 0, SET_WORDS * sizeof(uint64_t));
	if (!uset)
		return 0;
	return copy_from_user(set, (void *)uset, nbytes) < 0 ? -EFAULT : 0;
}

static long put_set(uint64_t uset, const uint64_t *set, size_t nbytes)
{
	if (!uset)
		return 0;
	return copy_to_user((void *)uset, set, nbytes) < 0 ? -EFAULT : 0;
}

/* The sixth argument: {const sigset_t *ss; size_t ss_len} or NULL. */
static long pselect_sigmask_begin(uint64_t uarg)
{
	if (!uarg)
		return 0;
	uint64_t arg[2];
	if (copy_from_user(arg, (void *)uarg, sizeof(arg)) < 0)
		return -EFAULT;
	return poll_sigmask_begin(arg[0], arg[1]);
}

static long do_pselect(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                       struct poll_timeout t)
{
	long r;
	struct select_ctx *c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* Like Linux, descriptors past the table's end are not looked at. */
	c->nfds = MIN((int)a0, POLL_NFDS_MAX);
	size_t nbytes = (size_t)(c->nfds + 63) / 64 * 8;
	r = get_set(c->in, a1, nbytes);
	if (r == 0)
		r = get_set(c->out, a2, nbytes);
	if (r == 0)
		r = get_set(c->ex, a3, nbytes);
	if (r == 0)
		r = wait_ready(select_scan, c, &t);
	if (r >= 0 && (put_set(a1, c->res_in, nbytes) || put_set(a2, c->res_out, nbytes) ||
	               put_set(a3, c->res_ex, nbytes)))
		r = -EFAULT;
	kfree(c);
	if (r != -EFAULT && r != -EBADF)
		write_time_left(a4, &t);
	return r;
}

LINUX_SYSCALL(pselect6)
{
	LINUX_UNUSED();
	if ((int)a0 < 0)
		return -EINVAL;
	struct poll_timeout t;
	long r = poll_read_timeout(a4, &t);
	if (r < 0)
		return r;
	long masked = pselect_sigmask_begin(a5);
	if (masked < 0)
		return masked;
	return poll_sigmask_end(masked, do_pselect(a0, a1, a2, a3, a4, t));
}
