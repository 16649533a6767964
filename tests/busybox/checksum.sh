# md5sum, sha256sum and dd on data of known content.
printf 'hello\n' > hello
printf '' > empty
i=0
while [ $i -lt 200 ]; do echo "row $i of known data"; i=$((i + 1)); done > rows

md5sum hello empty rows
sha256sum hello empty rows
printf 'abc' | md5sum
printf 'abc' | sha256sum
sha1sum hello
md5sum hello rows > sums
md5sum -c sums
echo tampered >> rows
md5sum -c sums 2>&1; echo "status $?"

dd if=/dev/zero of=zeros bs=512 count=8 2>/dev/null
wc -c < zeros
md5sum < zeros
printf '0123456789abcdefghij' > digits
dd if=digits of=part bs=1 skip=10 count=5 2>/dev/null
cat part; echo
dd if=digits bs=4 count=2 2>/dev/null; echo
dd if=hello of=digits bs=1 seek=3 conv=notrunc 2>/dev/null
cat digits; echo
printf 'abc' | dd bs=8 conv=sync 2>/dev/null | wc -c
dd if=digits of=swapped conv=swab 2>/dev/null
cat swapped; echo
dd if=digits bs=5 skip=1 count=1 status=none; echo
dd if=/dev/zero bs=1k count=3 2>&1 >/dev/null | head -2
head -c 1000 /dev/urandom | wc -c
dd if=no-such-file of=x 2>&1; echo "status $?"
