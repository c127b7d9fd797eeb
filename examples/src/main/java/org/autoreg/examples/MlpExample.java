package org.autoreg.examples;

import java.util.Map;
import org.autoreg.core.nn.Activation;
import org.autoreg.core.nn.Graph;
import org.autoreg.core.nn.Mlp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 2. One hidden layer, trained by automatic differentiation, solves XOR. */
final class MlpExample implements Example {
    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String summary() {
        return "a one-hidden-layer network trained with autodiff (SameDiff) solves XOR; its hidden features";
    }

    @Override
    public Result run(Context ctx) {
        double[][] xs = PerceptronExample.X;
        Graph g = Graph.create(DataType.DOUBLE, ctx.seed());
        Mlp mlp = new Mlp(g, "mlp", new int[] {2, 4, 1}, Activation.TANH);
        SDVariable x = g.input("x", 4, 2);
        SDVariable y = g.input("y", 4, 1);
        SDVariable hidden = mlp.hidden(x, 0);
        SDVariable out = g.sd().nn.sigmoid(mlp.forward(x));
        SDVariable diff = out.sub(y);
        g.sd().mean("loss", diff.mul(diff));
        g.sd().setLossVariables("loss");
        g.createGradients();
        Map<String, INDArray> in = Map.of("x", Nd4j.create(xs), "y", Nd4j.create(new double[][] {{0}, {1}, {1}, {0}}));
        for (int step = 0; step <= 1000; step++) {
            Map<String, INDArray> grads = g.sd().calculateGradients(in, g.params().names());
            grads.forEach((name, grad) -> g.params().get(name).subi(grad.mul(2.0)));
            if (step % 200 == 0) {
                double loss = g.sd().output(in, "loss").get("loss").getDouble(0);
                ctx.out().printf("step %4d: mean squared error %.4f%n", step, loss);
            }
        }
        Map<String, INDArray> o = g.sd().output(in, out.name(), hidden.name());
        double[] p = o.get(out.name()).data().asDouble();
        INDArray h = o.get(hidden.name());
        int correct = 0;
        int[] want = {0, 1, 1, 0};
        ctx.out().println("\ninput   hidden features (tanh of 4 units)          output");
        for (int k = 0; k < 4; k++) {
            int pred = p[k] > 0.5 ? 1 : 0;
            correct += pred == want[k] ? 1 : 0;
            StringBuilder hs = new StringBuilder();
            for (int j = 0; j < 4; j++) {
                hs.append(String.format("%6.2f", h.getDouble(k, j)));
            }
            ctx.out().printf("%d %d   %s   %.3f -> %d (want %d)%n", (int) xs[k][0], (int) xs[k][1], hs, p[k], pred,
                    want[k]);
        }
        double acc = correct / 4.0;
        ctx.out().printf("%nXOR accuracy %.0f %%. The hidden units compute new features of the input (e.g. 'x1 OR x2' "
                + "and 'x1 AND x2'); in that space XOR is a straight line away: OR and not AND.%n", 100 * acc);
        return new Result().put("XOR", acc);
    }
}
