# ls -l, stat, du, find over a tree with fixed names, sizes, modes and times.
export TZ=UTC
mkdir -p tree/sub/deep tree/empty
printf 'hello\n' > tree/h.txt
printf '%05000d' 0 > tree/sub/zeros.dat
printf 'x' > tree/sub/deep/x.txt
ln -s h.txt tree/h.link
chmod 600 tree/h.txt
chmod 755 tree/sub/zeros.dat
touch -d '2020-01-02 03:04:05' tree/h.txt tree/sub/zeros.dat tree/sub/deep/x.txt
touch -h -d '2020-01-02 03:04:05' tree/h.link
touch -d '2022-06-07 08:09:10' tree/sub/deep/x.txt

# ls -l without the owner and group columns (they depend on who runs it)
ls -l tree/h.txt tree/sub/zeros.dat | awk '{ $3 = $4 = ""; print }'
ls -l tree/h.link | awk '{ print $1, $(NF-2), $(NF-1), $NF }'
[ "$(ls -l tree/h.txt | awk '{ print $3 }')" = "$(id -un)" ] && echo "ls -l names the owner"
ls tree
ls -a tree/sub
ls -R tree | grep -v '^$'
ls -1d tree/*/
ls -s tree/sub/deep/x.txt | awk '{ print ($1 > 0) ? "ls -s: allocated" : "ls -s: none" }'

stat -c '%n|%s|%a|%A|%F|%h|%Y|%y' tree/h.txt tree/sub/zeros.dat
stat -c '%n|%F|%N' tree/h.link
stat -L -c '%n|%F|%s' tree/h.link
stat -c '%n %F' tree/sub tree/empty
stat -t tree/h.txt | awk '{ print $1, $2 }'
stat nope 2>&1

# du counts allocated blocks, which depend on the filesystem: check the
# structure and bounds instead of exact numbers
du -k tree/sub/zeros.dat | awk '{ print $2, ($1 >= 4 && $1 <= 16) ? "in bounds" : "out of bounds: " $1 }'
du -k tree | awk '{ print $2 }' | sort
du -sk tree | awk '{ print $2, ($1 >= 5) ? "total ok" : "total small" }'
sub=$(du -sk tree/sub | awk '{ print $1 }')
all=$(du -sk tree | awk '{ print $1 }')
[ "$all" -ge "$sub" ] && echo "du: tree >= tree/sub"

find tree | sort
find tree -type f | sort
find tree -type d -name 'd*'
find tree -type l
find tree -name '*.txt' | sort
find tree -size +4k
find tree -maxdepth 1 -type d | sort
find tree -empty
find tree -newer tree/h.txt -type f
find tree -name x.txt -exec cat {} \; -exec echo " <- x.txt" \;
find tree -type f -perm 600
find tree/sub -mindepth 1 -type f | wc -l
