// nerdctl compose for a compose file in the workspace: up (detached: the containers then live in
// the explorer), logs and down. The project name is passed explicitly, derived as compose does
// from the file's folder, so what the confirmation names is what nerdctl acts on.
import { defaultLogOptions, logFlags, type LogOptions } from './containerArgs';
import { absolutePath, assertValid } from './validate';

export type ComposeVerb = 'up' | 'down' | 'logs';

/** The file names compose itself looks for, and their override variants. */
const composeFileName = /^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;

export function isComposeFile(fileName: string): boolean {
  return composeFileName.test(fileName);
}

/** compose's rule: lowercase, only a-z 0-9 _ -, starting with a letter or digit. */
export function composeProjectName(folderName: string): string {
  const name = folderName.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
  if (name.length === 0) throw new Error(`The folder name "${folderName}" gives no compose project name (it needs a letter or digit): rename the folder, or set "name:" in the compose file and run nerdctl compose yourself`);
  return name;
}

function folderOf(file: string): { folder: string; base: string } {
  const cut = file.lastIndexOf('/');
  const folder = cut <= 0 ? '/' : file.slice(0, cut);
  return { folder, base: folder.slice(folder.lastIndexOf('/') + 1) };
}

/** The project a compose file belongs to: its folder's name, made valid. */
export function composeProjectOf(file: string): string {
  assertValid(absolutePath, file);
  return composeProjectName(folderOf(file).base);
}

/** `logs`: the flags of the logs verb (follow, tail, timestamps), as for one container's logs. */
export function composeArgs(file: string, verb: ComposeVerb, logs: LogOptions = defaultLogOptions): string[] {
  const project = composeProjectOf(file);
  const tail = verb === 'up' ? ['up', '--detach'] : verb === 'down' ? ['down'] : ['logs', ...logFlags(logs)];
  return ['compose', `--file=${file}`, `--project-directory=${folderOf(file).folder}`, `--project-name=${project}`, ...tail];
}
