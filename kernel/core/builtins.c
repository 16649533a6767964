/*
 * Helpers GCC may call for builtins the base RV64I ISA has no instruction
 * for (count leading/trailing zeros).  The kernel is built without
 * libgcc, whose multilib for the soft-float kernel ABI is not installed.
 */
int __clzdi2(unsigned long x);
int __ctzdi2(unsigned long x);

int __clzdi2(unsigned long x)
{
	int n = 0;
	for (unsigned long bit = 1UL << 63; bit && !(x & bit); bit >>= 1)
		n++;
	return n;
}

int __ctzdi2(unsigned long x)
{
	int n = 0;
	for (unsigned long bit = 1; bit && !(x & bit); bit <<= 1)
		n++;
	return n;
}
