package dev.cutover.sandbox.client;

import java.util.Arrays;

/** A growable array of {@code long}s: a few minutes at 1,000 writes/s is hundreds of thousands of entries. */
final class Longs {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }
}
