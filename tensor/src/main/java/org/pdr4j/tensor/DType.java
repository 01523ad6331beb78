package org.pdr4j.tensor;

/**
 * Element types. {@code F32} is what models compute in; {@code F64} exists so gradient checks
 * and reference kernels can run in double precision (it always runs on the scalar reference
 * backend).
 */
public enum DType {
    F32(4),
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The wider of two types: mixing F32 with F64 computes in F64. */
    public static DType promote(DType a, DType b) {
        return a == F64 || b == F64 ? F64 : F32;
    }
}
