package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExplainCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));

    /** Runs the CLI, returning exit code, stdout and stderr. */
    static String[] run(String... args) {
        return CliInJvm.run(args);
    }

    static JsonNode lastJson(String stdout) throws Exception {
        String[] lines = stdout.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown_module_type.yml       | 5:11: search_space.resnet.type: unknown module type 'ResNett'; did you mean 'ResNet'?
            unknown_parameter.yml         | 7:5: search_space.resnet.num_clas: unknown parameter 'num_clas' of ResNet; did you mean 'num_class'?
            missing_parameter.yml         | 5:5: search_space.resnet.depth: missing required parameter 'depth' of ResNet (18, 34, 50, 101, 152, or 6n+2)
            wrong_type.yml                | 6:12: search_space.resnet.depth: expected a whole number, found the text 'eighteen'
            zero_width.yml                | 6:17: search_space.init.init_plane: init_plane must be in [1, 2147483647], found 0
            negative_width.yml            | 9:19: search_space.resnet.items.outchannel[1]: outchannel must be in [1, 2147483647], found -32
            width_out_of_range.yml        | 6:17: search_space.init.init_plane: init_plane must be in [1, 2147483647], found 9000000000000
            number_overflow.yml           | 6:16: search_space.head.num_class: the number 99999999999999999999999 is too large (at most 9223372036854775807)
            width_overflow.yml            | 8:5: search_space.wide: its params or MACs overflow 64-bit integers: the widths are too large
            items_length_vs_num_reps.yml  | 12:15: search_space.resnet.items.stride: items.stride has 8 entries but num_reps is 9
            items_lengths_disagree.yml    | 9:19: search_space.resnet.items.outchannel: items.outchannel has 10 entries but items.inchannel has 9
            code_lengths_disagree.yml     | 11:17: search_space.layer.downsample: downsample has 7 entries but doublechannel has 8
            module_without_section.yml    | 3:30: search_space.modules[2]: modules lists 'head' but there is no section 'head' beside it
            not_listed_in_modules.yml     | 7:3: search_space.rsenet: 'rsenet' is not listed in modules; did you mean 'resnet'?
            unknown_hyper_parameter.yml   | 4:5: search_space.hyper_parameters.layer.doublechanel: 'layer.doublechanel' names no parameter: module 'layer' (VariantLayer) has no parameter 'doublechanel'; did you mean 'doublechannel'?
            unknown_trainer_parameter.yml | 4:5: search_space.hyper_parameters.trainer.lrate: 'trainer.lrate' names no trainer parameter (trainer parameters: batch_size, distill_temperature, distill_weight, epochs, gamma, lr, milestones, min_lr, momentum, nesterov, optimizer, schedule, seed, step_size, warmup_epochs, weight_decay)
            domain_does_not_fit.yml       | 4:5: search_space.hyper_parameters.layer.doublechannel: 'doublechannel' is a list of integers; a FLOAT domain does not fit it
            head_width_mismatch.yml       | 14:19: search_space.head.base_channel: base_channel is 256 but 512 channels come in (set by search_space.layer.doublechannel[7])
            linear_width_mismatch.yml     | 21:18: search_space.linear.in_features: in_features is 512 but 2048 channels come in (set by search_space.bottlelayer.block (at bottlelayer.15.add.body.conv3))
            in_plane_mismatch.yml         | 9:15: search_space.layer.in_plane: in_plane is 32 but 16 channels come in (set by search_space.init.init_plane)
            items_inchannel_mismatch.yml  | 10:18: search_space.resnet.items.inchannel[7]: inchannel is 32 but 64 channels come in (set by search_space.resnet.items.outchannel[6])
            out_plane_mismatch.yml        | 10:16: search_space.layer.out_plane: out_plane is 512 but the blocks end at width 256 (search_space.layer.in_plane = 32, doubled at 3 of 8 blocks by search_space.layer.doublechannel)
            language_tag.yml              | 6:18: search_space.pool.output_size: the YAML tag '!!python/object/apply:os.system' is not allowed (only standard YAML values, and !!python/tuple on a list)
            """)
    void brokenConfigExitsTwoWithOneLocatedMessage(String file, String expected) {
        String path = ROOT.resolve("src/test/resources/broken").resolve(file).toString();
        String[] r = run("explain", path);
        assertEquals("2", r[0], r[2]);
        assertEquals("configuration error: " + path + ":" + expected.strip(), r[2].strip());
        assertEquals("", r[1]);
    }

    @Test
    void everyBrokenFileIsCoveredByTheTable() throws Exception {
        // Guards against a broken example nobody asserts: each file here must be in the table above.
        String source = Files.readString(ROOT.resolve("src/test/java/io/finegrained/cli/ExplainCommandTest.java"));
        try (Stream<Path> files = Files.list(ROOT.resolve("src/test/resources/broken"))) {
            for (Path f : files.toList()) {
                assertTrue(source.contains(f.getFileName() + " "), f + " has no expected message");
            }
        }
    }

    @Test
    void seedResNet20JsonMatchesTheContract(@TempDir Path dir) throws Exception {
        String[] r = run("explain", ROOT.resolve("conf/seed/resnet20_quant.yml").toString(), "--input-shape", "3,32,32", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = lastJson(r[1]);
        assertEquals(272474, j.get("params").asLong());
        assertEquals(40813184, j.get("macs").asLong());
        assertEquals("[3,32,32]", j.get("input_shape").toString());
        assertEquals("resnet", j.get("modules").get(0).get("name").asText());
        assertEquals("ResNet", j.get("modules").get(0).get("type").asText());
        assertEquals("[10]", j.get("modules").get(0).get("output_shape").toString());
        assertEquals(272474, j.get("modules").get(0).get("params").asLong());
        assertEquals(20, j.get("quantizable_layers").asInt());
        assertTrue(r[1].contains("resnet   ResNet  [10]"), r[1]);

        // Every quantizable layer at 8/8 bits: the contract's 2,966,144.
        String eights = "[" + String.join(", ", java.util.Collections.nCopies(20, "8")) + "]";
        String text = Files.readString(ROOT.resolve("conf/seed/resnet20_quant.yml"))
                .replaceAll("nbit_w_list: \\[[^]]*]", "nbit_w_list: " + eights)
                .replaceAll("nbit_a_list: \\[[^]]*]", "nbit_a_list: " + eights);
        Path eight = dir.resolve("r20_8bit.yml");
        Files.writeString(eight, text);
        JsonNode e = lastJson(run("explain", eight.toString(), "--input-shape", "3,32,32", "--json")[1]);
        assertEquals(2966144, e.get("bitops").asLong());
    }

    @Test
    void resNet18QuantSeedWarnsAndOmitsBitopsButSucceeds() throws Exception {
        String[] r = run("explain", ROOT.resolve("conf/seed/resnet18_quant.yml").toString(), "--input-shape", "3,32,32", "--json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("warning: process: nbit_w_list has 20 entries but the network has 19 quantizable layers"), r[2]);
        JsonNode j = lastJson(r[1]);
        assertFalse(j.has("bitops"));
        assertEquals(11181642, j.get("params").asLong());
    }

    @Test
    void coarseResNet18On224() throws Exception {
        JsonNode j = lastJson(run("explain", ROOT.resolve("conf/seed/resnet18_coarse.yml").toString(), "--input-shape", "3,224,224", "--json")[1]);
        assertEquals(11181642, j.get("params").asLong());
        assertEquals(1813566464L, j.get("macs").asLong());
    }

    @Test
    void theInputShapeDefaultsToTheDatasetAndTheTableHasTotals(@TempDir Path dir) throws Exception {
        Path cifar = dir.resolve("c.yml");
        Files.writeString(cifar, Files.readString(ROOT.resolve("conf/seed/resnet20_quant.yml")) + "dataset:\n  source: synthetic\n  shape: [3, 32, 32]\n");
        assertEquals("[3,32,32]", lastJson(run("explain", cifar.toString(), "--json")[1]).get("input_shape").toString());
        String[] plain = run("explain", ROOT.resolve("conf/seed/variant_layer.yml").toString(), "--depth", "1");
        assertEquals("0", plain[0], plain[2]);
        assertTrue(plain[1].startsWith("input shape [1, 28, 28]"), plain[1]);
        assertTrue(plain[1].contains("\n  layer.0 "), plain[1]);
        assertTrue(plain[1].lines().anyMatch(l -> l.startsWith("total")), plain[1]);
        assertEquals(List.of(1L, 28L, 28L), toList(ExplainCommand.defaultInputShape(JobConfig.load(ROOT.resolve("conf/seed/variant_layer.yml")))));
    }

    @Test
    void aBadInputShapeIsAUsageError(@TempDir Path dir) throws Exception {
        String[] r = run("explain", ROOT.resolve("conf/seed/variant_layer.yml").toString(), "--input-shape", "3,32");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--input-shape takes C,H,W"), r[2]);
        Path conv = dir.resolve("conv.yml");
        Files.writeString(conv, "search_space:\n  modules: [c]\n  c: {type: Conv2d, out_channels: 4, kernel_size: 5}\n");
        String[] tiny = run("explain", conv.toString(), "--input-shape", "3,2,2");
        assertEquals("2", tiny[0], tiny[1]);
        assertEquals("finegrained: the network does not fit the input shape [3, 2, 2]: search_space.c.kernel_size: "
                + "Conv2d: the input size 2 is too small for kernel 5 with padding 0", tiny[2].strip());
    }

    @Test
    void explainNeverOpensInitModelFile() throws Exception {
        // The seed's prune example names ./bestmodel.pth, which does not exist.
        assertFalse(Files.exists(ROOT.resolve("conf/seed/bestmodel.pth")));
        String[] r = run("explain", ROOT.resolve("conf/seed/resnet20_prune.yml").toString(), "--input-shape", "3,32,32", "--json");
        assertEquals("0", r[0], r[2]);
        assertEquals(12, lastJson(r[1]).get("prunable_channels").size());
    }

    private static List<Long> toList(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
