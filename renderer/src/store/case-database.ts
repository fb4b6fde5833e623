// The renderer's one handle on the case store (the engine worker opens its own).
import { openCaseDatabase, type CaseDatabase } from './case-db.js';

let shared: CaseDatabase | undefined;
export function caseDatabase(): CaseDatabase {
  shared ??= openCaseDatabase();
  return shared;
}
