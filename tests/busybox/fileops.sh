# mkdir -p, touch, cp -a, mv, ln -s, chmod, rm -r: the tree they leave,
# with modes, sizes and times printed by stat -c.
export TZ=UTC
mkdir -p a/b/c
mkdir -p a/b/c && echo "mkdir -p again: ok"
mkdir a 2>/dev/null || echo "mkdir existing: fails"
echo one > a/f1
printf 'two\nlines\n' > a/b/f2
touch -d '2021-03-04 05:06:07' a/f1 a/b/f2 a/b/c
chmod 640 a/f1
chmod u+x,g-r a/b/f2
stat -c '%n %a %s %Y' a/f1 a/b/f2
touch new
stat -c '%n %s %F' new

cp -a a copy
stat -c '%n %a %s %Y %F' copy/f1 copy/b/f2
stat -c '%n %a %Y %F' copy/b/c
cmp a/b/f2 copy/b/f2 && echo "cp -a: same content"
cp a/f1 plain
stat -c '%n %a %s' plain

mv copy/f1 copy/moved
ls copy
mv copy moved-dir
ls -d copy moved-dir 2>&1

ln -s a/b/f2 link
ln -s no-such dangling
stat -c '%n %F' link dangling
readlink link
cat link
ls -L link >/dev/null && echo "link resolves"
cat dangling 2>/dev/null || echo "dangling link: cat fails"
ln a/f1 hard
stat -c '%n %h' a/f1 hard

chmod 0755 a/f1
chmod go-rx a/f1
chmod +t a
stat -c '%n %a' a/f1 a

rm -r a
ls -d a 2>/dev/null || echo "rm -r: gone"
rm -rf moved-dir link dangling hard plain new
rm nothing-here 2>&1
rm -f nothing-here && echo "rm -f missing: ok"
ls -A | wc -l
