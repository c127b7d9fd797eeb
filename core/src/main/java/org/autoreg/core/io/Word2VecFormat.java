package org.autoreg.core.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.io.AtomicFiles;

/**
 * The word-vector files of the original word2vec C tool, which gensim and most tools read and
 * write: a header line {@code "<words> <dim>\n"}, then per word either
 * <ul>
 * <li>text: {@code word v1 v2 … vdim\n}, values in decimal;</li>
 * <li>binary: {@code word }, then {@code dim} little-endian float32s, then {@code \n}.</li>
 * </ul>
 * Text values are written in the shortest decimal form that reads back to the same float, so both
 * formats round-trip bit for bit. Reading detects the format; a truncated or malformed file is a
 * {@link CorruptFileException} saying where.
 */
public final class Word2VecFormat {
    private Word2VecFormat() {
    }

    /** Words and their vectors: row {@code i} of {@code data} ({@code dim} floats from {@code i·dim}) is word {@code i}'s. */
    public record Vectors(List<String> words, int dim, float[] data) {
        public Vectors {
            words = List.copyOf(words);
            if (dim < 1 || data.length != (long) words.size() * dim) {
                throw new IllegalArgumentException(words.size() + " words × " + dim + " dims do not match " + data.length
                        + " values");
            }
        }

        /**
         * Rows for another vocabulary (e.g. a tokenizer's, to initialise a model's embedding table):
         * row {@code i} is the vector of {@code keys.get(i)} — the exact word, else the first word
         * equal to it ignoring case — or null when there is none.
         */
        public float[][] alignTo(List<String> keys) {
            java.util.Map<String, Integer> index = new java.util.HashMap<>(words.size() * 2);
            java.util.Map<String, Integer> folded = new java.util.HashMap<>(words.size() * 2);
            for (int i = 0; i < words.size(); i++) {
                index.putIfAbsent(words.get(i), i);
                folded.putIfAbsent(words.get(i).toLowerCase(java.util.Locale.ROOT), i);
            }
            float[][] rows = new float[keys.size()][];
            for (int i = 0; i < keys.size(); i++) {
                String k = keys.get(i);
                Integer w = k == null ? null : index.get(k);
                if (w == null && k != null) {
                    w = folded.get(k.toLowerCase(java.util.Locale.ROOT));
                }
                if (w != null) {
                    rows[i] = java.util.Arrays.copyOfRange(data, w * dim, (w + 1) * dim);
                }
            }
            return rows;
        }
    }

    /** Writes {@code v} to {@code file} atomically, in the binary or the text format. */
    public static void write(Path file, Vectors v, boolean binary) throws IOException {
        AtomicFiles.write(file, out -> {
            OutputStream o = new BufferedOutputStream(out, 1 << 16);
            o.write((v.words().size() + " " + v.dim() + "\n").getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(4 * v.dim()).order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < v.words().size(); w++) {
                String word = v.words().get(w);
                int off = w * v.dim();
                if (binary) {
                    o.write(word.getBytes(StandardCharsets.UTF_8));
                    o.write(' ');
                    buf.clear();
                    for (int d = 0; d < v.dim(); d++) {
                        buf.putFloat(v.data()[off + d]);
                    }
                    o.write(buf.array());
                    o.write('\n');
                } else {
                    line.setLength(0);
                    line.append(word);
                    for (int d = 0; d < v.dim(); d++) {
                        line.append(' ').append(Float.toString(v.data()[off + d]));
                    }
                    o.write(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            o.flush();
        });
    }

    /** Reads a text or binary word2vec file (the format is detected). */
    public static Vectors read(Path file) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try (PushbackInputStream in = new PushbackInputStream(buffered, 1)) {
            String countText = token(in, false);
            String dimText = token(in, false);
            int count;
            int dim;
            try {
                count = Integer.parseInt(countText);
                dim = Integer.parseInt(dimText);
            } catch (NumberFormatException e) {
                throw new CorruptFileException(file + ": the first line must be '<number of words> <dimensions>', got '"
                        + countText + " " + dimText + "'; this is not a word2vec vectors file");
            }
            if (count < 0 || dim < 1 || (long) count * dim > Integer.MAX_VALUE - 8) {
                throw new CorruptFileException(file + ": the header says " + count + " words × " + dim
                        + " dimensions, which is not a valid size");
            }
            if (!endOfLine(in)) {
                throw new CorruptFileException(file + ": the header line has more than two numbers");
            }
            boolean binary = looksBinary(buffered, dim); // the pushback slot is empty here
            List<String> words = new ArrayList<>(count);
            float[] data = new float[count * dim];
            byte[] raw = new byte[4 * dim];
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int w = 0; w < count; w++) {
                String word = token(in, true);
                String where = "word " + (w + 1) + " of " + count + (word == null ? "" : " ('" + word + "')");
                if (word == null) {
                    throw new CorruptFileException(file + ": ends at " + where + ", but its header announces " + count
                            + " words; the file is truncated");
                }
                words.add(word);
                if (binary) {
                    if (in.read() != ' ' || in.readNBytes(raw, 0, raw.length) < raw.length) {
                        throw new CorruptFileException(file + ": ends inside the vector of " + where
                                + "; the file is truncated");
                    }
                    buf.rewind();
                    for (int d = 0; d < dim; d++) {
                        data[w * dim + d] = buf.getFloat();
                    }
                } else {
                    for (int d = 0; d < dim; d++) {
                        String t = token(in, false);
                        if (t == null) {
                            throw new CorruptFileException(file + ": " + where + " has " + d + " values, not " + dim
                                    + (in.available() == 0 ? "; the file is truncated" : ""));
                        }
                        try {
                            data[w * dim + d] = Float.parseFloat(t);
                        } catch (NumberFormatException e) {
                            throw new CorruptFileException(file + ": value " + (d + 1) + " of " + where + " is '" + t
                                    + "', not a number");
                        }
                    }
                    if (!endOfLine(in)) {
                        throw new CorruptFileException(file + ": " + where + " has more than " + dim + " values");
                    }
                }
            }
            if (token(in, true) != null) {
                throw new CorruptFileException(file + ": holds more than the " + count + " words its header announces");
            }
            return new Vectors(words, dim, data);
        }
    }

    /**
     * A text file's first record is a word then dim fields on one line, all printable; anything
     * else is binary.
     * Reads ahead without consuming (the stream is marked and reset).
     */
    private static boolean looksBinary(BufferedInputStream in, int dim) throws IOException {
        byte[] head = new byte[Math.min(1 << 20, 256 + 32 * dim)];
        in.mark(head.length + 1);
        int n = in.readNBytes(head, 0, head.length);
        in.reset();
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1).stripLeading();
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\r') {
                return true; // control bytes: raw floats
            }
        }
        boolean isText = line.trim().split("[ \t]+").length == dim + 1;
        return !isText;
    }

    /** The next token, up to a space or newline (not consumed); null at the end of the file or the line. */
    private static String token(PushbackInputStream in, boolean skipNewlines) throws IOException {
        int b = in.read();
        while (b == ' ' || b == '\t' || skipNewlines && (b == '\n' || b == '\r')) {
            b = in.read();
        }
        if (b == -1) {
            return null;
        }
        if (b == '\n' || b == '\r') {
            in.unread(b);
            return null;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(32);
        while (b != -1 && b != ' ' && b != '\n' && b != '\t' && b != '\r') {
            buf.write(b);
            b = in.read();
        }
        if (b != -1) {
            in.unread(b);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Skips spaces and a '\r'; true if the line ends here (newline consumed) or the file does. */
    private static boolean endOfLine(PushbackInputStream in) throws IOException {
        int b = in.read();
        while (b == ' ' || b == '\t' || b == '\r') {
            b = in.read();
        }
        if (b == '\n' || b == -1) {
            return true;
        }
        in.unread(b);
        return false;
    }
}
