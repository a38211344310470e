import { positiveIntFromEnv } from '../util/env.js';

/** Flow and worker settings from the environment (README: "API keys and flows"). */
export interface FlowSettings {
  /** TESSERA_WORKER: `0` keeps `npm start` from running a worker in-process. */
  inProcessWorker: boolean;
  /** TESSERA_WORKER_CONCURRENCY: runs one worker executes at the same time. */
  workerConcurrency: number;
  /** TESSERA_FLOW_LEASE_SECONDS: a running run whose worker has not renewed it for this long is abandoned (its worker died). */
  leaseSeconds: number;
  /** Per-owner defaults, overridden per account or team in `flow_limits` (`tessera flow limits`). */
  limits: FlowLimits;
  /** SMTP_URL (smtp:// or smtps://, optional user:password@): outbox delivery; unset = emails stay queued. */
  smtpUrl: string | undefined;
  /** SMTP_FROM: sender address of outbox emails. */
  smtpFrom: string;
  /** SMTP_TLS_CA: PEM file of the CA certificates the SMTP server's certificate is checked against (default: the system's). */
  smtpTlsCa: string | undefined;
  /** TESSERA_TRIGGERS: `0` keeps `npm start` from running the trigger scheduler in-process. */
  inProcessTriggers: boolean;
  /** TESSERA_TRIGGER_POLL_MS: how often the scheduler looks for due schedules and events of other processes. */
  triggerPollMs: number;
  /** The file endpoints and the file steps (files-service.ts). */
  files: FlowFileSettings;
}

export interface FlowFileSettings {
  /** TESSERA_FLOW_FILE_MAX_BYTES: one file's size; also the file content one upload request may carry in all. */
  maxFileBytes: number;
  /** TESSERA_FLOW_FILES_MAX_TOTAL_BYTES: all the files of one account or team together (uploads and run files). */
  maxOwnerBytes: number;
  /** TESSERA_FLOW_RUN_FILES_DAYS: files a run wrote are deleted this many days after they were written. */
  runFileDays: number;
}

export interface FlowLimits {
  /** TESSERA_FLOW_MAX_CONCURRENT: runs of one account or team executing at once; more wait as QUEUED. */
  maxConcurrent: number;
  /** TESSERA_FLOW_MAX_QUEUED: runs waiting per account or team; beyond, start_pipeline answers 429. */
  maxQueued: number;
  /** TESSERA_FLOW_MAX_RUN_SECONDS: a run still going after this long fails. */
  maxRunSeconds: number;
  /** TESSERA_FLOW_MAX_OUTPUT_BYTES: size of a run's outputs as JSON. */
  maxOutputBytes: number;
}

export function loadFlowSettings(env: NodeJS.ProcessEnv): FlowSettings {
  return {
    inProcessWorker: env.TESSERA_WORKER !== '0' && env.TESSERA_WORKER !== 'false',
    workerConcurrency: positiveIntFromEnv(env, 'TESSERA_WORKER_CONCURRENCY', 8),
    leaseSeconds: positiveIntFromEnv(env, 'TESSERA_FLOW_LEASE_SECONDS', 30),
    limits: {
      maxConcurrent: positiveIntFromEnv(env, 'TESSERA_FLOW_MAX_CONCURRENT', 5),
      maxQueued: positiveIntFromEnv(env, 'TESSERA_FLOW_MAX_QUEUED', 100),
      maxRunSeconds: positiveIntFromEnv(env, 'TESSERA_FLOW_MAX_RUN_SECONDS', 300),
      maxOutputBytes: positiveIntFromEnv(env, 'TESSERA_FLOW_MAX_OUTPUT_BYTES', 1024 * 1024),
    },
    smtpUrl: env.SMTP_URL || undefined,
    smtpFrom: env.SMTP_FROM || 'tessera@localhost',
    smtpTlsCa: env.SMTP_TLS_CA || undefined,
    inProcessTriggers: env.TESSERA_TRIGGERS !== '0' && env.TESSERA_TRIGGERS !== 'false',
    triggerPollMs: positiveIntFromEnv(env, 'TESSERA_TRIGGER_POLL_MS', 5000),
    files: {
      maxFileBytes: positiveIntFromEnv(env, 'TESSERA_FLOW_FILE_MAX_BYTES', 10 * 1024 * 1024),
      maxOwnerBytes: positiveIntFromEnv(env, 'TESSERA_FLOW_FILES_MAX_TOTAL_BYTES', 256 * 1024 * 1024),
      runFileDays: positiveIntFromEnv(env, 'TESSERA_FLOW_RUN_FILES_DAYS', 30),
    },
  };
}
