package org.autoreg.examples;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code autoreg example NAME}: the perceptron-to-transformer progression, one runnable step at a time. */
@Command(name = "example", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a step of the perceptron → transformer progression (each under two minutes on 2 cores).",
            "Example: autoreg example --list; autoreg example attention"})
public final class ExampleCommand implements Callable<Integer> {
    /** The progression, in order. */
    static final List<Example> ALL = List.of(new PerceptronExample(), new MlpExample(), new NgramExample(),
            new ClassifierExample(), new Word2VecExample(), new AttentionExample(), new MultiHeadExample(),
            new PositionsExample(), new TransformerExample(), new GenerationExample(), new ChatExample(), new LlamaExample());

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The example to run (see --list).")
    String name;

    @Option(names = "--list", description = "List the examples.")
    boolean list;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/examples/NAME).")
    Path out;

    @Option(names = "--scale", defaultValue = "1", description = "Work done relative to the default: 2 = twice the "
            + "training steps/text (bigger runs), 0.1 = a quick look.")
    double scale;

    @Option(names = "--seed", defaultValue = "1337") long seed;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Text to learn from (default tinyshakespeare).")
    Path corpus;

    @Option(names = "--data-mirror", paramLabel = "DIR", description = "Directory holding tinyshakespeare.txt.")
    Path mirror;

    static Example find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new Cli.UsageException(
                "no example '" + name + "'; the examples are: " + String.join(", ", ALL.stream().map(Example::name)
                        .toList())));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream ps = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (list || name == null) {
            for (int i = 0; i < ALL.size(); i++) {
                ps.printf("%2d. %-12s %s%n", i + 1, ALL.get(i).name(), ALL.get(i).summary());
            }
            ps.println("\nRun one with: autoreg example NAME [--scale S] [--out DIR]");
            return 0;
        }
        if (scale <= 0) {
            throw new Cli.UsageException("--scale must be > 0");
        }
        Example e = find(name);
        Path dir = out != null ? out : Path.of("runs", "examples", e.name());
        Files.createDirectories(dir);
        Example.Corpus text = corpus != null ? () -> corpus
                : () -> CorpusCatalog.fromEnvironment().withMirror(mirror).resolve("tinyshakespeare");
        ps.printf("== %s: %s%n   (pictures and files: %s)%n%n", e.name(), e.summary(), dir);
        e.run(new Example.Context(dir, ps, text, seed, scale));
        return 0;
    }
}
