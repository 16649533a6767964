/*
 * echo [word...]: prints its arguments separated by spaces, then a newline.
 */
#include "types.h"
#include "user.h"

int main(int argc, char **argv)
{
	char buf[512];
	int i, n = 0, len;

	for (i = 1; i < argc; i++) {
		len = strlen(argv[i]);
		if (n + len + 1 > (int)sizeof(buf)) {
			write(1, buf, n);
			n = 0;
		}
		if (len + 1 > (int)sizeof(buf)) {
			write(1, argv[i], len);
		} else {
			memmove(buf + n, argv[i], len);
			n += len;
		}
		buf[n++] = i + 1 < argc ? ' ' : '\n';
	}
	if (argc < 2)
		buf[n++] = '\n';
	if (write(1, buf, n) != n)
		return 1;
	return 0;
}
