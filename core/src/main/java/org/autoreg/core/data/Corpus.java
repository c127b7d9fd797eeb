package org.autoreg.core.data;

/**
 * A text corpus autoreg knows: where it comes from and how to recognise the right file.
 *
 * @param name        short name used on the command line ({@code tinyshakespeare})
 * @param fileName    file name in the cache or a mirror directory
 * @param url         canonical download address, or null when the corpus can only come from a mirror
 * @param sha256      SHA-256 of the file, hex
 * @param bytes       file size
 * @param description what it is, its source and licence
 */
public record Corpus(String name, String fileName, String url, String sha256, long bytes, String description) {
}
