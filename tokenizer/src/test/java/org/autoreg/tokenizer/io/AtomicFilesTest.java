package org.autoreg.tokenizer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesTheFileWholeWithTheUsersDefaultPermissionsAndLeavesNothingBehind() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path plain = Files.createFile(tmp.resolve("plain.txt"));            // what the umask gives any new file
        Path f = tmp.resolve("out.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f),
                "not the owner-only permissions of a temporary file");
        Path dir = AtomicFiles.createSibling(tmp.resolve("model"), true);
        Path plainDir = Files.createDirectory(tmp.resolve("plain-dir"));
        assertEquals(Files.getPosixFilePermissions(plainDir), Files.getPosixFilePermissions(dir));
        Files.delete(dir);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(3, s.count(), "plain.txt, out.txt, plain-dir: no temporary files left");
        }
    }
}
