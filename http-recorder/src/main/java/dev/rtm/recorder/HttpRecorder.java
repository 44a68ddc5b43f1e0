package dev.rtm.recorder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local HTTP server that records every request and answers by a script: a stand-in for Slack,
 * PagerDuty and webhook receivers in tests, and the server behind {@code rtm dev-receiver}.
 *
 * <pre>{@code
 * try (HttpRecorder slack = HttpRecorder.start()) {
 *     slack.respond(Reply.tooManyRequests(Duration.ofSeconds(7)));   // every request from now on
 *     slack.respondOnce(Reply.serverError());                        // only the next one, first
 *     ... send to slack.url("/hook") ...
 *     RecordedRequest r = slack.awaitRequests(1, Duration.ofSeconds(5)).get(0);
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 only. Answers are decided per request, in order: the queue filled
 * by {@link #respondOnce}, then the script set by {@link #respond} or {@link #script} (200
 * {@code ok} until one is set). The script can be changed at any time, from any thread. A
 * {@link Reply#hang()} answer keeps the request open until {@link #close()}. Every request is
 * recorded (and passed to the {@link #onRequest} listeners) before it is answered, so a test that
 * waits for a request never races the reply. Waiting methods take a deadline and never sleep.
 */
public final class HttpRecorder implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<Reply> once = new ArrayDeque<>();
    private final List<Consumer<RecordedRequest>> listeners = new CopyOnWriteArrayList<>();
    private volatile Function<RecordedRequest, Reply> script = r -> Reply.ok("ok");

    private HttpRecorder(int port) throws IOException {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-recorder-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a recorder on a free port of 127.0.0.1. */
    public static HttpRecorder start() throws IOException {
        return new HttpRecorder(0);
    }

    /** Starts a recorder on the given port of 127.0.0.1 (0 for a free one). */
    public static HttpRecorder start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        return new HttpRecorder(port);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Its base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The URL of a path on it, e.g. {@code url("/hook")}. */
    public String url(String path) {
        return uri() + (path.startsWith("/") ? path : "/" + path);
    }

    /** Answers every following request with {@code reply} (after any {@link #respondOnce} queue). */
    public HttpRecorder respond(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        return script(r -> reply);
    }

    /** Answers every following request by calling {@code script} with it (e.g. by path). */
    public HttpRecorder script(Function<RecordedRequest, Reply> script) {
        this.script = Objects.requireNonNull(script, "script");
        return this;
    }

    /** Answers the next requests with these replies, in order, before the script applies again. */
    public HttpRecorder respondOnce(Reply... replies) {
        synchronized (lock) {
            once.addAll(List.of(replies));
        }
        return this;
    }

    /** Calls {@code listener} with every request as it arrives (on the server's thread). */
    public HttpRecorder onRequest(Consumer<RecordedRequest> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the requests received so far (the script stays). */
    public void clear() {
        synchronized (lock) {
            requests.clear();
        }
    }

    /**
     * Waits until at least {@code n} requests have arrived and returns the first {@code n}.
     *
     * @throws AssertionError naming what did arrive when the deadline passes first
     */
    public List<RecordedRequest> awaitRequests(int n, Duration timeout) throws InterruptedException {
        List<RecordedRequest> all = await(list -> list.size() >= n, timeout,
                () -> "expected " + n + " requests");
        return all.subList(0, n);
    }

    /**
     * Waits until a request that matches arrives (or has arrived) and returns the first such.
     *
     * @throws AssertionError naming what did arrive when the deadline passes first
     */
    public RecordedRequest awaitRequest(Predicate<RecordedRequest> matching, Duration timeout)
            throws InterruptedException {
        List<RecordedRequest> all = await(list -> list.stream().anyMatch(matching), timeout,
                () -> "expected a matching request");
        return all.stream().filter(matching).findFirst().orElseThrow();
    }

    /**
     * Waits until {@code condition} holds on the requests received so far, and returns them.
     *
     * @throws AssertionError naming what did arrive when the deadline passes first
     */
    public List<RecordedRequest> await(Predicate<List<RecordedRequest>> condition, Duration timeout,
                                       java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                List<RecordedRequest> now = List.copyOf(requests);
                if (condition.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(what.get() + " within " + timeout + ", got " + now.size() + ": " + now);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getPath(),
                    uri.getRawQuery(), exchange.getRequestHeaders(), body, Instant.now());
            Reply reply;
            synchronized (lock) {
                requests.add(request);
                reply = once.poll();
                lock.notifyAll();
            }
            for (Consumer<RecordedRequest> listener : listeners) {
                listener.accept(request);
            }
            if (reply == null) {
                try {
                    reply = script.apply(request);
                } catch (RuntimeException e) {
                    reply = Reply.status(500, "recorder script failed: " + e);
                }
            }
            if (reply.hangs()) {
                closed.await();
                return;
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] out = reply.body();
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            // the client went away (e.g. it timed out on a hanging reply): nothing to answer
        }
    }

    /** Releases hanging requests, stops the server and its threads. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "HttpRecorder[" + uri() + "]";
    }
}
