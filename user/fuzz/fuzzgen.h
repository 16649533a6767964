/*
 * The argument generator of our system-call fuzzers (user/bin/fuzz.c for
 * the native ABI, user-xv6/bin/fuzz6.c for the xv6 one).  Header-only and
 * freestanding, so both userlands build it with their own libc.
 *
 * A fuzzer describes each call by the kinds of its arguments (a path, a
 * descriptor, a buffer...); the generator mostly gives a value of that
 * kind, with a share of boundary values and of pointers that must fail
 * (NULL, unmapped, kernel, misaligned, a buffer running off the end of
 * the arena), and sometimes anything at all.  Everything comes from one
 * seeded generator, so a run is reproducible from its seed.
 *
 * The arena is a writable region of the fuzzing process holding the
 * strings, vectors and buffers that pointer arguments point into; the
 * page after it must be unmapped (the fuzzer arranges that), so "the end
 * of the arena" makes calls cross into a hole.
 */
#ifndef USER_FUZZ_FUZZGEN_H
#define USER_FUZZ_FUZZGEN_H

#include <stdint.h>

enum fz_kind {
	FZ_NONE,  /* unused argument */
	FZ_INT,   /* any integer, mostly small or at a boundary */
	FZ_FD,    /* a descriptor: mostly 0..31 */
	FZ_BUF,   /* a pointer to memory the call may read or write */
	FZ_PATH,  /* a pointer to a path string */
	FZ_VEC,   /* a pointer to a NULL-terminated vector of strings */
	FZ_LEN,   /* a byte count */
	FZ_FLAGS, /* a bit set */
	FZ_ADDR,  /* an address for mappings */
	FZ_PID,   /* a process id (the fuzzer sanitizes it) */
	FZ_SIG,   /* a signal number */
	FZ_MODE,  /* a file mode */
};

#define FZ_ARGS      6
#define FZ_ARENA     (64 * 1024) /* bytes; a multiple of the page size */
#define FZ_NPATHS    24
#define FZ_PATH_SLOT 320 /* bytes of the arena per path string */

struct fz_call {
	long nr;
	const char *name;
	enum fz_kind kind[FZ_ARGS];
};

struct fz {
	uint64_t rng;
	char *arena; /* FZ_ARENA bytes, followed by an unmapped page */
	uint64_t paths[FZ_NPATHS], vecs[4];
};

static inline uint64_t fz_rand(struct fz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ull;
}

static inline uint64_t fz_below(struct fz *f, uint64_t n)
{
	return n ? fz_rand(f) % n : 0;
}

static inline int fz_chance(struct fz *f, int percent)
{
	return (int)fz_below(f, 100) < percent;
}

/* Values at the edges of every integer type. */
static const uint64_t fz_edges[] = {0,
                                    1,
                                    2,
                                    3,
                                    7,
                                    8,
                                    15,
                                    16,
                                    31,
                                    32,
                                    63,
                                    64,
                                    127,
                                    128,
                                    255,
                                    256,
                                    511,
                                    4095,
                                    4096,
                                    4097,
                                    65535,
                                    65536,
                                    0x7fffffff,
                                    0x80000000,
                                    0xffffffff,
                                    0x100000000ull,
                                    0x7fffffffffffffffull,
                                    0x8000000000000000ull,
                                    0xfffffffffffff000ull,
                                    0xfffffffffffffffeull,
                                    0xffffffffffffffffull};

/* Addresses no call may use: NULL, low, past the user half (Sv39),
 * kernel, misaligned, and the top of the user half. */
static const uint64_t fz_bad_ptrs[] = {0,
                                       1,
                                       0xfff,
                                       0x1000,
                                       0x3ffffff000ull,
                                       0x3fffffffffull,
                                       0x4000000000ull,
                                       0x8000000000ull,
                                       0xffffffc000000000ull,
                                       0xffffffff80000000ull,
                                       0xffffffff80200000ull,
                                       0xfffffffffffff000ull,
                                       0xffffffffffffffffull,
                                       0x10001};

static const char *const fz_names[FZ_NPATHS] = {"a",
                                                "b",
                                                "d",
                                                "d/x",
                                                "d/y/z",
                                                ".",
                                                "..",
                                                "",
                                                "/",
                                                "/tmp",
                                                "/dev/null",
                                                "/dev/zero",
                                                "/proc",
                                                "/proc/self/fd",
                                                "/nonexistent/x",
                                                "l",
                                                "d/l",
                                                "a/",
                                                "x\001\377y",
                                                "../..",
                                                "/system",
                                                "fifo",
                                                NULL /* a name of 300 bytes */,
                                                NULL /* a path of 5000 bytes */};

static inline uint64_t fz_pick(struct fz *f, const uint64_t *v, uint64_t n)
{
	return v[fz_below(f, n)];
}

#define FZ_PICK(f, a) fz_pick((f), (a), sizeof(a) / sizeof((a)[0]))

/* A pointer into the arena with room for at most `room` bytes, or one
 * that runs off its end. */
static inline uint64_t fz_arena_ptr(struct fz *f)
{
	uint64_t base = (uint64_t)f->arena, end = base + FZ_ARENA;
	switch (fz_below(f, 4)) {
	case 0:
		return end - 1 - fz_below(f, 64); /* crosses into the hole */
	case 1:
		return base + (fz_below(f, FZ_ARENA / 8) * 8); /* aligned */
	default:
		return base + FZ_ARENA / 2 + fz_below(f, FZ_ARENA / 2);
	}
}

static inline uint64_t fz_small(struct fz *f)
{
	return fz_chance(f, 70) ? fz_below(f, 64) : FZ_PICK(f, fz_edges);
}

/* A value of the given kind. */
static inline uint64_t fz_arg(struct fz *f, enum fz_kind k)
{
	if (k != FZ_NONE && fz_chance(f, 4))
		return fz_chance(f, 50) ? fz_rand(f) : FZ_PICK(f, fz_bad_ptrs);
	switch (k) {
	case FZ_FD:
		return fz_chance(f, 90) ? fz_below(f, 32) : FZ_PICK(f, fz_edges);
	case FZ_BUF:
		return fz_chance(f, 85) ? fz_arena_ptr(f) : FZ_PICK(f, fz_bad_ptrs);
	case FZ_PATH:
		return fz_chance(f, 92) ? f->paths[fz_below(f, FZ_NPATHS)]
		                        : FZ_PICK(f, fz_bad_ptrs);
	case FZ_VEC:
		return fz_chance(f, 85) ? f->vecs[fz_below(f, 4)] : fz_arena_ptr(f);
	case FZ_LEN:
		return fz_chance(f, 80) ? fz_below(f, 8192) : FZ_PICK(f, fz_edges);
	case FZ_FLAGS:
		return fz_chance(f, 60) ? (1ull << fz_below(f, 24)) | fz_below(f, 4) : fz_rand(f);
	case FZ_ADDR:
		return fz_chance(f, 50) ? 0 : (fz_rand(f) & 0x3ffffff000ull);
	case FZ_SIG:
		return fz_below(f, 70);
	case FZ_MODE:
		return fz_chance(f, 80) ? fz_below(f, 010000) : fz_rand(f);
	case FZ_PID:
	case FZ_INT:
		return fz_small(f);
	case FZ_NONE:
	default:
		return 0;
	}
}

static inline void fz_put_str(char *dst, const char *s, int max)
{
	int i = 0;
	for (; s[i] && i < max - 1; i++)
		dst[i] = s[i];
	dst[i] = '\0';
}

/* Rewrites the arena: path strings and string vectors in its first half
 * (calls may scribble over them, so this runs now and then), random bytes
 * with arena pointers sprinkled in the second. */
static inline void fz_refresh(struct fz *f)
{
	char *a = f->arena;
	uint64_t *v;
	for (int i = 0; i < FZ_NPATHS - 2; i++) {
		fz_put_str(a + i * FZ_PATH_SLOT, fz_names[i], FZ_PATH_SLOT);
		f->paths[i] = (uint64_t)(a + i * FZ_PATH_SLOT);
	}
	char *name = a + (FZ_NPATHS - 2) * FZ_PATH_SLOT;
	for (int i = 0; i < 300; i++)
		name[i] = 'n';
	name[300] = '\0';
	f->paths[FZ_NPATHS - 2] = (uint64_t)name;
	char *longp = a + FZ_NPATHS * FZ_PATH_SLOT; /* 5000 bytes of "d/" */
	for (int i = 0; i < 5000; i++)
		longp[i] = (i & 1) ? '/' : 'd';
	longp[5000] = '\0';
	f->paths[FZ_NPATHS - 1] = (uint64_t)longp;
	v = (uint64_t *)(a + 16384);
	for (int i = 0; i < 4; i++) { /* vectors of 0..6 strings */
		f->vecs[i] = (uint64_t)&v[i * 8];
		int n = i * 2;
		for (int j = 0; j < n; j++)
			v[i * 8 + j] = f->paths[fz_below(f, FZ_NPATHS - 1)];
		v[i * 8 + n] = 0;
	}
	uint64_t *w = (uint64_t *)(a + FZ_ARENA / 2);
	for (int i = 0; i < FZ_ARENA / 16; i++)
		w[i] = fz_chance(f, 10) ? fz_arena_ptr(f) : fz_rand(f);
}

static inline void fz_init(struct fz *f, uint64_t seed, char *arena)
{
	f->rng = seed * 0x9E3779B97F4A7C15ull + 0x1234567;
	if (!f->rng)
		f->rng = 1;
	f->arena = arena;
	fz_refresh(f);
}

/* Fills a[] for call c; descriptor arguments never name `keep` (the
 * fuzzer's own progress descriptor). */
static inline void fz_args(struct fz *f, const struct fz_call *c, uint64_t a[FZ_ARGS], int keep)
{
	for (int i = 0; i < FZ_ARGS; i++) {
		a[i] = fz_arg(f, c->kind[i]);
		if (c->kind[i] == FZ_FD && a[i] == (uint64_t)keep)
			a[i] = 3;
	}
}

#endif
