/*
 * Tests of kernel/arch/riscv64/isa.c: riscv,isa strings as QEMU versions
 * and boards write them, with versions, "g", and names that are
 * prefixes of others.
 */
#include "arch/riscv64/isa.h"
#include "tests/host/test.h"

#define QEMU72 "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"

TEST(isa_single_letters)
{
	CHECK(riscv_isa_has(QEMU72, "i"));
	CHECK(riscv_isa_has(QEMU72, "f"));
	CHECK(riscv_isa_has(QEMU72, "d"));
	CHECK(riscv_isa_has(QEMU72, "c"));
	CHECK(riscv_isa_has(QEMU72, "h"));
	CHECK(!riscv_isa_has(QEMU72, "v"));
	CHECK(!riscv_isa_has(QEMU72, "s")); /* sstc is multi-letter */
	CHECK(!riscv_isa_has(QEMU72, "z"));
	CHECK(!riscv_isa_has(QEMU72, ""));
}

TEST(isa_multi_letter_names_are_whole)
{
	CHECK(riscv_isa_has(QEMU72, "zba"));
	CHECK(riscv_isa_has(QEMU72, "zbs"));
	CHECK(riscv_isa_has(QEMU72, "sstc"));
	CHECK(riscv_isa_has(QEMU72, "zihintpause"));
	CHECK(!riscv_isa_has(QEMU72, "zb"));
	CHECK(!riscv_isa_has(QEMU72, "zihint"));
	CHECK(!riscv_isa_has(QEMU72, "zicboz"));
	CHECK(!riscv_isa_has("rv64imac_zicbozz", "zicboz"));
}

TEST(isa_versions_and_g)
{
	const char *isa = "rv64i2p1m2p0a2p1fdc_zicboz1p0_zba1_zbkb";
	CHECK(riscv_isa_has(isa, "m"));
	CHECK(riscv_isa_has(isa, "a"));
	CHECK(riscv_isa_has(isa, "f"));
	CHECK(riscv_isa_has(isa, "c"));
	CHECK(!riscv_isa_has(isa, "p")); /* a version's "p", not an extension */
	CHECK(riscv_isa_has(isa, "zicboz"));
	CHECK(riscv_isa_has(isa, "zba"));
	CHECK(riscv_isa_has(isa, "zbkb"));
	CHECK(!riscv_isa_has(isa, "zicsr"));
	CHECK(riscv_isa_has("rv64gc", "d"));
	CHECK(riscv_isa_has("rv64gc", "zicsr"));
	CHECK(riscv_isa_has("rv64gc", "zifencei"));
	CHECK(!riscv_isa_has("rv64gc", "h"));
	CHECK(!riscv_isa_has("rv32imac", "i")); /* not a 64-bit hart */
}
