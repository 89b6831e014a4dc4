import { createLogger } from './log.js';
import { unsupportedNode } from './version.js';

// Starts Gatehouse: read config, open storage, build the app, listen. Stops cleanly on SIGTERM/SIGINT.
// Everything it writes, failures included, is one stream of pino JSON lines on stdout.
const logger = createLogger('info');

const oldNode = unsupportedNode();
if (oldNode) {
  logger.fatal(oldNode);
  process.exit(1);
}

// Loaded only once the Node.js version is known to be supported: on an older one they might fail
// to load at all, with an error that says nothing about the version.
const { ConfigError, loadConfig } = await import('./config.js');
const { serveUntilStopped } = await import('./server.js');

try {
  const config = loadConfig();
  logger.level = config.logLevel;
  await serveUntilStopped(config, logger);
} catch (err) {
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else
    logger.fatal({ err }, `Gatehouse failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
