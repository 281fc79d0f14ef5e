package io.depproxy.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The smallest valid ustar archive: one regular file of random bytes. */
final class TarWriter {
    private static final int BLOCK = 512;

    private TarWriter() {
    }

    static void writeSingleFile(OutputStream out, String name, long size, Random random) throws IOException {
        out.write(header(name, size));
        byte[] chunk = new byte[1 << 16];
        long remaining = size;
        while (remaining > 0) {
            random.nextBytes(chunk);
            int n = (int) Math.min(chunk.length, remaining);
            out.write(chunk, 0, n);
            remaining -= n;
        }
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[padding + 2 * BLOCK]);
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1_767_225_600L));
        h[156] = '0';
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum));
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }
}
