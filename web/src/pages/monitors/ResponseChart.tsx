import { useEffect, useRef } from 'react'
import uPlot, { type AlignedData, type Options } from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { useDarkMode } from '@/lib/theme'
import type { ChartSeries } from '@/monitors/chartData'

interface ResponseChartProps {
  series: ChartSeries
  /** Visible window, unix seconds. */
  from: number
  to: number
  height?: number
  label: string
}

const PALETTE = {
  light: { axis: '#6b7280', grid: '#e5e7eb', line: '#16a34a', band: 'rgba(22,163,74,0.12)', down: 'rgba(220,38,38,0.16)', maintenance: 'rgba(37,99,235,0.14)' },
  dark: { axis: '#9ca3af', grid: '#2b303b', line: '#22c55e', band: 'rgba(34,197,94,0.14)', down: 'rgba(248,113,113,0.2)', maintenance: 'rgba(96,165,250,0.18)' },
}

function sparse(values: ArrayLike<number | null | undefined> | undefined): boolean {
  if (!values) return false
  let count = 0
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined && ++count > 60) return false
  return true
}

function axisPing(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${+ms.toFixed(ms < 10 && ms % 1 ? 1 : 0)} ms`
}

function toAligned(series: ChartSeries): AlignedData {
  return [series.x, series.ping, series.pingMin, series.pingMax] as unknown as AlignedData
}

/** Shades down and maintenance periods behind the lines. */
function shadingPlugin(getSeries: () => ChartSeries, colours: () => { down: string; maintenance: string }): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const data = getSeries()
        const { ctx } = u
        const { top, height } = u.bbox
        ctx.save()
        for (let i = 0; i < data.x.length; i++) {
          const down = data.down[i]
          const maintenance = data.maintenance[i]
          if (!down && !maintenance) continue
          const start = data.x[i]!
          const x0 = u.valToPos(start, 'x', true)
          const x1 = u.valToPos(start + (data.width[i] ?? 60), 'x', true)
          ctx.fillStyle = down ? colours().down : colours().maintenance
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height)
        }
        ctx.restore()
      },
    },
  }
}

/** uPlot line chart of response times; lives in the detail page's chunk only. */
export default function ResponseChart({ series, from, to, height = 240, label }: ResponseChartProps) {
  const container = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const seriesRef = useRef(series)
  const rangeRef = useRef<[number, number]>([from, to])
  const dark = useDarkMode()

  useEffect(() => {
    const element = container.current
    if (!element) return
    const colours = dark ? PALETTE.dark : PALETTE.light
    const axis = {
      stroke: colours.axis,
      grid: { stroke: colours.grid, width: 1 },
      ticks: { stroke: colours.grid, width: 1 },
      font: '11px system-ui, sans-serif',
    }
    const options: Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: true, range: () => rangeRef.current },
        y: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.15)] },
      },
      axes: [
        { ...axis },
        { ...axis, size: 56, values: (_u, values) => values.map(axisPing) },
      ],
      series: [
        {},
        {
          label: 'ping',
          stroke: colours.line,
          width: 2,
          spanGaps: false,
          // Dots only while samples are sparse; a lone sample has no line to draw.
          points: { show: (u: uPlot, index: number) => sparse(u.data[index]), size: 5, fill: colours.line },
        },
        { label: 'min', stroke: 'transparent', points: { show: false } },
        { label: 'max', stroke: 'transparent', points: { show: false } },
      ],
      bands: [{ series: [3, 2], fill: colours.band }],
      plugins: [shadingPlugin(() => seriesRef.current, () => colours)],
    }
    const instance = new uPlot(options, toAligned(seriesRef.current), element)
    plot.current = instance
    const observer = new ResizeObserver(() => {
      const width = element.clientWidth
      if (width > 0 && Math.abs(width - instance.width) > 1) instance.setSize({ width, height })
    })
    observer.observe(element)
    return () => {
      observer.disconnect()
      instance.destroy()
      plot.current = null
    }
  }, [dark, height])

  useEffect(() => {
    seriesRef.current = series
    rangeRef.current = [from, to]
    plot.current?.setData(toAligned(series))
  }, [series, from, to])

  return <div ref={container} role="img" aria-label={label} style={{ height }} className="w-full" data-testid="response-chart" />
}
