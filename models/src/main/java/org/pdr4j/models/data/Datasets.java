package org.pdr4j.models.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data sets known by name: {@code "moving-digits"} (the synthetic {@link MovingDigits}, default
 * settings) and readers of the files the field distributes, which the user brings under a data
 * root ({@link MovingMnist}, {@link TaxiBj}, ...). Others can {@link #register} more.
 */
public final class Datasets {
    /** Opens one split of a named data set. */
    @FunctionalInterface
    public interface Factory {
        /**
         * The split, clip and frame size {@code request} asks for.
         *
         * @throws DataFormatException when the files are missing or malformed, or cannot give that clip
         */
        Dataset open(DataRequest request);
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>();

    static {
        FACTORIES.put("moving-digits", r -> MovingDigits.of(r.split(), r.seed()));
        FACTORIES.put("moving-mnist", MovingMnist::open);
        FACTORIES.put("taxibj", TaxiBj::open);
        FACTORIES.put(Kth.NAME, Kth::open);
        FACTORIES.put(Human36m.NAME, Human36m::open);
        FACTORIES.put(WeatherBench.NAME, WeatherBench::open);
    }

    private Datasets() {}

    /**
     * Split {@code split} of data set {@code name} with its default clips ({@code moving-digits} only:
     * the file readers need a {@link DataRequest} with a root).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or split
     */
    public static Dataset open(String name, String split, long seed) {
        return open(name, new DataRequest(split, seed, null, 10, 10, 64, 64));
    }

    /**
     * The data set {@code name} as {@code request} asks.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     * @throws DataFormatException      when its files are missing or malformed
     */
    public static Dataset open(String name, DataRequest request) {
        Factory f;
        synchronized (FACTORIES) {
            f = FACTORIES.get(name);
        }
        if (f == null) throw new IllegalArgumentException("unknown data set '" + name + "'; known data sets: " + String.join(", ", names()));
        return f.open(request);
    }

    /** Adds (or replaces) the factory for {@code name}. */
    public static void register(String name, Factory factory) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("data set name must not be blank");
        if (factory == null) throw new IllegalArgumentException("factory for '" + name + "' must not be null");
        synchronized (FACTORIES) {
            FACTORIES.put(name, factory);
        }
    }

    /** The known names, sorted. */
    public static List<String> names() {
        synchronized (FACTORIES) {
            return List.copyOf(FACTORIES.keySet());
        }
    }
}
