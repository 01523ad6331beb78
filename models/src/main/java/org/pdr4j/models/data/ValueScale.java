package org.pdr4j.models.data;

import java.util.Arrays;

/**
 * How a data set's stored values relate to the quantity they measure: channel {@code c}'s physical
 * value is {@code value * std[c] + mean[c]}, in {@code unit}. Image data sets are
 * {@link #UNIT_INTERVAL}: values in [0, 1], no unit. WeatherBench is z-scored temperature: its
 * metrics are reported in kelvin after undoing this.
 *
 * @param bounded true when values lie in [0, 1], so predictions may be clamped there and PSNR and
 *                SSIM (data range 1) are meaningful
 */
public record ValueScale(String unit, double[] mean, double[] std, boolean bounded) {
    /** Values in [0, 1]: pixel intensities, TaxiBJ's rescaled flows. */
    public static final ValueScale UNIT_INTERVAL = new ValueScale("", new double[] {0}, new double[] {1}, true);

    public ValueScale {
        if (mean.length != std.length || mean.length == 0) throw new IllegalArgumentException("value scale: " + mean.length + " means and " + std.length + " stds");
        for (double s : std) if (!(s > 0) || Double.isInfinite(s)) throw new IllegalArgumentException("value scale: std must be positive and finite, got " + s);
        mean = mean.clone();
        std = std.clone();
    }

    /** A z-score normalisation in {@code unit} with per-channel {@code mean} and {@code std}. */
    public static ValueScale zScore(String unit, double[] mean, double[] std) {
        return new ValueScale(unit, mean, std, false);
    }

    /** True when stored values are the physical ones (mean 0, std 1 for every channel). */
    public boolean isIdentity() {
        for (int c = 0; c < mean.length; c++) if (mean[c] != 0 || std[c] != 1) return false;
        return true;
    }

    /** The physical value of {@code v} in channel {@code c} (channels beyond the arrays reuse the last entry). */
    public double physical(double v, int c) {
        int k = Math.min(c, mean.length - 1);
        return v * std[k] + mean[k];
    }

    @Override public double[] mean() { return mean.clone(); }
    @Override public double[] std() { return std.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueScale v && unit.equals(v.unit) && bounded == v.bounded && Arrays.equals(mean, v.mean) && Arrays.equals(std, v.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * unit.hashCode() + Arrays.hashCode(mean)) + Arrays.hashCode(std) + (bounded ? 1 : 0);
    }

    @Override
    public String toString() {
        return isIdentity() ? (bounded ? "[0, 1]" : "raw " + unit) : "z-score " + unit + " mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }
}
