export interface Bar {
  label: string;
  values: number[];
}

/**
 * Grouped bars in plain SVG (no chart library, nothing from a CDN). Scales to its container:
 * the viewBox is fixed and the SVG is 100% wide.
 */
export function BarChart({ bars, series, title }: { bars: Bar[]; series: string[]; title: string }) {
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const width = 600;
  const height = 220;
  const bottom = 40;
  const left = 36;
  const slot = (width - left) / Math.max(1, bars.length);
  const barWidth = Math.min(36, Math.max(2, (slot * 0.8) / series.length));
  const groupOffset = (slot - barWidth * series.length) / 2;
  // Past ~8 labels they collide; every bar keeps its tooltip.
  const labelEvery = Math.max(1, Math.ceil(bars.length / 8));
  return (
    <figure class="chart">
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
