package io.finegrained.bench;

import java.util.Locale;
import java.util.Map;

/**
 * {@code submit/bench CodecBenchmark [--seeds 11] [--population 20] [--generations 10]}
 *
 * <p>BackboneNas, QuantEA and PruneEA against uniform random search at the same budget on the
 * stand-in problems of {@link StandInProblems}, whose exact Pareto fronts are known: the measure
 * is the hypervolume of all evaluated points over that of the exact front (1.0 = the whole front
 * found), per seed; printed are the medians, the median margin and the seeds each side wins.
 */
public final class CodecBenchmark {
    private CodecBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> opt = ZdtBenchmark.options(args);
        int seeds = Integer.parseInt(opt.getOrDefault("seeds", "11"));
        int population = Integer.parseInt(opt.getOrDefault("population", "20"));
        int generations = Integer.parseInt(opt.getOrDefault("generations", "10"));
        System.out.printf(Locale.ROOT, "population %d x %d generations = %d trials per run, %d seeds;"
                + " HV of all evaluated points / HV of the exact front%n", population, generations, population * generations, seeds);
        System.out.println("problem | algorithm median [min, max] | RandomSearch median [min, max] | median margin | seeds algorithm > random");
        for (StandInProblems.Problem p : StandInProblems.all()) {
            long start = System.nanoTime();
            double[] own = new double[seeds];
            double[] random = new double[seeds];
            int wins = 0;
            for (int s = 0; s < seeds; s++) {
                own[s] = StandInProblems.run(p, p.algorithm(), population, generations, s);
                random[s] = StandInProblems.run(p, "RandomSearch", population, generations, s);
                wins += own[s] > random[s] ? 1 : 0;
            }
            double[] margin = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                margin[s] = own[s] - random[s];
            }
            System.out.printf(Locale.ROOT, "%s | %s %s | %s | %+.4f | %d/%d   (%.1f s; known optimum: %s)%n", p.name(),
                    p.algorithm(), ZdtBenchmark.summary(own), ZdtBenchmark.summary(random), ZdtBenchmark.median(margin), wins, seeds,
                    (System.nanoTime() - start) / 1e9, p.optimum());
        }
    }
}
