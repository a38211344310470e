import type { AppContext } from '../src/context.js';

/** What a scenario needs to send its requests: seeded in the benchmark's database first. */
export interface BenchSeed {
  ctx: AppContext;
  args: Record<string, string | boolean | undefined>;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Bodies to cycle through, one per request (instead of `body`). */
  bodies?: string[];
}

/** What the server acknowledged during a scenario's runs (warm-up included). */
export interface BenchResponses {
  /** 2xx answers received. */
  acknowledged: number;
  /** Requests sent but cut off unanswered when autocannon stopped. */
  cutOff: number;
}

export interface Scenario {
  name: string;
  /** What one 2xx answer did, per second ("activations/s"): printed as a ratio to the bare route. */
  unit?: string;
  /** The goal for its throughput, as a ratio to the bare route (issue 19), if it has one. */
  goal?: number;
  /** Seeds data before the server starts; returns the request autocannon repeats. */
  prepare(seed: BenchSeed): Promise<BenchRequest>;
  /** Checks afterwards (e.g. exact counters); returns a line for the report. */
  verify?(seed: BenchSeed, responses: BenchResponses): Promise<string>;
}
