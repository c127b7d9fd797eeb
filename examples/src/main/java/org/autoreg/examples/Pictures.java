package org.autoreg.examples;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/** The examples' pictures, drawn with XChart and written atomically as PNG. */
final class Pictures {
    private Pictures() {
    }

    /** A heat map of {@code m} (rows top to bottom), with row and column labels and the values printed. */
    static Path heatmap(Path file, String title, List<String> rows, List<String> cols, double[][] m) throws IOException {
        System.setProperty("java.awt.headless", "true");
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(500, 70 * cols.size() + 200))
                .height(Math.max(400, 50 * rows.size() + 150)).title(title).build();
        chart.getStyler().setShowValue(m.length * m[0].length <= 150);
        chart.getStyler().setRangeColors(new Color[] {new Color(255, 255, 255), new Color(120, 170, 230),
            new Color(20, 60, 160)});
        chart.getStyler().setLegendVisible(true);
        List<String> ys = new ArrayList<>(rows);
        java.util.Collections.reverse(ys); // XChart draws y upwards; keep row 0 on top
        List<Number[]> heat = new ArrayList<>();
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                heat.add(new Number[] {c, m.length - 1 - r, Math.round(m[r][c] * 100) / 100.0});
            }
        }
        chart.addSeries(title, cols, ys, heat);
        return write(file, chart);
    }

    /** Labelled points (e.g. a 2-D projection of word vectors). */
    static Path scatter(Path file, String title, List<String> labels, double[] x, double[] y) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(700).title(title).xAxisTitle("component 1")
                .yAxisTitle("component 2").build();
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(9);
        chart.addSeries("words", x, y);
        for (int i = 0; i < labels.size(); i++) {
            chart.addAnnotation(new AnnotationText(labels.get(i), x[i], y[i], false));
        }
        return write(file, chart);
    }

    /** Lines over a shared x axis. */
    static Path lines(Path file, String title, String xTitle, String yTitle, double[] x, List<String> names,
            List<double[]> ys) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        for (int i = 0; i < names.size(); i++) {
            chart.addSeries(names.get(i), x, ys.get(i));
        }
        return write(file, chart);
    }

    private static Path write(Path file, Chart<?, ?> chart) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }
}
