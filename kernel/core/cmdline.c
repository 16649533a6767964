/*
 * Kernel command line parsing (see boot.h).
 */
#include "core/boot.h"
#include "core/kernel.h"
#include "core/watchdog.h"

#define DEFAULT_INIT "/system/scarlet/bin/init"

static char *next_token(char **s)
{
	while (**s == ' ')
		(*s)++;
	if (!**s)
		return NULL;
	char *tok = *s;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return tok;
}

static unsigned parse_unsigned(const char *s)
{
	unsigned v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

void boot_parse_cmdline(struct boot_params *b)
{
	char *s = b->fdt.bootargs;
	int argc = 1;
	bool init_args = false;
	b->init_path = DEFAULT_INIT;
	strlcpy(b->cmdline, b->fdt.bootargs, sizeof(b->cmdline));
	for (char *tok; (tok = next_token(&s));) {
		if (init_args) {
			if (argc < BOOT_MAX_INIT_ARGS + 1)
				b->init_argv[argc++] = tok;
			else
				printk("boot: more than %d init arguments: "
				       "dropping '%s'\n",
				       BOOT_MAX_INIT_ARGS, tok);
		} else if (strcmp(tok, "--") == 0) {
			init_args = true;
		} else if (strncmp(tok, "init=", 5) == 0) {
			b->init_path = tok + 5;
		} else if (strcmp(tok, "ktest") == 0) {
			b->run_ktests = true;
		} else if (strcmp(tok, "panic-test") == 0) {
			b->panic_test = "";
		} else if (strncmp(tok, "panic-test=", 11) == 0) {
			b->panic_test = tok + 11;
		} else if (strncmp(tok, "watchdog=", 9) == 0) {
			watchdog_set_seconds(parse_unsigned(tok + 9));
		} else {
			printk("boot: ignoring unknown option '%s'\n", tok);
		}
	}
	b->init_argv[0] = b->init_path;
	b->init_argv[argc] = NULL;
}
