package org.autoreg.word2vec;

/**
 * The binary tree of hierarchical softmax, built as word2vec.c's {@code CreateBinaryTree} builds
 * it: a Huffman code over the vocabulary's counts (frequent words get short codes), merging the
 * two least frequent nodes from two sorted fronts. Word w's path from the root is
 * {@code points[w]} (the inner nodes, rows of the output matrix, 0 .. V − 2) with the branch
 * {@code codes[w]} taken at each (0 or 1); predicting w is one logistic regression per node:
 * <pre>
 *   p(w | in) = Π_d σ((1 − 2·code_d) · in·node_d)      g_d = (1 − code_d − σ(in·node_d)) · alpha
 * </pre>
 */
final class HuffmanTree {
    final byte[][] codes;   // [V][codelen]
    final int[][] points;   // [V][codelen]
    final int longestPath;  // max codelen

    /** The tree over {@code counts} (index 0 is {@code </s>}, then most frequent first, as {@link Vocab}). */
    HuffmanTree(long[] counts) {
        int v = counts.length;
        codes = new byte[v][];
        points = new int[v][];
        if (v == 1) {                                        // a lone word: one node, one branch
            codes[0] = new byte[] {0};
            points[0] = new int[] {0};
            longestPath = 1;
            return;
        }
        long[] count = new long[2 * v - 1];
        int[] parent = new int[2 * v - 1];
        byte[] binary = new byte[2 * v - 1];
        System.arraycopy(counts, 0, count, 0, v);
        java.util.Arrays.fill(count, v, 2 * v - 1, Long.MAX_VALUE / 4);
        int pos1 = v - 1;                                    // leaves, least frequent first, going down
        int pos2 = v;                                        // inner nodes in the order they are made
        for (int a = 0; a < v - 1; a++) {
            int min1;
            int min2;
            if (pos1 >= 0 && count[pos1] < count[pos2]) {
                min1 = pos1--;
            } else {
                min1 = pos2++;
            }
            if (pos1 >= 0 && count[pos1] < count[pos2]) {
                min2 = pos1--;
            } else {
                min2 = pos2++;
            }
            count[v + a] = count[min1] + count[min2];
            parent[min1] = v + a;
            parent[min2] = v + a;
            binary[min2] = 1;
        }
        int root = 2 * v - 2;
        byte[] code = new byte[64];
        int[] point = new int[64];
        int longest = 0;
        for (int w = 0; w < v; w++) {
            int n = 0;
            for (int b = w; b != root; b = parent[b]) {
                if (n == code.length) {
                    code = java.util.Arrays.copyOf(code, 2 * n);
                    point = java.util.Arrays.copyOf(point, 2 * n);
                }
                code[n] = binary[b];
                point[n] = b;
                n++;
            }
            longest = Math.max(longest, n);
            codes[w] = new byte[n];
            points[w] = new int[n];
            points[w][0] = v - 2;                            // the root's row
            for (int d = 0; d < n; d++) {
                codes[w][n - d - 1] = code[d];
                if (d > 0) {
                    points[w][n - d] = point[d] - v;         // inner node b is row b − V
                }
            }
        }
        longestPath = longest;
    }
}
