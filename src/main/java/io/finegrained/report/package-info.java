/**
 * The run report, {@code report.html}: one self-contained offline HTML file per run directory,
 * drawn from the journal and the run's configuration ({@link io.finegrained.report.Report}),
 * kept current during a run by a throttled writer ({@link io.finegrained.report.ReportWriter}),
 * and the module table that {@code explain} prints ({@link io.finegrained.report.ModuleTable}).
 *
 * <p>Contracts: the report only reads the run directory and writes {@code report.html} (through
 * a temporary file and an atomic move); it never changes the journal. Charts are SVG drawn here,
 * so the page reads without JavaScript; the inline script only adds the pair selector and
 * sorting. Everything is immutable or confined to one call, except the writer, which is
 * synchronized.
 */
package io.finegrained.report;
