// The Run flow: one quick pick that lists every choice of `nerdctl run` with its current value and,
// last, the exact command line. Picking a choice edits it (checked as typed); picking the command
// line runs it. Lists (ports, environment, volumes) are edited one entry at a time.
import * as vscode from 'vscode';
import { runArgs, type RunSpec } from '../nerdctl/runArgs';
import * as validate from '../nerdctl/validate';

type Editable = Exclude<keyof RunSpec, 'image' | 'command'> | 'command';

interface Choice extends vscode.QuickPickItem {
  readonly edit?: Editable;
  readonly run?: 'run' | 'saveTask';
}

/** What the form ends with: run the spec now, or save it as a task to run later. */
export interface RunChoice {
  readonly spec: RunSpec;
  readonly action: 'run' | 'saveTask';
}

type Draft = { -readonly [K in keyof RunSpec]: RunSpec[K] };

const listChecks: Readonly<Record<'ports' | 'env' | 'volumes', { check: validate.Check; what: string; example: string }>> = {
  ports: { check: validate.portMapping, what: 'port mapping', example: '8080:80' },
  env: { check: validate.environmentEntry, what: 'environment entry', example: 'KEY=value' },
  volumes: { check: validate.volumeMount, what: 'volume', example: '/host/path:/container/path:ro' },
};

function describe(draft: Draft): Choice[] {
  const list = (values: readonly string[] | undefined): string => (values?.length ? values.join('  ') : 'none');
  let commandLine: string;
  try {
    commandLine = `nerdctl ${runArgs(draft).join(' ')}`;
  } catch (error) {
    commandLine = `cannot run yet: ${error instanceof Error ? error.message : String(error)}`;
  }
  return [
    { label: 'Name', description: draft.name ?? '(nerdctl picks one)', edit: 'name' },
    { label: 'Ports', description: list(draft.ports), edit: 'ports' },
    { label: 'Environment', description: list(draft.env), edit: 'env' },
    { label: 'Volumes', description: list(draft.volumes), edit: 'volumes' },
    { label: 'Mode', description: draft.mode === 'detached' ? 'detached (-d)' : 'interactive (-it)', edit: 'mode' },
    { label: 'Remove when it exits', description: draft.remove ? 'yes (--rm)' : 'no', edit: 'remove' },
    { label: 'Restart policy', description: draft.restart ?? 'no', edit: 'restart' },
    { label: 'Platform', description: draft.platform ?? '(this machine\'s)', edit: 'platform' },
    { label: 'Network', description: draft.network ?? '(nerdctl\'s default)', edit: 'network' },
    { label: 'Command', description: draft.command?.length ? JSON.stringify(draft.command) : '(the image\'s)', edit: 'command' },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(play) Run', detail: commandLine, run: 'run' },
    { label: '$(save) Save as Task…', detail: 'A task in .vscode/tasks.json that runs this command line', run: 'saveTask' },
  ];
}

async function ask(prompt: string, value: string | undefined, check: validate.Check | undefined, placeHolder?: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ prompt, value: value ?? '', placeHolder, validateInput: (text) => (text === '' || !check ? undefined : check(text)) });
}

async function editList(draft: Draft, key: 'ports' | 'env' | 'volumes'): Promise<void> {
  const { check, what, example } = listChecks[key];
  const entries = [...(draft[key] ?? [])];
  const picked = await vscode.window.showQuickPick([{ label: `$(add) Add a ${what}…`, add: true }, ...entries.map((e) => ({ label: e, description: 'pick to remove', add: false }))], { title: `Run: ${key}` });
  if (!picked) return;
  if (picked.add) {
    const value = await ask(`A ${what}, e.g. ${example}`, '', check, example);
    if (value) entries.push(value);
  } else {
    entries.splice(entries.indexOf(picked.label), 1);
  }
  draft[key] = entries;
}

async function editOne(draft: Draft, edit: Editable): Promise<void> {
  switch (edit) {
    case 'ports': case 'env': case 'volumes': return editList(draft, edit);
    case 'mode': draft.mode = draft.mode === 'detached' ? 'interactive' : 'detached'; return;
    case 'remove': draft.remove = !draft.remove; return;
    case 'command': {
      const value = await ask('The command and its arguments as a JSON array, e.g. ["sh", "-c", "echo hi"] (empty: the image\'s)', draft.command ? JSON.stringify(draft.command) : '', commandCheck);
      if (value !== undefined) draft.command = value === '' ? undefined : (JSON.parse(value) as string[]);
      return;
    }
    default: {
      const checks: Record<'name' | 'restart' | 'platform' | 'network', validate.Check> = { name: validate.containerName, restart: validate.restartPolicy, platform: validate.platform, network: validate.networkName };
      const value = await ask(`Run: ${edit} (empty for the default)`, draft[edit], checks[edit]);
      if (value !== undefined) draft[edit] = value === '' ? undefined : value;
    }
  }
}

const commandCheck: validate.Check = (text) => {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return undefined;
  } catch {
    // Reported below.
  }
  return 'expected a JSON array of strings, e.g. ["sh", "-c", "echo hi"]';
};

/** Shows the form until the user runs, saves or leaves it. */
export async function runForm(image: string): Promise<RunChoice | undefined> {
  const draft: Draft = { image, mode: 'detached' };
  for (;;) {
    const picked = await vscode.window.showQuickPick(describe(draft), { title: `Run ${image}`, placeHolder: 'Pick a choice to change it, or Run', matchOnDetail: true });
    if (!picked) return undefined;
    if (picked.run) {
      // Throws with the reason when the draft cannot run; the command table reports it.
      runArgs(draft);
      return { spec: draft, action: picked.run };
    }
    if (picked.edit) await editOne(draft, picked.edit);
  }
}
