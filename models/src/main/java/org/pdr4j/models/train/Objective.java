package org.pdr4j.models.train;

import java.util.List;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.loss.Losses;

/** The training losses by name, as the CLI spells them. */
public final class Objective {
    private Objective() {}

    public static final List<String> NAMES = List.of("mse", "mse+reg", "l1", "l1ssim");

    /** The loss {@code name} of prediction and target, both [B, T, C, H, W]. */
    public static Var loss(String name, Var pred, Var target) {
        return switch (name) {
            case "mse" -> Losses.mse(pred, target);
            // TAU: MSE plus 0.1 x the differential divergence regulariser (OpenSTL's alpha).
            case "mse+reg" -> Losses.mse(pred, target).add(Losses.diffDivReg(pred, target, 0.1, 1e-12).mul(0.1));
            case "l1" -> Losses.l1(pred, target);
            // The paper's 0.5 * L1 + 0.5 * (1 - SSIM).
            case "l1ssim" -> Losses.l1Ssim(pred, target, 0.5);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
