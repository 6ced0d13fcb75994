#!/usr/bin/env python3
"""Benchmark of `reprofile show` (docs/performance.md).

Builds a REGF hive holding 20 Outlook profiles made from the fixtures of
tests/fixtures/profiles/ (each copied under the 16.0 root with a distinct name
P01..P20), then measures wall time of `show` and `show --json` over the whole
hive and over one profile, with hyperfine when it is installed (otherwise a
plain best-of-N loop), and peak RSS of each command with GNU time (/usr/bin/time -v).

    python3 bench/show_bench.py --reprofile build/src/cli/reprofile [--out DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT16 = r"Software\Microsoft\Office\16.0\Outlook\Profiles"
KEY_RE = re.compile(r"^\[HKEY_CURRENT_USER\\(Software\\Microsoft\\(?:Office\\1[56]\.0\\Outlook|"
                    r"Windows NT\\CurrentVersion\\Windows Messaging Subsystem)\\Profiles)\\"
                    r"([^\\\]]+)(.*)\]$")


def build_reg(src_dir, dst):
    fixtures = sorted(f for f in os.listdir(src_dir)
                      if f.endswith(".reg") and f != "side-by-side.reg")
    out = ["Windows Registry Editor Version 5.00", "",
           "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook]",
           '"DefaultProfile"="P01"', ""]
    n = 0
    while n < 20:
        for f in fixtures:
            if n == 20:
                break
            n += 1
            keep = False
            with open(os.path.join(src_dir, f), "rb") as fh:
                raw = fh.read()
            text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8")
            for line in text.replace("\r\n", "\n").split("\n")[1:]:
                m = KEY_RE.match(line)
                if line.startswith("["):
                    keep = m is not None
                    if keep:
                        line = "[HKEY_CURRENT_USER\\%s\\P%02d%s]" % (ROOT16, n, m.group(3))
                if keep:
                    out.append(line)
    with open(dst, "w", newline="\n", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def peak_rss_kib(cmd):
    """Peak RSS of one run of cmd via GNU time (Debian package "time").
    wait4() from Python would report at least the forked interpreter's RSS,
    since Linux keeps the high-water mark across exec."""
    gt = "/usr/bin/time"
    if not os.path.exists(gt):
        return None
    r = subprocess.run([gt, "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, check=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return int(m.group(1)) if m else None


def best_of(cmd, n=20):
    best = None
    with open(os.devnull, "wb") as null:
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=null)
            dt = time.perf_counter() - t
            best = dt if best is None or dt < best else best
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprofile", required=True)
    ap.add_argument("--out", default=None, help="keep the hive and results here")
    a = ap.parse_args()
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                       "profiles")
    work = a.out or tempfile.mkdtemp(prefix="rp-bench-show-")
    os.makedirs(work, exist_ok=True)
    reg = os.path.join(work, "20profiles.reg")
    hive = os.path.join(work, "20profiles.hive")
    build_reg(src, reg)
    if os.path.exists(hive):
        os.remove(hive)
    run([a.reprofile, "reg", "mkhive", hive])
    run([a.reprofile, "reg", "import", "--hive", hive, reg])
    print("hive: %s (%d bytes), .reg: %d bytes" % (hive, os.path.getsize(hive),
                                                  os.path.getsize(reg)))
    cases = [
        ("baseline: reprofile --version", [a.reprofile, "--version"]),
        ("show --hive (20 profiles, text)", [a.reprofile, "show", "--hive", hive]),
        ("show --json --hive (20 profiles)", [a.reprofile, "show", "--json", "--hive", hive]),
        ("show --hive --profile P05 (1 profile)",
         [a.reprofile, "show", "--hive", hive, "--profile", "P05"]),
        ("show --json --reg (20 profiles)", [a.reprofile, "show", "--json", "--reg", reg]),
    ]
    hf = shutil.which("hyperfine")
    for label, cmd in cases:
        rss = peak_rss_kib(cmd)
        if hf:
            js = os.path.join(work, "hyperfine.json")
            subprocess.run([hf, "-N", "-w", "5", "-m", "30", "--style", "none",
                            "--export-json", js, " ".join(cmd)],
                           check=True, stdout=subprocess.DEVNULL)
            with open(js) as fh:
                r = json.load(fh)["results"][0]
            print("%-40s mean %7.2f ms +- %5.2f  min %7.2f ms  peak RSS %s KiB" %
                  (label, r["mean"] * 1e3, r["stddev"] * 1e3, r["min"] * 1e3, rss or "n/a"))
        else:
            print("%-40s best %8.2f ms  peak RSS %s KiB" % (label, best_of(cmd) * 1e3, rss))
    if not a.out:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
