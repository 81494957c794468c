// Node's built-in modules, reached without a static import, so that the library's modules
// also bundle for a browser (the playground bundles src/ as it is): process.getBuiltinModule
// (Node 20.16 and later) where it exists, nothing elsewhere. What needs a module it cannot
// get (saving a file in a browser) throws a GoMapError saying so.
import { GoMapError } from "./errors.js";

type GetBuiltin = (id: string) => unknown;

function getBuiltin(): GetBuiltin | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule.bind(proc) : undefined;
}

/** Node's module `id` ("node:fs"...), or undefined where there is none (a browser, Node < 20.16). */
export function optionalNodeModule<T>(id: string): T | undefined {
  return getBuiltin()?.(id) as T | undefined;
}

/** Node's module `id`; throws GoMapError naming `what` needs it when it is not there. */
export function nodeModule<T>(id: string, what: string): T {
  const m = optionalNodeModule<T>(id);
  if (m === undefined) throw new GoMapError(`gomap: ${what} needs Node.js 20.16 or later (${id})`);
  return m;
}
