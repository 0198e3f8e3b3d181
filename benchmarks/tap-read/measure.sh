#!/usr/bin/env bash
# Frames per second and CPU per frame of TAP readers fed by one flood, in alternating rounds (root only).
#
#   benchmarks/tap-read/measure.sh [--rounds R] [--seconds S] [--queues "1 2"] [--readers "c-poll vnethash ..."]
#                                  [--tool PATH]
#
# --tool: the vnethash to measure (an installed one: --tool "$(command -v vnethash)"); by default the tool built
# from this checkout in Release.
#
# Readers (each creates its own TAP "vnhread0" in a fresh network namespace, IPv6 off, and reads every queue):
#   c-poll            benchmarks/tap-read/tap_reader.c, poll + one read per frame (the yardstick)
#   c-uring           the same program, io_uring multishot reads into provided-buffer rings
#   vnethash          vnethash tap run --backend ebpf (auto reader: io_uring here), hash report on every frame
#   vnethash-poll     the same with --reader poll
#   lib-uring         VnetHash.Tap readers (TapReceiver, a handler counting frames), io_uring, no report
#   lib-poll          the same, poll + read
#   lib-uring-report  RssTap with the eBPF backend and a handler, io_uring, hash report on every frame
#   lib-poll-report   the same, poll + read
# The sender is tap_reader flood: 8192 distinct 60-80-byte IPv4/IPv6 TCP/UDP frames, AF_PACKET past the qdisc,
# sendmmsg batches of 32, S seconds (default 5), pinned to CPU 0. One-queue readers are pinned to CPU 1; two-queue
# readers may use CPUs 0 and 1 (which the sender shares). Each round runs every reader once, in turn, so a drift of
# the machine's speed hits all of them alike; the summary gives the median of the rounds and, per round, the
# ratio to c-poll with the same queues.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=5
queue_counts="1 2"
readers="c-poll c-uring vnethash vnethash-poll lib-uring lib-poll lib-uring-report lib-poll-report"
tool=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --queues) queue_counts=$2; shift 2 ;;
    --readers) readers=$2; shift 2 ;;
    --tool) tool=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds R] [--seconds S] [--queues \"1 2\"] [--readers \"c-poll vnethash ...\"] [--tool PATH]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "needs root: it creates network namespaces and TAP devices" >&2; exit 1; }

# What the C reader needs, installed here rather than assumed.
missing=()
for p in gcc liburing-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
namespace=""
cleanup() {
  [ -n "$namespace" ] && ip netns del "$namespace" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -Wall -o "$work/tap_reader" benchmarks/tap-read/tap_reader.c -luring
if [ -z "$tool" ]; then
  dotnet build -c Release -nologo -v:q src/VnetHash.Cli >/dev/null
  tool=$PWD/src/VnetHash.Cli/bin/Release/net10.0/VnetHash.Cli
fi
dotnet build -c Release -nologo -v:q benchmarks/VnetHash.TapBenchmarks >/dev/null
library=benchmarks/VnetHash.TapBenchmarks/bin/Release/net10.0/VnetHash.TapBenchmarks
name=vnhread0

command_for() { # reader queues
  case "$1" in
    c-poll) echo "$work/tap_reader read --ifname $name --queues $2 --io poll" ;;
    c-uring) echo "$work/tap_reader read --ifname $name --queues $2 --io uring" ;;
    vnethash) echo "$tool tap run --name $name --queues $2 --backend ebpf --json" ;;
    vnethash-poll) echo "$tool tap run --name $name --queues $2 --backend ebpf --reader poll --json" ;;
    lib-uring) echo "$library tap-read --ifname $name --queues $2 --io uring --report none" ;;
    lib-poll) echo "$library tap-read --ifname $name --queues $2 --io poll --report none" ;;
    lib-uring-report) echo "$library tap-read --ifname $name --queues $2 --io uring --report ebpf" ;;
    lib-poll-report) echo "$library tap-read --ifname $name --queues $2 --io poll --report ebpf" ;;
    *) echo "unknown reader $1" >&2; exit 2 ;;
  esac
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

measure() { # round reader queues
  local round=$1 reader=$2 queues=$3 cpus=1
  [ "$queues" -gt 1 ] && cpus=0,1
  namespace="vnhread-$$-$round-$reader-$queues"
  ip netns add "$namespace"
  ip netns exec "$namespace" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  # Emptied first: the reader truncates them only once it has started, after the wait below has begun to look.
  : >"$work/out"; : >"$work/err"
  # ip netns exec execs the reader, so this pid is the reader's own.
  ip netns exec "$namespace" taskset -c "$cpus" $(command_for "$reader" "$queues") >"$work/out" 2>"$work/err" &
  local pid=$! waited=0
  until grep -q ready "$work/out" "$work/err" 2>/dev/null; do
    sleep 0.05; waited=$((waited + 1))
    [ $waited -lt 1200 ] && kill -0 $pid 2>/dev/null || { echo "$reader did not get ready: $(cat "$work/err")" >&2; exit 1; }
  done
  local before after
  before=$(cpu_ticks $pid)
  ip netns exec "$namespace" taskset -c 0 "$work/tap_reader" flood --ifname $name --seconds "$seconds" >"$work/flood"
  after=$(cpu_ticks $pid)
  sleep 0.5
  local dropped
  dropped=$(ip netns exec "$namespace" cat /sys/class/net/$name/statistics/tx_dropped)
  # SIGTERM: a background job of a script starts with SIGINT ignored (POSIX shells do that without job control).
  kill -TERM $pid; wait $pid || true
  ip netns del "$namespace"; namespace=""
  # frames read: the C and library readers print "frames", the tool's summary "read" (the total comes before the
  # per-reader ones).
  local frames flood_seconds accepted
  frames=$(grep -o '"\(frames\|read\)": \?[0-9]*' "$work/out" | head -1 | grep -o '[0-9]*$')
  accepted=$(grep -o '"accepted": [0-9]*' "$work/flood" | grep -o '[0-9]*$')
  flood_seconds=$(grep -o '"seconds": [0-9.]*' "$work/flood" | grep -o '[0-9.]*$')
  awk -v r="$round" -v n="$reader" -v q="$queues" -v f="$frames" -v s="$flood_seconds" -v a="$accepted" -v d="$dropped" \
      -v c=$((after - before)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%s %s %s %.0f %.3f %s %s\n", r, n, q, f / s, (c / hz) / (f > 0 ? f : 1) * 1e6, a, d }' | tee -a "$work/results"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, Linux $(uname -r), $(dotnet --version) SDK"
echo "load before: $(uptime)"
echo "round reader queues frames/s cpu_us/frame accepted tx_dropped"
for round in $(seq "$rounds"); do
  for queues in $queue_counts; do
    for reader in $readers; do
      measure "$round" "$reader" "$queues"
    done
  done
done
echo "load after: $(uptime)"

echo
echo "median of $rounds rounds (frames/s, CPU us per frame) and the median of each round's ratio to c-poll with the same queues:"
sort -k3,3n -k2,2 -k1,1n "$work/results" | awk '
  { rate[$2" "$3] = rate[$2" "$3] " " $4; cpu[$2" "$3] = cpu[$2" "$3] " " $5; byround[$1" "$2" "$3] = $4; keys[$2" "$3] = 1; rounds[$1] = 1 }
  function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    for (k in keys) {
      split(k, p, " "); ratios = ""
      for (r in rounds) if ((r " c-poll " p[2]) in byround && byround[r " c-poll " p[2]] > 0) ratios = ratios " " byround[r " " k] / byround[r " c-poll " p[2]]
      printf "%-18s %s queue(s) %10.0f frames/s %6.3f us/frame  %s x c-poll\n", p[1], p[2], median(rate[k]), median(cpu[k]), ratios == "" ? "-" : sprintf("%.2f", median(ratios))
    }
  }' | sort -k2,2n -k1,1

# The figure that decides: the tool's reader against the C poll+read loop, one queue, same sender, same rounds.
awk '$3 == 1 && ($2 == "c-poll" || $2 == "vnethash") { rate[$1" "$2] = $4; rounds[$1] = 1 }
  END {
    n = 0
    for (r in rounds) if ((r " c-poll") in rate && (r " vnethash") in rate && rate[r " c-poll"] > 0) v[++n] = rate[r " vnethash"] / rate[r " c-poll"]
    if (n == 0) exit
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf "\nvnethash tap run --queues 1 --backend ebpf: %.2fx the C poll+read loop (median of %d rounds; goal 1.5x: %s)\n", m, n, (m >= 1.5 ? "met" : "NOT met")
  }' "$work/results"
