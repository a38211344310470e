/**
 * Charts drawn on the server as SVG: no chart service, no client library, nothing loaded from
 * elsewhere. Each chart is an image with a title and a description a screen reader reads (the
 * totals in words), and the same numbers as a table below it.
 */

import type { ComponentChildren } from 'preact';
import { DAY_MS, utcDay } from '../util/dates.js';

/** One UTC day's counts, one number per series. */
export interface DayPoint {
  day: string;
  values: number[];
}

export interface Series {
  label: string;
  /** A class of app.css giving the bars their colour (chart-a, chart-b, chart-c…). */
  tone: 'a' | 'b' | 'c' | 'd' | 'e';
}

/** The last `days` UTC days up to today, oldest first. */
export function lastDays(days: number, now = Date.now()): string[] {
  const today = Math.floor(now / DAY_MS);
  return Array.from({ length: days }, (_, i) => utcDay((today - days + 1 + i) * DAY_MS));
}

/** Counts keyed by day (missing days are 0), in the order of `days`. */
export function fillDays(days: string[], counts: Map<string, number[]>, seriesCount: number): DayPoint[] {
  return days.map((day) => ({ day, values: counts.get(day) ?? new Array<number>(seriesCount).fill(0) }));
}

const W = 640;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };

/** A round top for the axis: 1, 2, 5, 10, 20, 50… */
function niceMax(max: number): number {
  if (max <= 4) return Math.max(max, 1);
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((n) => n >= max)!;
}

const shortDay = (day: string) => `${Number(day.slice(8, 10))} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(day.slice(5, 7)) - 1]}`;

/** "1 sale", "3 sales". */
const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The chart's numbers in one sentence: the totals, and the busiest day. */
export function describeDays(points: DayPoint[], series: Series[], unit: string): string {
  const totals = series.map((s, i) => ({ label: s.label, total: points.reduce((sum, p) => sum + (p.values[i] ?? 0), 0) }));
  const sums = points.map((p) => p.values.reduce((a, b) => a + b, 0));
  const all = sums.reduce((a, b) => a + b, 0);
  const from = points[0]?.day ?? '';
  const to = points[points.length - 1]?.day ?? '';
  if (all === 0) return `No ${unit}s from ${from} to ${to}.`;
  const best = sums.indexOf(Math.max(...sums));
  const parts = series.length > 1 ? ` (${totals.map((t) => `${t.total} ${t.label.toLowerCase()}`).join(', ')})` : '';
  return `${count(all, unit)} from ${from} to ${to}${parts}; the busiest day was ${points[best]!.day} with ${sums[best]}.`;
}

/**
 * What every chart is made of: its caption, the SVG image (`children`) with the title and the
 * description a screen reader reads, an optional legend, the description again as text, and the
 * numbers as a table under a disclosure.
 */
function ChartFigure(props: {
  id: string;
  title: string;
  description: string;
  height: number;
  svgClass: string;
  legend?: ComponentChildren;
  columns: string[];
  rows: Array<{ head: string; cells: number[] }>;
  children: ComponentChildren;
}) {
  const { id } = props;
  return (
    <figure class="chart" id={id}>
      <figcaption class="chart-title" id={`${id}-caption`}>
        {props.title}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${props.height}`} role="img" aria-labelledby={`${id}-svg-title ${id}-svg-desc`} class={props.svgClass}>
        <title id={`${id}-svg-title`}>{props.title}</title>
        <desc id={`${id}-svg-desc`}>{props.description}</desc>
        {props.children}
      </svg>
      {props.legend}
      <p class="hint chart-summary">{props.description}</p>
      <details class="chart-table">
        <summary>The numbers as a table</summary>
        <table aria-labelledby={`${id}-caption`}>
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.head}>
                <th scope="row">{row.head}</th>
                {row.cells.map((v, i) => (
                  <td key={i}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/**
 * Bars per day (stacked when there are several series), with its own title and description, a
 * legend, and the numbers in a table under a disclosure.
 */
export function DayChart(props: { id: string; title: string; unit: string; series: Series[]; points: DayPoint[] }) {
  const { id, points, series } = props;
  const sums = points.map((p) => p.values.reduce((a, b) => a + b, 0));
  const top = niceMax(Math.max(0, ...sums));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const description = describeDays(points, series, props.unit);
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <ChartFigure
      id={id}
      title={props.title}
      description={description}
      height={H}
      svgClass="chart-svg"
      legend={
        series.length > 1 && (
          <ul class="chart-legend" aria-hidden="true">
            {series.map((s) => (
              <li key={s.label}>
                <span class={`chart-swatch chart-${s.tone}`} /> {s.label}
              </li>
            ))}
          </ul>
        )
      }
      columns={['Day', ...series.map((s) => s.label)]}
      rows={points.map((p) => ({ head: p.day, cells: p.values }))}
    >
      {[0, top / 2, top].map((v) => (
        <g key={v} class="chart-grid">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
            {Number.isInteger(v) ? v : v.toFixed(1)}
          </text>
        </g>
      ))}
      {points.map((p, i) => {
        let base = 0;
        const x = PAD.left + i * slot + (slot - barW) / 2;
        return (
          <g key={p.day}>
            {p.values.map((v, s) => {
              if (v === 0) return null;
              const rect = <rect key={s} class={`chart-${series[s]?.tone ?? 'a'}`} x={x} width={barW} y={y(base + v)} height={y(base) - y(base + v)} />;
              base += v;
              return rect;
            })}
            {i % labelEvery === 0 && (
              <text class="chart-axis" x={x + barW / 2} y={H - 8} text-anchor="middle">
                {shortDay(p.day)}
              </text>
            )}
          </g>
        );
      })}
    </ChartFigure>
  );
}

/** One count per category (flow runs by state): horizontal bars, labelled, with a table. */
export function CountChart(props: { id: string; title: string; unit: string; items: Array<{ label: string; count: number; tone: Series['tone'] }> }) {
  const { id, items } = props;
  const total = items.reduce((sum, i) => sum + i.count, 0);
  const top = Math.max(1, ...items.map((i) => i.count));
  const rowH = 28;
  const labelW = 120;
  const height = items.length * rowH + 8;
  const description =
    total === 0 ? `No ${props.unit}s yet.` : `${count(total, props.unit)}: ${items.map((i) => `${i.count} ${i.label.toLowerCase()}`).join(', ')}.`;
  return (
    <ChartFigure
      id={id}
      title={props.title}
      description={description}
      height={height}
      svgClass="chart-svg chart-svg-rows"
      columns={['State', 'Count']}
      rows={items.map((item) => ({ head: item.label, cells: [item.count] }))}
    >
      {items.map((item, i) => {
        const width = ((W - labelW - 60) * item.count) / top;
        const rowY = 4 + i * rowH;
        return (
          <g key={item.label}>
            <text class="chart-axis" x={labelW - 8} y={rowY + 18} text-anchor="end">
              {item.label}
            </text>
            <rect class={`chart-${item.tone}`} x={labelW} y={rowY + 4} width={Math.max(item.count > 0 ? 2 : 0, width)} height={rowH - 8} />
            <text class="chart-axis" x={labelW + width + 6} y={rowY + 18}>
              {item.count}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
