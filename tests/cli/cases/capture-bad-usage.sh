# bad options and names: exit 2 and one line each
for args in "--inspect 127.0.0.1" "--inspect :9229" "--inspect h:99999" \
    "--timeout 0 --inspect h:1" "--pid x" \
    "--inspect h:1 --out-dir d --session a_b" \
    "--inspect h:1 --out-dir d --label ../x" \
    "--inspect h:1 --out-dir d --service-name a/b" \
    "--inspect h:1 --before-after 3m" \
    "--inspect h:1 --out-dir d --before-after 3x" \
    "--inspect h:1 --out-dir d --interval 1s" \
    "--inspect h:1 --out-dir d -o f" \
    "--inspect h:1 --keep -o f" \
    "--inspect h:1 --pipe cat" \
    "--docker a --k8s b" "--namespace n --inspect h:1" \
    "--inspect h:1 --duration 1s" "--inspect h:1 --watch 1s -o f" \
    "--inspect h:1 --watch 0s" \
    "" "extra --inspect h:1"; do
	# shellcheck disable=SC2086
	hs-capture $args >"$TMP/out" 2>&1
	st=$?
	head -n 1 "$TMP/out"
	echo "exit $st"
done
HS_STRATEGY=sometimes hs-capture --inspect h:1 2>&1
hs-capture --version
