/*
 * t_pthread: glibc's threads on the kernel's threads and futexes.
 *
 * Mutexes (normal, recursive, error-checking, trylock, timedlock),
 * condition variables (signal, broadcast, timedwait), barriers, rwlocks,
 * thread-local storage (__thread, keys with destructors), join and
 * detach, 64 threads alive at once, cancellation of threads blocked in
 * read, nanosleep and pthread_cond_wait (cleanup handlers,
 * PTHREAD_CANCELED), and a counter many threads add to under a mutex.
 *
 * glibc's pthread_create needs clone(CLONE_THREAD|CLONE_SIGHAND|...):
 * when that fails, the program says so and fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define MS 1000000ll

static int64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static struct timespec in_ms(int ms)
{
	int64_t t = now_ns(CLOCK_REALTIME) + ms * MS;
	return (struct timespec){.tv_sec = t / 1000000000ll, .tv_nsec = t % 1000000000ll};
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * MS};
	nanosleep(&ts, NULL);
}

/* ---------------------------------------------------------------- mutexes */

static pthread_mutex_t held_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *try_from_other(void *m)
{
	return (void *)(intptr_t)pthread_mutex_trylock(m);
}

static void *unlock_from_other(void *m)
{
	return (void *)(intptr_t)pthread_mutex_unlock(m);
}

static intptr_t in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *ret = (void *)-1;
	if (pthread_create(&t, NULL, fn, arg) != 0)
		return -1;
	pthread_join(t, &ret);
	return (intptr_t)ret;
}

static void init_mutex(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_settype(&at, type);
	pthread_mutex_init(m, &at);
	pthread_mutexattr_destroy(&at);
}

static void *hold_for_200ms(void *m)
{
	pthread_mutex_lock(m);
	sleep_ms(200);
	pthread_mutex_unlock(m);
	return NULL;
}

static void test_mutexes(void)
{
	pthread_mutex_t m;
	init_mutex(&m, PTHREAD_MUTEX_NORMAL);
	CHECK_EQ(pthread_mutex_lock(&m), 0);
	CHECK_EQ(pthread_mutex_trylock(&m), EBUSY);
	CHECK_EQ(in_thread(try_from_other, &m), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
	CHECK_EQ(in_thread(try_from_other, &m), 0); /* the thread leaves it locked */
	CHECK_EQ(pthread_mutex_trylock(&m), EBUSY);

	pthread_mutex_t r;
	init_mutex(&r, PTHREAD_MUTEX_RECURSIVE);
	CHECK_EQ(pthread_mutex_lock(&r), 0);
	CHECK_EQ(pthread_mutex_lock(&r), 0);
	CHECK_EQ(pthread_mutex_trylock(&r), 0);
	CHECK_EQ(in_thread(try_from_other, &r), EBUSY);
	CHECK_EQ(in_thread(unlock_from_other, &r), EPERM);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_mutex_unlock(&r), 0);
	CHECK_EQ(pthread_mutex_unlock(&r), EPERM);
	CHECK_EQ(in_thread(try_from_other, &r), 0);

	pthread_mutex_t e;
	init_mutex(&e, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_mutex_unlock(&e), EPERM);
	CHECK_EQ(pthread_mutex_lock(&e), 0);
	CHECK_EQ(pthread_mutex_lock(&e), EDEADLK);
	CHECK_EQ(in_thread(unlock_from_other, &e), EPERM);
	CHECK_EQ(pthread_mutex_unlock(&e), 0);

	/* timedlock: times out while another thread holds it, then gets it */
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, hold_for_200ms, &held_mutex), 0);
	sleep_ms(30);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec soon = in_ms(50);
	CHECK_EQ(pthread_mutex_timedlock(&held_mutex, &soon), ETIMEDOUT);
	int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(took >= 40 * MS && took < 2000 * MS);
	struct timespec later = in_ms(5000);
	CHECK_EQ(pthread_mutex_timedlock(&held_mutex, &later), 0);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 < 3000 * MS);
	CHECK_EQ(pthread_mutex_unlock(&held_mutex), 0);
	pthread_join(t, NULL);
}

/* ---------------------------------------------------------------- counter */

enum { COUNTER_THREADS = 8, COUNTER_ROUNDS = 2000 };
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < COUNTER_ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if ((i & 63) == 0)
			sched_yield();
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static void test_counter(void)
{
	pthread_t t[COUNTER_THREADS];
	int made = 0;
	for (int i = 0; i < COUNTER_THREADS; i++)
		made += pthread_create(&t[i], NULL, count_up, NULL) == 0;
	CHECK_EQ(made, COUNTER_THREADS);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(counter, (long)made * COUNTER_ROUNDS);
}

/* ---------------------------------------------------------------- condition variables */

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_tokens, cv_waiting, cv_woken;

static void *cv_consumer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	cv_waiting++;
	while (cv_tokens == 0)
		pthread_cond_wait(&cv, &cv_lock);
	cv_tokens--;
	cv_woken++;
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

static int cv_read(int *v)
{
	pthread_mutex_lock(&cv_lock);
	int r = *v;
	pthread_mutex_unlock(&cv_lock);
	return r;
}

static int cv_await(int *v, int want)
{
	for (int i = 0; i < 5000 && cv_read(v) != want; i++)
		sleep_ms(1);
	return cv_read(v) == want;
}

static void test_condvars(void)
{
	enum { N = 4 };
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, cv_consumer, NULL);
	CHECK(cv_await(&cv_waiting, N));
	sleep_ms(20); /* let them reach pthread_cond_wait */

	/* signal: one token, one consumer */
	pthread_mutex_lock(&cv_lock);
	cv_tokens = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cv_lock);
	CHECK(cv_await(&cv_woken, 1));
	sleep_ms(50);
	CHECK_EQ(cv_read(&cv_woken), 1);

	/* broadcast: every one wakes */
	pthread_mutex_lock(&cv_lock);
	cv_tokens = N - 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_lock);
	CHECK(cv_await(&cv_woken, N));
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);

	/* timedwait: ETIMEDOUT, on both clocks, after about the time asked */
	pthread_condattr_t ca;
	pthread_cond_t mono;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mono, &ca);
	pthread_mutex_lock(&cv_lock);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec soon = in_ms(50);
	CHECK_EQ(pthread_cond_timedwait(&cv, &cv_lock, &soon), ETIMEDOUT);
	int64_t m = now_ns(CLOCK_MONOTONIC) + 50 * MS;
	struct timespec msoon = {.tv_sec = m / 1000000000ll, .tv_nsec = m % 1000000000ll};
	CHECK_EQ(pthread_cond_timedwait(&mono, &cv_lock, &msoon), ETIMEDOUT);
	int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(took >= 90 * MS && took < 3000 * MS);
	pthread_mutex_unlock(&cv_lock);
	pthread_cond_destroy(&mono);
}

/* ---------------------------------------------------------------- barriers, rwlocks */

enum { BARRIER_THREADS = 5, BARRIER_ROUNDS = 20 };
static pthread_barrier_t barrier;
static int serials, phase_errors, phase;

static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int r = 0; r < BARRIER_ROUNDS; r++) {
		if (__atomic_load_n(&phase, __ATOMIC_SEQ_CST) != r)
			__atomic_add_fetch(&phase_errors, 1, __ATOMIC_SEQ_CST);
		int s = pthread_barrier_wait(&barrier);
		if (s == PTHREAD_BARRIER_SERIAL_THREAD) {
			__atomic_add_fetch(&serials, 1, __ATOMIC_SEQ_CST);
			__atomic_store_n(&phase, r + 1, __ATOMIC_SEQ_CST);
		} else if (s != 0) {
			__atomic_add_fetch(&phase_errors, 1, __ATOMIC_SEQ_CST);
		}
		pthread_barrier_wait(&barrier); /* everyone sees the new phase */
	}
	return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *try_read(void *arg)
{
	(void)arg;
	int r = pthread_rwlock_tryrdlock(&rw);
	if (r == 0)
		pthread_rwlock_unlock(&rw);
	return (void *)(intptr_t)r;
}

static void *try_write(void *arg)
{
	(void)arg;
	int r = pthread_rwlock_trywrlock(&rw);
	if (r == 0)
		pthread_rwlock_unlock(&rw);
	return (void *)(intptr_t)r;
}

static long rw_value;

static void *rw_writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		pthread_rwlock_wrlock(&rw);
		long v = rw_value;
		if ((i & 31) == 0)
			sched_yield();
		rw_value = v + 1;
		pthread_rwlock_unlock(&rw);
		pthread_rwlock_rdlock(&rw);
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void test_barrier_rwlock(void)
{
	pthread_t t[BARRIER_THREADS];
	CHECK_EQ(pthread_barrier_init(&barrier, NULL, BARRIER_THREADS), 0);
	for (int i = 0; i < BARRIER_THREADS; i++)
		pthread_create(&t[i], NULL, barrier_worker, NULL);
	for (int i = 0; i < BARRIER_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(serials, BARRIER_ROUNDS);
	CHECK_EQ(phase_errors, 0);
	pthread_barrier_destroy(&barrier);

	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(in_thread(try_read, NULL), 0);
	CHECK_EQ(in_thread(try_write, NULL), EBUSY);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	CHECK_EQ(in_thread(try_read, NULL), EBUSY);
	CHECK_EQ(in_thread(try_write, NULL), EBUSY);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(in_thread(try_write, NULL), 0);

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, rw_writer, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(rw_value, 4 * 500);
}

/* ---------------------------------------------------------------- TLS */

static __thread int tls_value = 17;
static __thread char tls_big[256];
static pthread_key_t key;
static int destructed_sum;

static void key_destructor(void *v)
{
	__atomic_add_fetch(&destructed_sum, (int)(intptr_t)v, __ATOMIC_SEQ_CST);
}

static void *tls_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	int ok = tls_value == 17 && tls_big[100] == 0;
	tls_value = id;
	tls_big[100] = (char)id;
	pthread_setspecific(key, (void *)(intptr_t)id);
	sleep_ms(20);
	ok = ok && tls_value == id && tls_big[100] == (char)id &&
	     pthread_getspecific(key) == (void *)(intptr_t)id;
	return (void *)(intptr_t)ok;
}

static void test_tls(void)
{
	enum { N = 6 };
	pthread_t t[N];
	CHECK_EQ(pthread_key_create(&key, key_destructor), 0);
	tls_value = 1000;
	pthread_setspecific(key, (void *)1000);
	int expect = 0;
	for (int i = 0; i < N; i++) {
		pthread_create(&t[i], NULL, tls_worker, (void *)(intptr_t)(i + 1));
		expect += i + 1;
	}
	int ok = 0;
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		ok += r == (void *)1;
	}
	CHECK_EQ(ok, N);
	CHECK_EQ(tls_value, 1000);
	CHECK(pthread_getspecific(key) == (void *)1000);
	CHECK_EQ(destructed_sum, expect);
	CHECK_EQ(pthread_key_delete(key), 0);
}

/* ---------------------------------------------------------------- join, detach, many */

static void *return_arg(void *arg)
{
	return arg;
}

static int detached_ran;

static void *detached_worker(void *arg)
{
	(void)arg;
	__atomic_store_n(&detached_ran, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

enum { MANY = 64 };
static pthread_barrier_t all_alive;

static void *many_worker(void *arg)
{
	pthread_barrier_wait(&all_alive); /* all 64 exist at once */
	return (void *)((intptr_t)arg * 3);
}

static void test_join_detach_many(void)
{
	pthread_t t;
	void *r = NULL;
	CHECK_EQ(pthread_create(&t, NULL, return_arg, (void *)0x1234), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK(r == (void *)0x1234);
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);

	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	CHECK_EQ(pthread_create(&t, &at, detached_worker, NULL), 0);
	pthread_attr_destroy(&at);
	for (int i = 0; i < 5000 && !__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST); i++)
		sleep_ms(1);
	CHECK(detached_ran);
	CHECK_EQ(pthread_create(&t, NULL, return_arg, NULL), 0);
	CHECK_EQ(pthread_detach(t), 0);

	static pthread_t many[MANY];
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	pthread_barrier_init(&all_alive, NULL, MANY + 1);
	int made = 0;
	for (int i = 0; i < MANY; i++)
		made += pthread_create(&many[i], &at, many_worker, (void *)(intptr_t)i) == 0;
	CHECK_EQ(made, MANY);
	if (made == MANY)
		pthread_barrier_wait(&all_alive);
	int right = 0;
	for (int i = 0; i < made; i++) {
		pthread_join(many[i], &r);
		right += r == (void *)(intptr_t)(i * 3);
	}
	CHECK_EQ(right, MANY);
	pthread_attr_destroy(&at);
	pthread_barrier_destroy(&all_alive);
}

/* ---------------------------------------------------------------- cancellation */

static int cleanups;
static int cancel_pipe[2];
static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_cv = PTHREAD_COND_INITIALIZER;

static void count_cleanup(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&cleanups, 1, __ATOMIC_SEQ_CST);
}

static void unlock_cleanup(void *m)
{
	count_cleanup(NULL);
	pthread_mutex_unlock(m);
}

static void *blocked_in_read(void *arg)
{
	(void)arg;
	char c;
	pthread_cleanup_push(count_cleanup, NULL);
	read(cancel_pipe[0], &c, 1);
	pthread_cleanup_pop(0);
	return (void *)1;
}

static void *blocked_in_sleep(void *arg)
{
	(void)arg;
	pthread_cleanup_push(count_cleanup, NULL);
	sleep_ms(10000);
	pthread_cleanup_pop(0);
	return (void *)1;
}

static void *blocked_in_cond(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cancel_lock);
	pthread_cleanup_push(unlock_cleanup, &cancel_lock);
	for (;;)
		pthread_cond_wait(&cancel_cv, &cancel_lock);
	pthread_cleanup_pop(1);
	return (void *)1;
}

static void cancel_one(void *(*fn)(void *), const char *what)
{
	pthread_t t;
	void *r = NULL;
	int before = cleanups;
	if (pthread_create(&t, NULL, fn, NULL) != 0) {
		printf("  %s: pthread_create failed\n", what);
		CHECK(0);
		return;
	}
	sleep_ms(50); /* let it block */
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	int c = pthread_cancel(t);
	CHECK_EQ(c, 0);
	if (c != 0) /* it would never end: leave it to exit_group */
		return;
	CHECK_EQ(pthread_join(t, &r), 0);
	if (r != PTHREAD_CANCELED)
		printf("  %s: not canceled\n", what);
	CHECK(r == PTHREAD_CANCELED);
	CHECK_EQ(cleanups, before + 1);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 < 3000 * MS);
}

static void test_cancel(void)
{
	CHECK_EQ(pipe(cancel_pipe), 0);
	cancel_one(blocked_in_read, "read");
	cancel_one(blocked_in_sleep, "nanosleep");
	cancel_one(blocked_in_cond, "pthread_cond_wait");
	/* the cleanup handler gave the mutex back */
	CHECK_EQ(pthread_mutex_trylock(&cancel_lock), 0);
	pthread_mutex_unlock(&cancel_lock);
	close(cancel_pipe[0]);
	close(cancel_pipe[1]);
}

int main(void)
{
	pthread_t probe;
	int r = pthread_create(&probe, NULL, return_arg, NULL);
	if (r != 0) {
		printf("pthread_create: %s (the kernel refuses clone(CLONE_THREAD)?)\n",
		       strerror(r));
		CHECK_EQ(r, 0);
		return ltest_done("pthread");
	}
	pthread_join(probe, NULL);
	test_mutexes();
	test_counter();
	test_condvars();
	test_barrier_rwlock();
	test_tls();
	test_join_detach_many();
	test_cancel();
	return ltest_done("pthread");
}
