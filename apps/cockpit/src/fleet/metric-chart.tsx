import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  values: readonly number[];
  color: string;
}

/** A time-series line chart (uPlot: canvas, cheap to update many times a second). */
export function MetricChart(props: {
  title: string;
  times: readonly number[];
  series: readonly Series[];
  unit: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => s.label).join("|");

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is rebuilt only when its series change
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: 160,
        legend: { show: true, live: false },
        // One sample would otherwise stretch the time axis over years: show at least the last minute.
        scales: { x: { time: true, range: (_u, min, max) => (max - min < 60 ? [max - 60, max] : [min, max]) } },
        axes: [
          { stroke: "currentColor", grid: { stroke: "rgba(128,128,128,0.2)" } },
          {
            stroke: "currentColor",
            grid: { stroke: "rgba(128,128,128,0.2)" },
            values: (_u, v) => v.map((x) => `${x}${props.unit}`),
          },
        ],
        series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
      },
      [[...props.times], ...props.series.map((s) => [...s.values])],
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 160 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, props.unit]);

  useEffect(() => {
    plot.current?.setData([[...props.times], ...props.series.map((s) => [...s.values])]);
  }, [props.times, props.series]);

  const last = props.series.map((s) => `${s.label} ${s.values.at(-1)?.toFixed(1) ?? "—"}${props.unit}`).join(", ");
  return (
    <figure style={{ margin: 0 }}>
      <figcaption className="small">
        <strong>{props.title}</strong> <span className="muted">now: {last}</span>
      </figcaption>
      <div ref={box} className="chart" role="img" aria-label={`${props.title}: ${last}`} />
    </figure>
  );
}
