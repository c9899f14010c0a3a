package io.finegrained.search.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The asynchronous algorithms' keys, read and refused with their place in the file. */
class AsyncSettingsTest {
    static final List<Objective> ONE = AsyncLoopTest.ONE;
    static final List<Objective> TWO = AsyncLoopTest.TWO;

    static Searcher searcher(String yaml, List<Objective> objectives) {
        return AsyncLoopTest.searcher(yaml, objectives);
    }

    @Test
    void theBriefsExampleRuns() {
        Searcher s = searcher("type: AgingEvolution\npopulation: 20\nsample: 5\nsamples: 100\n"
                + "scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: 9}\n", ONE);
        AgingEvolution aging = assertInstanceOf(AgingEvolution.class, s);
        assertEquals(100, s.budget());
        assertEquals(5, s.plannedBatches());
        Asha asha = assertInstanceOf(Asha.class, aging.scheduler());
        assertEquals(List.of(1, 3, 9), asha.levels());
        Proposal.Trial first = assertInstanceOf(Proposal.Trial.class, s.propose());
        assertEquals(1, first.resource());
        assertEquals(0, first.batch());
    }

    @Test
    void withoutASchedulerEveryTrialTrainsItsBudget() {
        SteadyStateSearcher s = (SteadyStateSearcher) searcher("type: AsyncNSGA2\nsamples: 10\n", TWO);
        assertNull(s.scheduler());
        assertEquals(Proposal.FULL_BUDGET, ((Proposal.Trial) s.propose()).resource());
        Searcher h = searcher("type: AsyncRandomSearch\nscheduler: {type: hyperband, max_resource: 27}\n", TWO);
        assertInstanceOf(Hyperband.class, ((SteadyStateSearcher) h).scheduler());
        assertEquals(100, h.budget());
    }

    @Test
    void batchIsTheProposalIndexOverThePopulation() {
        Searcher s = searcher("type: AsyncRandomSearch\npopulation: 3\nsamples: 7\n", TWO);
        StringBuilder batches = new StringBuilder();
        Proposal p;
        while ((p = s.propose()) instanceof Proposal.Trial t) {
            batches.append(t.batch());
        }
        assertEquals("0001112", batches.toString());
        assertInstanceOf(Proposal.Done.class, p);
    }

    @Test
    void refusalsNameTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> searcher("type: AgingEvolution\npopulation: 4\nsample: 5\n", ONE));
        assertEquals("sample", e.keyPath());
        assertEquals(3, e.location().line());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\nscheduler: {type: ASH, max_resource: 9}\n", TWO));
        assertTrue(e.getMessage().contains("did you mean 'ASHA'"), e.getMessage());
        assertEquals("scheduler.type", e.keyPath());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\nscheduler: {type: ASHA}\n", TWO));
        assertTrue(e.getMessage().contains("needs max_resource"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\nscheduler:\n  min_resource: 4\n  max_resource: 3\n", TWO));
        assertEquals("scheduler.max_resource", e.keyPath());
        assertEquals(4, e.location().line());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\nscheduler: {eta: 1, max_resource: 3}\n", TWO));
        assertEquals("scheduler.eta", e.keyPath());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\nscheduler: {max_resource: 3, rungs: 2}\n", TWO));
        assertEquals("scheduler.rungs", e.keyPath());
        e = assertThrows(ConfigException.class, () -> searcher("type: AsyncNSGA2\ngenerations: 3\n", TWO));
        assertTrue(e.getMessage().contains("its budget is samples"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\nscheduler: {max_resource: 3}\n", TWO));
        assertTrue(e.getMessage().contains("applies to AsyncNSGA2, AgingEvolution, AsyncRandomSearch"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> searcher("type: AgingEvolution\n", TWO));
        assertTrue(e.getMessage().contains("use AsyncNSGA2 for several"), e.getMessage());
    }
}
