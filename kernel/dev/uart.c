/*
 * NS16550A driver (see uart.h).  Register offsets from the 16550 data
 * sheet; QEMU's virt UART has a 1-byte register stride.
 */
#include "dev/uart.h"

#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/sbi.h"
#include "dev/tty.h"

#define RHR              0 /* receive holding (read) */
#define THR              0 /* transmit holding (write) */
#define IER              1 /* interrupt enable */
#define FCR              2 /* FIFO control */
#define LCR              3 /* line control */
#define LSR              5 /* line status */
#define IER_RX           0x01
#define FCR_ENABLE_CLEAR 0x07
#define LCR_8N1          0x03
#define LSR_RX_READY     0x01
#define LSR_TX_IDLE      0x20

static volatile uint8_t *uart;

void uart_init(uint64_t pa)
{
	uart = PA_TO_VA(pa);
	uart[IER] = 0;
	uart[LCR] = LCR_8N1;
	uart[FCR] = FCR_ENABLE_CLEAR;
	uart[IER] = IER_RX;
}

void uart_putc_sync(char c)
{
	if (!uart) {
		sbi_console_putchar(c);
		return;
	}
	while (!(uart[LSR] & LSR_TX_IDLE))
		;
	uart[THR] = (uint8_t)c;
}

void uart_intr(void)
{
	while (uart && (uart[LSR] & LSR_RX_READY))
		tty_input((char)uart[RHR]);
}
