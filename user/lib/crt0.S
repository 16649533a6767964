/*
 * Entry point of native programs and the ABI note that marks them.
 *
 * The kernel starts a program with sp pointing at argc, followed by
 * argv[0..argc-1], NULL, envp..., NULL and the auxv pairs.  argc, argv
 * and envp are recomputed from sp here, so nothing depends on the
 * registers the kernel also sets.
 */

	.section .note.scarlet, "a"
	.balign 4
	.4byte 8          /* namesz: "Scarlet\0" */
	.4byte 4          /* descsz */
	.4byte 0x5343     /* type: 'SC' */
	.ascii "Scarlet\0"
	.4byte 1          /* native ABI version */

	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	li fp, 0
	li ra, 0
	ld a0, 0(sp)              /* argc */
	addi a1, sp, 8            /* argv */
	slli t0, a0, 3
	add a2, a1, t0
	addi a2, a2, 8            /* envp = argv + argc + 1 */
	andi sp, sp, -16
	call __libc_start
1:	j 1b
	.size _start, . - _start
