package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The first two steps of the progression: a perceptron learns AND/OR but not XOR; an MLP learns XOR. */
class PerceptronAndMlpTest {
    static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

    @Test
    void perceptronLearnsAndAndOrButNotXor() {
        for (int[] y : new int[][] {{0, 0, 0, 1}, {0, 1, 1, 1}}) {
            Perceptron p = new Perceptron(2, 1);
            int[] mistakes = p.train(X, y, 100, 0.1);
            assertEquals(1.0, p.accuracy(X, y));
            assertEquals(0, mistakes[mistakes.length - 1], "converged: the last pass made no mistake");
        }
        int[] xor = {0, 1, 1, 0};
        Perceptron p = new Perceptron(2, 1);
        int[] mistakes = p.train(X, xor, 1000, 0.1);
        assertEquals(1000, mistakes.length, "never converges");
        assertTrue(p.accuracy(X, xor) <= 0.75, "at most 3 of 4: no line separates XOR");
    }

    @Test
    void mlpLearnsXorWithAutodiff() {
        Graph g = Graph.create(DataType.DOUBLE, 3);
        Mlp mlp = new Mlp(g, "mlp", new int[] {2, 4, 1}, Activation.TANH);
        SDVariable x = g.input("x", 4, 2);
        SDVariable y = g.input("y", 4, 1);
        SDVariable out = g.sd().nn.sigmoid(mlp.forward(x));
        SDVariable diff = out.sub(y);
        g.sd().mean("loss", diff.mul(diff));
        g.sd().setLossVariables("loss");
        g.createGradients();
        Map<String, INDArray> in = Map.of("x", Nd4j.create(X), "y", Nd4j.create(new double[][] {{0}, {1}, {1}, {0}}));
        for (int step = 0; step < 500; step++) {
            Map<String, INDArray> grads = g.sd().calculateGradients(in, g.params().names());
            grads.forEach((name, grad) -> g.params().get(name).subi(grad.mul(5.0)));
        }
        INDArray pred = g.sd().output(in, out.name()).get(out.name());
        double[] p = pred.data().asDouble();
        assertTrue(p[0] < 0.2 && p[1] > 0.8 && p[2] > 0.8 && p[3] < 0.2, "XOR learned: " + java.util.Arrays.toString(p));
    }
}
