package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.init.Init;
import org.pdr4j.tensor.Tensor;

/**
 * {@code torch.nn.MultiheadAttention(embed_dim, num_heads, dropout, bias=True, batch_first=True)}
 * with its parameter names: {@code in_proj_weight [3E, E]} and {@code in_proj_bias [3E]} (query,
 * key and value projections stacked in that order), {@code out_proj.weight [E, E]},
 * {@code out_proj.bias [E]}. Init as torch: Xavier-uniform {@code in_proj_weight}, zero biases,
 * Linear's default for {@code out_proj.weight}.
 *
 * <p>Inputs are batch-first, {@code [B, L, E]} queries against {@code [B, S, E]} keys and values:
 * per head h of width {@code d = E / heads},
 * {@code softmax(q_h k_h^T / sqrt(d) + mask) v_h}, dropout on the attention weights in training,
 * heads concatenated and projected by {@code out_proj}.
 */
public final class MultiheadAttention extends Module {
    private final int embed, heads;
    private final Parameter inProjWeight, inProjBias;
    private final Linear outProj;
    private final Dropout dropout;

    /** Weights drawn from {@code new SplittableRandom(seed)}; {@code dropout} applies to the attention weights. */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, long seed) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim " + embedDim + " must be a positive multiple of num_heads " + numHeads);
        }
        this.embed = embedDim;
        this.heads = numHeads;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor w = Tensor.zeros(3 * embedDim, embedDim);
        double bound = Math.sqrt(6.0 / (embedDim + 3 * embedDim)); // xavier_uniform_ on [3E, E]
        Init.uniform(w, -bound, bound, rng);
        inProjWeight = param("in_proj_weight", w);
        inProjBias = param("in_proj_bias", Tensor.zeros(3 * embedDim));
        outProj = module("out_proj", new Linear(embedDim, embedDim, true, rng.nextLong()));
        Init.zeros(outProj.bias().value());
        this.dropout = module("dropout", new Dropout(dropout));
    }

    public int embedDim() { return embed; }

    public int numHeads() { return heads; }

    /** Self-attention: {@code forward(x, x, x, null)}. */
    public Var forward(Var x) {
        return forward(x, x, x, null);
    }

    /**
     * {@code [B, L, E]} output for queries {@code [B, L, E]}, keys and values {@code [B, S, E]},
     * and an optional additive mask broadcastable to {@code [B, heads, L, S]} (e.g. {@code -inf}
     * where a query must not attend), or null.
     */
    public Var forward(Var query, Var key, Var value, Tensor mask) {
        check("query", query);
        check("key", key);
        check("value", value);
        int b = query.size(0), l = query.size(1), s = key.size(1), d = embed / heads;
        if (key.size(0) != b || value.size(0) != b || value.size(1) != s) {
            throw new IllegalArgumentException("MultiheadAttention: query " + query.shape() + ", key " + key.shape()
                    + " and value " + value.shape() + " must share the batch, and key and value the length");
        }
        return attention(query, key, value, inProjWeight.var(), inProjBias.var(), outProj.weight().var(), outProj.bias().var(),
                heads, mask, dropout::forward);
    }

    /**
     * The computation on explicit weights, as {@code torch.nn.functional.multi_head_attention_forward}:
     * {@code inW [3E, E]}, {@code inB [3E]}, {@code outW [E, E]}, {@code outB [E]}; queries
     * {@code [B, L, E]}, keys and values {@code [B, S, E]}; {@code attnDropout} is applied to
     * the attention weights {@code [B, heads, L, S]} (pass {@code a -> a} for none).
     */
    public static Var attention(Var query, Var key, Var value, Var inW, Var inB, Var outW, Var outB, int heads, Tensor mask,
                                java.util.function.UnaryOperator<Var> attnDropout) {
        int b = query.size(0), l = query.size(1), s = key.size(1), e = query.size(2), d = e / heads;
        Var q = project(query, inW, inB, 0), k = project(key, inW, inB, 1), v = project(value, inW, inB, 2);
        // [B, T, E] -> [B, heads, T, d]
        q = q.reshape(b, l, heads, d).permute(0, 2, 1, 3);
        k = k.reshape(b, s, heads, d).permute(0, 2, 1, 3);
        v = v.reshape(b, s, heads, d).permute(0, 2, 1, 3);
        Var scores = q.mul(1 / Math.sqrt(d)).matmul(k.transpose(2, 3));
        if (mask != null) scores = scores.add(Var.constant(mask));
        Var attn = attnDropout.apply(NormOps.softmax(scores, -1));
        Var o = attn.matmul(v).permute(0, 2, 1, 3).contiguous().reshape(b * l, e);
        return o.matmul(outW.transpose(0, 1)).add(outB).reshape(b, l, e);
    }

    /** Rows {@code [part*E, (part+1)*E)} of the stacked projection applied to {@code x [B, T, E]}. */
    private static Var project(Var x, Var inW, Var inB, int part) {
        int e = x.size(2);
        Var w = inW.narrow(0, part * e, e), bias = inB.narrow(0, part * e, e);
        return x.reshape(-1, e).matmul(w.transpose(0, 1)).add(bias).reshape(x.size(0), x.size(1), e);
    }

    private void check(String what, Var x) {
        if (x.rank() != 3 || x.size(2) != embed) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " must be [B, T, " + embed + "], got " + x.shape());
        }
    }
}
