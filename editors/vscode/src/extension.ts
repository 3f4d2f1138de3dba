import * as os from 'os';
import * as vscode from 'vscode';
import {
  Diagnostic,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { CommandOutcome, executeCommandWithProgress } from './checkProgress';
import { CheckResult, readCheckResult } from './checkResult';
import { loadTypesetter, typesetHoverMiddleware } from './hoverTypeset';
import { onPythonInterpreterChange, pythonExtensionInterpreter } from './pythonExtension';
import {
  findServer,
  INSTALL_COMMAND,
  isExecutableFile,
  LocatorSettings,
  notFoundMessage,
} from './serverLocation';
import { needsRestart, SECTION, serverSettings, SettingGetter, settingsForSection } from './settings';

const CHECK_WORKSPACE_COMMAND = 'neurogebra.checkWorkspace';

function settingGetter(scope?: vscode.Uri): SettingGetter {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return (key) => config.get(key);
}

function locatorSettings(): LocatorSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    serverPath: config.get<string>('server.path', ''),
    serverArgs: config.get<string[]>('server.args', []),
    interpreter: config.get<string>('interpreter', ''),
  };
}

/** One language server process at a time; starts and stops run one after the other. */
class ServerSession {
  private client: LanguageClient | undefined;
  private pending: Promise<void> = Promise.resolve();
  private lastSentSettings = '';

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly closedFileDiagnostics: vscode.DiagnosticCollection,
  ) {}

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  async checkWorkspace(): Promise<void> {
    await this.pending;
    const client = this.client;
    if (client === undefined || client.state !== State.Running) {
      void vscode.window.showWarningMessage('Neurogebra: the language server is not running.', 'Show Output')
        .then((choice) => choice && this.output.show(true));
      return;
    }
    let outcome: CommandOutcome;
    try {
      outcome = await executeCommandWithProgress(client, CHECK_WORKSPACE_COMMAND, 'Neurogebra: checking the workspace');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Neurogebra: the workspace check failed: ${message}`);
      return;
    }
    if (outcome.cancelled) {
      return;
    }
    const result = readCheckResult(outcome.answer);
    await this.showClosedFileDiagnostics(client, result);
    void vscode.window.showInformationMessage(`Neurogebra: ${result.summary}`);
  }

  /** Open files (and notebooks) have live diagnostics; the check's findings for the others go to the Problems
   * panel here. */
  private async showClosedFileDiagnostics(client: LanguageClient, result: CheckResult): Promise<void> {
    this.closedFileDiagnostics.clear();
    const open = new Set([...vscode.workspace.textDocuments, ...vscode.workspace.notebookDocuments]
      .map((document) => document.uri.toString()));
    for (const document of result.documents) {
      const uri = client.protocol2CodeConverter.asUri(document.uri);
      if (!open.has(uri.toString()) && document.diagnostics.length > 0) {
        const diagnostics = await client.protocol2CodeConverter.asDiagnostics(document.diagnostics as Diagnostic[]);
        this.closedFileDiagnostics.set(uri, diagnostics);
      }
    }
  }

  forgetClosedFileDiagnostics(uri: vscode.Uri): void {
    this.closedFileDiagnostics.delete(uri);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(step, step);
    return this.pending;
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.closedFileDiagnostics.clear();
    if (client !== undefined && client.state !== State.Stopped) {
      await client.stop().catch((error) => this.output.appendLine(`Stopping the server failed: ${error}`));
    }
  }

  private async startClient(): Promise<void> {
    const settings = locatorSettings();
    const lookup = findServer(settings, {
      platform: process.platform,
      searchPath: process.env.PATH,
      pathExtensions: process.env.PATHEXT,
      homeDir: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      pythonExtensionInterpreter: await pythonExtensionInterpreter(),
      isExecutable: isExecutableFile,
    });
    if (lookup.found === undefined) {
      this.output.appendLine(`Language server not found; looked at: ${lookup.tried.join(', ') || '(nothing)'}`);
      this.reportMissingServer(settings);
      return;
    }
    const { command, args, source } = lookup.found;
    this.output.appendLine(`Starting ${[command, ...args].join(' ')} (from ${source})`);
    const client = new LanguageClient(
      'neurogebra', 'Neurogebra', { command, args, transport: TransportKind.stdio }, this.clientOptions());
    this.client = client;
    try {
      await client.start();
      void loadTypesetter();
    } catch (error) {
      // The client has already shown its own notification with a link to the output.
      this.output.appendLine(`The language server failed to start: ${error}`);
    }
  }

  private clientOptions(): LanguageClientOptions {
    const initializationOptions = serverSettings(settingGetter());
    this.lastSentSettings = JSON.stringify(initializationOptions);
    return {
      // Python files, and the Python cells of Jupyter notebooks: the server takes a notebook's cells together
      // (notebook document sync), so that a cell sees the definitions of the cells above it.
      documentSelector: [
        { language: 'ngb' },
        { language: 'python' },
        { notebook: 'jupyter-notebook', language: 'python' },
      ],
      synchronize: { configurationSection: SECTION },
      initializationOptions,
      outputChannel: this.output,
      markdown: { isTrusted: false, supportHtml: true },
      middleware: {
        provideHover: typesetHoverMiddleware((line) => this.output.appendLine(line)),
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, index) => {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const ours = item.section ? settingsForSection(item.section, settingGetter(scope)) : undefined;
              return ours === undefined ? answers[index] : ours;
            });
          },
          // Only server settings are sent, and only when they changed: a new server path restarts instead.
          didChangeConfiguration: async () => {
            const settings = serverSettings(settingGetter());
            const text = JSON.stringify(settings);
            if (text === this.lastSentSettings || this.client === undefined) {
              return;
            }
            this.lastSentSettings = text;
            await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } });
          },
        },
      },
    };
  }

  private reportMissingServer(settings: LocatorSettings): void {
    const openSettings = 'Open Settings';
    const copyCommand = 'Copy Install Command';
    void vscode.window.showErrorMessage(notFoundMessage(settings), openSettings, copyCommand).then((choice) => {
      if (choice === openSettings) {
        void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:neurogebra.neurogebra');
      } else if (choice === copyCommand) {
        void vscode.env.clipboard.writeText(INSTALL_COMMAND);
      }
    });
  }
}

let session: ServerSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Neurogebra');
  const closedFileDiagnostics = vscode.languages.createDiagnosticCollection('neurogebra-workspace');
  const current = new ServerSession(output, closedFileDiagnostics);
  session = current;
  context.subscriptions.push(
    output,
    closedFileDiagnostics,
    vscode.workspace.onDidOpenTextDocument((document) => current.forgetClosedFileDiagnostics(document.uri)),
    vscode.workspace.onDidOpenNotebookDocument((notebook) => current.forgetClosedFileDiagnostics(notebook.uri)),
    vscode.commands.registerCommand('neurogebra.restartServer', () => current.restart()),
    vscode.commands.registerCommand('neurogebra.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('neurogebra.runWorkspaceCheck', () => current.checkWorkspace()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart((key) => event.affectsConfiguration(key))) {
        void current.restart();
      }
    }),
  );
  const interpreterWatch = await onPythonInterpreterChange(() => {
    const settings = locatorSettings();
    if (settings.serverPath.trim() === '' && settings.interpreter.trim() === '') {
      void current.restart();
    }
  });
  if (interpreterWatch !== undefined) {
    context.subscriptions.push(interpreterWatch);
  }
  void current.restart();
}

export function deactivate(): Promise<void> | undefined {
  return session?.stop();
}
