// The environment doctor in the editor: `containerd.doctor.run` reads the machine, the settings,
// every endpoint and the workspace's build tasks, and opens the report as a read-only Markdown
// document (copyable, previewable); `containerd.doctor.copyReport` puts it on the clipboard.
import * as vscode from 'vscode';
import { registerCommandTable } from '../commands/table';
import type { Ctx } from '../ctx';
import type { DoctorFinding } from '../doctor/doctorCheck';
import { hostDoctorSources } from '../doctor/hostSources';
import { renderReport, summaryLine, type DoctorReport } from '../doctor/report';
import { runDoctor } from '../doctor/runDoctor';
import { taskPlatforms } from '../doctor/taskPlatforms';

export const doctorScheme = 'containerd-doctor';
/** The report's document (made on use: nothing of vscode runs while the bundle loads). */
function doctorUri(): vscode.Uri {
  return vscode.Uri.from({ scheme: doctorScheme, path: '/containerd doctor.md' });
}

export interface DoctorApi {
  /** Runs every check and shows the report; resolves with it. */
  run(seen?: DoctorFinding): Promise<DoctorReport>;
}

class ReportDocument implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  text = '# containerd doctor\n\nRun "containerd: Run Doctor" to check this machine.\n';

  provideTextDocumentContent(): string {
    return this.text;
  }

  show(text: string): void {
    this.text = text;
    this.changed.fire(doctorUri());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The report document once it holds `text`: an open document takes new content a moment after
 * the provider says it changed, so a caller reading it at once would see the last report.
 */
async function updated(text: string): Promise<vscode.TextDocument> {
  const opened = await vscode.workspace.openTextDocument(doctorUri());
  if (opened.getText() === text) return opened;
  return new Promise((resolve) => {
    const done = (): void => {
      subscription.dispose();
      clearTimeout(timer);
      resolve(opened);
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === opened && opened.getText() === text) done();
    });
    const timer = setTimeout(done, 5_000);
  });
}

function isFinding(value: unknown): value is DoctorFinding {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.check === 'string' && typeof v.level === 'string' && typeof v.message === 'string' && typeof v.fix === 'string';
}

function workspacePlatforms(): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const lists = folders.map((folder) => vscode.workspace.getConfiguration('tasks', folder.uri).get<unknown>('tasks'));
  return [...new Set(lists.flatMap(taskPlatforms))].sort();
}

async function examine(ctx: Ctx, seen: DoctorFinding | undefined): Promise<DoctorReport> {
  const config = ctx.config();
  const statuses = await ctx.endpoints.refresh();
  const report = await runDoctor(await hostDoctorSources({
    env: process.env, statuses,
    apiOf: (address) => ctx.connections().get(address),
    namespace: ctx.scope.get()?.namespace ?? 'default',
    tools: { nerdctl: config.nerdctlCommand, buildctl: config.buildctlCommand, dlv: [config.dlvPath], crictl: config.crictlCommand },
    buildkitHost: config.buildkitHost,
    platforms: workspacePlatforms(),
  }));
  return seen ? { ...report, seen } : report;
}

export function registerDoctor(ctx: Ctx): DoctorApi {
  const document = ctx.own(new ReportDocument());
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(doctorScheme, document));
  const api: DoctorApi = {
    run: async (seen) => {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'containerd doctor: checking endpoints, rootless set-up, BuildKit, tools…' },
        () => examine(ctx, seen),
      );
      ctx.log.info(`doctor: ${summaryLine(report.findings)}`);
      for (const f of report.findings.filter((finding) => finding.level === 'error' || finding.level === 'warning')) ctx.log.warn(`doctor ${f.level} (${f.check}): ${f.message}`);
      const text = renderReport(report);
      document.show(text);
      await vscode.window.showTextDocument(await updated(text), { preview: false });
      return report;
    },
  };
  registerCommandTable(ctx, {
    'containerd.doctor.run': (argument?: unknown) => api.run(isFinding((argument as { seen?: unknown } | undefined)?.seen) ? (argument as { seen: DoctorFinding }).seen : undefined),
    'containerd.doctor.copyReport': async () => {
      await vscode.env.clipboard.writeText(document.text);
      void vscode.window.showInformationMessage('The doctor\'s report is on the clipboard.');
    },
  });
  return api;
}
