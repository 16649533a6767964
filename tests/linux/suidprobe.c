/*
 * Helper of t_perm, installed set-user-ID root (mode 4755) in the image:
 * prints the ids it runs with and AT_SECURE, as
 * "ruid euid suid rgid egid secure".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 1;
	printf("%u %u %u %u %u %lu\n", r, e, s, rg, eg, getauxval(AT_SECURE));
	return 0;
}
