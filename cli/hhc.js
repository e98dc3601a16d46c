#!/usr/bin/env node
// The `hhc` command: runs the compiled CLI in dist/ when it is a build of the current sources,
// else the TypeScript sources through tsx (cli/launch.js says why on stderr).
import { load } from './launch.js';

const { main } = await load('cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
