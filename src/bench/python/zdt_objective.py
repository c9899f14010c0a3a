#!/usr/bin/env python3
"""A command-trial objective: ZDT1 (or another ZDT problem) on the candidate given on stdin.

The search job sends one JSON object on stdin: {"id": ..., "generation": ...,
"hyperparameters": {"x0": ..., ..., "x9": ...}}. This prints {"f1": ..., "f2": ...} as the last
line of stdout. The arithmetic is the same, in the same order, as io.finegrained.bench.Zdt, so a
command-trial run gives exactly the hypervolume ZdtBenchmark gives for the same seed.

Usage (in a job's trial.command): [python3, zdt_objective.py] or [python3, zdt_objective.py, zdt2]
"""
import json
import math
import sys


def evaluate(problem, x):
    n = len(x)
    rest = 0.0
    for xi in x[1:]:
        rest += 2 * abs(xi - 0.5) if problem == "zdt1c" else xi
    if problem in ("zdt1", "zdt1c", "zdt2", "zdt3"):
        g = 1 + 9 * rest / (n - 1)
        if problem == "zdt2":
            return x[0], g * (1 - (x[0] / g) * (x[0] / g))
        if problem == "zdt3":
            return x[0], g * (1 - math.sqrt(x[0] / g) - (x[0] / g) * math.sin(10 * math.pi * x[0]))
        return x[0], g * (1 - math.sqrt(x[0] / g))
    if problem == "zdt4":
        g = 1 + 10 * (n - 1)
        for xi in x[1:]:
            g += xi * xi - 10 * math.cos(4 * math.pi * xi)
        return x[0], g * (1 - math.sqrt(x[0] / g))
    if problem == "zdt6":
        f1 = 1 - math.exp(-4 * x[0]) * math.pow(math.sin(6 * math.pi * x[0]), 6)
        g = 1 + 9 * math.pow(rest / (n - 1), 0.25)
        return f1, g * (1 - (f1 / g) * (f1 / g))
    raise SystemExit("unknown problem " + problem)


def main():
    problem = sys.argv[1] if len(sys.argv) > 1 else "zdt1"
    candidate = json.load(sys.stdin)
    values = candidate["hyperparameters"]
    x = [float(values["x%d" % i]) for i in range(len(values))]
    f1, f2 = evaluate(problem, x)
    print(json.dumps({"f1": f1, "f2": f2}))


if __name__ == "__main__":
    main()
