/* hello: greets and shows its process ids (a first test of exec and stdio). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("Hello, world!\n");
	printf("PID = %d\n", getpid());
	printf("PPID = %d\n", getppid());
	return 0;
}
