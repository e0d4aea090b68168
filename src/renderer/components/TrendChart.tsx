/**
 * A trend chart of one result series (uPlot on a canvas, ADR 0015): time along
 * x, the value along y, the reference range as a band. Every point is drawn by
 * us in a draw hook so abnormal values differ by SHAPE as well as colour:
 * high ▲, low ▼, critical ◆ (larger, dark red), other abnormal ■, normal ●.
 * The chart is an image with a text alternative (latest value, range, trend);
 * the series table beside it is the accessible form of the data. The large
 * chart names the point under the pointer: date, value, flag and its sources.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ResultSeries, SeriesPoint } from '../model/resultSeries';

export type ChartSize = 'small' | 'large';

const COLORS = {
  line: '#1d5fa7',
  normal: '#1d5fa7',
  abnormal: '#b45309',
  critical: '#a8211a',
  band: 'rgba(44, 122, 63, 0.13)',
  bandEdge: 'rgba(44, 122, 63, 0.45)',
};

/** Values marked on a sparkline: the latest ones. */
const SPARK_MARKERS = 6;

export type PointShape = 'circle' | 'up' | 'down' | 'diamond' | 'square';

/** The shape a point is drawn with: the same rule the legend and tests use. */
export function pointShape(point: SeriesPoint): PointShape {
  const a = point.abnormality;
  if (!a || a.severity === 'normal' || a.severity === 'unknown') return 'circle';
  if (a.severity === 'critical') return 'diamond';
  return a.direction === 'high' ? 'up' : a.direction === 'low' ? 'down' : 'square';
}

function drawShape(ctx: CanvasRenderingContext2D, shape: PointShape, x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'circle':
      ctx.arc(x, y, r * 0.8, 0, Math.PI * 2);
      break;
    case 'up':
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.2, y + r);
      ctx.lineTo(x - r * 1.2, y + r);
      break;
    case 'down':
      ctx.moveTo(x, y + r * 1.3);
      ctx.lineTo(x + r * 1.2, y - r);
      ctx.lineTo(x - r * 1.2, y - r);
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.6);
      ctx.lineTo(x + r * 1.4, y);
      ctx.lineTo(x, y + r * 1.6);
      ctx.lineTo(x - r * 1.4, y);
      break;
    case 'square':
      ctx.rect(x - r, y - r, r * 2, r * 2);
      break;
  }
  ctx.closePath();
  ctx.fill();
}

function colorOf(shape: PointShape): string {
  return shape === 'circle' ? COLORS.normal : shape === 'diamond' ? COLORS.critical : COLORS.abnormal;
}

export interface TrendChartProps {
  series: ResultSeries;
  size: ChartSize;
  /** The text alternative: latest value, range, trend direction. */
  label: string;
  /** Words for the point under the pointer (large chart only). */
  describePoint?: (point: SeriesPoint) => string;
  /** A date in the reader's language (ISO date in): the time axis' ticks. */
  formatDate?: (iso: string) => string;
  /** Width in px; the large chart otherwise fills its box. */
  width?: number;
}

const YEAR_S = 365.25 * 86_400;

/** Tick words: years over a long span, dates in the reader's language over a short one. */
function tickWords(splits: number[], span: number, formatDate?: (iso: string) => string): string[] {
  // uPlot places ticks on local calendar boundaries (1 January 00:00 here), so read them locally.
  return splits.map((s) => {
    const d = new Date(s * 1000);
    const year = String(d.getFullYear());
    if (span > 3 * YEAR_S || !formatDate) return year;
    return formatDate(`${year}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);
  });
}

/** The y range: the values and the reference range, with a little air. */
function yRange(min: number, max: number, low: number | undefined, high: number | undefined): [number, number] {
  let lo = Math.min(min, low ?? min);
  let hi = Math.max(max, high ?? max);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

const SPARK_W = 132;
const SPARK_H = 30;

/**
 * The sparkline in a list row: drawn straight on one canvas (band, line, the
 * latest values' shapes), not a uPlot instance — a row scrolled into view then
 * costs one canvas and one draw, which keeps scrolling thousands of tests smooth
 * (ADR 0015). Same shapes and colours as the large chart.
 */
function Sparkline({ series, label }: { series: ResultSeries; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || series.points.length === 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = SPARK_W * dpr;
    canvas.height = SPARK_H * dpr;
    ctx.scale(dpr, dpr);
    const points = series.points;
    const pad = 5;
    const t0 = points[0]!.time;
    const t1 = points[points.length - 1]!.time;
    let min = Infinity;
    let max = -Infinity;
    for (const p of points) {
      if (p.value < min) min = p.value;
      if (p.value > max) max = p.value;
    }
    const low = series.range?.low?.value;
    const high = series.range?.high?.value;
    const [y0, y1] = yRange(min, max, low, high);
    const x = (t: number) => pad + (t1 === t0 ? (SPARK_W - 2 * pad) / 2 : ((t - t0) / (t1 - t0)) * (SPARK_W - 2 * pad));
    const y = (v: number) => pad + (1 - (v - y0) / (y1 - y0)) * (SPARK_H - 2 * pad);
    if (low !== undefined || high !== undefined) {
      const top = high !== undefined ? y(high) : pad;
      const bottom = low !== undefined ? y(low) : SPARK_H - pad;
      ctx.fillStyle = COLORS.band;
      ctx.fillRect(pad, Math.max(0, top), SPARK_W - 2 * pad, Math.min(SPARK_H, bottom) - Math.max(0, top));
    }
    ctx.strokeStyle = COLORS.line;
    ctx.lineWidth = 1.25;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.time), y(p.value)) : ctx.lineTo(x(p.time), y(p.value))));
    ctx.stroke();
    for (let i = Math.max(0, points.length - SPARK_MARKERS); i < points.length; i++) {
      const p = points[i]!;
      const shape = pointShape(p);
      if (shape === 'circle' && i !== points.length - 1) continue;
      ctx.fillStyle = colorOf(shape);
      drawShape(ctx, shape, x(p.time), y(p.value), 2.4);
    }
  }, [series]);
  const shapesUsed = new Set(series.points.map(pointShape));
  return (
    <figure className="trend trend--small" data-testid="trend-small" data-shapes={[...shapesUsed].sort().join(' ')}>
      <canvas ref={ref} className="trend__plot" role="img" aria-label={label} style={{ width: SPARK_W, height: SPARK_H }} />
    </figure>
  );
}

export function TrendChart(props: TrendChartProps) {
  return props.size === 'small' ? <Sparkline series={props.series} label={props.label} /> : <LargeChart {...props} />;
}

function LargeChart({ series, label, describePoint, formatDate, width }: TrendChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLParagraphElement>(null);
  const describe = useRef(describePoint);
  describe.current = describePoint;

  useEffect(() => {
    const el = box.current;
    if (!el || series.points.length === 0) return;
    const points = series.points;
    const xs = points.map((p) => p.time / 1000);
    const ys = points.map((p) => p.value);
    const shapes = points.map(pointShape);
    const w = width ?? Math.max(280, Math.min(el.clientWidth || 640, 900));
    const h = 200;
    const range = series.range;
    const low = range?.low?.value;
    const high = range?.high?.value;
    const r = 4;
    const opts: uPlot.Options = {
      width: w,
      height: h,
      padding: [12, 12, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true },
        y: {
          range: (_u, min, max) => yRange(min, max, low, high),
        },
      },
      axes: [
            {
              stroke: '#4b5563',
              grid: { stroke: '#eceef1' },
              ticks: { stroke: '#d6dae0' },
              space: 90,
              values: (u, splits) => tickWords(splits, (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0), formatDate),
            },
            { stroke: '#4b5563', grid: { stroke: '#eceef1' }, ticks: { stroke: '#d6dae0' }, size: 56 },
          ],
      series: [{}, { stroke: COLORS.line, width: 1.5, points: { show: false } }],
      hooks: {
        drawAxes: [
          (u) => {
            if (low === undefined && high === undefined) return;
            const ctx = u.ctx;
            const { left, top, width: bw, height: bh } = u.bbox;
            const yHigh = high !== undefined ? u.valToPos(high, 'y', true) : top;
            const yLow = low !== undefined ? u.valToPos(low, 'y', true) : top + bh;
            const y0 = Math.max(top, Math.min(yHigh, yLow));
            const y1 = Math.min(top + bh, Math.max(yHigh, yLow));
            ctx.save();
            ctx.fillStyle = COLORS.band;
            ctx.fillRect(left, y0, bw, y1 - y0);
            {
              ctx.strokeStyle = COLORS.bandEdge;
              ctx.setLineDash([4, 4]);
              ctx.lineWidth = 1;
              ctx.beginPath();
              if (high !== undefined) {
                ctx.moveTo(left, yHigh);
                ctx.lineTo(left + bw, yHigh);
              }
              if (low !== undefined) {
                ctx.moveTo(left, yLow);
                ctx.lineTo(left + bw, yLow);
              }
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            const dpr = uPlot.pxRatio;
            // The large chart marks every value.
            for (let i = 0; i < points.length; i++) {
              const shape = shapes[i] as PointShape;
              const x = u.valToPos(xs[i] as number, 'x', true);
              const y = u.valToPos(ys[i] as number, 'y', true);
              ctx.fillStyle = colorOf(shape);
              drawShape(ctx, shape, x, y, r * dpr);
            }
            ctx.restore();
          },
        ],
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            const out = readout.current;
            if (!out) return;
            const point = i === null || i === undefined ? undefined : points[i];
            out.textContent = point && describe.current ? describe.current(point) : '';
          },
        ],
      },
    };
    const chart = new uPlot(opts, [xs, ys], el);
    return () => chart.destroy();
  }, [series, width, formatDate]);

  const shapesUsed = new Set(series.points.map(pointShape));
  return (
    <figure className="trend trend--large" data-testid="trend-large" data-shapes={[...shapesUsed].sort().join(' ')}>
      <div ref={box} className="trend__plot" role="img" aria-label={label} />
      <p ref={readout} className="trend__readout" aria-live="polite" data-testid="trend-readout" />
    </figure>
  );
}
