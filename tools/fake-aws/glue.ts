// The fake AWS endpoint's Glue Data Catalog: the databases and tables Athena's DDL creates and the daily
// run reads (GetTable) and keeps in step (UpdateTable). The fake Athena reads its tables from here, so a
// table's partition projection decides what a query can see, as in AWS.

/** A table as Glue stores it (the fields trailwatch and the fake Athena use). */
export interface FakeGlueTable {
  Name: string;
  DatabaseName: string;
  TableType: string;
  Parameters: Record<string, string>;
  StorageDescriptor: {
    Location?: string;
    Columns?: { Name: string; Type?: string }[];
    InputFormat?: string;
    OutputFormat?: string;
    SerdeInfo?: { SerializationLibrary?: string; Parameters?: Record<string, string> };
  };
  PartitionKeys: { Name: string; Type?: string }[];
  CreateTime: number;
  UpdateTime: number;
  VersionId: string;
}

/** One UpdateTable call the fake accepted. */
export interface FakeGlueUpdate {
  database: string;
  table: string;
  parameters: Record<string, string>;
}

/** An error the server answers in Glue's JSON 1.1 form. */
export class FakeGlueError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The fake Glue catalog. */
export interface FakeGlue {
  databases: Set<string>;
  /** Tables by `database.table`. */
  tables: Map<string, FakeGlueTable>;
  updates: FakeGlueUpdate[];
  handle(operation: string, body: Record<string, unknown>): unknown;
  /** Used by the fake Athena's DDL. */
  createTable(database: string, input: Omit<FakeGlueTable, 'CreateTime' | 'UpdateTime' | 'VersionId'>): void;
  getTable(database: string, table: string): FakeGlueTable | undefined;
}

// Glue's documented limits on table parameters.
const MAX_PARAMETER_KEY = 255;
const MAX_PARAMETER_VALUE = 512_000;
const NAME = /^[a-z0-9_]{1,255}$/;

const notFound = (what: string) => new FakeGlueError(400, 'EntityNotFoundException', `${what} not found.`);
const invalid = (message: string) => new FakeGlueError(400, 'InvalidInputException', message);

function checkParameters(parameters: unknown): Record<string, string> {
  if (parameters === undefined) return {};
  if (typeof parameters !== 'object' || parameters === null) throw invalid('Parameters must be a map');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.length > MAX_PARAMETER_KEY) throw invalid(`Parameter key is longer than ${MAX_PARAMETER_KEY}`);
    if (typeof value !== 'string') throw invalid(`Parameter ${key} is not a string`);
    if (value.length > MAX_PARAMETER_VALUE) {
      throw invalid(
        `1 validation error detected: Value at 'table.parameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_PARAMETER_VALUE}]`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Starts an empty fake Glue catalog with `databases`. */
export function startFakeGlue(databases: readonly string[] = ['default']): FakeGlue {
  const dbs = new Set(databases);
  const tables = new Map<string, FakeGlueTable>();
  const updates: FakeGlueUpdate[] = [];
  const key = (database: string, table: string) => `${database}.${table}`;

  function table(database: unknown, name: unknown): FakeGlueTable {
    const db = String(database ?? '');
    if (!dbs.has(db)) throw notFound(`Database ${db}`);
    const found = tables.get(key(db, String(name ?? '').toLowerCase()));
    if (!found) throw notFound(`Table ${String(name ?? '')}`);
    return found;
  }

  function fromInput(
    database: string,
    input: Record<string, unknown>,
    previous?: FakeGlueTable,
  ): FakeGlueTable {
    const name = String(input.Name ?? '').toLowerCase();
    if (!NAME.test(name)) throw invalid(`Invalid table name: ${name}`);
    const now = Date.now() / 1000;
    return {
      Name: name,
      DatabaseName: database,
      TableType: typeof input.TableType === 'string' ? input.TableType : 'EXTERNAL_TABLE',
      Parameters: checkParameters(input.Parameters),
      StorageDescriptor: (input.StorageDescriptor ?? {}) as FakeGlueTable['StorageDescriptor'],
      PartitionKeys: Array.isArray(input.PartitionKeys)
        ? (input.PartitionKeys as FakeGlueTable['PartitionKeys'])
        : [],
      CreateTime: previous?.CreateTime ?? now,
      UpdateTime: now,
      VersionId: previous ? String(Number(previous.VersionId) + 1) : '0',
    };
  }

  return {
    databases: dbs,
    tables,
    updates,
    createTable(database, input) {
      dbs.add(database);
      const made = fromInput(database, input as unknown as Record<string, unknown>);
      tables.set(key(database, made.Name), made);
    },
    getTable(database, name) {
      return tables.get(key(database, name.toLowerCase()));
    },
    handle(operation, body) {
      switch (operation) {
        case 'GetDatabase': {
          const name = String(body.Name ?? '');
          if (!dbs.has(name)) throw notFound(`Database ${name}`);
          return { Database: { Name: name, CatalogId: '000000000000' } };
        }
        case 'CreateDatabase': {
          const input = (body.DatabaseInput ?? {}) as { Name?: string };
          const name = String(input.Name ?? '');
          if (dbs.has(name))
            throw new FakeGlueError(400, 'AlreadyExistsException', `Database ${name} already exists.`);
          dbs.add(name);
          return {};
        }
        case 'GetTable':
          return { Table: table(body.DatabaseName, body.Name) };
        case 'CreateTable': {
          const database = String(body.DatabaseName ?? '');
          if (!dbs.has(database)) throw notFound(`Database ${database}`);
          const made = fromInput(database, (body.TableInput ?? {}) as Record<string, unknown>);
          if (tables.has(key(database, made.Name))) {
            throw new FakeGlueError(400, 'AlreadyExistsException', `Table ${made.Name} already exists.`);
          }
          tables.set(key(database, made.Name), made);
          return {};
        }
        case 'UpdateTable': {
          const database = String(body.DatabaseName ?? '');
          const input = (body.TableInput ?? {}) as Record<string, unknown>;
          const previous = table(database, input.Name);
          // Optimistic locking: an update made from an older read is refused, as Glue does.
          if (typeof body.VersionId === 'string' && body.VersionId !== previous.VersionId) {
            throw new FakeGlueError(
              400,
              'ConcurrentModificationException',
              'Table version mismatch; read it again',
            );
          }
          const updated = fromInput(database, input, previous);
          tables.set(key(database, updated.Name), updated);
          updates.push({ database, table: updated.Name, parameters: updated.Parameters });
          return {};
        }
        default:
          throw new FakeGlueError(400, 'UnknownOperationException', `unknown operation ${operation}`);
      }
    },
  };
}
