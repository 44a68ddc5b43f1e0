// Checks Grafana dashboard JSON files against Grafana's dashboard schema as the Grafana Foundation SDK
// types it (dashboard-schema.ts): for each file it writes `export const dashboard = <the JSON> satisfies
// Dashboard;` to a .ts file in <work dir> and compiles all of them with tsc (no output). Every compile
// error is printed as
//   <dashboard file>:<line>:<column>: <JSON path>: <what is wrong>
// The exit status is 0 when every file fits the schema, 1 when one does not, 2 on a usage error.
//
//   node check.mjs <work dir> <dashboard.json>...
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import ts from "typescript";

const require = createRequire(import.meta.url);
const [work, ...dashboards] = process.argv.slice(2);
if (!work || dashboards.length === 0) {
    console.error("usage: node check.mjs <work dir> <dashboard.json>...");
    process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
fs.mkdirSync(work, { recursive: true });
fs.copyFileSync(path.join(here, "dashboard-schema.ts"), path.join(work, "dashboard-schema.ts"));

// The JSON text goes on the first line right after the prefix, so lines and (past line 1) columns of
// the generated file are those of the dashboard file.
const PREFIX = 'import type { Dashboard } from "./dashboard-schema"; export const dashboard = ';
const sources = new Map(); // generated .ts -> dashboard file
for (const [i, file] of dashboards.entries()) {
    const json = fs.readFileSync(file, "utf8");
    try {
        JSON.parse(json);
    } catch (e) {
        console.log(`${file}:1:1: $: not JSON: ${e.message}`);
        process.exitCode = 1;
        continue;
    }
    const generated = path.join(work, `dashboard-${i}-${path.basename(file, ".json").replace(/[^A-Za-z0-9_-]/g, "_")}.ts`);
    fs.writeFileSync(generated, PREFIX + json.trimEnd() + " satisfies Dashboard;\n");
    sources.set(path.resolve(generated), file);
}

const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    // the SDK from this directory's node_modules, wherever <work dir> is
    baseUrl: here, paths: { "@grafana/grafana-foundation-sdk/*": [path.join(here, "node_modules/@grafana/grafana-foundation-sdk/dist/*")] },
};
const program = ts.createProgram([...sources.keys()], options);
const diagnostics = ts.getPreEmitDiagnostics(program);

/** The JSON path of the innermost property or element of the dashboard literal at `pos`. */
function jsonPath(sourceFile, pos) {
    let node = sourceFile;
    for (;;) {
        const child = node.getChildren(sourceFile).find(c => c.getStart(sourceFile) <= pos && pos < c.getEnd());
        if (!child) break;
        node = child;
    }
    const parts = [];
    for (let n = node; n.parent && n !== sourceFile; n = n.parent) {
        if (ts.isPropertyAssignment(n.parent)) parts.unshift(n.parent.name.text);
        else if (ts.isArrayLiteralExpression(n.parent)) parts.unshift(n.parent.elements.indexOf(n));
    }
    return "$" + parts.map(part => typeof part === "number" ? `[${part}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`).join("");
}

let problems = 0;
for (const d of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n").map(l => l.trim());
    // the first line says where it failed, the last what the schema wanted there
    const what = (message.length > 1 ? `${message[0]} (${message[message.length - 1]})` : message[0])
        .replace(/'\{[^']{80,}'/g, "'{…}'"); // a long object type says nothing the JSON path does not
    const file = d.file && sources.get(path.resolve(d.file.fileName));
    if (!file) {
        console.log(`${d.file ? d.file.fileName : "tsc"}: ${what}`); // the checker itself is broken
        problems++;
        continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const column = line === 0 ? Math.max(1, character - PREFIX.length + 1) : character + 1;
    console.log(`${file}:${line + 1}:${column}: ${jsonPath(d.file, d.start)}: ${what}`);
    problems++;
}
const sdk = require(path.join(here, "node_modules/@grafana/grafana-foundation-sdk/package.json")).version;
console.log(`checked ${sources.size} dashboard(s) against @grafana/grafana-foundation-sdk ${sdk} with TypeScript ${ts.version}: `
    + `${problems} problem(s)`);
if (problems > 0) process.exitCode = 1;
