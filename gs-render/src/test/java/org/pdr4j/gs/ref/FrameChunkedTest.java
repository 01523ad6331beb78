package org.pdr4j.gs.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.Tensor;

class FrameChunkedTest {
    @Test
    void chunksGiveTheSameImageAndGradientsAsOneBatch() {
        Gaussians g = new Gaussians(Tensor.rand(1, 5, 7, 2).mul(2).sub(1), Tensor.rand(2, 5, 7, 2), Tensor.rand(3, 5, 7),
                Tensor.rand(4, 5, 7, 2));
        RenderSpec spec = new RenderSpec(12, 10, 5);
        BaseGridRenderer whole = new BaseGridRenderer();
        // One frame's stack is 7*2*12*10 = 1680 floats: a budget of 3500 gives chunks of 2, 2, 1.
        FrameChunked chunked = new FrameChunked(new BaseGridRenderer(), 3500);
        assertArrayEquals(whole.forward(g, spec).toFloatArray(), chunked.forward(g, spec).toFloatArray());
        Tensor up = Tensor.randn(5, 5, 2, 12, 10);
        GaussianGrads a = whole.backward(g, spec, up), b = chunked.backward(g, spec, up);
        assertArrayEquals(a.gradCoords().toFloatArray(), b.gradCoords().toFloatArray());
        assertArrayEquals(a.gradScale().toFloatArray(), b.gradScale().toFloatArray());
        assertArrayEquals(a.gradRotation().toFloatArray(), b.gradRotation().toFloatArray());
        assertArrayEquals(a.gradAmplitudes().toFloatArray(), b.gradAmplitudes().toFloatArray());
    }
}
