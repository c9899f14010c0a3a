package io.finegrained.api;

import io.finegrained.job.Job;
import io.finegrained.spark.SearchJob;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A search running on a thread of its own: {@link #stop()} asks it to stop (the journal stays
 * consistent and the run resumable), {@link #await()} waits for its result.
 */
public final class RunningSearch {
    private final Job job;
    private final SearchJob searchJob;
    private final Future<SearchResult> result;

    private RunningSearch(Job job, SearchJob searchJob, Future<SearchResult> result) {
        this.job = job;
        this.searchJob = searchJob;
        this.result = result;
    }

    static RunningSearch start(Job job, SearchJob searchJob, Supplier<SearchResult> body) {
        CompletableFuture<SearchResult> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(body.get());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, "finegrained-search-" + job.name());
        thread.setDaemon(true);
        thread.start();
        return new RunningSearch(job, searchJob, future);
    }

    /** The job it runs. */
    public Job job() {
        return job;
    }

    /**
     * Asks the search to stop: running trials are cancelled, finished ones stay journaled;
     * {@link #await()} then throws {@code RunStoppedException} saying how to resume.
     */
    public void stop() {
        searchJob.stop("stopped by the caller");
    }

    public boolean isDone() {
        return result.isDone();
    }

    /** Waits for the run; rethrows what stopped it (a {@code ConfigException}, a {@code RunStoppedException}, ...). */
    public SearchResult await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while waiting for the search", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
