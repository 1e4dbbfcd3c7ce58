// MITRE ATT&CK (Enterprise) as rule files name it: a technique or sub-technique id and the tactics it serves.
// The tactic table is the fixed list of Enterprise tactics, so a typo in a rule file is a schema error.

/** Enterprise tactics by their ATT&CK short name: id and display name. */
export const MITRE_TACTICS = {
  reconnaissance: { id: 'TA0043', name: 'Reconnaissance' },
  'resource-development': { id: 'TA0042', name: 'Resource Development' },
  'initial-access': { id: 'TA0001', name: 'Initial Access' },
  execution: { id: 'TA0002', name: 'Execution' },
  persistence: { id: 'TA0003', name: 'Persistence' },
  'privilege-escalation': { id: 'TA0004', name: 'Privilege Escalation' },
  'defense-evasion': { id: 'TA0005', name: 'Defense Evasion' },
  'credential-access': { id: 'TA0006', name: 'Credential Access' },
  discovery: { id: 'TA0007', name: 'Discovery' },
  'lateral-movement': { id: 'TA0008', name: 'Lateral Movement' },
  collection: { id: 'TA0009', name: 'Collection' },
  'command-and-control': { id: 'TA0011', name: 'Command and Control' },
  exfiltration: { id: 'TA0010', name: 'Exfiltration' },
  impact: { id: 'TA0040', name: 'Impact' },
} as const;

/** An ATT&CK tactic short name (e.g. defense-evasion). */
export type MitreTactic = keyof typeof MITRE_TACTICS;

/** A technique a rule detects: `T1562.008`, its name (`Technique — Sub-technique` for a sub-technique), its tactics. */
export interface MitreTechnique {
  technique: string;
  name: string;
  tactics: MitreTactic[];
}

/** The technique's page on attack.mitre.org (T1562.008 → /techniques/T1562/008/). */
export function mitreUrl(technique: string): string {
  return `https://attack.mitre.org/techniques/${technique.replace('.', '/')}/`;
}
