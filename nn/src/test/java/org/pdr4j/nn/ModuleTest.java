package org.pdr4j.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Linear;
import org.pdr4j.tensor.Tensor;

class ModuleTest {
    private static Sequential net(long seed) {
        return new Sequential(new Linear(3, 4, true, seed), Activation.relu(), new Linear(4, 2, false, seed + 1));
    }

    @Test void sequentialNamesLikeTorch() {
        Sequential s = net(1);
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(s.stateDict().keySet()));
        assertEquals(12 + 4 + 8, s.parameterCount());
    }

    @Test void loadStateDictRoundTrip() {
        Sequential a = net(1), b = net(2);
        assertFalse(a.stateDict().get("0.weight").allClose(b.stateDict().get("0.weight"), 0, 0));
        b.loadStateDict(a.stateDict());
        for (var e : a.stateDict().entrySet()) assertArrayEquals(e.getValue().toFloatArray(), b.stateDict().get(e.getKey()).toFloatArray());
    }

    @Test void loadStateDictIsStrict() {
        Sequential s = net(1);
        float[] before = s.stateDict().get("0.weight").toFloatArray();

        LinkedHashMap<String, Tensor> missing = new LinkedHashMap<>(net(3).stateDict());
        missing.remove("2.weight");
        var e1 = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(missing));
        assertTrue(e1.getMessage().contains("missing [2.weight]"), e1.getMessage());

        LinkedHashMap<String, Tensor> unexpected = new LinkedHashMap<>(net(3).stateDict());
        unexpected.put("2.bias", Tensor.zeros(2));
        var e2 = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(unexpected));
        assertTrue(e2.getMessage().contains("unexpected [2.bias]"), e2.getMessage());

        LinkedHashMap<String, Tensor> shape = new LinkedHashMap<>(net(3).stateDict());
        shape.put("0.bias", Tensor.zeros(5));
        var e3 = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(shape));
        assertTrue(e3.getMessage().contains("wrong shape"), e3.getMessage());

        assertArrayEquals(before, s.stateDict().get("0.weight").toFloatArray(), "nothing written on failure");
    }

    @Test void trainEvalPropagates() {
        Sequential s = net(1);
        s.eval();
        for (Module m : s.children().values()) assertFalse(m.isTraining());
        s.train(true);
        for (Module m : s.children().values()) assertTrue(m.isTraining());
    }
}
