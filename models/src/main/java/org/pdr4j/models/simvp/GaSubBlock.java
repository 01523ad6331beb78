package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.layers.BatchNorm2d;
import org.pdr4j.nn.layers.DropPath;
import org.pdr4j.tensor.Tensor;

/**
 * One translator block of SimVPv2 (gSTA, OpenSTL {@code GASubBlock}) or, with temporal attention,
 * of TAU ({@code TAUSubBlock}): two pre-norm residual branches, attention and MixMlp, each scaled
 * per channel by a layer scale initialised to 1e-2 and dropped per sample by DropPath.
 */
public final class GaSubBlock extends Module implements Layer {
    private final Parameter layerScale1, layerScale2;
    private final BatchNorm2d norm1, norm2;
    private final GatedAttention attn;
    private final MixMlp mlp;
    private final DropPath dropPath;
    private final int dim;

    public GaSubBlock(SplittableRandom rng, int dim, double mlpRatio, double dropPath, boolean temporal) {
        this.dim = dim;
        layerScale1 = param("layer_scale_1", Tensor.full(1e-2, dim));
        layerScale2 = param("layer_scale_2", Tensor.full(1e-2, dim));
        norm1 = module("norm1", new BatchNorm2d(dim));
        attn = module("attn", new GatedAttention(rng, dim, temporal));
        this.dropPath = module("drop_path", new DropPath(dropPath));
        norm2 = module("norm2", new BatchNorm2d(dim));
        mlp = module("mlp", new MixMlp(rng, dim, (int) (dim * mlpRatio)));
        Layers.initTranslator(this, rng);
    }

    @Override public Var forward(Var x) {
        Var a = layerScale1.var().reshape(dim, 1, 1).mul(attn.forward(norm1.forward(x)));
        x = x.add(dropPath.forward(a));
        Var m = layerScale2.var().reshape(dim, 1, 1).mul(mlp.forward(norm2.forward(x)));
        return x.add(dropPath.forward(m));
    }
}
