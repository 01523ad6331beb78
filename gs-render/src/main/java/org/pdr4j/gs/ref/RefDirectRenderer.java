package org.pdr4j.gs.ref;

import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.SplatGeometry;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * {@code render_direct} of the reference script in scalar double precision: each Gaussian's
 * K x K patch, shifted with one pair of bilinear weights onto its (K+1) x (K+1) footprint.
 * The slow, obvious definition the fused kernels are tested against, and the implementation
 * F64 inputs (gradient checks) run on. Output dtype follows the input.
 */
public final class RefDirectRenderer implements Renderer {
    @Override
    public String name() {
        return "ref";
    }

    /** Per-Gaussian values both passes need. */
    private record Splat(double[][] k, double[][] u, double[][] v, double s1, double s2, boolean s1Live, boolean s2Live,
                         double wx, double wy, double x0, double y0) {}

    private static Splat splat(double[] co, double[] sc, double[] ro, int j, RenderSpec spec) {
        int kk = spec.kernel();
        double[] ax = SplatGeometry.grid(kk);
        double s1raw = sc[2 * j], s2raw = sc[2 * j + 1];
        double s1 = Math.max(s1raw, SplatGeometry.MIN_SCALE), s2 = Math.max(s2raw, SplatGeometry.MIN_SCALE);
        double c = Math.cos(ro[j]), s = Math.sin(ro[j]);
        double[][] k = new double[kk][kk], u = new double[kk][kk], v = new double[kk][kk];
        for (int a = 0; a < kk; a++) {
            for (int b = 0; b < kk; b++) {
                double gx = ax[b], gy = ax[a];
                u[a][b] = c * gx + s * gy;
                v[a][b] = -s * gx + c * gy;
                double p = u[a][b] / s1, q = v[a][b] / s2;
                k[a][b] = Math.exp(-0.5 * (p * p + q * q));
            }
        }
        double dx = co[2 * j] * spec.width() / 2.0, dy = co[2 * j + 1] * spec.height() / 2.0;
        double fx = Math.floor(dx), fy = Math.floor(dy);
        return new Splat(k, u, v, s1, s2, s1raw >= SplatGeometry.MIN_SCALE, s2raw >= SplatGeometry.MIN_SCALE,
                dx - fx, dy - fy, SplatGeometry.origin(spec.left(), fx), SplatGeometry.origin(spec.top(), fy));
    }

    private static double kp(double[][] k, int a, int b) {
        return a < 0 || b < 0 || a >= k.length || b >= k.length ? 0 : k[a][b];
    }

    /** The shifted patch at footprint pixel (r, q). */
    private static double shifted(Splat t, int r, int q) {
        double a = kp(t.k, r - 1, q - 1), b = kp(t.k, r - 1, q), c = kp(t.k, r, q - 1), d = kp(t.k, r, q);
        return (1 - t.wy) * ((1 - t.wx) * a + t.wx * b) + t.wy * ((1 - t.wx) * c + t.wx * d);
    }

    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        int p = g.frames(), n = g.count(), ch = g.channels(), h = spec.height(), w = spec.width(), kk = spec.kernel();
        double[] co = g.coords().toDoubleArray(), sc = g.scale().toDoubleArray(), ro = g.rotation().toDoubleArray();
        double[] am = g.amplitudes().toDoubleArray();
        double[] out = new double[p * ch * h * w];
        for (int f = 0; f < p; f++) {
            for (int i = 0; i < n; i++) {
                int j = f * n + i;
                Splat t = splat(co, sc, ro, j, spec);
                if (SplatGeometry.misses(t.x0, kk, w) || SplatGeometry.misses(t.y0, kk, h)) continue;
                int x0 = (int) t.x0, y0 = (int) t.y0;
                for (int r = 0; r <= kk; r++) {
                    int y = y0 + r;
                    if (y < 0 || y >= h) continue;
                    for (int q = 0; q <= kk; q++) {
                        int x = x0 + q;
                        if (x < 0 || x >= w) continue;
                        double sh = shifted(t, r, q);
                        for (int c = 0; c < ch; c++) out[((f * ch + c) * h + y) * w + x] += am[j * ch + c] * sh;
                    }
                }
            }
        }
        return Tensor.of(out, p, ch, h, w).to(g.dtype());
    }

    @Override
    public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        Renderer.checkGradImage(g, spec, gradImage);
        int p = g.frames(), n = g.count(), ch = g.channels(), h = spec.height(), w = spec.width(), kk = spec.kernel();
        double[] co = g.coords().toDoubleArray(), sc = g.scale().toDoubleArray(), ro = g.rotation().toDoubleArray();
        double[] am = g.amplitudes().toDoubleArray(), go = gradImage.toDoubleArray();
        double[] gCo = new double[p * n * 2], gSc = new double[p * n * 2], gRo = new double[p * n], gAm = new double[p * n * ch];
        for (int f = 0; f < p; f++) {
            for (int i = 0; i < n; i++) {
                int j = f * n + i;
                Splat t = splat(co, sc, ro, j, spec);
                if (SplatGeometry.misses(t.x0, kk, w) || SplatGeometry.misses(t.y0, kk, h)) continue;
                int x0 = (int) t.x0, y0 = (int) t.y0;
                // G = sum_c amp_c * dL/dout_c over the footprint (0 off the frame).
                double[][] gg = new double[kk + 1][kk + 1];
                double gwx = 0, gwy = 0;
                for (int r = 0; r <= kk; r++) {
                    int y = y0 + r;
                    if (y < 0 || y >= h) continue;
                    for (int q = 0; q <= kk; q++) {
                        int x = x0 + q;
                        if (x < 0 || x >= w) continue;
                        double sh = shifted(t, r, q), acc = 0;
                        for (int c = 0; c < ch; c++) {
                            double gv = go[((f * ch + c) * h + y) * w + x];
                            gAm[j * ch + c] += gv * sh;
                            acc += am[j * ch + c] * gv;
                        }
                        gg[r][q] = acc;
                        double a = kp(t.k, r - 1, q - 1), b = kp(t.k, r - 1, q), c = kp(t.k, r, q - 1), d = kp(t.k, r, q);
                        gwx += acc * ((1 - t.wy) * (b - a) + t.wy * (d - c));
                        gwy += acc * (((1 - t.wx) * c + t.wx * d) - ((1 - t.wx) * a + t.wx * b));
                    }
                }
                gCo[2 * j] = gwx * w / 2.0;
                gCo[2 * j + 1] = gwy * h / 2.0;
                // Adjoint of the bilinear shift onto the kernel samples, then through the Gaussian.
                double gs1 = 0, gs2 = 0, gth = 0;
                for (int a = 0; a < kk; a++) {
                    for (int b = 0; b < kk; b++) {
                        double gk = (1 - t.wy) * (1 - t.wx) * gg[a + 1][b + 1] + (1 - t.wy) * t.wx * gg[a + 1][b]
                                + t.wy * (1 - t.wx) * gg[a][b + 1] + t.wy * t.wx * gg[a][b];
                        if (gk == 0) continue;
                        double k = t.k[a][b], u = t.u[a][b], v = t.v[a][b];
                        gs1 += gk * k * (u / t.s1) * (u / t.s1) / t.s1;
                        gs2 += gk * k * (v / t.s2) * (v / t.s2) / t.s2;
                        gth += gk * k * u * v * (1 / (t.s2 * t.s2) - 1 / (t.s1 * t.s1));
                    }
                }
                gSc[2 * j] = t.s1Live ? gs1 : 0;
                gSc[2 * j + 1] = t.s2Live ? gs2 : 0;
                gRo[j] = gth;
            }
        }
        DType dt = g.dtype();
        return new GaussianGrads(Tensor.of(gCo, p, n, 2).to(dt), Tensor.of(gSc, p, n, 2).to(dt),
                Tensor.of(gRo, p, n).to(dt), Tensor.of(gAm, p, n, ch).to(dt));
    }
}
