/**
 * Builds the benchmark report from what the runs left in bench/results/: micro.json,
 * quality-*.json (with .md), scale.json, api.json. Writes report.md and report.html beside
 * them, and the pictures as SVG: a quality-versus-time curve per quality run, each home-care
 * plan of the first seed as a map and timelines, and the scale charts (time and memory by size).
 *
 *   npm run bench:report [-- --out bench/results/]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { planSvg } from '../solver/plan/plan-svg.ts';
import type { Plan } from '../solver/model/plan.ts';
import type { ProblemInput } from '../solver/model/input.ts';
import { qualityCurves } from './quality-curves.ts';
import type { InstanceResult } from './report.ts';
import { htmlPage } from './report-html.ts';
import type { ScaleRow } from './scale.ts';
import { lineChart } from './svg-chart.ts';

const { values } = parseArgs({
  options: { out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) } },
});
const dir = values.out.endsWith('/') ? values.out : `${values.out}/`;
const read = (name: string) => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));
const write = (name: string, text: string) => writeFileSync(`${dir}${name}`, text);
const written: string[] = [];
const svg = (name: string, text: string) => {
  write(name, text);
  written.push(name);
  return `![${name}](${name})`;
};

const md: string[] = [
  '# Benchmark report',
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · Node ${process.versions.node}`,
  '',
];

if (existsSync(`${dir}micro.json`)) {
  const { instance, rows } = read('micro.json') as {
    instance: string;
    rows: { task: string; nsPerOp: number; opsPerSec: number; samples: number }[];
  };
  md.push('## Micro-benchmarks', '', `tinybench; core tasks on \`${basename(instance)}\`.`, '');
  md.push('| task | time per operation | ops/s | samples |', '|---|---|---|---|');
  const per = (ns: number) =>
    ns < 1e4 ? `${ns} ns` : ns < 1e7 ? `${(ns / 1e3).toFixed(1)} µs` : `${(ns / 1e6).toFixed(1)} ms`;
  for (const r of rows)
    md.push(`| ${r.task} | ${per(r.nsPerOp)} | ${r.opsPerSec.toLocaleString('en')} | ${r.samples} |`);
  md.push('');
}

const suiteOrder = ['solomon', 'homberger200', 'homberger400', 'mankowska', 'care'];
const qualityFiles = readdirSync(dir)
  .filter((f) => /^quality-.*\.json$/.test(f))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(f: string) {
  const k = suiteOrder.findIndex((s) => f.startsWith(`quality-${s}`));
  return k < 0 ? suiteOrder.length : k;
}
if (qualityFiles.length > 0) md.push('## Quality', '');
for (const f of qualityFiles) {
  const label = f.slice(0, -5);
  const { results } = read(f) as { results: InstanceResult[] };
  const table = existsSync(`${dir}${label}.md`) ? readFileSync(`${dir}${label}.md`, 'utf8') : '';
  md.push(table.replace(/^# /m, '### '));
  const series = qualityCurves(results);
  if (series.some((s) => s.points.length > 0)) {
    const published = results.some((r) => r.bestDistance);
    md.push(
      svg(
        `curve-${label}.svg`,
        lineChart({
          title: `${label}: quality versus time`,
          xLabel: 'seconds (log scale)',
          yLabel: published ? '% above best known (mean)' : '% above best final cost of any seed (mean)',
          series,
          logX: true,
          yMin: Math.min(0, ...series.flatMap((s) => s.points.map((p) => p[1]))),
          yMax: 10,
        }),
      ),
      '',
    );
  }
  const firstSeed = Math.min(...results.map((r) => r.seed));
  for (const r of results.filter((x) => x.planFile && x.file && x.seed === firstSeed && !x.error)) {
    if (!existsSync(r.planFile!)) continue;
    const problem = JSON.parse(readFileSync(r.file!, 'utf8')) as ProblemInput;
    const plan = JSON.parse(readFileSync(r.planFile!, 'utf8')) as Plan;
    const title = `${r.name}: cost ${plan.summary.cost.toFixed(0)}, ${plan.summary.routes} nurses working, ${plan.unassigned.length} left out`;
    md.push(
      `#### ${r.name} (seed ${r.seed})`,
      '',
      svg(`plan-${r.name}.svg`, planSvg(problem, plan, { title })),
      '',
    );
  }
}

if (existsSync(`${dir}scale.json`)) {
  const { rows } = read('scale.json') as { rows: ScaleRow[] };
  md.push('## Scale', '', readFileSync(`${dir}scale.md`, 'utf8').replace(/^# /m, '### '));
  const by = (pick: (r: ScaleRow) => number) => rows.map((r) => [r.visits, pick(r)] as [number, number]);
  md.push(
    svg(
      'scale-time.svg',
      lineChart({
        title: 'Solve time by size',
        xLabel: 'visits (one nurse per ten)',
        yLabel: 'seconds',
        dots: true,
        series: [
          { name: 'first plan', points: by((r) => r.constructionS) },
          {
            name: 'within 5% of final',
            points: by((r) => r.within5pctS ?? NaN).filter((p) => !Number.isNaN(p[1])),
          },
          { name: 'within 1% of final', points: by((r) => r.within1pctS) },
        ],
      }),
    ),
    svg(
      'scale-memory.svg',
      lineChart({
        title: 'Peak memory of the solving process by size',
        xLabel: 'visits (one nurse per ten)',
        yLabel: 'MB (resident)',
        dots: true,
        series: [{ name: 'peak RSS', points: by((r) => r.peakRssMb) }],
      }),
    ),
    '',
  );
}

if (existsSync(`${dir}api.json`)) {
  const { settings, rows } = read('api.json') as {
    settings: { seconds: number; connections: number };
    rows: {
      label: string;
      requestsPerSecond: number;
      p50ms: number;
      p99ms: number;
      maxMs: number;
      errors: number;
      non2xx: number;
    }[];
  };
  md.push(
    '## API: route pulls',
    '',
    `GET of a nurse's route, ${settings.connections} connections for ${settings.seconds} s (autocannon from a second process; API and worker in one process).`,
    '',
    '| while | requests/s | p50 ms | p99 ms | max ms | errors | non-2xx |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.requestsPerSecond} | ${r.p50ms} | ${r.p99ms} | ${r.maxMs} | ${r.errors} | ${r.non2xx} |`,
    ),
    '',
  );
}

const text = md.join('\n') + '\n';
write('report.md', text);
write('report.html', htmlPage('Benchmark report', text));
process.stdout.write(`report: ${dir}report.html, ${dir}report.md and ${written.length} SVG files\n`);
