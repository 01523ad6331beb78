package org.pdr4j.models;

import org.pdr4j.autograd.Var;

/**
 * A video predictor: {@code [B, T_in, C, H, W]} input frames in, {@code [B, T_out, C, H, W]}
 * predicted frames out. Implementations are {@link org.pdr4j.nn.Module}s.
 */
public interface VideoModel {
    Var forward(Var frames);

    /** The model's name as the CLI and checkpoints spell it ("simvp", "gsta", "tau", "pdr"). */
    String kind();
}
