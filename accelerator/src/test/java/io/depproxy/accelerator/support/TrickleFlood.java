package io.depproxy.accelerator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many raw TCP clients driven by one thread (a selector, not a thread per socket): each connects, sends a prefix (an
 * unfinished request head, or a head announcing a body it never finishes), then trickles one byte per tick until the
 * server closes it. Records when each connected, when the server closed it (end of stream or reset), and the first
 * bytes the server sent.
 */
public final class TrickleFlood implements AutoCloseable {
    private static final int KEEP_RECEIVED = 512;

    private final List<Peer> peers;
    private final Selector selector;
    private final boolean trickles;
    private final long tickNanos;
    private final Thread loop;
    private volatile boolean stopped;

    private TrickleFlood(List<Peer> peers, Selector selector, Duration tick) {
        this.peers = peers;
        this.selector = selector;
        this.trickles = tick != null;
        this.tickNanos = tick == null ? 0 : tick.toNanos();
        this.loop = new Thread(this::run, "trickle-flood");
        loop.setDaemon(true);
    }

    /**
     * Connects {@code count} clients to 127.0.0.1:{@code port}, sends each {@code prefix}, then one byte ({@code a})
     * every {@code tick} ({@code null}: none) to each one still open.
     */
    public static TrickleFlood start(int port, int count, String prefix, Duration tick) {
        try {
            Selector selector = Selector.open();
            List<Peer> peers = new ArrayList<>();
            byte[] head = prefix.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
                Peer peer = new Peer(channel, System.nanoTime());
                writeFully(channel, head);
                channel.register(selector, SelectionKey.OP_READ, peer);
                peers.add(peer);
            }
            TrickleFlood flood = new TrickleFlood(List.copyOf(peers), selector, tick);
            flood.loop.start();
            return flood;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clients the server has not closed yet. */
    public int open() {
        return (int) peers.stream().filter(peer -> peer.closedNanos == 0).count();
    }

    /** Clients the server has sent something to (closed or not). */
    public int answered() {
        return (int) peers.stream().filter(peer -> peer.receivedBytes > 0).count();
    }

    /** For every client the server closed: how long after it connected. */
    public List<Duration> lifetimes() {
        return peers.stream().filter(peer -> peer.closedNanos != 0)
                .map(peer -> Duration.ofNanos(peer.closedNanos - peer.connectedNanos)).toList();
    }

    /** What the server sent each client it closed, before closing it (first bytes, ISO-8859-1). */
    public List<String> answers() {
        return peers.stream().filter(peer -> peer.closedNanos != 0).map(peer -> peer.answer).toList();
    }

    @Override
    public void close() {
        stopped = true;
        selector.wakeup();
        try {
            loop.join(5000);
            for (Peer peer : peers) {
                peer.channel.close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (!stopped) {
                selector.select(Math.max(1, Math.min(50, (nextTick - System.nanoTime()) / 1_000_000)));
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Peer) key.attachment(), buffer);
                }
                selector.selectedKeys().clear();
                if (trickles && System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + tickNanos;
                    peers.stream().filter(peer -> peer.closedNanos == 0).forEach(this::trickle);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(Peer peer, ByteBuffer buffer) {
        buffer.clear();
        try {
            int read = peer.channel.read(buffer);
            if (read < 0) {
                closedByServer(peer);
            } else {
                peer.receivedBytes += read;
                if (peer.received.length() < KEEP_RECEIVED) {
                    peer.received.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            closedByServer(peer);
        }
    }

    private void trickle(Peer peer) {
        try {
            peer.channel.write(ByteBuffer.wrap(new byte[] {'a'}));
        } catch (IOException e) {
            closedByServer(peer);
        }
    }

    private static void closedByServer(Peer peer) {
        if (peer.closedNanos == 0) {
            peer.answer = peer.received.toString();
            peer.closedNanos = System.nanoTime();
            try {
                peer.channel.close();
            } catch (IOException ignored) {
                // closing our end of a connection the server already closed
            }
        }
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static final class Peer {
        private final SocketChannel channel;
        private final long connectedNanos;
        private final StringBuilder received = new StringBuilder();
        private volatile long closedNanos;
        private volatile long receivedBytes;
        private volatile String answer = "";

        private Peer(SocketChannel channel, long connectedNanos) {
            this.channel = channel;
            this.connectedNanos = connectedNanos;
        }
    }
}
