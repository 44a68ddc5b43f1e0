package dev.rtm.plugins.lstm;

import ai.djl.engine.Engine;
import java.util.concurrent.Callable;

/**
 * Access to DJL's PyTorch engine from inside a plugin. DJL finds its engine and the native
 * library through the thread's context class loader, which in a plugin host is the host's, so
 * every DJL call runs with the context class loader set to this plugin's. Never downloads:
 * {@code ai.djl.offline} is forced on, and a missing native library is one clear error.
 */
final class Djl {

    private static volatile Engine engine;

    private Djl() {
    }

    /** Runs {@code work} with this plugin's class loader as the context class loader. */
    static <T> T call(Callable<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Djl.class.getClassLoader());
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * The PyTorch engine, loaded once per JVM (its native library can be loaded only once).
     *
     * @param threads intra-op threads for PyTorch, applied by the first call in the JVM
     * @throws IllegalStateException with one line saying what is missing
     */
    static Engine engine(int threads) {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Djl.class) {
            if (engine == null) {
                System.setProperty("ai.djl.offline", "true");
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                try {
                    engine = call(() -> Engine.getEngine("PyTorch"));
                } catch (RuntimeException | LinkageError ex) {
                    Throwable root = ex;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    throw new IllegalStateException("the PyTorch native library could not be loaded (the lstm plugin "
                            + "ships linux-x86_64 CPU builds only, and never downloads): " + root.getMessage(), ex);
                }
            }
            return engine;
        }
    }
}
