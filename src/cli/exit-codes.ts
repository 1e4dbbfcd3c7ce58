/**
 * Exit codes (design.md): 0 done; 1 alerts and failOn: alert; 2 audit incomplete; 3 bad configuration or
 * input; 4 internal error (a bug in trailwatch, never to be read as "alerts found").
 */
export const EXIT_CODES = { ok: 0, alerts: 1, incomplete: 2, badInput: 3, internal: 4 } as const;
