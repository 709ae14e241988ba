#!/usr/bin/python3
"""Prints what a screen reader sees of Second Look: the AT-SPI accessibility
tree of the running `second-look` application, one `[role] 'name'` per line.

Waits (up to the number of seconds given, default 60) until the window's
tree holds at least one push button and reads the same twice in a row, half
a second apart, so a slow software-rendered start, or a screen that is still
changing, does not give a partial answer. Exits 1 if the application never appears.
Needs python3-pyatspi and a session D-Bus with the AT-SPI bus running
(scripts/screen-reader-check.sh sets that up).
"""
import sys
import time

import pyatspi


def walk(acc, depth, out):
    try:
        out.append("  " * depth + f"[{acc.getRoleName()}] {acc.name!r}")
        for i in range(acc.childCount):
            walk(acc.getChildAtIndex(i), depth + 1, out)
    except Exception:  # a node that went away while being read
        pass


def main():
    deadline = time.time() + float(sys.argv[1] if len(sys.argv) > 1 else 60)
    last = []
    previous = None
    seen_apps = set()
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            seen_apps.add(getattr(app, "name", None))
            if app is None or app.name != "second-look":
                continue
            out = []
            walk(app, 0, out)
            last = out
            if out == previous and any("[push button]" in line for line in out):
                print("\n".join(out))
                return 0
            previous = out
        time.sleep(0.5)
    print("\n".join(last))
    print(f"no steady second-look tree with buttons appeared; applications seen: {sorted(map(str, seen_apps))}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
