import { describe, expect, it } from 'vitest';
import type { FindingsFile } from '../../src/model.js';
import { ocsfAttacks, toOcsfFindings, type OcsfRule } from '../../src/report/ocsf.js';
import { hostileFindings } from '../fixtures/hostile.js';
import { makeFinding, sampleReportInput } from '../fixtures/sample-org.js';
import { detectionFindingProblems } from '../support/ocsf-validate.js';

const RULES: OcsfRule[] = [
  {
    id: 'trail-tampering',
    title: 'Trail logging stopped, deleted or reduced',
    why: 'Stopping a trail blinds the audit.',
    next: 'Restart logging.',
    mitre: [
      {
        technique: 'T1562.008',
        name: 'Impair Defenses — Disable or Modify Cloud Logs',
        tactics: ['defense-evasion'],
      },
    ],
  },
  {
    id: 'iam-change',
    title: 'IAM change',
    why: 'Why.',
    next: 'Next.',
    mitre: [
      { technique: 'T1098', name: 'Account Manipulation', tactics: ['persistence', 'privilege-escalation'] },
    ],
  },
];

function docOf(overrides: Partial<FindingsFile> = {}): FindingsFile {
  const input = sampleReportInput();
  return { run: input.facts, findings: input.findings, coverage: input.coverage, errors: [], ...overrides };
}

describe('OCSF Detection Findings', () => {
  it('maps every finding and coverage problem to an event that meets the schema', () => {
    const doc = docOf({
      errors: [
        { scope: 'account', id: '333333333333', code: 'assume-role-denied', message: 'AccessDenied' },
        {
          scope: 'rule',
          id: 'x',
          code: 'rule-not-configured',
          message: 'not configured',
          severity: 'warning',
        },
      ],
    });
    const events = toOcsfFindings(doc, RULES);
    // Rule findings, the coverage gap, and the account that could not be audited (not the rule warning).
    expect(events).toHaveLength(doc.findings.length + doc.coverage.length + 1);
    for (const event of events) expect(detectionFindingProblems(event)).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      severity_id: 4,
      cloud: { provider: 'AWS', account: { uid: '333333333333' } },
      finding_info: { title: 'Account not audited', analytic: { uid: 'assume-role-denied' } },
    });
  });

  it('maps the event id, time, account, region, actor, API and severity of a CloudTrail finding', () => {
    const finding = makeFinding({ ruleId: 'trail-tampering', errorCode: 'AccessDenied' });
    const [event] = toOcsfFindings(docOf({ findings: [finding], coverage: [] }), RULES);
    expect(event).toMatchObject({
      class_uid: 2004,
      type_uid: 200401,
      time: Date.parse('2026-11-21T03:12:44Z'),
      severity_id: 4,
      severity: 'High',
      status_id: 1,
      is_alert: true,
      message: 'Trail org-trail stopped logging',
      cloud: { region: 'us-east-1', account: { uid: '444444444444', type_id: 10 } },
      api: {
        operation: 'StopLogging',
        service: { name: 'cloudtrail.amazonaws.com' },
        response: { error: 'AccessDenied' },
      },
      finding_info: {
        uid: `trail-tampering:${finding.eventId}`,
        analytic: { uid: 'trail-tampering', type_id: 1 },
        src_url: `https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/${finding.eventId}`,
      },
      evidences: [
        {
          uid: finding.eventId,
          actor: { user: { uid: 'arn:aws:iam::444444444444:user/mallory' } },
          src_endpoint: { ip: '203.0.113.5' },
          http_request: { user_agent: 'aws-cli/2.15.0' },
        },
      ],
      remediation: { desc: 'Restart logging.' },
    });
  });

  it('names the ATT&CK sub-technique under its technique, once per tactic', () => {
    expect(ocsfAttacks(RULES[0]?.mitre ?? [])).toEqual([
      {
        technique: {
          uid: 'T1562',
          name: 'Impair Defenses',
          src_url: 'https://attack.mitre.org/techniques/T1562/',
        },
        sub_technique: {
          uid: 'T1562.008',
          name: 'Disable or Modify Cloud Logs',
          src_url: 'https://attack.mitre.org/techniques/T1562/008/',
        },
        tactic: { uid: 'TA0005', name: 'Defense Evasion' },
      },
    ]);
    expect(ocsfAttacks(RULES[1]?.mitre ?? []).map((a) => a.tactic)).toEqual([
      { uid: 'TA0003', name: 'Persistence' },
      { uid: 'TA0004', name: 'Privilege Escalation' },
    ]);
    const [withNone] = toOcsfFindings(
      docOf({ findings: [makeFinding({ ruleId: 'vpc-change' })], coverage: [] }),
      RULES,
    );
    expect(withNone?.finding_info).not.toHaveProperty('attacks');
  });

  it('marks a suppressed finding as such, with the reason, and not as an alert', () => {
    const finding = makeFinding({
      ruleId: 'trail-tampering',
      suppressed: true,
      suppression: {
        id: 'suppressions[0]',
        index: 0,
        reason: 'planned migration',
        owner: null,
        expires: '2026-12-01',
      },
    });
    const [event] = toOcsfFindings(docOf({ findings: [finding], coverage: [] }), RULES);
    expect(event).toMatchObject({ status_id: 3, status: 'Suppressed', is_alert: false });
    expect(event?.status_detail).toBe('suppressed: planned migration (until 2026-12-01)');
  });

  it('keeps hostile values as data and gives no console link for an implausible region', () => {
    const events = toOcsfFindings(docOf({ findings: hostileFindings(9), coverage: [] }), RULES);
    for (const event of events) expect(detectionFindingProblems(event)).toEqual([]);
    const first = events[0] as {
      finding_info: Record<string, unknown>;
      evidences: { src_endpoint: unknown }[];
    };
    expect(first.finding_info.src_url).toBeUndefined();
    // A "source IP" that is no address is kept as a domain, never as an ip_t.
    expect(first.evidences[0]?.src_endpoint).toEqual({ domain: 'javascript:alert(document.cookie)' });
    const round = JSON.parse(JSON.stringify(events)) as unknown;
    expect(round).toEqual(events);
  });
});

describe('the schema check itself', () => {
  const [valid] = toOcsfFindings(
    docOf({ findings: [makeFinding({ ruleId: 'trail-tampering' })], coverage: [] }),
    RULES,
  );

  it('finds a missing required attribute, also inside an object', () => {
    const { finding_info: info, ...rest } = valid as Record<string, unknown>;
    expect(detectionFindingProblems(rest)).toContain('finding_info: required, missing');
    const noUid = { ...valid, finding_info: { ...(info as object), uid: undefined } };
    expect(detectionFindingProblems(JSON.parse(JSON.stringify(noUid)))).toContain(
      'finding_info.uid: required, missing',
    );
  });

  it('finds a wrong type, an enum value out of range, an unknown attribute and an undeclared profile', () => {
    expect(detectionFindingProblems({ ...valid, time: '2026-11-21' })).toContain(
      'time: expected an integer, found "2026-11-21"',
    );
    expect(detectionFindingProblems({ ...valid, severity_id: 7 })).toContain(
      'severity_id: 7 is not in its enum',
    );
    expect(detectionFindingProblems({ ...valid, colour: 'red' })).toContain(
      'colour: not an attribute of this object',
    );
    const metadata = { ...(valid?.metadata as object), profiles: [] };
    expect(detectionFindingProblems({ ...valid, metadata })).toContain(
      'cloud: belongs to the cloud profile, which metadata.profiles does not declare',
    );
    expect(detectionFindingProblems({ ...valid, class_uid: 2001 })).toContain(
      'class_uid: expected 2004, found 2001',
    );
  });
});
