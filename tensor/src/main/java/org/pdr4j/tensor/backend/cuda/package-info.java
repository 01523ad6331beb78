/**
 * The CUDA driver API through {@code java.lang.foreign} (no JNI, no third-party wrapper):
 * {@link org.pdr4j.tensor.backend.cuda.CuApi} is the raw call surface and the seam for fakes,
 * {@link org.pdr4j.tensor.backend.cuda.CuNative} binds it to {@code libcuda.so.1},
 * {@link org.pdr4j.tensor.backend.cuda.CudaDriver} checks every status, and
 * {@link org.pdr4j.tensor.backend.cuda.CudaContext}, {@link org.pdr4j.tensor.backend.cuda.CudaModule}
 * and {@link org.pdr4j.tensor.backend.cuda.DeviceBuffer} own native resources
 * (try-with-resources). Argument packing ({@link org.pdr4j.tensor.backend.cuda.KernelArgs}) and
 * launch geometry ({@link org.pdr4j.tensor.backend.cuda.LaunchGeometry}) are pure Java.
 *
 * <p><b>None of this has run on a real GPU</b>: it was written on a machine without a CUDA
 * driver, and is tested there against a fake {@code CuApi}. Tests that need a driver skip
 * through a JUnit assumption that names the reason.
 */
package org.pdr4j.tensor.backend.cuda;
