#!/usr/bin/env node
'use strict';
// `npx mtlskit inspect FILE... [--json] [--password P]`: the npm package's command line.
const fs = require('node:fs');
const { inspect } = require('..');

function main(argv) {
  const [command, ...rest] = argv;
  if (command !== 'inspect' || rest.length === 0) {
    process.stderr.write('usage: mtlskit inspect FILE... [--json] [--password P]\n');
    return 2;
  }
  const files = [];
  let json = false;
  let password;
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '--json') json = true;
    else if (rest[i] === '--password') password = rest[(i += 1)];
    else files.push(rest[i]);
  }
  const items = [];
  try {
    for (const file of files) {
      items.push(...inspect({ data: fs.readFileSync(file === '-' ? 0 : file), source: file, password }).items);
    }
  } catch (error) {
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: error.code ?? 'Io', message: error.message } }, null, 2)}\n`);
    else process.stderr.write(`error[${error.code ?? 'Io'}]: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
  return items.some((item) => item.kind === 'error') ? 2 : 0;
}

process.exitCode = main(process.argv.slice(2));
