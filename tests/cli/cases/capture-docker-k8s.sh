# --docker and --k8s run their commands through docker exec -i and kubectl
# exec -i (here stand-ins that run the command on this machine and log
# their arguments), and the example drain hooks in
# share/hs/examples/capture mark the "container" out and back in
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
examples=$PWD/share/hs/examples/capture
start_planted "$(node_bin 20)" 1234
cd "$TMP" || exit 1
mkdir bin
# docker exec [-i] ID CMD...; kubectl exec [-i] [-n NS] [-c C] POD -- CMD...
cat >bin/docker <<'SH'
#!/bin/sh
echo "docker $1 $2 $3 ${4%% *}" >>"$TMP/calls"
[ "$1" = exec ] || exit 1
shift
[ "$1" = -i ] && shift
shift
exec "$@"
SH
cat >bin/kubectl <<'SH'
#!/bin/sh
log=kubectl
while [ $# -gt 0 ] && [ "$1" != -- ]; do log="$log $1"; shift; done
echo "$log ${2:-} ${3:-} ${4%% *}" | sed 's/ *$//' >>"$TMP/calls"
case $log in "kubectl exec"*) ;; *) exit 0;; esac
shift
exec "$@"
SH
chmod +x bin/docker bin/kubectl
export PATH="$TMP/bin:$PATH"
HS_DRAIN_FILE=$TMP/drain HS_DRAIN_WAIT=0 hs-capture -q --docker 'c0ffee' \
    --pid $NODE_PID -o docker.heapsnapshot \
    --before-cmd "$examples/docker-drain.sh out && test -e $TMP/drain && echo drained >>calls" \
    --after-cmd "$examples/docker-drain.sh in && test ! -e $TMP/drain && echo restored >>calls" \
    2>err
echo "--docker: exit $?"
planted docker.heapsnapshot
HS_DRAIN_FILE=$TMP/drain hs-capture -q --k8s api-7f9c --namespace prod \
    --container app --pid $NODE_PID -o k8s.heapsnapshot \
    --before-cmd "$examples/k8s-drain.sh out" \
    --after-cmd "$examples/k8s-drain.sh in"
echo "--k8s: exit $?"
planted k8s.heapsnapshot
sort calls | uniq -c | sed 's/^ *//'
