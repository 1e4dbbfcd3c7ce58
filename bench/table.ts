// The bench's one table: each figure with its goal and whether the goal was met.

/** One figure of the bench. `met` is undefined for figures without a goal. */
export interface BenchRow {
  section: string;
  figure: string;
  value: string;
  goal?: string;
  met?: boolean;
}

/** Collects rows section by section. */
export class BenchTable {
  readonly rows: BenchRow[] = [];
  section = '';

  add(figure: string, value: string, goal?: { text: string; met: boolean }): void {
    this.rows.push({
      section: this.section,
      figure,
      value,
      ...(goal ? { goal: goal.text, met: goal.met } : {}),
    });
  }

  /** The table as aligned text, one line per figure, a rule between sections. */
  render(): string {
    const header = { figure: 'figure', value: 'value', goal: 'goal', met: 'met' };
    const cells = this.rows.map((r) => ({
      figure: r.figure,
      value: r.value,
      goal: r.goal ?? '',
      met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    }));
    const width = (key: keyof typeof header) =>
      Math.max(header[key].length, ...cells.map((c) => c[key].length));
    const w = { figure: width('figure'), value: width('value'), goal: width('goal'), met: width('met') };
    const line = (c: typeof header) =>
      `| ${c.figure.padEnd(w.figure)} | ${c.value.padEnd(w.value)} | ${c.goal.padEnd(w.goal)} | ${c.met.padEnd(w.met)} |`;
    const rule = `|${'-'.repeat(w.figure + 2)}|${'-'.repeat(w.value + 2)}|${'-'.repeat(w.goal + 2)}|${'-'.repeat(w.met + 2)}|`;
    const out = [line(header), rule];
    let section = '';
    this.rows.forEach((row, i) => {
      if (row.section !== section) {
        section = row.section;
        // A section's title spans the row (its width does not widen the figure column).
        const span = w.figure + w.value + w.goal + w.met + 9;
        out.push(`| ${`**${section}**`.padEnd(span)} |`);
      }
      out.push(line(cells[i]!));
    });
    return `${out.join('\n')}\n`;
  }
}

/** A goal "at most `limit`" (inclusive). */
export function atMost(value: number, limit: number, text: string): { text: string; met: boolean } {
  return { text, met: value <= limit };
}

/** A goal "under `limit`" (strict). */
export function under(value: number, limit: number, text: string): { text: string; met: boolean } {
  return { text, met: value < limit };
}
