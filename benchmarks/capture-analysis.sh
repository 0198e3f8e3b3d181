#!/bin/sh
# Capture analysis at scale: generates a pcapng of about 1 GB and one a quarter of that size, then times
# `vnethash analyze` on each beside `cat FILE > /dev/null`, both from the page cache, with peak RSS from
# GNU time. The captures live in a temporary directory that is always removed.
#
# usage: benchmarks/capture-analysis.sh [PACKETS]     (default 2600000 packets, about 1.08 GB)
# The tool is run as $VNETHASH, by default the Release build: dotnet build -c Release src/VnetHash.Cli
set -eu
cd "$(dirname "$0")/.."
PACKETS="${1:-2600000}"
VNETHASH="${VNETHASH:-dotnet src/VnetHash.Cli/bin/Release/net10.0/VnetHash.Cli.dll}"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (Debian: apt-get install time)" >&2; exit 1; }

DIR="$(mktemp -d /tmp/vnethash-capture-bench.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT INT TERM

# Prints "<wall s> <peak RSS KiB> <user+system CPU s>" of one command run under GNU time; its output goes to $DIR/out.
measure() {
    "$TIME" -f '%e %M %U %S' -o "$DIR/time" "$@" > "$DIR/out"
    cat "$DIR/time"
}

printf '%8s %12s %8s %10s %10s %12s %10s %10s\n' packets bytes cat_s analyze_s cpu_s analyze_MB/s peak_KiB RSS/file
for n in "$PACKETS" $((PACKETS / 4)); do
    f="$DIR/capture-$n.pcapng"
    $VNETHASH generate --flows 4096 --packets "$n" --seed 1 --out "$f" > /dev/null
    size=$(stat -c %s "$f")
    cat "$f" > /dev/null # first read: both timed runs below read from the page cache
    set -- $(measure cat "$f"); cat_s=$1
    set -- $(measure $VNETHASH analyze "$f"); analyze_s=$1; peak=$2; cpu_s=$(echo "$3 $4" | awk '{ print $1 + $2 }')
    grep -q "^Packets: $n " "$DIR/out" || { echo "analyze did not count $n packets:" >&2; cat "$DIR/out" >&2; exit 1; }
    awk -v n="$n" -v size="$size" -v c="$cat_s" -v a="$analyze_s" -v u="$cpu_s" -v p="$peak" 'BEGIN {
        printf "%8d %12d %8.2f %10.2f %10.2f %12.0f %10d %10.4f\n", n, size, c, a, u, size / 1e6 / a, p, p * 1024 / size }'
    rm -f "$f"
done
