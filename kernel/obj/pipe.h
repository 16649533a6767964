/*
 * Pipes: a ring buffer (64 KiB at first) between a read end and a write end, each a
 * kernel object.  Readers block while it is empty and see end of file
 * once every write end is closed; writers block while it is full and get
 * EPIPE (and SIGPIPE) once every read end is closed.  Writes of at most
 * PIPE_BUF bytes are atomic.
 */
#ifndef OBJ_PIPE_H
#define OBJ_PIPE_H

#include "obj/kobj.h"

#define PIPE_BUF 4096
/* The largest buffer an unprivileged task may ask for (Linux's default
 * /proc/sys/fs/pipe-max-size). */
#define PIPE_MAX_SIZE (1024 * 1024)

/* Creates a pipe; ends[0] reads, ends[1] writes.  Flags: O_NONBLOCK. */
int pipe_create(struct kobj *ends[2], unsigned flags);

/* Opens the FIFO file (every open of the file, from any ABI, shares one
 * pipe, found by superblock and inode number, while one is open; its data
 * goes with the last close; fstat reports the file).  As Linux: O_RDONLY waits
 * for a writer unless O_NONBLOCK, O_WRONLY waits for a reader (ENXIO with
 * O_NONBLOCK), O_RDWR never waits.  -EINTR when a signal cuts the wait. */
struct path;
int pipe_open_fifo(const struct path *file, int oflags, struct kobj **out);

/* F_GETPIPE_SZ / F_SETPIPE_SZ: the buffer size of the pipe of end o
 * (EBADF if o is no pipe); setting rounds up to a power of two pages,
 * returns the new size (0 gives one page), EBUSY if the content would not
 * fit, EPERM past PIPE_MAX_SIZE unless privileged, EINVAL past 2^31,
 * ENOMEM beyond what one block of pages can hold (4 MiB). */
long pipe_get_size(struct kobj *o);
long pipe_set_size(struct kobj *o, uint64_t size, bool privileged);

/* For splice, tee and vmsplice (o must be a pipe end, pipe_is): reads and
 * writes that may be made non-blocking per call, and a read that leaves
 * the data in the pipe (peek). */
bool pipe_is(struct kobj *o);
bool pipe_same(struct kobj *a, struct kobj *b); /* two ends of one pipe */
long pipe_room(struct kobj *o);                 /* free bytes in its buffer */
ssize_t pipe_read_nb(struct kobj *o, struct iobuf *io, bool nonblock, bool peek);
ssize_t pipe_write_nb(struct kobj *o, struct iobuf *io, bool nonblock);

#endif
