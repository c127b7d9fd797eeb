package org.autoreg.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code loss.png}: the training loss per logged step and the train/val losses of the evaluations (XChart). */
final class LossPlot {
    private LossPlot() {
    }

    static void write(Path file, List<ObjectNode> metrics, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Double> stepX = new ArrayList<>();
        List<Double> stepY = new ArrayList<>();
        List<Double> evalX = new ArrayList<>();
        List<Double> evalTrain = new ArrayList<>();
        List<Double> evalVal = new ArrayList<>();
        for (ObjectNode m : metrics) {
            double it = m.path("iter").asDouble();
            switch (m.path("event").asText()) {
                case "train" -> {
                    stepX.add(it);
                    stepY.add(m.path("train_loss").asDouble());
                }
                case "eval" -> {
                    evalX.add(it);
                    evalTrain.add(m.path("train_loss").asDouble());
                    evalVal.add(m.path("val_loss").asDouble());
                }
                default -> {
                }
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("iteration")
                .yAxisTitle("cross-entropy loss (nats/token)").build();
        chart.getStyler().setMarkerSize(6);
        if (!stepX.isEmpty()) {
            XYSeries s = chart.addSeries("train loss (each logged step)", stepX, stepY);
            s.setMarker(SeriesMarkers.NONE);
        }
        if (!evalX.isEmpty()) {
            chart.addSeries("train loss (evaluation)", evalX, evalTrain);
            chart.addSeries("val loss (evaluation)", evalX, evalVal);
        }
        if (stepX.isEmpty() && evalX.isEmpty()) {
            return;
        }
        AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
