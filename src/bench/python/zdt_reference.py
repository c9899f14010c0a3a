#!/usr/bin/env python3
"""Reference algorithms for ZdtBenchmark, run in the same invocation as our NSGA2.

Prints one JSON object per line: {"algorithm": ..., "problem": ..., "seed": ..., "hv": ...,
"hv_box": ..., "evaluations": ...}. The hypervolume is of ALL evaluated points (not the last population),
against the reference point given, both objectives minimised -- the same measure the Java side
computes; "hv_box" is the same against the box-bound reference point (see Zdt.boxReference). Needs Debian's python3-deap and/or python3-optuna; an algorithm whose library is
missing prints {"algorithm": ..., "missing": "<reason>"} once and is skipped.

Usage: zdt_reference.py --problems zdt1,zdt2 --algorithms deap,optuna-nsga2,optuna-tpe
                        --seeds 11 --population 40 --generations 20 --reference 1.1,1.1
"""
import argparse
import json
import math
import random
import sys
import warnings


def zdt(name, n):
    """The problem as (bounds, f) with f(x) -> (f1, f2)."""
    def g_linear(x):
        return 1 + 9 * sum(x[1:]) / (n - 1)

    if name == "zdt1":
        def f(x):
            g = g_linear(x)
            return x[0], g * (1 - math.sqrt(x[0] / g))
        return [(0.0, 1.0)] * n, f
    if name == "zdt1c":
        # Not in the ZDT paper: ZDT1 with the optimum in the middle of the box (see Zdt.ZDT1C).
        def f(x):
            g = 1 + 9 * sum(2 * abs(xi - 0.5) for xi in x[1:]) / (n - 1)
            return x[0], g * (1 - math.sqrt(x[0] / g))
        return [(0.0, 1.0)] * n, f
    if name == "zdt2":
        def f(x):
            g = g_linear(x)
            return x[0], g * (1 - (x[0] / g) ** 2)
        return [(0.0, 1.0)] * n, f
    if name == "zdt3":
        def f(x):
            g = g_linear(x)
            h = 1 - math.sqrt(x[0] / g) - (x[0] / g) * math.sin(10 * math.pi * x[0])
            return x[0], g * h
        return [(0.0, 1.0)] * n, f
    if name == "zdt4":
        def f(x):
            g = 1 + 10 * (n - 1) + sum(xi * xi - 10 * math.cos(4 * math.pi * xi) for xi in x[1:])
            return x[0], g * (1 - math.sqrt(x[0] / g))
        return [(0.0, 1.0)] + [(-5.0, 5.0)] * (n - 1), f
    if name == "zdt6":
        def f(x):
            f1 = 1 - math.exp(-4 * x[0]) * math.sin(6 * math.pi * x[0]) ** 6
            g = 1 + 9 * (sum(x[1:]) / (n - 1)) ** 0.25
            return f1, g * (1 - (f1 / g) ** 2)
        return [(0.0, 1.0)] * n, f
    raise SystemExit("unknown problem " + name)


def box_reference(name, n):
    """1.1 x each objective's largest value on the box (same rule as Zdt.boxReference)."""
    return [1.1, 1.1 * (1 + 45.0 * (n - 1)) if name == "zdt4" else 11.0]


def hypervolume(points, ref):
    inside = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    volume, best = 0.0, ref[1]
    for p in inside:
        if p[1] < best:
            volume += (ref[0] - p[0]) * (best - p[1])
            best = p[1]
    return volume


def run_deap(bounds, f, seed, population, generations):
    """DEAP's own NSGA-II example (examples/ga/nsga2.py): SBX eta 20, polynomial mutation eta 20,
    indpb 1/n, crossover probability 0.9, selTournamentDCD, selNSGA2."""
    from deap import base, creator, tools
    random.seed(seed)
    if not hasattr(creator, "ZdtFitness"):
        creator.create("ZdtFitness", base.Fitness, weights=(-1.0, -1.0))
        creator.create("ZdtIndividual", list, fitness=creator.ZdtFitness)
    low = [b[0] for b in bounds]
    up = [b[1] for b in bounds]
    n = len(bounds)
    points = []

    def evaluate(ind):
        v = f(ind)
        points.append(v)
        return v

    tb = base.Toolbox()
    tb.register("individual", lambda: creator.ZdtIndividual(random.uniform(lo, hi) for lo, hi in bounds))
    tb.register("mate", tools.cxSimulatedBinaryBounded, low=low, up=up, eta=20.0)
    tb.register("mutate", tools.mutPolynomialBounded, low=low, up=up, eta=20.0, indpb=1.0 / n)
    pop = [tb.individual() for _ in range(population)]
    for ind in pop:
        ind.fitness.values = evaluate(ind)
    pop = tools.selNSGA2(pop, len(pop))
    for _ in range(1, generations):
        offspring = [tb.clone(ind) for ind in tools.selTournamentDCD(pop, len(pop))]
        for a, b in zip(offspring[::2], offspring[1::2]):
            if random.random() <= 0.9:
                tb.mate(a, b)
            tb.mutate(a)
            tb.mutate(b)
            del a.fitness.values, b.fitness.values
        for ind in offspring:
            ind.fitness.values = evaluate(ind)
        pop = tools.selNSGA2(pop + offspring, population)
    return points


def run_optuna(bounds, f, seed, population, generations, kind):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    if kind == "nsga2":
        sampler = optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
    else:
        # Multi-objective TPE: TPESampler handles several objectives itself (MOTPESampler is
        # its deprecated alias since Optuna 2.9).
        sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
    points = []

    def objective(trial):
        x = [trial.suggest_float("x%d" % i, lo, hi) for i, (lo, hi) in enumerate(bounds)]
        v = f(x)
        points.append(v)
        return v

    study.optimize(objective, n_trials=population * generations)
    return points


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", default="zdt1")
    ap.add_argument("--algorithms", default="deap")
    ap.add_argument("--seeds", type=int, default=11)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--variables", type=int, default=10)
    ap.add_argument("--population", type=int, default=40)
    ap.add_argument("--generations", type=int, default=20)
    ap.add_argument("--reference", default="1.1,1.1")
    a = ap.parse_args()
    ref = [float(v) for v in a.reference.split(",")]
    for algorithm in a.algorithms.split(","):
        try:
            __import__("deap" if algorithm == "deap" else "optuna")
        except ImportError as e:
            print(json.dumps({"algorithm": algorithm, "missing": str(e)}), flush=True)
            continue
        for problem in a.problems.split(","):
            bounds, f = zdt(problem, a.variables)
            for seed in range(a.first_seed, a.first_seed + a.seeds):
                if algorithm == "deap":
                    points = run_deap(bounds, f, seed, a.population, a.generations)
                else:
                    points = run_optuna(bounds, f, seed, a.population, a.generations, algorithm.split("-", 1)[1])
                print(json.dumps({"algorithm": algorithm, "problem": problem, "seed": seed,
                                  "hv": hypervolume(points, ref),
                                  "hv_box": hypervolume(points, box_reference(problem, a.variables)),
                                  "evaluations": len(points)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
