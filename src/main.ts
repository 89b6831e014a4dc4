import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { serveUntilStopped } from './server.js';

// Starts Gatehouse: read config, open storage, build the app, listen. Stops cleanly on SIGTERM/SIGINT.
// Everything it writes, failures included, is one stream of pino JSON lines on stdout.
const logger = createLogger('info');

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
