package org.autoreg.examples;

import org.autoreg.core.cli.DataCommand;
import org.autoreg.core.cli.ExportCommand;
import org.autoreg.core.cli.ImportCommand;
import org.autoreg.core.cli.ModelCommand;
import org.autoreg.core.cli.PrepareCommand;
import org.autoreg.generate.cli.ChatCommand;
import org.autoreg.generate.cli.GenerateCommand;
import org.autoreg.generate.cli.ServeCommand;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.tokenizer.cli.TokenizerCommand;
import org.autoreg.train.cli.RunsCommand;
import org.autoreg.train.cli.TrainCommand;
import org.autoreg.word2vec.cli.Word2VecCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code autoreg} command: dispatches to the subcommands each module owns. Run it through the
 * {@code ./autoreg} launcher at the repository root, which builds the project on first use.
 */
@Command(name = "autoreg", mixinStandardHelpOptions = true, version = "autoreg 0.1.0-SNAPSHOT",
        description = "Train small autoregressive language models from scratch on the JVM, and use them.",
        subcommands = {QuickstartCommand.class, ExampleCommand.class, TrainCommand.class, RunsCommand.class, GenerateCommand.class, ChatCommand.class, ServeCommand.class, Word2VecCommand.class, TokenizerCommand.class, DataCommand.class, PrepareCommand.class, ModelCommand.class, ExportCommand.class, ImportCommand.class,
            CommandLine.HelpCommand.class})
public final class Autoreg implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new Autoreg(), args));
    }
}
