/*
 * What the boot code learned from the device tree and the command line,
 * for the rest of the kernel.
 */
#ifndef CORE_BOOT_H
#define CORE_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fdt.h"

/* as many as Linux passes to its init (MAX_INIT_ARGS) */
#define BOOT_MAX_INIT_ARGS 32

struct boot_params {
	struct fdt_info fdt;
	/* The bootargs as given (fdt.bootargs is split into tokens in place),
	 * for /proc/cmdline. */
	char cmdline[FDT_BOOTARGS_MAX];
	const char *init_path;
	const char *init_argv[BOOT_MAX_INIT_ARGS + 2];
	bool run_ktests;
	/* "panic-test[=KIND]": fail on purpose to check a report (panic_test.c) */
	const char *panic_test;
	uint64_t boot_ns; /* time init was started */
};

extern struct boot_params boot;

/* Splits the bootargs: "init=PATH", "ktest", "panic-test[=KIND]",
 * "watchdog=SECONDS", and "-- arg..." for init. */
void boot_parse_cmdline(struct boot_params *b);
/* Runs the failure panic-test asked for; returns only for kinds that need
 * the scheduler running (they start a kernel thread). */
void panic_test_run(const char *kind);

#endif
