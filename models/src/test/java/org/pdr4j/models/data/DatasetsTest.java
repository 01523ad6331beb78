package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetsTest {
    @Test
    void movingDigitsIsBuiltIn() {
        Dataset d = Datasets.open("moving-digits", "val", 4);
        assertEquals("moving-digits/val", d.name());
        assertEquals(1000, d.size());
        assertArrayEquals(MovingDigits.of("val", 4).get(1).target().toFloatArray(), d.get(1).target().toFloatArray());
        assertTrue(Datasets.names().contains("moving-digits"));
    }

    @Test
    void unknownNamesAndSplitsListWhatIsKnown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("mnist", "train", 0));
        assertTrue(e.getMessage().contains("mnist") && e.getMessage().contains("moving-digits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("moving-digits", "eval", 0));
        assertTrue(e.getMessage().contains("val"), e.getMessage());
    }

    @Test
    void registeredFactoriesAreOpenedByName() {
        MovingDigits tiny = MovingDigits.builder().sizes(3, 3, 3).build("train", 0);
        Datasets.register("test-tiny", r -> tiny);
        assertSame(tiny, Datasets.open("test-tiny", "train", 0));
        assertTrue(Datasets.names().contains("test-tiny"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.register(" ", r -> tiny));
    }
}
