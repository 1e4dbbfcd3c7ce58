// The CLI as its own process, from source (node --import tsx): what bin/trailwatch.js runs from dist/.
import { runProcess } from '../../src/cli/failure.js';
import { main } from '../../src/cli/main.js';

await runProcess(main);
