#!/usr/bin/env bash
# The bench command: times every benchmark natively, and its riscv64 and aarch64 builds
# under qemu-user and under remu, checks that all of them print the same output, and
# prints a markdown table of medians.
#
#   roms/bench/run.sh [-n RUNS] [NAME...]          (RUNS defaults to $RUNS or 5)
#
# Environment: REMU (default target/release/remu, relative to the repository root),
# QEMU (default qemu-riscv64), QEMU_A64 (default qemu-aarch64), RUNS, OUT (directory for
# hyperfine JSON; default a temporary directory). Tools that are absent are skipped with a
# message; their columns read "-". Guest MIPS needs `remu run --count-insns`, which must
# print the guest instruction count as the last number on stderr; without it the column
# is empty.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
if [ "${1:-}" = "-n" ]; then
    runs=$2
    shift 2
fi
all=(coremark_like sha256 nbody sieve qsort strings)
[ $# -gt 0 ] && all=("$@")

remu=${REMU:-target/release/remu}
case "$remu" in /*) ;; *) remu="$root/$remu" ;; esac
qemu=${QEMU:-qemu-riscv64}
qemu_a64=${QEMU_A64:-qemu-aarch64}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"

have_remu=1 have_qemu=1 have_qemu_a64=1 have_native=1 count_insns=0
if ! command -v hyperfine >/dev/null; then
    echo "hyperfine not found: install it (apt-get install hyperfine)" >&2
    exit 2
fi
if ! command -v jq >/dev/null; then
    echo "jq not found: install it (apt-get install jq)" >&2
    exit 2
fi
if [ ! -x "$remu" ]; then
    echo "note: $remu not found (cargo build --release); skipping remu" >&2
    have_remu=0
elif "$remu" run --help 2>&1 | grep -q -- --count-insns; then
    count_insns=1
fi
if ! command -v "$qemu" >/dev/null; then
    echo "note: $qemu not found; skipping qemu for riscv64" >&2
    have_qemu=0
fi
if ! command -v "$qemu_a64" >/dev/null; then
    echo "note: $qemu_a64 not found; skipping qemu for aarch64" >&2
    have_qemu_a64=0
fi
if [ "$(uname -m)" != x86_64 ]; then
    echo "note: host is not x86_64; skipping native runs" >&2
    have_native=0
fi

# median in seconds from a hyperfine JSON export
median() { jq -r '.results[0].median' "$1"; }
# a / b with three decimals, "-" when either is missing
ratio() {
    if [ "$1" = - ] || [ "$2" = - ]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; fi
}
fmt() { if [ "$1" = - ]; then echo -; else awk -v a="$1" 'BEGIN { printf "%.3f", a }'; fi; }
# the median of the arguments
med() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

time_cmd() { # name kind command...
    local name=$1 kind=$2
    shift 2
    hyperfine --runs "$runs" --warmup 1 --style none --export-json "$out/$name.$kind.json" \
        --command-name "$name.$kind" "$(printf '%q ' "$@")" >/dev/null 2>&1 || return 1
    median "$out/$name.$kind.json"
}
# guest MIPS of `remu run PROGRAM` taking SECONDS (empty when unknown)
mips() { # program seconds
    [ $count_insns = 1 ] && [ "$2" != - ] || return 0
    local insns
    insns=$("$remu" run --count-insns "$1" 2>&1 >/dev/null | grep -oE '[0-9]+' | tail -1)
    [ -n "$insns" ] && [ "$insns" != 0 ] && awk -v i="$insns" -v t="$2" 'BEGIN { printf "%.0f", i / t / 1e6 }'
}

echo "| program | native s | qemu-riscv64 s | remu riscv64 s | remu/qemu | remu/native | guest MIPS | qemu-aarch64 s | remu aarch64 s | remu/qemu | remu/native | guest MIPS |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
ratios=() ratios_a64=()
status=0
for name in "${all[@]}"; do
    rv="$here/riscv64/$name" a64="$here/aarch64/$name" host="$here/x86_64/$name"
    if [ ! -x "$rv" ] || [ ! -x "$a64" ]; then
        echo "missing $rv or $a64 (make -C roms bench)" >&2
        status=1
        continue
    fi
    # outputs must agree
    ref="" agree=yes
    for kind in native qemu remu qemu_a64 remu_a64; do
        case $kind in
        native) [ $have_native = 1 ] || continue; o=$("$host") ;;
        qemu) [ $have_qemu = 1 ] || continue; o=$("$qemu" "$rv") ;;
        remu) [ $have_remu = 1 ] || continue; o=$("$remu" run "$rv") ;;
        qemu_a64) [ $have_qemu_a64 = 1 ] || continue; o=$("$qemu_a64" "$a64") ;;
        remu_a64) [ $have_remu = 1 ] || continue; o=$("$remu" run "$a64") ;;
        esac
        if [ -z "$ref" ]; then ref=$o; elif [ "$o" != "$ref" ]; then
            echo "$name: $kind output differs:" >&2
            diff <(echo "$ref") <(echo "$o") >&2
            agree=no
            status=1
        fi
    done
    n=- q=- r=- qa=- ra=-
    [ $have_native = 1 ] && n=$(time_cmd "$name" native "$host" || echo -)
    [ $have_qemu = 1 ] && q=$(time_cmd "$name" qemu "$qemu" "$rv" || echo -)
    [ $have_remu = 1 ] && r=$(time_cmd "$name" remu "$remu" run "$rv" || echo -)
    [ $have_qemu_a64 = 1 ] && qa=$(time_cmd "$name" qemu-aarch64 "$qemu_a64" "$a64" || echo -)
    [ $have_remu = 1 ] && ra=$(time_cmd "$name" remu-aarch64 "$remu" run "$a64" || echo -)
    rq=$(ratio "$r" "$q") rqa=$(ratio "$ra" "$qa")
    [ "$rq" != - ] && ratios+=("$rq")
    [ "$rqa" != - ] && ratios_a64+=("$rqa")
    label=$name
    [ $agree = no ] && label="$name (OUTPUT DIFFERS)"
    echo "| $label | $(fmt "$n") | $(fmt "$q") | $(fmt "$r") | $rq | $(ratio "$r" "$n") | $(mips "$rv" "$r") | $(fmt "$qa") | $(fmt "$ra") | $rqa | $(ratio "$ra" "$n") | $(mips "$a64" "$ra") |"
done
echo
[ ${#ratios[@]} -gt 0 ] && echo "median remu/qemu over ${#ratios[@]} programs: riscv64 $(med "${ratios[@]}")"
[ ${#ratios_a64[@]} -gt 0 ] && echo "median remu/qemu over ${#ratios_a64[@]} programs: aarch64 $(med "${ratios_a64[@]}")"
echo "hyperfine JSON: $out" >&2
exit $status
