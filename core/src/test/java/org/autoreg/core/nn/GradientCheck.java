package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.autoreg.core.Rng;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient check in double precision: elements of every parameter (all of a
 * small one, a seeded sample of a large one) are moved by ±ε and the central difference of the
 * loss is compared with the analytic gradient.
 */
final class GradientCheck {
    static final double EPS = 1e-6;
    /** |numeric − analytic| must stay below ABS + REL·|numeric|. */
    static final double ABS = 1e-7;
    static final double REL = 1e-5;
    /** At most this many elements per parameter are checked (chosen by a seeded generator). */
    static final int PER_PARAM = 24;

    private GradientCheck() {
    }

    /** Worst difference found, for the test's message. */
    record Report(double maxAbsDiff, int checked, List<String> failures) {
    }

    /**
     * Checks the graph's scalar {@code loss} (built on {@code g}, double) against all of
     * {@code g}'s parameters, with placeholders {@code inputs}.
     */
    static Report check(Graph g, SDVariable loss, Map<String, INDArray> inputs) {
        assertTrue(g.dtype() == DataType.DOUBLE, "gradient checks run in double precision");
        g.sd().setLossVariables(loss.name());
        g.createGradients();
        List<String> params = g.params().names();
        Map<String, INDArray> grads = g.sd().calculateGradients(inputs, params);
        return compare(g.params(), grads, () -> g.sd().output(inputs, loss.name()).get(loss.name()).getDouble(0));
    }

    /** Compares analytic {@code grads} with central differences of {@code loss} over {@code params}. */
    static Report compare(Params params, Map<String, INDArray> grads, Supplier<Double> loss) {
        double worst = 0;
        int n = 0;
        List<String> failures = new ArrayList<>();
        for (String name : params.names()) {
            INDArray w = params.get(name);
            INDArray grad = grads.get(name);
            if (grad == null) {
                failures.add(name + ": no gradient");
                continue;
            }
            Rng pick = new Rng(name.hashCode());
            for (int s = 0; s < Math.min(PER_PARAM, w.length()); s++) {
                long i = w.length() <= PER_PARAM ? s : pick.nextLong(w.length());
                double orig = w.getDouble(i);
                w.putScalar(i, orig + EPS);
                double plus = loss.get();
                w.putScalar(i, orig - EPS);
                double minus = loss.get();
                w.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double analytic = grad.getDouble(i);
                double diff = Math.abs(numeric - analytic);
                worst = Math.max(worst, diff);
                n++;
                if (diff > ABS + REL * Math.abs(numeric) && failures.size() < 5) {
                    failures.add(String.format("%s[%d]: numeric %.9g, analytic %.9g", name, i, numeric, analytic));
                }
            }
        }
        return new Report(worst, n, failures);
    }

    static void assertPasses(Report r, String what) {
        assertTrue(r.failures().isEmpty() && r.checked() > 0, what + ": " + r.failures() + " (" + r.checked()
                + " elements, max |diff| " + r.maxAbsDiff() + ")");
    }
}
