# xargs: batching, -n, -I, -0, and commands run by find -exec.
printf 'a\nb\nc\nd\ne\n' | xargs echo
printf 'a\nb\nc\nd\ne\n' | xargs -n 2 echo
printf 'one two\nthree\n' | xargs -n 1 echo item
printf 'x\ny\n' | xargs -I{} echo "[{}]"
printf 'with space\0plain\0' | xargs -0 -n 1 echo
mkdir d
for f in 3 1 2; do echo "file $f" > "d/f$f"; done
find d -type f | sort | xargs cat
find d -name 'f*' | sort | xargs wc -l | tail -1
find d -type f | sort | xargs -n 1 sh -c 'echo "$1: $(cat "$1")"' sh
echo | xargs echo "empty input ran:"
printf '' | xargs -r echo "never"; echo "-r: $?"
printf 'a\n' | xargs false; echo "xargs false: $?"
# A command that cannot be run: 127 with a real vfork (the child's exec
# error reaches xargs through shared memory, as on Linux and Scarlet), 123
# under qemu-user, whose vfork is a fork.  Either way it must fail.
printf 'a\n' | xargs no-such-command 2>/dev/null
s=$?
case $s in 123 | 127) echo "xargs missing: failed" ;; *) echo "xargs missing: $s" ;; esac
find d -type f -exec sh -c 'echo in "$1"' sh {} \; | sort
