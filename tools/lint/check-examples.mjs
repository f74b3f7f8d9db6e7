#!/usr/bin/env node
// Validates every example of a bundled OpenAPI 3.1 document against its schema.
//
//   node tools/lint/check-examples.mjs path/to/openapi.bundled.json
//
// Checked: media-type `example`/`examples` (request bodies, responses, webhooks),
// parameter and header `example`/`examples`, and the `examples` array of every schema.
// Validation uses ajv's JSON Schema 2020-12 dialect (the OpenAPI 3.1 default) with ajv-formats.
// Direction: a request example must not contain a readOnly property, a response example
// must not contain a writeOnly property. Webhook payloads are sent by the server, so they
// are checked like responses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const file = process.argv[2];
if (!file) {
  console.error('usage: check-examples.mjs <bundled-openapi.json>');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(file, 'utf8'));
const DOC_ID = 'openapi.json';

function makeAjv(forbid) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI format registry entries that ajv-formats does not know.
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('password', true);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('binary', true);
  for (const kw of ['discriminator', 'xml', 'externalDocs', 'example']) ajv.addKeyword({ keyword: kw });
  if (forbid) {
    ajv.removeKeyword(forbid);
    ajv.addKeyword({
      keyword: forbid,
      schemaType: 'boolean',
      errors: false,
      // A value present where the schema says readOnly (request) / writeOnly (response) is an error.
      validate: (flag) => !flag,
    });
  }
  ajv.addSchema(doc, DOC_ID);
  return ajv;
}

const ajvs = { neutral: makeAjv(null), request: makeAjv('readOnly'), response: makeAjv('writeOnly') };
const cache = new Map();

const esc = (seg) => encodeURIComponent(String(seg).replace(/~/g, '~0').replace(/\//g, '~1'));
const ptr = (segs) => '/' + segs.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function validator(direction, schemaPath) {
  const key = direction + ' ' + schemaPath.join('\u0000');
  if (!cache.has(key)) {
    const ref = `${DOC_ID}#/${schemaPath.map(esc).join('/')}`;
    cache.set(key, ajvs[direction].compile({ $ref: ref }));
  }
  return cache.get(key);
}

function resolve(node) {
  let seen = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    if (++seen > 20) throw new Error('reference cycle at ' + node.$ref);
    node = node.$ref
      .slice(2)
      .split('/')
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => (o == null ? undefined : o[k]), doc);
  }
  return node;
}

// Path (array of keys) of the schema object, following a $ref so that compile gets the real location.
function locate(path) {
  let node = path.reduce((o, k) => o[k], doc);
  if (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && Object.keys(node).length === 1) {
    return node.$ref.slice(2).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return path;
}

let checked = 0;
const failures = [];

function check(where, direction, schemaPath, value) {
  checked++;
  let validate;
  try {
    validate = validator(direction, locate(schemaPath));
  } catch (e) {
    failures.push(`${where}: cannot compile schema ${ptr(schemaPath)}: ${e.message}`);
    return;
  }
  if (!validate(value)) {
    const errs = (validate.errors || []).map((e) => {
      let msg = `${e.instancePath || '/'} ${e.message}`;
      if (e.keyword === 'readOnly') msg = `${e.instancePath} is readOnly and must not appear in a request example`;
      if (e.keyword === 'writeOnly') msg = `${e.instancePath} is writeOnly and must not appear in a response example`;
      return msg;
    });
    failures.push(`${where}: ${[...new Set(errs)].join('; ')}`);
  }
}

// An object with `schema` and `example` or `examples` (media type, parameter, header).
function checkCarrier(path, direction) {
  const node = path.reduce((o, k) => o[k], doc);
  if (!node || typeof node !== 'object' || !node.schema) return;
  const where = ptr(path);
  if ('example' in node) check(`${where}/example`, direction, [...path, 'schema'], node.example);
  if (node.examples && typeof node.examples === 'object') {
    for (const [name, ex] of Object.entries(node.examples)) {
      const e = resolve(ex);
      if (!e || typeof e !== 'object') {
        failures.push(`${where}/examples/${name}: unresolvable example`);
        continue;
      }
      if ('value' in e) check(`${where}/examples/${name}`, direction, [...path, 'schema'], e.value);
    }
  }
}

// Parameter or header object, possibly a $ref: check it in place (refs are checked at their target too).
function checkParamLike(path, direction) {
  const node = path.reduce((o, k) => o[k], doc);
  if (node && node.$ref) return; // checked where it is defined (components)
  checkCarrier(path, direction);
  if (node && node.content) for (const mt of Object.keys(node.content)) checkCarrier([...path, 'content', mt], direction);
}

function checkResponse(path) {
  const node = path.reduce((o, k) => o[k], doc);
  if (!node || node.$ref) return;
  for (const h of Object.keys(node.headers || {})) checkParamLike([...path, 'headers', h], 'response');
  for (const mt of Object.keys(node.content || {})) checkCarrier([...path, 'content', mt], 'response');
}

function checkRequestBody(path, direction) {
  const node = path.reduce((o, k) => o[k], doc);
  if (!node || node.$ref) return;
  for (const mt of Object.keys(node.content || {})) checkCarrier([...path, 'content', mt], direction);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
function checkPathItem(path, requestDirection) {
  const item = path.reduce((o, k) => o[k], doc);
  if (!item) return;
  (item.parameters || []).forEach((_, i) => checkParamLike([...path, 'parameters', i], 'request'));
  for (const m of METHODS) {
    const op = item[m];
    if (!op) continue;
    const p = [...path, m];
    (op.parameters || []).forEach((_, i) => checkParamLike([...p, 'parameters', i], 'request'));
    if (op.requestBody) checkRequestBody([...p, 'requestBody'], requestDirection);
    for (const code of Object.keys(op.responses || {})) checkResponse([...p, 'responses', code]);
  }
}

for (const url of Object.keys(doc.paths || {})) checkPathItem(['paths', url], 'request');
for (const name of Object.keys(doc.webhooks || {})) checkPathItem(['webhooks', name], 'response');
const comps = doc.components || {};
for (const n of Object.keys(comps.parameters || {})) checkParamLike(['components', 'parameters', n], 'request');
for (const n of Object.keys(comps.headers || {})) checkParamLike(['components', 'headers', n], 'response');
for (const n of Object.keys(comps.responses || {})) checkResponse(['components', 'responses', n]);
for (const n of Object.keys(comps.requestBodies || {})) checkRequestBody(['components', 'requestBodies', n], 'request');

// Schema `examples` arrays, anywhere a schema can be nested.
const SUB_MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SUB_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
const SUB_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
function walkSchema(path, seen) {
  const node = path.reduce((o, k) => (o == null ? o : o[k]), doc);
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node.examples)) node.examples.forEach((v, i) => check(`${ptr(path)}/examples/${i}`, 'neutral', path, v));
  for (const k of SUB_MAP) if (node[k] && typeof node[k] === 'object') for (const c of Object.keys(node[k])) walkSchema([...path, k, c], seen);
  for (const k of SUB_ONE) if (node[k] && typeof node[k] === 'object') walkSchema([...path, k], seen);
  for (const k of SUB_LIST) if (Array.isArray(node[k])) node[k].forEach((_, i) => walkSchema([...path, k, i], seen));
}
// Every `schema` member anywhere in the document, plus components.schemas.
const seen = new Set();
for (const n of Object.keys(comps.schemas || {})) walkSchema(['components', 'schemas', n], seen);
(function findSchemas(node, path) {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'schema' && v && typeof v === 'object' && !Array.isArray(v)) walkSchema([...path, k], seen);
    else if (k !== 'components' || path.length) findSchemas(v, [...path, k]);
  }
})(doc, []);

if (failures.length) {
  for (const f of failures) console.error('FAIL ' + f);
  console.error(`check-examples: ${failures.length} of ${checked} examples invalid`);
  process.exit(1);
}
console.log(`check-examples: ${checked} examples valid`);
