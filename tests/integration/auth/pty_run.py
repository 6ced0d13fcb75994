#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal and answers its prompts.

Usage: pty_run.py OUTPUT [--expect TEXT --send LINE]... -- COMMAND [ARG...]
Each --expect waits (10 s at most) until TEXT has appeared in the output
since the previous match, then --send writes LINE and a line end. Everything
the terminal showed is written to OUTPUT; the exit status is the command's
(124 when an expected text never came).
"""
import os
import pty
import select
import sys
import time


def main():
    out_path, args = sys.argv[1], sys.argv[2:]
    steps = []
    while args and args[0] != "--":
        steps.append((args[0], args[1]))
        args = args[2:]
    cmd = args[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    pos = 0
    status = None

    def pump(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            seen += data
        return True

    for kind, value in steps:
        if kind == "--expect":
            deadline = time.time() + 10
            want = value.encode()
            while seen.find(want, pos) < 0:
                if time.time() > deadline or not pump(0.2):
                    if seen.find(want, pos) >= 0:
                        break
                    open(out_path, "wb").write(seen)
                    sys.stderr.write("pty_run: never saw %r\n" % value)
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                    sys.exit(124)
            pos = seen.find(want, pos) + len(want)
        else:
            os.write(fd, value.encode() + b"\n")
    while pump(0.5):
        pass
    _, status = os.waitpid(pid, 0)
    open(out_path, "wb").write(seen)
    sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)


if __name__ == "__main__":
    main()
