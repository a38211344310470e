// Loaded (`--import`) by every test shard scripts/test.mjs starts, before the first test file.
//
// node:test keeps an async hook (init and destroy on every async resource, every promise
// included) to know which test is running: the test an `it()` or `before()` call belongs to, and
// the test an uncaught error came from. With it, each promise costs a hook call at birth and a weak
// callback at death: measured, an `await` costs about 28 times as much, and the hook was 8 % of the
// suite's CPU (its init, destroy and registerDestroyHook, plus the garbage they make).
//
// Here the hook is turned off, and node:test is told of each test as it enters the test's own
// scope instead (every suite body, hook and test function runs through runInAsyncScope): so
// describe, it and the hooks find their parent as before. What is lost: an error thrown later by
// something a test started (a timer, a callback) is no longer pinned to that test. It still fails
// the run: node:test reports it as a top-level diagnostic ("A resource generated asynchronous
// activity after the test ended … <the error>") and the shard exits 1.
// node:test's map then keeps one entry per test for the shard's life (its destroy no longer runs):
// a few hundred, the tests node:test keeps anyway.
// TESSERA_TEST_ASYNC_ATTRIBUTION=1 keeps node:test's hook, to find which test such an error came from.
//
// The hook is not public: it is found through node's internals (`--expose-internals`, which the
// runner passes). If a Node release moves them, nothing is changed and the suite runs as before.
import { AsyncResource } from 'node:async_hooks';
import { createRequire } from 'node:module';

if (process.env.TESSERA_TEST_ASYNC_ATTRIBUTION !== '1') {
  try {
    const require = createRequire(import.meta.url);
    const internals = require('internal/async_hooks');
    const { Test } = require('internal/test_runner/test');
    const { init_symbol: initSymbol } = internals.symbols;
    const hook = [...internals.getHookArrays()[0]].find((h) => String(h[initSymbol]).includes('testResources'));
    if (hook && typeof Test === 'function') {
      const init = hook[initSymbol];
      hook.disable();
      const told = new WeakSet();
      const runInAsyncScope = AsyncResource.prototype.runInAsyncScope;
      AsyncResource.prototype.runInAsyncScope = function (fn, thisArg, ...args) {
        if (this instanceof Test && !told.has(this)) {
          told.add(this);
          init(this.asyncId(), 'Test', this.triggerAsyncId(), this);
        }
        return runInAsyncScope.call(this, fn, thisArg, ...args);
      };
    }
  } catch {
    // internals moved: keep the hook
  }
}
