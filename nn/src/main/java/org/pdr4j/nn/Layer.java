package org.pdr4j.nn;

import org.pdr4j.autograd.Var;

/** A module with one input and one output, so layers compose in a {@link Sequential}. */
public interface Layer {
    Var forward(Var x);
}
