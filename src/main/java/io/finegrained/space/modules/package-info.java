/**
 * The built-in module types: operators (pure shape and count rules), stems, residual blocks,
 * {@code Repeat}, {@code BasicLayer}, heads and whole ResNets. Every type is stateless and
 * thread-safe; composites only describe (they return {@link io.finegrained.space.ModuleSpec}s),
 * they never build DJL blocks. {@link io.finegrained.space.modules.AbstractModule},
 * {@link io.finegrained.space.modules.Specs} and {@link io.finegrained.space.modules.Widths} are
 * public helpers for user modules.
 */
package io.finegrained.space.modules;
