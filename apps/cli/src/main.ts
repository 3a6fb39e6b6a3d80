#!/usr/bin/env node
import { run } from './cli';
import { processIo } from './io';

// A reader that stops early (`b3lake query … | head`) closes the pipe: that ends the output, it is
// not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
