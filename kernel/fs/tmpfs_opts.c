/*
 * tmpfs mount options, as Linux's tmpfs takes them: size=N[kmgtpe%]
 * (bytes, or a share of RAM; rounded up to pages), nr_blocks=N[kmgtpe],
 * nr_inodes=N[kmgtpe], mode=octal, uid=N, gid=N.  0 for a limit means
 * none.  huge, mpol, inode32, inode64 and noswap are accepted and change
 * nothing here (no huge pages, no NUMA, no swap; inode numbers are 64-bit
 * already).  Anything else is EINVAL, as Linux's "Unknown parameter".
 * Without size or nr_blocks the limit is half of RAM, Linux's default;
 * nr_inodes likewise defaults to half the pages of RAM.
 */
#include "fs/tmpfs.h"
#include "core/kernel.h"
#include "mm/page.h"

/* The value of "key=" at s (len bytes), or NULL when s is another key. */
static const char *value_of(const char *s, size_t len, const char *key)
{
	size_t k = strlen(key);
	return len > k && memcmp(s, key, k) == 0 && s[k] == '=' ? s + k + 1 : NULL;
}

/* A decimal number with an optional k/m/g/t/p/e suffix (or % when pct is
 * given) filling exactly [s, end); 0 or -EINVAL. */
static int parse_size(const char *s, const char *end, uint64_t *out, bool *pct)
{
	uint64_t v = 0;
	const char *p = s;
	unsigned shift = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -EINVAL;
	if (pct)
		*pct = false;
	if (p < end) {
		const char *units = "kmgtpe", *u = NULL;
		for (const char *q = units; *q; q++)
			if ((*p | 0x20) == *q)
				u = q;
		if (u)
			shift = 10 * (unsigned)(u - units + 1);
		else if (*p == '%' && pct)
			*pct = true;
		else
			return -EINVAL;
		p++;
	}
	if (p != end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int parse_number(const char *s, const char *end, uint64_t *out, unsigned base)
{
	uint64_t v = 0;
	if (s == end)
		return -EINVAL;
	for (const char *p = s; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int parse_one(const char *s, size_t len, struct tmpfs_opts *o)
{
	static const char *const ignored[] = {"huge", "mpol", "inode32", "inode64", "noswap"};
	const char *end = s + len, *v;
	uint64_t n;
	bool pct;
	int err;

	if ((v = value_of(s, len, "size"))) {
		if ((err = parse_size(v, end, &n, &pct)) < 0)
			return err;
		if (pct)
			n = page_total_count() * PAGE_SIZE / 100 * n;
		o->max_blocks = (n + PAGE_SIZE - 1) / PAGE_SIZE;
	} else if ((v = value_of(s, len, "nr_blocks"))) {
		if ((err = parse_size(v, end, &o->max_blocks, NULL)) < 0)
			return err;
	} else if ((v = value_of(s, len, "nr_inodes"))) {
		if ((err = parse_size(v, end, &o->max_inodes, NULL)) < 0)
			return err;
	} else if ((v = value_of(s, len, "mode"))) {
		if ((err = parse_number(v, end, &n, 8)) < 0 || n > 07777)
			return -EINVAL;
		o->mode = (uint32_t)n;
	} else if ((v = value_of(s, len, "uid")) || (v = value_of(s, len, "gid"))) {
		if ((err = parse_number(v, end, &n, 10)) < 0 || n >= UINT32_MAX)
			return -EINVAL;
		*(s[0] == 'u' ? &o->uid : &o->gid) = (uint32_t)n;
	} else {
		for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
			size_t k = strlen(ignored[i]);
			if (len >= k && memcmp(s, ignored[i], k) == 0 && (len == k || s[k] == '='))
				return 0;
		}
		return len == 0 ? 0 : -EINVAL;
	}
	return 0;
}

int tmpfs_parse_opts(const char *data, struct tmpfs_opts *o)
{
	*o = (struct tmpfs_opts){.max_blocks = page_total_count() / 2,
	                         .max_inodes = page_total_count() / 2,
	                         .mode = 01777};
	if (!data)
		return 0;
	for (size_t start = 0, i = 0;; i++) {
		if (data[i] && data[i] != ',')
			continue;
		int err = parse_one(data + start, i - start, o);
		if (err < 0)
			return err;
		if (!data[i])
			return 0;
		start = i + 1;
	}
}
