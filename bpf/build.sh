#!/bin/sh
# Builds bpf/steering.bpf.o from bpf/steering.bpf.c. Installs nothing; needs clang with the BPF target
# and the kernel uapi headers (Debian: apt-get install -y --no-install-recommends clang llvm).
# The object is committed and embedded in VnetHash.Tap; a test rebuilds it and checks the bytes match,
# so the flags below are part of the contract: no debug info (no build paths in the object) and the
# source passed by a relative path from inside bpf/.
set -eu
cd "$(dirname "$0")"
CLANG="${CLANG:-clang}"

# -target bpf does not search the multiarch include directory, where <asm/types.h> lives.
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || "$CLANG" -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
INCLUDE="/usr/include/$MULTIARCH"

"$CLANG" -O2 -target bpf -mcpu=v3 -Wall -Werror -I"$INCLUDE" \
    -c steering.bpf.c -o steering.bpf.o.tmp
mv steering.bpf.o.tmp steering.bpf.o
echo "built bpf/steering.bpf.o with $("$CLANG" --version | head -n 1)"
