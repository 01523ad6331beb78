/**
 * NumPy {@code .npy} and {@code .npz} files: {@link org.pdr4j.tensor.io.Npy} reads and writes
 * them, {@link org.pdr4j.tensor.io.AtomicFiles} makes every write all-or-nothing.
 *
 * <p>Errors: a file that is missing, not NPY/NPZ, truncated, of an unsupported dtype, or
 * lacking a requested array throws {@link org.pdr4j.tensor.io.NpyFormatException} (an
 * {@link java.lang.IllegalArgumentException}: the input is bad), whose message starts with the
 * file's path. Other I/O failures (permissions, a full disk) stay {@link java.io.IOException}s.
 */
package org.pdr4j.tensor.io;
