#!/usr/bin/env bash
# The bench command: times every benchmark natively, under qemu-riscv64 and under remu,
# checks that all three print the same output, and prints a markdown table of medians.
#
#   roms/bench/run.sh [-n RUNS] [NAME...]          (RUNS defaults to $RUNS or 5)
#
# Environment: REMU (default target/release/remu, relative to the repository root),
# QEMU (default qemu-riscv64), RUNS, OUT (directory for hyperfine JSON; default a
# temporary directory). Tools that are absent are skipped with a message; their columns
# read "-". Guest MIPS needs `remu run --count-insns`, which must print the guest
# instruction count as the last number on stderr; without it the column is empty.
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
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"

have_remu=1 have_qemu=1 have_native=1 count_insns=0
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
    echo "note: $qemu not found; skipping qemu" >&2
    have_qemu=0
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

time_cmd() { # name kind command...
    local name=$1 kind=$2
    shift 2
    hyperfine --runs "$runs" --warmup 1 --style none --export-json "$out/$name.$kind.json" \
        --command-name "$name.$kind" "$(printf '%q ' "$@")" >/dev/null 2>&1 || return 1
    median "$out/$name.$kind.json"
}

echo "| program | native s | qemu s | remu s | remu/qemu | remu/native | guest MIPS |"
echo "|---|---|---|---|---|---|---|"
ratios=()
status=0
for name in "${all[@]}"; do
    rv="$here/riscv64/$name" host="$here/x86_64/$name"
    if [ ! -x "$rv" ]; then
        echo "missing $rv (make -C roms bench)" >&2
        status=1
        continue
    fi
    # outputs must agree
    ref="" agree=yes
    for kind in native qemu remu; do
        case $kind in
        native) [ $have_native = 1 ] || continue; o=$("$host") ;;
        qemu) [ $have_qemu = 1 ] || continue; o=$("$qemu" "$rv") ;;
        remu) [ $have_remu = 1 ] || continue; o=$("$remu" run "$rv") ;;
        esac
        if [ -z "$ref" ]; then ref=$o; elif [ "$o" != "$ref" ]; then
            echo "$name: $kind output differs:" >&2
            diff <(echo "$ref") <(echo "$o") >&2
            agree=no
            status=1
        fi
    done
    n=- q=- r=- mips=
    [ $have_native = 1 ] && n=$(time_cmd "$name" native "$host" || echo -)
    [ $have_qemu = 1 ] && q=$(time_cmd "$name" qemu "$qemu" "$rv" || echo -)
    [ $have_remu = 1 ] && r=$(time_cmd "$name" remu "$remu" run "$rv" || echo -)
    if [ $count_insns = 1 ] && [ "$r" != - ]; then
        insns=$("$remu" run --count-insns "$rv" 2>&1 >/dev/null | grep -oE '[0-9]+' | tail -1)
        [ -n "$insns" ] && [ "$insns" != 0 ] && mips=$(awk -v i="$insns" -v t="$r" 'BEGIN { printf "%.0f", i / t / 1e6 }')
    fi
    rq=$(ratio "$r" "$q")
    [ "$rq" != - ] && ratios+=("$rq")
    label=$name
    [ $agree = no ] && label="$name (OUTPUT DIFFERS)"
    echo "| $label | $(fmt "$n") | $(fmt "$q") | $(fmt "$r") | $rq | $(ratio "$r" "$n") | $mips |"
done
if [ ${#ratios[@]} -gt 0 ]; then
    med=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo
    echo "median remu/qemu over ${#ratios[@]} programs: $med"
fi
echo "hyperfine JSON: $out" >&2
exit $status
