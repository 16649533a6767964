/*
 * RISC-V ISA strings (a device tree's riscv,isa), read as the ISA
 * manual's naming rules have them: "rv64", single-letter extensions
 * (each possibly followed by a version such as "2p1"; "g" stands for
 * imafd_zicsr_zifencei), then multi-letter ones, each after a '_'.
 * Pure logic: the host unit tests run it (tests/host/test_isa.c).
 */
#ifndef ARCH_RISCV64_ISA_H
#define ARCH_RISCV64_ISA_H

#include <stdbool.h>

/* Whether isa (an "rv64..." string, lower case) names ext: one letter
 * ("f", "c") or a multi-letter name ("zba", "zicboz"). */
bool riscv_isa_has(const char *isa, const char *ext);

#endif
