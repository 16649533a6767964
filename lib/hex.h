/*
 * Hexadecimal digits, for parsers in the kernel (cpio headers, magic
 * bytes of the runtime registry).
 */
#ifndef LIB_HEX_H
#define LIB_HEX_H

/* The value of hex digit c, or -1 if c is not one. */
static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
