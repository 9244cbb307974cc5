#!/usr/bin/env node
'use strict';
// The Telegram Bot API emulator for Guichet's tests: telegram-test-api 4.2.1 with the routes of
// emulator.js in front of its own.
//
//   node tests/telegram/server.js [port] [--ignore-stdin]
//
// Port 0 or none: a free port. Prints exactly one line on stdout when ready:
//   telegram-test-api listening on http://127.0.0.1:PORT
// and nothing else there (diagnostics go to stderr). Exits on SIGTERM/SIGINT and when its stdin
// closes, so that a test which spawned it with a piped stdin never leaves it behind, even if the
// test dies; --ignore-stdin is for running it by hand in the background (stdin is /dev/null there).

const TelegramServer = require('telegram-test-api'); // the package exports the class itself
const { routes } = require('telegram-test-api/lib/routes/index');
const { install } = require('./emulator');

const args = process.argv.slice(2);
const ignoreStdin = args.includes('--ignore-stdin');
const portArg = args.find((a) => !a.startsWith('--'));
const port = portArg === undefined ? 0 : Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node server.js [port] [--ignore-stdin] (got port ${portArg})`);
  process.exit(2);
}

const quit = (code) => () => process.exit(code);
process.on('SIGTERM', quit(0));
process.on('SIGINT', quit(0));
const stdinClosed = () => {
  console.error('telegram emulator: stdin closed, exiting (--ignore-stdin keeps it running)');
  process.exit(0);
};
if (!ignoreStdin) {
  process.stdin.on('end', stdinClosed);
  process.stdin.on('close', stdinClosed);
  process.stdin.on('error', stdinClosed);
  process.stdin.resume(); // read (and discard) so that 'end' is seen
}
// The package's own user routes call async methods without awaiting them (e.g. /sendCommand without
// entities): report such failures instead of letting Node end the process.
process.on('unhandledRejection', (err) => console.error('telegram emulator: unhandled rejection:', err));

// The package's constructor registers `routes` in order: ours go first.
routes.unshift(install);

async function main() {
  // storeTimeout (seconds): the package forgets messages older than this; a day outlives any test.
  const tg = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 86400 });
  tg.config.port = port; // its normalizeConfig turns port 0 into 9000
  await tg.start();
  // Idle keep-alive connections must be closed by the client (reqwest keeps them 90 s), not by us
  // after Node's 5 s: otherwise a request sent just as we close one fails with "connection closed".
  tg.server.keepAliveTimeout = 120 * 1000;
  tg.server.headersTimeout = 121 * 1000;
  const actual = tg.server.address().port;
  tg.config.apiURL = `http://127.0.0.1:${actual}`;
  process.stdout.write(`telegram-test-api listening on http://127.0.0.1:${actual}\n`);
}

main().catch((err) => {
  console.error('telegram emulator: cannot start:', err.message);
  process.exit(1);
});
