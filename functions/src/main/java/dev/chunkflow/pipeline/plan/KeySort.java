package dev.chunkflow.pipeline.plan;

import java.util.Arrays;

/**
 * Sorts keys by their bytes, unsigned (the order {@link KeyBytes} gives them). A merge sort over the
 * keys' first 16 bytes held as two longs next to each key's position, moved together so that merges
 * read and write sequentially; the stored bytes are only read when 16 bytes tie.
 */
final class KeySort {
    private static final int RUN = 24;

    private final byte[][] page;
    private final int[] offset;
    private final int[] length;

    private KeySort(byte[][] page, int[] offset, int[] length) {
        this.page = page;
        this.offset = offset;
        this.length = length;
    }

    /**
     * @return the positions {@code 0..n-1} of the keys whose bytes are {@code page[i]} from {@code offset[i]}
     *         for {@code length[i]}, in ascending order of those bytes
     */
    static int[] order(byte[][] page, int[] offset, int[] length) {
        return new KeySort(page, offset, length).sort();
    }

    private int[] sort() {
        int n = offset.length;
        long[] a0 = new long[n];
        long[] a1 = new long[n];
        int[] ai = new int[n];
        for (int i = 0; i < n; i++) {
            a0[i] = prefix(i, 0);
            a1[i] = prefix(i, 8);
            ai[i] = i;
        }
        for (int lo = 0; lo < n; lo += RUN) {
            insertionSort(a0, a1, ai, lo, Math.min(n, lo + RUN));
        }
        if (n <= RUN) {
            return ai;
        }
        long[] b0 = new long[n];
        long[] b1 = new long[n];
        int[] bi = new int[n];
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(n, lo + width);
                int hi = Math.min(n, lo + 2 * width);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    if (compare(a0[j], a1[j], ai[j], a0[i], a1[i], ai[i]) < 0) {
                        b0[k] = a0[j];
                        b1[k] = a1[j];
                        bi[k++] = ai[j++];
                    } else {
                        b0[k] = a0[i];
                        b1[k] = a1[i];
                        bi[k++] = ai[i++];
                    }
                }
                System.arraycopy(a0, i, b0, k, mid - i);
                System.arraycopy(a1, i, b1, k, mid - i);
                System.arraycopy(ai, i, bi, k, mid - i);
                k += mid - i;
                System.arraycopy(a0, j, b0, k, hi - j);
                System.arraycopy(a1, j, b1, k, hi - j);
                System.arraycopy(ai, j, bi, k, hi - j);
            }
            long[] t0 = a0;
            a0 = b0;
            b0 = t0;
            long[] t1 = a1;
            a1 = b1;
            b1 = t1;
            int[] ti = ai;
            ai = bi;
            bi = ti;
        }
        return ai;
    }

    private void insertionSort(long[] a0, long[] a1, int[] ai, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long x0 = a0[i];
            long x1 = a1[i];
            int xi = ai[i];
            int j = i - 1;
            while (j >= from && compare(x0, x1, xi, a0[j], a1[j], ai[j]) < 0) {
                a0[j + 1] = a0[j];
                a1[j + 1] = a1[j];
                ai[j + 1] = ai[j];
                j--;
            }
            a0[j + 1] = x0;
            a1[j + 1] = x1;
            ai[j + 1] = xi;
        }
    }

    private int compare(long x0, long x1, int x, long y0, long y1, int y) {
        int c = Long.compareUnsigned(x0, y0);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(x1, y1);
        if (c != 0) {
            return c;
        }
        return Arrays.compareUnsigned(page[x], offset[x], offset[x] + length[x], page[y], offset[y], offset[y] + length[y]);
    }

    /** Bytes {@code from..from+7} of key {@code i}, big-endian, zero past its end. */
    private long prefix(int i, int from) {
        byte[] b = page[i];
        int off = offset[i] + from;
        int n = Math.min(8, length[i] - from);
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (k < n ? b[off + k] & 0xff : 0);
        }
        return v;
    }
}
