package io.finegrained.api;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.job.Job;
import io.finegrained.job.JobFile;
import io.finegrained.report.ReportWriter;
import io.finegrained.spark.RunStoppedException;
import io.finegrained.spark.SearchJob;
import io.finegrained.spark.SearchRun;
import io.finegrained.spark.SearchSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A search to run: a job file (or URI, or string), dotted overrides, where its run directory
 * goes. Immutable: every method returns a new {@code Search}. A configuration error is a
 * {@link ConfigException} naming the file (or {@code <string>}), line, column and key path; an
 * error in an override names the override.
 *
 * <pre>{@code
 * SearchResult result = Search.fromFile(Paths.get("conf/backbone_nas.yml"))
 *         .with("search_algorithm.population", 16)
 *         .output(Paths.get("runs/mine"))
 *         .run(spark);
 * result.trials().show();
 * }</pre>
 */
public final class Search {
    private final JobConfig config;
    private final List<Override> overrides;
    /** A path or a URI; null for the default. */
    private final String output;
    private final boolean resume;
    private final String master;
    private final SearchListener listener;
    private final PrintStream out;
    private final PrintStream err;
    /** What the user must know about the job file (printed on err when the run starts). */
    private final List<String> notes;

    private record Override(String key, Object value) {
    }

    private Search(JobConfig config, List<Override> overrides, String output, boolean resume, String master,
                   SearchListener listener, PrintStream out, PrintStream err, List<String> notes) {
        this.config = config;
        this.overrides = List.copyOf(overrides);
        this.output = output;
        this.resume = resume;
        this.master = master;
        this.listener = listener;
        this.out = out;
        this.err = err;
        this.notes = List.copyOf(notes);
    }

    private static Search of(JobConfig config) {
        return new Search(config, List.of(), null, false, null, null, System.out, System.err, List.of());
    }

    /** A job file. */
    public static Search fromFile(Path file) {
        return of(JobConfig.load(file));
    }

    /**
     * A job file at a URI of any Hadoop file system ({@code hdfs://nn/jobs/x.yml}, {@code file:/...});
     * a plain path works too. A remote job's relative paths resolve against the working directory.
     */
    public static Search fromUri(String uri) {
        JobConfig config = JobFile.read(uri);
        return new Search(config, List.of(), null, false, null, null, System.out, System.err, JobFile.notes(uri, config));
    }

    /** A job written as a string: errors name {@code <string>}; relative paths resolve against {@code baseDir}. */
    public static Search fromYaml(String yaml, Path baseDir) {
        return of(JobConfig.fromString(yaml, baseDir));
    }

    /** The value at a dotted key ({@code search_algorithm.population}), checked like the file when the job is made. */
    public Search with(String dottedKey, Object value) {
        List<Override> more = new ArrayList<>(overrides);
        more.add(new Override(dottedKey, value));
        return new Search(config, more, output, resume, master, listener, out, err, notes);
    }

    /** The run directory (default {@code runs/<name>-<UTC time>}). */
    public Search output(Path directory) {
        return new Search(config, overrides, directory == null ? null : directory.toString(), resume, master, listener, out, err, notes);
    }

    /**
     * The run directory as a path or a URI of any Hadoop file system ({@code file:///runs/x},
     * {@code hdfs://namenode:8020/runs/x}, {@code s3a://bucket/runs/x} with its connector on the
     * classpath). A location that cannot be used is refused when the search starts.
     */
    public Search output(String directory) {
        return new Search(config, overrides, directory, resume, master, listener, out, err, notes);
    }

    /** Continue the run in the output directory from its journal (a finished run is reported again). */
    public Search resume(boolean resume) {
        return new Search(config, overrides, output, resume, master, listener, out, err, notes);
    }

    /** The Spark master when the search starts its own session ({@link #run()}); ignored with a given session. */
    public Search master(String master) {
        return new Search(config, overrides, output, resume, master, listener, out, err, notes);
    }

    /** Told each trial's verdict as it is journaled. */
    public Search listener(SearchListener listener) {
        return new Search(config, overrides, output, resume, master, listener, out, err, notes);
    }

    /** Where the front (out) and the progress lines (err) are printed; System.out / System.err by default. */
    public Search console(PrintStream out, PrintStream err) {
        return new Search(config, overrides, output, resume, master, listener, out, err, notes);
    }

    /** The job, every section checked, overrides applied: a {@link ConfigException} for any problem. */
    public Job job() {
        JobConfig c = config;
        for (Override o : overrides) {
            c = c.with(o.key(), o.value());
        }
        return Job.of(c);
    }

    /** Runs the search on the caller's session, which stays running; returns when the run is done. */
    public SearchResult run(SparkSession spark) {
        return start(spark).await();
    }

    /** Runs the search on a running session, or one it starts from the {@code spark} section (and stops). */
    public SearchResult run() {
        return start(null).await();
    }

    /**
     * Starts the search on a thread of its own; the handle stops it or waits for it. With a null
     * session, a running one is used, or one is started from the {@code spark} section.
     */
    public RunningSearch start(SparkSession spark) {
        Job job = job();
        notes.forEach(err::println);
        SearchJob searchJob = new SearchJob(job, SearchSetup::from, out, err);
        Reports reports = new Reports(searchJob, err);
        SearchJob.Options options = new SearchJob.Options(output, master, resume, spark, result -> {
            reports.update();
            if (listener != null) {
                listener.trialFinished(result);
            }
        });
        return RunningSearch.start(job, searchJob, () -> {
            try {
                SearchRun.Summary summary = searchJob.run(options);
                Path report = reports.finish();
                out.println(report != null ? "the report: " + report : "no report.html: the run directory " + searchJob.location()
                        + " is not local (copy it to a local folder and run `finegrained report` on it)");
                out.flush();
                return new SearchResult(spark, searchJob.directory(), job, summary);
            } catch (RunStoppedException e) {
                Path report = reports.finish(); // the run directory holds the trials so far: show them
                if (report != null) {
                    err.println("the report of the trials so far: " + report);
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The run's report.html, rewritten as results arrive (at most every few seconds) and at the
     * end. Only a run directory the job opened gets one: a refused directory is left untouched. A
     * run directory that is not local (HDFS, S3) gets none: the report reads the run's files with
     * java.nio.
     */
    private static final class Reports {
        private final SearchJob searchJob;
        private final PrintStream err;
        private ReportWriter writer;

        Reports(SearchJob searchJob, PrintStream err) {
            this.searchJob = searchJob;
            this.err = err;
        }

        synchronized void update() {
            if (searchJob.directory() != null) {
                writer().maybeWrite();
            }
        }

        synchronized Path finish() {
            return searchJob.directory() == null ? null : writer().finish();
        }

        private ReportWriter writer() {
            if (writer == null) {
                writer = new ReportWriter(searchJob.directory(), err);
            }
            return writer;
        }
    }
}
