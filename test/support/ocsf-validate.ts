// Checks OCSF events against the subset of the OCSF schema shipped in test/fixtures (see its `_source`):
// required attributes (including those of the profiles an event declares), attribute names, types, enum
// values and the at_least_one / just_one constraints, recursively through every object.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/shared/version.js';

interface AttributeSpec {
  requirement: 'required' | 'recommended' | 'optional';
  type: string;
  isArray?: boolean;
  profile?: string;
  enum?: number[];
}

interface ShapeSpec {
  attributes: Record<string, AttributeSpec>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
  uid?: number;
  categoryUid?: number;
}

interface SchemaSubset {
  version: string;
  classes: Record<string, ShapeSpec>;
  objects: Record<string, ShapeSpec>;
}

/** The shipped subset of the OCSF schema. */
export const OCSF_SCHEMA = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ocsf-1.8.0-detection-finding.json'), 'utf8'),
) as SchemaSubset;

const STRING_TYPES = new Set([
  'string_t',
  'url_t',
  'hostname_t',
  'email_t',
  'mac_t',
  'uuid_t',
  'file_name_t',
  'datetime_t',
]);
const INTEGER_TYPES = new Set(['integer_t', 'long_t', 'timestamp_t', 'port_t']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(
  value: unknown,
  spec: AttributeSpec,
  path: string,
  profiles: Set<string>,
  out: string[],
): void {
  if (STRING_TYPES.has(spec.type)) {
    if (typeof value !== 'string') out.push(`${path}: expected a string, found ${typeof value}`);
  } else if (INTEGER_TYPES.has(spec.type)) {
    if (!Number.isInteger(value)) out.push(`${path}: expected an integer, found ${JSON.stringify(value)}`);
    else if (spec.enum && !spec.enum.includes(value as number))
      out.push(`${path}: ${String(value)} is not in its enum`);
  } else if (spec.type === 'boolean_t') {
    if (typeof value !== 'boolean') out.push(`${path}: expected a boolean, found ${typeof value}`);
  } else if (spec.type === 'ip_t') {
    if (typeof value !== 'string' || isIP(value) === 0)
      out.push(`${path}: expected an IP address, found ${JSON.stringify(value)}`);
  } else if (spec.type === 'object' || spec.type === 'json_t') {
    if (spec.type === 'object' && !isObject(value)) out.push(`${path}: expected an object`);
  } else {
    const shape = OCSF_SCHEMA.objects[spec.type];
    if (!shape) out.push(`${path}: object type ${spec.type} is not in the shipped schema subset`);
    else if (!isObject(value)) out.push(`${path}: expected a ${spec.type} object`);
    else checkShape(value, shape, path, profiles, out);
  }
}

function checkShape(
  value: Record<string, unknown>,
  shape: ShapeSpec,
  path: string,
  profiles: Set<string>,
  out: string[],
): void {
  for (const [name, v] of Object.entries(value)) {
    const spec = shape.attributes[name];
    const at = path ? `${path}.${name}` : name;
    if (!spec) {
      out.push(`${at}: not an attribute of this object`);
      continue;
    }
    if (spec.profile && !profiles.has(spec.profile))
      out.push(`${at}: belongs to the ${spec.profile} profile, which metadata.profiles does not declare`);
    if (v === null || v === undefined) {
      out.push(`${at}: null (leave the attribute out instead)`);
      continue;
    }
    if (spec.isArray) {
      if (!Array.isArray(v)) out.push(`${at}: expected an array`);
      else v.forEach((item, i) => checkValue(item, spec, `${at}[${i}]`, profiles, out));
    } else checkValue(v, spec, at, profiles, out);
  }
  for (const [name, spec] of Object.entries(shape.attributes)) {
    if (spec.requirement !== 'required' || (spec.profile && !profiles.has(spec.profile))) continue;
    if (value[name] === undefined) out.push(`${path ? `${path}.` : ''}${name}: required, missing`);
  }
  const present = (names: string[]) => names.filter((n) => value[n] !== undefined).length;
  const { at_least_one: atLeastOne, just_one: justOne } = shape.constraints ?? {};
  if (atLeastOne && present(atLeastOne) === 0)
    out.push(`${path || '.'}: needs at least one of ${atLeastOne.join(', ')}`);
  if (justOne && present(justOne) !== 1)
    out.push(`${path || '.'}: needs exactly one of ${justOne.join(', ')}`);
}

/** Every way `event` breaks the Detection Finding class of the shipped schema subset (empty: it conforms). */
export function detectionFindingProblems(event: unknown): string[] {
  const shape = OCSF_SCHEMA.classes.detection_finding;
  if (!shape || !isObject(event)) return ['expected an object'];
  const out: string[] = [];
  const metadata = isObject(event.metadata) ? event.metadata : {};
  const profiles = new Set(Array.isArray(metadata.profiles) ? metadata.profiles.map(String) : []);
  checkShape(event, shape, '', profiles, out);
  if (event.class_uid !== shape.uid)
    out.push(`class_uid: expected ${shape.uid}, found ${JSON.stringify(event.class_uid)}`);
  if (event.category_uid !== shape.categoryUid)
    out.push(`category_uid: expected ${shape.categoryUid}, found ${JSON.stringify(event.category_uid)}`);
  if (
    typeof event.activity_id === 'number' &&
    event.type_uid !== (shape.uid ?? 0) * 100 + event.activity_id
  ) {
    out.push('type_uid: expected class_uid × 100 + activity_id');
  }
  if (metadata.version !== OCSF_SCHEMA.version) out.push(`metadata.version: expected ${OCSF_SCHEMA.version}`);
  return out;
}
