/*
 * Minimal unit-test framework for the host tests.
 *
 *   TEST(name) { CHECK(x); CHECK_EQ(a, b); CHECK_STR_EQ(s, t); }
 *
 * TEST registers the function before main runs; the runner (main.c) calls
 * every test, prints "ok name" or "FAIL name", then the summary line
 * "host: N passed, M failed".  A failed CHECK prints file:line and the
 * test goes on.
 */
#ifndef TESTS_HOST_TEST_H
#define TESTS_HOST_TEST_H

struct test_case {
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *tc);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TEST(name)                                                                                 \
	static void test_fn_##name(void);                                                          \
	static struct test_case test_case_##name = {#name, test_fn_##name, 0};                     \
	__attribute__((constructor)) static void test_reg_##name(void)                             \
	{                                                                                          \
		test_register(&test_case_##name);                                                  \
	}                                                                                          \
	static void test_fn_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                         \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_)                                                                      \
			test_fail(__FILE__, __LINE__,                                              \
			          "CHECK_EQ(%s, %s): %lld (%#llx) != %lld (%#llx)", #a, #b, a_,    \
			          (unsigned long long)a_, b_, (unsigned long long)b_);             \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                                         \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || test_strcmp(a_, b_) != 0)                                        \
			test_fail(__FILE__, __LINE__, "CHECK_STR_EQ(%s, %s): \"%s\" != \"%s\"",    \
			          #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                 \
	} while (0)

/* strcmp that does not depend on the string functions under test. */
int test_strcmp(const char *a, const char *b);

/* Deterministic pseudo-random numbers (xorshift), reseedable. */
void test_srand(unsigned long long seed);
unsigned long long test_rand(void);

/* Sets up the fake RAM (several discontiguous arenas) given to the page
 * allocator; idempotent. */
void host_mem_init(void);

#endif
