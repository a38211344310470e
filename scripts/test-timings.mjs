// A node:test reporter that scripts/test.mjs gives every shard (a process running many test files
// one after another, `--test-isolation=none`): when the shard ends it writes one JSON document,
// each file's time (its top-level tests' durations summed: they run one at a time) and test count,
// and the shard's counts. scripts/test.mjs merges the shards' documents: the run's summary,
// `--timings` (the slowest files) and `--save-durations` (scripts/test-durations.json, what the next
// runs balance the shards by).
import diagnostics from 'node:diagnostics_channel';

// A top-level suite made by a helper (describeEachDialect, browserWalk) names the helper's file in
// the reporter's events; node:test's tracing channel names the test file that registered it (the
// reporter runs in the shard's process, and is loaded before the test files, whose import builds
// their suites). Top-level tests run one at a time, in order.
const entryFiles = [];
const channel = diagnostics.tracingChannel('node.test');
const onStart = (ctx) => {
  if (ctx.nesting === 0) entryFiles.push({ name: ctx.name, file: ctx.file });
};
channel.start.subscribe(onStart);

export default async function* timings(source) {
  const files = {};
  let counts = null;
  let tests = 0;
  for await (const event of source) {
    const { data } = event;
    if (event.type === 'test:complete' && data.file) {
      if (data.details.type !== 'suite') tests += 1;
      if (data.nesting !== 0) continue;
      const at = entryFiles.findIndex((t) => t.name === data.name);
      const file = at >= 0 ? entryFiles.splice(at, 1)[0].file : data.file;
      const row = (files[file] ??= { ms: 0, tests: 0 });
      row.ms += data.details.duration_ms;
      row.tests += tests;
      tests = 0;
    } else if (event.type === 'test:summary' && !data.file) counts = data.counts;
  }
  channel.start.unsubscribe(onStart);
  yield JSON.stringify({ files, counts });
}
