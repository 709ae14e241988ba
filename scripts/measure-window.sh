#!/usr/bin/env bash
# Measures the game window under Xvfb with software rendering (llvmpipe), in a
# release build: CPU used while idle, and peak resident memory. Prints figures.
#
#   scripts/measure-window.sh            # needs xvfb, mesa-vulkan-drivers
#
# Idle: the case screen, 5 s after start with no input, then CPU ticks over
# 10 s. The same with `--no-idle-fix`, which leaves out the fix in
# src/game/idle.rs and so shows what bevy_egui 0.42 does on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/second-look/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/second-look"
tick=$(getconf CLK_TCK)

display=":$((70 + RANDOM % 20))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export DISPLAY="$display"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

idle() { # args...: prints "percent-of-one-core peak-rss-MiB"
    "$bin" "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep 5
    local t0 t1
    t0=$(cpu_ticks $pid)
    sleep 10
    t1=$(cpu_ticks $pid)
    local hwm
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill $pid
    wait $pid 2>/dev/null || true
    awk -v d=$((t1 - t0)) -v tick="$tick" -v hwm="$hwm" 'BEGIN { printf "%.1f%% of one core over 10 s (%d ticks), peak RSS %.0f MiB\n", 100 * d / tick / 10, d, hwm / 1024 }'
}

echo "Second Look $(git describe --always --dirty 2>/dev/null || echo '?'), release build, Xvfb + llvmpipe"
echo -n "idle, case screen, with the fix:        "; idle --open marks-explained-away --seed 1 --screen case
echo -n "idle, case screen, without the fix:     "; idle --open marks-explained-away --seed 1 --screen case --no-idle-fix
echo -n "idle, start screen, with the fix:       "; idle
echo -n "debrief after the whole exemplary case: "; idle --open marks-explained-away --seed 1 --screen debrief --script tests/scripts/marks-explained-away.exemplary.txt
