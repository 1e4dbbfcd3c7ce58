// Binding a rule's parameters to a DuckDB prepared statement: values are bound, never pasted into SQL.
import { listValue, type DuckDBPreparedStatement } from '@duckdb/node-api';

/** Binds `?` parameters: strings as VARCHAR, integers as BIGINT, string arrays as VARCHAR[]. */
export function bindPositional(statement: DuckDBPreparedStatement, params: readonly unknown[]): void {
  params.forEach((value, i) => {
    const index = i + 1;
    if (value === null || value === undefined) statement.bindNull(index);
    else if (typeof value === 'string') statement.bindVarchar(index, value);
    else if (typeof value === 'number' && Number.isInteger(value)) statement.bindBigInt(index, BigInt(value));
    else if (typeof value === 'number') statement.bindDouble(index, value);
    else if (typeof value === 'boolean') statement.bindBoolean(index, value);
    else if (Array.isArray(value)) statement.bindValue(index, listValue(value.map(String)));
    else throw new TypeError(`cannot bind parameter ${index} of type ${typeof value}`);
  });
}
