/** Exit codes (design.md): 0 done; 1 alerts and failOn: alert; 2 audit incomplete; 3 bad configuration or input. */
export const EXIT_CODES = { ok: 0, alerts: 1, incomplete: 2, badInput: 3 } as const;
