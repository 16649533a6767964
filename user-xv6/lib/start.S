/*
 * Entry point of our xv6 programs.  xv6's exec starts a program with
 * a0 = argc and a1 = argv (the strings and the argv array sit on the
 * user stack); main's return value becomes the exit status.
 */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	li fp, 0
	li ra, 0
	andi sp, sp, -16
	call main
	call exit
1:	j 1b
	.size _start, . - _start
