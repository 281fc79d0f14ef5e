package io.depproxy.e2e;

import io.depproxy.localrunner.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 between the stack and one server (the upstream registry, the object store) that
 * injects what real links do: a bytes-per-second limit in either direction, and a cut (both sides reset) once a
 * connection has answered more than a given number of bytes. Settings apply to open connections at once.
 */
final class FaultyLink implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    private static final long UNLIMITED = 0;

    private final String name;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong requestBytes = new AtomicLong();
    private final AtomicLong responseBytes = new AtomicLong();
    private volatile long responseBytesPerSecond = UNLIMITED;
    private volatile long requestBytesPerSecond = UNLIMITED;
    private volatile long cutAfterResponseBytes = UNLIMITED;
    private volatile boolean hung;

    private FaultyLink(String name, int targetPort, ServerSocket listener) {
        this.name = name;
        this.targetPort = targetPort;
        this.listener = listener;
    }

    /** Listens on a free loopback port and forwards every connection to {@code 127.0.0.1:targetPort}. */
    static FaultyLink to(String name, int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(FreePorts.loopback(), 0));
        FaultyLink link = new FaultyLink(name, targetPort, listener);
        Thread acceptor = new Thread(link::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return link;
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Back to a plain forwarder: no limits, no cut, no hang. */
    void heal() {
        hung = false;
        responseBytesPerSecond = UNLIMITED;
        requestBytesPerSecond = UNLIMITED;
        cutAfterResponseBytes = UNLIMITED;
    }

    /** Limits what the server sends back, per connection. */
    void throttleResponses(long bytesPerSecond) {
        responseBytesPerSecond = bytesPerSecond;
    }

    /** Limits what clients send to the server (request bodies: uploads), per connection. */
    void throttleRequests(long bytesPerSecond) {
        requestBytesPerSecond = bytesPerSecond;
    }

    /** Resets both sides of any connection once it has answered more than {@code bytes} from now on. */
    void cutResponsesAfter(long bytes) {
        connections.forEach(connection -> connection.responseBytes.set(0));
        cutAfterResponseBytes = bytes;
    }

    /** A server that accepts connections and then says nothing: no byte moves either way until {@link #heal()}. */
    void hang() {
        hung = true;
    }

    /** Bytes clients sent through this link to the server so far, over all connections. */
    long requestBytes() {
        return requestBytes.get();
    }

    /** Bytes the server sent back through this link so far, over all connections. */
    long responseBytes() {
        return responseBytes.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(FreePorts.loopback(), targetPort), 5_000);
                } catch (IOException unreachable) {
                    reset(client);
                    continue;
                }
                Connection connection = new Connection(client, server);
                connections.add(connection);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connections.forEach(Connection::cut);
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing left to reset
        }
    }

    private static void pause(long nanos) throws IOException {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing left to close
        }
    }

    /** One forwarded connection: a pump thread for each direction. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final AtomicLong responseBytes = new AtomicLong();

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump("request", client, server, true);
            pump("response", server, client, false);
        }

        private void pump(String direction, Socket from, Socket to, boolean isRequest) {
            Thread thread = new Thread(() -> {
                try {
                    copy(from.getInputStream(), to.getOutputStream(), isRequest);
                    finish();
                } catch (IOException gone) {
                    cut();
                }
            }, name + "-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(InputStream in, OutputStream out, boolean isRequest) throws IOException {
            byte[] buffer = new byte[BUFFER];
            Pacer pacer = new Pacer();
            while (true) {
                long rate = isRequest ? requestBytesPerSecond : responseBytesPerSecond;
                int chunk = rate == UNLIMITED ? BUFFER : (int) Math.max(1, Math.min(BUFFER, rate / 20));
                int n = in.read(buffer, 0, chunk);
                if (n < 0) {
                    return;
                }
                if (!isRequest && cutAfterResponseBytes != UNLIMITED
                        && responseBytes.addAndGet(n) > cutAfterResponseBytes) {
                    cut();
                    throw new SocketException(name + ": cut");
                }
                awaitNotHung();
                out.write(buffer, 0, n);
                out.flush();
                (isRequest ? requestBytes : FaultyLink.this.responseBytes).addAndGet(n);
                pacer.sent(n, rate);
            }
        }

        /** One side is done: HTTP has nothing more to say on this connection, so both close in order. */
        private void finish() {
            connections.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }

        private void awaitNotHung() throws IOException {
            while (hung) {
                pause(20_000_000L);
            }
        }

        void cut() {
            connections.remove(this);
            reset(client);
            reset(server);
        }
    }

    /** Sleeps so that the bytes sent since the rate last changed stay within the rate. */
    private static final class Pacer {
        private long rate = UNLIMITED;
        private long since;
        private long bytes;

        void sent(int n, long currentRate) throws IOException {
            if (currentRate != rate) {
                rate = currentRate;
                since = System.nanoTime();
                bytes = 0;
            }
            if (rate == UNLIMITED) {
                return;
            }
            bytes += n;
            long due = since + bytes * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                pause(wait);
            }
        }
    }
}
