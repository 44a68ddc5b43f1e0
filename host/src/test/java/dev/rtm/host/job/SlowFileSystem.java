package dev.rtm.host.job;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * A slow disk for checkpoints, as a Flink file system: {@code slowfile:///dir} is the local
 * {@code /dir}, but while {@link #latencyMillis} is above 0 every file written there takes that long
 * to open and again to close (a disk or network share that answers slowly, as an NFS server under
 * load does). Flink finds it through {@code META-INF/services} ({@link Factory}). A call that is
 * waiting returns as soon as the latency is set back to 0 (the disk caught up), or fails when its
 * thread is interrupted (Flink cancelling the checkpoint's upload).
 */
public final class SlowFileSystem extends LocalFileSystem {

    /** The latency of each file open and close; 0: as fast as the local disk. */
    static volatile long latencyMillis;
    /** Files written while slow. */
    static final AtomicLong slowFiles = new AtomicLong();

    private static final URI URI_ROOT = URI.create("slowfile:///");

    @Override
    public URI getUri() {
        return URI_ROOT;
    }

    @Override
    public FSDataOutputStream create(Path path, WriteMode mode) throws IOException {
        boolean slow = waitOut();
        FSDataOutputStream out = super.create(path, mode);
        if (slow) {
            slowFiles.incrementAndGet();
        }
        return new FSDataOutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public long getPos() throws IOException {
                return out.getPos();
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void sync() throws IOException {
                out.sync();
            }

            @Override
            public void close() throws IOException {
                try {
                    waitOut();
                } finally {
                    out.close();
                }
            }
        };
    }

    /** Waits out the latency (re-read every 10 ms); whether there was any. */
    private static boolean waitOut() throws IOException {
        long start = System.nanoTime();
        boolean slow = false;
        while (latencyMillis > 0 && System.nanoTime() - start < latencyMillis * 1_000_000L) {
            slow = true;
            try {
                Thread.sleep(10); // the disk's latency itself, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("slow disk: interrupted while writing");
            }
        }
        return slow;
    }

    /** Registered in META-INF/services/org.apache.flink.core.fs.FileSystemFactory. */
    public static final class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return "slowfile";
        }

        @Override
        public FileSystem create(URI uri) {
            return new SlowFileSystem();
        }
    }
}
