package io.finegrained.cli;

import io.finegrained.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code finegrained report DIR}: writes (again) the run directory's {@code report.html} from its
 * journal and prints the file's path. Works on a finished run, a running one (the driver's own
 * writes and this one each replace the file whole) and a run of an older version.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes DIR/report.html (one offline HTML file: the front, progress, timeline, trials, best network) and prints its path.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "a run directory (holding trials.jsonl)")
    Path directory;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(directory)) {
            throw new UsageException(directory + " is not a directory");
        }
        Path written;
        try {
            written = Report.write(directory);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.println(written);
        return 0;
    }
}
