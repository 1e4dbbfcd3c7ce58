// What the daily run (`trailwatch run`) needs of the config beyond what a scan needs, checked at the edge.
import { ConfigError } from '../shared/errors.js';
import type { Config } from './schema.js';

/** Every problem with the config that makes the daily run impossible, reported at once. */
export function checkDailyConfig(config: Config, orgSnapshot?: string): void {
  const problems: string[] = [];
  if (!config.aws && !orgSnapshot) {
    problems.push(
      'aws: expected the AWS settings (roleName, accounts…) for the coverage audit, found nothing (or pass --org-snapshot FILE)',
    );
  }
  if (config.engine.type === 'duckdb' && !config.engine.duckdb.logs) {
    problems.push('engine.duckdb.logs: expected the folder of CloudTrail files to audit, found nothing');
  }
  if (problems.length > 0) throw new ConfigError('the configuration cannot run the daily audit', problems);
}
