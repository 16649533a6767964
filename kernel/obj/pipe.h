/*
 * Pipes: a 64 KiB ring buffer between a read end and a write end, each a
 * kernel object.  Readers block while it is empty and see end of file
 * once every write end is closed; writers block while it is full and get
 * EPIPE (and SIGPIPE) once every read end is closed.  Writes of at most
 * PIPE_BUF bytes are atomic.
 */
#ifndef OBJ_PIPE_H
#define OBJ_PIPE_H

#include "obj/kobj.h"

#define PIPE_BUF 4096

/* Creates a pipe; ends[0] reads, ends[1] writes.  Flags: O_NONBLOCK. */
int pipe_create(struct kobj *ends[2], unsigned flags);

#endif
