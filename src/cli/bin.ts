#!/usr/bin/env node
/**
 * Entry of the unbundled CLI (`node dist/cli/bin.js`): runs the program against the real process. The
 * published binary (package.json `bin`) is the bundle of the same program that scripts/build-cli.mjs makes.
 */
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
