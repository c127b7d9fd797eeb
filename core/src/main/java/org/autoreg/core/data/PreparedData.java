package org.autoreg.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.autoreg.core.io.CorruptFileException;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerException;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.tokenizer.Tokenizers;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.autoreg.tokenizer.io.JsonFiles;
import org.autoreg.tokenizer.io.TextCorpus;

/**
 * A corpus prepared for training (nanoGPT's {@code prepare.py}): {@code train.bin} and
 * {@code val.bin} (token ids), the tokenizer, and {@code meta.json} (split, token counts, id width,
 * and SHA-256 fingerprints of the corpus and tokenizer).
 *
 * @param dir       the directory
 * @param tokenizer its tokenizer
 * @param train     training tokens
 * @param val       validation tokens
 * @param meta      meta.json
 */
public record PreparedData(Path dir, Tokenizer tokenizer, TokenDataset train, TokenDataset val, ObjectNode meta) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@link #prepare(Path, String, Path, double, boolean)} with special tokens split (the default). */
    public static PreparedData prepare(Path corpus, String tokenizerSpec, Path out, double valFraction)
            throws IOException {
        return prepare(corpus, tokenizerSpec, out, valFraction, false);
    }

    /**
     * Tokenizes {@code corpus} and writes the prepared directory {@code out}. {@code tokenizerSpec}
     * is {@code char} (character-level, vocabulary from the whole corpus, as nanoGPT), {@code bpe:N}
     * (byte-level BPE of N tokens trained on the training split) or a directory holding a tokenizer.
     * The first {@code 1 - valFraction} of the text is for training, the rest for validation.
     *
     * <p>By default the corpus is plain text ({@link Tokenizer#encodeOrdinary}): a literal
     * {@code "<|endoftext|>"} in it is encoded as its characters, as nanoGPT's {@code prepare.py}
     * does with tiktoken's {@code encode_ordinary}. With {@code matchSpecialTokens} added tokens in
     * the text become their ids ({@code encodeToIds(text, false)}). Either way meta.json records the
     * mode and how many added-token literals the text holds; {@link #specialTokenWarning()} words it.
     */
    public static PreparedData prepare(Path corpus, String tokenizerSpec, Path out, double valFraction,
            boolean matchSpecialTokens) throws IOException {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + valFraction);
        }
        String text = TextCorpus.read(corpus);
        int cut = (int) (text.length() * (1 - valFraction));
        if (cut > 0 && Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--; // keep surrogate pairs whole
        }
        String trainText = text.substring(0, cut);
        String valText = text.substring(cut);
        Tokenizer tok = tokenizer(tokenizerSpec, text, trainText);
        int[] train = matchSpecialTokens ? tok.encodeToIds(trainText, false) : tok.encodeOrdinary(trainText);
        int[] val = matchSpecialTokens ? tok.encodeToIds(valText, false) : tok.encodeOrdinary(valText);
        Map<String, Integer> literals = new HashMap<>(tok.addedTokenCounts(trainText));
        tok.addedTokenCounts(valText).forEach((k, v) -> literals.merge(k, v, Integer::sum));
        int tokenBytes = tok.vocabSize() <= 65_536 ? 2 : 4;
        Files.createDirectories(out);
        writeIds(out.resolve("train.bin"), train, tokenBytes);
        writeIds(out.resolve("val.bin"), val, tokenBytes);
        tok.save(out);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("autoreg_data_format", FORMAT_VERSION)
                .put("vocab_size", tok.vocabSize())
                .put("token_bytes", tokenBytes)
                .put("train_tokens", train.length)
                .put("val_tokens", val.length)
                .put("val_fraction", valFraction)
                .put("tokenizer", tokenizerSpec)
                .put("tokenizer_sha256", CorpusCatalog.sha256(out.resolve("tokenizer.json")))
                .put("corpus", corpus.getFileName().toString())
                .put("corpus_sha256", CorpusCatalog.sha256(corpus))
                .put("corpus_chars", text.length())
                .put("special_tokens", matchSpecialTokens ? "matched" : "split")
                .put("special_token_literals", literals.values().stream().mapToInt(Integer::intValue).sum());
        ObjectNode top = meta.putObject("special_token_literals_top");
        literals.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(5).forEach(e -> top.put(e.getKey(), e.getValue()));
        JsonFiles.write(out.resolve("meta.json"), meta);
        return open(out);
    }

    /**
     * When the corpus held added-token literals (e.g. {@code "<|endoftext|>"}) and they were encoded
     * as plain text, a warning saying how many and how to match them instead; else empty.
     */
    public Optional<String> specialTokenWarning() {
        int n = meta.path("special_token_literals").asInt(0);
        if (n == 0 || !"split".equals(meta.path("special_tokens").asText())) {
            return Optional.empty();
        }
        List<String> examples = new ArrayList<>();
        meta.path("special_token_literals_top").fields().forEachRemaining(e -> examples.add(
                String.format("'%s' %,d time%s", printable(e.getKey()), e.getValue().asInt(), e.getValue().asInt() == 1 ? "" : "s")));
        int kinds = examples.size();
        String shown = String.join(", ", examples.subList(0, Math.min(3, kinds))) + (kinds > 3 ? ", ..." : "");
        return Optional.of(String.format("%,d literal special-token string%s in the corpus (%s) %s encoded as text; "
                + "'autoreg prepare --match-special-tokens' encodes them as their token ids", n, n == 1 ? "" : "s",
                shown, n == 1 ? "was" : "were"));
    }

    private static String printable(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private static Tokenizer tokenizer(String spec, String text, String trainText) {
        if (spec.equals("char")) {
            TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
            t.feed(text);
            return t.train();
        }
        if (spec.startsWith("bpe:")) {
            int n;
            try {
                n = Integer.parseInt(spec.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tokenizer '" + spec + "': expected bpe:N with N the vocabulary size, "
                        + "e.g. bpe:4096");
            }
            TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(n));
            t.feed(trainText);
            return t.train();
        }
        Path dir = Path.of(spec);
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("tokenizer '" + spec + "' is neither char, bpe:N nor an existing "
                    + "tokenizer directory");
        }
        return Tokenizers.load(dir);
    }

    private static void writeIds(Path file, int[] ids, int tokenBytes) throws IOException {
        AtomicFiles.write(file, out -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int id : ids) {
                if (buf.remaining() < tokenBytes) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                if (tokenBytes == 2) {
                    buf.putShort((short) id);
                } else {
                    buf.putInt(id);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /** Opens a prepared directory, checking that its files agree with meta.json. */
    public static PreparedData open(Path dir) throws IOException {
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            throw new IOException(dir + " is not a prepared data directory (no meta.json); create one with "
                    + "'autoreg prepare --corpus FILE --tokenizer char --out " + dir + "'");
        }
        JsonNode m;
        try {
            m = JSON.readTree(Files.readAllBytes(metaFile));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CorruptFileException(metaFile + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(m instanceof ObjectNode meta) || meta.path("autoreg_data_format").asInt(-1) != FORMAT_VERSION) {
            throw new CorruptFileException(metaFile + ": not an autoreg meta.json of format " + FORMAT_VERSION);
        }
        int tokenBytes = meta.path("token_bytes").asInt();
        TokenDataset train = TokenDataset.open(dir.resolve("train.bin"), tokenBytes);
        TokenDataset val = TokenDataset.open(dir.resolve("val.bin"), tokenBytes);
        for (String split : new String[] {"train", "val"}) {
            long expected = meta.path(split + "_tokens").asLong(-1);
            long actual = (split.equals("train") ? train : val).size();
            if (expected != actual) {
                throw new CorruptFileException(dir.resolve(split + ".bin") + " holds " + actual + " tokens but meta.json "
                        + "says " + expected + "; prepare the data again");
            }
        }
        Tokenizer tok;
        try {
            tok = Tokenizers.load(dir);
        } catch (TokenizerException e) {
            throw new CorruptFileException(e.getMessage());
        }
        String sha = CorpusCatalog.sha256(dir.resolve("tokenizer.json"));
        if (!sha.equals(meta.path("tokenizer_sha256").asText())) {
            throw new CorruptFileException(dir.resolve("tokenizer.json") + " is not the tokenizer these ids were made "
                    + "with (its fingerprint differs from meta.json); prepare the data again");
        }
        if (tok.vocabSize() != meta.path("vocab_size").asInt()) {
            throw new CorruptFileException(dir + ": meta.json says vocab_size " + meta.path("vocab_size").asInt()
                    + " but the tokenizer has " + tok.vocabSize());
        }
        return new PreparedData(dir, tok, train, val, meta);
    }

}
