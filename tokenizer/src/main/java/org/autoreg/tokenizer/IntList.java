package org.autoreg.tokenizer;

import java.util.Arrays;

/** A growable array of ints, the internal buffer of the encode paths. */
final class IntList {
    private int[] data;
    private int size;

    IntList() {
        this(16);
    }

    IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    void add(int value) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = value;
    }

    void addAll(int[] values, int from, int to) {
        int n = to - from;
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
        }
        System.arraycopy(values, from, data, size, n);
        size += n;
    }

    int get(int i) {
        return data[i];
    }

    void set(int i, int value) {
        data[i] = value;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
