package dev.cutover.sandbox.client;

import java.util.Arrays;

/** A growable array of {@code byte}s, for enum ordinals stored beside {@link Longs}. */
final class Bytes {

    private byte[] values = new byte[1024];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = (byte) value;
    }

    byte get(int index) {
        return values[index];
    }

    void set(int index, int value) {
        values[index] = (byte) value;
    }

    int size() {
        return size;
    }
}
