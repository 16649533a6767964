#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(int clock, struct timespec *ts); /* CLOCK_* from scarlet/abi.h */
time_t time(time_t *t);
#endif
