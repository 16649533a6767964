/*
 * Local sockets (POSIX AF_UNIX): stream, datagram and sequenced-packet
 * sockets between processes of one machine, as kernel objects any ABI's
 * process can hold (read and write work on a connected one like on a
 * pipe end).  ABI modules translate their system calls, address layouts
 * and control messages into the calls below.
 *
 * Names are either paths (bind makes a socket inode in the filesystem,
 * which connect and sendto resolve) or abstract names (a leading NUL
 * byte, in a table of their own), or none (unnamed).  Messages may carry
 * kernel objects (descriptor passing) and the sender's credentials.
 *
 * Every function returns 0 / a count or -ERRNO.
 */
#ifndef OBJ_USOCK_H
#define OBJ_USOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "core/uaccess.h"
#include "obj/kobj.h"

struct fs_struct;

/* Socket types (the values POSIX systems share). */
#define USOCK_STREAM    1
#define USOCK_DGRAM     2
#define USOCK_SEQPACKET 5

/* The longest name (sun_path's size). */
#define USOCK_NAME_MAX 108
/* The most objects one message may carry. */
#define USOCK_RIGHTS_MAX 253

/* A socket name: len bytes of name; len 0 is unnamed, name[0] == 0 an
 * abstract name, else a path whose len counts its terminating NUL. */
struct usock_addr {
	size_t len;
	char name[USOCK_NAME_MAX + 1];
};

/* Who sent a message or made a connection: process id and ids. */
struct usock_cred {
	int32_t pid;
	uint32_t uid, gid;
};

/* usock_msg.flags, in */
#define USOCK_DONTWAIT 0x1  /* do not block */
#define USOCK_PEEK     0x2  /* receive: leave the data queued */
#define USOCK_WAITALL  0x4  /* stream receive: wait for the whole buffer */
#define USOCK_NOSIGNAL 0x8  /* send: no SIGPIPE with EPIPE */
#define USOCK_TRUNC    0x10 /* receive: return a record's full length */
/* usock_msg.out, out */
#define USOCK_OUT_TRUNC 0x1 /* the record was longer than the buffer */

/* One send or receive. */
struct usock_msg {
	struct iobuf *iov; /* the data, in order */
	int niov;
	unsigned flags;
	/* send: where to (NULL or len 0: the connected peer); receive: the
	 * sender's name (len 0 when unnamed or for a stream). */
	struct usock_addr addr;
	bool has_addr;
	/* send: objects to pass (references taken over, also on failure);
	 * receive: objects passed (a kmalloc'd array of references that the
	 * caller installs or puts, then frees). */
	struct kobj **rights;
	int nrights;
	/* send: explicit credentials when has_cred (checked: only an
	 * administrator may claim others'); receive: the sender's. */
	bool has_cred;
	struct usock_cred cred;
	unsigned out;
};

/* Options an ABI sets and reads back (usock_set_opts says which). */
struct usock_opts {
	uint64_t rcvtimeo, sndtimeo; /* ns a receive (accept) or send (connect)
	                                waits at most, then EAGAIN; 0: forever */
	int rcvlowat;                /* a stream read waits for this many bytes */
	int peek_off;                /* >= 0: where peeks start (moved by them) */
	bool linger;                 /* kept for getsockopt only: a close */
	int linger_secs;             /* never waits for data to be read */
	bool reuseaddr, keepalive;   /* kept for getsockopt only */
};
#define USOCK_OPT_RCVTIMEO  0x1
#define USOCK_OPT_SNDTIMEO  0x2
#define USOCK_OPT_RCVLOWAT  0x4
#define USOCK_OPT_PEEK_OFF  0x8
#define USOCK_OPT_LINGER    0x10
#define USOCK_OPT_REUSEADDR 0x20
#define USOCK_OPT_KEEPALIVE 0x40

/* What getsockopt reports. */
struct usock_info {
	int type;
	bool listening;
	bool passcred;
	size_t sndbuf, rcvbuf;
	bool has_peercred;
	struct usock_cred peercred;
	struct usock_opts opts;
};

int usock_create(int type, unsigned status, struct kobj **out);
/* Two connected sockets. */
int usock_pair(int type, unsigned status, struct kobj *out[2]);
bool usock_is(struct kobj *o);

/* addr->len 0: a fresh abstract name (autobind).  A path is made with
 * mode & ~umask; EADDRINUSE when the name is taken, EINVAL when the socket
 * is already named. */
int usock_bind(struct kobj *o, struct fs_struct *fs, const struct usock_addr *addr);
int usock_listen(struct kobj *o, int backlog);
/* Takes the next connection; status: O_NONBLOCK for the new socket. */
int usock_accept(struct kobj *o, unsigned status, struct kobj **out);
/* NULL addr: a datagram socket forgets its peer. */
int usock_connect(struct kobj *o, struct fs_struct *fs, const struct usock_addr *addr);
/* The socket's own name, or its peer's (ENOTCONN without one). */
int usock_name(struct kobj *o, bool peer, struct usock_addr *out);
#define USOCK_SHUT_RD 0x1
#define USOCK_SHUT_WR 0x2
int usock_shutdown(struct kobj *o, unsigned how);

ssize_t usock_send(struct kobj *o, struct fs_struct *fs, struct usock_msg *m);
ssize_t usock_recv(struct kobj *o, struct usock_msg *m);

void usock_info(struct kobj *o, struct usock_info *info);
/* The pending error, cleared (SO_ERROR). */
int usock_take_error(struct kobj *o);
/* Makes err (-ERRNO) the pending error (as a failed receive of a batch
 * leaves it for the next call). */
void usock_set_error(struct kobj *o, int err);
/* Buffer sizes as asked: the kernel keeps twice that, at least its
 * minimum and, unless forced, at most twice its maximum. */
void usock_set_bufsize(struct kobj *o, bool send, size_t size, bool force);
/* Sets the options of in that `which` (USOCK_OPT_*) names. */
void usock_set_opts(struct kobj *o, const struct usock_opts *in, unsigned which);
void usock_set_passcred(struct kobj *o, bool on);

#endif
