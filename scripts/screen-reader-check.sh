#!/bin/bash
# What a screen reader sees: runs the game (the command given) on $DISPLAY
# under a private session D-Bus with the AT-SPI bus running and
# accessibility switched on, as Orca would, and prints the accessibility
# tree of its window (scripts/atspi-tree.py).
#
#   DISPLAY=:99 scripts/screen-reader-check.sh target/release/second-look --open marks-explained-away --screen case
#
# Needs (Debian): at-spi2-core python3-pyatspi dbus-x11.
set -u
here=$(cd "$(dirname "$0")" && pwd)
eval "$(dbus-launch --sh-syntax)"
trap 'kill $DBUS_SESSION_BUS_PID 2>/dev/null' EXIT
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
launcher=$!
for _ in $(seq 50); do
    dbus-send --session --dest=org.a11y.Bus --print-reply /org/a11y/bus org.a11y.Bus.GetAddress >/dev/null 2>&1 && break
    sleep 0.1
done
for property in IsEnabled ScreenReaderEnabled; do
    dbus-send --session --dest=org.a11y.Bus --print-reply /org/a11y/bus org.freedesktop.DBus.Properties.Set \
        string:org.a11y.Status string:$property variant:boolean:true >/dev/null
done
log=$(mktemp)
"$@" >"$log" 2>&1 &
game=$!
/usr/bin/python3 "$here/atspi-tree.py" "${A11Y_TIMEOUT:-90}" 2>"$log.client"
status=$?
if [ $status -ne 0 ]; then
    echo "--- the AT-SPI client:" >&2; cat "$log.client" >&2
    echo "--- the game:" >&2; tail -20 "$log" >&2
fi
rm -f "$log" "$log.client"
kill $game $launcher 2>/dev/null
wait $game 2>/dev/null
exit $status
