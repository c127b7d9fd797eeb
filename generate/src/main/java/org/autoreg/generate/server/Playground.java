package org.autoreg.generate.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The playground page served at {@code GET /}: one static HTML file with its script, no build step. */
final class Playground {
    private Playground() {
    }

    static String html() {
        try (InputStream in = Playground.class.getResourceAsStream("playground.html")) {
            if (in == null) {
                throw new IllegalStateException("playground.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
