/*
 * Linux futex(2), set_robust_list(2), get_robust_list(2) over the
 * kernel's futexes (proc/futex.h): decoding of the operation, flags and
 * timeouts, with Linux's errors.  PI futexes (LOCK_PI, UNLOCK_PI,
 * TRYLOCK_PI, WAIT_REQUEUE_PI, CMP_REQUEUE_PI, LOCK_PI2) are not
 * implemented: ENOSYS, logged.
 */
#include "abi/linux/futex.h"
#include "abi/linux/linux.h"
#include "core/time.h"
#include "proc/cred.h"
#include "proc/futex.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

#define LINUX_FUTEX_WAIT            0
#define LINUX_FUTEX_WAKE            1
#define LINUX_FUTEX_FD              2
#define LINUX_FUTEX_REQUEUE         3
#define LINUX_FUTEX_CMP_REQUEUE     4
#define LINUX_FUTEX_WAKE_OP         5
#define LINUX_FUTEX_LOCK_PI         6
#define LINUX_FUTEX_UNLOCK_PI       7
#define LINUX_FUTEX_TRYLOCK_PI      8
#define LINUX_FUTEX_WAIT_BITSET     9
#define LINUX_FUTEX_WAKE_BITSET     10
#define LINUX_FUTEX_WAIT_REQUEUE_PI 11
#define LINUX_FUTEX_CMP_REQUEUE_PI  12
#define LINUX_FUTEX_LOCK_PI2        13

#define LINUX_FUTEX_PRIVATE_FLAG   128
#define LINUX_FUTEX_CLOCK_REALTIME 256
#define LINUX_FUTEX_CMD_MASK       (~(LINUX_FUTEX_PRIVATE_FLAG | LINUX_FUTEX_CLOCK_REALTIME))

#define LINUX_FUTEX_OP_OPARG_SHIFT 8

#define ROBUST_LIST_HEAD_SIZE 24 /* struct robust_list_head */
#define NSEC_PER_SEC          1000000000LL

static bool has_timeout(unsigned cmd)
{
	return cmd == LINUX_FUTEX_WAIT || cmd == LINUX_FUTEX_WAIT_BITSET ||
	       cmd == LINUX_FUTEX_LOCK_PI || cmd == LINUX_FUTEX_LOCK_PI2 ||
	       cmd == LINUX_FUTEX_WAIT_REQUEUE_PI;
}

static bool is_pi(unsigned cmd)
{
	return cmd == LINUX_FUTEX_LOCK_PI || cmd == LINUX_FUTEX_UNLOCK_PI ||
	       cmd == LINUX_FUTEX_TRYLOCK_PI || cmd == LINUX_FUTEX_WAIT_REQUEUE_PI ||
	       cmd == LINUX_FUTEX_CMP_REQUEUE_PI || cmd == LINUX_FUTEX_LOCK_PI2;
}

static uint64_t add_saturated(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* The monotonic deadline of a wait: relative for FUTEX_WAIT, absolute
 * (monotonic, or the wall clock with FUTEX_CLOCK_REALTIME) otherwise.
 * Never 0 (that means "none"): a time already past gives 1. */
static int read_deadline(uint64_t uts, unsigned cmd, bool realtime, uint64_t *deadline)
{
	struct linux_timespec ts;
	if (copy_from_user(&ts, (const void *)uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts.tv_sec > UINT64_MAX / NSEC_PER_SEC
	                  ? UINT64_MAX
	                  : add_saturated((uint64_t)ts.tv_sec * NSEC_PER_SEC, (uint64_t)ts.tv_nsec);
	uint64_t now = time_monotonic_ns();
	if (cmd == LINUX_FUTEX_WAIT) {
		*deadline = add_saturated(now, ns);
	} else if (!realtime) {
		*deadline = ns ? ns : 1;
	} else {
		int64_t wall = time_realtime_ns();
		*deadline = (int64_t)ns <= wall ? 1 : add_saturated(now, ns - (uint64_t)wall);
	}
	return 0;
}

/* FUTEX_WAKE_OP's encoded operation: op:4 cmp:4 oparg:12 cmparg:12. */
static struct futex_op decode_op(uint32_t enc)
{
	struct futex_op op = {
	    .op = (enc >> 28) & 7,
	    .cmp = (enc >> 24) & 15,
	    .oparg = (uint32_t)(((int32_t)(enc << 8)) >> 20),
	    .cmparg = ((int32_t)(enc << 20)) >> 20,
	};
	if (enc & (LINUX_FUTEX_OP_OPARG_SHIFT << 28)) {
		if (op.oparg > 31) /* Linux masks it (and logs) */
			abi_log_missing("linux: pid %d: futex_wake_op shift by %d\n",
			                current()->pid, (int32_t)op.oparg);
		op.oparg = 1u << (op.oparg & 31);
	}
	return op;
}

/* The kernel's operation and test numbers are Linux's. */
_Static_assert(FUTEX_OP_K_ANDN == 3 && FUTEX_OP_K_XOR == 4, "FUTEX_OP_* numbering");
_Static_assert(FUTEX_CMP_K_LE == 3 && FUTEX_CMP_K_GE == 5, "FUTEX_OP_CMP_* numbering");

/* Logged once per process and operation in a row, so a program retrying
 * a PI lock does not flood the console. */
static long unsupported(unsigned op, const char *what)
{
	static pid_t last_pid;
	static unsigned last_op;
	pid_t pid = current()->pid;
	bool same_pid = __atomic_exchange_n(&last_pid, pid, __ATOMIC_RELAXED) == pid;
	bool same_op = __atomic_exchange_n(&last_op, op, __ATOMIC_RELAXED) == op;
	if (!same_pid || !same_op)
		abi_log_missing("linux: pid %d: futex op %u: %s not supported\n", pid, op, what);
	return -ENOSYS;
}

LINUX_SYSCALL(futex)
{
	LINUX_UNUSED();
	unsigned op = (unsigned)a1, cmd = op & LINUX_FUTEX_CMD_MASK;
	unsigned flags = (op & LINUX_FUTEX_PRIVATE_FLAG) ? 0 : FUTEX_F_SHARED;
	bool realtime = op & LINUX_FUTEX_CLOCK_REALTIME;
	uint32_t val = (uint32_t)a2, val3 = (uint32_t)a5;
	uint64_t deadline = 0;

	if (a3 && has_timeout(cmd)) {
		int r = read_deadline(a3, cmd, realtime, &deadline);
		if (r < 0)
			return r;
	}
	if (realtime && cmd != LINUX_FUTEX_WAIT_BITSET && cmd != LINUX_FUTEX_WAIT_REQUEUE_PI &&
	    cmd != LINUX_FUTEX_LOCK_PI2)
		return -ENOSYS;      /* as Linux 6: FUTEX_WAIT takes no clock flag */
	int nr2 = (int)(uint32_t)a3; /* val2 rides in the timeout argument */
	switch (cmd) {
	case LINUX_FUTEX_WAIT:
		return futex_wait(a0, flags, val, FUTEX_BITSET_ANY, deadline);
	case LINUX_FUTEX_WAIT_BITSET:
		return futex_wait(a0, flags, val, val3, deadline);
	case LINUX_FUTEX_WAKE:
		return futex_wake(a0, flags, (int)val, FUTEX_BITSET_ANY);
	case LINUX_FUTEX_WAKE_BITSET:
		return futex_wake(a0, flags, (int)val, val3);
	case LINUX_FUTEX_REQUEUE:
		return futex_requeue(a0, a4, flags, (int)val, nr2, NULL);
	case LINUX_FUTEX_CMP_REQUEUE:
		return futex_requeue(a0, a4, flags, (int)val, nr2, &val3);
	case LINUX_FUTEX_WAKE_OP: {
		struct futex_op fop = decode_op(val3);
		return futex_wake_op(a0, a4, flags, (int)val, nr2, &fop);
	}
	}
	if (is_pi(cmd))
		return unsupported(cmd, "priority inheritance");
	return unsupported(cmd, cmd == LINUX_FUTEX_FD ? "FUTEX_FD (removed in Linux 2.6.26)"
	                                              : "unknown operation");
}

bool linux_futex_restart_nohand(const struct trapframe *tf)
{
	unsigned cmd = (unsigned)tf_a(tf, 1) & LINUX_FUTEX_CMD_MASK;
	return tf_a(tf, 3) && (cmd == LINUX_FUTEX_WAIT || cmd == LINUX_FUTEX_WAIT_BITSET);
}

LINUX_SYSCALL(set_robust_list)
{
	LINUX_UNUSED();
	if (a1 != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current()->robust_list = a0;
	return 0;
}

/* Everyone is root for now, so any task's list may be read. */
/* Linux asks for ptrace read access: an admin, or a caller whose real
 * ids are all of the target's user and group ids. */
static bool may_read_task(const struct task *t)
{
	const struct cred *me = cred_current();
	const struct cred *c = &t->cred;
	if (cred_capable(me, CAP_SYS_PTRACE))
		return true;
	return c->uid == me->uid && c->euid == me->uid && c->suid == me->uid && c->gid == me->gid &&
	       c->egid == me->gid && c->sgid == me->gid;
}

LINUX_SYSCALL(get_robust_list)
{
	LINUX_UNUSED();
	uint64_t head;
	if (a0 == 0) {
		head = current()->robust_list;
	} else {
		spin_lock(&task_tree_lock);
		struct task *t = (int32_t)a0 > 0 ? task_find_vnr((pid_t)a0) : NULL;
		head = t ? t->robust_list : 0;
		bool allowed = t && may_read_task(t);
		spin_unlock(&task_tree_lock);
		if (!t)
			return -ESRCH;
		if (!allowed)
			return -EPERM;
	}
	uint64_t len = ROBUST_LIST_HEAD_SIZE;
	if (copy_to_user((void *)a2, &len, sizeof(len)) < 0)
		return -EFAULT;
	if (copy_to_user((void *)a1, &head, sizeof(head)) < 0)
		return -EFAULT;
	return 0;
}
