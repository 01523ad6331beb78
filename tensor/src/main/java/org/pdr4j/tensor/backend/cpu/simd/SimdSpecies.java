package org.pdr4j.tensor.backend.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.PdrConfig;

/**
 * The vector species every SIMD kernel uses, in one holder class.
 *
 * <p>The constants live here, not in the kernels' callers, so that loading an ordinary class never
 * initialises the Vector API early (the Lucene pattern): only code that really runs a vector kernel
 * touches this class. Being {@code static final}, they are compile-time constants to C2, which is
 * what lets it map each vector onto one machine register.
 *
 * <p>The species is {@link FloatVector#SPECIES_PREFERRED} unless {@link PdrConfig#vectorBits()}
 * caps it at a narrower width (tests use that to exercise partly filled tails).
 */
public final class SimdSpecies {
    private SimdSpecies() {}

    /** The float species: the platform's preferred one, or narrower when capped by configuration. */
    public static final VectorSpecies<Float> F = pick();

    /** Lanes of {@link #F}, e.g. 16 floats on AVX-512. */
    public static final int LANES = F.length();

    private static VectorSpecies<Float> pick() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        int cap = PdrConfig.vectorBits();
        if (cap == 0 || cap >= preferred.vectorBitSize()) return preferred;
        return VectorSpecies.of(float.class, VectorShape.forBitSize(cap));
    }
}
