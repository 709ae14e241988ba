#!/usr/bin/env bash
# Measures the game window under Xvfb with software rendering (llvmpipe), in a
# release build, against a plain continuously-redrawing Bevy + egui window
# (examples/plain_egui.rs). Prints the figures; needs xvfb, xdotool and
# mesa-vulkan-drivers.
#
#   idle     CPU over 10 s of the focused window, starting 3 s after the last
#            input (case screen, start screen)
#   start    process start to the first rendered frame (median of 5)
#   memory   peak resident memory (VmHWM): the whole exemplary case played,
#            then the debrief with its chart
#   key      a key press (sent with xdotool) to the rendered frame showing the
#            new scene (median and worst of 12 presses, the first included)
#
# `scripts/measure-window.sh keys` measures key presses only.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/second-look/target}"
cargo build --release --quiet --bin second-look --example plain_egui
game="$CARGO_TARGET_DIR/release/second-look"
plain="$CARGO_TARGET_DIR/release/examples/plain_egui"
tick=$(getconf CLK_TCK)
work=$(mktemp -d)

display=":$((70 + RANDOM % 20))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
export DISPLAY="$display"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
wait_for() { # file pattern: wait up to 30 s for a line matching pattern
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
field() { grep "$2" "$1" | tail -1 | sed -E "s/.*\"$3\":([0-9.]+).*/\1/"; }

idle() { # label command...: CPU over 10 s after 3 s without input
    local label=$1; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    # Focused, as a trainee's window is: a focused window may be woken on a
    # timer that an unfocused one is not (Bevy's desktop preset: every 5 s).
    sleep 2
    local wid; wid=$(xdotool search --pid $pid 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && { xdotool windowfocus --sync "$wid" 2>/dev/null || true; }
    sleep 3
    local t0 t1
    t0=$(cpu_ticks $pid); sleep 10; t1=$(cpu_ticks $pid)
    kill $pid; wait $pid 2>/dev/null || true
    awk -v d=$((t1 - t0)) -v tick="$tick" -v l="$label" 'BEGIN { printf "  %-34s %6.1f%% of one core (%d ticks in 10 s)\n", l, 100 * d / tick / 10, d }'
}

startup() { # label command...: median of 5 starts, process start to first frame
    local label=$1; shift
    local runs=()
    for i in 1 2 3 4 5; do
        local log="$work/start-$i.log"; rm -f "$log"
        local t0; t0=$(now_ms)
        "$@" --perf-log "$log" >/dev/null 2>&1 &
        local pid=$!
        wait_for "$log" first_frame || true
        local at; at=$(field "$log" first_frame epoch_ms)
        kill $pid; wait $pid 2>/dev/null || true
        runs+=("$(awk -v a="$at" -v b="$t0" 'BEGIN{printf "%d", a - b}')")
    done
    printf '%s\n' "${runs[@]}" | median | awk -v l="$label" -v all="${runs[*]}" '{ printf "  %-34s %6d ms (runs: %s)\n", l, $1, all }'
}

keys() { # label key command...: 12 presses, send to rendered frame
    local label=$1 key=$2; shift 2
    local log="$work/keys.log"; rm -f "$log"
    "$@" --perf-log "$log" >/dev/null 2>&1 &
    local pid=$!
    wait_for "$log" first_frame
    local wid; wid=$(xdotool search --pid $pid | head -1)
    # Focus before the pause, not just before the first key: gaining focus
    # wakes the window for a frame or two (~45 ms each under llvmpipe), and a
    # key sent at once would wait for them on the render thread (measured: the
    # first key then took ~140 ms, and any key sent right after a focus change).
    xdotool windowfocus --sync "$wid" 2>/dev/null || true
    sleep 2
    local lat=() app=() frames=()
    local c0; c0=$(cpu_ticks $pid)
    for i in $(seq 12); do
        local before; before=$(grep -c key_frame "$log" || true)
        local t0; t0=$(date +%s%N)
        xdotool key "$key"
        for _ in $(seq 100); do [ "$(grep -c key_frame "$log" || true)" -gt "$before" ] && break; sleep 0.02; done
        local at; at=$(field "$log" key_frame epoch_ms)
        lat+=("$(awk -v a="$at" -v b="$t0" 'BEGIN{printf "%.0f", a - b / 1000000}')")
        app+=("$(field "$log" key_frame in_app_ms)")
        frames+=("$(field "$log" key_frame frames)")
        sleep 0.5
    done
    local c1; c1=$(cpu_ticks $pid)
    kill $pid; wait $pid 2>/dev/null || true

    local med worst appmed
    med=$(printf '%s\n' "${lat[@]}" | median); worst=$(printf '%s\n' "${lat[@]}" | sort -n | tail -1)
    appmed=$(printf '%s\n' "${app[@]}" | median)
    printf "  %-34s median %4s ms, worst %4s ms (in the game from key to frame: median %s ms)\n" "$label" "$med" "$worst" "$appmed"
    printf "  %-34s runs: %s\n" "" "${lat[*]}"
    printf "  %-34s in the game: %s\n" "" "${app[*]}"
    # Frames rendered from one key's frame to the next key's (all of them, for
    # a window that redraws continuously), and CPU per key over the 12.
    local per=()
    for i in $(seq 1 11); do per+=("$(( ${frames[$i]} - ${frames[$((i - 1))]} ))"); done
    local fmed; fmed=$(printf '%s\n' "${per[@]}" | median)
    local cpu_ms; cpu_ms=$(awk -v d=$((c1 - c0)) -v tick="$tick" 'BEGIN { printf "%.0f", 1000 * d / tick / 12 }')
    printf "  %-34s CPU %s ms per key; %s frames rendered per key (median; keys 0.5 s apart)\n" "" "$cpu_ms" "$fmed"
    echo "$label|$med|$cpu_ms|$fmed" >> "$work/keys.summary"
}

peak() { # label command...: VmHWM once it has settled
    local label=$1; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep 6
    local hwm; hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill $pid; wait $pid 2>/dev/null || true
    awk -v h="$hwm" -v l="$label" 'BEGIN { printf "  %-34s %6.0f MiB\n", l, h / 1024 }'
}

data="$work/data"
echo "Second Look $(git describe --always --dirty 2>/dev/null || echo '?'), release build, Xvfb + llvmpipe, $(nproc) cores"
if [ "${1:-}" != keys ]; then
echo "Idle (bar: under 2% of one core):"
idle "Second Look, case screen" "$game" --data-dir "$data" --open marks-explained-away --seed 1 --screen case
idle "Second Look, start screen" "$game" --data-dir "$data"
idle "Second Look without the idle fix" "$game" --data-dir "$data" --open marks-explained-away --seed 1 --screen case --no-idle-fix
idle "plain Bevy + egui window" "$plain"
echo "Start, process start to first frame (bar: under 1.5 s):"
startup "Second Look, start screen" "$game" --data-dir "$data"
startup "plain Bevy + egui window" "$plain"
echo "Peak resident memory (bar: under 250 MB):"
peak "Second Look, whole case + debrief" "$game" --data-dir "$data" --open marks-explained-away --seed 1 --screen debrief --script tests/scripts/marks-explained-away.exemplary.txt
peak "plain Bevy + egui window" "$plain"
fi
echo "Key press to the next frame showing the change (bar: under 100 ms):"
keys "Second Look, choices by number key" 1 "$game" --data-dir "$data" --open marks-explained-away --seed 1 --screen case
keys "plain Bevy + egui window" 1 "$plain"
keys "Second Look without the idle fix" 1 "$game" --data-dir "$data" --open marks-explained-away --seed 1 --screen case --no-idle-fix
# Ratios against the plain window: key to frame, CPU per key (over the same
# 0.5 s between keys), and a choice's CPU in the plain window's frames.
awk -F'|' '
    /^plain/ { pl = $2; pc = $3; pf = $4 }
    /choices by number/ { gl = $2; gc = $3; gf = $4 }
    END {
        if (pl > 0 && pc > 0 && pf > 0) {
            printf "Against the plain window:\n"
            printf "  key to frame                       %.2f of the plain window (%s ms against %s ms)\n", gl / pl, gl, pl
            printf "  CPU per key                        %.2f of the plain window (%s ms against %s ms)\n", gc / pc, gc, pc
            printf "  CPU per choice in plain frames     %.1f (a plain frame costs %.1f ms; the game renders %s frames per choice)\n", gc / (pc / pf), pc / pf, gf
        }
    }' "$work/keys.summary"
