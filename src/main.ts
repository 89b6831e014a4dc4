import { ConfigError, loadConfig } from './config.js';
import { serveUntilStopped } from './server.js';

// Starts Gatehouse: read config, open storage, build the app, listen. Stops cleanly on SIGTERM/SIGINT.
const progress = (message: string) => process.stdout.write(`${message}\n`);

try {
  await serveUntilStopped(loadConfig(), progress);
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else
    process.stderr.write(`Gatehouse failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
