/**
 * The {@code opencl} renderer: {@link org.pdr4j.gs.opencl.OpenClRenderer} launches the forward
 * and backward kernels of {@code predgsplat.cl} (a resource of this package) on the opencl
 * runtime of {@code org.pdr4j.tensor.backend.opencl}. Tested on pocl's CPU device.
 */
package org.pdr4j.gs.opencl;
