#!/bin/sh
# Capture analysis against reading the file: generates a pcapng of about 1.08 GB (2.6 M packets, 4096 flows, seed 1)
# and one a quarter of that size, then times `cat FILE > /dev/null`, `vnethash analyze FILE` and the C peer
# benchmarks/capture-peer/capture_peer.c (the same decision per packet and much the same counting, written plainly
# in C, on as many threads) in turn (cat, analyze, peer, cat, ...), all from the page cache, with GNU time. Before
# timing, the peer's packets per queue and per hash type, and per queue the sum of its packets' hashes, must equal
# analyze's. Prints every run, then per file the medians and the medians of the run-by-run ratios cat/analyze (1.0 or
# more: analyze keeps up with reading the file), cat/peer (what C reaches on this machine) and peer/analyze, the peak
# RSS of analyze (constant memory: the same for both files), the CPU and the load before and after. Wall time is
# taken around GNU time (nanosecond clock), CPU time (user + system) and peak RSS from it. Needs gcc to build the
# peer, and perl (part of every Debian system).
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
command -v gcc > /dev/null || { echo "needs gcc to build the C peer (Debian: apt-get install gcc)" >&2; exit 1; }

DIR="$(mktemp -d /tmp/vnethash-capture-bench.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT INT TERM
PEER="$DIR/capture_peer"
gcc -O3 -march=native -Wall -o "$PEER" benchmarks/capture-peer/capture_peer.c -lpthread -lm

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

    # The peer must decide what analyze decides: the same packets per queue and per hash type, and per queue the same
    # sum of the packets' hashes (mod 2^32; from analyze's per-packet CSV), a digest of every packet's hash and queue.
    # One reading gives both: the report (JSON) and the rows (CSV).
    $VNETHASH analyze --json --csv "$DIR/rows.csv" "$f" > "$DIR/report.json"
    grep -o '"queue":[0-9]*,"packets":[0-9]*' "$DIR/report.json" | sed 's/"queue":\([0-9]*\),"packets":/queue \1 packets /' > "$DIR/analyze-queues"
    grep -o '"hash_types":{[^}]*}' "$DIR/report.json" | grep -o '"[A-Za-z0-9_]*":[1-9][0-9]*' | sed 's/"\(.*\)":/type \1 packets /' > "$DIR/analyze-types"
    perl -F, -lane 'next if $. == 1; $s{$F[9]} = ($s{$F[9]} + hex($F[7])) % 4294967296;
        END { print "queue $_ hashsum $s{$_}" for sort { $a <=> $b } keys %s }' "$DIR/rows.csv" > "$DIR/analyze-digests"
    rm -f "$DIR/rows.csv" "$DIR/report.json"
    "$PEER" "$f" > "$DIR/peer-out"
    sed -n 's/^\(queue [0-9]* packets [0-9]*\) .*/\1/p' "$DIR/peer-out" | diff - "$DIR/analyze-queues" > /dev/null &&
        sed -n 's/^queue \([0-9]*\) .* hashsum \([0-9]*\)$/queue \1 hashsum \2/p' "$DIR/peer-out" | diff - "$DIR/analyze-digests" > /dev/null &&
        grep '^type ' "$DIR/peer-out" | diff - "$DIR/analyze-types" > /dev/null ||
        { echo "the C peer's counts differ from analyze's:" >&2; cat "$DIR/peer-out" "$DIR/analyze-queues" "$DIR/analyze-digests" "$DIR/analyze-types" >&2; exit 1; }

    : > "$DIR/cat"; : > "$DIR/analyze"; : > "$DIR/peer"
    for i in $(seq "$RUNS"); do
        measure "$DIR/cat" sh -c 'exec cat "$1" > /dev/null' cat "$f"
        measure "$DIR/analyze" $VNETHASH analyze "$f"
        grep -q "^Packets: $n " "$DIR/out" || { echo "analyze did not count $n packets:" >&2; cat "$DIR/out" >&2; exit 1; }
        measure "$DIR/peer" "$PEER" "$f"
        grep -q "^packets $n\$" "$DIR/out" || { echo "the C peer did not count $n packets:" >&2; cat "$DIR/out" >&2; exit 1; }
    done
    echo
    echo "$n packets, $size bytes; per run: cat wall s, cpu s | analyze wall s, cpu s, peak RSS KiB | peer wall s, cpu s | cat/analyze, cat/peer, peer/analyze wall"
    paste -d' ' "$DIR/cat" "$DIR/analyze" "$DIR/peer" |
        awk '{ printf "  %6.3f %5.2f | %6.3f %5.2f %8d | %6.3f %5.2f | %5.2f %5.2f %5.2f\n", $1, $2, $4, $5, $6, $7, $8, $1 / $4, $1 / $7, $7 / $4 }' | tee "$DIR/runs"
    printf '  median: cat %.3f s (cpu %.2f s), analyze %.3f s (cpu %.2f s, %.0f MB/s), peak RSS %d KiB, C peer %.3f s (cpu %.2f s)\n' \
        "$(cut -d' ' -f1 "$DIR/cat" | median)" "$(cut -d' ' -f2 "$DIR/cat" | median)" \
        "$(cut -d' ' -f1 "$DIR/analyze" | median)" "$(cut -d' ' -f2 "$DIR/analyze" | median)" \
        "$(cut -d' ' -f1 "$DIR/analyze" | median | awk -v s="$size" '{ print s / 1e6 / $1 }')" \
        "$(cut -d' ' -f3 "$DIR/analyze" | median)" \
        "$(cut -d' ' -f1 "$DIR/peer" | median)" "$(cut -d' ' -f2 "$DIR/peer" | median)"
    printf '  median ratios: cat/analyze %.2f, cat/peer %.2f, peer/analyze %.2f\n' \
        "$(awk '{ print $(NF - 2) }' "$DIR/runs" | median)" "$(awk '{ print $(NF - 1) }' "$DIR/runs" | median)" "$(awk '{ print $NF }' "$DIR/runs" | median)"
    rm -f "$f"
done
echo
echo "load after: $(uptime | sed 's/.*load average: //')"
