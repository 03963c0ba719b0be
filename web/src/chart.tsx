import { useEffect, useRef, useState } from 'preact/hooks';

export interface Bar {
  label: string;
  values: number[];
}

/** The width the chart is drawn at, its container's: SVG units are then pixels and labels keep their size. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(240, Math.round(el.clientWidth))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/**
 * Grouped bars in plain SVG (no chart library, nothing from a CDN). Drawn at its container's
 * width rather than scaled into it, so a phone gets fewer labels, not smaller ones.
 */
export function BarChart({ bars, series, title }: { bars: Bar[]; series: string[]; title: string }) {
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const { ref, width } = useWidth(600);
  const height = 220;
  const bottom = 40;
  const left = 36;
  const slot = (width - left) / Math.max(1, bars.length);
  const barWidth = Math.min(36, Math.max(2, (slot * 0.8) / series.length));
  const groupOffset = (slot - barWidth * series.length) / 2;
  // A label needs ~75 px; past that they collide. Every bar keeps its tooltip.
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.max(1, Math.floor((width - left) / 75))));
  return (
    <figure class="chart" ref={ref}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line x1={left} y1={height - bottom} x2={width} y2={height - bottom} class="axis" />
        <text x={left - 4} y={12} class="tick" text-anchor="end">
          {max}
        </text>
        <text x={left - 4} y={height - bottom} class="tick" text-anchor="end">
          0
        </text>
        {bars.map((bar, i) => (
          <g key={bar.label}>
            {bar.values.map((value, s) => {
              const h = ((height - bottom - 8) * value) / max;
              return (
                <rect key={s} class={`series-${s}`} x={left + i * slot + groupOffset + s * barWidth} y={height - bottom - h} width={barWidth} height={h}>
                  <title>{`${bar.label} · ${series[s]}: ${value}`}</title>
                </rect>
              );
            })}
            {i % labelEvery === 0 && (
              <text x={left + i * slot + slot / 2} y={height - bottom + 16} class="tick" text-anchor="middle">
                {bar.label.length > 10 ? `${bar.label.slice(0, 9)}…` : bar.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        {series.map((name, s) => (
          <span key={name}>
            <i class={`swatch series-${s}`} /> {name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
