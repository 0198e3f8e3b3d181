#!/bin/sh
# Capture analysis against reading the file: generates a pcapng of about 1.08 GB (2.6 M packets, 4096 flows, seed 1)
# and one a quarter of that size, then times `vnethash analyze FILE` and `cat FILE > /dev/null` in turn (cat, analyze,
# cat, analyze, ...), both from the page cache, with GNU time. Prints every run, then per file the medians and the
# median of the pair-by-pair ratio cat/analyze (1.0 or more: analyze keeps up with reading the file), the peak RSS
# of analyze (constant memory: the same for both files), the CPU and the load before and after. Wall time is
# taken around GNU time (nanosecond clock), CPU time (user + system) and peak RSS from it.
#
# usage: benchmarks/capture-analysis.sh [RUNS] [PACKETS]     (defaults: 5 runs, 2600000 packets)
# The tool is run as $VNETHASH, by default the Release build: dotnet build -c Release src/VnetHash.Cli
# (VNETHASH=vnethash runs the installed tool). The captures live in a temporary directory that is always removed.
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
PACKETS="${2:-2600000}"
VNETHASH="${VNETHASH:-dotnet src/VnetHash.Cli/bin/Release/net10.0/VnetHash.Cli.dll}"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (Debian: apt-get install time)" >&2; exit 1; }

DIR="$(mktemp -d /tmp/vnethash-capture-bench.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT INT TERM

# Appends "<wall s> <user+system CPU s> <peak RSS KiB>" of one run to the file $1; the command's output goes to $DIR/out.
measure() {
    out="$1"; shift
    start=$(date +%s%N)
    "$TIME" -f '%U %S %M' -o "$DIR/time" "$@" > "$DIR/out"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) '{ printf "%.3f %.2f %s\n", ns / 1e9, $1 + $2, $3 }' "$DIR/time" >> "$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cpu() { grep -m1 "^$1" /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; }
echo "CPU: $(cpu 'model name') (family $(cpu 'cpu family'), model $(cpu 'model')), $(nproc) logical CPUs"
echo "load before: $(uptime | sed 's/.*load average: //')"
for n in "$PACKETS" $((PACKETS / 4)); do
    f="$DIR/capture-$n.pcapng"
    $VNETHASH generate --flows 4096 --packets "$n" --seed 1 --out "$f" > /dev/null
    size=$(stat -c %s "$f")
    cat "$f" > /dev/null # first read: every timed run reads from the page cache
    : > "$DIR/cat"; : > "$DIR/analyze"
    for i in $(seq "$RUNS"); do
        measure "$DIR/cat" sh -c 'exec cat "$1" > /dev/null' cat "$f"
        measure "$DIR/analyze" $VNETHASH analyze "$f"
        grep -q "^Packets: $n " "$DIR/out" || { echo "analyze did not count $n packets:" >&2; cat "$DIR/out" >&2; exit 1; }
    done
    echo
    echo "$n packets, $size bytes; per run: cat wall s, cpu s | analyze wall s, cpu s, peak RSS KiB | cat/analyze wall"
    paste -d' ' "$DIR/cat" "$DIR/analyze" | awk '{ printf "  %6.3f %5.2f | %6.3f %5.2f %8d | %5.2f\n", $1, $2, $4, $5, $6, $1 / $4 }' | tee "$DIR/pairs"
    printf '  median: cat %.3f s (cpu %.2f s), analyze %.3f s (cpu %.2f s, %.0f MB/s), peak RSS %d KiB, cat/analyze %.2f\n' \
        "$(cut -d' ' -f1 "$DIR/cat" | median)" "$(cut -d' ' -f2 "$DIR/cat" | median)" \
        "$(cut -d' ' -f1 "$DIR/analyze" | median)" "$(cut -d' ' -f2 "$DIR/analyze" | median)" \
        "$(cut -d' ' -f1 "$DIR/analyze" | median | awk -v s="$size" '{ print s / 1e6 / $1 }')" \
        "$(cut -d' ' -f3 "$DIR/analyze" | median)" "$(awk '{ print $NF }' "$DIR/pairs" | median)"
    rm -f "$f"
done
echo
echo "load after: $(uptime | sed 's/.*load average: //')"
