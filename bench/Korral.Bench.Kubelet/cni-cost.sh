#!/usr/bin/env bash
# cni-cost.sh — what each CNI plugin of korral's pod network costs per pod, measured outside containerd.
#
# Usage (as root): bench/Korral.Bench.Kubelet/cni-cost.sh [RUNS]      (default 10)
#
# Runs the node's plugin chain (bridge with host-local IPAM, portmap, loopback; the conflist of
# src/Korral.Kubelet/Network/CniConfig.cs) ADD then DEL on RUNS network namespaces of its own, once with the bridge's
# ipMasq on (korral's config: a masquerade chain per pod) and once with it off, and prints the median and maximum
# milliseconds of each step. Everything is its own: a bridge kbc<pid>, a free 10.N.0.0/24 (N in 200-249), namespaces
# kbc<pid>-<i>, a temp IPAM dir; all removed at exit.
set -euo pipefail
runs="${1:-10}"
cni=/usr/lib/cni
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
for p in bridge host-local portmap loopback; do [ -x "$cni/$p" ] || { echo "$cni/$p missing (containernetworking-plugins)" >&2; exit 1; }; done

tag="kbc$$"
bridge="${tag:0:15}"
work="$(mktemp -d)"
octet=""
for n in $(shuf -i 200-249); do
  if ! ip -4 route | grep -q "^10\.$n\." && ! ip -4 addr | grep -q " 10\.$n\."; then octet=$n; break; fi
done
[ -n "$octet" ] || { echo "no free 10.200-249.0.0/16" >&2; exit 1; }
subnet="10.$octet.0.0/24"

cleanup() {
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$tag-" || true); do ip netns del "$ns" || true; done
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ms() { echo $(( ($2 - $1) / 1000000 )); }
now() { date +%s%N; }

# plugin TYPE COMMAND NETNS IFNAME CONFIG → result on stdout
plugin() {
  CNI_COMMAND="$2" CNI_CONTAINERID="$3" CNI_NETNS="/var/run/netns/$3" CNI_IFNAME="$4" CNI_PATH="$cni" "$cni/$1" <<<"$5"
}

run() {
  local masq="$1" i ns t0 t1 t2 t3 t4 t5 t6 bridgeconf result
  bridgeconf=$(printf '{"cniVersion":"1.0.0","name":"kbc","type":"bridge","bridge":"%s","isGateway":true,"ipMasq":%s,"hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"%s"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s/ipam"}}' \
    "$bridge" "$masq" "$subnet" "$work")
  : >"$work/times-$masq"
  for i in $(seq 1 "$runs"); do
    ns="$tag-$i"
    t0=$(now); ip netns add "$ns"; t1=$(now)
    result=$(plugin bridge ADD "$ns" eth0 "$bridgeconf"); t2=$(now)
    plugin portmap ADD "$ns" eth0 "{\"cniVersion\":\"1.0.0\",\"name\":\"kbc\",\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"prevResult\":$result}" >/dev/null; t3=$(now)
    plugin loopback ADD "$ns" lo '{"cniVersion":"1.0.0","name":"kbc","type":"loopback"}' >/dev/null; t4=$(now)
    plugin portmap DEL "$ns" eth0 "{\"cniVersion\":\"1.0.0\",\"name\":\"kbc\",\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"prevResult\":$result}" >/dev/null; t5=$(now)
    plugin bridge DEL "$ns" eth0 "$bridgeconf" >/dev/null; t6=$(now)
    ip netns del "$ns"
    echo "$(ms "$t0" "$t1") $(ms "$t1" "$t2") $(ms "$t2" "$t3") $(ms "$t3" "$t4") $(ms "$t4" "$t5") $(ms "$t5" "$t6")" >>"$work/times-$masq"
  done
}

summary() {
  local file="$1" col name
  for col in 1 2 3 4 5 6; do
    name=$(echo "netns-add bridge-ADD portmap-ADD loopback-ADD portmap-DEL bridge-DEL" | cut -d' ' -f"$col")
    cut -d' ' -f"$col" "$file" | sort -n | awk -v n="$name" '{a[NR]=$1} END {printf "  %-13s median %4d ms  max %4d ms\n", n, a[int((NR+1)/2)], a[NR]}'
  done
}

run true   # the first ADD creates the bridge: one unmeasured round first
: >"$work/times-true"
run true
run false
echo "CNI chain per pod, $runs runs each, load $(cut -d' ' -f1 /proc/loadavg):"
echo "ipMasq true (korral's conflist):"; summary "$work/times-true"
echo "ipMasq false:"; summary "$work/times-false"
