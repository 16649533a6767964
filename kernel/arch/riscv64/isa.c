/* ISA strings (isa.h). */
#include "arch/riscv64/isa.h"

#include "lib/str.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips a version ("2", "2p1") at s. */
static const char *skip_version(const char *s)
{
	while (is_digit(*s))
		s++;
	if (*s == 'p' && is_digit(s[1]))
		for (s++; is_digit(*s);)
			s++;
	return s;
}

static bool single_letter(const char *isa, char letter)
{
	for (const char *s = isa + 4; *s && *s != '_'; s = skip_version(s + 1)) /* after "rv64" */
		if (*s == letter || (*s == 'g' && strchr("imafd", letter)))
			return true;
	return false;
}

static bool multi_letter(const char *isa, const char *name)
{
	size_t n = strlen(name);
	if ((!strcmp(name, "zicsr") || !strcmp(name, "zifencei")) && single_letter(isa, 'g'))
		return true;
	for (const char *s = strchr(isa, '_'); s; s = strchr(s + 1, '_')) {
		if (strncmp(s + 1, name, n) != 0)
			continue;
		const char *after = skip_version(s + 1 + n);
		if (*after == '_' || *after == '\0')
			return true;
	}
	return false;
}

bool riscv_isa_has(const char *isa, const char *ext)
{
	if (strncmp(isa, "rv64", 4) != 0 || !ext[0])
		return false;
	if (!ext[1])
		return single_letter(isa, ext[0]);
	return multi_letter(isa, ext);
}
