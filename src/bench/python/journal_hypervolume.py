#!/usr/bin/env python3
"""Hypervolume of all OK trials of a run journal (trials.jsonl), two objectives both minimised.

Usage: journal_hypervolume.py RUN_DIR/trials.jsonl [--objectives f1,f2] [--reference 1.1,1.1]
Prints {"trials": ..., "ok": ..., "hv": ...}. Compare with ZdtBenchmark's per-seed figure for
the same seed: the command-trial path must give the same number.
"""
import argparse
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("journal")
    ap.add_argument("--objectives", default="f1,f2")
    ap.add_argument("--reference", default="1.1,1.1")
    a = ap.parse_args()
    names = a.objectives.split(",")
    ref = [float(v) for v in a.reference.split(",")]
    points, trials = [], 0
    with open(a.journal) as f:
        for line in f:
            if not line.strip():
                continue
            trials += 1
            row = json.loads(line)
            if row["status"] == "OK":
                points.append(tuple(float(row["metrics"][n]) for n in names))
    inside = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    volume, best = 0.0, ref[1]
    for p in inside:
        if p[1] < best:
            volume += (ref[0] - p[0]) * (best - p[1])
            best = p[1]
    print(json.dumps({"trials": trials, "ok": len(points), "hv": volume}))


if __name__ == "__main__":
    main()
