import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  findServer,
  INSTALL_COMMAND,
  isExecutableFile,
  LocatorEnvironment,
  LocatorSettings,
  notFoundMessage,
} from '../src/serverLocation';

const noSettings: LocatorSettings = { serverPath: '', serverArgs: [], interpreter: '' };

describe('findServer on a real file system', () => {
  let root: string;

  function executable(...parts: string[]): string {
    const file = path.join(root, ...parts);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\n');
    fs.chmodSync(file, 0o755);
    return file;
  }

  function environment(overrides: Partial<LocatorEnvironment> = {}): LocatorEnvironment {
    return {
      platform: 'linux',
      searchPath: '',
      homeDir: path.join(root, 'home'),
      workspaceFolder: path.join(root, 'project'),
      isExecutable: isExecutableFile,
      ...overrides,
    };
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'neurogebra-locator-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('uses neurogebra.server.path with neurogebra.server.args', () => {
    const server = executable('tools', 'neurogebra-lsp');
    const lookup = findServer({ ...noSettings, serverPath: server, serverArgs: ['--log', 'debug'] }, environment());
    assert.deepStrictEqual(lookup.found, { command: server, args: ['--log', 'debug'], source: 'neurogebra.server.path' });
  });

  it('expands ~ and ${workspaceFolder}, and resolves a relative path against the workspace', () => {
    const inHome = executable('home', 'bin', 'lsp');
    const inProject = executable('project', '.venv', 'bin', 'neurogebra-lsp');
    const env = environment();
    assert.strictEqual(findServer({ ...noSettings, serverPath: '~/bin/lsp' }, env).found?.command, inHome);
    assert.strictEqual(
      findServer({ ...noSettings, serverPath: '${workspaceFolder}/.venv/bin/neurogebra-lsp' }, env).found?.command, inProject);
    assert.strictEqual(findServer({ ...noSettings, serverPath: '.venv/bin/neurogebra-lsp' }, env).found?.command, inProject);
  });

  it('looks a bare server.path name up on PATH', () => {
    const server = executable('bin', 'my-lsp');
    const lookup = findServer({ ...noSettings, serverPath: 'my-lsp' }, environment({ searchPath: path.join(root, 'bin') }));
    assert.strictEqual(lookup.found?.command, server);
  });

  it('does not replace a server.path that is wrong by another server', () => {
    executable('bin', 'neurogebra-lsp');
    const missing = path.join(root, 'nowhere', 'neurogebra-lsp');
    const lookup = findServer({ ...noSettings, serverPath: missing }, environment({ searchPath: path.join(root, 'bin') }));
    assert.strictEqual(lookup.found, undefined);
    assert.deepStrictEqual(lookup.tried, [missing]);
  });

  it('finds the server next to neurogebra.interpreter before the Python extension and PATH', () => {
    const venvServer = executable('venv', 'bin', 'neurogebra-lsp');
    executable('other', 'bin', 'neurogebra-lsp');
    executable('bin', 'neurogebra-lsp');
    const lookup = findServer(
      { ...noSettings, interpreter: path.join(root, 'venv', 'bin', 'python') },
      environment({ pythonExtensionInterpreter: path.join(root, 'other', 'bin', 'python'), searchPath: path.join(root, 'bin') }));
    assert.deepStrictEqual(lookup.found, { command: venvServer, args: [], source: 'neurogebra.interpreter' });
  });

  it('falls back from an interpreter without the server to the Python extension, then to PATH', () => {
    const extensionServer = executable('other', 'bin', 'neurogebra-lsp');
    const pathServer = executable('bin', 'neurogebra-lsp');
    const settings = { ...noSettings, interpreter: path.join(root, 'bare', 'bin', 'python') };
    const env = environment({ pythonExtensionInterpreter: path.join(root, 'other', 'bin', 'python'), searchPath: path.join(root, 'bin') });
    assert.deepStrictEqual(findServer(settings, env).found, { command: extensionServer, args: [], source: 'Python extension' });
    const withoutExtension = findServer(settings, { ...env, pythonExtensionInterpreter: undefined });
    assert.deepStrictEqual(withoutExtension.found, { command: pathServer, args: [], source: 'PATH' });
    assert.deepStrictEqual(withoutExtension.tried, [path.join(root, 'bare', 'bin', 'neurogebra-lsp'), pathServer]);
  });

  it('skips PATH entries that are not executable files', () => {
    fs.mkdirSync(path.join(root, 'a', 'neurogebra-lsp'), { recursive: true });
    fs.mkdirSync(path.join(root, 'b'));
    fs.writeFileSync(path.join(root, 'b', 'neurogebra-lsp'), 'not executable');
    const server = executable('c', 'neurogebra-lsp');
    const searchPath = ['a', 'b', 'c'].map((dir) => path.join(root, dir)).join(':');
    const lookup = findServer(noSettings, environment({ searchPath }));
    assert.strictEqual(lookup.found?.command, server);
    assert.strictEqual(lookup.tried.length, 3);
  });

  it('reports nothing found on an empty PATH', () => {
    assert.strictEqual(findServer(noSettings, environment()).found, undefined);
  });
});

describe('findServer on Windows paths', () => {
  it('tries PATHEXT extensions and the Scripts folder of an interpreter', () => {
    const existing = new Set(['C:\\venv\\Scripts\\neurogebra-lsp.exe', 'D:\\tools\\neurogebra-lsp.cmd']);
    const env: LocatorEnvironment = {
      platform: 'win32',
      searchPath: 'C:\\Windows;D:\\tools',
      pathExtensions: '.EXE;.CMD',
      homeDir: 'C:\\Users\\me',
      isExecutable: (file) => existing.has(file),
    };
    assert.strictEqual(
      findServer({ ...noSettings, interpreter: 'C:\\venv\\python.exe' }, env).found?.command, 'C:\\venv\\Scripts\\neurogebra-lsp.exe');
    assert.strictEqual(findServer(noSettings, env).found?.command, 'D:\\tools\\neurogebra-lsp.cmd');
  });
});

describe('notFoundMessage', () => {
  it('gives the install command and names a wrong server path', () => {
    assert.ok(notFoundMessage(noSettings).includes(INSTALL_COMMAND));
    const message = notFoundMessage({ ...noSettings, serverPath: '/opt/lsp' });
    assert.ok(message.includes('/opt/lsp') && message.includes(INSTALL_COMMAND));
  });
});
