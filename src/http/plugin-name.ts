const DISPLAY_NAME = Symbol.for('fastify.display-name');

/**
 * The plugin, with its name given to Fastify. Without one, each `register` makes Fastify look for
 * the function among the exports of every CommonJS module loaded (`require.cache`), twice: with
 * Tessera's ~70 plugins that was 6 % of a server's start, and more in a process that has loaded
 * many modules (a test shard). Fastify uses the name in its plugin tree and its errors.
 */
export function named<T extends (...args: never[]) => unknown>(plugin: T): T {
  const target = plugin as T & { [DISPLAY_NAME]?: string };
  target[DISPLAY_NAME] ??= plugin.name || 'anonymous plugin';
  return plugin;
}
