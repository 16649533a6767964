/*
 * Linux sockets: the AF_UNIX family over the kernel's local sockets
 * (obj/usock.h).  This file adds Linux's address layout (sockaddr_un),
 * flags, socket options and control messages (SCM_RIGHTS,
 * SCM_CREDENTIALS).  Other families fail with EAFNOSUPPORT, as on a
 * Linux built without them.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "abi/linux/ltime.h"
#include "core/time.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "obj/usock.h"
#include "proc/cred.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

#define LINUX_AF_UNSPEC 0
#define LINUX_AF_UNIX   1
#define LINUX_NPROTO    46

#define LINUX_SOCK_STREAM    1
#define LINUX_SOCK_DGRAM     2
#define LINUX_SOCK_RAW       3
#define LINUX_SOCK_SEQPACKET 5
#define LINUX_SOCK_MAX       11
#define LINUX_SOCK_TYPE_MASK 0xf
#define LINUX_SOCK_NONBLOCK  O_NONBLOCK
#define LINUX_SOCK_CLOEXEC   O_CLOEXEC

#define LINUX_MSG_OOB          0x1
#define LINUX_MSG_PEEK         0x2
#define LINUX_MSG_CTRUNC       0x8
#define LINUX_MSG_TRUNC        0x20
#define LINUX_MSG_DONTWAIT     0x40
#define LINUX_MSG_WAITALL      0x100
#define LINUX_MSG_WAITFORONE   0x10000
#define LINUX_MSG_NOSIGNAL     0x4000
#define LINUX_MSG_CMSG_CLOEXEC 0x40000000

#define LINUX_SOL_SOCKET      1
#define LINUX_SO_REUSEADDR    2
#define LINUX_SO_TYPE         3
#define LINUX_SO_ERROR        4
#define LINUX_SO_SNDBUF       7
#define LINUX_SO_RCVBUF       8
#define LINUX_SO_KEEPALIVE    9
#define LINUX_SO_LINGER       13
#define LINUX_SO_PASSCRED     16
#define LINUX_SO_PEERCRED     17
#define LINUX_SO_RCVLOWAT     18
#define LINUX_SO_SNDLOWAT     19
#define LINUX_SO_RCVTIMEO_OLD 20 /* riscv64's numbers (asm-generic) */
#define LINUX_SO_SNDTIMEO_OLD 21
#define LINUX_SO_ACCEPTCONN   30
#define LINUX_SO_SNDBUFFORCE  32
#define LINUX_SO_RCVBUFFORCE  33
#define LINUX_SO_PROTOCOL     38
#define LINUX_SO_DOMAIN       39
#define LINUX_SO_PEEK_OFF     42
#define LINUX_SO_RCVTIMEO_NEW 66
#define LINUX_SO_SNDTIMEO_NEW 67
#define LINUX_SCM_RIGHTS      1
#define LINUX_SCM_CREDENTIALS 2

#define SUN_PATH_OFF   2 /* offsetof(struct sockaddr_un, sun_path) */
#define SOCKADDR_UN_SZ (SUN_PATH_OFF + USOCK_NAME_MAX)
#define OPTMEM_MAX     131072 /* Linux's net.core.optmem_max: control data bound */
#define IOV_MAX        1024

struct linux_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad1;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	uint32_t flags;
	uint32_t pad2;
};

struct linux_mmsghdr {
	struct linux_msghdr hdr;
	uint32_t len;
	uint32_t pad;
};

struct linux_cmsghdr {
	uint64_t len;
	int32_t level;
	int32_t type;
};

struct linux_linger {
	int32_t onoff;
	int32_t linger;
};

struct linux_ucred {
	int32_t pid;
	uint32_t uid, gid;
};

#define CMSG_ALIGN(n) (((n) + 7) & ~(size_t)7)
#define CMSG_HDR      sizeof(struct linux_cmsghdr)

/* ------------------------------------------------------------ helpers */

/* The socket behind fd, referenced: EBADF, ENOTSOCK. */
static long sock_get(int fd, struct kobj **out)
{
	struct kobj *o = linux_fd_get_io(fd);
	if (!o)
		return -EBADF;
	if (!usock_is(o)) {
		kobj_put(o);
		return -ENOTSOCK;
	}
	*out = o;
	return 0;
}

static long install(struct kobj *o, bool cloexec)
{
	int fd = handle_install(current()->handles, o, cloexec ? HANDLE_CLOEXEC : 0, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

/* A sockaddr_un from user memory: EINVAL unless AF_UNIX with a name (a
 * path, cut at its first NUL, or an abstract name). */
static long get_addr(uint64_t uaddr, uint64_t len, struct usock_addr *a)
{
	char buf[SOCKADDR_UN_SZ + 1];
	if (len <= SUN_PATH_OFF || len > SOCKADDR_UN_SZ)
		return -EINVAL;
	if (copy_from_user(buf, (void *)uaddr, len) < 0)
		return -EFAULT;
	if (*(uint16_t *)buf != LINUX_AF_UNIX)
		return -EINVAL;
	size_t n = len - SUN_PATH_OFF;
	const char *name = buf + SUN_PATH_OFF;
	memset(a, 0, sizeof(*a));
	if (name[0] == '\0') {
		a->len = n;
		memcpy(a->name, name, n);
	} else {
		a->len = strnlen(name, n) + 1;
		memcpy(a->name, name, a->len - 1);
	}
	return 0;
}

/* Writes a as a sockaddr_un to uaddr (at most *ulen bytes) and its
 * length to *ulen, as Linux: `unnamed` says how long an unnamed one is
 * (2 for names of sockets, 0 for senders). */
static long put_addr(const struct usock_addr *a, uint64_t uaddr, uint64_t ulen, size_t unnamed)
{
	if (!uaddr || !ulen)
		return 0;
	int32_t have;
	if (copy_from_user(&have, (void *)ulen, sizeof(have)) < 0)
		return -EFAULT;
	if (have < 0)
		return -EINVAL;
	char buf[SOCKADDR_UN_SZ];
	size_t len = a->len ? SUN_PATH_OFF + a->len : unnamed;
	if (len > sizeof(buf))
		len = sizeof(buf);
	*(uint16_t *)buf = LINUX_AF_UNIX;
	memcpy(buf + SUN_PATH_OFF, a->name, len > SUN_PATH_OFF ? len - SUN_PATH_OFF : 0);
	size_t n = MIN(len, (size_t)have);
	if (n && copy_to_user((void *)uaddr, buf, n) < 0)
		return -EFAULT;
	int32_t out = (int32_t)len;
	return copy_to_user((void *)ulen, &out, sizeof(out)) < 0 ? -EFAULT : 0;
}

/* ------------------------------------------------------------ creation */

/* Checks family, type and protocol as Linux does, in its order; returns
 * the kernel's socket type. */
static long check_socket_args(uint64_t family, uint64_t type, uint64_t protocol)
{
	int base = (int)type & ~(LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC);
	if ((int)type & ~(LINUX_SOCK_TYPE_MASK | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC))
		return -EINVAL;
	if ((int)family < 0 || (int)family >= LINUX_NPROTO)
		return -EAFNOSUPPORT;
	if (base < 0 || base >= LINUX_SOCK_MAX)
		return -EINVAL;
	if ((int)family != LINUX_AF_UNIX) {
		abi_log_missing("linux: pid %d: socket family %d is not implemented\n",
		                current()->pid, (int)family);
		return -EAFNOSUPPORT;
	}
	if (protocol && (int)protocol != LINUX_AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (base) {
	case LINUX_SOCK_STREAM:
		return USOCK_STREAM;
	case LINUX_SOCK_DGRAM:
	case LINUX_SOCK_RAW: /* Linux makes it a datagram socket */
		return USOCK_DGRAM;
	case LINUX_SOCK_SEQPACKET:
		return USOCK_SEQPACKET;
	default:
		return -ESOCKTNOSUPPORT;
	}
}

LINUX_SYSCALL(socket)
{
	LINUX_UNUSED();
	long type = check_socket_args(a0, a1, a2);
	if (type < 0)
		return type;
	struct kobj *o;
	long r = usock_create((int)type, (unsigned)a1 & O_NONBLOCK, &o);
	return r < 0 ? r : install(o, a1 & LINUX_SOCK_CLOEXEC);
}

LINUX_SYSCALL(socketpair)
{
	LINUX_UNUSED();
	long type = check_socket_args(a0, a1, a2);
	if (type < 0)
		return type;
	struct kobj *o[2];
	long r = usock_pair((int)type, (unsigned)a1 & O_NONBLOCK, o);
	if (r < 0)
		return r;
	int fd0 = (int)install(o[0], a1 & LINUX_SOCK_CLOEXEC);
	if (fd0 < 0) {
		kobj_put(o[1]);
		return fd0;
	}
	int fd1 = (int)install(o[1], a1 & LINUX_SOCK_CLOEXEC);
	if (fd1 < 0) {
		handle_close(current()->handles, fd0);
		return fd1;
	}
	int fds[2] = {fd0, fd1};
	if (copy_to_user((void *)a3, fds, sizeof(fds)) < 0) {
		handle_close(current()->handles, fd0);
		handle_close(current()->handles, fd1);
		return -EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------ names */

LINUX_SYSCALL(bind)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = sock_get((int)a0, &o);
	if (r < 0)
		return r;
	struct usock_addr a = {0};
	uint16_t family;
	if (a2 == SUN_PATH_OFF) {
		/* just the family: a fresh abstract name */
		if (copy_from_user(&family, (void *)a1, sizeof(family)) < 0)
			r = -EFAULT;
		else if (family != LINUX_AF_UNIX)
			r = -EINVAL;
	} else {
		r = get_addr(a1, a2, &a);
	}
	if (r == 0)
		r = usock_bind(o, current()->fs, &a);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(listen)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = sock_get((int)a0, &o);
	if (r < 0)
		return r;
	r = usock_listen(o, (int)a1);
	kobj_put(o);
	return r;
}

static long do_accept(uint64_t fd, uint64_t uaddr, uint64_t ulen, uint64_t flags)
{
	if (flags & ~(uint64_t)(LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC))
		return -EINVAL;
	struct kobj *o, *c;
	long r = sock_get((int)fd, &o);
	if (r < 0)
		return r;
	r = usock_accept(o, (unsigned)flags & O_NONBLOCK, &c);
	kobj_put(o);
	if (r < 0)
		return r;
	struct usock_addr peer;
	if (usock_name(c, true, &peer) < 0)
		peer.len = 0;
	r = put_addr(&peer, uaddr, ulen, SUN_PATH_OFF);
	if (r < 0) {
		kobj_put(c);
		return r;
	}
	return install(c, flags & LINUX_SOCK_CLOEXEC);
}

LINUX_SYSCALL(accept)
{
	LINUX_UNUSED();
	return do_accept(a0, a1, a2, 0);
}

LINUX_SYSCALL(accept4)
{
	LINUX_UNUSED();
	return do_accept(a0, a1, a2, a3);
}

LINUX_SYSCALL(connect)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = sock_get((int)a0, &o);
	if (r < 0)
		return r;
	struct usock_info info;
	usock_info(o, &info);
	uint16_t family = 0;
	if (a2 >= sizeof(family) && copy_from_user(&family, (void *)a1, sizeof(family)) < 0)
		r = -EFAULT;
	else if (info.type == USOCK_DGRAM && a2 >= sizeof(family) && family == LINUX_AF_UNSPEC)
		r = usock_connect(o, current()->fs, NULL);
	else {
		struct usock_addr a;
		r = get_addr(a1, a2, &a);
		if (r == 0)
			r = usock_connect(o, current()->fs, &a);
	}
	kobj_put(o);
	return r;
}

static long get_name(uint64_t fd, uint64_t uaddr, uint64_t ulen, bool peer)
{
	struct kobj *o;
	long r = sock_get((int)fd, &o);
	if (r < 0)
		return r;
	struct usock_addr a;
	r = usock_name(o, peer, &a);
	kobj_put(o);
	if (r < 0)
		return r;
	if (!uaddr || !ulen)
		return -EFAULT;
	return put_addr(&a, uaddr, ulen, SUN_PATH_OFF);
}

LINUX_SYSCALL(getsockname)
{
	LINUX_UNUSED();
	return get_name(a0, a1, a2, false);
}

LINUX_SYSCALL(getpeername)
{
	LINUX_UNUSED();
	return get_name(a0, a1, a2, true);
}

LINUX_SYSCALL(shutdown)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = sock_get((int)a0, &o);
	if (r < 0)
		return r;
	int how = (int)a1;
	if (how < 0 || how > 2)
		r = -EINVAL;
	else
		r = usock_shutdown(o,
		                   (unsigned)how + 1); /* SHUT_RD 0 -> 1, WR 1 -> 2, RDWR 2 -> 3 */
	kobj_put(o);
	return r;
}

/* ------------------------------------------------------------ options */

/* An option's value out, cut to the length the caller has room for,
 * which is updated (as Linux: EINVAL for a negative one). */
static long put_opt(const void *v, size_t size, uint64_t uval, uint64_t ulen)
{
	int32_t len;
	if (copy_from_user(&len, (void *)ulen, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = MIN(len, (int32_t)size);
	if (copy_to_user((void *)uval, v, (size_t)len) < 0 ||
	    copy_to_user((void *)ulen, &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

static long put_int_opt(int v, uint64_t uval, uint64_t ulen)
{
	return put_opt(&v, sizeof(v), uval, ulen);
}

static long put_timeout_opt(uint64_t ns, uint64_t uval, uint64_t ulen)
{
	struct linux_timeval tv = {(int64_t)(ns / NSEC_PER_SEC),
	                           (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC)};
	return put_opt(&tv, sizeof(tv), uval, ulen);
}

static long getsockopt_sol(struct kobj *o, int opt, uint64_t uval, uint64_t ulen)
{
	struct usock_info info;
	usock_info(o, &info);
	switch (opt) {
	case LINUX_SO_TYPE:
		return put_int_opt(info.type, uval, ulen);
	case LINUX_SO_ERROR:
		return put_int_opt(-usock_take_error(o), uval, ulen);
	case LINUX_SO_SNDBUF:
		return put_int_opt((int)info.sndbuf, uval, ulen);
	case LINUX_SO_RCVBUF:
		return put_int_opt((int)info.rcvbuf, uval, ulen);
	case LINUX_SO_PASSCRED:
		return put_int_opt(info.passcred, uval, ulen);
	case LINUX_SO_ACCEPTCONN:
		return put_int_opt(info.listening, uval, ulen);
	case LINUX_SO_DOMAIN:
		return put_int_opt(LINUX_AF_UNIX, uval, ulen);
	case LINUX_SO_PROTOCOL:
		return put_int_opt(0, uval, ulen);
	case LINUX_SO_REUSEADDR:
		return put_int_opt(info.opts.reuseaddr, uval, ulen);
	case LINUX_SO_KEEPALIVE:
		return put_int_opt(info.opts.keepalive, uval, ulen);
	case LINUX_SO_RCVLOWAT:
		return put_int_opt(info.opts.rcvlowat, uval, ulen);
	case LINUX_SO_SNDLOWAT:
		return put_int_opt(1, uval, ulen);
	case LINUX_SO_PEEK_OFF:
		return put_int_opt(info.opts.peek_off, uval, ulen);
	case LINUX_SO_RCVTIMEO_OLD:
	case LINUX_SO_RCVTIMEO_NEW:
		return put_timeout_opt(info.opts.rcvtimeo, uval, ulen);
	case LINUX_SO_SNDTIMEO_OLD:
	case LINUX_SO_SNDTIMEO_NEW:
		return put_timeout_opt(info.opts.sndtimeo, uval, ulen);
	case LINUX_SO_LINGER: {
		struct linux_linger l = {info.opts.linger, info.opts.linger_secs};
		return put_opt(&l, sizeof(l), uval, ulen);
	}
	case LINUX_SO_PEERCRED: {
		/* without a peer: no pid, the overflow ids */
		struct linux_ucred uc = {0, 65534, 65534};
		if (info.has_peercred)
			uc = (struct linux_ucred){pid_vnr(info.peercred.pid), info.peercred.uid,
			                          info.peercred.gid};
		return put_opt(&uc, sizeof(uc), uval, ulen);
	}
	default:
		abi_log_missing("linux: pid %d: getsockopt SOL_SOCKET %d is not implemented\n",
		                current()->pid, opt);
		return -ENOPROTOOPT;
	}
}

/* A timeout option's timeval, as Linux's sock_set_timeout: EDOM for
 * microseconds out of range; a negative time waits not at all (1 ns
 * here), zero or one too long for Linux's clock ticks forever (0). */
static long get_timeout_opt(uint64_t uval, uint64_t len, uint64_t *ns)
{
	struct linux_timeval tv;
	if (len < sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, (void *)uval, sizeof(tv)) < 0)
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		*ns = 1;
	else if (tv.tv_sec >= INT32_MAX)
		*ns = 0;
	else
		*ns = (uint64_t)tv.tv_sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

/* A buffer size: as asked but unsigned (a negative one is past the
 * maximum), or with FORCE past the maximum, for CAP_NET_ADMIN only. */
static long set_bufsize(struct kobj *o, bool send, bool force, int v)
{
	if (force && !cred_capable(cred_current(), CAP_NET_ADMIN))
		return -EPERM;
	usock_set_bufsize(o, send, force ? (size_t)MAX(v, 0) : (size_t)(uint32_t)v, force);
	return 0;
}

/* Options whose value is more than an int. */
static long setsockopt_struct(struct kobj *o, int opt, uint64_t uval, uint64_t len)
{
	struct usock_opts u = {0};
	long r;
	switch (opt) {
	case LINUX_SO_RCVTIMEO_OLD:
	case LINUX_SO_RCVTIMEO_NEW:
		r = get_timeout_opt(uval, len, &u.rcvtimeo);
		if (r == 0)
			usock_set_opts(o, &u, USOCK_OPT_RCVTIMEO);
		return r;
	case LINUX_SO_SNDTIMEO_OLD:
	case LINUX_SO_SNDTIMEO_NEW:
		r = get_timeout_opt(uval, len, &u.sndtimeo);
		if (r == 0)
			usock_set_opts(o, &u, USOCK_OPT_SNDTIMEO);
		return r;
	default: { /* SO_LINGER */
		struct linux_linger l;
		if (len < sizeof(l))
			return -EINVAL;
		if (copy_from_user(&l, (void *)uval, sizeof(l)) < 0)
			return -EFAULT;
		u.linger = l.onoff != 0;
		u.linger_secs = l.linger;
		usock_set_opts(o, &u, USOCK_OPT_LINGER);
		return 0;
	}
	}
}

static long setsockopt_sol(struct kobj *o, int opt, uint64_t uval, uint64_t len, int v)
{
	struct usock_opts u = {.reuseaddr = v != 0, .keepalive = v != 0, .peek_off = v};
	switch (opt) {
	case LINUX_SO_SNDBUF:
	case LINUX_SO_SNDBUFFORCE:
		return set_bufsize(o, true, opt == LINUX_SO_SNDBUFFORCE, v);
	case LINUX_SO_RCVBUF:
	case LINUX_SO_RCVBUFFORCE:
		return set_bufsize(o, false, opt == LINUX_SO_RCVBUFFORCE, v);
	case LINUX_SO_PASSCRED:
		usock_set_passcred(o, v != 0);
		return 0;
	case LINUX_SO_REUSEADDR:
		usock_set_opts(o, &u, USOCK_OPT_REUSEADDR);
		return 0;
	case LINUX_SO_KEEPALIVE:
		usock_set_opts(o, &u, USOCK_OPT_KEEPALIVE);
		return 0;
	case LINUX_SO_PEEK_OFF:
		usock_set_opts(o, &u, USOCK_OPT_PEEK_OFF);
		return 0;
	case LINUX_SO_RCVLOWAT:
		u.rcvlowat = v < 0 ? INT32_MAX : v;
		usock_set_opts(o, &u, USOCK_OPT_RCVLOWAT);
		return 0;
	case LINUX_SO_RCVTIMEO_OLD:
	case LINUX_SO_RCVTIMEO_NEW:
	case LINUX_SO_SNDTIMEO_OLD:
	case LINUX_SO_SNDTIMEO_NEW:
	case LINUX_SO_LINGER:
		return setsockopt_struct(o, opt, uval, len);
	case LINUX_SO_TYPE:
	case LINUX_SO_ERROR:
	case LINUX_SO_PEERCRED:
	case LINUX_SO_ACCEPTCONN:
	case LINUX_SO_DOMAIN:
	case LINUX_SO_PROTOCOL:
	case LINUX_SO_SNDLOWAT:
		return -ENOPROTOOPT; /* read-only or fixed, as on Linux */
	default:
		abi_log_missing("linux: pid %d: setsockopt SOL_SOCKET %d is not implemented\n",
		                current()->pid, opt);
		return -ENOPROTOOPT;
	}
}

/* get/setsockopt: only SOL_SOCKET, as AF_UNIX has no level of its own. */
static long sockopt(uint64_t fd, uint64_t level, uint64_t opt, uint64_t uval, uint64_t len,
                    bool set)
{
	struct kobj *o;
	long r = sock_get((int)fd, &o);
	if (r < 0)
		return r;
	int32_t v = 0;
	if ((int)level != LINUX_SOL_SOCKET)
		r = -EOPNOTSUPP;
	else if (!set)
		r = getsockopt_sol(o, (int)opt, uval, len);
	else if ((int)len < (int)sizeof(v))
		r = -EINVAL;
	else if (copy_from_user(&v, (void *)uval, sizeof(v)) < 0)
		r = -EFAULT;
	else
		r = setsockopt_sol(o, (int)opt, uval, len, v);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(getsockopt)
{
	LINUX_UNUSED();
	return sockopt(a0, a1, a2, a3, a4, false);
}

LINUX_SYSCALL(setsockopt)
{
	LINUX_UNUSED();
	return sockopt(a0, a1, a2, a3, a4, true);
}

/* ------------------------------------------------------------ messages */

static unsigned msg_flags_in(uint64_t f)
{
	unsigned k = 0;
	if (f & LINUX_MSG_DONTWAIT)
		k |= USOCK_DONTWAIT;
	if (f & LINUX_MSG_PEEK)
		k |= USOCK_PEEK;
	if (f & LINUX_MSG_WAITALL)
		k |= USOCK_WAITALL;
	if (f & LINUX_MSG_NOSIGNAL)
		k |= USOCK_NOSIGNAL;
	if (f & LINUX_MSG_TRUNC)
		k |= USOCK_TRUNC;
	return k;
}

/* Reads the iovec array into kernel iobufs (kmalloc'd, *out). */
static long get_iov(uint64_t uiov, uint64_t cnt, struct iobuf **out)
{
	if (cnt > IOV_MAX)
		return -EMSGSIZE;
	struct iobuf *io = kmalloc(sizeof(*io) * (cnt ? cnt : 1));
	if (!io)
		return -ENOMEM;
	uint64_t total = 0;
	for (uint64_t i = 0; i < cnt; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (void *)(uiov + i * sizeof(v)), sizeof(v)) < 0) {
			kfree(io);
			return -EFAULT;
		}
		if ((int64_t)v.len < 0 || (total += v.len) > 0x7fffffffUL) {
			kfree(io);
			return -EINVAL;
		}
		io[i] = iobuf_user((void *)v.base, v.len);
	}
	*out = io;
	return 0;
}

/* SCM_CREDENTIALS may only claim the sender's own ids, unless it has the
 * capability for each (CAP_SYS_ADMIN for the pid, CAP_SETUID, CAP_SETGID),
 * as Linux. */
static long check_cred(const struct linux_ucred *uc)
{
	const struct cred *c = cred_current();
	if (uc->pid != task_tgid_vnr(current()) && !cred_capable(c, CAP_SYS_ADMIN))
		return -EPERM;
	if (uc->uid != c->uid && uc->uid != c->euid && uc->uid != c->suid &&
	    !cred_capable(c, CAP_SETUID))
		return -EPERM;
	if (uc->gid != c->gid && uc->gid != c->egid && uc->gid != c->sgid &&
	    !cred_capable(c, CAP_SETGID))
		return -EPERM;
	return 0;
}

/* Adds the objects an SCM_RIGHTS message names to m. */
static long add_rights(struct usock_msg *m, const int32_t *fds, int n)
{
	if (n <= 0)
		return 0;
	if (m->nrights + n > USOCK_RIGHTS_MAX)
		return -EINVAL;
	struct kobj **r = kmalloc(sizeof(*r) * (size_t)(m->nrights + n));
	if (!r)
		return -ENOMEM;
	if (m->nrights)
		memcpy(r, m->rights, sizeof(*r) * (size_t)m->nrights);
	kfree(m->rights);
	m->rights = r;
	for (int i = 0; i < n; i++) {
		struct kobj *o = linux_fd_get(fds[i]);
		if (!o)
			return -EBADF;
		m->rights[m->nrights++] = o;
	}
	return 0;
}

/* Parses sendmsg's control data into m. */
static long parse_control(uint64_t uctl, uint64_t len, struct usock_msg *m)
{
	if (len > OPTMEM_MAX)
		return -ENOBUFS;
	if (len < CMSG_HDR)
		return 0;
	char *buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	long r = copy_from_user(buf, (void *)uctl, len) < 0 ? -EFAULT : 0;
	size_t pos = 0;
	while (r == 0 && len - pos >= CMSG_HDR) {
		struct linux_cmsghdr h;
		memcpy(&h, buf + pos, sizeof(h));
		if (h.len < CMSG_HDR || h.len > len - pos) {
			r = -EINVAL;
			break;
		}
		size_t dlen = h.len - CMSG_HDR;
		const char *data = buf + pos + CMSG_HDR;
		if (h.level != LINUX_SOL_SOCKET) {
			r = -EINVAL;
		} else if (h.type == LINUX_SCM_RIGHTS) {
			int32_t fds[USOCK_RIGHTS_MAX + 1];
			int n = (int)(dlen / sizeof(int32_t));
			if (n > USOCK_RIGHTS_MAX)
				r = -EINVAL;
			else {
				memcpy(fds, data, (size_t)n * sizeof(int32_t));
				r = add_rights(m, fds, n);
			}
		} else if (h.type == LINUX_SCM_CREDENTIALS) {
			struct linux_ucred uc;
			if (dlen != sizeof(uc)) {
				r = -EINVAL;
				break;
			}
			memcpy(&uc, data, sizeof(uc));
			r = check_cred(&uc);
			m->has_cred = true;
			pid_t g = pid_vnr_to_global(uc.pid); /* kept global */
			m->cred = (struct usock_cred){g > 0 ? g : 0, uc.uid, uc.gid};
		} else {
			r = -EINVAL;
		}
		pos += CMSG_ALIGN(h.len);
		if (pos > len)
			break;
	}
	kfree(buf);
	return r;
}

static long do_send(int fd, struct usock_msg *m, uint64_t uaddr, uint64_t alen, uint64_t flags)
{
	struct kobj *o;
	long r = sock_get(fd, &o);
	if (r < 0)
		return r;
	if (flags & LINUX_MSG_OOB) {
		abi_log_missing("linux: pid %d: MSG_OOB on a socket is not implemented\n",
		                current()->pid);
		kobj_put(o);
		return -EOPNOTSUPP;
	}
	m->flags = msg_flags_in(flags);
	if (uaddr && alen) {
		struct usock_info info;
		usock_info(o, &info);
		if (info.type != USOCK_STREAM) {
			r = get_addr(uaddr, alen, &m->addr);
		} else {
			m->addr.len = 1; /* a stream refuses any address */
		}
		m->has_addr = true;
	}
	if (r == 0)
		r = usock_send(o, current()->fs, m);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(sendto)
{
	LINUX_UNUSED();
	struct iobuf io = iobuf_user((void *)a1, MIN(a2, (uint64_t)0x7ffff000));
	struct usock_msg m = {.iov = &io, .niov = 1};
	return do_send((int)a0, &m, a4, a5, a3);
}

static void put_rights(struct usock_msg *m)
{
	for (int i = 0; i < m->nrights; i++)
		if (m->rights[i])
			kobj_put(m->rights[i]);
	kfree(m->rights);
	m->rights = NULL;
	m->nrights = 0;
}

/* One sendmsg of the header at uhdr; *total: the bytes it asked to send. */
static long sendmsg_one(int fd, uint64_t uhdr, uint64_t flags, size_t *total)
{
	struct linux_msghdr h;
	if (copy_from_user(&h, (void *)uhdr, sizeof(h)) < 0)
		return -EFAULT;
	struct usock_msg m = {0};
	long r = get_iov(h.iov, h.iovlen, &m.iov);
	if (r < 0)
		return r;
	m.niov = (int)h.iovlen;
	*total = 0;
	for (int i = 0; i < m.niov; i++)
		*total += m.iov[i].len;
	if (h.controllen)
		r = parse_control(h.control, h.controllen, &m);
	if (r == 0)
		r = do_send(fd, &m, h.name, h.namelen, flags);
	put_rights(&m);
	kfree(m.iov);
	return r;
}

LINUX_SYSCALL(sendmsg)
{
	LINUX_UNUSED();
	size_t total;
	return sendmsg_one((int)a0, a1, a2, &total);
}

/* As Linux: at most UIO_MAXIOV messages; it stops at the first error or
 * short send, and the error is returned only when nothing was sent. */
LINUX_SYSCALL(sendmmsg)
{
	LINUX_UNUSED();
	struct kobj *o;
	long r = sock_get((int)a0, &o);
	if (r < 0)
		return r;
	kobj_put(o);
	unsigned vlen = MIN((unsigned)a2, (unsigned)IOV_MAX), done = 0;
	for (; done < vlen; done++) {
		uint64_t entry = a1 + done * sizeof(struct linux_mmsghdr);
		size_t total;
		r = sendmsg_one((int)a0, entry, a3, &total);
		if (r < 0)
			break;
		uint32_t len = (uint32_t)r;
		if (copy_to_user(&((struct linux_mmsghdr *)entry)->len, &len, sizeof(len)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((size_t)len < total) {
			done++;
			break;
		}
	}
	return done ? (long)done : r;
}

/* Writes one control message at *pos of the user's control buffer (at
 * most cap bytes): truncated with MSG_CTRUNC when it does not fit. */
static long put_cmsg(uint64_t uctl, size_t cap, size_t *pos, int type, const void *data,
                     size_t dlen, uint32_t *oflags)
{
	size_t room = cap - *pos;
	if (room < CMSG_HDR) {
		*oflags |= LINUX_MSG_CTRUNC;
		return 0;
	}
	size_t cmlen = CMSG_HDR + dlen;
	if (room < cmlen) {
		*oflags |= LINUX_MSG_CTRUNC;
		cmlen = room;
	}
	struct linux_cmsghdr h = {cmlen, LINUX_SOL_SOCKET, type};
	if (copy_to_user((void *)(uctl + *pos), &h, sizeof(h)) < 0 ||
	    copy_to_user((void *)(uctl + *pos + CMSG_HDR), data, cmlen - CMSG_HDR) < 0)
		return -EFAULT;
	*pos += MIN(CMSG_ALIGN(CMSG_HDR + dlen), room);
	return 0;
}

/* Installs the objects received (as many as fit in the control buffer,
 * the others closed with MSG_CTRUNC) and writes their SCM_RIGHTS. */
static long put_rights_cmsg(struct usock_msg *m, uint64_t uctl, size_t cap, size_t *pos,
                            bool cloexec, uint32_t *oflags)
{
	size_t room = cap - *pos;
	int fit = room > CMSG_HDR ? (int)((room - CMSG_HDR) / sizeof(int32_t)) : 0;
	int n = MIN(fit, m->nrights);
	int32_t *fds = kmalloc(sizeof(int32_t) * (size_t)(n ? n : 1));
	if (!fds)
		return -ENOMEM;
	int got = 0;
	for (; got < n; got++) {
		int fd = handle_install(current()->handles, m->rights[got],
		                        cloexec ? HANDLE_CLOEXEC : 0, 0);
		if (fd < 0)
			break;
		m->rights[got] = NULL;
		fds[got] = fd;
	}
	if (got < m->nrights)
		*oflags |= LINUX_MSG_CTRUNC;
	long r = 0;
	if (got)
		r = put_cmsg(uctl, cap, pos, LINUX_SCM_RIGHTS, fds, sizeof(int32_t) * (size_t)got,
		             oflags);
	kfree(fds);
	return r;
}

/* A receive: data into m's vectors, then the sender's name and the
 * control messages the caller asked room for. */
static long do_recv(int fd, struct usock_msg *m, uint64_t flags, uint64_t uaddr, uint64_t ulen,
                    struct linux_msghdr *h)
{
	struct kobj *o;
	long r = sock_get(fd, &o);
	if (r < 0)
		return r;
	struct usock_info info;
	usock_info(o, &info);
	if (flags & LINUX_MSG_OOB) {
		/* no urgent data is ever waiting on a stream */
		kobj_put(o);
		return info.type == USOCK_STREAM ? -EINVAL : -EOPNOTSUPP;
	}
	m->flags = msg_flags_in(flags);
	long n = usock_recv(o, m);
	usock_info(o, &info); /* SO_PASSCRED may have changed meanwhile */
	kobj_put(o);
	if (n < 0) {
		put_rights(m);
		return n;
	}
	uint32_t oflags = (uint32_t)(flags & LINUX_MSG_CMSG_CLOEXEC);
	if (m->out & USOCK_OUT_TRUNC)
		oflags |= LINUX_MSG_TRUNC;
	if (!m->has_addr)
		m->addr.len = 0;
	if (h) {
		h->namelen = 0;
		if (h->name && m->addr.len) {
			size_t len = SUN_PATH_OFF + m->addr.len;
			char buf[SOCKADDR_UN_SZ];
			*(uint16_t *)buf = LINUX_AF_UNIX;
			memcpy(buf + SUN_PATH_OFF, m->addr.name, m->addr.len);
			if (copy_to_user((void *)h->name, buf, MIN(len, (size_t)h->namelen)) < 0)
				r = -EFAULT;
			h->namelen = (uint32_t)len;
		}
		size_t pos = 0, cap = h->control ? h->controllen : 0;
		if (r == 0 && info.passcred && m->has_cred) {
			struct linux_ucred uc = {pid_vnr(m->cred.pid), m->cred.uid, m->cred.gid};
			r = put_cmsg(h->control, cap, &pos, LINUX_SCM_CREDENTIALS, &uc, sizeof(uc),
			             &oflags);
		}
		if (r == 0 && m->nrights)
			r = put_rights_cmsg(m, h->control, cap, &pos,
			                    flags & LINUX_MSG_CMSG_CLOEXEC, &oflags);
		h->controllen = pos;
		h->flags = oflags;
	} else {
		r = put_addr(&m->addr, uaddr, ulen, 0);
	}
	put_rights(m);
	return r < 0 ? r : n;
}

LINUX_SYSCALL(recvfrom)
{
	LINUX_UNUSED();
	struct iobuf io = iobuf_user((void *)a1, MIN(a2, (uint64_t)0x7ffff000));
	struct usock_msg m = {.iov = &io, .niov = 1};
	return do_recv((int)a0, &m, a3, a4, a5, NULL);
}

/* One recvmsg into the header at uhdr. */
static long recvmsg_one(int fd, uint64_t uhdr, uint64_t flags)
{
	struct linux_msghdr h;
	if (copy_from_user(&h, (void *)uhdr, sizeof(h)) < 0)
		return -EFAULT;
	struct usock_msg m = {0};
	long r = get_iov(h.iov, h.iovlen, &m.iov);
	if (r < 0)
		return r;
	m.niov = (int)h.iovlen;
	r = do_recv(fd, &m, flags, 0, 0, &h);
	kfree(m.iov);
	if (r >= 0) {
		struct linux_msghdr *uh = (void *)uhdr;
		if (copy_to_user(&uh->namelen, &h.namelen, sizeof(h.namelen)) < 0 ||
		    copy_to_user(&uh->controllen, &h.controllen, sizeof(h.controllen)) < 0 ||
		    copy_to_user(&uh->flags, &h.flags, sizeof(h.flags)) < 0)
			return -EFAULT;
	}
	return r;
}

LINUX_SYSCALL(recvmsg)
{
	LINUX_UNUSED();
	return recvmsg_one((int)a0, a1, a2);
}

/* The receives of one recvmmsg, as Linux's do_recvmmsg: the socket's
 * pending error first; after each datagram MSG_WAITFORONE stops waiting
 * and the timeout is checked (only then: a receive itself waits as long
 * as it must).  When a later receive fails, what came is returned and
 * the error (unless EAGAIN) kept as the socket's pending error, for the
 * next call or SO_ERROR.  *left: the time left, when deadline. */
static long recvmmsg_loop(int fd, uint64_t mmsg, unsigned vlen, uint64_t flags, bool timed,
                          uint64_t deadline, int64_t *left)
{
	struct kobj *o;
	long r = sock_get(fd, &o);
	if (r < 0)
		return r;
	r = usock_take_error(o);
	unsigned done = 0;
	while (r == 0 && done < vlen) {
		uint64_t entry = mmsg + done * sizeof(struct linux_mmsghdr);
		r = recvmsg_one(fd, entry, flags & ~(uint64_t)LINUX_MSG_WAITFORONE);
		if (r < 0)
			break;
		uint32_t len = (uint32_t)r;
		r = copy_to_user(&((struct linux_mmsghdr *)entry)->len, &len, sizeof(len)) < 0
		        ? -EFAULT
		        : 0;
		if (r < 0)
			break;
		done++;
		if (flags & LINUX_MSG_WAITFORONE)
			flags |= LINUX_MSG_DONTWAIT;
		if (timed) {
			uint64_t now = time_monotonic_ns();
			*left = deadline > now ? (int64_t)(deadline - now) : 0;
			if (*left == 0)
				break;
		}
	}
	if (r < 0 && done && r != -EAGAIN)
		usock_set_error(o, (int)r);
	kobj_put(o);
	return done ? (long)done : r;
}

LINUX_SYSCALL(recvmmsg)
{
	LINUX_UNUSED();
	if (!a4)
		return recvmmsg_loop((int)a0, a1, (unsigned)a2, a3, false, 0, NULL);
	int64_t ns, left = 0;
	long r = linux_timespec_read(a4, &ns);
	if (r < 0)
		return r == -EFAULT ? r : -EINVAL;
	/* a zero timeout ends the call after its first datagram */
	uint64_t now = time_monotonic_ns();
	uint64_t deadline = ns == 0                            ? 0
	                    : (uint64_t)ns >= UINT64_MAX - now ? UINT64_MAX
	                                                       : now + (uint64_t)ns;
	r = recvmmsg_loop((int)a0, a1, (unsigned)a2, a3, true, deadline, &left);
	if (r > 0) {
		struct linux_timespec ts = linux_ns_to_timespec(left);
		if (copy_to_user((void *)a4, &ts, sizeof(ts)) < 0)
			r = -EFAULT;
	}
	return r;
}

/* ------------------------------------------------------------ restarts */

bool linux_sock_no_restart(const struct trapframe *tf)
{
	bool send;
	switch (tf_syscall_nr(tf)) {
	case 63:  /* read */
	case 65:  /* readv */
	case 202: /* accept */
	case 207: /* recvfrom */
	case 212: /* recvmsg */
	case 242: /* accept4 */
	case 243: /* recvmmsg */
		send = false;
		break;
	case 64:  /* write */
	case 66:  /* writev */
	case 203: /* connect */
	case 206: /* sendto */
	case 211: /* sendmsg */
	case 269: /* sendmmsg */
		send = true;
		break;
	default:
		return false;
	}
	struct kobj *o = linux_fd_get((int)tf->orig_a0);
	if (!o)
		return false;
	bool timed = false;
	if (usock_is(o)) {
		struct usock_info info;
		usock_info(o, &info);
		timed = (send ? info.opts.sndtimeo : info.opts.rcvtimeo) != 0;
	}
	kobj_put(o);
	return timed;
}
