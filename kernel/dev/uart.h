/*
 * NS16550A serial port driver: polled output, interrupt-driven input that
 * is handed to the terminal layer.
 */
#ifndef DEV_UART_H
#define DEV_UART_H

#include <stdint.h>

/* pa: physical base from the device tree. */
void uart_init(uint64_t pa);
/* Busy-waits until the transmitter takes c (SBI console before init). */
void uart_putc_sync(char c);
/* Interrupt handler: drains the receive FIFO into tty_input(). */
void uart_intr(void);

#endif
