#!/usr/bin/env node
// The gatehouse CLI's entry point; the commands live in lib/cli/.
import { runCli } from '../lib/cli/main';
import { processIo } from '../lib/cli/io';

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
