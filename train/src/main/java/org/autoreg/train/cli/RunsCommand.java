package org.autoreg.train.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.train.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoreg runs}: work with finished training runs. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Compare training runs.",
        subcommands = {RunsCommand.Compare.class})
public final class RunsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code autoreg runs compare DIR... [--out PNG] [--json]}. */
    @Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs side by side: final, best and whole-split validation loss, tokens/s, wall time, "
                + "peak RSS, and the config keys that differ; with --out, their loss curves overlaid in one PNG.",
                "Example: autoreg runs compare runs/lr --out runs/lr/compare.png"})
    static final class Compare implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", arity = "1..*", description = "Run directories, or a sweep directory.")
        List<Path> dirs;

        @Option(names = "--out", paramLabel = "PNG", description = "Write the overlaid train/val curves here.")
        Path png;

        @Option(names = "--json", description = "Print the table as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            RunComparison c;
            try {
                c = RunComparison.of(dirs);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
            System.out.print(json ? c.json().toPrettyString() + "\n" : c.table());
            if (png != null) {
                c.plot(png, "autoreg — " + c.runs().size() + " runs");
                System.err.println("plot: " + png);
            }
            return 0;
        }
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(Cli.run(new RunsCommand(), args));
    }
}
