# free, uptime, df and mount report the live system: their numbers vary,
# so this checks the structure and the consistency of what they print.
free | awk 'NR == 1 { print "free header:", $1, $2, $3 }
	NR == 2 { print $1, ($2 > 0) ? "total > 0" : "no total", ($2 >= $3) ? "used <= total" : "used > total" }'
free -m | awk 'NR == 2 { print "free -m:", $1 }'
free | grep -q '^Swap:' && echo "free: Swap line"

uptime | grep -qE 'up .*load average: [0-9]+\.[0-9]+, [0-9]+\.[0-9]+, [0-9]+\.[0-9]+$' && echo "uptime: up ... load average: a, b, c"
uptime | grep -qE '^ *[0-9]{2}:[0-9]{2}:[0-9]{2} up' && echo "uptime: starts with the time"

df -k . | awk 'NR == 1 { print "df header:", $1, $2, $3, $4 }
	NR == 2 { print "df:", ($2 > 0) ? "size > 0" : "no size", ($3 + $4 <= $2 + 1) ? "used + avail <= size" : "used + avail > size" }'
df | awk 'NR > 1 && $NF == "/" { n++ } END { print "df: a line for /:", (n > 0 ? "yes" : "no") }'
df -P / | tail -1 | awk '{ print "df -P /: mounted on", $NF }'

mount | grep -qE '^[^ ]+ on / type [a-z0-9]+ \(' && echo "mount: / listed with a type and options"
mount | awk '$3 == "/proc" { print "mount: /proc is", $5 }'
mount | awk '{ print (NF >= 6 ? "ok" : "bad: " $0) }' | sort -u
grep -c . /proc/mounts | awk '{ print ($1 > 0) ? "/proc/mounts: has lines" : "/proc/mounts: empty" }'
