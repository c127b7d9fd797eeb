package org.autoreg.tokenizer.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.autoreg.tokenizer.TokenizerException;

/**
 * Reads a UTF-8 text corpus strictly: bytes that are not UTF-8 are an error naming the file, the
 * byte offset and the line, never a silent U+FFFD. A leading byte-order mark is dropped.
 *
 * <p>{@link #chunks} streams a corpus of any size in pieces cut only just before a newline that
 * follows a letter or digit. The GPT-2, Llama-3 and Qwen2 pre-tokenization patterns never join
 * text across such a point, so encoding chunk by chunk gives exactly the ids of encoding the whole
 * text at once.
 */
public final class TextCorpus {
    private static final int READ_BUFFER = 1 << 20;

    private TextCorpus() {
    }

    /** The whole file as a string. */
    public static String read(Path file) {
        StringBuilder sb = new StringBuilder();
        decode(file, sb::append);
        if (sb.length() == 0) {
            throw new TokenizerException("corpus " + file + " is empty; pass a file with text in it");
        }
        return sb.toString();
    }

    /**
     * Calls {@code sink} with consecutive chunks of about {@code targetChars} chars (longer when no
     * safe cut point comes sooner) that concatenate to the whole file.
     */
    public static void chunks(Path file, int targetChars, Consumer<String> sink) {
        StringBuilder buf = new StringBuilder(targetChars * 2);
        long[] total = {0};
        int[] scanFrom = {targetChars}; // where to look for the next cut point
        decode(file, part -> {
            buf.append(part);
            total[0] += part.length();
            while (buf.length() > targetChars) {
                int cut = safeCut(buf, scanFrom[0]);
                if (cut < 0) {
                    scanFrom[0] = Math.max(targetChars, buf.length());
                    break;
                }
                sink.accept(buf.substring(0, cut));
                buf.delete(0, cut);
                scanFrom[0] = targetChars;
            }
        });
        if (total[0] == 0) {
            throw new TokenizerException("corpus " + file + " is empty; pass a file with text in it");
        }
        if (buf.length() > 0) {
            sink.accept(buf.toString());
        }
    }

    /** First index ≥ {@code from} holding '\n' right after a letter or digit, or -1. */
    static int safeCut(CharSequence s, int from) {
        for (int i = Math.max(1, from); i < s.length(); i++) {
            if (s.charAt(i) == '\n' && Character.isLetterOrDigit(s.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes the file strictly, passing decoded text to {@code sink} in pieces. */
    private static void decode(Path file, Consumer<CharSequence> sink) {
        if (!Files.exists(file)) {
            throw new TokenizerException("corpus " + file + " does not exist; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new TokenizerException("corpus " + file + " is a directory; pass a text file");
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
        CharBuffer out = CharBuffer.allocate(READ_BUFFER);
        long consumed = 0; // bytes before in's position 0
        long lines = 1;
        boolean first = true;
        try (FileChannel ch = FileChannel.open(file)) {
            boolean eof = false;
            while (!eof) {
                eof = ch.read(in) < 0;
                in.flip();
                while (true) {
                    CoderResult r = dec.decode(in, out, eof);
                    out.flip();
                    if (first && out.hasRemaining() && out.get(0) == '\uFEFF') {
                        out.position(1);
                    }
                    if (out.hasRemaining()) {
                        first = false;
                    }
                    for (int i = out.position(); i < out.limit(); i++) {
                        if (out.get(i) == '\n') {
                            lines++;
                        }
                    }
                    sink.accept(out);
                    out.clear();
                    if (r.isError()) {
                        long offset = consumed + in.position();
                        int bad = in.get(in.position()) & 0xFF;
                        throw new TokenizerException(String.format("%s is not valid UTF-8: byte 0x%02X at byte offset %d "
                                + "(line %d) does not form a character; convert the file to UTF-8 first (e.g. "
                                + "iconv -f latin1 -t utf-8 %s > corpus.utf8.txt)", file, bad, offset, lines, file));
                    }
                    if (r.isUnderflow()) {
                        break;
                    }
                }
                consumed += in.position();
                in.compact();
            }
            CoderResult r = dec.flush(out);
            out.flip();
            sink.accept(out);
            if (r.isError()) {
                throw new TokenizerException(file + " is not valid UTF-8: it ends in the middle of a character; "
                        + "the file is truncated or not UTF-8");
            }
        } catch (NoSuchFileException e) {
            throw new TokenizerException("corpus " + file + " does not exist; check the path", e);
        } catch (IOException e) {
            throw new TokenizerException("cannot read corpus " + file + ": " + e.getMessage(), e);
        }
    }
}
