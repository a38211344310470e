// `npm run bench -- --only startup`: from launching the server on an existing database to its
// first answered request, median of 5 starts, against a bare Fastify server started the same way
// in the same run; and the idle RSS one second after that first answer. Figures, never a test.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NODE = process.execPath; // npm scripts run the project's Node 24
const RUNS = 5;

interface Start {
  ms: number;
  /** CPU time (user + system) the serving process had used when it first answered. */
  cpuMs: number;
  rssMb: number;
}

async function firstAnswer(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** utime + stime from /proc/<pid>/stat, in ms (the kernel counts in 1/100 s ticks here). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The process answering (for `npm start`, the node process under npm and sh). */
function serverPid(root: number): number {
  for (let pid = root, depth = 0; depth < 4; depth++) {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length === 0) return pid;
    pid = Number(children[0]);
  }
  return root;
}

async function startOnce(command: string, args: string[], env: Record<string, string>, port: number): Promise<Start> {
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore', detached: true });
  try {
    const ms = await firstAnswer(`http://127.0.0.1:${port}/healthz`, child, started);
    const cpu = cpuMs(serverPid(child.pid!));
    await new Promise((r) => setTimeout(r, 1000));
    return { ms, cpuMs: cpu, rssMb: rssMb(serverPid(child.pid!)) };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function startupFigures(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-startup-'));
  const env = { TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  const targets: { name: string; command: string; args: string[] }[] = [
    { name: 'bare Fastify (node bench/startup/bare-server.mjs)', command: NODE, args: ['bench/startup/bare-server.mjs'] },
    { name: 'Tessera (node scripts/start.mjs, what npm start runs)', command: NODE, args: ['scripts/start.mjs'] },
    { name: 'Tessera through npm (npm start)', command: 'npm', args: ['start', '--silent'] },
  ];
  try {
    // The existing database (migrated, secret made) and a warm compile cache, as on a second start.
    await startOnce(NODE, ['scripts/start.mjs'], env, 3950);
    const rows: { name: string; starts: Start[] }[] = targets.map((t) => ({ name: t.name, starts: [] }));
    // Interleaved, so machine load hits every target alike.
    for (let i = 0; i < RUNS; i++) {
      for (const [j, t] of targets.entries()) rows[j]!.starts.push(await startOnce(t.command, t.args, env, 3951 + j));
    }
    const bare = median(rows[0]!.starts.map((s) => s.ms));
    const bareCpu = median(rows[0]!.starts.map((s) => s.cpuMs));
    const lines = [
      `\nstart to first answered request (GET /healthz), median of ${RUNS}, Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
      '(CPU ms: what the serving process itself had used by its first answer — on a busy machine the',
      'wall time mostly measures the other processes; the CPU time is what a quiet machine would wait)',
      '| server | median ms | min–max ms | ratio to bare | CPU ms to first answer | CPU ratio to bare | idle RSS MB |',
      '|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const r of rows) {
      const ms = r.starts.map((s) => s.ms);
      lines.push(
        `| ${r.name} | ${Math.round(median(ms))} | ${Math.round(Math.min(...ms))}–${Math.round(Math.max(...ms))} | ${(median(ms) / bare).toFixed(2)}× | ${Math.round(median(r.starts.map((s) => s.cpuMs)))} | ${(median(r.starts.map((s) => s.cpuMs)) / bareCpu).toFixed(2)}× | ${Math.round(median(r.starts.map((s) => s.rssMb)))} |`,
      );
    }
    return lines.join('\n');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('startup.ts')) console.log(await startupFigures());
