// Starts the EVE emulator and a migrated daemon instance for browser tests,
// and launches Debian's Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const binDir = process.env.AA_BIN_DIR;
const sourceDir = process.env.AA_SOURCE_DIR;
if (!binDir || !sourceDir) throw new Error('set AA_BIN_DIR and AA_SOURCE_DIR (CTest does)');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// Resolves with the first capture of `pattern` in the child's stdout.
function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 15 s`)), 15000);
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = buffered.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

// `editConfig` may change the instance's YAML text before migration.
export async function startSite({ plugins = ['timerboard'], editConfig = (yaml) => yaml } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-e2e-'));
  const emulator = spawn(path.join(binDir, 'aa-eve-emulator'),
    ['--data', path.join(sourceDir, 'tests', 'data'), '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const emulatorPort = await waitForLine(emulator, /LISTENING (\d+)/, 'the EVE emulator');
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;

  const port = await freePort();
  const site = `http://127.0.0.1:${port}`;
  const instance = path.join(dir, 'instance');
  const start = spawnSync(path.join(binDir, 'allianceauth'), ['start', instance]);
  if (start.status !== 0) throw new Error(`allianceauth start failed: ${start.stderr}`);
  const config = path.join(instance, 'allianceauth.yaml');
  let yaml = readFileSync(config, 'utf8')
    .replace(/^site_url: .*$/m, `site_url: "${site}"`)
    .replace(/^  client_id: .*$/m, '  client_id: "aa-demo-client"')
    .replace(/^  client_secret: .*$/m, '  client_secret: "aa-demo-secret"')
    .replace(/^  metadata_url: .*$/m, `  metadata_url: "${emulatorUrl}/.well-known/oauth-authorization-server"`)
    .replace(/^  base_url: .*$/m, `  base_url: "${emulatorUrl}/latest"`)
    .replace(/^  console: true$/m, '  console: false')
    .replace(/^plugins:\n  timerboard: \{\}$/m, `plugins: [${plugins.join(', ')}]`);
  writeFileSync(config, editConfig(yaml));
  const migrate = spawnSync(path.join(binDir, 'allianceauth'), ['--config', config, 'migrate']);
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stdout}${migrate.stderr}`);

  const daemon = spawn(path.join(binDir, 'allianceauth'), ['--config', config, 'serve', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  await waitForLine(daemon, /running at/, 'the daemon');

  const browser = await chromium.launch({
    executablePath: process.env.AA_CHROMIUM || '/usr/bin/chromium',
    // Chromium as root needs --no-sandbox; the rest keeps it off the network
    // beyond loopback, which this machine does not allow anyway.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });

  return {
    site,
    config,
    browser,
    sql(statement) {
      const result = spawnSync('sqlite3', [path.join(instance, 'var', 'allianceauth.sqlite3'), statement]);
      if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
      return String(result.stdout).trim();
    },
    async stop() {
      await browser.close();
      daemon.kill('SIGTERM');
      emulator.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
