# tar and gzip/gunzip/zcat: archives of a known tree, listed, extracted
# and compared; compressed data round-tripped.
export TZ=UTC
mkdir -p src/sub
printf 'alpha\n' > src/a.txt
i=0
while [ $i -lt 500 ]; do echo "repetitive line $i"; i=$((i + 1)); done > src/sub/big.txt
ln -s a.txt src/link
chmod 751 src/sub
touch -d '2019-05-06 07:08:09' src/a.txt src/sub/big.txt src/sub
md5sum src/a.txt src/sub/big.txt > orig.md5

echo "== tar"
tar -cf t.tar src
tar -tf t.tar | sort
tar -tvf t.tar | grep ' src/a.txt$' | awk '{ print $1, $3, $4, $5, $6 }'
mkdir out
tar -xf t.tar -C out
cd out && md5sum -c ../orig.md5 && cd ..
stat -c '%n %a %Y' out/src/a.txt
stat -c '%n %a' out/src/sub
readlink out/src/link
tar -cf - -C src a.txt | tar -tf -
tar -xf t.tar -O src/a.txt
tar -tf no-such.tar 2>&1; echo "status $?"

echo "== gzip"
cp src/sub/big.txt big
gzip big
ls big big.gz 2>&1
size=$(wc -c < big.gz)
[ "$size" -lt 2000 ] && echo "gzip: compressed below 2000 bytes"
gzip -t big.gz && echo "gzip -t: ok"
gunzip big.gz
md5sum big | sed 's/ .*//' > a; md5sum src/sub/big.txt | sed 's/ .*//' > b
cmp a b && echo "gunzip: same data"
gzip -c big > big.gz
zcat big.gz | tail -1
gzip -dc big.gz | wc -l
gzip -c -9 big | gunzip -c | cmp - big && echo "gzip -9 round trip"
printf 'not gzip data' > bad.gz
gunzip bad.gz 2>&1; echo "status $?"

echo "== tar with gzip"
tar -czf t.tgz src
tar -tzf t.tgz | sort | head -3
gunzip -c t.tgz | tar -tf - | wc -l
mkdir out2
tar -xzf t.tgz -C out2
diff -r src out2/src && echo "tar -z: same tree"
