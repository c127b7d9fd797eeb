package org.autoreg.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.core.ModelDirectory;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg import --model HF_DIR --out DIR}. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a Hugging Face transformers checkpoint (model_type gpt2, llama, or a Llama-shaped "
            + "mistral/qwen2; safetensors, single or sharded, F32/F16/BF16) as an autoreg model directory. "
            + "generate, chat, serve, model info/eval and train --init-from also read such a directory directly.",
            "Example: autoreg import --model ~/models/tiny-llama-hf --out models/tiny-llama"})
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "HF_DIR", description = "The transformers directory.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory to write.")
    Path out;

    @Option(names = "--force", description = "Replace DIR if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ModelDirectory.Loaded m;
        try {
            ModelDirectory.requireNew(out, force);
            m = ModelDirectory.load(model);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        ModelDirectory.save(out, m.model(), m.tokenizer(), m.generationConfig(), null);
        System.err.printf("imported %s (%s, %,d parameters) to %s%n", model,
                m.model().config().architecture().jsonName(), m.model().params().count(), out);
        return 0;
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(Cli.run(new ImportCommand(), args));
    }
}
