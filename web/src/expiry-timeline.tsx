import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const DAY_S = 86_400;

/** Items per day for the next `days` days, from each item's whole days remaining (0 = today). */
export function countPerDay(daysRemaining: readonly (number | null)[], days: number): number[] {
  const counts = new Array<number>(days + 1).fill(0);
  for (const d of daysRemaining) if (d !== null && d >= 0 && d <= days) counts[d] = (counts[d] ?? 0) + 1;
  return counts;
}

/**
 * A bar per day for the next 90 days (uPlot on a canvas). The figure's caption states the total in words, and
 * the canvas is hidden from assistive technology, so a screen reader gets the same facts.
 */
export function ExpiryTimeline({ counts, startSeconds }: { counts: readonly number[]; startSeconds: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = counts.map((_, i) => startSeconds + i * DAY_S);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        legend: { show: false },
        cursor: { show: true, points: { show: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ stroke: '#333' }, { stroke: '#333', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
        series: [
          {},
          {
            label: 'Items expiring',
            fill: '#c2410c',
            stroke: '#9a3412',
            paths: uPlot.paths.bars?.({ size: [0.8, 12] }),
            points: { show: false },
          },
        ],
      },
      [xs, [...counts]],
      element,
    );
    const resize = (): void => plot.setSize({ width: Math.max(320, element.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [counts, startSeconds]);
  const total = counts.reduce((sum, n) => sum + n, 0);
  const busiest = counts.reduce((best, n, i) => (n > (counts[best] ?? 0) ? i : best), 0);
  return (
    <figure class="timeline">
      <div ref={box} aria-hidden="true" />
      <figcaption>
        {total === 0
          ? 'Nothing expires in the next 90 days.'
          : `${total} items expire in the next 90 days; the busiest day is ${busiest === 0 ? 'today' : busiest === 1 ? 'tomorrow' : `in ${busiest} days`} (${counts[busiest]} items).`}
      </figcaption>
    </figure>
  );
}
