package org.pdr4j.tensor;

/**
 * The flat memory behind one or more tensors. Views share a storage; kernels read it through
 * a tensor's shape, strides and offset.
 */
public sealed interface Storage permits Storage.F32, Storage.F64 {
    int length();

    DType dtype();

    double getDouble(int i);

    void setDouble(int i, double v);

    static Storage allocate(DType dtype, int n) {
        return dtype == DType.F32 ? new F32(new float[n]) : new F64(new double[n]);
    }

    /** Heap float32 storage. */
    record F32(float[] array) implements Storage {
        @Override public int length() { return array.length; }
        @Override public DType dtype() { return DType.F32; }
        @Override public double getDouble(int i) { return array[i]; }
        @Override public void setDouble(int i, double v) { array[i] = (float) v; }
    }

    /** Heap float64 storage. */
    record F64(double[] array) implements Storage {
        @Override public int length() { return array.length; }
        @Override public DType dtype() { return DType.F64; }
        @Override public double getDouble(int i) { return array[i]; }
        @Override public void setDouble(int i, double v) { array[i] = v; }
    }
}
