package org.autoreg.core;

/**
 * Whether the kernels use explicit SIMD (JDK 17's incubating {@code jdk.incubator.vector}): when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code autoreg} launcher adds
 * it for the commands that decode or train word vectors) and the system property
 * {@code autoreg.simd} is not {@code false}. Without it the same kernels run as plain loops that
 * the JIT vectorizes less well. The two paths add in different orders, so their results differ in
 * the last bits; each is deterministic on its own.
 */
public final class Simd {
    private static final boolean ENABLED = !"false".equals(System.getProperty("autoreg.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {
    }

    /** True when explicit SIMD kernels may be loaded (see the class comment). */
    public static boolean enabled() {
        return ENABLED;
    }
}
