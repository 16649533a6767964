# ps lists a process started in the background, kill ends it (the kill
# applet, run through env so that ash's built-in kill is not used), and
# env builds environments for the commands it runs.
#
# ash reports a job killed by a signal ("Terminated") on its stderr when
# it reaps it, which may be during any later command; the block's stderr
# is dropped so the output does not depend on that timing.
{
sleep 37 &
pid=$!
sleep 0.5
ps -o pid,args | awk -v p=$pid '$1 == p' | grep -o 'sleep 37$'
ps | awk -v p=$pid '$1 == p' | grep -q 'sleep 37' && echo "ps: lists the sleep"
ps -o pid,ppid,comm | awk -v p=$pid -v me=$$ '$1 == p && $2 == me { print "ps: its parent is this shell" }'
ps | head -1 | awk '{ print $1, $NF }'
env kill -0 $pid && echo "kill -0: alive"
env kill -TERM $pid
wait $pid
echo "wait: status $?"
ps | awk -v p=$pid '$1 == p' | grep -c 'sleep 37'
env kill -0 $pid 2>/dev/null || echo "kill -0: gone"
env kill -l 9
env kill -l KILL
env kill -s 15 999999 2>&1 | sed 's/[0-9]\{6\}/PID/'

sleep 38 &
pid=$!
env kill -9 $pid
wait $pid
echo "kill -9: status $?"
sleep 39 &
pid=$!
kill -STOP $pid
sleep 0.3
ps -o pid,stat | awk -v p=$pid '$1 == p { print "stopped:", substr($2, 1, 1) }'
kill -CONT $pid
kill $pid
wait $pid
echo "builtin kill after STOP/CONT: status $?"
} 2>/dev/null

echo "== env"
env -i FOO=bar env
env -i A=1 B=2 env | sort
env -i PATH="$PATH" X=inner sh -c 'echo "X is $X"'
X=outer env X=changed sh -c 'echo "X is $X"'
env -u HOME sh -c 'echo "HOME is ${HOME:-unset}"'
export EXPORTED=yes
env | grep '^EXPORTED='
env no-such-command 2>/dev/null; echo "env missing command: status $?"
printenv EXPORTED
