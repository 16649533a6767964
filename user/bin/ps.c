/* ps: lists every task: PID PPID STAT ABI MEM(KiB) NAME. */
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define MAX_TASKS 512

int main(void)
{
	struct sc_procinfo *p = calloc(MAX_TASKS, sizeof(*p));
	int n, i;

	if (!p || (n = sc_procinfo(p, MAX_TASKS)) < 0) {
		fprintf(stderr, "ps: %s\n", strerror(errno));
		return 1;
	}
	printf("%5s %5s %-4s %-14s %8s %s\n", "PID", "PPID", "STAT", "ABI", "MEM", "NAME");
	for (i = 0; i < n; i++) {
		printf("%5d %5d %-4c %-14.15s %7lluK %.32s\n", p[i].pid, p[i].ppid, p[i].state,
		       p[i].abi, (unsigned long long)(p[i].mem / 1024), p[i].name);
	}
	return 0;
}
