/*
 * timerfd: one-shot and periodic timers, relative and absolute (on the
 * monotonic and the wall clock), the expiration count, gettime, settime's
 * old value, disarming, blocking and non-blocking reads, poll and epoll,
 * flags and errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define MS 1000000L

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / MS;
}

static struct itimerspec spec(long value_ms, long interval_ms)
{
	struct itimerspec its = {
	    .it_interval = {interval_ms / 1000, interval_ms % 1000 * MS},
	    .it_value = {value_ms / 1000, value_ms % 1000 * MS},
	};
	return its;
}

static void test_one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK(fd >= 0);
	struct itimerspec cur;
	CHECK_EQ(timerfd_gettime(fd, &cur), 0);
	CHECK_EQ(cur.it_value.tv_sec | cur.it_value.tv_nsec, 0);
	struct itimerspec its = spec(80, 0);
	long t0 = now_ms();
	CHECK_EQ(timerfd_settime(fd, 0, &its, NULL), 0);
	CHECK_EQ(timerfd_gettime(fd, &cur), 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 80 * MS);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 0), 0);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, sizeof(n)), 8); /* blocks until it expires */
	long dt = now_ms() - t0;
	CHECK_EQ(n, 1);
	CHECK(dt >= 75 && dt < 3000);
	/* expired and read: disarmed, nothing more to read */
	CHECK_EQ(timerfd_gettime(fd, &cur), 0);
	CHECK_EQ(cur.it_value.tv_sec | cur.it_value.tv_nsec, 0);
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	char small[4];
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	close(fd);
}

static void test_periodic_and_count(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	struct itimerspec its = spec(20, 20);
	CHECK_EQ(timerfd_settime(fd, 0, &its, NULL), 0);
	usleep(110000);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 4 && n <= 8);
	/* poll wakes at the next period */
	struct pollfd p = {.fd = fd, .events = POLLIN};
	long t0 = now_ms();
	CHECK_EQ(poll(&p, 1, 2000), 1);
	CHECK(now_ms() - t0 < 1000);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	struct itimerspec old;
	its = spec(0, 0);
	CHECK_EQ(timerfd_settime(fd, 0, &its, &old), 0);
	CHECK_EQ(old.it_interval.tv_nsec, 20 * MS);
	CHECK(old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 20 * MS);
	usleep(50000);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN); /* disarmed */
	close(fd);
}

static void test_absolute(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* a time already past expires at once */
	struct itimerspec its = {.it_value = now};
	CHECK_EQ(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL), 0);
	uint64_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 1000), 1);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	close(fd);

	/* the wall clock, 60 ms ahead */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	CHECK(fd >= 0);
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 60 * MS;
	if (its.it_value.tv_nsec >= 1000 * MS) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000 * MS;
	}
	long t0 = now_ms();
	CHECK_EQ(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL), 0);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	long dt = now_ms() - t0;
	CHECK(dt >= 50 && dt < 3000);
	close(fd);

	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	CHECK(fd >= 0);
	close(fd);
}

/* Resetting drops expirations not yet read. */
static void test_reset_drops_count(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec its = spec(10, 0);
	CHECK_EQ(timerfd_settime(fd, 0, &its, NULL), 0);
	usleep(40000);
	its = spec(10000, 0);
	CHECK_EQ(timerfd_settime(fd, 0, &its, NULL), 0);
	uint64_t n;
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	close(fd);
}

static void test_epoll(void)
{
	int ep = epoll_create1(0);
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 77};
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	struct itimerspec its = spec(30, 30);
	CHECK_EQ(timerfd_settime(fd, 0, &its, NULL), 0);
	/* One edge until the count is read (Linux restarts the timer only
	 * on a read), then the next expiry is a new one. */
	struct epoll_event out = {0};
	CHECK_EQ(epoll_wait(ep, &out, 1, 2000), 1);
	CHECK_EQ(out.data.u64, 77);
	CHECK_EQ(epoll_wait(ep, &out, 1, 100), 0);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 3);
	CHECK_EQ(epoll_wait(ep, &out, 1, 2000), 1);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	close(fd);
	close(ep);
}

static void test_errors(void)
{
	CHECK_ERR(timerfd_create(12345, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, O_APPEND), EINVAL);
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = spec(10, 0), cur;
	CHECK_ERR(timerfd_settime(fd, 0x100, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 1000 * MS;
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = -1;
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = spec(10, 0);
	CHECK_ERR(timerfd_settime(fd, 0, NULL, NULL), EFAULT);
	CHECK_ERR(timerfd_settime(999, 0, &its, NULL), EBADF);
	CHECK_ERR(timerfd_settime(0, 0, &its, NULL), EINVAL); /* not a timerfd */
	CHECK_ERR(timerfd_gettime(fd, (void *)8), EFAULT);
	CHECK_ERR(timerfd_gettime(999, &cur), EBADF);
	char c = 1;
	CHECK_ERR(write(fd, &c, 1), EINVAL);
	close(fd);
}

int main(void)
{
	test_one_shot();
	test_periodic_and_count();
	test_absolute();
	test_reset_drops_count();
	test_epoll();
	test_errors();
	return ltest_done("timerfd");
}
