package org.pdr4j.models.data;

/** The first {@code size} samples of another dataset (a config's epoch size). */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int size;

    /** {@code size} <= 0 or larger than the base means all of it. */
    public Subset(Dataset base, int size) {
        this.base = base;
        this.size = size <= 0 ? base.size() : Math.min(size, base.size());
    }

    @Override public String name() { return base.name(); }
    @Override public int size() { return size; }
    @Override public int inFrames() { return base.inFrames(); }
    @Override public int outFrames() { return base.outFrames(); }
    @Override public int channels() { return base.channels(); }
    @Override public int height() { return base.height(); }
    @Override public int width() { return base.width(); }
    @Override public ValueScale scale() { return base.scale(); }
    @Override public java.util.List<String> sources() { return base.sources(); }

    @Override public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("sample " + index + " of " + size);
        base.fill(index, input, inOff, target, tgtOff);
    }
}
