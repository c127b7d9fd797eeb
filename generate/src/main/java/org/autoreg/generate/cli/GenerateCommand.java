package org.autoreg.generate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationException;
import org.autoreg.generate.Generator;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code autoreg generate}: continue a prompt with a trained model. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, subcommands = DecodeBenchCommand.class,
        description = {"Continue a prompt with a trained model and print the continuation (not the prompt).",
            "Settings not given come from the model's generation_config.json (Hugging Face semantics).",
            "Example: autoreg generate --model runs/quickstart/best --prompt 'ROMEO:' --max-new-tokens 200 --do-sample"})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "A model directory (e.g. RUN_DIR/best); required.")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (repeat for a batch of prompts).")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--num-return-sequences", paramLabel = "K", description = "Samples per prompt (needs sampling).")
    int numReturnSequences;

    @Option(names = "--stream", description = "Print text as it is generated.")
    boolean stream;

    @Option(names = "--json", description = "Print one JSON object per output: text, token ids, finish_reason.")
    boolean json;

    @Mixin
    GenerationOptions options;

    @Override
    public Integer call() throws Exception {
        if (model == null) {
            throw new Cli.UsageException("--model DIR is required");
        }
        if (prompts.isEmpty()) {
            throw new Cli.UsageException("--prompt TEXT is required");
        }
        if (stream && json) {
            throw new Cli.UsageException("--stream and --json do not go together; choose one");
        }
        PrintStream out = new PrintStream(System.out, true,
                StandardCharsets.UTF_8);
        try {
            GenerationConfig request = options.request(numReturnSequences);
            Generator g = Generator.load(model, msg -> System.err.println("warning: " + msg));
            Integer k = g.settings(request).numReturnSequences();
            boolean many = prompts.size() > 1 || k != null && k > 1;
            ObjectMapper mapper = new ObjectMapper();
            for (int p = 0; p < prompts.size(); p++) {
                int prompt = p;
                int[] current = {-1};
                Generator.TextStreamer streamer = !stream ? null : (seq, delta) -> {
                    if (seq != current[0]) {
                        current[0] = seq;
                        if (many) {
                            out.print(header(prompt, seq));
                        }
                    }
                    out.print(delta);
                    out.flush();
                };
                List<Completion> results = g.generate(prompts.get(p), request, streamer);
                for (int s = 0; s < results.size(); s++) {
                    Completion c = results.get(s);
                    if (json) {
                        ObjectNode o = mapper.createObjectNode().put("prompt_index", p).put("index", s).put("text", c.text())
                                .put("finish_reason", c.finishReason().openAiName()).put("prompt_tokens", c.promptTokens());
                        var ids = o.putArray("token_ids");
                        for (int id : c.tokenIds()) {
                            ids.add(id);
                        }
                        out.println(mapper.writeValueAsString(o));
                    } else if (stream) {
                        out.println();
                    } else {
                        if (many) {
                            out.print(header(p, s));
                        }
                        out.println(c.text());
                    }
                }
            }
            out.flush();
            return 0;
        } catch (GenerationException e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }

    private static String header(int prompt, int seq) {
        return "=== prompt " + (prompt + 1) + ", sequence " + (seq + 1) + " ===\n";
    }
}
