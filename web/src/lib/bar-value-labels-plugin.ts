/**
 * A chart.js plugin that writes each horizontal bar's value at its end: inside the bar when the
 * number fits there, just past it otherwise. Small enough that a labels dependency is not worth it.
 *
 * Labels follow the bars' animated positions, so they glide with the bars instead of jumping.
 */
import type { ChartType, FontSpec, Plugin } from "chart.js";
import { toFont } from "chart.js/helpers";

export interface BarValueLabelsOptions {
  /** Text colour past the end of a bar, on the chart background. */
  outsideColor: string;
  /** Text colour inside a bar, on the bar's own fill. */
  insideColor: string;
  /** Without a `size`, the text scales with the bars: about two thirds of their thickness. */
  font: Partial<FontSpec>;
  /** Gap between the text and the bar's end, in px. */
  padding: number;
  format: (value: number) => string;
}

declare module "chart.js" {
  // Lets `options.plugins.barValueLabels` type-check like chart.js's own plugins.
  interface PluginOptionsByType<TType extends ChartType> {
    barValueLabels: BarValueLabelsOptions;
  }
}

export const barValueLabels: Plugin<"bar", BarValueLabelsOptions> = {
  id: "barValueLabels",
  defaults: {
    outsideColor: "#e2e8f0",
    insideColor: "#0f172a",
    font: { weight: "bold" },
    padding: 8,
    format: (value: number) => String(value),
  },
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    ctx.save();
    ctx.textBaseline = "middle";
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      if (!chart.isDatasetVisible(datasetIndex)) return;
      chart.getDatasetMeta(datasetIndex).data.forEach((bar, index) => {
        const value = dataset.data[index];
        if (typeof value !== "number") return;
        // Current (mid-animation) geometry, so the label rides along with its bar.
        const { x, y, base, height } = bar.getProps(["x", "y", "base", "height"]) as Record<
          "x" | "y" | "base" | "height",
          number
        >;
        const size = options.font.size ?? Math.min(16, Math.max(12, Math.round(height * 0.66)));
        ctx.font = toFont({ ...options.font, size }).string;
        const text = options.format(value);
        const fitsInside = x - base >= ctx.measureText(text).width + 2 * options.padding;
        ctx.fillStyle = fitsInside ? options.insideColor : options.outsideColor;
        ctx.textAlign = fitsInside ? "right" : "left";
        ctx.fillText(text, fitsInside ? x - options.padding : x + options.padding, y);
      });
    });
    ctx.restore();
  },
};
