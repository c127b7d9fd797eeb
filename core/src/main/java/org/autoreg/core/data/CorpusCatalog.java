package org.autoreg.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.autoreg.tokenizer.io.AtomicFiles;

/**
 * The corpora autoreg can fetch by name, and where to find them: a local mirror directory (for
 * machines without network, and for tests), the download cache, or the canonical URL. Every file
 * is checked against its SHA-256 before use.
 *
 * <pre>{@code
 * Path text = CorpusCatalog.fromEnvironment().resolve("tinyshakespeare");
 * }</pre>
 *
 * @param corpora   the known corpora
 * @param cacheDir  where downloads are kept ({@code $AUTOREG_CACHE/corpora}, default {@code ~/.cache/autoreg/corpora})
 * @param mirrorDir a directory holding corpus files under their {@code fileName}, or null
 *                  ({@code $AUTOREG_DATA_MIRROR})
 */
public record CorpusCatalog(List<Corpus> corpora, Path cacheDir, Path mirrorDir) {
    /** Environment variable naming a mirror directory. */
    public static final String MIRROR_ENV = "AUTOREG_DATA_MIRROR";
    /** Environment variable naming the cache root. */
    public static final String CACHE_ENV = "AUTOREG_CACHE";

    /** Karpathy's char-rnn tinyshakespeare, the default corpus (nanoGPT's shakespeare_char). */
    public static final Corpus TINY_SHAKESPEARE = new Corpus("tinyshakespeare", "tinyshakespeare.txt",
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394,
            "40,000 lines of Shakespeare (karpathy/char-rnn; public domain)");

    /** 5.57 M words of lowercased Gutenberg books for word2vec; prepared for autoreg, so mirror-only. */
    public static final Corpus GUTENBERG_39 = new Corpus("gutenberg-39-books", "gutenberg-39-books.txt", null,
            "b3cfb33876cb23c40731144ea7c5d9c6724c71e27d45f80d5e5836a2371909ac", 29_345_708,
            "tinyshakespeare + 38 Project Gutenberg books, lowercased [a-z0-9]+ tokens (mirror only)");

    /** The built-in catalogue. */
    public static final List<Corpus> BUILT_IN = List.of(TINY_SHAKESPEARE, GUTENBERG_39);

    public CorpusCatalog {
        corpora = List.copyOf(corpora);
    }

    /** The built-in catalogue with the cache and mirror named by the environment. */
    public static CorpusCatalog fromEnvironment() {
        String cache = System.getenv(CACHE_ENV);
        Path cacheRoot = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "autoreg");
        String mirror = System.getenv(MIRROR_ENV);
        return new CorpusCatalog(BUILT_IN, cacheRoot.resolve("corpora"),
                mirror != null && !mirror.isBlank() ? Path.of(mirror) : null);
    }

    /** The same catalogue reading from {@code mirror} (null keeps the current one). */
    public CorpusCatalog withMirror(Path mirror) {
        return mirror == null ? this : new CorpusCatalog(corpora, cacheDir, mirror);
    }

    /** The corpus called {@code name}. */
    public Corpus corpus(String name) {
        return corpora.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new CorpusUnavailableException("unknown corpus '" + name + "'; known: "
                        + corpora.stream().map(Corpus::name).collect(Collectors.joining(", "))
                        + " (or pass --corpus FILE)"));
    }

    /**
     * What a {@code corpus} setting names: a file path as given (when it exists, or looks like a
     * path: a '/' or a '.'), else the catalogue corpus of that name, resolved as {@link #resolve(String)}.
     */
    public Path fileOrCorpus(String corpus) {
        Path p = Path.of(corpus);
        if (Files.exists(p) || corpus.contains("/") || corpus.contains(".")) {
            return p;
        }
        return resolve(corpus);
    }

    /** The local path of the corpus called {@code name}, downloading it if needed. */
    public Path resolve(String name) {
        return resolve(corpus(name));
    }

    /**
     * The local path of {@code corpus}: the mirror's copy if there is one, else the cached
     * download, else a fresh download into the cache (atomically, checksum verified).
     */
    public Path resolve(Corpus corpus) {
        if (mirrorDir != null) {
            Path m = mirrorDir.resolve(corpus.fileName());
            if (Files.isRegularFile(m)) {
                verify(corpus, m, "the mirror copy");
                return m;
            }
        }
        Path cached = cacheDir.resolve(corpus.fileName());
        if (Files.isRegularFile(cached)) {
            verify(corpus, cached, "the cached copy");
            return cached;
        }
        String mirrorNote = mirrorDir == null ? "" : " (the mirror " + mirrorDir + " has no " + corpus.fileName() + ")";
        if (corpus.url() == null) {
            throw new CorpusUnavailableException(corpus.name() + " cannot be downloaded; it comes from a mirror"
                    + mirrorNote + ". Point " + MIRROR_ENV + " (or --data-mirror DIR) at a directory holding "
                    + corpus.fileName() + ", or pass --corpus FILE.");
        }
        try {
            download(corpus, cached);
        } catch (IOException e) {
            throw new CorpusUnavailableException("cannot download " + corpus.name() + " from " + corpus.url() + " ("
                    + describe(e) + ")" + mirrorNote + ". If this machine is offline, pass --corpus FILE to use a "
                    + "local copy, or point " + MIRROR_ENV + " (or --data-mirror DIR) at a directory holding "
                    + corpus.fileName() + ".", e);
        }
        return cached;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? kind : kind + ": " + m;
    }

    private void download(Corpus corpus, Path target) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(corpus.url())).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new IOException("HTTP " + resp.statusCode());
        }
        MessageDigest sha = sha256();
        String[] actual = new String[1];
        try (InputStream body = new DigestInputStream(resp.body(), sha)) {
            AtomicFiles.write(target, out -> {
                copy(body, out);
                actual[0] = HexFormat.of().formatHex(sha.digest());
                if (!actual[0].equals(corpus.sha256())) {
                    throw new CorpusUnavailableException("the download of " + corpus.name() + " from " + corpus.url()
                            + " has SHA-256 " + actual[0] + ", expected " + corpus.sha256()
                            + "; the file at that address changed or was damaged — nothing was saved");
                }
            });
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void verify(Corpus corpus, Path file, String what) {
        String actual;
        try {
            actual = sha256(file);
        } catch (IOException e) {
            throw new CorpusUnavailableException("cannot read " + what + " of " + corpus.name() + " at " + file + ": "
                    + e.getMessage(), e);
        }
        if (!actual.equals(corpus.sha256())) {
            throw new CorpusUnavailableException(what + " of " + corpus.name() + " at " + file + " has SHA-256 " + actual
                    + ", expected " + corpus.sha256() + "; it is a different or damaged file — delete it to download "
                    + "again, or pass --corpus FILE to use it anyway");
        }
    }
}
