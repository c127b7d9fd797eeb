package org.autoreg.tokenizer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs autoreg commands with the project's error conventions: a usage error prints the problem
 * and a hint to {@code --help} and exits with 2; a failure prints {@code error: <message>} on
 * stderr and exits with 1 — never a stack trace unless {@code AUTOREG_DEBUG=1}.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * Runs {@code command} on {@code args} and returns the exit code; running out of heap is
     * reported as such (exit 1), with the fix.
     */
    public static int run(Object command, String... args) {
        try {
            return commandLine(command).execute(args);
        } catch (OutOfMemoryError e) {
            long max = Runtime.getRuntime().maxMemory() >> 20;
            System.err.println("error: out of memory: this job needs more than the JVM's maximum heap of " + max
                    + " MB. Give it more (e.g. JAVA_OPTS=-Xmx" + Math.max(2, 2 * max / 1024 + 1) + "g ./autoreg ...), "
                    + "or make the job smaller (a smaller model, batch_size or block_size).");
            if ("1".equals(System.getenv("AUTOREG_DEBUG"))) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    /** A {@link CommandLine} for {@code command} with autoreg's error handling. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UsageException) {
                err.println("error: " + ex.getMessage());
                err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
                return CommandLine.ExitCode.USAGE;
            }
            boolean expected = ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException
                    || ex.getClass().getSimpleName().endsWith("Exception") && ex.getClass().getName().startsWith("org.autoreg");
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            if (ex instanceof java.nio.file.NoSuchFileException) {
                msg = "file not found: " + msg;
            } else if (ex instanceof java.nio.file.AccessDeniedException) {
                msg = "permission denied: " + msg;
            } else if (ex instanceof java.nio.file.FileAlreadyExistsException) {
                msg = "already exists: " + msg;
            }
            err.println("error: " + (expected ? msg : ex.getClass().getSimpleName() + ": " + msg));
            if ("1".equals(System.getenv("AUTOREG_DEBUG"))) {
                ex.printStackTrace(err);
            } else if (!expected) {
                err.println("(an unexpected error; run with AUTOREG_DEBUG=1 for the stack trace and report it)");
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /** A bad combination of arguments found after parsing: reported like a usage error (exit 2). */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
