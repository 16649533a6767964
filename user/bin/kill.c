/*
 * kill [-SIGNUM | -NAME | -s NAME] pid...: sends a signal (TERM by
 * default); a negative pid signals that process group.  kill -l lists the
 * signal names.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int num;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
};
#define NSIGNALS (int)(sizeof(signals) / sizeof(signals[0]))

/* Signal number of "9", "KILL" or "SIGKILL"; -1 when unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long v;
	int i;

	if (isdigit((unsigned char)*s)) {
		v = strtol(s, &end, 10);
		return *end == '\0' && v >= 0 && v < NSIG ? (int)v : -1;
	}
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < NSIGNALS; i++) {
		if (strcmp(s, signals[i].name) == 0)
			return signals[i].num;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;
	char *end;
	long pid;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < NSIGNALS; i++)
			printf("%2d %s\n", signals[i].num, signals[i].name);
		return 0;
	}
	if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
		sig = parse_signal(argv[i + 1]);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
		sig = parse_signal(argv[i] + 1);
		i++;
	}
	if (sig < 0) {
		fprintf(stderr, "kill: %s: invalid signal\n", argv[i - 1]);
		return 1;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] pid...\n");
		return 1;
	}
	for (; i < argc; i++) {
		pid = strtol(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0') {
			fprintf(stderr, "kill: %s: invalid process id\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
