# the classes of malformed JSON, in a snapshot and in a summary's plain
# lines, with -o: bad numbers, bad escapes, invalid UTF-8, a NUL byte,
# unclosed containers, trailing garbage, deep nesting.  Each exits 2 with
# one line that names the byte and quotes no input, and leaves no file;
# except a lone \u surrogate, which JSON allows and V8 writes.
. tests/cli/lib.sh
need zstd
cd "$TMP" || exit 1
cp "$OLDPWD/$DATA/tiny.heapsnapshot" tiny.heapsnapshot || exit 1
mkdir out

# try NAME TOOL FILE: TOOL -o out/x FILE; exit status, lines, files left
try() {
	"$2" -o out/x "$3" 2>err
	echo "$1: exit $?, $(wc -l <err | tr -d ' ') line(s), left: $(ls -A out)"
	cat err >&2
	rm -f out/x
}

# edited NAME TOOL FROM TO SED: FROM edited by SED into TO, given to TOOL
edited() {
	sed "$5" "$3" >"$4"
	try "$1" "$2" "$4"
}
snap() {
	edited "snapshot, $1" hs-summarize tiny.heapsnapshot in.heapsnapshot "$2"
}
snap "number with exponent" 's/"nodes":\[9,0,1/"nodes":[9,0,1e3/'
snap "negative number" 's/"nodes":\[9,0,1/"nodes":[9,0,-1/'
snap "leading zero" 's/"nodes":\[9,0,1/"nodes":[9,0,01/'
snap "fraction" 's/"edges":\[2,3,7/"edges":[2,3.5,7/'
snap "2^64" 's/"nodes":\[9,0,1/"nodes":[9,0,18446744073709551616/'
snap "bad escape" 's/"hello"/"he\\xllo"/'
snap "short \\u escape" 's/"hello"/"he\\u12"/'
snap "lone surrogate" 's/"hello"/"he\\ud800llo"/'
snap "unescaped control byte" 's/"hello"/"he\tllo"/'
snap "invalid UTF-8" "$(printf 's/"hello"/"he\377\376llo"/')"
snap "NUL byte" 's/"hello"/"he\x00llo"/'
snap "unclosed array" 's/"s"\]}/"s"/'
snap "unclosed object" 's/"s"\]}/"s"]/'
snap "unclosed string" 's/"s"\]}/"s]}/'
snap "trailing garbage" 's/"s"\]}/"s"]}x/'
snap "a second document" 's/"s"\]}/"s"]}{}/'
snap "missing comma" 's/"nodes":\[9,0,1/"nodes":[9 0,1/'
snap "key without value" 's/"edge_count":2/"edge_count":/'
{ printf '{"snapshot":'; head -c 200000 /dev/zero | tr '\0' '['; } >in.heapsnapshot
try "snapshot, 200000 nested arrays" hs-summarize in.heapsnapshot

# a summary's plain lines, edited, to hs-report
hs-summarize -q -o good.hss tiny.heapsnapshot || exit 1
zstd -dcq good.hss >good.jsonl
sum() {
	edited "summary, $1" hs-report good.jsonl in.jsonl "$2"
}
sum "number with exponent" '/"class","key":",Foo"/s/"count":1,/"count":1e0,/'
sum "negative count" '/"class","key":",Foo"/s/"count":1,/"count":-1,/'
sum "2^64" '/"class","key":",Foo"/s/"count":1,/"count":18446744073709551616,/'
sum "bad escape" '/"class","key":",Foo"/s/"name":"/"name":"\\x/'
sum "lone surrogate" '/"class","key":",Foo"/s/"name":"/"name":"\\udc00/'
sum "invalid UTF-8" "$(printf '/"class","key":",Foo"/s/"name":"/"name":"\377/')"
sum "NUL byte" '/"class","key":",Foo"/s/"name":"/"name":"\x00/'
sum "unclosed object" '/"class","key":",Foo"/s/}$//'
sum "trailing garbage" '/"class","key":",Foo"/s/}$/}x/'
{ sed -n 1p good.jsonl; printf '{"type":"x","a":'; head -c 200000 /dev/zero |
    tr '\0' '['; echo; } >in.jsonl
try "summary, 200000 nested arrays" hs-report in.jsonl
