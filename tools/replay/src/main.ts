#!/usr/bin/env node
/** `nx run replay:serve -- --port 8080 --latency 100 --fault-rate 0.2 --synthetic 1400` */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startReplayServer, type FaultKind } from './replay-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    fixtures: { type: 'string', default: 'tools/fixtures' },
    latency: { type: 'string', default: '0' },
    'fault-rate': { type: 'string', default: '0' },
    faults: { type: 'string', default: '500,429,timeout,truncate,challenge' },
    fail: { type: 'string', default: '' },
    synthetic: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Replay server: serves recorded pages as fundamentus.com.br and B3 on 127.0.0.1.
Options: --port N --fixtures DIR --latency MS --fault-rate 0..1 --faults 500,429,timeout,truncate,challenge
         --fail TICKER,… (always 500) --synthetic N (market of N tickers)`);
  process.exit(0);
}
startReplayServer({
  fixturesDir: resolve(values.fixtures),
  port: Number(values.port),
  latencyMs: Number(values.latency),
  faultRate: Number(values['fault-rate']),
  faultKinds: values.faults.split(',').filter(Boolean) as FaultKind[],
  permanentFailures: values.fail.split(',').filter(Boolean),
  syntheticTickers: Number(values.synthetic),
}).then((server) => {
  console.log(`replay server on ${server.url} (Fundamentus and B3); Ctrl-C to stop`);
  process.on('SIGINT', () => server.stop().then(() => process.exit(0)));
});
