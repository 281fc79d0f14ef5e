package io.depproxy.accelerator.support;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback upstream that serves one blob per path with a chosen fault, written at the TCP level so that it can do
 * what a well-behaved HTTP server cannot: close or reset (RST) the connection mid-body, stall, flip a byte, announce a
 * Content-Length the body does not have, throttle, or answer an error status before any body. Every answer closes
 * its connection afterwards. Counts the GETs per path.
 */
public final class FaultyUpstream {
    private static final int PIECE = 16 * 1024;
    private static final long TICK_MS = 50;

    /**
     * What goes wrong. {@code status} other than 200 answers that status with a small JSON error and no blob;
     * otherwise the blob is sent (announcing {@code announcedLength}, or its real length when negative), at most
     * {@code bytesPerSecond} (0: as fast as possible), pausing {@code stall} once {@code stallAfter} bytes are out,
     * with the byte at {@code corruptAt} flipped, and cut off after {@code cutAfter} bytes (closed, or reset).
     */
    public record Fault(int status, Map<String, String> headers, long announcedLength, long cutAfter, boolean reset,
                        long stallAfter, Duration stall, long corruptAt, long bytesPerSecond) {
        public static Fault none() {
            return new Fault(200, Map.of(), -1, -1, false, -1, Duration.ZERO, -1, 0);
        }

        public static Fault status(int status, String... headerPairs) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.put(headerPairs[i], headerPairs[i + 1]);
            }
            return new Fault(status, headers, -1, -1, false, -1, Duration.ZERO, -1, 0);
        }

        /** Closes the connection (FIN) after {@code bytes} of the body. */
        public Fault truncateAfter(long bytes) {
            return new Fault(status, headers, announcedLength, bytes, false, stallAfter, stall, corruptAt, bytesPerSecond);
        }

        /** Resets the connection (RST) after {@code bytes} of the body. */
        public Fault resetAfter(long bytes) {
            return new Fault(status, headers, announcedLength, bytes, true, stallAfter, stall, corruptAt, bytesPerSecond);
        }

        public Fault stallAfter(long bytes, Duration pause) {
            return new Fault(status, headers, announcedLength, cutAfter, reset, bytes, pause, corruptAt, bytesPerSecond);
        }

        public Fault corruptByte(long index) {
            return new Fault(status, headers, announcedLength, cutAfter, reset, stallAfter, stall, index, bytesPerSecond);
        }

        /** Sends {@code Content-Length: length} whatever the body's real length. */
        public Fault announce(long length) {
            return new Fault(status, headers, length, cutAfter, reset, stallAfter, stall, corruptAt, bytesPerSecond);
        }

        public Fault throttle(long perSecond) {
            return new Fault(status, headers, announcedLength, cutAfter, reset, stallAfter, stall, corruptAt, perSecond);
        }
    }

    private record Route(Buffer blob, Fault fault) {
    }

    private final Vertx vertx;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    private NetServer server;
    private volatile Future<?> bodiesHeldUntil = Future.succeededFuture();

    private FaultyUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    public static FaultyUpstream start(Vertx vertx) {
        FaultyUpstream upstream = new FaultyUpstream(vertx);
        upstream.server = Await.result(vertx.createNetServer().connectHandler(upstream::accept).listen(0, "127.0.0.1"));
        return upstream;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** From now on each 200's body waits, after its head went out, until {@code gate} completes. */
    public void holdBodiesUntil(Future<?> gate) {
        bodiesHeldUntil = gate;
    }

    public void serve(String path, Buffer blob, Fault fault) {
        routes.put(path, new Route(blob, Objects.requireNonNull(fault)));
    }

    public int gets(String path) {
        AtomicInteger count = gets.get(path);
        return count == null ? 0 : count.get();
    }

    private void accept(NetSocket socket) {
        Buffer received = Buffer.buffer();
        socket.handler(data -> {
            String request = received.appendBuffer(data).toString(StandardCharsets.ISO_8859_1);
            if (!request.contains("\r\n\r\n")) {
                return;
            }
            socket.handler(null);
            String[] requestLine = request.split("\r\n", 2)[0].split(" ");
            String path = requestLine.length > 1 ? requestLine[1].split("\\?", 2)[0] : "/";
            if (requestLine[0].equals("GET")) {
                gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            answer(socket, routes.get(path));
        });
    }

    private void answer(NetSocket socket, Route route) {
        if (route == null || route.fault().status() != 200) {
            int status = route == null ? 404 : route.fault().status();
            String body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"fault " + status + "\"}]}";
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Fault\r\nContent-Type: application/json\r\n");
            if (route != null) {
                route.fault().headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            }
            head.append("Content-Length: ").append(body.length()).append("\r\nConnection: close\r\n\r\n").append(body);
            socket.write(head.toString()).onComplete(ar -> socket.close());
            return;
        }
        Fault fault = route.fault();
        long announced = fault.announcedLength() >= 0 ? fault.announcedLength() : route.blob().length();
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + announced
                + "\r\nConnection: close\r\n\r\n";
        Context context = vertx.getOrCreateContext();
        Future<?> gate = bodiesHeldUntil;
        socket.write(head).compose(v -> gate)
                .onComplete(ar -> context.runOnContext(v -> new Sender(socket, route.blob(), fault).next()));
    }

    /** Sends the body piece by piece, applying the fault, at the pace the socket and the throttle allow. */
    private final class Sender {
        private final NetSocket socket;
        private final Buffer blob;
        private final Fault fault;
        private final long end;
        private final long perTick;
        private long position;
        private boolean stalled;
        private Future<Void> lastWrite = Future.succeededFuture();

        Sender(NetSocket socket, Buffer blob, Fault fault) {
            this.socket = socket;
            this.blob = blob;
            this.fault = fault;
            this.end = fault.cutAfter() >= 0 ? Math.min(fault.cutAfter(), blob.length()) : blob.length();
            this.perTick = fault.bytesPerSecond() > 0 ? Math.max(1, fault.bytesPerSecond() * TICK_MS / 1000) : PIECE;
        }

        void next() {
            if (position >= end) {
                finish();
                return;
            }
            if (!stalled && fault.stallAfter() >= 0 && position >= fault.stallAfter()) {
                stalled = true;
                vertx.setTimer(Math.max(1, fault.stall().toMillis()), id -> next());
                return;
            }
            long limit = fault.stallAfter() > position && !stalled ? Math.min(end, fault.stallAfter()) : end;
            int length = (int) Math.min(Math.min(PIECE, perTick), limit - position);
            Buffer piece = blob.getBuffer((int) position, (int) position + length);
            if (fault.corruptAt() >= position && fault.corruptAt() < position + length) {
                int at = (int) (fault.corruptAt() - position);
                piece.setByte(at, (byte) ~piece.getByte(at));
            }
            position += length;
            lastWrite = socket.write(piece);
            if (fault.bytesPerSecond() > 0) {
                vertx.setTimer(TICK_MS, id -> next());
            } else if (socket.writeQueueFull()) {
                socket.drainHandler(v -> {
                    socket.drainHandler(null);
                    next();
                });
            } else {
                vertx.runOnContext(v -> next());
            }
        }

        private void finish() {
            lastWrite.onComplete(ar -> close());
        }

        private void close() {
            if (fault.reset()) {
                Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
                channel.eventLoop().execute(() -> {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    channel.close();
                });
            } else {
                socket.end();
            }
        }
    }
}
