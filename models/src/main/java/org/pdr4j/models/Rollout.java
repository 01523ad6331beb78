package org.pdr4j.models;

import java.util.ArrayList;
import java.util.List;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Module;

/**
 * A {@code Tin -> Tin} predictor made to predict {@code Tout} frames, as OpenSTL does for SimVP-family
 * models when the horizon differs from the context (KTH's 10 -> 20 and 10 -> 30): the model is
 * applied to its own last prediction until {@code Tout} frames exist, the last application cut to
 * what is still needed (one cut application when {@code Tout < Tin}). Gradients flow through every
 * application, so training sees the whole roll-out.
 *
 * <p>The wrapped model is the child {@code "model"}: its tensors are named {@code model.<name>} in
 * state dicts.
 */
public final class Rollout extends Module implements VideoModel {
    private final Module model;
    private final int inFrames, outFrames;

    /**
     * @param model     a {@link VideoModel} mapping {@code inFrames} frames to {@code inFrames} frames
     * @param outFrames frames to predict
     */
    public Rollout(Module model, int inFrames, int outFrames) {
        if (!(model instanceof VideoModel)) throw new IllegalArgumentException("roll-out: " + model.getClass().getSimpleName() + " is not a video model");
        if (inFrames < 1 || outFrames < 1) throw new IllegalArgumentException("roll-out: frames must be >= 1, got " + inFrames + " -> " + outFrames);
        this.model = module("model", model);
        this.inFrames = inFrames;
        this.outFrames = outFrames;
    }

    /** The wrapped {@code Tin -> Tin} model. */
    public Module model() {
        return model;
    }

    @Override
    public Var forward(Var frames) {
        if (frames.shape().rank() != 5 || frames.shape().dim(1) != inFrames)
            throw new IllegalArgumentException("roll-out: expected [B, " + inFrames + ", C, H, W] input, got " + frames.shape());
        List<Var> parts = new ArrayList<>();
        Var cur = frames;
        for (int done = 0; done < outFrames; ) {
            cur = ((VideoModel) model).forward(cur);
            int take = Math.min(inFrames, outFrames - done);
            parts.add(take == inFrames ? cur : cur.narrow(1, 0, take));
            done += take;
        }
        return parts.size() == 1 ? parts.get(0) : Var.concat(parts, 1);
    }

    @Override
    public String kind() {
        return ((VideoModel) model).kind();
    }
}
