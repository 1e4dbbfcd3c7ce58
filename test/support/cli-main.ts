// The CLI's entry point run from the TypeScript sources (by tsx), for tests that need a process of its own:
// the same process wrapper as bin/trailwatch.js (crashes exit 4, a closed stdout is not an error).
import { runProcess } from '../../src/cli/failure.js';
import { main } from '../../src/cli/main.js';

await runProcess(main);
