/**
 * {@code VariantLayer}, written and registered exactly as a user module would be (public API,
 * {@code META-INF/services/io.finegrained.space.ModuleType}): the proof that the extension API
 * is enough to write the seed's modules.
 */
package io.finegrained.space.variant;
