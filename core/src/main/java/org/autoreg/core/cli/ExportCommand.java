package org.autoreg.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.core.HfExport;
import org.autoreg.core.ModelDirectory;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg export --format hf --model DIR --out OUT}. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model in another layout. hf: a Hugging Face transformers directory "
            + "(GPT2LMHeadModel or LlamaForCausalLM: config.json, model.safetensors, tokenizer and generation config) "
            + "that AutoModelForCausalLM.from_pretrained loads with no custom code.",
            "Example: autoreg export --format hf --model runs/baby --out baby-hf"})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "hf", description = "The layout: hf.")
    String format;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory, or a run "
            + "directory (its best/).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "The directory to write.")
    Path out;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!"hf".equals(format)) {
            throw new Cli.UsageException("--format must be hf (Hugging Face transformers), not '" + format + "'");
        }
        try {
            HfExport.export(ModelDirectory.resolve(model, System.err::println), out, force);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        System.err.println("exported " + model + " to " + out + " (Hugging Face transformers layout)");
        return 0;
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(Cli.run(new ExportCommand(), args));
    }
}
