/*
 * init: the first xv6 program.  Opens the console (creating the device
 * node "console" if missing) as descriptors 0, 1 and 2, then keeps a
 * shell running, starting a new one whenever it exits.  It also reaps
 * orphans.  "init cmd args..." instead runs cmd once and exits with its
 * status.  Commands are looked up by name, then under "/".
 */
#include "types.h"
#include "stat.h"
#include "fcntl.h"
#include "param.h"
#include "user.h"

static void open_console(void)
{
	int fd;

	if ((fd = open("console", O_RDWR)) < 0) {
		mknod("console", CONSOLE, 0);
		fd = open("console", O_RDWR);
	}
	if (fd < 0)
		return; /* keep whatever descriptors we were given */
	if (fd != 0) {
		close(0);
		dup(fd);
		close(fd);
	}
	close(1);
	dup(0);
	close(2);
	dup(0);
}

static void exec_by_name(char **argv)
{
	char path[MAXPATH];

	exec(argv[0], argv);
	if (argv[0][0] != '/' && strlen(argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, argv[0]);
		exec(path, argv);
	}
	fprintf(2, "init: exec %s failed\n", argv[0]);
	exit(127);
}

/* Runs argv in a child; waits for it, reaping other children meanwhile. */
static int run(char **argv)
{
	int pid = fork(), w, status = -1;

	if (pid < 0) {
		fprintf(2, "init: fork failed\n");
		return -1;
	}
	if (pid == 0)
		exec_by_name(argv);
	while ((w = wait(&status)) >= 0 && w != pid)
		;
	return w == pid ? status : -1;
}

int main(int argc, char **argv)
{
	static char *sh[] = {"sh", 0};

	open_console();
	if (argc > 1)
		exit(run(argv + 1));
	for (;;) {
		printf("init: starting sh\n");
		if (run(sh) < 0)
			pause(10); /* do not spin if the shell cannot start */
	}
}
