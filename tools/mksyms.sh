#!/bin/bash
# Turns `nm -n` output into an assembly file holding the kernel's function
# symbols, sorted by address, for the panic backtrace:
#   ksyms_count: .quad N
#   ksyms_addrs: N addresses;  ksyms_names: N offsets into ksyms_strtab
set -e
in=$1 out=$2
{
	echo '.section .ksyms, "a"'
	echo '.balign 8'
	echo '.globl ksyms_count, ksyms_addrs, ksyms_names, ksyms_strtab'
	awk 'BEGIN { n = 0 } NF == 3 && $2 ~ /^[tTwW]$/ { a[n] = $1; s[n] = $3; n++ }
	END {
		print "ksyms_count: .quad " n + 0
		print "ksyms_addrs:"
		for (i = 0; i < n; i++) print "\t.quad 0x" a[i]
		print "ksyms_names:"
		off = 0
		for (i = 0; i < n; i++) { print "\t.quad " off; off += length(s[i]) + 1 }
		print "ksyms_strtab:"
		for (i = 0; i < n; i++) print "\t.asciz \"" s[i] "\""
	}' "$in"
} > "$out"
