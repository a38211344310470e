/** A progress bar for long CLI work, drawn on a terminal only (stderr, so stdout stays clean). */

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One line: `label [#####-----] 1200/5000 rows  800 rows/s  ETA 5s`. */
export function renderProgress(label: string, done: number, total: number, elapsedMs: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(width * ratio);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} rows  ${Math.round(rate)} rows/s  ETA ${done >= total ? '0s' : duration(eta)}`;
}

export interface Progress {
  update(label: string, done: number, total: number): void;
  /** Clears the bar (the summary line follows). */
  end(): void;
}

/** Redraws at most every 100 ms; a no-op when `stream` is not a terminal. Rates count from the phase's start. */
export function progressBar(stream: { isTTY?: boolean; write(s: string): unknown }, now: () => number = () => performance.now()): Progress {
  if (!stream.isTTY) return { update() {}, end() {} };
  let started = now();
  let phase: string | undefined;
  let last = -Infinity;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      // A new phase (say, checking then importing) gets its own rate and ETA.
      if (phase !== undefined && label !== phase) started = last > -Infinity ? last : t;
      phase = label;
      if (done < total && t - last < 100) return;
      last = t;
      drawn = true;
      stream.write(`\r\x1b[2K${renderProgress(label, done, total, t - started)}`);
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
