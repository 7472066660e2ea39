/**
 * The ranking as a chart.js horizontal bar chart: built once per canvas, then fed each new ranking
 * in place so bars grow and shrink smoothly instead of the chart being rebuilt every snapshot.
 *
 * Colours and fonts come from the page's CSS custom properties, so the theme is defined once.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import type { RankBy, TopEntry } from "../../../shared/messages.ts";
import { barValue } from "./rank-by.ts";
import { barValueLabels } from "./bar-value-labels-plugin.ts";
import { formatCount } from "./count-format.ts";

// Registering only what a bar chart needs keeps the rest of chart.js out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, barValueLabels);

export type TopBarChart = Chart<"bar", number[], string>;

/**
 * Long tags would squeeze the bars (chart.js clips an axis label rather than wrap it), so they are
 * shortened, more on narrow charts; the full tag stays in the tooltip and the table.
 */
function axisLabel(tag: string, chartWidth: number): string {
  const maxChars = chartWidth < 640 ? 14 : 22;
  const chars = Array.from(tag);
  return chars.length > maxChars ? `#${chars.slice(0, maxChars - 1).join("")}…` : `#${tag}`;
}

function themeReader(element: Element): (name: string) => string {
  const style = getComputedStyle(element);
  return (name) => style.getPropertyValue(name).trim();
}

/** What a tooltip calls a bar's value, by what the chart ranks by. */
const VALUE_NAMES: Readonly<Record<RankBy, string>> = { posts: "uses", accounts: "accounts", trend: "trend score" };

/** `onpick`: called with the tag of a bar clicked (the dashboard shows its details). */
export function createTopBarChart(canvas: HTMLCanvasElement, onpick?: (tag: string) => void): TopBarChart {
  const theme = themeReader(canvas);
  const fontFamily = theme("--font-sans");
  const barStart = theme("--bar-start");
  const barEnd = theme("--bar-end");
  const gridColor = theme("--grid");

  const config: ChartConfiguration<"bar", number[], string> = {
    type: "bar",
    data: { labels: [], datasets: [{ data: [], borderRadius: 4, borderSkipped: "start" }] },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { right: 56 } },
      onClick: (_event, elements, chart) => {
        const index = elements[0]?.index;
        const tag = index === undefined ? undefined : chart.data.labels?.[index];
        if (typeof tag === "string") onpick?.(tag);
      },
      font: { family: fontFamily },
      color: theme("--text"),
      datasets: {
        bar: {
          // One hue that cools with rank, so the leaders stand out without a legend.
          backgroundColor: (context) => {
            const count = context.chart.data.labels?.length ?? 1;
            return count <= 1 ? barStart : mix(barStart, barEnd, context.dataIndex / (count - 1));
          },
          categoryPercentage: 0.86,
          barPercentage: 0.92,
          maxBarThickness: 34,
        },
      },
      scales: {
        x: {
          beginAtZero: true,
          grid: { color: gridColor },
          border: { display: false },
          // Every bar carries its own count, so the axis keeps only its grid lines as a scale.
          ticks: { display: false, precision: 0 },
        },
        y: {
          grid: { display: false },
          border: { color: gridColor },
          ticks: {
            color: theme("--text"),
            autoSkip: false,
            callback(value) {
              return axisLabel(this.getLabelForValue(Number(value)), this.chart.width);
            },
            // Grows with the chart so a wall display stays readable from across the room.
            font: (context) => ({
              family: fontFamily,
              weight: 500,
              size: Math.min(16, Math.max(12, Math.round(context.chart.height / 38))),
            }),
          },
        },
      },
      plugins: {
        tooltip: {
          displayColors: false,
          callbacks: {
            title: (items) => (items[0] === undefined ? "" : `#${items[0].label}`),
            label: (item) => `${formatCount(item.parsed.x ?? 0)} ${VALUE_NAMES[(item.chart.options as { rankBy?: RankBy }).rankBy ?? "posts"]}`,
          },
        },
        barValueLabels: {
          outsideColor: theme("--text"),
          insideColor: theme("--on-bar"),
          font: { family: fontFamily, weight: "bold" },
          padding: 8,
          format: formatCount,
        },
      },
    },
  };

  return new Chart(canvas, config);
}

/** Replaces the ranking in place; with `animate` false the bars jump straight to their lengths. */
export function showRanking(chart: TopBarChart, entries: readonly TopEntry[], animate: boolean, by: RankBy = "posts"): void {
  // Labels hold the tags as received; the axis and the tooltip add the "#" when they draw.
  chart.data.labels = entries.map((entry) => entry.tag);
  const dataset = chart.data.datasets[0];
  if (dataset) dataset.data = entries.map((entry) => barValue(entry, by));
  (chart.options as { rankBy?: RankBy }).rankBy = by;
  chart.options.animation = animate ? { duration: 600, easing: "easeOutCubic" } : false;
  chart.update(animate ? undefined : "none");
}

/** Linear blend of two `#rrggbb` colours; `t` in [0, 1]. */
function mix(from: string, to: string, t: number): string {
  const a = hexChannels(from);
  const b = hexChannels(to);
  if (a === undefined || b === undefined) return from;
  const channel = (i: 0 | 1 | 2): number => Math.round(a[i] + (b[i] - a[i]) * t);
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}

function hexChannels(color: string): readonly [number, number, number] | undefined {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return undefined;
  return [parseInt(match[1] ?? "0", 16), parseInt(match[2] ?? "0", 16), parseInt(match[3] ?? "0", 16)];
}
