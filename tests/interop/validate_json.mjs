// Validate JSON documents against a JSON Schema (draft 2020-12) with ajv in
// strict mode, and print, as a JSON list, whether each one is valid.
//
//   node validate_json.mjs SCHEMA DOCUMENTS
//
// DOCUMENTS is a file holding a JSON list of documents.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;

const [schemaFile, documentsFile] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
const documents = JSON.parse(readFileSync(documentsFile, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: false });
const validate = ajv.compile(schema);
process.stdout.write(JSON.stringify(documents.map((document) => validate(document))));
