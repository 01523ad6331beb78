package org.pdr4j.tensor.backend.cpu.conv;

/**
 * Float64 reference loops for 2-D convolution: the definition, written as directly as
 * possible. Used for F64 tensors (gradient checks) and as the oracle the fast float32 kernels
 * are tested against. Arrays are contiguous NCHW / OIHW from index 0.
 */
public final class RefConv {
    private RefConv() {}

    /** {@code y[n,co,oh,ow] = b[co] + sum x[n, g*cinG+ci, oh*s-p+kh*d, ow*s-p+kw*d] * w[co,ci,kh,kw]}. */
    public static double[] forward(double[] x, double[] w, double[] bias, ConvSpec s) {
        int oh = s.oh(), ow = s.ow(), cinG = s.cinG(), coutG = s.coutG();
        double[] y = new double[s.n() * s.cout() * oh * ow];
        for (int n = 0; n < s.n(); n++) {
            for (int co = 0; co < s.cout(); co++) {
                int g = co / coutG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias == null ? 0 : bias[co];
                        for (int ci = 0; ci < cinG; ci++) {
                            int xc = g * cinG + ci;
                            for (int a = 0; a < s.kh(); a++) {
                                int ih = i * s.strideH() - s.padH() + a * s.dilH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int b = 0; b < s.kw(); b++) {
                                    int iw = j * s.strideW() - s.padW() + b * s.dilW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    acc += x[((n * s.cin() + xc) * s.h() + ih) * s.w() + iw]
                                            * w[((co * cinG + ci) * s.kh() + a) * s.kw() + b];
                                }
                            }
                        }
                        y[((n * s.cout() + co) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Gradient of the input: every output gradient scattered back through the taps it read. */
    public static double[] backwardInput(double[] gy, double[] w, ConvSpec s) {
        double[] dx = new double[s.n() * s.cin() * s.h() * s.w()];
        forEachTap(s, (xi, wi, yi) -> dx[xi] += gy[yi] * w[wi]);
        return dx;
    }

    /** Gradient of the weight: products of output gradients and the inputs they saw, summed over batch and positions. */
    public static double[] backwardWeight(double[] gy, double[] x, ConvSpec s) {
        double[] dw = new double[s.cout() * s.cinG() * s.kh() * s.kw()];
        forEachTap(s, (xi, wi, yi) -> dw[wi] += gy[yi] * x[xi]);
        return dw;
    }

    /** Sum of the output gradient over batch and positions, per output channel. */
    public static double[] backwardBias(double[] gy, int n, int c, int hw) {
        double[] db = new double[c];
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int k = 0; k < hw; k++) db[ch] += gy[(b * c + ch) * hw + k];
        return db;
    }

    private interface Tap {
        void at(int xIndex, int wIndex, int yIndex);
    }

    /** Visits every (input, weight, output) index triple that the forward pass multiplies, in a fixed order. */
    private static void forEachTap(ConvSpec s, Tap tap) {
        int oh = s.oh(), ow = s.ow(), cinG = s.cinG(), coutG = s.coutG();
        for (int n = 0; n < s.n(); n++) {
            for (int co = 0; co < s.cout(); co++) {
                int g = co / coutG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((n * s.cout() + co) * oh + i) * ow + j;
                        for (int ci = 0; ci < cinG; ci++) {
                            int xc = g * cinG + ci;
                            for (int a = 0; a < s.kh(); a++) {
                                int ih = i * s.strideH() - s.padH() + a * s.dilH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int b = 0; b < s.kw(); b++) {
                                    int iw = j * s.strideW() - s.padW() + b * s.dilW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    tap.at(((n * s.cin() + xc) * s.h() + ih) * s.w() + iw, ((co * cinG + ci) * s.kh() + a) * s.kw() + b, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
