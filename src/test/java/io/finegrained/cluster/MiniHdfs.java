package io.finegrained.cluster;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for one test class: a {@link MiniDFSCluster} with one NameNode and one DataNode on
 * loopback, its storage under the class's temporary folder. One replica, as one DataNode holds.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final String uri;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
        this.uri = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    public static MiniHdfs start(Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.replication", "1");
        long start = System.nanoTime();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        MiniHdfs hdfs = new MiniHdfs(cluster);
        System.err.printf(Locale.ROOT, "MiniDFSCluster at %s in %.1f s%n", hdfs.uri, (System.nanoTime() - start) / 1e9);
        return hdfs;
    }

    /** {@code hdfs://127.0.0.1:<port>}. */
    public String uri() {
        return uri;
    }

    public DistributedFileSystem fs() throws java.io.IOException {
        return cluster.getFileSystem();
    }

    /** The NameNode's lease limits: after {@code softMillis} without a renewal another client may recover a lease. */
    public void leasePeriod(long softMillis, long hardMillis) {
        cluster.setLeasePeriod(softMillis, hardMillis);
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
