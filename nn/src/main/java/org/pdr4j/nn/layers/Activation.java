package org.pdr4j.nn.layers;

import java.util.function.UnaryOperator;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;

/** An element-wise activation as a layer (no parameters). */
public final class Activation extends Module implements Layer {
    private final String name;
    private final UnaryOperator<Var> fn;

    private Activation(String name, UnaryOperator<Var> fn) {
        this.name = name;
        this.fn = fn;
    }

    /** GELU, exact erf form (torch's default approximate='none'). */
    public static Activation gelu() { return new Activation("GELU", Var::gelu); }

    public static Activation silu() { return new Activation("SiLU", Var::silu); }

    public static Activation relu() { return new Activation("ReLU", Var::relu); }

    public static Activation sigmoid() { return new Activation("Sigmoid", Var::sigmoid); }

    public static Activation tanh() { return new Activation("Tanh", Var::tanh); }

    public static Activation leakyRelu(double slope) { return new Activation("LeakyReLU(" + slope + ")", x -> x.leakyRelu(slope)); }

    @Override public Var forward(Var x) { return fn.apply(x); }

    @Override public String toString() { return name; }
}
