#!/usr/bin/env bash
# Runs riscv64 roms and compares them with their expectation files.
#
#   check.sh [--runner CMD] [--update] ROM...
#
# CMD is the emulator command line, split on spaces: "qemu-riscv64" (the default) or
# "target/release/remu run". For each ROM (a binary path) it reads ROM.args (one argument
# per line), ROM.env (VAR=VALUE per line), runs the program with an empty environment
# plus ROM.env, and compares stdout with ROM.stdout and the exit status with ROM.status.
# --update writes the expectation files instead (check them by reading before committing).
# ROM.qemu-xfail marks a rom whose expectation follows the ISA manual (or the kernel) where
# qemu-user is wrong: under qemu a mismatch is reported as XFAIL and not counted as a failure.
set -u
runner="qemu-riscv64"
update=0
while [ $# -gt 0 ]; do
    case "$1" in
    --runner) runner="$2"; shift 2 ;;
    --update) update=1; shift ;;
    --) shift; break ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
read -r -a cmd <<<"$runner"
if ! command -v "${cmd[0]}" >/dev/null 2>&1; then
    echo "runner ${cmd[0]} not found" >&2
    exit 2
fi
cmd[0]=$(command -v "${cmd[0]}")

pass=0 fail=0 xfail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for rom in "$@"; do
    args=() envs=()
    [ -f "$rom.args" ] && mapfile -t args <"$rom.args"
    [ -f "$rom.env" ] && mapfile -t envs <"$rom.env"
    # A rom gets two minutes: some qemu bugs are hangs.
    env -i "${envs[@]}" timeout --foreground 120 "${cmd[@]}" "$rom" "${args[@]}" >"$tmp" 2>/dev/null
    status=$?
    if [ $update = 1 ]; then
        cp "$tmp" "$rom.stdout"
        echo "$status" >"$rom.status"
        echo "updated $rom (status $status)"
        continue
    fi
    want_status=$(cat "$rom.status" 2>/dev/null || echo missing)
    if cmp -s "$tmp" "$rom.stdout" && [ "$status" = "$want_status" ]; then
        echo "PASS $rom"
        pass=$((pass + 1))
    elif [ -f "$rom.qemu-xfail" ] && [[ "$(basename "${cmd[0]}")" == qemu-* ]]; then
        echo "XFAIL $rom (known qemu bug: $(head -1 "$rom.qemu-xfail"))"
        xfail=$((xfail + 1))
    else
        echo "FAIL $rom (status $status, expected $want_status)"
        diff -u "$rom.stdout" "$tmp" | head -20
        fail=$((fail + 1))
    fi
done
[ $update = 1 ] && exit 0
echo "$pass passed, $fail failed, $xfail known qemu failures"
[ $fail = 0 ]
