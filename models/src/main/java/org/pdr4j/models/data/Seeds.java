package org.pdr4j.models.data;

/** Seed mixing shared by the generators and the loader. */
final class Seeds {
    private Seeds() {}

    /** SplitMix64's finaliser: a bijection on longs that spreads every input bit over the output. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A seed for stream {@code (a, b)} under {@code seed}: for a fixed seed, distinct pairs give
     * distinct results (the pair is packed into one long, then mixed bijectively).
     */
    static long stream(long seed, int a, int b) {
        long key = ((long) a << 32) | (b & 0xffffffffL);
        return mix64(key + mix64(seed ^ 0x5DEECE66DL));
    }
}
