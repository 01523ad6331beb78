package org.pdr4j.tensor.io;

import org.pdr4j.tensor.Shape;

/**
 * What an {@code .npy} array (or one array of an {@code .npz}) holds, from its header alone.
 *
 * @param name  the {@code .npz} key ({@code "x"} for entry {@code x.npy}), or the file name of an {@code .npy}
 * @param descr NumPy's type string as stored, e.g. {@code "<f4"}, {@code "|u1"}, {@code ">i2"}, {@code "<c8"}
 * @param dtype the element type, or {@code null} when {@link Npy} cannot read it (complex, strings, ...)
 * @param shape the array's shape (C order)
 */
public record NpyInfo(String name, String descr, NpyDType dtype, Shape shape) {
    /** True when {@link Npy} can read this array. */
    public boolean isSupported() {
        return dtype != null;
    }

    /** NumPy's name of the type ({@code float32}), or the raw {@link #descr} when unsupported. */
    public String dtypeName() {
        return dtype != null ? dtype.numpyName() : descr;
    }

    @Override
    public String toString() {
        return name + ": " + dtypeName() + " " + shape;
    }
}
