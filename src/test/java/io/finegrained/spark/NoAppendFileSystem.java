package io.finegrained.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * The local disk under the scheme {@code noappend:}, refusing {@code append} the way S3A does
 * ({@link UnsupportedOperationException}): a real file system without append, for the journal's
 * mirrored scheme. Register with {@code fs.noappend.impl}. It claims append in
 * {@code hasPathCapability} like its parent, so the journal must notice the refusal itself.
 */
public final class NoAppendFileSystem extends RawLocalFileSystem {
    static final URI NAME = URI.create("noappend:///");

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "noappend";
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        throw new UnsupportedOperationException("Append is not supported by " + getClass().getSimpleName());
    }
}
