package org.autoreg.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.Generator;
import org.autoreg.tokenizer.ChatMessage;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;

/** 11. Plain tokenization versus the chat template, and a chat turn. */
final class ChatExample implements Example {
    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "tokenizer() vs applyChatTemplate() on the same messages, the rendered template, and a chat turn";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(400)
                .withSpecialTokens(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>")));
        t.feedFile(ctx.corpus());
        Tokenizer tok = t.train();
        List<ChatMessage> messages = List.of(ChatMessage.system("You are a courteous herald."),
                ChatMessage.user("Who comes there?"));
        String plainText = "You are a courteous herald. Who comes there?";
        int[] plain = tok.encodeToIds(plainText, true);
        String rendered = tok.applyChatTemplate(messages, true);
        int[] chat = tok.encodeChat(messages, true);
        ctx.out().printf("""
                The same conversation, two ways (a byte-level BPE tokenizer of %d tokens, trained here):

                1. tokenizer(text): the words alone, %d ids
                   %s
                   The model cannot tell who said what, or that it is its turn to answer.

                2. applyChatTemplate(messages, addGenerationPrompt=true): the template (ChatML) renders
                %s
                   then encodeChat gives %d ids, with the role markers as single special tokens
                   (<|im_start|> = %d, <|im_end|> = %d):
                   %s
                   A chat model was trained on text in exactly this form; it ends with the opening of the
                   assistant's turn, so generation continues as the assistant, and stops at <|im_end|>.
                """, tok.vocabSize(), plain.length, Arrays.toString(plain), indent(rendered), chat.length,
                tok.tokenToId("<|im_start|>").getAsInt(), tok.tokenToId("<|im_end|>").getAsInt(), Arrays.toString(chat));
        Path best = TransformerExample.model(ctx, ctx.dir().getParent().resolve("transformer").resolve("run"));
        Generator g = Generator.load(best, msg -> { });
        Completion reply = g.chat(List.of(ChatMessage.user("Who comes there?")), GenerationConfig.builder()
                .maxNewTokens(ctx.scaled(80)).doSample(true).temperature(0.8).topK(0).seed(ctx.seed()).build(), null);
        ctx.out().printf("""
                A chat turn with the transformer example's model (a Shakespeare character model: it was never
                trained on chat, and its character vocabulary drops '<' and '|', so it just continues the text):
                  user: Who comes there?
                  assistant: %s
                """, reply.text().replace("\n", "\n  "));
        return new Result().put("plain_ids", plain.length).put("chat_ids", chat.length).put("rendered", rendered)
                .put("im_start", tok.tokenToId("<|im_start|>").getAsInt()).put("chat", chat);
    }

    private static String indent(String s) {
        return "   | " + s.replace("\n", "\n   | ");
    }
}
