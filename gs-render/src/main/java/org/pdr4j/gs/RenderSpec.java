package org.pdr4j.gs;

/**
 * Output size and kernel size of a rendering.
 *
 * @param height H, at least kernel
 * @param width  W, at least kernel
 * @param kernel K: each Gaussian is sampled on a K x K grid spanning [-5, 5] (odd or even)
 */
public record RenderSpec(int height, int width, int kernel) {
    public RenderSpec {
        if (kernel < 1) throw new IllegalArgumentException("kernel size K must be >= 1, got " + kernel);
        if (height < kernel || width < kernel) {
            throw new IllegalArgumentException("the frame must be at least K x K: H=" + height + ", W=" + width + ", K=" + kernel);
        }
    }

    /** Left column of the unshifted patch: {@code (W - K) / 2}. */
    public int left() {
        return (width - kernel) / 2;
    }

    /** Top row of the unshifted patch: {@code (H - K) / 2}. */
    public int top() {
        return (height - kernel) / 2;
    }
}
