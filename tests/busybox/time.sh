# date with fixed times (-d @N, -u, formats) and sleep measured by the
# clock.
date -u -d @0
date -u -d @1700000000 '+%Y-%m-%d %H:%M:%S %a %b %j %s'
date -u -d '2024-02-29 12:34:56' '+%s %A'
TZ=UTC date -d @86399 '+%T %Z'
date -u -d @1234567890 -R
date -u -D '%d/%m/%Y %H:%M' -d '25/12/2021 18:30' '+%F %R'
date '+%Y' | grep -qE '^[0-9]{4}$' && echo "date +%Y: four digits"
now=$(date +%s)
[ "$now" -gt 1600000000 ] && echo "the clock is past 2020"
date -d 'not a date' 2>/dev/null; echo "bad date: status $?"

t0=$(date +%s)
sleep 2
t1=$(date +%s)
d=$((t1 - t0))
[ $d -ge 1 ] && [ $d -le 4 ] && echo "sleep 2: between 1 and 4 clock seconds"
sleep 0.2 && echo "sleep 0.2: ok"
sleep 1s && echo "sleep 1s: ok"
sleep x 2>/dev/null; echo "sleep x: status $?"
