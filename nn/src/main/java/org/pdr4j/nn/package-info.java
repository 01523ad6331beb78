/**
 * Neural-network building blocks on top of autograd: {@code Module} and {@code Parameter},
 * layers (convolutions, normalisation, attention), losses (MSE, L1, SSIM), optimisers (AdamW),
 * learning-rate schedules and safetensors state dicts. Filled by the models issue; the module
 * exists now so the reactor's layering is fixed from the start.
 */
package org.pdr4j.nn;
