/*
 * Kernel console output.  Characters go to the UART driver once it is up
 * and to the SBI console before that; "\n" becomes "\r\n".  A lock keeps
 * lines from different harts apart; panic bypasses it.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "dev/uart.h"

static struct spinlock printk_lock = SPINLOCK_INIT("printk");
bool printk_unlocked; /* set by panic: never wait for the lock again */

static void printk_emit(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		uart_putc_sync('\r');
	uart_putc_sync(c);
}

int vprintk(const char *fmt, va_list ap)
{
	bool locked = !printk_unlocked;
	if (locked)
		spin_lock(&printk_lock);
	int n = fmt_format(printk_emit, NULL, fmt, ap);
	if (locked)
		spin_unlock(&printk_lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
