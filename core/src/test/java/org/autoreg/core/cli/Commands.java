package org.autoreg.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.autoreg.tokenizer.cli.Cli;

/** Runs a command as {@code autoreg} does and keeps what it wrote to stderr. */
final class Commands {
    private Commands() {
    }

    /** The exit code and stderr of one run. */
    record Ran(int code, String err) {
    }

    static Ran run(Object command, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Cli.run(command, args);
        } finally {
            System.setErr(saved);
        }
        return new Ran(code, captured.toString(StandardCharsets.UTF_8));
    }
}
