// Finding the `neurogebra-lsp` executable. No `vscode` import: unit tests run in plain Node.
import * as fs from 'fs';
import * as path from 'path';

export const SERVER_NAME = 'neurogebra-lsp';
export const INSTALL_COMMAND = 'pip install "neurogebra[lsp]"';

export interface LocatorSettings {
  serverPath: string;
  serverArgs: string[];
  interpreter: string;
}

export interface LocatorEnvironment {
  platform: NodeJS.Platform;
  /** The PATH variable of the extension host. */
  searchPath: string | undefined;
  /** PATHEXT on Windows. */
  pathExtensions?: string;
  homeDir: string;
  workspaceFolder?: string;
  /** The interpreter chosen in the Python extension, when that extension is installed. */
  pythonExtensionInterpreter?: string;
  isExecutable: (file: string) => boolean;
}

export type ServerSource = 'neurogebra.server.path' | 'neurogebra.interpreter' | 'Python extension' | 'PATH';

export interface ServerCommand {
  command: string;
  args: string[];
  source: ServerSource;
}

export interface ServerLookup {
  found?: ServerCommand;
  /** Every file that was looked at, in order, for the "not found" message. */
  tried: string[];
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathModule(env: LocatorEnvironment): path.PlatformPath {
  return env.platform === 'win32' ? path.win32 : path.posix;
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}` and makes a relative path absolute against the workspace. */
export function expandPath(value: string, env: LocatorEnvironment): string {
  const p = pathModule(env);
  let expanded = value.trim().replace(/\$\{userHome\}/g, env.homeDir);
  if (env.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, env.workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = p.join(env.homeDir, expanded.slice(1));
  }
  if (!p.isAbsolute(expanded) && env.workspaceFolder !== undefined) {
    expanded = p.resolve(env.workspaceFolder, expanded);
  }
  return expanded;
}

function executableNames(name: string, env: LocatorEnvironment): string[] {
  if (env.platform !== 'win32') {
    return [name];
  }
  const extensions = (env.pathExtensions ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  return [name, ...extensions.map((ext) => name + ext.toLowerCase())];
}

function firstExecutable(candidates: string[], env: LocatorEnvironment, tried: string[]): string | undefined {
  for (const candidate of candidates) {
    tried.push(candidate);
    if (env.isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

function onSearchPath(name: string, env: LocatorEnvironment, tried: string[]): string | undefined {
  const p = pathModule(env);
  const separator = env.platform === 'win32' ? ';' : ':';
  const folders = (env.searchPath ?? '').split(separator).filter((folder) => folder !== '');
  const candidates = folders.flatMap((folder) => executableNames(name, env).map((file) => p.join(folder, file)));
  return firstExecutable(candidates, env, tried);
}

/** `neurogebra-lsp` in the folder of a Python interpreter (a venv's bin/ or Scripts/). */
function besideInterpreter(interpreter: string, env: LocatorEnvironment, tried: string[]): string | undefined {
  const p = pathModule(env);
  const folder = p.dirname(expandPath(interpreter, env));
  const folders = env.platform === 'win32' ? [folder, p.join(folder, 'Scripts')] : [folder];
  const candidates = folders.flatMap((f) => executableNames(SERVER_NAME, env).map((file) => p.join(f, file)));
  return firstExecutable(candidates, env, tried);
}

/**
 * The server command, looked for in order: the `neurogebra.server.path` setting, next to the interpreter in
 * `neurogebra.interpreter` or else the Python extension's, then on PATH. An explicit server path that does not
 * exist is reported as not found rather than silently replaced by another server.
 */
export function findServer(settings: LocatorSettings, env: LocatorEnvironment): ServerLookup {
  const tried: string[] = [];
  const args = [...settings.serverArgs];
  const serverPath = settings.serverPath.trim();
  if (serverPath !== '') {
    const bareName = !serverPath.includes('/') && !serverPath.includes('\\');
    const command = bareName ? onSearchPath(serverPath, env, tried) : firstExecutable([expandPath(serverPath, env)], env, tried);
    return { found: command ? { command, args, source: 'neurogebra.server.path' } : undefined, tried };
  }
  const interpreters: [string | undefined, ServerSource][] = [
    [settings.interpreter.trim(), 'neurogebra.interpreter'],
    [env.pythonExtensionInterpreter, 'Python extension'],
  ];
  for (const [interpreter, source] of interpreters) {
    if (interpreter) {
      const command = besideInterpreter(interpreter, env, tried);
      if (command) {
        return { found: { command, args, source }, tried };
      }
    }
  }
  const command = onSearchPath(SERVER_NAME, env, tried);
  return { found: command ? { command, args, source: 'PATH' } : undefined, tried };
}

/** The text of the one notification shown when no server was found. */
export function notFoundMessage(settings: LocatorSettings): string {
  const where = settings.serverPath.trim() !== ''
    ? `"neurogebra.server.path" is set to "${settings.serverPath}", which is not an executable file.`
    : `No "${SERVER_NAME}" was found next to the configured Python interpreter or on PATH.`;
  return `Neurogebra: language server not found. ${where} Install it into your Python environment with ` +
    `\`${INSTALL_COMMAND}\`, or set "neurogebra.server.path".`;
}
