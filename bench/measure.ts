import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { BenchRequest, BenchResponses } from './scenario.js';

export interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** 2xx answers per second of the measured run (what a scenario's `unit` counts). */
  okPerSecond: number;
  errors: number;
  non2xx: number;
  responses: BenchResponses;
  /** Requests answered in the measured run (not the warm-up). */
  total: number;
  note?: string;
}

/** One scenario with autocannon: a 2 s warm-up, then `duration` seconds measured. `during` runs around the measured part. */
export async function measure(
  name: string,
  base: string,
  request: BenchRequest,
  load: { duration: number; connections: number },
  during?: { before(): void; after(): void },
): Promise<Figure> {
  let next = 0;
  const bodies = request.bodies;
  const options = {
    url: base + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: load.connections,
    ...(bodies ? { requests: [{ setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }) }] } : {}),
  };
  const warm = await autocannon({ ...options, duration: 2 }); // warm-up
  during?.before();
  const r = await autocannon({ ...options, duration: load.duration });
  during?.after();
  const responses: BenchResponses = {
    acknowledged: warm['2xx'] + r['2xx'],
    cutOff: warm.requests.sent - warm.requests.total + (r.requests.sent - r.requests.total),
  };
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, okPerSecond: r['2xx'] / r.duration, errors: r.errors + r.timeouts, non2xx: r.non2xx, responses, total: r.requests.total };
}

/** Forks a bench server script under tsx; resolves once it says it listens. */
export function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
