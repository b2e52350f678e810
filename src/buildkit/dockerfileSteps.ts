// Which Dockerfile instruction a BuildKit step is. BuildKit names a step
// `[platform stage N/M] INSTRUCTION args`: the platform only in multi-platform builds, the stage
// only when it is named, N counting the stage's FROM (unless scratch) and its RUN, COPY, ADD and
// WORKDIR instructions, M their total (the index padded with spaces when M has more digits).
// The Dockerfile is read with dockerfile-ast, the parser of the Docker language server.
import { DockerfileParser } from 'dockerfile-ast';

export interface LineRange { readonly startLine: number; readonly endLine: number }

export interface StepName {
  readonly platform: string | undefined;
  readonly stage: string | undefined;
  readonly index: number;
  readonly total: number;
  readonly keyword: string;
  /** The instruction's arguments as BuildKit printed them (variables already expanded). */
  readonly args: string;
}

export function parseStepName(name: string): StepName | undefined {
  const match = /^\[(?:(\S+\/\S+) )?(?:([^\s/]+) )?\s*(\d+)\/(\d+)\] (?:ONBUILD )?([A-Za-z]+)(?: (.*))?$/.exec(name);
  if (!match?.[3] || !match[4] || !match[5]) return undefined;
  return { platform: match[1], stage: match[2], index: Number(match[3]), total: Number(match[4]), keyword: match[5].toUpperCase(), args: match[6] ?? '' };
}

const stepKeywords = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

interface Instruction { readonly keyword: string; readonly args: string; readonly range: LineRange }
interface Stage { readonly name: string | undefined; readonly steps: readonly Instruction[] }

/** The stages of a Dockerfile, each with the instructions BuildKit counts as steps. */
function stagesOf(text: string): Stage[] {
  const stages: { name: string | undefined; steps: Instruction[] }[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const range = instruction.getRange();
    const entry: Instruction = { keyword, args: instruction.getRawArgumentsContent() ?? '', range: { startLine: range.start.line, endLine: range.end.line } };
    if (keyword === 'FROM') {
      const from = instruction as unknown as { getBuildStage(): string | undefined; getImageName(): string | undefined };
      stages.push({ name: from.getBuildStage()?.toLowerCase(), steps: from.getImageName()?.toLowerCase() === 'scratch' ? [] : [entry] });
    } else if (stepKeywords.has(keyword)) {
      stages.at(-1)?.steps.push(entry);
    }
  }
  return stages;
}

/** Instruction text compared as BuildKit prints it: line continuations joined, whitespace collapsed. */
function words(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

function sameWords(a: string, b: string): boolean {
  return words(a) === words(b);
}

/**
 * The lines of the instruction a step ran, or undefined when the Dockerfile has no such step (it
 * changed since the build, or the step came from elsewhere). Unnamed stages are told apart by the
 * step's text; failing that, the last candidate (the build's default target) wins.
 */
export function instructionOfStep(step: StepName, dockerfileText: string): LineRange | undefined {
  const candidates = stagesOf(dockerfileText)
    .filter((stage) => step.stage === undefined ? true : stage.name === step.stage.toLowerCase())
    .filter((stage) => stage.steps.length === step.total)
    .map((stage) => stage.steps[step.index - 1])
    .filter((instruction): instruction is Instruction => instruction?.keyword === step.keyword);
  return (candidates.find((c) => sameWords(c.args, step.args)) ?? candidates.at(-1))?.range;
}
