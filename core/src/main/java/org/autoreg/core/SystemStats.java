package org.autoreg.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process that benchmarks and run summaries report. */
public final class SystemStats {
    private SystemStats() {
    }

    /** Peak resident set size of this process in MB (Linux VmHWM), or -1 where unknown. */
    public static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Starts a new peak: Linux's high-water mark (VmHWM) is set back to the current RSS, so that
     * {@link #peakRssMb} measures from now (each run of a sweep in one process). False where the
     * kernel does not allow it.
     */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
