package org.autoreg.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loading tokenizers, like Hugging Face's {@code AutoTokenizer.from_pretrained(dir)}:
 * {@link #load} detects which files a directory holds.
 */
public final class Tokenizers {
    static final String GPT2_EOS = "<|endoftext|>";

    private Tokenizers() {
    }

    /**
     * Loads the tokenizer in {@code path}: a {@code tokenizer.json} file, or a directory holding
     * (in this order of preference) {@code tokenizer.json}; {@code vocab.json} + {@code merges.txt}
     * (Hugging Face's GPT-2-style files); or {@code encoder.json} + {@code vocab.bpe} (OpenAI's GPT-2
     * files). A {@code tokenizer_config.json} beside them supplies the special-token roles and the
     * chat template.
     */
    public static Tokenizer load(Path path) {
        if (!Files.exists(path)) {
            throw new TokenizerException(path + " does not exist; pass a model directory or a tokenizer.json file");
        }
        if (Files.isRegularFile(path)) {
            Tokenizer tok = TokenizerJson.load(path);
            Path config = path.resolveSibling(TokenizerJson.TOKENIZER_CONFIG);
            return Files.isRegularFile(config) ? TokenizerJson.applyConfig(tok, config) : tok;
        }
        Tokenizer tok;
        if (Files.isRegularFile(path.resolve(TokenizerJson.TOKENIZER_JSON))) {
            tok = TokenizerJson.load(path.resolve(TokenizerJson.TOKENIZER_JSON));
        } else if (Files.isRegularFile(path.resolve("vocab.json")) || Files.isRegularFile(path.resolve("merges.txt"))) {
            tok = byteLevelBpe(path.resolve("vocab.json"), path.resolve("merges.txt"));
        } else if (Files.isRegularFile(path.resolve("encoder.json")) || Files.isRegularFile(path.resolve("vocab.bpe"))) {
            tok = byteLevelBpe(path.resolve("encoder.json"), path.resolve("vocab.bpe"));
        } else {
            throw new TokenizerException(path + " holds no tokenizer: expected tokenizer.json, vocab.json + merges.txt, "
                    + "or encoder.json + vocab.bpe (found: " + listing(path) + ")");
        }
        Path config = path.resolve(TokenizerJson.TOKENIZER_CONFIG);
        return Files.isRegularFile(config) ? TokenizerJson.applyConfig(tok, config) : tok;
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(12).toList();
            return names.isEmpty() ? "nothing" : String.join(", ", names);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * GPT-2's byte-level BPE from a vocabulary ({@code encoder.json} / {@code vocab.json}: token →
     * id) and merges ({@code vocab.bpe} / {@code merges.txt}: one "a b" pair a line, optional
     * {@code #version} header). {@code <|endoftext|>}, if in the vocabulary, becomes a special token
     * and the BOS/EOS/UNK role, as in Hugging Face's GPT-2 tokenizer.
     */
    public static Tokenizer byteLevelBpe(Path vocabFile, Path mergesFile) {
        for (Path p : List.of(vocabFile, mergesFile)) {
            if (!Files.isRegularFile(p)) {
                throw new TokenizerException(p + ": file not found; a byte-level BPE needs both " + vocabFile.getFileName()
                        + " and " + mergesFile.getFileName());
            }
        }
        JsonNode v = TokenizerJson.readJson(vocabFile);
        if (!v.isObject() || v.isEmpty()) {
            throw TokenizerJson.bad(vocabFile, "expected a JSON object mapping each token to its id");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>(v.size() * 2);
        v.properties().forEach(e -> {
            if (!e.getValue().canConvertToInt()) {
                throw TokenizerJson.bad(vocabFile, "token '" + e.getKey() + "' has a non-integer id " + e.getValue());
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        });
        List<Map.Entry<String, String>> merges = readMerges(mergesFile);
        Bpe model;
        try {
            model = new Bpe(vocab, merges, null, null, null, false, false, false);
        } catch (IllegalArgumentException e) {
            throw new TokenizerException(mergesFile + " and " + vocabFile + ": " + e.getMessage());
        }
        Tokenizer.Builder b = Tokenizer.builder(model)
                .preTokenizer(PreTokenizer.byteLevel())
                .postProcessor(PostProcessor.byteLevel(false))
                .decoder(Decoder.byteLevel());
        Integer eos = vocab.get(GPT2_EOS);
        if (eos != null) {
            b.addedToken(AddedToken.special(GPT2_EOS, eos));
            b.specialTokens(new SpecialTokens(GPT2_EOS, GPT2_EOS, null, GPT2_EOS));
        }
        return b.build();
    }

    private static List<Map.Entry<String, String>> readMerges(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TokenizerException(file + ": not valid UTF-8; the merges file is corrupt");
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": file not found");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage());
        }
        if (text.isEmpty()) {
            throw new TokenizerException(file + ": the file is empty; it is corrupt or was not written completely "
                    + "(a merges file starts with a '#version' line)");
        }
        List<Map.Entry<String, String>> merges = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1 || line.indexOf(' ', sp + 1) >= 0) {
                throw new TokenizerException(file + " line " + (i + 1) + ": expected two tokens separated by one space, "
                        + "got '" + line + "'; the merges file is corrupt");
            }
            merges.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, sp), line.substring(sp + 1)));
        }
        return merges;
    }
}
