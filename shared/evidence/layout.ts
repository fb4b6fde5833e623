// The fixed layout of a `.vigil` evidence bundle: which entries exist, what each one holds, and which names an
// entry may have at all. docs/evidence-format.md describes the same layout for people; keep the two in step.

/** Bumped when the layout or a file's meaning changes in a way an older reader would misread. */
export const BUNDLE_FORMAT_VERSION = 1;

/** in-toto predicate type of Vigil's statement; the URI names the documented predicate (docs/evidence-format.md). */
export const VIGIL_PREDICATE_TYPE = 'https://vigil.dev/evidence/v1';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export const BUNDLE_FILES = {
  case: 'case.json',
  events: 'events/events.ndjson',
  graph: 'graph.json',
  aibom: 'aibom.cdx.json',
  stories: 'stories.json',
  actions: 'actions.jsonl',
  notes: 'notes.json',
  queries: 'queries.jsonl',
  manifest: 'manifest.json',
  signature: 'signature.dsse.json',
  signerPublicKey: 'signer.pub.pem',
} as const;

/** Folders whose files are named by their content (one inventory snapshot per cluster, one file per policy). */
export const BUNDLE_FOLDERS = { inventory: 'inventory/', policies: 'policies/', replays: 'replays/' } as const;

/**
 * Entries that seal the bundle rather than belong to it: the manifest lists every other file, the signature signs a
 * statement naming every other file, and the public key is checked against the signature's key id. None of them is
 * a subject of the statement.
 */
export const SEALING_FILES: readonly string[] = [BUNDLE_FILES.manifest, BUNDLE_FILES.signature, BUNDLE_FILES.signerPublicKey];

const FOLDER_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True for a name the layout allows; anything else in a bundle is an extra file. */
export function isLayoutName(name: string): boolean {
  if ((Object.values(BUNDLE_FILES) as string[]).includes(name)) return true;
  for (const [folder, extension] of [
    [BUNDLE_FOLDERS.inventory, '.json'],
    [BUNDLE_FOLDERS.replays, '.json'],
    [BUNDLE_FOLDERS.policies, ''],
  ] as const) {
    if (!name.startsWith(folder)) continue;
    const rest = name.slice(folder.length);
    return FOLDER_FILE.test(rest) && rest.endsWith(extension);
  }
  return false;
}

/** Turns free text (a cluster context, a policy name) into a safe file name inside one of the layout's folders. */
export function folderFileName(label: string, extension: string): string {
  const cleaned = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100);
  return `${cleaned || 'unnamed'}${extension}`;
}
