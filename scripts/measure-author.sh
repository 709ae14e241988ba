#!/usr/bin/env bash
# Measures author mode (`--author`) under Xvfb with software rendering, in a
# release build, on the largest shipped case played to its last decision (the
# exemplary path less its final step, so every save replays ~150 actions).
# Prints the figures; needs xvfb, xdotool and mesa-vulkan-drivers.
#
#   idle   CPU over 10 s while the file does not change (window focused)
#   save   from writing the file to the rendered frame that shows the new
#          version (wall clock, median and worst of 10 saves, each changing
#          the words of the scene on screen), and the CPU each save costs
#   broken a save with a syntax error, then the fixed file: the same figures
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/second-look/target}"
cargo build --release --quiet --bin second-look
game="$CARGO_TARGET_DIR/release/second-look"
tick=$(getconf CLK_TCK)
work=$(mktemp -d)
case_id=neglect-tidy-front-room

display=":$((70 + RANDOM % 20))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $game_pid $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
game_pid=
sleep 1
export DISPLAY="$display"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { grep "$2" "$1" | tail -1 | sed -E "s/.*\"$3\":([0-9.]+).*/\1/"; }

cp "scenarios/$case_id.ron" "$work/case.ron"
steps=$(grep -v '^#' "tests/scripts/$case_id.exemplary.txt" | grep -c -v '^$')
grep -v '^#' "tests/scripts/$case_id.exemplary.txt" | grep -v '^$' | head -n $((steps - 1)) > "$work/path.txt"
log="$work/perf.log"
"$game" --data-dir "$work" --author "$work/case.ron" --seed 1 --script "$work/path.txt" --perf-log "$log" >"$work/game.out" 2>&1 &
game_pid=$!
for _ in $(seq 300); do grep -q first_frame "$log" 2>/dev/null && break; sleep 0.1; done
wid=$(xdotool search --pid $game_pid 2>/dev/null | head -1 || true)
[ -n "$wid" ] && { xdotool windowfocus --sync "$wid" 2>/dev/null || true; }
sleep 4

echo "Author mode, $case_id ($(wc -c < "$work/case.ron") bytes), played to action $((steps - 1)) of $steps:"
t0=$(cpu_ticks $game_pid); sleep 10; t1=$(cpu_ticks $game_pid)
awk -v d=$((t1 - t0)) -v tick="$tick" 'BEGIN { printf "  idle, file unchanged          %6.1f%% of one core (%d ticks in 10 s)\n", 100 * d / tick / 10, d }'

# Each save changes the case's title (shown in the bar along the top): a
# counter appended to it, written in place. The time is taken just before
# the write, inside the writer.
cp "$work/case.ron" "$work/good.ron"
write() { # how n: prints the wall clock (ms) just before the write
    python3 - "$work/case.ron" "$work/good.ron" "$1" "$2" <<'EOF2'
import sys, time
path, good, how, n = sys.argv[1:5]
text = open(good, encoding="utf-8").read()
start = text.index('title: "') + len('title: "')
end = text.index('"', start)
if how == "draft":
    text = text[:start] + text[start:end] + f" (draft {n})" + text[end:]
elif how == "broken":
    text = text[:start - 1] + text[start:]
print(int(time.time() * 1000))
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
EOF2
}
one_save() { # how n: time from writing to the frame, in the game, and CPU
    local before; before=$(grep -c save_frame "$log" || true)
    local c0; c0=$(cpu_ticks $game_pid)
    local t; t=$(write "$1" "$2")
    for _ in $(seq 300); do [ "$(grep -c save_frame "$log" || true)" -gt "$before" ] && break; sleep 0.01; done
    local at; at=$(field "$log" save_frame epoch_ms)
    sleep 2   # the walk for the endings from here finishes on its own thread
    local c1; c1=$(cpu_ticks $game_pid)
    echo "$(awk -v a="$at" -v t="$t" 'BEGIN { printf "%.0f", a - t }') $(field "$log" save_frame in_app_ms) $(( (c1 - c0) * 1000 / tick ))"
}
for n in $(seq 10); do one_save draft "$n"; done > "$work/saves"
echo "  save to window (wall clock)    median $(cut -d' ' -f1 "$work/saves" | median) ms, worst $(cut -d' ' -f1 "$work/saves" | sort -n | tail -1) ms (10 saves)"
echo "  seen to frame (in the game)    median $(cut -d' ' -f2 "$work/saves" | median) ms (of which 30 ms waiting for the writes to settle)"
echo "  CPU per save (with the walk)   median $(cut -d' ' -f3 "$work/saves" | median) ms"
echo "  broken save to window          $(one_save broken 0 | cut -d' ' -f1) ms"
echo "  fixed save to window           $(one_save good 0 | cut -d' ' -f1) ms"
t0=$(cpu_ticks $game_pid); sleep 10; t1=$(cpu_ticks $game_pid)
awk -v d=$((t1 - t0)) -v tick="$tick" 'BEGIN { printf "  idle again after the saves     %6.1f%% of one core (%d ticks in 10 s)\n", 100 * d / tick / 10, d }'
grep -q "save" "$log" || { echo "no save was seen: see $work/game.out"; exit 1; }
