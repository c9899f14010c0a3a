package io.finegrained.nn;

import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The ResNet-20 (12/24/48 wide, inner widths 10, 9, 11, 20, 19, 21, 40, 44, 41) that the Prune
 * tests' masks keep: what a masked network must count and compute like.
 */
final class NarrowResNet20 {
    /** Channels kept of each of ResNet-20's 12 prunable groups (16, 16, 16, 16, 32, ..., 64 wide). */
    private static final int[] KEEP = {12, 10, 9, 11, 20, 24, 19, 21, 40, 48, 44, 41};

    private NarrowResNet20() {
    }

    /**
     * The chn_mask that narrows ResNet-20 (prunable group widths {@code widths}) to this network:
     * the leading channels of each group, or as many channels at shuffled places.
     */
    static List<List<Integer>> mask(List<Integer> widths, boolean shuffled) {
        List<List<Integer>> mask = new ArrayList<>();
        for (int g = 0; g < widths.size(); g++) {
            List<Integer> m = new ArrayList<>();
            for (int c = 0; c < widths.get(g); c++) {
                m.add(c < KEEP[g] ? 1 : 0);
            }
            if (shuffled) {
                Collections.shuffle(m, new Random(g));
            }
            mask.add(m);
        }
        return mask;
    }

    static SearchSpace space() {
        return SeedSpaces.text("""
                search_space:
                  modules: [resnet]
                  resnet:
                    type: ResNet
                    depth: 20
                    init_plane: 12
                    items:
                      inchannel: [12, 12, 12, 12, 24, 24, 24, 48, 48]
                      outchannel: [12, 12, 12, 24, 24, 24, 48, 48, 48]
                      inner_plane: [10, 9, 11, 20, 19, 21, 40, 44, 41]
                      stride: [1, 1, 1, 2, 1, 1, 2, 1, 1]
                """);
    }
}
