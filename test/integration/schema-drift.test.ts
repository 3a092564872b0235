/**
 * The hand-written SQL migrations must produce exactly what
 * prisma/schema.prisma describes: same tables, columns, types, nullability
 * and indexes. Prisma's own schema parser (WASM) reads the schema.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Database } from '../../src/adapters/store/prisma/database.js';
import { openMigratedDatabase, type TestDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';

interface DmmfField {
  name: string;
  dbName: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  fields: { name: string }[];
}

const require = createRequire(import.meta.url);

async function readDatamodel(): Promise<{ models: DmmfModel[]; indexes: DmmfIndex[] }> {
  const wasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };
  const schema = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as {
    datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
  };
  return dmmf.datamodel;
}

const POSTGRES_TYPE: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp with time zone',
  Json: 'jsonb',
  Float: 'double precision',
};

/** `field Unsupported("type")` lines of each model, as table, column and expected type. */
async function unsupportedColumns(models: DmmfModel[]): Promise<{ table: string; column: string; type: string }[]> {
  const schema = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const found: { table: string; column: string; type: string }[] = [];
  for (const block of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const model = models.find((m) => m.name === block[1])!;
    for (const field of block[2]!.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)\??(?:\s+@map\("([^"]+)"\))?/gm)) {
      found.push({ table: tableOf(model), column: field[3] ?? field[1]!, type: field[2]! });
    }
  }
  return found;
}

const tableOf = (model: DmmfModel): string => model.dbName ?? model.name;
const columnOf = (field: DmmfField): string => field.dbName ?? field.name;

async function expectNoDrift(database: Database): Promise<void> {
  const { models, indexes } = await readDatamodel();
  const columns = await database.sql.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
  );
  const expected = new Set<string>();
  for (const model of models) {
    for (const field of model.fields.filter((f) => f.kind === 'scalar')) {
      const key = `${tableOf(model)}.${columnOf(field)}`;
      expected.add(key);
      const column = columns.find((c) => c.table_name === tableOf(model) && c.column_name === columnOf(field));
      expect({ key, exists: column !== undefined }).toEqual({ key, exists: true });
      const expectedType = field.isList ? 'ARRAY' : field.nativeType?.[0] === 'Real' ? 'real' : POSTGRES_TYPE[field.type];
      expect({ key, type: column!.data_type }).toEqual({ key, type: expectedType });
      // Prisma lists are never null in the client but are nullable columns in Prisma's own SQL.
      if (!field.isList) expect({ key, nullable: column!.is_nullable === 'YES' }).toEqual({ key, nullable: !field.isRequired });
    }
  }
  // Prisma leaves `Unsupported("…")` fields out of the DMMF: read them from the schema text.
  for (const { table, column, type } of await unsupportedColumns(models)) {
    const key = `${table}.${column}`;
    expected.add(key);
    const found = columns.find((c) => c.table_name === table && c.column_name === column);
    expect({ key, type: found?.data_type }).toEqual({ key, type });
  }
  const extra = columns.map((c) => `${c.table_name}.${c.column_name}`).filter((k) => !expected.has(k));
  expect(extra).toEqual([]);

  const dbIndexes = await database.sql.query<{ table_name: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
    `SELECT t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
            array_agg(a.attname::text ORDER BY k.n) AS columns
     FROM pg_index ix
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = current_schema()
     CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE t.relname <> '_prisma_migrations' AND k.n <= ix.indnkeyatts -- key columns only: INCLUDE columns are not part of a key
     GROUP BY t.relname, ix.indexrelid, ix.indisunique, ix.indisprimary`,
  );
  const label = (table: string, cols: string[], kind: string): string => `${table}(${cols.join(',')}) ${kind}`;
  const actual = dbIndexes.map((i) => label(i.table_name, i.columns, i.is_primary ? 'id' : i.is_unique ? 'unique' : 'normal')).sort();
  const wanted = indexes
    .map((index) => {
      const model = models.find((m) => m.name === index.model)!;
      // An index on an Unsupported field names a field absent from the DMMF: its column has the field name.
      const cols = index.fields.map((f) => { const field = model.fields.find((m) => m.name === f.name); return field ? columnOf(field) : f.name; });
      return label(tableOf(model), cols, index.type);
    })
    .sort();
  expect(actual).toEqual(wanted);
}

function driftSuite(kind: 'pglite' | 'postgres'): void {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openMigratedDatabase(kind);
  });
  afterAll(async () => {
    await test?.cleanup();
  });
  it('matches prisma/schema.prisma: tables, columns, types, nullability, indexes', async () => {
    await expectNoDrift(test.database);
  });
}

describe('schema drift on embedded PGlite', () => driftSuite('pglite'));
describeWith('PostgreSQL', await postgresAvailability())('schema drift on PostgreSQL', () => driftSuite('postgres'));
