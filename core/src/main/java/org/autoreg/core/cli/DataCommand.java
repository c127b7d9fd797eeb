package org.autoreg.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.core.data.Corpus;
import org.autoreg.core.data.CorpusCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code autoreg data ...}: list and fetch the corpora of the catalogue. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "List and fetch the built-in corpora.",
        subcommands = {DataCommand.ListCorpora.class, DataCommand.Fetch.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the corpora and where each would come from.")
    static final class ListCorpora implements Callable<Integer> {
        @Option(names = "--data-mirror", paramLabel = "DIR", description = "Directory holding corpus files (else $"
                + CorpusCatalog.MIRROR_ENV + ").")
        Path mirror;

        @Override
        public Integer call() {
            CorpusCatalog cat = CorpusCatalog.fromEnvironment().withMirror(mirror);
            System.out.printf("%-20s %10s  %-10s %s%n", "NAME", "SIZE", "STATUS", "DESCRIPTION");
            for (Corpus c : cat.corpora()) {
                String status = cat.mirrorDir() != null && Files.isRegularFile(cat.mirrorDir().resolve(c.fileName()))
                        ? "mirror" : Files.isRegularFile(cat.cacheDir().resolve(c.fileName())) ? "cached"
                        : c.url() != null ? "download" : "mirror-only";
                System.out.printf("%-20s %8.1f MB  %-10s %s%n", c.name(), c.bytes() / 1e6, status, c.description());
            }
            System.out.println("cache: " + cat.cacheDir() + (cat.mirrorDir() == null ? "" : "   mirror: " + cat.mirrorDir()));
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Make a corpus available locally (verified by SHA-256) and print its path.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Corpus name (see 'autoreg data list').")
        String name;

        @Option(names = "--data-mirror", paramLabel = "DIR", description = "Directory holding corpus files (else $"
                + CorpusCatalog.MIRROR_ENV + ").")
        Path mirror;

        @Override
        public Integer call() {
            System.out.println(CorpusCatalog.fromEnvironment().withMirror(mirror).resolve(name));
            return 0;
        }
    }
}
