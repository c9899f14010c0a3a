package io.finegrained.nn;

import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;

/**
 * The ResNet-20 (12/24/48 wide, inner widths 10, 9, 11, 20, 19, 21, 40, 44, 41) that the Prune
 * tests' masks keep: what a masked network must count and compute like.
 */
final class NarrowResNet20 {
    private NarrowResNet20() {
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
