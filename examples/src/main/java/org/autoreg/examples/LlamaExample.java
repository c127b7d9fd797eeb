package org.autoreg.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.Generator;

/**
 * 12. The same transformer budget as a Llama (RoPE, RMSNorm, SwiGLU, grouped-query attention),
 * trained beside the GPT-2 of step 9, then generating far past its context on the rolling cache.
 */
final class LlamaExample implements Example {
    @Override
    public String name() {
        return "llama";
    }

    @Override
    public String summary() {
        return "the same budget as a Llama (RoPE, RMSNorm, SwiGLU, grouped-query attention): both loss curves, "
                + "and generation far past the context on a rolling KV cache";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        ctx.out().println("""
                Llama changes four pieces of the GPT of step 9 and keeps its skeleton:
                  positions  rotary (RoPE): q and k of each head turned by an angle proportional to the position,
                             so q·k depends only on the distance between tokens (no position table)
                  norm       RMSNorm: x / rms(x) · w (no mean, no bias)
                  MLP        SwiGLU: down(silu(gate(x)) ⊙ up(x))
                  attention  grouped-query: 4 query heads share 2 key/value heads (a smaller KV cache)
                Both are trained here for the same steps on the same data.
                """);
        Path gpt2 = TransformerExample.model(ctx, ctx.dir().resolve("gpt2"));
        Path llama = TransformerExample.model(ctx, ctx.dir().resolve("llama"), List.of("architecture=llama",
                "n_kv_head=" + (ctx.scale() < 0.5 ? 1 : 2)));
        double[][] g = evals(gpt2.getParent());
        double[][] l = evals(llama.getParent());
        Path png = Pictures.lines(ctx.dir().resolve("gpt2-vs-llama.png"), "validation loss, same budget", "step",
                "val loss", l[0], List.of("gpt2", "llama"), List.of(g[1], l[1]));
        ctx.out().printf("validation loss after %d steps: gpt2 %.3f, llama %.3f (curves: %s)%n", (int) l[0][l[0].length - 1],
                g[1][g[1].length - 1], l[1][l[1].length - 1], png);

        Generator gen = Generator.load(llama, msg -> { });
        int block = gen.model().config().blockSize();
        int n = 4 * block;
        long t0 = System.nanoTime();
        Completion c = gen.generate("ROMEO:", GenerationConfig.builder().maxNewTokens(n).doSample(true).temperature(0.8)
                .topK(0).eosTokenIds(List.of()).seed(ctx.seed()).build()).get(0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ctx.out().printf("%n---- %d tokens from the llama, context %d: the cache rolls (%.0f tok/s) ----%nROMEO:%s%n----%n",
                c.completionTokens(), block, c.completionTokens() / seconds, c.text());
        return new Result().put("gpt2_first_val_loss", g[1][0]).put("gpt2_last_val_loss", g[1][g[1].length - 1])
                .put("llama_first_val_loss", l[1][0]).put("llama_last_val_loss", l[1][l[1].length - 1])
                .put("long_tokens", c.completionTokens()).put("block_size", block).picture(png);
    }

    /** The evaluations of a run: steps [0] and validation losses [1]. */
    private static double[][] evals(Path runDir) throws IOException {
        List<double[]> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode o = json.readTree(line);
            if ("eval".equals(o.path("event").asText())) {
                rows.add(new double[] {o.path("iter").asDouble(), o.path("val_loss").asDouble()});
            }
        }
        double[][] out = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[0][i] = rows.get(i)[0];
            out[1][i] = rows.get(i)[1];
        }
        return out;
    }
}
