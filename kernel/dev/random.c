/*
 * The kernel's random generator: ChaCha20 (RFC 8439 block function) keyed
 * by a 256-bit key.  Every request rekeys from an extra block afterwards
 * ("fast key erasure"), so earlier output cannot be recomputed from the
 * current state.  Entropy is XORed into the key, then the key is stirred.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "dev/random.h"

#define CHACHA_BLOCK 64

static struct spinlock rng_lock = SPINLOCK_INIT("random");
static uint32_t rng_key[8];
static uint64_t rng_counter;

static inline uint32_t rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QUARTER(a, b, c, d)                                                                        \
	do {                                                                                       \
		a += b;                                                                            \
		d = rotl(d ^ a, 16);                                                               \
		c += d;                                                                            \
		b = rotl(b ^ c, 12);                                                               \
		a += b;                                                                            \
		d = rotl(d ^ a, 8);                                                                \
		c += d;                                                                            \
		b = rotl(b ^ c, 7);                                                                \
	} while (0)

/* One ChaCha20 block for (key, counter, nonce word). */
static void chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t nonce,
                           uint32_t out[16])
{
	uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
	uint32_t *x = out;

	memcpy(in + 4, key, 32);
	in[12] = (uint32_t)counter;
	in[13] = (uint32_t)(counter >> 32);
	in[14] = nonce;
	in[15] = 0;
	memcpy(x, in, sizeof(in));
	for (int i = 0; i < 10; i++) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		x[i] += in[i];
}

/* Replaces the key by fresh output; rng_lock held. */
static void rekey(void)
{
	uint32_t block[16];

	chacha20_block(rng_key, rng_counter++, 1, block);
	memcpy(rng_key, block, sizeof(rng_key));
	memset(block, 0, sizeof(block));
}

void random_add_entropy(uint64_t v)
{
	spin_lock(&rng_lock);
	rng_key[0] ^= (uint32_t)v;
	rng_key[1] ^= (uint32_t)(v >> 32);
	rekey();
	spin_unlock(&rng_lock);
}

void random_get_bytes(void *buf, size_t n)
{
	uint32_t block[16];
	char *p = buf;

	spin_lock(&rng_lock);
	while (n > 0) {
		size_t chunk = MIN(n, (size_t)CHACHA_BLOCK);
		chacha20_block(rng_key, rng_counter++, 0, block);
		memcpy(p, block, chunk);
		p += chunk;
		n -= chunk;
	}
	rekey();
	spin_unlock(&rng_lock);
	memset(block, 0, sizeof(block));
}
