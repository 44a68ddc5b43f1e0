package dev.rtm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards TCP connections from a local port to another local port, from the moment it is opened.
 * A test uses it to make a service appear on a port at a chosen instant, already prepared (e.g. a
 * schema registry that already holds a schema), instead of racing the service's start-up.
 */
public final class PortForward implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private PortForward(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::accept, "port-forward-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on 127.0.0.1:{@code port} and forwards each connection to 127.0.0.1:{@code target}. */
    public static PortForward open(int port, int target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new PortForward(server, target);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            sockets.add(in);
            try {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                close(in); // the target refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream source = from.getInputStream();
        OutputStream sink = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = source.read(buf)) >= 0; ) {
                    sink.write(buf, 0, n);
                    sink.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                close(from);
                close(to);
            }
        }, "port-forward-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(PortForward::close);
    }
}
