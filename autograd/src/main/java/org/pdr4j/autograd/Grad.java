package org.pdr4j.autograd;

/** Per-thread switch for recording: {@code try (var s = Grad.noGrad()) { ... }}. */
public final class Grad {
    private Grad() {}

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    /** A scope that restores the previous state when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** True unless inside a {@link #noGrad()} scope on this thread. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off on this thread until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Turns recording on (inside a noGrad scope) until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] state = ENABLED.get();
        boolean previous = state[0];
        state[0] = on;
        return () -> state[0] = previous;
    }
}
