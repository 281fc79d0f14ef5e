package io.depproxy.localrunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The secrets the embedded runner generates once and keeps in the data directory (owner-only files), so a
 * restart reuses them: the internal HS256 secret, the control plane's encryption key, the bootstrap admin token,
 * the registry-token signing key and the S3 keys.
 */
public final class LocalSecrets {

    public static final String INTERNAL_SECRET = "internal-secret";
    public static final String ENCRYPTION_KEY = "encryption-key";
    public static final String ADMIN_TOKEN = "admin-token";
    public static final String JWT_PRIVATE_KEY = "jwt-private-key.pem";
    public static final String JWT_PUBLIC_KEY = "jwt-public-key.pem";
    public static final String CREDENTIALS = "credentials.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final Path dir;

    public LocalSecrets(Path dataDir) {
        this.dir = dataDir;
    }

    /** The file holding 32 random bytes, base64 (DP_INTERNAL_SECRET_FILE). */
    public Path internalSecretFile() {
        Path file = dir.resolve(INTERNAL_SECRET);
        readOrCreate(file, LocalSecrets::newInternalSecret);
        return file;
    }

    /** The control plane's own 32 random bytes, base64 (DP_ENCRYPTION_KEY_FILE): it encrypts upstream secrets. */
    public Path encryptionKeyFile() {
        Path file = dir.resolve(ENCRYPTION_KEY);
        readOrCreate(file, LocalSecrets::newInternalSecret);
        return file;
    }

    /** {@code dpat-} followed by 32 URL-safe random characters (DP_ADMIN_TOKEN). */
    public String adminToken() {
        return readOrCreate(dir.resolve(ADMIN_TOKEN), LocalSecrets::newAdminToken).trim();
    }

    /** An RSA 2048 private key, PKCS#8 PEM (DP_JWT_PRIVATE_KEY_FILE); its public key is written beside it. */
    public Path jwtPrivateKeyFile() {
        Path file = dir.resolve(JWT_PRIVATE_KEY);
        if (!Files.isRegularFile(file)) {
            KeyPair pair = newRsaKeyPair();
            writePrivate(dir.resolve(JWT_PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            writePrivate(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }
        return file;
    }

    /** The embedded S3 server's keys, from {@code credentials.properties}. */
    public S3Credentials s3Credentials() {
        Path file = dir.resolve(CREDENTIALS);
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        String accessKey = properties.getProperty("s3.access-key");
        String secretKey = properties.getProperty("s3.secret-key");
        if (accessKey == null || secretKey == null) {
            accessKey = S3Server.randomKey(20);
            secretKey = S3Server.randomKey(40);
            properties.setProperty("s3.access-key", accessKey);
            properties.setProperty("s3.secret-key", secretKey);
            StringWriter text = new StringWriter();
            try {
                properties.store(text, "embedded S3 server keys (DP_S3_ACCESS_KEY / DP_S3_SECRET_KEY)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writePrivate(file, text.toString());
        }
        return new S3Credentials(accessKey, secretKey);
    }

    /** The embedded S3 server's access and secret key. */
    public record S3Credentials(String accessKey, String secretKey) {
    }

    static String newInternalSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String newAdminToken() {
        StringBuilder token = new StringBuilder("dpat-");
        for (int i = 0; i < 32; i++) {
            token.append(URL_SAFE.charAt(RANDOM.nextInt(URL_SAFE.length())));
        }
        return token.toString();
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String value = generator.get();
        writePrivate(file, value);
        return value;
    }

    /** Writes via a temporary file and an atomic move, readable by the owner only where POSIX allows. */
    static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
