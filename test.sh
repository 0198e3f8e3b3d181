#!/usr/bin/env bash
# Runs the whole VnetHash test suite: installs what the tests need (as root, once), builds, runs every test
# project and a short run of every fuzz target, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: real captures (gopacket, dpkt, pcapfix), clang to check that the committed
# eBPF object rebuilds byte for byte, the kernel's headers to check the system call numbers against, iproute2 for
# the network namespaces of the real-kernel tests, libpcap for analyze -i and --filter (tcpdump, which the filter
# tests compare with, brings it too), strace to see the system calls the native tool makes at start, and qemu's
# user-mode ARM64 emulation with an ARM64 C library, to run the Toeplitz paths an ARM64 CPU takes.
packages=(golang-github-gopacket-gopacket-dev python3-dpkt pcapfix clang llvm libbpf-dev linux-libc-dev iproute2 tcpdump libpcap0.8 strace
  qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; the tests that need them will say so and skip" >&2
  fi
fi

dotnet build VnetHash.slnx -c Release -nologo -v:q || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
dotnet test VnetHash.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# "Passed!  - Failed:     0, Passed:   195, Skipped:     0, Total: ..." (or "Failed!  - ..."), one per test assembly.
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6 } END { print passed + 0, failed + 0, skipped + 0 }')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the runner failed without a test failing (a crashed test host, a build break): never report green
fi

# Fuzz smoke (docs/reliability.md): every fuzz target a few seconds under AFL++ from its committed corpus. Each target
# counts as one test: passed when it ran without a crash or a hang, failed otherwise; one skip when AFL++ is missing.
fuzz_log=$(mktemp)
fuzz/run --no-build --seconds "${FUZZ_SMOKE_SECONDS:-5}" 2>&1 | tee "$fuzz_log"
fuzz_status=${PIPESTATUS[0]}
fuzz_passed=$(grep -cE '^fuzz: [a-z0-9-]+: .*: passed$' "$fuzz_log")
fuzz_failed=$(grep -cE '^fuzz: [a-z0-9-]+: (.*: FAILED$|FAILED: )' "$fuzz_log")
rm -f "$fuzz_log"
if [ "$fuzz_status" -eq 77 ]; then
  skipped=$((skipped + 1))
elif [ "$fuzz_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then
  fuzz_failed=1   # the fuzz run itself failed (a build break, an instrumentation error)
fi
passed=$((passed + fuzz_passed))
failed=$((failed + fuzz_failed))

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
