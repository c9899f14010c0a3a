package io.finegrained.space;

/**
 * A module description that gives no valid network. Module code throws it naming one of its own
 * parameters ({@code new SpecException("out_plane", "...")}); the expander then locates it at the
 * place that parameter was written ({@link #origin()}) and its full key path. {@link SearchSpace}
 * turns a located one into a {@code ConfigException} (a file) or an
 * {@link InvalidCandidateException} (a candidate's values).
 */
public final class SpecException extends RuntimeException {
    private final String param;
    private final String problem;
    private final Origin origin;

    /**
     * @param param the parameter of the module being expanded that is at fault, or null for the
     *     module as a whole
     * @param problem what is wrong, naming the numbers involved
     */
    public SpecException(String param, String problem) {
        this(param, problem, null);
    }

    private SpecException(String param, String problem, Origin origin) {
        super(origin == null ? (param == null ? problem : param + ": " + problem) : origin.keyPath() + ": " + problem);
        this.param = param;
        this.problem = problem;
        this.origin = origin;
    }

    public String param() {
        return param;
    }

    public String problem() {
        return problem;
    }

    /** Where the faulty value was written, once located; null before. */
    public Origin origin() {
        return origin;
    }

    public boolean isLocated() {
        return origin != null;
    }

    /** This error located at {@code where}. */
    public SpecException locate(Origin where) {
        return new SpecException(param, problem, where);
    }
}
