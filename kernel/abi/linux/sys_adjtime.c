/*
 * adjtimex and clock_adjtime: Linux's NTP interface to the wall clock.
 *
 * Anyone may read the state (modes 0, or ADJ_OFFSET_SS_READ); changes
 * need root (CAP_SYS_TIME), with Linux's checks and in its order.  What
 * is done: ADJ_SETOFFSET steps the clock (proc/wallclock.h); the
 * bookkeeping NTP daemons keep in the kernel is stored and given back
 * (status bits, maximum and estimated error, time constant, TAI offset,
 * micro/nanosecond units); the maximum error grows by 500 us a second as
 * on Linux, and reaching 16 s sets STA_UNSYNC.  What is not: the clock is
 * never slewed, so a frequency, a PLL offset, an adjtime() offset or a
 * tick length other than what the clock does now, and leap seconds
 * (STA_INS, STA_DEL), fail with EOPNOTSUPP and a log line; asking for
 * what is already so (a zero frequency or offset) succeeds.
 */
#include "abi/linux/ltime.h"
#include "core/time.h"
#include "proc/cred.h"
#include "proc/task.h"
#include "proc/wallclock.h"

#define ADJ_OFFSET          0x0001
#define ADJ_FREQUENCY       0x0002
#define ADJ_MAXERROR        0x0004
#define ADJ_ESTERROR        0x0008
#define ADJ_STATUS          0x0010
#define ADJ_TIMECONST       0x0020
#define ADJ_TAI             0x0080
#define ADJ_SETOFFSET       0x0100
#define ADJ_MICRO           0x1000
#define ADJ_NANO            0x2000
#define ADJ_TICK            0x4000
#define ADJ_ADJTIME         0x8000 /* with ADJ_OFFSET: ADJ_OFFSET_SINGLESHOT */
#define ADJ_OFFSET_READONLY 0x2000 /* with ADJ_ADJTIME: ADJ_OFFSET_SS_READ */

#define STA_PLL       0x0001
#define STA_PPSFREQ   0x0002
#define STA_PPSTIME   0x0004
#define STA_INS       0x0010
#define STA_DEL       0x0020
#define STA_UNSYNC    0x0040
#define STA_PPSSIGNAL 0x0100
#define STA_PPSJITTER 0x0200
#define STA_PPSWANDER 0x0400
#define STA_PPSERROR  0x0800
#define STA_CLOCKERR  0x1000
#define STA_NANO      0x2000
#define STA_RONLY     0xff00 /* bits only the kernel sets */

#define TIME_OK    0
#define TIME_ERROR 5

#define NTP_PHASE_LIMIT 16000000 /* us: the largest error, then unsynchronized */
#define MAXERROR_GROWTH 500      /* us per second */
#define MAXTC           10
#define MAX_TAI_OFFSET  100000
#define TICK_USEC       10000    /* 1/USER_HZ s */
#define TOLERANCE       32768000 /* 500 ppm, scaled by 2^16 */

struct linux_timex {
	uint32_t modes;
	int32_t pad0;
	int64_t offset, freq, maxerror, esterror;
	int32_t status;
	int32_t pad1;
	int64_t constant, precision, tolerance;
	struct linux_timeval time;
	int64_t tick, ppsfreq, jitter;
	int32_t shift;
	int32_t pad2;
	int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai;
	int32_t pad3[11];
};
_Static_assert(sizeof(struct linux_timex) == 208, "struct timex");

static struct spinlock ntp_lock = SPINLOCK_INIT("ntp");
static struct {
	int status;
	int64_t maxerror; /* as of maxerror_at (monotonic ns) */
	uint64_t maxerror_at;
	int64_t esterror;
	int64_t constant;
	int tai;
} ntp = {STA_UNSYNC, NTP_PHASE_LIMIT, 0, NTP_PHASE_LIMIT, 2, 0};

int linux_tai_offset(void)
{
	return __atomic_load_n(&ntp.tai, __ATOMIC_RELAXED);
}

/* The maximum error now; past the limit the clock is unsynchronized.
 * ntp_lock held. */
static int64_t maxerror_now(void)
{
	uint64_t secs = (time_monotonic_ns() - ntp.maxerror_at) / NSEC_PER_SEC;
	int64_t e = ntp.maxerror + (int64_t)MIN(secs, (uint64_t)NTP_PHASE_LIMIT) * MAXERROR_GROWTH;
	if (e >= NTP_PHASE_LIMIT) {
		e = NTP_PHASE_LIMIT;
		ntp.status |= STA_UNSYNC;
	}
	return e;
}

static bool is_error_status(int s)
{
	return (s & (STA_UNSYNC | STA_CLOCKERR)) ||
	       ((s & (STA_PPSFREQ | STA_PPSTIME)) && !(s & STA_PPSSIGNAL)) ||
	       ((s & (STA_PPSTIME | STA_PPSJITTER)) == (STA_PPSTIME | STA_PPSJITTER)) ||
	       ((s & STA_PPSFREQ) && (s & (STA_PPSWANDER | STA_PPSERROR)));
}

/* Linux's timekeeping_validate_timex. */
static int validate(const struct linux_timex *tx)
{
	bool admin = cred_capable(cred_current(), CAP_SYS_TIME);
	if (tx->modes & ADJ_ADJTIME) {
		if (!(tx->modes & ADJ_OFFSET))
			return -EINVAL; /* singleshot goes alone */
		if (!(tx->modes & ADJ_OFFSET_READONLY) && !admin)
			return -EPERM;
	} else {
		if (tx->modes && !admin)
			return -EPERM;
		if ((tx->modes & ADJ_TICK) && (tx->tick < 900000 / 100 || tx->tick > 1100000 / 100))
			return -EINVAL;
	}
	if (tx->modes & ADJ_SETOFFSET) {
		if (!admin)
			return -EPERM;
		int64_t max = (tx->modes & ADJ_NANO) ? NSEC_PER_SEC : 1000000;
		if (tx->time.tv_usec < 0 || tx->time.tv_usec >= max)
			return -EINVAL;
	}
	if ((tx->modes & ADJ_FREQUENCY) &&
	    (tx->freq > INT64_MAX / 1000 || tx->freq < INT64_MIN / 1000))
		return -EINVAL;
	return 0;
}

/* What would slew the clock or insert a leap second: EOPNOTSUPP, logged. */
static int unsupported(const struct linux_timex *tx)
{
	const char *what = NULL;
	if ((tx->modes & ADJ_ADJTIME) && !(tx->modes & ADJ_OFFSET_READONLY) && tx->offset)
		what = "an adjtime() offset (slewing)";
	else if (tx->modes & ADJ_ADJTIME)
		return 0;
	else if ((tx->modes & ADJ_OFFSET) && tx->offset)
		what = "a PLL offset (slewing)";
	else if ((tx->modes & ADJ_FREQUENCY) && tx->freq)
		what = "a frequency offset";
	else if ((tx->modes & ADJ_TICK) && tx->tick != TICK_USEC)
		what = "a tick length";
	else if ((tx->modes & ADJ_STATUS) && (tx->status & (STA_INS | STA_DEL)))
		what = "a leap second";
	if (!what)
		return 0;
	abi_log_missing("linux: pid %d: adjtimex: %s is not supported\n", current()->pid, what);
	return -ENOTSUP;
}

/* Steps the clock by ADJ_SETOFFSET's time; EINVAL past what it can hold. */
static int set_offset(const struct linux_timex *tx)
{
	int64_t unit = (tx->modes & ADJ_NANO) ? 1 : NSEC_PER_USEC;
	if (tx->time.tv_sec > INT64_MAX / NSEC_PER_SEC / 2 ||
	    tx->time.tv_sec < -(INT64_MAX / NSEC_PER_SEC / 2))
		return -EINVAL;
	int64_t delta = tx->time.tv_sec * NSEC_PER_SEC + tx->time.tv_usec * unit;
	int64_t to = time_realtime_ns() + delta;
	if (to < 0 || to / NSEC_PER_SEC >= 9223372036LL - 30LL * 31536000)
		return -EINVAL;
	wallclock_shift(delta);
	return 0;
}

/* The bookkeeping modes; ntp_lock held. */
static void apply(const struct linux_timex *tx)
{
	uint32_t m = tx->modes;
	if (m & ADJ_STATUS)
		ntp.status = (ntp.status & STA_RONLY) | (tx->status & ~STA_RONLY);
	if (m & ADJ_NANO)
		ntp.status |= STA_NANO;
	if (m & ADJ_MICRO)
		ntp.status &= ~STA_NANO;
	if (m & ADJ_MAXERROR) {
		ntp.maxerror = MAX(0, MIN(tx->maxerror, (int64_t)NTP_PHASE_LIMIT));
		ntp.maxerror_at = time_monotonic_ns();
	}
	if (m & ADJ_ESTERROR)
		ntp.esterror = MAX(0, MIN(tx->esterror, (int64_t)NTP_PHASE_LIMIT));
	if (m & ADJ_TIMECONST) {
		int64_t c = MAX(0, MIN(tx->constant, (int64_t)MAXTC));
		if (!(ntp.status & STA_NANO))
			c += 4;
		ntp.constant = MAX(0, MIN(c, (int64_t)MAXTC));
	}
	if ((m & ADJ_TAI) && tx->constant >= 0 && tx->constant <= MAX_TAI_OFFSET)
		__atomic_store_n(&ntp.tai, (int)tx->constant, __ATOMIC_RELAXED);
}

/* The state as adjtimex gives it back; returns the clock state. */
static int report(struct linux_timex *tx)
{
	int64_t now = time_realtime_ns();
	spin_lock(&ntp_lock);
	tx->offset = 0; /* no slewing in progress, adjtime()'s or the PLL's */
	tx->freq = 0;
	tx->maxerror = maxerror_now();
	tx->esterror = ntp.esterror;
	tx->status = ntp.status;
	tx->constant = ntp.constant;
	tx->tai = ntp.tai;
	int result = is_error_status(ntp.status) ? TIME_ERROR : TIME_OK;
	spin_unlock(&ntp_lock);
	tx->precision = 1;
	tx->tolerance = TOLERANCE;
	tx->tick = TICK_USEC;
	tx->ppsfreq = tx->jitter = tx->stabil = tx->jitcnt = tx->calcnt = tx->errcnt = tx->stbcnt =
	    0;
	tx->shift = 0;
	struct linux_timespec ts = linux_ns_to_timespec(now);
	tx->time.tv_sec = ts.tv_sec;
	tx->time.tv_usec = (tx->status & STA_NANO) ? ts.tv_nsec : ts.tv_nsec / NSEC_PER_USEC;
	return result;
}

static long do_adjtimex(uint64_t utx)
{
	struct linux_timex tx;
	if (copy_from_user(&tx, (const void *)utx, sizeof(tx)) < 0)
		return -EFAULT;
	int r = validate(&tx);
	if (r == 0)
		r = unsupported(&tx);
	if (r == 0 && (tx.modes & ADJ_SETOFFSET))
		r = set_offset(&tx);
	if (r < 0)
		return r;
	if (tx.modes && !(tx.modes & ADJ_ADJTIME)) {
		spin_lock(&ntp_lock);
		ntp.maxerror = maxerror_now();
		ntp.maxerror_at = time_monotonic_ns();
		apply(&tx);
		spin_unlock(&ntp_lock);
	}
	r = report(&tx);
	if (copy_to_user((void *)utx, &tx, sizeof(tx)) < 0)
		return -EFAULT;
	return r;
}

LINUX_SYSCALL(adjtimex)
{
	LINUX_UNUSED();
	return do_adjtimex(a0);
}

LINUX_SYSCALL(clock_adjtime)
{
	LINUX_UNUSED();
	int32_t id = (int32_t)a0;
	struct linux_timex tx;
	if (copy_from_user(&tx, (const void *)a1, sizeof(tx)) < 0)
		return -EFAULT;
	if (id == LINUX_CLOCK_REALTIME)
		return do_adjtimex(a1);
	/* Linux: a clock without adjustment says EOPNOTSUPP, no clock EINVAL
	 * (an fd clock, ~fd << 3 | 3, names no clock device here) */
	if (id < 0)
		return (id & 7) == 3 ? -EINVAL : -ENOTSUP;
	return id <= LINUX_CLOCK_TAI && id != 10 ? -ENOTSUP : -EINVAL;
}
