/*
 * Boot: the boot hart comes here from entry.S with the MMU on.  It reads
 * the device tree, brings up memory, interrupts and devices, starts the
 * other harts and the first task, then becomes a scheduler like the
 * others.
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/hwcaps.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "arch/riscv64/timer.h"
#include "core/boot.h"
#include "core/kernel.h"
#include "core/ktest.h"
#include "core/machine.h"
#include "core/time.h"
#include "dev/loop.h"
#include "dev/mem_devices.h"
#include "dev/random.h"
#include "dev/tty.h"
#include "dev/uart.h"
#include "dev/virtio_mmio.h"
#include "fs/vfs.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "proc/sched.h"
#include "proc/task.h"

struct cpu cpus[MAX_CPUS];
int ncpus = 1;
struct boot_params boot;

extern char __kernel_end[];
extern char boot_stack[];
extern void _secondary_start(void);
void trap_init_hart(void);
void init_task_start(void);
void mem_init(uint64_t fdt_pa);

/* c->idle_stack_base is set: the stack this hart booted on. */
static void cpu_setup(struct cpu *c, int id, unsigned long hartid)
{
	c->self = c;
	c->id = id;
	c->hartid = hartid;
	cpu_set_stack(c, (void *)c->idle_stack_base);
	c->satp = csr_read(satp);
	__asm__ volatile("mv tp, %0" ::"r"(c));
}

static bool hart_has_sstc(const struct fdt_hart *h)
{
	return strstr(h->isa, "sstc") != NULL;
}

static void devices_init(void)
{
	struct fdt_info *f = &boot.fdt;
	if (f->test.base)
		machine_set_test_device(f->test.base);
	if (f->plic.base)
		plic_init(f->plic.base);
	tty_init();
	mem_devices_init();
	if (f->uart.base && f->uart.irq)
		plic_register(f->uart.irq, (irq_handler_fn)uart_intr, NULL);
	virtio_init();
	loop_init();
}

#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define HART_START_TRIES          1000

/* A hart that firmware also sent to _start is still on its way back to
 * SBI (see entry.S) and reports "already available" until it is stopped:
 * try again for a while. */
static long start_hart(unsigned long hartid, unsigned long stack_top)
{
	long err = SBI_ERR_ALREADY_AVAILABLE;
	for (int i = 0; i < HART_START_TRIES && err == SBI_ERR_ALREADY_AVAILABLE; i++) {
		err = sbi_hart_start(hartid, VA_TO_PA(_secondary_start), stack_top);
		for (int spin = 0; err && spin < 10000; spin++)
			__asm__ volatile("nop");
	}
	return err;
}

/* Starts every other enabled hart listed in the device tree. */
static void start_secondary_harts(unsigned long boot_hartid)
{
	for (int i = 0; i < boot.fdt.nharts && ncpus < MAX_CPUS; i++) {
		unsigned long hartid = boot.fdt.harts[i].hartid;
		if (hartid == boot_hartid)
			continue;
		void *stack = page_alloc(2);
		if (!stack)
			break;
		struct cpu *c = &cpus[ncpus];
		c->id = ncpus;
		c->hartid = hartid;
		c->self = c;
		c->idle_stack_base = (uint64_t)stack;
		ncpus++;
		long err = start_hart(hartid, (unsigned long)stack + KSTACK_SIZE);
		if (err)
			printk("smp: hart %lu did not start (%ld)\n", hartid, err);
	}
}

static void cpu_go_online(void)
{
	struct cpu *c = this_cpu();
	trap_init_hart();
	hwcaps_init_hart();
	plic_init_hart(c->hartid);
	timer_start_cpu();
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
}

void secondary_main(unsigned long hartid)
{
	for (int i = 1; i < ncpus; i++) {
		if (cpus[i].hartid == hartid) {
			cpu_setup(&cpus[i], i, hartid);
			break;
		}
	}
	cpu_go_online();
	scheduler_loop();
}

void kmain(unsigned long hartid, uint64_t fdt_pa)
{
	cpus[0].idle_stack_base = (uint64_t)boot_stack;
	cpu_setup(&cpus[0], 0, hartid);
	trap_init_hart();
	if (fdt_parse_info(PA_TO_VA(fdt_pa), 1 << 20, &boot.fdt) < 0)
		panic("no valid device tree at %#lx", fdt_pa);
	if (boot.fdt.uart.base)
		uart_init(boot.fdt.uart.base);
	printk("\nScarlet kernel (riscv64), boot hart %lu\n", hartid);
	timer_init(boot.fdt.timebase_freq, boot.fdt.nharts && hart_has_sstc(&boot.fdt.harts[0]));
	time_init(boot.fdt.rtc.base);
	random_add_entropy(rdtime() ^ (uint64_t)time_realtime_ns());
	mem_init(fdt_pa);
	vm_init();
	task_init();
	sched_init();
	boot_parse_cmdline(&boot);
	fs_init();
	devices_init();
	start_secondary_harts(hartid);
	cpu_go_online();
	printk("smp: %d harts, timebase %lu Hz%s\n", ncpus, boot.fdt.timebase_freq,
	       hart_has_sstc(&boot.fdt.harts[0]) ? ", sstc" : "");
	if (boot.panic_test) {
		panic_test_run(boot.panic_test);
		scheduler_loop(); /* a kind that needs other harts running */
	}
	if (boot.run_ktests)
		machine_exit(ktest_run_all() ? 1 : 0);
	init_task_start();
	scheduler_loop();
}
