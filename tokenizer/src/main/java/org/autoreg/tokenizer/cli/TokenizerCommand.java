package org.autoreg.tokenizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerException;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.tokenizer.Tokenizers;
import org.autoreg.tokenizer.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg tokenizer ...}: train tokenizers, encode and decode JSONL files, benchmark. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Train tokenizers and encode/decode JSONL files.",
        subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class, TokenizerCommand.Decode.class,
            TokenizerBench.class})
public final class TokenizerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Standalone entry point: {@code java -cp ... org.autoreg.tokenizer.cli.TokenizerCommand train ...}. */
    public static void main(String[] args) {
        System.exit(Cli.run(new TokenizerCommand(), args));
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a tokenizer on text files.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "UTF-8 text file (repeatable).")
        List<Path> corpus;

        @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "4096",
                description = "Vocabulary size, special tokens included (default: ${DEFAULT-VALUE}); ignored for char.")
        int vocabSize;

        @Option(names = "--type", paramLabel = "KIND", defaultValue = "bpe",
                description = "bpe (byte-level, GPT-2 style), char or word (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--min-frequency", paramLabel = "N", defaultValue = "2",
                description = "bpe: merge pairs seen at least N times; word: keep words seen N times (default: ${DEFAULT-VALUE}).")
        int minFrequency;

        @Option(names = "--special-tokens", paramLabel = "TOKENS", split = ",",
                description = "Special tokens, comma-separated (default for bpe: <|endoftext|>; for char: none; "
                        + "for word: <unk>).")
        List<String> specialTokens;

        @Option(names = "--lowercase", description = "word: lowercase the text (and vocabulary).")
        boolean lowercase;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write tokenizer.json into.")
        Path out;

        @Override
        public Integer call() throws IOException {
            TokenizerTrainer.Config cfg = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "bpe" -> TokenizerTrainer.Config.byteLevelBpe(vocabSize);
                case "char" -> TokenizerTrainer.Config.charLevel();
                case "word" -> TokenizerTrainer.Config.wordLevel(vocabSize, minFrequency);
                default -> throw new Cli.UsageException("--type must be bpe, char or word, not '" + type + "'");
            };
            if (cfg.kind() != TokenizerTrainer.Kind.CHAR_LEVEL) {
                cfg = cfg.withMinFrequency(minFrequency);
            }
            if (specialTokens != null) {
                cfg = cfg.withSpecialTokens(specialTokens);
            }
            if (lowercase) {
                cfg = cfg.withNormalizer(org.autoreg.tokenizer.Normalizer.lowercase());
            }
            long t0 = System.nanoTime();
            TokenizerTrainer trainer = new TokenizerTrainer(cfg);
            long bytes = 0;
            for (Path p : corpus) {
                trainer.feedFile(p);
                bytes += Files.size(p);
            }
            Tokenizer tok = trainer.train();
            double secs = (System.nanoTime() - t0) / 1e9;
            tok.save(out);
            System.err.printf("trained %s tokenizer: %,d tokens from %.2f MB in %.2f s -> %s%n",
                    cfg.kind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), tok.vocabSize(),
                    bytes / 1e6, secs, out.resolve("tokenizer.json"));
            if (cfg.kind() != TokenizerTrainer.Kind.CHAR_LEVEL && tok.vocabSize() < vocabSize) {
                System.err.printf("note: stopped below --vocab-size %,d: no pair/word is left that occurs at least "
                        + "--min-frequency %d times in this corpus%n", vocabSize, minFrequency);
            }
            return 0;
        }
    }

    /**
     * Streams JSONL objects from {@code input} to {@code output}, passing each through {@code f}.
     * A file output is written atomically: on any error nothing is left behind. Returns the count.
     */
    static int mapJsonl(Path input, Path output, Function<ObjectNode, ObjectNode> f, String need) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int[] count = {0};
        AtomicFiles.Body body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            BufferedReader in = "-".equals(input.toString())
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(input, StandardCharsets.UTF_8);
            try (in) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(line);
                    } catch (IOException e) {
                        throw new TokenizerException(input + " line " + n + ": not valid JSON; each line must be a "
                                + "JSON object with " + need);
                    }
                    if (!(node instanceof ObjectNode obj)) {
                        throw new TokenizerException(input + " line " + n + ": expected a JSON object with " + need);
                    }
                    try {
                        w.write(json.writeValueAsString(f.apply(obj)));
                    } catch (IllegalArgumentException | TokenizerException e) {
                        throw new TokenizerException(input + " line " + n + ": " + e.getMessage());
                    }
                    w.write('\n');
                    count[0]++;
                }
            } catch (java.nio.charset.MalformedInputException e) {
                throw new TokenizerException(input + " is not valid UTF-8; JSONL files must be UTF-8");
            }
            w.flush();
        };
        if ("-".equals(output.toString())) {
            body.writeTo(System.out);
        } else {
            AtomicFiles.write(output, body);
        }
        return count[0];
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Add \"ids\" to each JSON line's \"text\" (JSONL in, JSONL out).")
    static final class Encode implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR",
                description = "Model directory or tokenizer.json (also vocab.json+merges.txt, encoder.json+vocab.bpe).")
        Path tokenizer;

        @Option(names = "--input", defaultValue = "-", paramLabel = "IN.jsonl", description = "Input (default: stdin).")
        Path input;

        @Option(names = "--output", defaultValue = "-", paramLabel = "OUT.jsonl", description = "Output (default: stdout).")
        Path output;

        @Option(names = "--add-special-tokens", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Let the post-processor add its special tokens, e.g. BOS (default: ${DEFAULT-VALUE}).")
        boolean addSpecialTokens;

        @Option(names = "--field", defaultValue = "text", paramLabel = "NAME",
                description = "Field holding the text (default: ${DEFAULT-VALUE}).")
        String field;

        @Option(names = "--split-special-tokens",
                description = "Encode special tokens in the text (e.g. <|endoftext|>) as the characters they are made "
                        + "of instead of matching them, like Hugging Face's split_special_tokens; with GPT-2 this "
                        + "gives tiktoken's encode_ordinary ids. Non-special added tokens are still matched.")
        boolean splitSpecialTokens;

        @Override
        public Integer call() throws IOException {
            Tokenizer tok = Tokenizers.load(tokenizer);
            int n = mapJsonl(input, output, obj -> {
                JsonNode text = obj.get(field);
                if (text == null || !text.isTextual()) {
                    throw new IllegalArgumentException("no string field \"" + field + "\"");
                }
                ArrayNode ids = obj.putArray("ids");
                for (int id : tok.encodeToIds(text.asText(), addSpecialTokens, splitSpecialTokens)) {
                    ids.add(id);
                }
                return obj;
            }, "a string field \"" + field + "\"");
            System.err.printf("encoded %,d lines%n", n);
            return 0;
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Add \"text\" to each JSON line's \"ids\" (JSONL in, JSONL out).")
    static final class Decode implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "Model directory or tokenizer.json.")
        Path tokenizer;

        @Option(names = "--input", defaultValue = "-", paramLabel = "IN.jsonl", description = "Input (default: stdin).")
        Path input;

        @Option(names = "--output", defaultValue = "-", paramLabel = "OUT.jsonl", description = "Output (default: stdout).")
        Path output;

        @Option(names = "--skip-special-tokens", description = "Leave special tokens out of the text.")
        boolean skipSpecialTokens;

        @Override
        public Integer call() throws IOException {
            Tokenizer tok = Tokenizers.load(tokenizer);
            int n = mapJsonl(input, output, obj -> {
                JsonNode ids = obj.get("ids");
                if (ids == null || !ids.isArray()) {
                    throw new IllegalArgumentException("no array field \"ids\"");
                }
                int[] arr = new int[ids.size()];
                for (int i = 0; i < arr.length; i++) {
                    if (!ids.get(i).canConvertToInt()) {
                        throw new IllegalArgumentException("\"ids\" must hold integers, found " + ids.get(i));
                    }
                    arr[i] = ids.get(i).asInt();
                }
                obj.put("text", tok.decode(arr, skipSpecialTokens));
                return obj;
            }, "an integer array field \"ids\"");
            System.err.printf("decoded %,d lines%n", n);
            return 0;
        }
    }
}
