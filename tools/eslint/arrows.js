// trailwatch's import arrows, as a local ESLint plugin: cli → run → stages → shared, one way.
//
// `arrows/one-way` reports an import in src/ that points against the pipeline: a stage importing a later
// stage (the order below is the design's), anything but the CLI importing the CLI, a stage importing the
// demo organization's generator, report/ or classify/ importing aws/ or engine/, engine/ importing report/.
// `arrows/no-cycle` reports an import that closes a cycle through src/ (type-only imports included: a cycle
// of types is still two modules that cannot be read apart).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Where each part of src/ sits, earliest first. A file may import only from its own rank or earlier. */
const RANKS = [
  ['shared', 'model.ts'],
  ['config'],
  ['aws'],
  ['discover'],
  ['trails'],
  ['engine'],
  ['rules'],
  ['classify'],
  ['report'],
  ['deliver'],
  ['samples'],
  ['run.ts'],
  ['cli'],
];

/** Imports the order allows that the design still forbids: [importer, imported, why]. */
const FORBIDDEN = [
  ['report', 'aws', 'the report renders data; it never calls AWS'],
  ['report', 'engine', 'the report renders data; it never queries'],
  ['classify', 'aws', 'classify is pure; it never calls AWS'],
  ['classify', 'engine', 'classify is pure; it never queries'],
];

/** The part of src/ a file belongs to (its first folder, or the file itself at the top), or null. */
export function partOf(srcDir, file) {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..') || rel === '') return null;
  // The sources name a top-level module by its built name (run.js for run.ts).
  return rel.split(sep)[0].replace(/\.js$/, '.ts');
}

function rankOf(part) {
  const rank = RANKS.findIndex((names) => names.includes(part));
  // A file at the top of src/ beside run.ts (not listed) is part of the run.
  if (rank < 0 && part.endsWith('.ts')) return RANKS.findIndex((names) => names.includes('run.ts'));
  return rank;
}

/** The .ts file a relative specifier names (the sources import './x.js' for './x.ts'), or null. */
function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return null;
  const target = resolve(dirname(fromFile), specifier);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, join(target, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers a source text imports. */
function specifiersIn(text) {
  const found = [];
  for (const m of text.matchAll(IMPORT_RE)) found.push(m[1] ?? m[2]);
  return found;
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const graphs = new Map();

/** src/'s import graph as on disk (file → files it imports), built once per lint run. */
function diskGraph(srcDir) {
  let graph = graphs.get(srcDir);
  if (!graph) {
    graph = new Map();
    for (const file of walk(srcDir)) {
      const targets = specifiersIn(readFileSync(file, 'utf8'))
        .map((s) => resolveImport(file, s))
        .filter((t) => t !== null);
      graph.set(file, targets);
    }
    graphs.set(srcDir, graph);
  }
  return graph;
}

/** The path from `start` back to `goal` through the graph, or null (the file being linted uses its own text). */
function pathBack(graph, start, goal) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    if (file === goal) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of graph.get(file) ?? []) stack.push([next, [...path, next]]);
  }
  return null;
}

function sourceNodes(node) {
  return node.source && typeof node.source.value === 'string' ? [node.source] : [];
}

function importVisitors(check) {
  const visit = (node) => sourceNodes(node).forEach((source) => check(source, source.value));
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: visit,
  };
}

/** The src/ folder the linted file is in, or null for files outside src/. */
function srcDirOf(context) {
  const file = context.filename;
  const marker = `${sep}src${sep}`;
  const at = file.lastIndexOf(marker);
  return at < 0 ? null : file.slice(0, at + marker.length - 1);
}

const oneWay = {
  meta: {
    type: 'problem',
    docs: { description: 'imports in src/ point one way: cli → run → stages → shared' },
  },
  create(context) {
    const srcDir = srcDirOf(context);
    if (!srcDir) return {};
    const file = context.filename;
    const from = partOf(srcDir, file);
    return importVisitors((node, specifier) => {
      if (!specifier.startsWith('.')) return;
      const target = resolve(dirname(file), specifier);
      const to = partOf(srcDir, target);
      if (to === null) {
        context.report({
          node,
          message: `src/ imports only src/: ${specifier} is outside it (tools and bench are not the product)`,
        });
        return;
      }
      if (to === from) return;
      const forbidden = FORBIDDEN.find(([a, b]) => a === from && b === to);
      if (forbidden) {
        context.report({ node, message: `${from}/ must not import ${to}/: ${forbidden[2]}` });
        return;
      }
      if (to === 'cli') {
        context.report({
          node,
          message: `${from} must not import the CLI: the CLI calls the pipeline, never the other way`,
        });
        return;
      }
      const [a, b] = [rankOf(from), rankOf(to)];
      if (a >= 0 && b > a) {
        context.report({
          node,
          message: `${from} must not import ${to}, a later part of the pipeline (cli → run → stages → shared)`,
        });
      }
    });
  },
};

const noCycle = {
  meta: { type: 'problem', docs: { description: 'no import cycle through src/' } },
  create(context) {
    const srcDir = srcDirOf(context);
    if (!srcDir) return {};
    const file = context.filename;
    const graph = diskGraph(srcDir);
    return importVisitors((node, specifier) => {
      const target = resolveImport(file, specifier);
      if (!target) return;
      const back = target === file ? [file] : pathBack(graph, target, file);
      if (back) {
        const cycle = [file, ...back].map((f) => relative(srcDir, f)).join(' → ');
        context.report({ node, message: `import cycle: ${cycle}` });
      }
    });
  },
};

export const arrows = { rules: { 'one-way': oneWay, 'no-cycle': noCycle } };
