#!/bin/bash
# Builds and runs the host unit tests of the xv6 ABI module's pure
# translations (tests/host/xv6_test.c over kernel/abi/xv6/translate.c)
# under ASan/UBSan.  The last line is always "xv6: N passed, M failed".
set -u
cd "$(dirname "$0")/.."

out=build/host
mkdir -p "$out"
if ! ${HOSTCC:-gcc} -std=gnu17 -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -g -I. -Iinclude -Ikernel -include tests/host/host.h \
	-o "$out/xv6_test" tests/host/xv6_test.c kernel/abi/xv6/translate.c; then
	echo "xv6: 0 passed, 1 failed"
	exit 1
fi
"$out/xv6_test" | tee "$out/xv6_test.log"
rc=${PIPESTATUS[0]}
case "$(tail -n 1 "$out/xv6_test.log")" in
xv6:\ *\ passed,\ *\ failed) exit "$rc" ;;
esac
echo "xv6: $(grep -c '^ok ' "$out/xv6_test.log") passed, 1 failed (the test crashed)"
exit 1
