// ajv side of the schema benchmark: Ajv2020 + ajv-formats, schema precompiled once, then
// the same loop as schema_bench.cpp. Prints one JSON line per case.
'use strict';
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const args = process.argv.slice(2);
let seconds = 1.0;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--seconds') seconds = Number(args[++i]);
  else files.push(args[i]);
}
for (const file of files) {
  const benchCase = JSON.parse(fs.readFileSync(file, 'utf8'));
  // multipleOfPrecision: without it ajv's binary floating-point division rejects
  // 140.48 as a multiple of 0.01; tether decides multipleOf exactly on decimals.
  const ajv = new Ajv2020({ strict: false, logger: false, allErrors: false, multipleOfPrecision: 9 });
  addFormats(ajv);
  const validate = ajv.compile(benchCase.schema);
  const instances = benchCase.instances;
  const results = instances.map((instance) => validate(instance));
  let validated = 0;
  let valid = 0;
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  while (elapsed() < seconds) {
    for (let round = 0; round < 100; ++round)
      for (const instance of instances) valid += validate(instance) ? 1 : 0;
    validated += 100 * instances.length;
  }
  const rate = validated / elapsed();
  console.log(JSON.stringify({ case: benchCase.name, engine: 'ajv', instances_per_second: rate, results, checksum: valid }));
}
