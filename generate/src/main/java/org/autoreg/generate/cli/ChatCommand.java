package org.autoreg.generate.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.generate.ChatSession;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationException;
import org.autoreg.generate.Generator;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code autoreg chat}: talk to a model through its chat template, one line per turn. */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with a model: each input line is a user turn; the reply streams back.",
            "The conversation is rendered with the tokenizer's chat template (ChatML if it has none).",
            "Commands: /reset forgets the conversation, /exit (or end of input) quits. Works with piped stdin.",
            "Example: printf 'Hello\\nWho are you?\\n' | autoreg chat --model DIR"})
public final class ChatCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory.")
    Path model;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system prompt.")
    String system;

    @Mixin
    GenerationOptions options;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true,
                StandardCharsets.UTF_8);
        ChatSession chat;
        try {
            GenerationConfig request = options.request(0);
            Generator g = Generator.load(model, msg -> System.err.println("warning: " + msg));
            g.settings(request);
            chat = g.newChat(system, request);
        } catch (GenerationException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        boolean interactive = System.console() != null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            if (interactive) {
                out.print("> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null || line.strip().equals("/exit")) {
                return 0;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.strip().equals("/reset")) {
                chat.reset();
                out.println("(conversation reset)");
                continue;
            }
            try {
                chat.send(line, (seq, delta) -> {
                    out.print(delta);
                    out.flush();
                });
            } catch (GenerationException e) {
                System.err.println("error: " + e.getMessage());
            }
            out.println();
        }
    }
}
