# Scarlet build.  `make run` and `make test` do all set-up themselves
# (tools/deps.sh installs missing Debian packages).  See docs/testing.md.

CROSS ?= riscv64-linux-gnu-
CC := $(CROSS)gcc
CXX := $(CROSS)g++
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm
HOSTCC ?= gcc

B := build
QEMU ?= qemu-system-riscv64
SMP ?= 2
MEM ?= 512M
EXTRA ?=
APPEND ?=
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# Marker that tools/deps.sh ran (re-run when the script changes).
DEPS := $(B)/.deps-ok

# The compiler's own header directory (stdbool.h, stdint.h...).  Looked up
# when first used, not when the Makefile is read: on a fresh machine the
# cross compiler is installed by tools/deps.sh only after parsing.
CC_INCLUDE = $(eval CC_INCLUDE := $$(shell $(CC) -print-file-name=include 2>/dev/null))$(CC_INCLUDE)

COMMON_CFLAGS = -std=gnu17 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdinc \
	-fno-common -fno-stack-protector -fno-pie -fno-builtin-printf \
	-fno-omit-frame-pointer -mcmodel=medany -MMD -MP \
	-isystem $(CC_INCLUDE) -Iinclude -I.

KCFLAGS = $(COMMON_CFLAGS) -march=rv64imac_zicsr_zifencei -mabi=lp64 -Ikernel \
	-mno-relax -fno-delete-null-pointer-checks
ifdef ALLOC_TRACE
KCFLAGS += -DALLOC_TRACE # mm/alloc_trace.h; rebuild the kernel from clean
endif
UCFLAGS = $(COMMON_CFLAGS) -march=rv64gc -mabi=lp64d -Iuser/include

all: kernel user image

$(DEPS): tools/deps.sh
	@mkdir -p $(B)
	bash tools/deps.sh
	@touch $@

deps: $(DEPS)

# ---------------------------------------------------------------- kernel
KSRC_C := $(shell find kernel tests/kernel -name '*.c' 2>/dev/null) lib/str.c lib/fmt.c
KSRC_S := $(shell find kernel -name '*.S')
KOBJ := $(patsubst %.c,$(B)/k/%.o,$(KSRC_C)) $(patsubst %.S,$(B)/k/%.o,$(KSRC_S))

$(B)/k/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.o: %.S | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c $< -o $@

KLDS := kernel/arch/riscv64/kernel.ld

# Two-pass link: the second pass embeds the function symbols of the first
# (section .ksyms, placed after .text so text addresses do not move) and
# panics print symbolized backtraces.
$(B)/k/syms-empty.S: tools/mksyms.sh
	@mkdir -p $(dir $@)
	bash tools/mksyms.sh /dev/null $@

$(B)/k/syms-%.o: $(B)/k/syms-%.S
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(B)/kernel.pass1.elf: $(KOBJ) $(B)/k/syms-empty.o $(KLDS)
	@echo "  LD      $@"
	$(Q)$(LD) -T $(KLDS) -nostdlib -o $@ $(KOBJ) $(B)/k/syms-empty.o

$(B)/k/syms-final.S: $(B)/kernel.pass1.elf tools/mksyms.sh
	$(Q)$(NM) -n $< > $(B)/kernel.pass1.syms
	$(Q)bash tools/mksyms.sh $(B)/kernel.pass1.syms $@

$(B)/kernel.elf: $(B)/kernel.pass1.elf $(B)/k/syms-final.o
	@echo "  LD      $@"
	$(Q)$(LD) -T $(KLDS) -nostdlib -o $@ $(KOBJ) $(B)/k/syms-final.o

$(B)/kernel.bin: $(B)/kernel.elf
	$(Q)$(OBJCOPY) -O binary $< $@

kernel: $(B)/kernel.bin

# ---------------------------------------------------------------- userland
ULIB_C := $(wildcard user/lib/*.c) lib/str.c lib/fmt.c
ULIB_S := $(wildcard user/lib/*.S)
ULIB_OBJ := $(patsubst %.c,$(B)/u/%.o,$(ULIB_C)) $(patsubst %.S,$(B)/u/%.o,$(filter-out user/lib/crt0.S,$(ULIB_S)))
UPROGS := $(patsubst user/bin/%.c,%,$(wildcard user/bin/*.c))
UBINS := $(addprefix $(B)/rootfs/system/scarlet/bin/,$(UPROGS))

$(B)/u/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/u/%.o: %.S | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(UCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(B)/u/libc.a: $(ULIB_OBJ)
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

$(B)/rootfs/system/scarlet/bin/%: $(B)/u/user/bin/%.o $(B)/u/libc.a $(B)/u/user/lib/crt0.o user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -T user/user.ld -nostdlib -o $@ $(B)/u/user/lib/crt0.o $< $(B)/u/libc.a \
		$(shell $(CC) -march=rv64gc -mabi=lp64d -print-libgcc-file-name)

user: $(UBINS)

# ---------------------------------------------------------------- xv6 userland
# Our own programs for the xv6-riscv ABI (user-xv6/): linked at address 0
# with no notes, as xv6's are; installed at the root of the xv6 tree.
XCFLAGS = $(COMMON_CFLAGS) -march=rv64gc -mabi=lp64d -Iuser-xv6/include -fno-pie
XLIB_OBJ := $(patsubst %.c,$(B)/x/%.o,$(wildcard user-xv6/lib/*.c)) \
	$(patsubst %.S,$(B)/x/%.o,$(wildcard user-xv6/lib/*.S))
XPROGS := $(patsubst user-xv6/bin/%.c,%,$(wildcard user-xv6/bin/*.c))
XBINS := $(addprefix $(B)/rootfs/system/xv6-riscv64/,$(XPROGS))

user: $(XBINS)

$(B)/x/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(XCFLAGS) -c $< -o $@

$(B)/x/%.o: %.S | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(XCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(B)/x/libxv6.a: $(XLIB_OBJ)
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

$(B)/rootfs/system/xv6-riscv64/%: $(B)/x/user-xv6/bin/%.o $(B)/x/libxv6.a user-xv6/xv6.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -T user-xv6/xv6.ld -nostdlib -o $@ $< $(B)/x/libxv6.a \
		$(shell $(CC) -march=rv64gc -mabi=lp64d -print-libgcc-file-name)

# Test binaries for the executor: an xv6 program linked away from 0 (so
# detection calls it native and only abi-run runs it right).
XV6_RELOCATED := $(B)/rootfs/system/scarlet/tests/xv6-echo-relocated
$(XV6_RELOCATED): $(B)/x/user-xv6/bin/echo.o $(B)/x/libxv6.a user-xv6/xv6.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -T user-xv6/xv6.ld --section-start=.text=0x10000 -nostdlib -o $@ $< \
		$(B)/x/libxv6.a $(shell $(CC) -march=rv64gc -mabi=lp64d -print-libgcc-file-name)

user: $(XV6_RELOCATED)

# Upstream xv6-riscv's own programs (usertests, grind, forktest, stressfs),
# built with xv6's Makefile from the copy beside the project and put in
# the xv6 tree under /upstream; the judges of the xv6 ABI
# (tools/xv6-upstream.sh; nothing of xv6 is committed).
XV6_UPSTREAM_STAMP := $(B)/xv6-upstream.stamp

$(XV6_UPSTREAM_STAMP): tools/xv6-upstream.sh | $(DEPS)
	@echo "  XV6     upstream usertests, grind, forktest, stressfs"
	$(Q)bash tools/xv6-upstream.sh $(B)/xv6-upstream $(B)/rootfs/system/xv6-riscv64
	@touch $@

user: $(XV6_UPSTREAM_STAMP)

# ---------------------------------------------------------------- linux tests
# Our Linux test programs: static glibc binaries from the cross compiler,
# installed in the Linux tree (tests/linux/NAME.c -> /system/linux-riscv64/tests/NAME).
LCFLAGS := -std=gnu17 -Wall -Wextra -Werror -O2 -static
LTESTS := $(patsubst tests/linux/%.c,$(B)/rootfs/system/linux-riscv64/tests/%,$(wildcard tests/linux/*.c))

$(B)/rootfs/system/linux-riscv64/tests/%: tests/linux/%.c tests/linux/ltest.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (glibc, static)"
	$(Q)$(CC) $(LCFLAGS) $< -o $@

user: $(LTESTS)

# glibc's dynamic linker and shared libraries (Debian's riscv64 cross
# packages) in the Linux tree: /lib/riscv64-linux-gnu/ and the loader at
# /lib/ld-linux-riscv64-lp64d.so.1 (tools/linux-libs.sh).
LINUX_LIBS := $(B)/linux-libs.stamp

$(LINUX_LIBS): tools/linux-libs.sh | $(DEPS)
	$(Q)bash tools/linux-libs.sh $(B)/rootfs/system/linux-riscv64
	@touch $@

# Dynamically linked test programs (PIE, against those libraries):
# t_dynamic, and dynhello/dyntrue, the dynamic twins of hello and true.
# tests/linux/*.cpp are C++ programs (libstdc++, also dynamic).  On the
# host they run under qemu-riscv64-static with the Linux tree as prefix
# (tools/host-linux-tests.sh).
LT := $(B)/rootfs/system/linux-riscv64/tests
LDYN := $(LT)/t_dynamic $(LT)/dynhello $(LT)/dyntrue
LDYN_CFLAGS := -std=gnu17 -Wall -Wextra -Werror -O2 -fPIE -pie
LCXX := $(patsubst tests/linux/%.cpp,$(LT)/%,$(wildcard tests/linux/*.cpp))
LCXXFLAGS := -std=gnu++17 -Wall -Wextra -Werror -O2 -fPIE -pie -pthread

$(LT)/t_dynamic: tests/linux/t_dynamic.c
$(LT)/dynhello: tests/linux/hello.c
$(LT)/dyntrue: tests/linux/true.c
$(LDYN): tests/linux/ltest.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $(filter %.c,$^) (glibc, dynamic)"
	$(Q)$(CC) $(LDYN_CFLAGS) $(filter %.c,$^) -o $@ -ldl

$(LCXX): $(LT)/%: tests/linux/%.cpp tests/linux/ltest.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CXX     $< (libstdc++, dynamic)"
	$(Q)$(CXX) $(LCXXFLAGS) $< -o $@

user: $(LINUX_LIBS) $(LDYN) $(LCXX)

# ---------------------------------------------------------------- other Linux programs
# Linux programs with no GNU ABI-tag note, which the executor must still
# know for Linux (docs/executor.md), in the Linux tree's /tests:
# musl-static and musl-dynamic (Debian 13's riscv64 musl, tools/musl.sh,
# which also installs musl's dynamic linker in the tree), go-hello (the
# host's Go, cross-compiled) and nolibc-hello (no libc at all).
MUSL_STAGE := $(B)/musl
MUSL_STAMP := $(B)/musl.stamp
MUSL_CFLAGS := -std=gnu17 -Wall -Wextra -Werror -O2 -specs $(MUSL_STAGE)/musl-gcc.specs -Wl,-S
NOLIBC_CFLAGS := -std=gnu17 -Wall -Wextra -Werror -O2 -ffreestanding \
	-fno-tree-loop-distribute-patterns -nostdlib -static
FOREIGN := $(LT)/musl-static $(LT)/musl-dynamic $(LT)/go-hello $(LT)/nolibc-hello

$(MUSL_STAMP): tools/musl.sh tools/debian-fetch.sh | $(DEPS)
	$(Q)bash tools/musl.sh $(MUSL_STAGE) $(B)/rootfs/system/linux-riscv64
	@touch $@

$(LT)/musl-static: tests/musl/hello.c $(MUSL_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (musl, static)"
	$(Q)$(CC) $(MUSL_CFLAGS) -static $< -o $@

$(LT)/musl-dynamic: tests/musl/hello.c $(MUSL_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (musl, dynamic)"
	$(Q)$(CC) $(MUSL_CFLAGS) $< -o $@

$(LT)/nolibc-hello: tests/nolibc/hello.c | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (no libc)"
	$(Q)$(CC) $(NOLIBC_CFLAGS) $< -o $@

$(LT)/go-hello: tests/go/hello.go | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  GO      $<"
	$(Q)cd tests/go && CGO_ENABLED=0 GOOS=linux GOARCH=riscv64 go build -o $(abspath $@) hello.go

user: $(FOREIGN)

# ---------------------------------------------------------------- busybox
# BusyBox from Debian's source package, static glibc (tools/busybox.sh,
# docs/busybox.md).  Built once into build/busybox/ and rebuilt only when
# the script or the config fragment changes; installed in the Linux tree
# as /bin/busybox with a symlink per applet.
BUSYBOX := $(B)/busybox/busybox
LINUX_BUSYBOX := $(B)/rootfs/system/linux-riscv64/bin/busybox

$(BUSYBOX): tools/busybox.sh tools/busybox.config | $(DEPS)
	bash tools/busybox.sh build $(B)/busybox tools/busybox.config

$(LINUX_BUSYBOX): $(BUSYBOX)
	$(Q)bash tools/busybox.sh install $< $(B)/rootfs/system/linux-riscv64

# Its dynamically linked twin (tools/busybox-dynamic.config), built from a
# copy of the same source tree and installed with its own applet links
# under /opt/busybox-dynamic in the Linux tree.
BUSYBOX_DYN := $(B)/busybox-dynamic/busybox
BUSYBOX_DYN_ROOT := $(B)/rootfs/system/linux-riscv64/opt/busybox-dynamic
LINUX_BUSYBOX_DYN := $(BUSYBOX_DYN_ROOT)/bin/busybox

$(BUSYBOX_DYN): tools/busybox.sh tools/busybox-dynamic.config | $(BUSYBOX) $(DEPS)
	bash tools/busybox.sh build $(B)/busybox-dynamic tools/busybox-dynamic.config $(B)/busybox

$(LINUX_BUSYBOX_DYN): $(BUSYBOX_DYN) $(LINUX_LIBS)
	$(Q)QEMU_LD_PREFIX=$(CURDIR)/$(B)/rootfs/system/linux-riscv64 \
		bash tools/busybox.sh install $< $(BUSYBOX_DYN_ROOT)

# The scripted sessions (tests/busybox/NAME.sh with expected NAME.out),
# at /tests/busybox in the Linux tree.
BB_TESTS := $(patsubst tests/busybox/%,$(B)/rootfs/system/linux-riscv64/tests/busybox/%,\
	$(wildcard tests/busybox/*.sh tests/busybox/*.out))

$(B)/rootfs/system/linux-riscv64/tests/busybox/%: tests/busybox/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

busybox: $(LINUX_BUSYBOX) $(LINUX_BUSYBOX_DYN) $(BB_TESTS)

user: busybox

# ---------------------------------------------------------------- image
ROOTFS_STATIC := $(shell find rootfs -type f -o -type l 2>/dev/null)

$(B)/initramfs.cpio: $(UBINS) $(XBINS) $(XV6_RELOCATED) $(XV6_UPSTREAM_STAMP) $(LTESTS) $(LINUX_LIBS) $(LDYN) $(LCXX) $(FOREIGN) $(MUSL_STAMP) $(LINUX_BUSYBOX) $(LINUX_BUSYBOX_DYN) $(BB_TESTS) $(ROOTFS_STATIC) tools/mkinitramfs.sh FORCE
	@echo "  CPIO    $@"
	$(Q)bash tools/mkinitramfs.sh $(B)/rootfs $@ $(EXTRA)

image: $(B)/initramfs.cpio

# ---------------------------------------------------------------- disk
# The data disk persists across `make run`s; `make disk-reset` recreates it.
DISK ?= $(B)/disk.img
DISK_SIZE ?= 256M

$(DISK): | $(DEPS)
	bash tools/mkdisk.sh $@ $(DISK_SIZE)

disk: $(DISK)

disk-reset: | $(DEPS)
	bash tools/mkdisk.sh $(DISK) $(DISK_SIZE)

# ---------------------------------------------------------------- Debian root
# A Debian 13 riscv64 root from Debian's packages, as a read-only ext2 image
# (label scarlet-debian) that init mounts on /system/linux-riscv64: the lower
# layer of the Linux environment (tools/debian-root.sh, docs/debian-root.md).
# `make run DEBIAN=0` boots without it (the BusyBox tree).
DEBIAN ?= 1
DEBIAN_IMG := $(B)/debian-root.img

$(DEBIAN_IMG): tools/debian-root.sh tools/debian-fetch.sh | $(DEPS)
	@echo "  DEBIAN  $@ (the first build downloads about 60 MB)"
	$(Q)bash tools/debian-root.sh $(B)/debian-root $@

debian-root: $(DEBIAN_IMG)

# ---------------------------------------------------------------- run
# The Debian disk comes first: QEMU gives the first -device the last name,
# so the data disk stays vda (init finds the Debian root by its label).
DEBIAN_DRIVE_ARGS = -drive file=$(DEBIAN_IMG),format=raw,if=none,id=debian,readonly=on \
	-device virtio-blk-device,drive=debian
DEBIAN_DRIVE = $(if $(filter 1,$(DEBIAN)),$(DEBIAN_DRIVE_ARGS))
QEMU_ARGS = -machine virt -bios default -smp $(SMP) -m $(MEM) -nographic \
	-kernel $(B)/kernel.bin -initrd $(B)/initramfs.cpio $(DEBIAN_DRIVE) \
	-drive file=$(DISK),format=raw,if=none,id=data -device virtio-blk-device,drive=data \
	-append "$(APPEND)"

run: all disk $(if $(filter 1,$(DEBIAN)),$(DEBIAN_IMG))
	@echo "Booting Scarlet (Ctrl-A X quits QEMU)"
	$(QEMU) $(QEMU_ARGS)

debug: all disk
	@echo "QEMU waits for gdb: gdb-multiarch $(B)/kernel.elf -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -s -S

# ---------------------------------------------------------------- tests
test: all $(DEBIAN_IMG)
	bash tools/run-tests.sh

# The image of the fuzz and stress runs: the default tree plus Debian 13's
# trinity and stress-ng (tools/tools-image.sh).
TOOLS_CPIO := $(B)/tools.cpio

$(TOOLS_CPIO): $(B)/initramfs.cpio tools/tools-image.sh tools/elf-closure.sh \
		$(wildcard tools/in-image/*.sh) | $(DEPS)
	@echo "  CPIO    $@ (with trinity and stress-ng)"
	$(Q)bash tools/tools-image.sh $(B) $@

# System-call fuzzing of the three ABIs (tools/fuzz.py; FUZZ_ARGS e.g.
# "--calls 100000 native").  Not part of `make test`.
FUZZ_ARGS ?=
fuzz: all $(TOOLS_CPIO)
	python3 tools/fuzz.py $(FUZZ_ARGS)

bench: all
	bash tools/run-bench.sh

stress: all $(TOOLS_CPIO)
	bash tools/run-stress.sh

clean:
	rm -rf $(B)

FORCE:

# keep object files between builds (they are intermediates of pattern rules)
.SECONDARY:

.PHONY: all deps kernel user busybox image debian-root disk disk-reset run debug test bench fuzz stress clean FORCE

# (not BusyBox's own trees nor the Debian root: they have .d files and init.d
# directories of their own)
-include $(shell find $(B) \( -path $(B)/busybox -o -path $(B)/busybox-dynamic \
	-o -path $(B)/debian-root \) -prune -o \
	-name '*.d' -type f -print 2>/dev/null)
