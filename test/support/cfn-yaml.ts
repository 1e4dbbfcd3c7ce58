// Reads CloudFormation YAML: the short-form intrinsic functions (!Ref, !Sub, !If…) as their long form.
import { readFile } from 'node:fs/promises';
import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

const scalar = (tag: string, fn: string): ScalarTag => ({
  tag,
  resolve: (value: string) => ({ [fn]: value }),
});
const collection =
  (kind: 'seq' | 'map') =>
  (tag: string, fn: string): CollectionTag => ({
    tag,
    collection: kind,
    resolve: (value: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [fn]: value.toJSON() as unknown }),
  });
const seq = collection('seq');
const map = collection('map');
const CFN_TAGS: (ScalarTag | CollectionTag)[] = [
  scalar('!Ref', 'Ref'),
  scalar('!Sub', 'Fn::Sub'),
  scalar('!GetAtt', 'Fn::GetAtt'),
  scalar('!ImportValue', 'Fn::ImportValue'),
  scalar('!Condition', 'Condition'),
  seq('!Sub', 'Fn::Sub'),
  seq('!Equals', 'Fn::Equals'),
  seq('!If', 'Fn::If'),
  seq('!Not', 'Fn::Not'),
  seq('!And', 'Fn::And'),
  seq('!Or', 'Fn::Or'),
  seq('!Join', 'Fn::Join'),
  seq('!Select', 'Fn::Select'),
  map('!Transform', 'Fn::Transform'),
];

/** A CloudFormation template, parsed. */
export async function readTemplate(path: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path, 'utf8'), { customTags: CFN_TAGS }) as Record<string, unknown>;
}
