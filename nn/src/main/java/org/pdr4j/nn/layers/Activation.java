package org.pdr4j.nn.layers;

import java.util.function.UnaryOperator;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;

/** Element-wise activations as layers (no parameters), so they sit in a {@link org.pdr4j.nn.Sequential}. */
public final class Activation extends Module implements Layer {
    private final String name;
    private final UnaryOperator<Var> f;

    private Activation(String name, UnaryOperator<Var> f) {
        this.name = name;
        this.f = f;
    }

    /** GELU, exact (erf) form, as torch.nn.GELU(). */
    public static Activation gelu() { return new Activation("GELU", Var::gelu); }

    public static Activation silu() { return new Activation("SiLU", Var::silu); }

    public static Activation relu() { return new Activation("ReLU", Var::relu); }

    public static Activation sigmoid() { return new Activation("Sigmoid", Var::sigmoid); }

    public static Activation tanh() { return new Activation("Tanh", Var::tanh); }

    public static Activation leakyRelu(double slope) { return new Activation("LeakyReLU(" + slope + ")", v -> v.leakyRelu(slope)); }

    public static Activation identity() { return new Activation("Identity", v -> v); }

    @Override public Var forward(Var x) { return f.apply(x); }

    @Override public String toString() { return name; }
}
