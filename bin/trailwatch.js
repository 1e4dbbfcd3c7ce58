#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm run build writes dist/). Even a CLI that cannot be
// loaded exits 4 (internal error), never 1 (alerts found).
try {
  const { runProcess } = await import('../dist/cli/failure.js');
  const { main } = await import('../dist/cli/main.js');
  await runProcess(main);
} catch (error) {
  console.error(`trailwatch: internal error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 4;
}
