package io.finegrained.bench;

/**
 * The ZDT test problems (Zitzler, Deb and Thiele, "Comparison of multiobjective evolutionary
 * algorithms: empirical results", Evolutionary Computation 8(2), 2000), two objectives, both
 * minimised, with {@code n} variables. Known optima: ZDT1-4 reach their Pareto front when
 * x2..xn = 0 (g = 1); ZDT6 too, with a non-uniform density along f1.
 */
public enum Zdt {
    ZDT1, ZDT2, ZDT3, ZDT4, ZDT6,
    /**
     * Not in the ZDT paper: ZDT1 with x2..xn entering g as 2|xi - 0.5|, so the optimum lies in
     * the middle of the box instead of on its edge. A check that nothing here profits from
     * optima on the boundary.
     */
    ZDT1C;

    /** The lower bound of variable {@code i}. */
    public double low(int i) {
        return this == ZDT4 && i > 0 ? -5 : 0;
    }

    /** The upper bound of variable {@code i}. */
    public double high(int i) {
        return this == ZDT4 && i > 0 ? 5 : 1;
    }

    /** (f1, f2) at x. */
    public double[] evaluate(double[] x) {
        int n = x.length;
        double rest = 0;
        for (int i = 1; i < n; i++) {
            rest += this == ZDT1C ? 2 * Math.abs(x[i] - 0.5) : x[i];
        }
        switch (this) {
            case ZDT1:
            case ZDT1C: {
                double g = 1 + 9 * rest / (n - 1);
                return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
            }
            case ZDT2: {
                double g = 1 + 9 * rest / (n - 1);
                return new double[] {x[0], g * (1 - (x[0] / g) * (x[0] / g))};
            }
            case ZDT3: {
                double g = 1 + 9 * rest / (n - 1);
                double h = 1 - Math.sqrt(x[0] / g) - (x[0] / g) * Math.sin(10 * Math.PI * x[0]);
                return new double[] {x[0], g * h};
            }
            case ZDT4: {
                double g = 1 + 10 * (n - 1);
                for (int i = 1; i < n; i++) {
                    g += x[i] * x[i] - 10 * Math.cos(4 * Math.PI * x[i]);
                }
                return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
            }
            default: {
                double f1 = 1 - Math.exp(-4 * x[0]) * Math.pow(Math.sin(6 * Math.PI * x[0]), 6);
                double g = 1 + 9 * Math.pow(rest / (n - 1), 0.25);
                return new double[] {f1, g * (1 - (f1 / g) * (f1 / g))};
            }
        }
    }

    /**
     * A reference point every run reaches: 1.1 × the largest value each objective takes on the
     * box (f1 at most 1; f2 at most g's maximum, 10 for ZDT1/2/3/6, 1 + 10(n-1) + 35(n-1) for
     * ZDT4). Used beside (1.1, 1.1), which runs at this budget often do not reach on ZDT2/4/6.
     */
    public double[] boxReference(int n) {
        return new double[] {1.1, this == ZDT4 ? 1.1 * (1 + 45.0 * (n - 1)) : 11.0};
    }

    /** The name the Python reference script uses. */
    public String scriptName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
