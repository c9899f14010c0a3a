package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --space}: the space's size as the algorithm sees it, and a measured sample. */
class ExplainSpaceTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));

    private static JsonNode space(String... args) throws Exception {
        String[] r = ExplainCommandTest.run(args);
        assertEquals("0", r[0], r[2]);
        return ExplainCommandTest.lastJson(r[1]);
    }

    @Test
    void backboneNasKeepsTheNumberOfOnes() throws Exception {
        String[] r = ExplainCommandTest.run("explain", "--space", ROOT.resolve("conf/backbone_nas.yml").toString(), "--json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("space size: 100 candidates"), r[1]);
        JsonNode o = ExplainCommandTest.lastJson(r[1]);
        assertEquals(100, o.get("size").asLong(), "C(5,2)² codes with two ones each, not 2^10");
        assertEquals(10, o.get("parameters").get(0).get("values").asLong());
        JsonNode sample = o.get("sample");
        assertEquals(200, sample.get("count").asInt());
        assertEquals(0, sample.get("invalid").asInt());
        // the default network lies inside the space, so its MACs lie inside the sample's range
        // unless the sample missed it; the range must at least be a real spread
        long defaultMacs = space("explain", ROOT.resolve("conf/backbone_nas.yml").toString(), "--json").get("macs").asLong();
        long min = sample.get("macs").get("min").asLong();
        long max = sample.get("macs").get("max").asLong();
        assertTrue(min < max, "different codes give different MACs");
        assertTrue(min <= defaultMacs && defaultMacs <= max, min + " <= " + defaultMacs + " <= " + max);
        assertTrue(r[1].contains("MACs " + String.format(java.util.Locale.ROOT, "%,d .. %,d", min, max)), r[1]);
    }

    @Test
    void otherAlgorithmsCountEveryCode(@TempDir Path dir) throws Exception {
        String text = Files.readString(ROOT.resolve("conf/backbone_nas.yml")).replace("type: BackboneNas", "type: NSGA2");
        Path nsga = Files.writeString(dir.resolve("nsga.yml"), text);
        assertEquals(1024, space("explain", "--space", nsga.toString(), "--json").get("size").asLong(), "2^10 under NSGA2");
        Path fixed = Files.writeString(dir.resolve("fixed.yml"), text.replace("layer.downsample: [1, 0, 1, 0, 0]",
                "layer.downsample: {type: BINARY_CODE, length: 5, ones: 1}"));
        assertEquals(32 * 5, space("explain", "--space", fixed.toString(), "--json").get("size").asLong(), "2^5 × C(5,1)");
    }

    @Test
    void quantEaCountsABitWidthPerLayer(@TempDir Path dir) throws Exception {
        String seed = Files.readString(ROOT.resolve("conf/seed/resnet20_quant.yml"));
        Path conf = Files.writeString(dir.resolve("q.yml"), seed + "\nsearch_algorithm: {type: QuantEA, bit_candidates: [2, 4, 8]}\n");
        int layers = space("explain", conf.toString(), "--json").get("quantizable_layers").asInt();
        JsonNode o = space("explain", "--space", conf.toString(), "--json", "--samples", "50");
        assertEquals(BigInteger.valueOf(3).pow(2 * layers).toString(), o.get("size").asText(), "3 widths for weights and inputs of each layer");
        JsonNode bitops = o.get("sample").get("bitops");
        assertTrue(bitops.get("min").asLong() < bitops.get("max").asLong());
        assertEquals(50, o.get("sample").get("count").asInt());
    }

    @Test
    void pruneEaCountsANonEmptyMaskPerChannelGroup(@TempDir Path dir) throws Exception {
        String seed = Files.readString(ROOT.resolve("conf/seed/resnet20_prune.yml"));
        Path conf = Files.writeString(dir.resolve("p.yml"), seed + "\nsearch_algorithm: {type: PruneEA}\n");
        JsonNode widths = space("explain", conf.toString(), "--json").get("prunable_channels");
        BigInteger expected = BigInteger.ONE;
        for (JsonNode w : widths) {
            expected = expected.multiply(BigInteger.TWO.pow(w.asInt()).subtract(BigInteger.ONE));
        }
        JsonNode o = space("explain", "--space", conf.toString(), "--json", "--samples", "30");
        assertEquals(expected.toString(), o.get("size").asText(), "Π (2^w - 1) over " + widths);
        assertEquals(0, o.get("sample").get("invalid").asInt(), "every non-empty mask is a valid narrow network");
        JsonNode macs = o.get("sample").get("macs");
        assertTrue(macs.get("min").asLong() < macs.get("max").asLong());
    }

    @Test
    void constraintsAreCheckedOnTheSample(@TempDir Path dir) throws Exception {
        // one seed, one sample: the constraints change what is counted, not what is drawn
        String text = Files.readString(ROOT.resolve("conf/backbone_nas.yml"));
        JsonNode free = space("explain", "--space", ROOT.resolve("conf/backbone_nas.yml").toString(), "--json", "--samples", "60").get("sample");
        long min = free.get("macs").get("min").asLong();
        long max = free.get("macs").get("max").asLong();
        Path all = Files.writeString(dir.resolve("all.yml"), text + "\nconstraints: [\"macs < " + min + "\"]\n");
        assertEquals(60, space("explain", "--space", all.toString(), "--json", "--samples", "60").get("sample").get("breaking_constraints").asInt());
        Path none = Files.writeString(dir.resolve("none.yml"), text + "\nconstraints: [\"macs <= " + max + "\"]\n");
        assertEquals(0, space("explain", "--space", none.toString(), "--json", "--samples", "60").get("sample").get("breaking_constraints").asInt());
        Path some = Files.writeString(dir.resolve("some.yml"), text + "\nconstraints: [\"macs <= " + (min + max) / 2 + "\"]\n");
        int breaking = space("explain", "--space", some.toString(), "--json", "--samples", "60").get("sample").get("breaking_constraints").asInt();
        assertTrue(breaking > 0 && breaking < 60, breaking + " of 60 above the middle of the range");
    }

    @Test
    void aPlainHyperParameterSpaceIsContinuous() throws Exception {
        String[] r = ExplainCommandTest.run("explain", "--space", ROOT.resolve("conf/command_hpo.yml").toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode o = ExplainCommandTest.lastJson(r[1]);
        assertEquals("continuous", o.get("size").asText());
        assertEquals(3, o.get("parameters").get(2).get("values").asLong());
        assertEquals(49, o.get("parameters").get(3).get("values").asLong());
        assertTrue(r[1].contains("continuous (147 discrete combinations"), r[1]);
        assertTrue(!o.has("sample"), "no network to measure");
    }
}
