# cat, grep, sed, awk, sort, uniq, wc, head, tail, tr, cut on fixed data.
cat > fruits <<'END'
banana 3 yellow
apple 10 red
cherry 25 red
apple 10 red
date 7 brown
elderberry 1 black
fig 12 purple
END
printf 'line%d\n' 1 2 3 4 5 6 7 8 9 10 11 12 > lines

echo "== cat"
cat -n fruits | head -3
printf 'a\n' > part1
printf 'b\n' > part2
cat part1 - part2 <<'END'
from stdin
END
cat no-such-file 2>&1; echo "status $?"

echo "== grep"
grep red fruits
grep -c apple fruits
grep -v -e red -e yellow fruits
grep -n '^c' fruits
grep -i APPLE fruits | head -1
grep -E '^(fig|date) [0-9]+' fruits
grep -o '[0-9][0-9]' fruits
grep -w 'date' fruits
grep -l red fruits lines
grep -q nothing fruits; echo "grep -q miss: $?"
grep -F '.' fruits; echo "grep -F literal dot: $?"
grep -r yellow . | sort

echo "== sed"
sed 's/red/RED/' fruits | head -3
sed -n '2,4p' fruits
sed '/apple/d' fruits
sed -e 's/\([a-z]*\) \([0-9]*\)/\2:\1/' -e '3q' fruits
sed 'y/abc/ABC/' part1 part2
sed '1i\
first' part1
printf 'x y\n' | sed -E 's/(x) (y)/\2 \1/'
cp fruits edited
sed -i 's/ [0-9]* / /' edited
head -2 edited
sed -n '$=' lines

echo "== awk"
awk '{ sum += $2 } END { print "sum", sum, "rows", NR }' fruits
awk '$3 == "red" { print $1 }' fruits
awk -F' ' '{ n[$3]++ } END { for (c in n) print c, n[c] }' fruits | sort
awk 'BEGIN { printf "%5.2f|%-4s|%x\n", 3.14159, "ab", 255 }'
awk 'length($1) > 5 { print toupper($1) }' fruits
awk 'NR % 5 == 0' lines
awk -v k=3 'BEGIN { s = "a,b,c,d"; n = split(s, p, ","); print n, p[k]; print substr("scarlet", 2, 3), index("scarlet", "let") }'
echo "5 7" | awk '{ print $1 * $2, ($2 / $1 > 1), int(7 / 2) }'

echo "== sort"
sort fruits
sort -k2,2n fruits | head -3
sort -k2,2nr fruits | head -2
sort -u fruits | wc -l
sort -t' ' -k3,3 -k1,1 fruits
printf '10\n9\n100\n' | sort
printf '10\n9\n100\n' | sort -n
printf 'b\na\nc\n' | sort -r

echo "== uniq"
sort fruits | uniq
sort fruits | uniq -c
sort fruits | uniq -d
awk '{ print $3 }' fruits | sort | uniq -u

echo "== wc"
wc fruits
wc -l < fruits
wc -w fruits
wc -c lines
wc -l fruits lines

echo "== head and tail"
head -n 2 lines
head -c 9 lines; echo
tail -n 2 lines
tail -n +11 lines
tail -c 5 lines
head -n -10 lines

echo "== tr"
echo "Hello, World" | tr 'a-z' 'A-Z'
echo "Hello, World" | tr -d 'lo'
echo "aaabbbccc" | tr -s 'ab'
echo "a:b:c" | tr ':' '\n'
echo "Hello 123" | tr -cd '0-9'; echo

echo "== cut"
cut -d' ' -f1 fruits | head -3
cut -d' ' -f2,3 fruits | tail -2
cut -c1-3 fruits | head -2
echo "a:b:c:d" | cut -d: -f2-
echo "abcdef" | cut -c 2,4-
