package org.autoreg.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusCatalogTest {
    @TempDir
    Path tmp;

    static Path sharedData() {
        String prop = System.getProperty("autoreg.shared", "../shared");
        Path data = Path.of(prop).resolve("data").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(data), "skipped: " + data + " is absent (../shared is not beside this checkout)");
        return data;
    }

    @Test
    void theMirrorCopyIsVerifiedAndUsed() {
        Path data = sharedData();
        CorpusCatalog cat = new CorpusCatalog(CorpusCatalog.BUILT_IN, tmp.resolve("cache"), data);
        Path p = cat.resolve("tinyshakespeare");
        assertEquals(data.resolve("tinyshakespeare.txt"), p);
        assertFalse(Files.exists(tmp.resolve("cache")), "nothing downloaded or copied");
        assertEquals(data.resolve("gutenberg-39-books.txt"), cat.resolve("gutenberg-39-books"));
    }

    @Test
    void offlineWithoutMirrorSaysHowToPassACorpus() {
        Corpus unreachable = new Corpus("tiny", "tiny.txt", "http://127.0.0.1:1/tiny.txt", "00", 1, "test");
        CorpusCatalog cat = new CorpusCatalog(List.of(unreachable), tmp.resolve("cache"), null);
        CorpusUnavailableException e = assertThrows(CorpusUnavailableException.class, () -> cat.resolve("tiny"));
        assertTrue(e.getMessage().contains("--corpus FILE"), e.getMessage());
        assertTrue(e.getMessage().contains(CorpusCatalog.MIRROR_ENV), e.getMessage());
        assertTrue(e.getMessage().contains("http://127.0.0.1:1/tiny.txt"), e.getMessage());

        CorpusUnavailableException unknown = assertThrows(CorpusUnavailableException.class, () -> cat.resolve("nope"));
        assertTrue(unknown.getMessage().contains("unknown corpus 'nope'") && unknown.getMessage().contains("tiny"));

        CorpusCatalog mirrorOnly = new CorpusCatalog(CorpusCatalog.BUILT_IN, tmp.resolve("cache"), tmp);
        CorpusUnavailableException noMirrorFile = assertThrows(CorpusUnavailableException.class,
                () -> mirrorOnly.resolve("gutenberg-39-books"));
        assertTrue(noMirrorFile.getMessage().contains("cannot be downloaded"), noMirrorFile.getMessage());
    }

    @Test
    void downloadsAreVerifiedAndAtomic() throws IOException {
        byte[] good = "to be or not to be\n".getBytes(StandardCharsets.UTF_8);
        byte[][] serve = {good};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/c.txt", ex -> {
            ex.sendResponseHeaders(200, serve[0].length);
            ex.getResponseBody().write(serve[0]);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/c.txt";
            Path probe = Files.write(tmp.resolve("probe"), good);
            Corpus c = new Corpus("c", "c.txt", url, CorpusCatalog.sha256(probe), good.length, "test");
            Path cache = tmp.resolve("cache");

            serve[0] = "tampered\n".getBytes(StandardCharsets.UTF_8);
            CorpusCatalog cat = new CorpusCatalog(List.of(c), cache, null);
            CorpusUnavailableException bad = assertThrows(CorpusUnavailableException.class, () -> cat.resolve("c"));
            assertTrue(bad.getMessage().contains("SHA-256") && bad.getMessage().contains("nothing was saved"),
                    bad.getMessage());
            assertFalse(Files.exists(cache.resolve("c.txt")));
            try (var files = Files.list(cache)) {
                assertEquals(0, files.count(), "no partial file left");
            }

            serve[0] = good;
            Path got = cat.resolve("c");
            assertEquals(cache.resolve("c.txt"), got);
            assertEquals("to be or not to be\n", Files.readString(got));

            Files.writeString(got, "damaged");
            CorpusUnavailableException damaged = assertThrows(CorpusUnavailableException.class, () -> cat.resolve("c"));
            assertTrue(damaged.getMessage().contains("delete it to download again"), damaged.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
