/*
 * What fstat says about objects that are not files (eventfd, epoll,
 * timerfd, signalfd): no type bits, mode 0600, an inode number of their
 * own, like Linux's anonymous inodes.
 */
#ifndef OBJ_ANON_H
#define OBJ_ANON_H

#include <stdint.h>

struct kobj;
struct vattr;

/* A fresh inode number for a new anonymous object. */
uint64_t anon_ino_next(void);
/* Fills va for the anonymous object with inode number ino. */
void anon_stat(struct vattr *va, uint64_t ino);
/* Their seek: accepted, does nothing, says 0 (Linux's noop_llseek). */
int64_t anon_seek(struct kobj *o, int64_t off, int whence);

#endif
