package org.pdr4j.tensor.io;

import org.pdr4j.tensor.DType;

/**
 * The NumPy element types {@link Npy} can read. {@code float64} is read as an {@link DType#F64}
 * tensor; every other type is converted to {@link DType#F32} (64-bit integers above 2^24 lose
 * precision, as {@code x.astype(np.float32)} does).
 */
public enum NpyDType {
    BOOL("bool", 'b', 1),
    INT8("int8", 'i', 1),
    UINT8("uint8", 'u', 1),
    INT16("int16", 'i', 2),
    UINT16("uint16", 'u', 2),
    INT32("int32", 'i', 4),
    UINT32("uint32", 'u', 4),
    INT64("int64", 'i', 8),
    UINT64("uint64", 'u', 8),
    FLOAT16("float16", 'f', 2),
    FLOAT32("float32", 'f', 4),
    FLOAT64("float64", 'f', 8);

    private final String numpyName;
    private final char kind;
    private final int bytes;

    NpyDType(String numpyName, char kind, int bytes) {
        this.numpyName = numpyName;
        this.kind = kind;
        this.bytes = bytes;
    }

    /** NumPy's name for it: {@code float32}, {@code uint8}, ... */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The tensor type a read produces: F64 for float64, else F32. */
    public DType tensorDType() {
        return this == FLOAT64 ? DType.F64 : DType.F32;
    }

    /** The type with NumPy kind character {@code kind} ('b', 'i', 'u', 'f') and size {@code bytes}, or null. */
    static NpyDType of(char kind, int bytes) {
        for (NpyDType t : values()) {
            if (t.kind == kind && t.bytes == bytes) return t;
        }
        return null;
    }

    /** Names of all supported types, for error messages. */
    static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (NpyDType t : values()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(t.numpyName);
        }
        return sb.toString();
    }
}
