/*
 * Dynamic linking: this program is a PIE run by glibc's ld.so.  It checks
 * what the kernel hands the dynamic linker (AT_BASE, AT_PHDR, AT_ENTRY,
 * AT_RANDOM, AT_PAGESZ...), that the segments are where the program
 * headers say with bss zeroed, that RELRO ends up read-only (mprotect on
 * a private file mapping), dlopen/dlsym of libraries with dependencies,
 * and the errors of execve for a missing, unusable, short or non-ELF
 * interpreter (checked against Linux 6.18 on x86-64 with a patched
 * PT_INTERP: ENOENT, EACCES, EIO, ELIBBAD).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define LDSO "/lib/ld-linux-riscv64-lp64d.so.1"

extern char **environ;
extern void _start(void);

static int initialized = 42;
static char bss_small[24];
static char bss_big[3 * 4096 + 100];

/* One loaded object as dl_iterate_phdr reports it. */
struct object {
	uintptr_t addr;
	const ElfW(Phdr) * phdr;
	int phnum;
	char name[256];
};

#define MAX_OBJECTS 16
static struct object objects[MAX_OBJECTS];
static int nobjects;

static int note_object(struct dl_phdr_info *info, size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	if (nobjects == MAX_OBJECTS)
		return 1;
	struct object *o = &objects[nobjects++];
	o->addr = info->dlpi_addr;
	o->phdr = info->dlpi_phdr;
	o->phnum = info->dlpi_phnum;
	snprintf(o->name, sizeof(o->name), "%s", info->dlpi_name ? info->dlpi_name : "");
	return 0;
}

static const struct object *find_object(const char *suffix)
{
	size_t n = strlen(suffix);
	for (int i = 0; i < nobjects; i++) {
		size_t len = strlen(objects[i].name);
		if (len >= n && strcmp(objects[i].name + len - n, suffix) == 0)
			return &objects[i];
	}
	return NULL;
}

static const ElfW(Phdr) * find_phdr(const struct object *o, uint32_t type)
{
	for (int i = 0; o && i < o->phnum; i++)
		if (o->phdr[i].p_type == type)
			return &o->phdr[i];
	return NULL;
}

static void test_auxv(void)
{
	long page = sysconf(_SC_PAGESIZE);
	CHECK_EQ(getauxval(AT_PAGESZ), page);
	CHECK_EQ(page, 4096);
	unsigned long base = getauxval(AT_BASE);
	CHECK(base != 0);
	CHECK_EQ(base % (unsigned long)page, 0);
	CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)&_start);
	CHECK_EQ(getauxval(AT_PHENT), sizeof(ElfW(Phdr)));
	CHECK(getauxval(AT_PHNUM) >= 4);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL);
	int nonzero = 0;
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	CHECK(nonzero);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(execfn != NULL && strstr(execfn, "t_dynamic") != NULL);
	CHECK_EQ(getauxval(AT_SECURE), 0);
}

/* The main program, the dynamic linker and libc, where the kernel and
 * ld.so put them. */
static void test_objects(void)
{
	nobjects = 0;
	dl_iterate_phdr(note_object, NULL);
	CHECK(nobjects >= 3);
	const struct object *main_obj = &objects[0];
	CHECK(main_obj->addr != 0); /* a PIE is moved from its link address 0 */
	CHECK_EQ((unsigned long)main_obj->phdr, getauxval(AT_PHDR));
	const ElfW(Phdr) *interp = find_phdr(main_obj, PT_INTERP);
	CHECK(interp != NULL);
	if (interp)
		CHECK_STR((const char *)(main_obj->addr + interp->p_vaddr), LDSO);
	const struct object *ldso = find_object("ld-linux-riscv64-lp64d.so.1");
	CHECK(ldso != NULL);
	if (ldso)
		CHECK_EQ(ldso->addr, getauxval(AT_BASE));
	const struct object *libc = find_object("/libc.so.6");
	CHECK(libc != NULL);
	if (libc)
		CHECK(libc->addr != main_obj->addr && libc->addr != ldso->addr);
	/* code is where its segment says */
	uintptr_t code = (uintptr_t)&test_objects;
	int inside = 0;
	for (int i = 0; i < main_obj->phnum; i++) {
		const ElfW(Phdr) *ph = &main_obj->phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
		    code >= main_obj->addr + ph->p_vaddr &&
		    code < main_obj->addr + ph->p_vaddr + ph->p_memsz)
			inside = 1;
	}
	CHECK(inside);
}

/* Initialized data comes from the file, bss is zero, both writable. */
static void test_data_and_bss(void)
{
	CHECK_EQ(initialized, 42);
	int zero = 1;
	for (size_t i = 0; i < sizeof(bss_small); i++)
		zero &= bss_small[i] == 0;
	for (size_t i = 0; i < sizeof(bss_big); i++)
		zero &= bss_big[i] == 0;
	CHECK(zero);
	initialized = 43;
	bss_big[sizeof(bss_big) - 1] = 1;
	CHECK_EQ(initialized + bss_big[sizeof(bss_big) - 1], 44);
	/* a child's copy is its own */
	pid_t pid = fork();
	if (pid == 0) {
		initialized = 99;
		_exit(initialized == 99 ? 0 : 1);
	}
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(initialized, 43);
}

static sigjmp_buf fault_jmp;

static void on_segv(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* Whether a store to p faults (the byte is written back unchanged). */
static int store_faults(volatile char *p)
{
	struct sigaction sa = {.sa_handler = on_segv}, old;
	sigaction(SIGSEGV, &sa, &old);
	int faulted = 1;
	if (sigsetjmp(fault_jmp, 1) == 0) {
		char c = *p;
		*p = c;
		faulted = 0;
	}
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

/* ld.so makes the relocated part read-only after relocating it. */
static void check_relro(const char *what, const struct object *o)
{
	const ElfW(Phdr) *relro = find_phdr(o, PT_GNU_RELRO);
	if (!relro) {
		printf("FAIL: %s has no PT_GNU_RELRO\n", what);
		CHECK(relro != NULL);
		return;
	}
	uintptr_t start = (o->addr + relro->p_vaddr) & ~(uintptr_t)4095;
	uintptr_t end = (o->addr + relro->p_vaddr + relro->p_memsz) & ~(uintptr_t)4095;
	CHECK(end > start);
	CHECK(store_faults((volatile char *)start));
	/* the writable data after it stays writable */
	CHECK(!store_faults((volatile char *)&initialized));
}

static void test_relro(void)
{
	nobjects = 0;
	dl_iterate_phdr(note_object, NULL);
	check_relro("the program", &objects[0]);
	const struct object *libc = find_object("/libc.so.6");
	CHECK(libc != NULL);
	if (libc)
		check_relro("libc", libc);
}

static void test_dlopen(void)
{
	void *m = dlopen("libm.so.6", RTLD_NOW);
	CHECK(m != NULL);
	double (*cosine)(double) = m ? (double (*)(double))dlsym(m, "cos") : NULL;
	CHECK(cosine != NULL);
	if (cosine)
		CHECK(cosine(0.0) == 1.0);
	CHECK(m == NULL || dlclose(m) == 0);

	/* libstdc++ pulls in libgcc_s and libm */
	void *cxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_GLOBAL);
	CHECK(cxx != NULL);
	if (!cxx)
		printf("  dlerror: %s\n", dlerror());
	CHECK(cxx == NULL || dlsym(cxx, "_ZNSt8ios_base4InitC1Ev") != NULL);
	void *gcc = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NOLOAD);
	CHECK(gcc != NULL);

	CHECK(dlopen("libscarlet-none.so.9", RTLD_NOW) == NULL);
	const char *err = dlerror();
	CHECK(err != NULL && strstr(err, "libscarlet-none.so.9") != NULL);

	int fd = open("notelf.so", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0);
	char text[200];
	memset(text, 'x', sizeof(text));
	CHECK_EQ(write(fd, text, sizeof(text)), sizeof(text));
	close(fd);
	CHECK(dlopen("./notelf.so", RTLD_NOW) == NULL);
	CHECK(dlerror() != NULL);
	unlink("notelf.so");
}

static char self[4096];
static int can_exec;

static int wait_status(pid_t pid)
{
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	return st;
}

/* Runs path with argv in a child; returns its wait status, or 256 * (100
 * + errno) when execve failed. */
static int run(const char *path, char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(100 + errno);
	}
	return wait_status(pid);
}

/* qemu-user hands exec of a riscv64 file to the host kernel, which runs
 * it only when binfmt_misc knows the format. */
static void probe_exec(void)
{
	char *av[] = {self, "exit", NULL};
	int st = run(self, av);
	can_exec = st == 0;
	if (!can_exec && st != (100 + ENOEXEC) << 8)
		CHECK_EQ(st, 0);
}

/* A copy of this program whose PT_INTERP names interp instead. */
static int copy_with_interp(const char *dst, const char *interp)
{
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	static char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	ElfW(Ehdr) eh;
	if (pread(out, &eh, sizeof(eh), 0) != sizeof(eh))
		return -1;
	for (int i = 0; i < eh.e_phnum; i++) {
		ElfW(Phdr) ph;
		if (pread(out, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			return -1;
		if (ph.p_type != PT_INTERP || strlen(interp) + 1 > ph.p_filesz)
			continue;
		char name[256] = {0};
		strcpy(name, interp);
		int r = pwrite(out, name, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz;
		close(out);
		return r ? 0 : -1;
	}
	close(out);
	return -1;
}

static void test_exec(void)
{
	if (!can_exec) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return;
	}
	/* a dynamic program execs a dynamic program */
	char *av[] = {self, "child", NULL};
	CHECK_EQ(run(self, av), 0);
	/* the dynamic linker run as a program loads the one it is given */
	char *ld_av[] = {LDSO, self, "child", NULL};
	CHECK_EQ(run(LDSO, ld_av), 0);
	/* AT_EXECFN is the path given to execve, not argv[0] */
	char *fn_av[] = {"renamed", "execfn", self, NULL};
	CHECK_EQ(run(self, fn_av), 0);

	char *bad_av[] = {"badinterp", "exit", NULL};
	CHECK_EQ(copy_with_interp("badinterp", "/nonexistent/ld.so.1"), 0);
	CHECK_EQ(run("./badinterp", bad_av), (100 + ENOENT) << 8);

	int fd = open("fakeld", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	CHECK_EQ(copy_with_interp("badinterp", "./fakeld"), 0);
	/* shorter than an ELF header: the read of it fails */
	CHECK_EQ(run("./badinterp", bad_av), (100 + EIO) << 8);
	char pad[100];
	memset(pad, '#', sizeof(pad));
	CHECK_EQ(write(fd, pad, sizeof(pad)), sizeof(pad));
	close(fd);
	CHECK_EQ(run("./badinterp", bad_av), (100 + ELIBBAD) << 8);
	CHECK_EQ(chmod("fakeld", 0644), 0);
	CHECK_EQ(run("./badinterp", bad_av), (100 + EACCES) << 8);
	CHECK_EQ(copy_with_interp("badinterp", "/tmp"), 0);
	CHECK_EQ(run("./badinterp", bad_av), (100 + EACCES) << 8);

	/* the same copy with the real interpreter runs */
	CHECK_EQ(copy_with_interp("badinterp", LDSO), 0);
	CHECK_EQ(run("./badinterp", bad_av), 0);
	unlink("badinterp");
	unlink("fakeld");
}

/* What this program does when run by test_exec. */
static int child_main(const char *mode, const char *arg)
{
	if (strcmp(mode, "exit") == 0)
		return 0;
	if (strcmp(mode, "execfn") == 0) /* the file name given to execve */
		return arg && strcmp((const char *)getauxval(AT_EXECFN), arg) == 0 ? 0 : 4;
	/* run through ld.so again: the same checks must hold */
	nobjects = 0;
	dl_iterate_phdr(note_object, NULL);
	if (!find_object("/libc.so.6") || initialized != 42)
		return 3;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child_main(argv[1], argv[2]);
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		snprintf(self, sizeof(self), "%s", argv[0]);
	test_auxv();
	test_objects();
	test_data_and_bss();
	test_relro();
	test_dlopen();
	probe_exec();
	test_exec();
	return ltest_done("dynamic");
}
