/*
 * FAT names.  A file has an 8.3 short name (11 bytes, upper case, padded
 * with spaces) and, when its name does not fit that form exactly, a long
 * name of up to 255 UTF-16 units in LFN entries.
 *
 * The VFS hands out names as bytes; they are taken as UTF-8 and converted
 * to UTF-16 (code points above U+FFFF as surrogate pairs).  Bytes that are
 * not valid UTF-8 are refused (EINVAL), and so are the characters FAT
 * forbids in long names (controls, " * / : < > ? \ |) and names ending
 * in a space or a period.  Lookup ignores case for ASCII letters only.
 * Short names are made ASCII-only: other characters become '_'.
 *
 * Times are stored as UTC (FAT has no time zone).
 */
#include "fs/fat/fat.h"

static bool forbidden_long(uint32_t cp)
{
	return cp < 0x20 || cp == '"' || cp == '*' || cp == '/' || cp == ':' || cp == '<' ||
	       cp == '>' || cp == '?' || cp == '\\' || cp == '|';
}

/* One UTF-8 code point at s[*i]; -1 if malformed. */
static int32_t utf8_next(const char *s, size_t len, size_t *i)
{
	const uint8_t *p = (const uint8_t *)s + *i;
	size_t left = len - *i, n;
	uint32_t cp, min;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return -1;
	if (left < n)
		return -1;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n;
	return (int32_t)cp;
}

int fat_name_to_utf16(const char *name, size_t len, uint16_t *out)
{
	size_t i = 0, n = 0;

	if (len == 0)
		return -EINVAL;
	if (name[len - 1] == ' ' || name[len - 1] == '.')
		return -EINVAL;
	while (i < len) {
		int32_t cp = utf8_next(name, len, &i);
		if (cp < 0 || forbidden_long((uint32_t)cp))
			return -EINVAL;
		if (n + (cp >= 0x10000 ? 2 : 1) > LFN_MAX_UNITS)
			return -ENAMETOOLONG;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[n++] = (uint16_t)(0xd800 + (cp >> 10));
			out[n++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
		} else {
			out[n++] = (uint16_t)cp;
		}
	}
	return (int)n;
}

static size_t put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t fat_utf16_to_name(const uint16_t *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t cp = in[i];
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < n && in[i + 1] >= 0xdc00 &&
		    in[i + 1] < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (in[i + 1] - 0xdc00);
			i++;
		} else if (cp >= 0xd800 && cp < 0xe000) {
			cp = '?';
		}
		len += put_utf8(cp, out + len);
	}
	return len;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

size_t fat_short_to_name(const struct fat_dirent *de, char *out)
{
	size_t len = 0, base = 8, ext = 3;

	while (base > 0 && de->name[base - 1] == ' ')
		base--;
	while (ext > 0 && de->name[8 + ext - 1] == ' ')
		ext--;
	for (size_t i = 0; i < base; i++) {
		char c = (char)(i == 0 && de->name[0] == DIRENT_KANJI ? 0xe5 : de->name[i]);
		out[len++] = de->ntres & NTRES_LOWER_BASE ? lower(c) : c;
	}
	if (ext)
		out[len++] = '.';
	for (size_t i = 0; i < ext; i++) {
		char c = (char)de->name[8 + i];
		out[len++] = de->ntres & NTRES_LOWER_EXT ? lower(c) : c;
	}
	return len;
}

bool fat_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		if (upper(a[i]) != upper(b[i]))
			return false;
	}
	return true;
}

/* Characters allowed in a short name besides A-Z and 0-9. */
static bool short_char_ok(char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("$%'-_@~`!(){}^#&", c) != NULL;
}

/* Copies name[from, to) into out (at most max chars) as short-name
 * characters; returns false if anything was lost. */
static bool basis_part(const char *name, size_t from, size_t to, uint8_t *out, size_t max)
{
	bool exact = true;
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		char c = upper(name[i]);
		if ((uint8_t)c >= 0x80) {
			if (((uint8_t)c & 0xc0) == 0x80)
				continue; /* one '_' per multibyte character */
			c = '_';
			exact = false;
		} else if (c == ' ' || c == '.') {
			exact = false;
			continue;
		} else if (!short_char_ok(c)) {
			c = '_';
			exact = false;
		}
		if (n == max) {
			exact = false;
			break;
		}
		out[n++] = (uint8_t)c;
	}
	return exact;
}

bool fat_short_basis(const char *name, size_t len, uint8_t out[11])
{
	size_t start = 0, dot = len;
	bool exact;

	memset(out, ' ', 11);
	while (start < len && name[start] == '.')
		start++;
	for (size_t i = len; i > start; i--) {
		if (name[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	}
	exact = start == 0;
	exact &= basis_part(name, start, dot, out, 8);
	if (dot < len)
		exact &= basis_part(name, dot + 1, len, out + 8, 3);
	if (out[0] == ' ') {
		out[0] = '_';
		exact = false;
	}
	return exact;
}

static size_t base_len(const uint8_t name[11])
{
	size_t n = 8;

	while (n > 0 && name[n - 1] == ' ')
		n--;
	return n;
}

uint32_t fat_tail_number(const uint8_t basis[11], const uint8_t name[11])
{
	size_t blen = base_len(basis), nlen = base_len(name), tilde = nlen;
	uint32_t num = 0;

	if (memcmp(basis + 8, name + 8, 3) != 0)
		return 0;
	for (size_t i = nlen; i > 0; i--) {
		if (name[i - 1] == '~') {
			tilde = i - 1;
			break;
		}
	}
	if (tilde + 1 >= nlen || name[tilde + 1] == '0')
		return 0;
	for (size_t i = tilde + 1; i < nlen; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		num = num * 10 + (name[i] - '0');
	}
	/* basis~N keeps min(blen, 7 - digits) characters of the basis */
	if (tilde != MIN(blen, 7 - (nlen - tilde - 1)) || memcmp(name, basis, tilde) != 0)
		return 0;
	return num;
}

void fat_apply_tail(const uint8_t basis[11], uint32_t n, uint8_t out[11])
{
	char digits[12];
	size_t nd = 0, keep;

	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n && nd < 6);
	keep = MIN(base_len(basis), 7 - nd);
	memcpy(out, basis, 11);
	memset(out + keep, ' ', 8 - keep);
	out[keep] = '~';
	for (size_t i = 0; i < nd; i++)
		out[keep + 1 + i] = (uint8_t)digits[nd - 1 - i];
}

uint8_t fat_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_date(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void date_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t fat_time_to_ns(uint16_t date, uint16_t time, uint8_t tenth)
{
	int64_t y = 1980 + (date >> 9), m = (date >> 5) & 15, d = date & 31;
	int64_t secs;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	secs = days_from_date(y, m, d) * 86400 + (time >> 11) * 3600 + ((time >> 5) & 63) * 60 +
	       (time & 31) * 2;
	return secs * 1000000000LL + (int64_t)(tenth % 200) * 10000000LL;
}

void fat_ns_to_time(int64_t ns, uint16_t *date, uint16_t *time, uint8_t *tenth)
{
	const int64_t min = 315532800LL;  /* 1980-01-01 */
	const int64_t max = 4354819199LL; /* 2107-12-31 23:59:59 */
	int64_t secs = ns / 1000000000LL, days, rem, y, m, d;

	if (secs < min || secs > max) {
		secs = secs < min ? min : max;
		ns = secs * 1000000000LL;
	}
	days = secs / 86400;
	rem = secs % 86400;
	date_from_days(days, &y, &m, &d);
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)((rem / 3600) << 11 | ((rem / 60) % 60) << 5 | (rem % 60) / 2);
	if (tenth)
		*tenth = (uint8_t)((rem % 2) * 100 + (ns % 1000000000LL) / 10000000LL);
}
