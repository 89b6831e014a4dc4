import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

// Starts Gatehouse: read config, open storage, build the app, listen. Stops cleanly on SIGTERM/SIGINT.
const progress = (message: string) => process.stdout.write(`${message}\n`);

try {
  const config = loadConfig();
  const server = await startServer(config, progress);
  progress(`Gatehouse listening on ${server.url} (API document: ${server.url}/docs)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else
    process.stderr.write(`Gatehouse failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
