package org.pdr4j.nn.optim;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    /**
     * Printed by /usr/bin/python3 with Debian's torch: OneCycleLR(SGD(lr=0.1), max_lr=0.01,
     * total_steps=100), recording param_groups[0]['lr'] before each of 100 optimizer/scheduler steps.
     */
    @Test void oneCycleMatchesTorch() {
        OneCycle s = new OneCycle(0.01, 100);
        assertEquals(0.0003999999999999993, s.lr(0), 1e-15);
        assertEquals(0.00042813780565907275, s.lr(1), 1e-15);
        assertEquals(0.01, s.lr(29), 1e-15);
        assertEquals(0.009994965352845242, s.lr(30), 1e-15);
        assertEquals(0.00793893450575732, s.lr(50), 1e-15);
        assertEquals(4e-08, s.lr(99), 1e-18);
        assertEquals(0.01 / 25, s.lr(0), 1e-15);
    }

    @Test void cosineWarmup() {
        CosineWarmup s = new CosineWarmup(1.0, 0.1, 10, 0.0, 110);
        assertEquals(0.0, s.lr(0), 1e-12);
        assertEquals(0.5, s.lr(5), 1e-12);
        assertEquals(1.0, s.lr(10), 1e-12);
        assertEquals(0.55, s.lr(60), 1e-12);
        assertEquals(0.1, s.lr(110), 1e-12);
        assertEquals(0.1, s.lr(500), 1e-12);
        assertEquals(0.3, new ConstantLr(0.3).lr(12345));
    }
}
