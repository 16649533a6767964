# An ash script with functions, loops, traps and subshells.

fib() {
	if [ "$1" -lt 2 ]; then
		echo "$1"
	else
		echo $(($(fib $(($1 - 1))) + $(fib $(($1 - 2)))))
	fi
}
counter() {
	local n=0
	while [ $n -lt "$1" ]; do n=$((n + 1)); done
	echo "counted to $n"
	return 3
}
echo "== functions"
echo "fib 10 = $(fib 10)"
counter 5
echo "return status $?"
n=outer
counter 2 >/dev/null
echo "local kept n=$n"
greet() { echo "hello, ${1:-nobody} ($# args)"; }
greet
greet world extra

echo "== loops"
for w in one two three; do printf '%s,' "$w"; done; echo
i=0
while true; do
	i=$((i + 1))
	[ $i -eq 2 ] && continue
	[ $i -gt 4 ] && break
	printf 'i=%d ' $i
done; echo
until [ $i -le 0 ]; do i=$((i - 2)); done; echo "until: i=$i"
for f in c a b; do echo $f; done | sort | tr '\n' ' '; echo
printf 'x 1\ny 2\n' | while read -r name val; do echo "$name=$val"; done
for i in 1 2 3; do
	case $i in
	1) echo "case one" ;;
	2 | 3) echo "case two or three: $i" ;;
	esac
done
set -- p q r
for arg; do echo "arg $arg"; done
echo "count $#, all $*"
shift
echo "after shift: $1"

echo "== subshells"
v=parent
(v=child; echo "in subshell v=$v"; exit 4)
echo "subshell status $?, v=$v"
here=$(pwd)
out=$(cd / && pwd)
[ "$(pwd)" = "$here" ] && echo "command substitution: $out, and still here"
( echo a; echo b ) | wc -l
{ echo grouped; echo lines; } > grouped.txt
cat grouped.txt
sh -c 'echo $PPID' > ppid
[ "$(cat ppid)" = "$$" ] && echo "a child's PPID is our \$\$"
[ "$(sh -c 'echo $$')" != "$$" ] && echo "a child has its own \$\$"
(sleep 0.3; echo "background job done") &
echo "background job started"
wait
echo "wait returned"
x=$( (exit 7) ); echo "nested status $?"

echo "== traps"
trap 'echo "got USR1"' USR1
kill -USR1 $$
trap 'echo "exit trap of a subshell"' EXIT
(trap 'echo "subshell EXIT trap"' EXIT; echo "in subshell")
trap - EXIT
sh -c 'trap "echo child TERM trap; exit 9" TERM; kill -TERM $$; echo not reached'
echo "child status $?"
sh -c 'trap "" INT; kill -INT $$; echo "INT ignored"'
trap 'echo "EXIT trap: cleanup ran"' EXIT
echo "== here-doc and arithmetic"
cat <<END
sum=$((6 * 7)) hex=$((0x10)) shift=$((1 << 4)) mod=$((17 % 5))
END
a=5; a=$((a * 2 + 1)); echo "a=$a"
[ "abc" != "abd" ] && [ 3 -lt 4 ] && echo "tests ok"
s="hello world"; echo "${#s} ${s%world} ${s#hello } ${s/o/0}"
unset nothing; echo "default: ${nothing:-dflt}"
set -e
false || echo "set -e: || keeps going"
echo "last line"
