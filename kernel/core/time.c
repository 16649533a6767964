/*
 * Kernel clocks (see time.h).  Wall-clock time is read once at boot from
 * the goldfish RTC the device tree lists (QEMU virt has one) and advanced
 * with the monotonic timer from then on.
 */
#include "core/time.h"

#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/timer.h"

#define RTC_TIME_LOW  0x00
#define RTC_TIME_HIGH 0x04

static int64_t realtime_at_boot;

void time_init(uint64_t rtc_pa)
{
	if (!rtc_pa)
		return;
	volatile uint32_t *rtc = PA_TO_VA(rtc_pa);
	uint64_t low = rtc[RTC_TIME_LOW / 4]; /* reading low latches high */
	uint64_t high = rtc[RTC_TIME_HIGH / 4];
	realtime_at_boot = (int64_t)((high << 32) | low) - (int64_t)timer_now_ns();
}

uint64_t time_monotonic_ns(void)
{
	return timer_now_ns();
}

int64_t time_realtime_ns(void)
{
	return __atomic_load_n(&realtime_at_boot, __ATOMIC_ACQUIRE) + (int64_t)timer_now_ns();
}

void time_realtime_shift(int64_t delta)
{
	__atomic_add_fetch(&realtime_at_boot, delta, __ATOMIC_ACQ_REL);
}
