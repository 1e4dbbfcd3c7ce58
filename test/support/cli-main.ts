// The CLI's entry point run from the TypeScript sources (by tsx), for tests that need a process of its own.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
