// The `neurogebra` settings as the server sees them. No `vscode` import: unit tests run in plain Node.
import manifest from '../package.json';

export const SECTION = 'neurogebra';

/** Settings only the extension reads; changing one of them means starting a different server process. */
export const RESTART_KEYS = ['server.path', 'server.args', 'interpreter'] as const;

const CLIENT_ONLY_PREFIXES = ['server.', 'trace.', 'interpreter'];

export type SettingsObject = { [key: string]: unknown };

/** Reads one setting by its key below the section (e.g. `gradcheck.samples`); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

interface PropertySchema {
  default?: unknown;
}

function declaredProperties(): Record<string, PropertySchema> {
  return manifest.contributes.configuration.properties as Record<string, PropertySchema>;
}

/**
 * Keys below `neurogebra.` that the server reads, with the defaults declared in package.json (generated from the
 * server's schema: python -m neurogebra_lsp.schema --write).
 */
export function serverDefaults(): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  for (const [fullKey, schema] of Object.entries(declaredProperties())) {
    const key = fullKey.slice(SECTION.length + 1);
    if (!CLIENT_ONLY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      defaults.set(key, schema.default);
    }
  }
  return defaults;
}

/** Not user settings: what this client does, sent along so the server knows (it typesets ```math blocks). */
const CLIENT_FEATURES: ReadonlyMap<string, unknown> = new Map([['hover.typeset', true]]);

function setNested(root: SettingsObject, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    node = (node[part] ??= {}) as SettingsObject;
  }
  node[parts[parts.length - 1]] = value;
}

/** The nested object sent as initializationOptions and as the answer for the `neurogebra` section. */
export function serverSettings(get: SettingGetter): SettingsObject {
  const root: SettingsObject = {};
  for (const [key, fallback] of serverDefaults()) {
    const value = get(key);
    setNested(root, key, value === undefined ? fallback : value);
  }
  for (const [key, value] of CLIENT_FEATURES) {
    setNested(root, key, value);
  }
  return root;
}

/**
 * The answer to one workspace/configuration item: the server settings for `neurogebra`, the matching part
 * for a subsection such as `neurogebra.gradcheck`, and undefined for sections that are not ours.
 */
export function settingsForSection(section: string, get: SettingGetter): unknown {
  if (section !== SECTION && !section.startsWith(SECTION + '.')) {
    return undefined;
  }
  let node: unknown = serverSettings(get);
  for (const part of section.split('.').slice(1)) {
    node = typeof node === 'object' && node !== null ? (node as SettingsObject)[part] : undefined;
  }
  return node === undefined ? null : node;
}

/** Whether a configuration change needs a new server process rather than a didChangeConfiguration. */
export function needsRestart(affects: (fullKey: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(`${SECTION}.${key}`));
}
