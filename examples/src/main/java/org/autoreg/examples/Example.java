package org.autoreg.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of the progression: a small program that uses the real modules and shows, in numbers
 * and pictures, the idea it teaches.
 */
interface Example {
    /** The name used on the command line. */
    String name();

    /** One line: what it teaches. */
    String summary();

    /** Runs the example: prints to {@code ctx.out()}, writes pictures to {@code ctx.dir()}. */
    Result run(Context ctx) throws IOException;

    /**
     * Where and how an example runs.
     *
     * @param dir    the output folder for its pictures
     * @param text   finds the text corpus (tinyshakespeare by default) when an example needs it
     * @param scale  1 for the default (under two minutes), larger for bigger runs, smaller in tests
     */
    record Context(Path dir, PrintStream out, Corpus text, long seed, double scale) {
        /** The corpus file (located, or downloaded into the cache, on first use). */
        Path corpus() throws IOException {
            return text.path();
        }

        int scaled(int n) {
            return Math.max(1, (int) Math.round(n * scale));
        }
    }

    /** Where the text comes from. */
    @FunctionalInterface
    interface Corpus {
        Path path() throws IOException;
    }

    /** What an example measured (for its test) and the pictures it wrote. */
    final class Result {
        final Map<String, Object> values = new LinkedHashMap<>();
        final List<Path> pictures = new ArrayList<>();

        Result put(String key, Object value) {
            values.put(key, value);
            return this;
        }

        Result picture(Path p) {
            pictures.add(p);
            return this;
        }

        double number(String key) {
            return ((Number) values.get(key)).doubleValue();
        }

        Object get(String key) {
            return values.get(key);
        }
    }
}
