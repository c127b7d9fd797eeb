package org.autoreg.generate;

import java.io.IOException;
import java.nio.file.Path;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.engine.Engine;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;

/**
 * A tiny GPT trained in the test to memorize one periodic document (English, an emoji, Japanese,
 * an EOS token, and one ChatML exchange), so that greedy decoding has a known answer. Byte-level
 * BPE with few merges, so the emoji and the CJK characters span several tokens.
 */
public final class TinyModel {
    public static final String STORY = "the cat sat on the mat 🙂 猫はマットの上 the end";
    public static final String CHAT = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello there<|im_end|>\n";
    public static final String DOCUMENT = STORY + "<|endoftext|>" + CHAT;
    public static final int BLOCK = 32;

    private TinyModel() {
    }

    /** Trains the GPT-2 model and saves it as a model directory in {@code dir}. */
    public static Path train(Path dir) throws IOException {
        return train(dir, ModelConfig.Architecture.GPT2);
    }

    /** Trains the model of {@code architecture} (llama: 2 heads sharing one kv head) and saves it in {@code dir}. */
    public static Path train(Path dir, ModelConfig.Architecture architecture) throws IOException {
        TokenizerTrainer tt = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300));
        String corpus = DOCUMENT.repeat(40);
        tt.feed(corpus);
        Tokenizer tok = tt.train();
        int[] ids = tok.encodeToIds(corpus, false);
        ModelConfig cfg = architecture == ModelConfig.Architecture.LLAMA
                ? ModelConfig.llama(tok.vocabSize(), BLOCK, 2, 2, 1, 48, 0, true, 5)
                : new ModelConfig(tok.vocabSize(), BLOCK, 2, 2, 48, 0, false, true, PositionalEncoding.Kind.LEARNED, 5);
        Gpt model = new Gpt(cfg);
        int b = 8;
        Engine engine = new Engine(model, b, BLOCK, 1, 0);
        float[][] p = engine.params();
        float[][] m = new float[p.length][];
        float[][] v = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            m[i] = new float[p[i].length];
            v[i] = new float[p[i].length];
        }
        Rng rng = new Rng(11);
        int[][] x = new int[b][BLOCK];
        int[][] y = new int[b][BLOCK];
        double lr = 1e-2;
        for (int step = 1; step <= 300; step++) {
            for (int r = 0; r < b; r++) {
                int o = rng.nextInt(ids.length - BLOCK - 1);
                System.arraycopy(ids, o, x[r], 0, BLOCK);
                System.arraycopy(ids, o + 1, y[r], 0, BLOCK);
            }
            engine.step(x, y);
            float[][] g = engine.grads();
            double c1 = 1 - Math.pow(0.9, step);
            double c2 = 1 - Math.pow(0.99, step);
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    m[i][j] = 0.9f * m[i][j] + 0.1f * g[i][j];
                    v[i][j] = 0.99f * v[i][j] + 0.01f * g[i][j] * g[i][j];
                    p[i][j] -= (float) (lr * (m[i][j] / c1) / (Math.sqrt(v[i][j] / c2) + 1e-8));
                }
            }
        }
        engine.copyTo(model.params());
        ModelDirectory.save(dir, model, tok, null, null);
        return dir;
    }
}
